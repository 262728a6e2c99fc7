// The host-call fuzzer (test/fuzz/hostcalls.ts) in the unit suite: a bounded number of random calls to
// every host function of both revisions and WASI must raise no host exception. `npm run fuzz` runs many
// more. (Before the data-source check of field access, seeds 7 and 8 crashed within 10,000 calls.)
import * as assert from 'node:assert/strict';
import { fuzz, fuzzSeed, targets } from '../../fuzz/hostcalls';
import { IG_FUNCTIONS, WASI_FUNCTIONS } from '../../../src/host/abi/table';

describe('host-call fuzzer', function () {
  this.timeout(120000);

  it('covers every host function variant of the table', () => {
    const ts = targets();
    assert.equal(ts.length, IG_FUNCTIONS.length + WASI_FUNCTIONS.length);
    assert.ok(ts.some((t) => t.module === 'env' && t.def.name === 'fieldGet'), 'the seed revision');
    assert.ok(ts.some((t) => t.module === 'wasi_snapshot_preview1' && t.def.name === 'fd_write'), 'WASI');
  });

  it('is reproducible: a seed gives the same calls and outcomes', async () => {
    assert.deepEqual(await fuzzSeed(42, 3000), await fuzzSeed(42, 3000));
  });

  it('40,000 random host calls (seeds 1-8): no host exception', async () => {
    const r = await fuzz(40_000, 5_000);
    assert.equal(r.calls, 40_000);
    assert.equal(r.hostExceptions, 0, r.crashes.map((c) => `seed ${c.seed}, call #${c.call}: ${c.description}: ${c.error}`).join('\n'));
  });
});
