// The guest's last words (issue 11 §3): an unterminated stdout/stderr line is flushed at the end of every
// phase, on failure and on a trap, before the error record, so the reason a gadget gives reaches the user.
import * as assert from 'node:assert/strict';
import type { HostEvent } from '../../../../src/host/api';
import { GadgetRunner } from '../../../../src/host/thread/runner';
import { LastGuestError, failureMessage } from '../../../../src/workbench/run/messages';
import { compileWat } from '../../../support/wat';

const EV = { name: 'ev', type: 'single' as const, fields: [{ name: 'n', kind: 'uint32' as const }] };

/** A guest whose export `at` writes `text` (no newline) to fd `fd`, then runs `then`. */
function guest(at: string, fd: 1 | 2, text: string, then: string, extra = ''): Promise<Uint8Array> {
  const bytes = Buffer.from(text);
  const write = `(drop (call $w (i32.const ${fd}) (i32.const 0) (i32.const 1) (i32.const 8)))`;
  const exp = (name: string, body: string, sig = '(result i32)'): string => `(func (export "${name}") ${sig} ${body})`;
  const cbSig = '(param i64 i32 i32)';
  return compileWat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (import "ig" "getDataSource" (func $getds (param i64) (result i32)))
    (import "ig" "dataSourceSubscribe" (func $sub (param i32 i32 i32 i64) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\10\\00\\00\\00\\${bytes.length.toString(16).padStart(2, '0')}\\00\\00\\00")
    (data (i32.const 16) "${text}")
    (data (i32.const 64) "ev")
    (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
    ${at === '_initialize' ? exp('_initialize', `${write} ${then}`, '') : ''}
    ${exp('gadgetInit', at === 'gadgetInit' ? `${write} ${then}` : `(drop (call $sub (call $getds (i64.const ${(2n << 32n) | 64n})) (i32.const 1) (i32.const 0) (i64.const 0))) (i32.const 0)`)}
    ${at === 'gadgetStart' ? exp('gadgetStart', `${write} ${then}`) : ''}
    ${exp('dataSourceCallback', at === 'dataSourceCallback' ? `${write} ${then}` : '', cbSig)}
    ${extra})`);
}

async function run(wasm: Uint8Array, emit = false): Promise<HostEvent[]> {
  const r = new GadgetRunner({ wasm, dataSources: [EV] });
  const events: HostEvent[] = [];
  r.onEvent((e) => events.push(e));
  try {
    await r.start();
    if (emit) await r.emit('ev', { n: 1 });
  } catch { /* reported as an event */ }
  await r.stop();
  return events.filter((e) => e.type === 'log' || e.type === 'error');
}

const said = (events: HostEvent[]): { at: number; e: HostEvent } => {
  const at = events.findIndex((e) => e.type === 'log' && e.stream !== undefined);
  return { at, e: events[at] };
};

describe('the guest\'s unterminated last line', function () {
  this.timeout(20000);

  it('gadgetInit writes "fatal: config missing" to stderr and returns 1: the line comes before the error', async () => {
    const events = await run(await guest('gadgetInit', 2, 'fatal: config missing', '(i32.const 1)'));
    const { at, e } = said(events);
    assert.deepEqual(e, { type: 'log', level: 'warn', message: 'fatal: config missing', stream: 'stderr' });
    const err = events.findIndex((x) => x.type === 'error');
    assert.ok(at >= 0 && at < err, JSON.stringify(events));
    assert.deepEqual(events[err], { type: 'error', phase: 'gadgetInit', message: 'gadgetInit failed (returned 1)' });
  });

  it('a trap in gadgetStart after a partial stdout line', async () => {
    const events = await run(await guest('gadgetStart', 1, 'starting the probe', 'unreachable'));
    const { at, e } = said(events);
    assert.equal(e.type === 'log' && e.message, 'starting the probe');
    assert.ok(at < events.findIndex((x) => x.type === 'error'));
  });

  it('a trap in a data source callback', async () => {
    const events = await run(await guest('dataSourceCallback', 2, 'bad packet', 'unreachable'), true);
    const { at, e } = said(events);
    assert.equal(e.type === 'log' && e.message, 'bad packet');
    const err = events.findIndex((x) => x.type === 'error');
    assert.ok(at < err);
    assert.equal((events[err] as { phase: string }).phase, 'dataSourceCallback');
  });

  it('a trap in _initialize (the load phase)', async () => {
    const events = await run(await guest('_initialize', 2, 'runtime init failed', 'unreachable'));
    const { at, e } = said(events);
    assert.equal(e.type === 'log' && e.message, 'runtime init failed');
    assert.ok(at < events.findIndex((x) => x.type === 'error'));
  });

  it('the editor\'s failure notification quotes that line (the last error log or stderr line)', async () => {
    const events = await run(await guest('gadgetInit', 2, 'fatal: config missing', '(i32.const 1)'));
    const last = new LastGuestError();
    for (const e of events) last.observe(e);
    const err = events.find((e) => e.type === 'error') as { phase: string; message: string };
    assert.equal(failureMessage('hello', err, last.message),
      'Gadget hello failed in gadgetInit: gadgetInit failed (returned 1) — the gadget said: "fatal: config missing"');
  });
});

describe('LastGuestError', () => {
  it('keeps the last error-level guest log or stderr line; stdout, info and warnings of the host do not count', () => {
    const l = new LastGuestError();
    l.observe({ type: 'log', level: 'error', message: 'first' });
    l.observe({ type: 'log', level: 'warn', message: 'getParamValue: param "x" not found' });
    l.observe({ type: 'log', level: 'info', message: 'out', stream: 'stdout' });
    assert.equal(l.message, 'first');
    l.observe({ type: 'log', level: 'warn', message: 'from stderr', stream: 'stderr' });
    assert.equal(l.message, 'from stderr');
    assert.equal(failureMessage('g', { phase: 'load', message: 'x\ny' }, undefined), 'Gadget g failed in load: x');
  });
});
