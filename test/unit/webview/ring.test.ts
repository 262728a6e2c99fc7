import * as assert from 'node:assert/strict';
import { RowRing } from '../../../src/webview/ring';

describe('webview RowRing', () => {
  it('keeps the newest rows up to its capacity and counts the dropped ones', () => {
    const r = new RowRing(3);
    for (let i = 0; i < 5; i++) r.push([i], i + 1, -1);
    assert.equal(r.size, 3);
    assert.equal(r.dropped, 2);
    assert.equal(r.firstSeq, 2);
    assert.equal(r.nextSeq, 5);
    assert.deepEqual([2, 3, 4].map((s) => r.row(s)[0]), [2, 3, 4]);
    assert.deepEqual([2, 3, 4].map((s) => r.packet(s)), [3, 4, 5]);
    assert.equal(r.has(1), false);
    assert.throws(() => r.row(1), /row 1 is not in the ring \[2, 5\)/);
  });

  it('keeps element indexes of array rows', () => {
    const r = new RowRing(4);
    r.push(['a'], 7, 0);
    r.push(['b'], 7, 1);
    assert.deepEqual([r.element(0), r.element(1)], [0, 1]);
    assert.deepEqual([r.packet(0), r.packet(1)], [7, 7]);
  });

  it('clears without reusing seqs', () => {
    const r = new RowRing(4);
    r.push([1], 1);
    r.push([2], 2);
    r.clear();
    assert.equal(r.size, 0);
    assert.equal(r.push([3], 3), 2);
    assert.equal(r.row(2)[0], 3);
    assert.equal(r.dropped, 0);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new RowRing(0), /positive integer, got 0/);
    assert.throws(() => new RowRing(1.5), /positive integer/);
  });
});
