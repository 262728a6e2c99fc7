import * as assert from 'node:assert/strict';
import { DataSourceModel, inferDataSource } from '../../../src/webview/model';
import { rowsMessage, type RowsMessage, type WireDataSource } from '../../../src/webview/protocol';

const info: WireDataSource = { name: 'ds', type: 'single', origin: 'host', fields: [{ name: 'a', kind: 'int32', annotations: {} }, { name: 'b', kind: 'string', annotations: {} }] };
const msg = (from: number, n: number, fields = ['a', 'b']): RowsMessage => rowsMessage('ds', fields,
  Array.from({ length: n }, (_, i) => fields.map((f) => (f === 'a' ? from + i : f === 'b' ? `s${from + i}` : `x${from + i}`))),
  Array.from({ length: n }, (_, i) => from + i + 1));

describe('webview DataSourceModel', () => {
  it('counts received, shown and dropped rows with a ring of the configured size', () => {
    const m = new DataSourceModel(info, 10);
    m.append(msg(0, 25), false);
    m.view.update();
    assert.deepEqual([m.received, m.shown, m.dropped], [25, 10, 15]);
  });

  it('holds rows while paused (bounded by the ring size) and appends them on resume', () => {
    const m = new DataSourceModel(info, 10);
    m.append(msg(0, 3), false);
    m.append(msg(3, 8), true);
    m.append(msg(11, 4), true);
    assert.equal(m.heldCount, 10);
    assert.equal(m.pausedDropped, 2);
    m.view.update();
    assert.equal(m.shown, 3, 'the view does not move while paused');
    m.resume();
    m.view.update();
    assert.deepEqual(m.view.seqs().map((s) => m.ring.row(s)[0]), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    assert.equal(m.received, 15);
  });

  it('keeps the view on a bad filter and reports the error', () => {
    const m = new DataSourceModel(info, 10);
    m.append(msg(0, 5), false);
    assert.equal(m.setFilters('', 'a>=3'), null);
    m.view.update();
    assert.equal(m.shown, 2);
    assert.match(m.setFilters('', 'zz>1')!, /field "zz" not found/);
    m.view.update();
    assert.equal(m.shown, 2);
  });

  it('places rows whose field order differs by name, and learns unknown fields', () => {
    const m = new DataSourceModel(info, 10);
    m.append(msg(0, 1, ['b', 'a']), false);
    assert.deepEqual(m.ring.row(0), [0, 's0']);
    m.append(msg(1, 1, ['a', 'b', 'c']), false);
    assert.deepEqual(m.columns.map((c) => c.name), ['a', 'b', 'c']);
    assert.deepEqual(m.ring.row(1), [1, 's1', 'x1']);
  });

  it('keeps its rows when told the real kinds of a data source it had inferred', () => {
    const m = new DataSourceModel(inferDataSource(msg(0, 2)), 10);
    m.append(msg(0, 2), false);
    assert.equal(m.columns[0]!.kind, 'int64');
    m.update(info);
    m.view.update();
    assert.equal(m.columns[0]!.kind, 'int32');
    assert.equal(m.info.origin, 'host');
    assert.equal(m.shown, 2);
    m.update({ ...info, fields: [info.fields[1]!] });
    m.view.update();
    assert.equal(m.shown, 0, 'a different layout starts over');
  });

  it('infers a data source it was never told about from its rows', () => {
    const d = inferDataSource(rowsMessage('g', ['n', 'f', 's', 'b'], [[1, 1.5, 'x', true]], [1], [0]));
    assert.deepEqual(d.fields.map((f) => f.kind), ['int64', 'float64', 'string', 'bool']);
    assert.equal(d.type, 'array');
    assert.equal(d.origin, 'guest');
  });

  it('holds compactly encoded messages while paused and slices them exactly', () => {
    const wide: WireDataSource = { name: 'ds', type: 'single', origin: 'host', fields: [{ name: 'ts', kind: 'uint64', annotations: {} }, { name: 'comm', kind: 'string', annotations: {} }] };
    const m = new DataSourceModel(wide, 4);
    const enc = (first: number): RowsMessage => ({ type: 'rows', ds: 'ds', fields: ['ts', 'comm'], count: 3, packet: { first },
      columns: [{ base: '18446744073709551000', delta: [first, first + 1, first + 2] }, { dict: ['bash', 'cat'], idx: [0, 1, 0] }] });
    m.append(enc(1), true);
    m.append(enc(4), true);
    assert.deepEqual([m.heldCount, m.pausedDropped], [4, 2]);
    m.resume();
    m.view.update();
    assert.deepEqual(m.view.seqs().map((s) => [m.ring.packet(s), ...m.ring.row(s)]), [
      [3, '18446744073709551003', 'bash'], [4, '18446744073709551004', 'bash'], [5, '18446744073709551005', 'cat'], [6, '18446744073709551006', 'bash'],
    ]);
    assert.equal(m.ring.storage(0), 'int64');
  });

  it('matches the text filter against visible columns only, following show/hide', () => {
    const withHidden: WireDataSource = { name: 'ds', type: 'single', origin: 'host', fields: [{ name: 'a', kind: 'int32', annotations: {} }, { name: 'b', kind: 'string', annotations: { 'columns.hidden': 'true' } }] };
    const m = new DataSourceModel(withHidden, 10);
    m.append(msg(0, 3), false);
    assert.equal(m.setFilters('s1', ''), null);
    m.view.update();
    assert.equal(m.shown, 0, '"s1" is only in the hidden column b');
    m.prefs.visible['b'] = true;
    m.visibilityChanged();
    m.view.update();
    assert.deepEqual(m.view.seqs().map((s) => m.ring.row(s)[1]), ['s1']);
  });
});
