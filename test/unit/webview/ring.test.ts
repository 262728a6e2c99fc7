import * as assert from 'node:assert/strict';
import { RowRing } from '../../../src/webview/ring';

describe('webview RowRing', () => {
  it('keeps the newest rows up to its capacity and counts the dropped ones', () => {
    const r = new RowRing(3, 1);
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
    const r = new RowRing(4, 1);
    r.push(['a'], 7, 0);
    r.push(['b'], 7, 1);
    assert.deepEqual([r.element(0), r.element(1)], [0, 1]);
    assert.deepEqual([r.packet(0), r.packet(1)], [7, 7]);
  });

  it('clears without reusing seqs', () => {
    const r = new RowRing(4, 1);
    r.push([1], 1);
    r.push([2], 2);
    r.clear();
    assert.equal(r.size, 0);
    assert.equal(r.push([3], 3), 2);
    assert.equal(r.row(2)[0], 3);
    assert.equal(r.dropped, 0);
  });

  it('appends rows given as columns, wrapping around, with a field map', () => {
    const r = new RowRing(4, 3);
    r.pushColumns([[1, 2, 3], ['a', 'b', 'c']], 3, [10, 11, 12]);
    assert.deepEqual(r.row(0), [1, 'a', null], 'columns the message lacks are null');
    // Message columns in another order, one unknown (-1); wraps past the end of the arrays.
    r.pushColumns([['x', 'y'], [4, 5], [true, false]], 2, [13, 14], [0, 1], [1, 0, -1]);
    assert.deepEqual([r.firstSeq, r.nextSeq, r.dropped], [1, 5, 1]);
    assert.deepEqual([1, 2, 3, 4].map((s) => r.row(s)), [[2, 'b', null], [3, 'c', null], [4, 'x', null], [5, 'y', null]]);
    assert.deepEqual([r.packet(4), r.element(4), r.element(2)], [14, 1, -1]);
    assert.equal(r.value(3, 1), 'x');
  });

  it('takes missing columns of a malformed message as null instead of failing', () => {
    const r = new RowRing(2, 2);
    r.pushColumns([[1]], 1, [1]);
    assert.deepEqual(r.row(0), [1, null]);
  });

  it('keeps the last rows of a message bigger than the ring', () => {
    const r = new RowRing(3, 1);
    r.pushColumns([[1, 2, 3, 4, 5, 6, 7]], 7, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual([r.firstSeq, r.nextSeq, r.dropped], [4, 7, 4]);
    assert.deepEqual([4, 5, 6].map((s) => [r.value(s, 0), r.packet(s)]), [[5, 5], [6, 6], [7, 7]]);
  });

  it('widens rows with new columns', () => {
    const r = new RowRing(2, 1);
    r.push([1], 1);
    r.addColumns(1);
    r.push([2, 'b'], 2);
    assert.deepEqual([r.row(0), r.row(1)], [[1, null], [2, 'b']]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    assert.throws(() => new RowRing(0), /positive integer, got 0/);
    assert.throws(() => new RowRing(1.5), /positive integer/);
  });
});
