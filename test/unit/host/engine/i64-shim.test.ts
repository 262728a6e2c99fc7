import * as assert from 'node:assert/strict';
import { HostMemory } from '../../../../src/host/engine/host-memory';
import { instantiateShims, shimmable } from '../../../../src/host/engine/i64-shim';

describe('host: i64 shims', () => {
  it('split i64 arguments into (lo, hi) halves and join an i64 result from lo and the hi cell', () => {
    const cell = new HostMemory();
    const calls: number[][] = [];
    const [f, g] = instantiateShims(cell, [
      {
        // (i64, i32, i64) -> i64: returns a + c, computed from the halves
        type: { params: ['i64', 'i32', 'i64'], results: ['i64'] },
        fn: (aLo, aHi, b, cLo, cHi) => {
          calls.push([aLo, aHi, b, cLo, cHi]);
          const sum = BigInt.asUintN(64, ((BigInt(aHi >>> 0) << 32n) | BigInt(aLo >>> 0)) + ((BigInt(cHi >>> 0) << 32n) | BigInt(cLo >>> 0)));
          cell.hi[0] = Number(sum >> 32n) | 0;
          return Number(sum & 0xffffffffn) | 0;
        },
      },
      { type: { params: ['i32', 'f64'], results: [] }, fn: (x, y) => { calls.push([x, y]); } },
    ]);
    assert.equal(f(-1n, 7, 2n), 1n); // -1 + 2 in 64 bits
    assert.deepEqual(calls[0], [-1, -1, 7, 2, 0]);
    assert.equal(f(0x7fffffff_ffffffffn, 0, 1n), -(2n ** 63n));
    assert.equal(f(0x1_0000_0000n, 0, 0xffff_ffffn), 0x1_ffff_ffffn);
    assert.equal(g(3, 1.5), undefined);
    assert.deepEqual(calls[3], [3, 1.5]);
  });

  it('errors thrown by the host function propagate through the shim', () => {
    const [f] = instantiateShims(new HostMemory(), [{ type: { params: ['i64'], results: ['i32'] }, fn: () => { throw new Error('boom'); } }]);
    assert.throws(() => f(1n), /boom/);
  });

  it('only numeric signatures with at most one result are shimmable', () => {
    assert.equal(shimmable({ params: ['i32', 'i64'], results: ['i64'] }), true);
    assert.equal(shimmable({ params: ['i32'], results: ['i32', 'i32'] }), false);
    assert.equal(shimmable({ params: ['externref'], results: [] }), false);
  });
});
