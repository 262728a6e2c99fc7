// The host-call guard (issue 11 §2): an unexpected exception inside a host function reaches the user as
// "host error in <function>(<arguments>)", distinct from guest traps, never as a bare JS exception. The
// host functions here are the table's real ones, bound to a context whose memory is sabotaged, and are
// called by a real wasm guest.
import * as assert from 'node:assert/strict';
import { GadgetError } from '../../../../src/host/api';
import { callGuest } from '../../../../src/host/abi/lifecycle';
import { HostFault, IG_FUNCTIONS, implement } from '../../../../src/host/abi/table';
import { HostContext } from '../../../../src/host/engine/context';
import { instantiateShims } from '../../../../src/host/engine/i64-shim';
import { Wasm } from '../../../../src/host/engine/wasm-api';
import { compileWat } from '../../../support/wat';

const def = (name: string, results: string[]) => IG_FUNCTIONS.find((d) => d.name === name && d.results.join() === results.join())!;

function brokenContext(): HostContext {
  const ctx = new HostContext(() => undefined, 'debug', {}, {}, () => undefined);
  // A host bug stand-in: reading guest memory throws a TypeError the host never meant to throw.
  ctx.mem.readString = () => { throw new TypeError("Cannot read properties of undefined (reading 'length')"); };
  ctx.handles.typed = () => { throw new RangeError('Offset is outside the bounds of the DataView'); };
  return ctx;
}

async function guest(ctx: HostContext): Promise<Record<string, (...a: unknown[]) => unknown>> {
  const wat = `(module
    (import "ig" "gadgetLog" (func $log (param i32 i64)))
    (import "ig" "fieldGetScalar" (func $get (param i32 i32 i32 i32) (result i64)))
    (memory 1)
    (func (export "gadgetStart") (result i32) (call $log (i32.const 0) (i64.const 0x500001000)) (i32.const 0))
    (func (export "read") (result i32) (drop (call $get (i32.const 7) (i32.const 3) (i32.const 8) (i32.const 0))) (i32.const 0))
    (func (export "trap") (result i32) unreachable))`;
  const mod = await Wasm.compile(await compileWat(wat));
  const getScalar = def('fieldGetScalar', ['i64']);
  const [shimmed] = instantiateShims(ctx.hostMem, [{ type: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i64'] }, fn: implement(getScalar, ctx, true) as never }]);
  const inst = await Wasm.instantiate(mod, { ig: { gadgetLog: implement(def('gadgetLog', []), ctx, false), fieldGetScalar: shimmed } });
  return inst.exports as Record<string, (...a: unknown[]) => unknown>;
}

function failure(fn: () => unknown): GadgetError {
  try { callGuest('gadgetStart', 'gadgetStart', fn); } catch (e) { if (e instanceof GadgetError) return e; throw e; }
  throw new Error('expected a GadgetError');
}

describe('host: the host-call guard', () => {
  it('an exception inside a host function becomes a host error naming the function and its arguments', async () => {
    const x = await guest(brokenContext());
    const e = failure(() => x.gadgetStart());
    assert.equal(e.phase, 'gadgetStart');
    assert.match(e.problem, /^host error in gadgetLog\(level 0, message 0x500001000 \(addr 0x1000, len 5\)\): TypeError: .*please report/);
  });

  it('works for functions in the split i64 convention too (arguments as the guest passed them)', async () => {
    const x = await guest(brokenContext());
    const e = failure(() => x.read());
    assert.match(e.problem, /^host error in fieldGetScalar\(field 7, data 3, kind 8, errPtr 0\): RangeError: Offset is outside/);
  });

  it('the guest\'s own trap stays a trap, not a host error', async () => {
    const x = await guest(brokenContext());
    const e = failure(() => x.trap());
    assert.equal(e.problem, 'calling gadgetStart: wasm trap: unreachable');
  });

  it('HostFault is what the guest unwinds with (so embedders and the fuzzer can count host faults)', async () => {
    const x = await guest(brokenContext());
    assert.throws(() => x.read(), (err: unknown) => err instanceof HostFault && err.fn === 'fieldGetScalar');
  });

  it('every function with a split variant is guarded in it (a host bug there is a host error too)', () => {
    const splits = IG_FUNCTIONS.filter((d) => d.makeSplit && d.name.startsWith('map'));
    assert.ok(splits.length >= 2, 'mapLookup and mapUpdate have split variants');
    for (const d of splits) {
      const fn = implement(d, brokenContext(), true) as (...a: number[]) => unknown;
      const args = [1, ...new Array<number>(Object.keys(d.params).length - 1 + Object.values(d.params).filter((t) => t === 'i64').length).fill(0)];
      assert.throws(() => fn(...args), (e: unknown) => e instanceof HostFault && new RegExp(`^host error in ${d.name}\\(`).test(e.message), d.name);
    }
  });
});
