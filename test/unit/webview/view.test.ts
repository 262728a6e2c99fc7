import * as assert from 'node:assert/strict';
import { buildColumns } from '../../../src/webview/columns';
import { RowRing } from '../../../src/webview/ring';
import { compareValues } from '../../../src/webview/ring';
import { RowView } from '../../../src/webview/view';

const cols = buildColumns([{ name: 'n', kind: 'int64', annotations: {} }]);
const shown = (v: RowView, r: RowRing) => { v.update(); return v.seqs().map((s) => r.row(s)[0]); };

describe('webview RowView', () => {
  it('is the ring itself without filter or sort', () => {
    const r = new RowRing(3, 1);
    const v = new RowView(r);
    for (const n of [1, 2, 3, 4]) r.push([n], n);
    assert.deepEqual(shown(v, r), [2, 3, 4]);
    assert.equal(v.length, 3);
  });

  it('filters incrementally and drops evicted rows', () => {
    const r = new RowRing(4, 1);
    const v = new RowView(r);
    v.setFilter((row) => (row[0] as number) % 2 === 0);
    for (const n of [1, 2, 3, 4]) r.push([n], n);
    assert.deepEqual(shown(v, r), [2, 4]);
    for (const n of [5, 6, 7]) r.push([n], n);
    assert.deepEqual(shown(v, r), [4, 6], 'row 2 left the ring');
    v.setFilter(null);
    assert.deepEqual(shown(v, r), [4, 5, 6, 7]);
  });

  it('sorts, re-sorts after new rows, and keeps arrival order for ties', () => {
    const r = new RowRing(10, 1);
    const v = new RowView(r);
    for (const n of [3, 1, 2]) r.push([n], n);
    v.setSort({ column: cols[0]!, descending: false });
    assert.deepEqual(shown(v, r), [1, 2, 3]);
    r.push([0], 4);
    v.update();
    assert.equal(v.stale, true);
    v.resort();
    assert.deepEqual(v.seqs().map((s) => r.row(s)[0]), [0, 1, 2, 3]);
    v.setSort({ column: cols[0]!, descending: true });
    assert.deepEqual(shown(v, r), [3, 2, 1, 0]);
  });

  it('compares 64-bit decimal text exactly, nulls first', () => {
    assert.equal(compareValues('9007199254740993', '9007199254740992'), 1);
    assert.equal(compareValues(5, '9007199254740993'), -1);
    assert.equal(compareValues(null, 0), -1);
    assert.equal(compareValues('b', 'a'), 1);
    assert.equal(compareValues(false, true), -1);
  });
});
