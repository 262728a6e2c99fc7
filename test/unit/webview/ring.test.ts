import * as assert from 'node:assert/strict';
import { RowRing, storageFor } from '../../../src/webview/ring';
import type { PageColumn } from '../../../src/webview/protocol';

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

  it('stores numeric kinds in typed arrays, exactly, with nulls', () => {
    assert.deepEqual(['uint32', 'float64', 'int64', 'uint64', 'string', 'bool', 'bytes'].map((k) => storageFor(k as never)), ['num', 'num', 'int64', 'int64', 'any', 'any', 'any']);
    const r = new RowRing(4, ['num', 'int64', 'any']);
    r.pushColumns([[4026531840, -1.5, null], [2 ** 53 - 1, '18446744073709551615', '-9223372036854775808'], ['a', 'b', 'c']], 3, [1, 2, 3]);
    assert.deepEqual([r.storage(0), r.storage(1)], ['num', 'int64'], 'values that fit keep the typed storage');
    assert.deepEqual([0, 1, 2].map((s) => r.row(s)), [
      [4026531840, 2 ** 53 - 1, 'a'],
      [-1.5, '18446744073709551615', 'b'],
      [null, '-9223372036854775808', 'c'],
    ]);
  });

  it('decodes base + offset columns across the 32-bit carry, for negative values too', () => {
    const r = new RowRing(8, ['int64', 'int64']);
    const ts: PageColumn = { base: '1700000000004294967290', delta: [0, 5, 6, 7, 4294967296 * 3 + 1] };
    const neg: PageColumn = { base: '-4294967297', delta: [0, 1, 2, 4294967297, 4294967298] };
    r.pushColumns([ts, neg], 5, [1, 2, 3, 4, 5]);
    assert.deepEqual([0, 1, 2, 3, 4].map((s) => r.value(s, 0)), (['0', '5', '6', '7', String(4294967296 * 3 + 1)]).map((d) => (1700000000004294967290n + BigInt(d)).toString()));
    assert.deepEqual([0, 1, 2, 3, 4].map((s) => r.value(s, 1)), [-4294967297, -4294967296, -4294967295, 0, 1]);
  });

  it('interns dictionary strings and writes nulls for -1', () => {
    const r = new RowRing(4, ['any']);
    r.pushColumns([{ dict: ['bash', 'cat'], idx: [0, 1, -1, 0] }], 4, [1, 2, 3, 4]);
    assert.deepEqual([0, 1, 2, 3].map((s) => r.value(s, 0)), ['bash', 'cat', null, 'bash']);
  });

  it('turns a typed column into a plain one when a value does not fit, keeping the rows held', () => {
    const r = new RowRing(3, ['num', 'int64']);
    r.pushColumns([[1, 2], ['10', '20']], 2, [1, 2]);
    r.pushColumns([['three', 4], [1.5, 40]], 2, [3, 4]);
    assert.deepEqual([r.storage(0), r.storage(1)], ['any', 'any']);
    assert.deepEqual([1, 2, 3].map((s) => r.row(s)), [[2, 20], ['three', 1.5], [4, 40]]);
  });

  it('compares typed values in place: nulls first, 64-bit exactly', () => {
    const r = new RowRing(5, ['int64', 'num']);
    r.pushColumns([['18446744073709551615', '18446744073709551614', null, '-1', '0'], [3, null, 1, 2, 2]], 5, [1, 2, 3, 4, 5]);
    const order = (col: number) => [0, 1, 2, 3, 4].sort((a, b) => r.compare(a, b, col) || a - b);
    assert.deepEqual(order(0), [2, 3, 4, 1, 0]);
    assert.deepEqual(order(1), [1, 2, 3, 4, 0]);
    // Offsets that carry into the high half compare right against values that arrived as plain numbers.
    const c = new RowRing(2, ['int64']);
    c.pushColumns([[4294967297]], 1, [1]);
    c.pushColumns([{ base: '4294967290', delta: [10] }], 1, [2]);
    assert.deepEqual([c.value(0, 0), c.value(1, 0), c.compare(1, 0, 0)], [4294967297, 4294967300, 1]);
  });
});
