// GadgetRunner: the guest runs in a worker thread with real wasm; the caller's thread stays responsive.
import * as assert from 'node:assert/strict';
import { EmitError, GadgetError, countPackets, type HostEvent, type PacketBatch, type RunOptions } from '../../../../src/host/api';
import { GadgetRunner } from '../../../../src/host/thread/runner';
import { MAX_IN_FLIGHT } from '../../../../src/host/thread/protocol';
import { LOOP, buildGuest, logText, setConfigText } from '../runner-guests';

const EV = { name: 'ev', type: 'single' as const, fields: [{ name: 'n', kind: 'uint32' as const }] };
const ARR = { name: 'arr', type: 'array' as const, fields: [{ name: 'n', kind: 'uint32' as const }] };

function collect(r: GadgetRunner): HostEvent[] {
  const events: HostEvent[] = [];
  r.onEvent((e) => events.push(e));
  return events;
}

/** Counts ticks of a caller-side timer: proof the caller's event loop ran while the guest looped. */
function ticker(): { ticks: () => number; stop: () => void } {
  let n = 0;
  const t = setInterval(() => n++, 10);
  return { ticks: () => n, stop: () => clearInterval(t) };
}

describe('GadgetRunner (worker thread)', function () {
  this.timeout(20000);
  const runners: GadgetRunner[] = [];
  const make = (o: RunOptions): GadgetRunner => { const r = new GadgetRunner(o); runners.push(r); return r; };
  afterEach(async () => { for (const r of runners.splice(0)) await r.terminate(); });

  it('runs the lifecycle, reports data sources, streams logs and packets in order, and stops', async () => {
    const wasm = await buildGuest({ doubler: true, stop: `${setConfigText('test.stopped', 'yes')} (i32.const 0)` });
    const r = make({ wasm, dataSources: [EV], config: { keep: 'me' } });
    const events = collect(r);
    const ds = await r.start();
    assert.deepEqual(ds.map((d) => [d.name, d.fields.map((f) => `${f.name}:${f.kind}:${f.origin}`)]), [['ev', ['n:uint32:host', 'twice:uint32:guest']]]);
    await r.emit('ev', { n: 21 });
    const res = await r.stop();
    assert.equal(res.ok, true);
    assert.equal(res.packets, 1);
    assert.deepEqual(res.config, { keep: 'me', test: { stopped: 'yes' } });
    const kinds = events.filter((e) => e.type !== 'phase').map((e) => e.type);
    assert.deepEqual(kinds, ['log', 'datasources', 'packets', 'config']);
    const log = events.find((e) => e.type === 'log');
    assert.deepEqual(log, { type: 'log', level: 'info', message: 'init done' });
    const batch = (events.find((e) => e.type === 'packets') as { batch: PacketBatch }).batch;
    assert.deepEqual(batch, { datasource: 'ev', fields: ['n', 'twice'], rows: [[21, 42]], packet: [1] });
    const phases = events.filter((e) => e.type === 'phase').map((e) => `${(e as { phase: string }).phase}:${(e as { state: string }).state}`);
    assert.deepEqual(phases, ['load:begin', 'load:end', 'gadgetInit:begin', 'gadgetInit:end', 'gadgetPreStart:begin', 'gadgetPreStart:end',
      'gadgetStart:begin', 'gadgetStart:end', 'gadgetStop:begin', 'gadgetStop:end', 'gadgetPostStop:begin', 'gadgetPostStop:end']);
  });

  it('delivers many packets batched, complete and in order (guest changes visible)', async () => {
    const wasm = await buildGuest({ doubler: true });
    const r = make({ wasm, dataSources: [EV], flushMs: 5 });
    const batches: PacketBatch[] = [];
    r.onEvent((e) => { if (e.type === 'packets') batches.push(e.batch); });
    await r.start();
    const N = 30000;
    const packets = Array.from({ length: N }, (_, i) => ({ n: i }));
    assert.equal(await r.emitMany('ev', packets.slice(0, N / 2)), N / 2);
    assert.equal(await r.emitMany('ev', packets.slice(N / 2)), N / 2);
    await r.stop();
    const rows = batches.flatMap((b) => b.rows);
    const nos = batches.flatMap((b) => b.packet);
    assert.equal(rows.length, N);
    for (let i = 0; i < N; i++) {
      if (rows[i][0] !== i || rows[i][1] !== 2 * i || nos[i] !== i + 1) assert.fail(`row ${i}: ${JSON.stringify(rows[i])} packet ${nos[i]}`);
    }
    assert.ok(batches.length > 1 && batches.length < N / 100, `${batches.length} batches for ${N} packets`);
  });

  it('reports array packets with their element indices, one packet number per packet', async () => {
    const wasm = await buildGuest({ doubler: true, source: 'arr' });
    const r = make({ wasm, dataSources: [ARR] });
    const batches: PacketBatch[] = [];
    r.onEvent((e) => { if (e.type === 'packets') batches.push(e.batch); });
    await r.start();
    await r.emit('arr', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await r.emit('arr', [{ n: 4 }]);
    await r.stop();
    // Batch boundaries depend on timing; their concatenation does not.
    assert.ok(batches.every((b) => b.datasource === 'arr' && b.fields.join() === 'n,twice'));
    assert.deepEqual(batches.flatMap((b) => b.rows), [[1, 2], [2, 4], [3, 6], [4, 8]]);
    assert.deepEqual(batches.flatMap((b) => b.packet), [1, 1, 1, 2]);
    assert.deepEqual(batches.flatMap((b) => b.element), [0, 1, 2, 0]);
  });

  it('every kind crosses the thread intact (64-bit as bigint, bytes, strings with NUL, NaN)', async () => {
    const kinds = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'string', 'cstring', 'bytes'] as const;
    const ALL = { name: 'all', type: 'single' as const, fields: kinds.map((k) => ({ name: k, kind: k })) };
    const r = make({ wasm: await buildGuest(), dataSources: [ALL], flushMs: 1000 });
    const batches: PacketBatch[] = [];
    r.onEvent((e) => { if (e.type === 'packets') batches.push(e.batch); });
    await r.start();
    const a = {
      bool: true, int8: -128, int16: -32768, int32: -(2 ** 31), int64: -(2n ** 63n), uint8: 255, uint16: 65535, uint32: 2 ** 32 - 1,
      uint64: 2n ** 64n - 1n, float32: 1.5, float64: NaN, string: 'a\0b', cstring: '', bytes: new Uint8Array([0, 1, 255]),
    };
    const b = { ...a, bool: false, float64: -0.25, string: 'plain', cstring: 'c', bytes: new Uint8Array([]) };
    await r.emitMany('all', [a, b, {}]);
    await r.stop();
    const zero = { bool: false, int8: 0, int16: 0, int32: 0, int64: 0n, uint8: 0, uint16: 0, uint32: 0, uint64: 0n, float32: 0, float64: 0, string: '', cstring: '', bytes: new Uint8Array([]) };
    const rows = batches.flatMap((x) => x.rows);
    assert.deepEqual(rows, [a, b, zero].map((o) => kinds.map((k) => o[k])));
  });

  it('emitRows: the caller\'s columnar fast path, single and array packets; wrong value types reject', async () => {
    const wasm = await buildGuest({ doubler: true });
    const WIDE = { name: 'wide', type: 'array' as const, fields: [{ name: 'id', kind: 'uint64' as const }, { name: 's', kind: 'string' as const }, { name: 'ok', kind: 'bool' as const }] };
    const r = make({ wasm, dataSources: [EV, WIDE] });
    const batches: PacketBatch[] = [];
    r.onEvent((e) => { if (e.type === 'packets') batches.push(e.batch); });
    await r.start();
    assert.equal(await r.emitRows('ev', ['n'], [[1], [2], [3]]), 3);
    assert.equal(await r.emitRows('wide', ['id', 's', 'ok'], [[1n, 'a', true], [2n ** 64n - 1n, 'b\0c', false], [3n, '', true]], [1, 1, 2]), 2);
    await assert.rejects(r.emitRows('ev', ['n'], [[1], ['2']]), /row 1, field 'n' \(uint32\): expected a number, got "2"/);
    await assert.rejects(r.emitRows('nope', ['n'], [[1]]), /no such data source/);
    await assert.rejects(r.emitRows('ev', ['zz'], [[1]]), /failed at packet 1: .*no field "zz"/);
    const res = await r.stop();
    assert.equal(res.packets, 5);
    const ev = batches.filter((b) => b.datasource === 'ev');
    assert.deepEqual(ev.flatMap((b) => b.rows), [[1, 2], [2, 4], [3, 6]]);
    const wide = batches.filter((b) => b.datasource === 'wide');
    assert.deepEqual(wide.flatMap((b) => b.rows), [[1n, 'a', true], [2n ** 64n - 1n, 'b\0c', false], [3n, '', true]]);
    assert.deepEqual(wide.flatMap((b) => b.packet), [1, 1, 2]);
    assert.deepEqual(wide.flatMap((b) => b.element), [0, 1, 0]);
  });

  it('an endless loop in gadgetInit: start() rejects naming the phase within the timeout; the caller keeps running', async () => {
    const wasm = await buildGuest({ initPrefix: LOOP });
    const r = make({ wasm, callTimeoutMs: 300 });
    const events = collect(r);
    const t = ticker();
    const t0 = Date.now();
    try {
      await assert.rejects(r.start(), (e: unknown) => {
        assert.ok(e instanceof GadgetError);
        assert.equal(e.phase, 'gadgetInit');
        assert.match(e.message, /did not return within 300 ms/);
        return true;
      });
    } finally { t.stop(); }
    const took = Date.now() - t0;
    assert.ok(took >= 300 && took < 5000, `took ${took} ms`);
    assert.ok(t.ticks() >= 10, `caller timer ticked only ${t.ticks()} times`);
    assert.ok(events.some((e) => e.type === 'error' && e.phase === 'gadgetInit'));
    const res = await r.stop();
    assert.equal(res.ok, false);
    assert.equal(res.error?.phase, 'gadgetInit');
  });

  it('an endless loop in _initialize: start() rejects in phase load, saying where', async () => {
    const { compileWat } = await import('../../../support/wat');
    const wasm = await compileWat(`(module (memory (export "memory") 1)
      (func (export "_initialize") ${LOOP})
      (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))`);
    const r = make({ wasm, callTimeoutMs: 200 });
    await assert.rejects(r.start(), (e: unknown) => e instanceof GadgetError && e.phase === 'load' && /_initialize/.test(e.message));
  });

  it('an endless loop in a callback during emit: the emit rejects naming dataSourceCallback and the data source', async () => {
    const wasm = await buildGuest({ doubler: true, callbackPrefix: LOOP });
    const r = make({ wasm, dataSources: [EV], callTimeoutMs: 300 });
    await r.start();
    const t = ticker();
    try {
      await assert.rejects(r.emitMany('ev', [{ n: 1 }, { n: 2 }]), (e: unknown) => {
        assert.ok(e instanceof GadgetError);
        assert.equal(e.phase, 'dataSourceCallback');
        assert.match(e.message, /data source 'ev'/);
        return true;
      });
    } finally { t.stop(); }
    assert.ok(t.ticks() >= 10, `caller timer ticked only ${t.ticks()} times`);
    // Everything after the kill reports it; nothing hangs.
    await assert.rejects(r.emit('ev', { n: 3 }), /did not return/);
    const res = await r.stop();
    assert.deepEqual([res.ok, res.error?.phase], [false, 'dataSourceCallback']);
  });

  it('a slow but finishing stream is not mistaken for a hang (the heartbeat advances per packet)', async () => {
    const wasm = await buildGuest({ doubler: true });
    const r = make({ wasm, dataSources: [EV], callTimeoutMs: 250 });
    await r.start();
    // Emits that take longer in total than the timeout, while each packet returns quickly: grow the
    // stream until one takes over 4× the timeout (a cold JIT makes a single calibration unreliable).
    let N = 200000;
    let took = 0;
    let total = 0;
    for (let round = 0; round < 8 && took <= 1000; round++, N *= 2) {
      const t0 = Date.now();
      assert.equal(await r.emitRepeat('ev', { n: 5 }, N), N);
      took = Date.now() - t0;
      total += N;
    }
    const res = await r.stop();
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal(res.packets, total);
    assert.ok(took > 250, `the emit took only ${took} ms: the test proves nothing`);
  });

  it('stop() mid-stream: the stream ends at the next packet, gadgetStop/PostStop run, later emits reject', async () => {
    const wasm = await buildGuest({ doubler: true, stop: `${logText('stopping')} (i32.const 0)` });
    const r = make({ wasm, dataSources: [EV] });
    const events = collect(r);
    await r.start();
    // Minutes of packets: stop() must not wait for them.
    const N = 500_000_000;
    const emitted = r.emitRepeat('ev', { n: 1 }, N);
    await new Promise((res) => setTimeout(res, 200));
    const res = await r.stop();
    // The proof that stop() did not wait for the stream is the count (all N would take minutes), not a
    // wall-clock bound, which a loaded machine breaks; the test's own timeout catches a hang.
    const count = await emitted;
    assert.ok(count > 0 && count < N, `emitted ${count}`);
    assert.equal(res.ok, true);
    assert.equal(res.packets, count);
    const last = events.filter((e) => e.type === 'log' || e.type === 'config').slice(-2).map((e) => e.type === 'log' ? e.message : e.type);
    assert.deepEqual(last, ['stopping', 'config']);
    await assert.rejects(r.emit('ev', { n: 1 }), /stopped/);
    assert.strictEqual(await r.stop(), res);
  });

  it('back-pressure: a caller that stops reading holds the worker at MAX_IN_FLIGHT messages', async () => {
    const wasm = await buildGuest({ doubler: true });
    const r = make({ wasm, dataSources: [EV] });
    await r.start();
    const emitted = r.emitRepeat('ev', { n: 1 }, 500_000_000);
    // Block this thread for a second: nothing is read, so the worker may run ahead only by what is in flight.
    const until = Date.now() + 1000;
    while (Date.now() < until) { /* busy: the caller is "slow" */ }
    const stopped = r.stop();
    const count = await emitted;
    const bound = (MAX_IN_FLIGHT + 2) * 8192; // each message carries at most 8192 rows, plus the one being built
    assert.ok(count > 0 && count <= bound, `the worker emitted ${count} packets while the caller read nothing (bound ${bound})`);
    assert.equal((await stopped).ok, true);
  });

  it('stop() while starting: start() resolves, then the gadget stops; no emits in between', async () => {
    const wasm = await buildGuest({ doubler: true, stop: `${logText('stopping')} (i32.const 0)` });
    const r = make({ wasm, dataSources: [EV] });
    const started = r.start();
    const stopped = r.stop();
    await started;
    await assert.rejects(r.emit('ev', { n: 1 }), /stopping/);
    const res = await stopped;
    assert.equal(res.ok, true);
    assert.equal(res.packets, 0);
  });

  it('a gadgetStop that never returns: stop() resolves within the timeout with the error', async () => {
    const wasm = await buildGuest({ stop: `${LOOP} (i32.const 0)` });
    const r = make({ wasm, callTimeoutMs: 250 });
    await r.start();
    const t0 = Date.now();
    const res = await r.stop();
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(res.ok, false);
    assert.equal(res.error?.phase, 'gadgetStop');
    assert.match(res.error!.message, /did not return within 250 ms/);
  });

  it('a failing phase rejects start() with a GadgetError naming it; the error is also an event', async () => {
    const wasm = await buildGuest({ initResult: 1 });
    const r = make({ wasm });
    const events = collect(r);
    await assert.rejects(r.start(), (e: unknown) => e instanceof GadgetError && e.phase === 'gadgetInit' && /failed/.test(e.message));
    const err = events.find((e) => e.type === 'error');
    assert.equal(err?.type === 'error' && err.phase, 'gadgetInit');
    assert.equal(events.filter((e) => e.type === 'datasources').length, 0);
  });

  it('a trap in a callback is reported (phase dataSourceCallback), the run goes on and ends not ok', async () => {
    const wasm = await buildGuest({ doubler: true, callbackPrefix: '(if (i32.eq (i32.wrap_i64 (call $get (global.get $n) (local.get $data) (i32.const 8) (i32.const 0))) (i32.const 2)) (then unreachable))' });
    const r = make({ wasm, dataSources: [EV] });
    const events = collect(r);
    await r.start();
    await r.emitMany('ev', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    const res = await r.stop();
    assert.equal(res.ok, false);
    assert.equal(res.error?.phase, 'dataSourceCallback');
    assert.ok(events.some((e) => e.type === 'error' && e.phase === 'dataSourceCallback' && /unreachable/.test(e.message)));
    assert.equal(res.packets, 3);
  });

  it('proc_exit in a callback fails the gadget: the emit rejects with a GadgetError, the run ends not ok', async () => {
    const wasm = await buildGuest({
      doubler: true,
      imports: '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))',
      callbackPrefix: '(call $exit (i32.const 3))',
    });
    const r = make({ wasm, dataSources: [EV] });
    await r.start();
    await assert.rejects(r.emit('ev', { n: 1 }), (e: unknown) => e instanceof GadgetError && e.phase === 'dataSourceCallback' && /3/.test(e.message));
    const res = await r.stop();
    assert.equal(res.ok, false);
    assert.equal(res.error?.phase, 'dataSourceCallback');
  });

  it('an invalid emit rejects with the cause and leaves the gadget running', async () => {
    const wasm = await buildGuest({ doubler: true });
    const r = make({ wasm, dataSources: [EV] });
    await r.start();
    await assert.rejects(r.emitMany('ev', [{ n: 1 }, { nope: 1 }]), (e: unknown) => {
      // The parts as data (the events feed maps the index to a line), and a message for people.
      assert.ok(e instanceof EmitError, String(e));
      assert.deepEqual([e.datasource, e.index], ['ev', 1]);
      assert.match(e.problem, /no field "nope"/);
      assert.match(e.message, /failed at packet 2: .*no field "nope"/);
      return true;
    });
    await assert.rejects(r.emit('missing', { n: 1 }), /unknown data source/);
    await r.emit('ev', { n: 2 });
    const res = await r.stop();
    assert.equal(res.ok, true);
    assert.equal(res.packets, 2);
  });

  it('a module that is not wasm fails in phase load', async () => {
    const r = make({ wasm: new Uint8Array([1, 2, 3, 4]) });
    await assert.rejects(r.start(), (e: unknown) => e instanceof GadgetError && e.phase === 'load');
  });

  it('options that cannot cross into the worker reject start() instead of throwing', async () => {
    const r = make({ wasm: await buildGuest(), config: { hook: () => 1 } });
    await assert.rejects(r.start(), (e: unknown) => e instanceof GadgetError && e.phase === 'load' && /cannot pass the run options/.test(e.message));
    assert.equal((await r.stop()).ok, false);
  });

  it('terminate() ends a looping guest at once and rejects what is pending', async () => {
    const wasm = await buildGuest({ doubler: true, callbackPrefix: LOOP });
    const r = make({ wasm, dataSources: [EV], callTimeoutMs: 60000 });
    await r.start();
    const p = r.emit('ev', { n: 1 });
    await new Promise((res) => setTimeout(res, 50));
    await r.terminate();
    await assert.rejects(p, /terminated/);
    assert.equal(r.running, false);
  });
});

describe('countPackets', () => {
  it('counts rows of one array packet once, single packets each (the runner and the run session use it)', () => {
    const batch = (packet: number[]): PacketBatch => ({ datasource: 'arr', fields: ['n'], rows: packet.map((p) => [p]), packet });
    assert.equal(countPackets(batch([])), 0);
    assert.equal(countPackets(batch([4, 5, 6])), 3);
    assert.equal(countPackets(batch([1, 1, 1, 2, 3, 3])), 3);
  });
});
