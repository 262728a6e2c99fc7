// `ig run -o json` lines → the grid's data sources and packet batches (real recordings: the example
// gadget's recorded.jsonl and trace_tcp's events from IG's docs).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { HostEvent, PacketBatch } from '../../../../src/host/api';
import { JsonEventDecoder, parseJsonLine } from '../../../../src/workbench/engines';

const ROOT = resolve(__dirname, '../../../../..');
const lines = (file: string): string[] => readFileSync(resolve(ROOT, file), 'utf8').split('\n');
const batches = (events: HostEvent[]): PacketBatch[] => events.flatMap((e) => (e.type === 'packets' ? [e.batch] : []));

describe('engines: JSON events', () => {
  it('the hello recording: one batch, nested objects as dotted fields, kinds from the object where it names them', () => {
    const d = new JsonEventDecoder([{ name: 'open', fields: [{ name: 'comm', kind: 'string' }, { name: 'pid', kind: 'uint32' }, { name: 'mntns_id', kind: 'uint64' }] }]);
    const { events, problems } = d.decode(lines('examples/hello/recorded.jsonl'), 1);
    assert.deepEqual(problems, []);
    // The new fields (filename, k8s.*, runtime.*) are announced before the rows that have them.
    assert.deepEqual(events.map((e) => e.type), ['datasources', 'packets']);
    const [b] = batches(events);
    assert.equal(b.datasource, 'open');
    assert.deepEqual(b.fields.slice(0, 5), ['comm', 'pid', 'mntns_id', 'filename', 'k8s.container']);
    assert.ok(b.fields.includes('runtime.containerImageName'));
    assert.deepEqual(b.packet, [1, 2, 3]);
    const col = (f: string): unknown[] => b.rows.map((r) => r[b.fields.indexOf(f)]);
    assert.deepEqual(col('comm'), ['cat', 'sh', 'vi']);
    assert.deepEqual(col('pid'), [121351, 121360, 121377]);
    assert.deepEqual(col('k8s.hostnetwork'), [false, false, true]);
    const ds = d.datasources[0];
    assert.equal(ds.fields.find((f) => f.name === 'pid')?.kind, 'uint32');
    assert.equal(ds.fields.find((f) => f.name === 'k8s.hostnetwork')?.kind, 'bool');
    assert.equal(ds.fields.find((f) => f.name === 'runtime.runtimeName')?.kind, 'string');
  });

  it('64-bit integers stay exact; strings holding digits are untouched', () => {
    const d = new JsonEventDecoder([{ name: 'tcp', fields: [] }]);
    const [b] = batches(d.decode(lines('test/fixtures/engines/trace_tcp.jsonl'), 1).events);
    const raw = b.rows.map((r) => r[b.fields.indexOf('timestamp_raw')]);
    assert.deepEqual(raw, [1722451111977700392n, 1722451156455283441n]);
    assert.equal(b.rows[0][b.fields.indexOf('src.port')], 41464);
    assert.equal(b.rows[0][b.fields.indexOf('runtime.containerId')], '53225e24386f30ac68a58cd57c1689590875e4904f9449d0c19835f68da0c0b6');
    assert.deepEqual(parseJsonLine('{"a":"12345678901234567890","b":[-9223372036854775808,1.5e300],"c":"x\\"1234567890123456789"}'),
      { a: '12345678901234567890', b: [-9223372036854775808n, 1.5e300], c: 'x"1234567890123456789' });
  });

  it('several data sources: each line goes where its keys match, in order, with its own packet numbers', () => {
    const d = new JsonEventDecoder([
      { name: 'open', fields: [{ name: 'fname' }, { name: 'pid' }] },
      { name: 'exec', fields: [{ name: 'args' }, { name: 'pid' }] },
    ]);
    const { events } = d.decode(['{"fname":"/a","pid":1}', '{"args":"ls","pid":2}', '{"args":"cat","pid":3}', '{"fname":"/b","pid":4}'], 1);
    assert.deepEqual(batches(events).map((b) => [b.datasource, b.packet]), [['open', [1]], ['exec', [1, 2]], ['open', [2]]]);
  });

  it('an array line is one packet of an array data source, one row per element', () => {
    const d = new JsonEventDecoder([{ name: 'top', type: 'array', fields: [{ name: 'comm', kind: 'string' }, { name: 'n', kind: 'uint64' }] }]);
    const [b] = batches(d.decode(['[{"comm":"a","n":1},{"comm":"b","n":2}]', '[{"comm":"c","n":3}]'], 1).events);
    assert.deepEqual(b.packet, [1, 1, 2]);
    assert.deepEqual(b.element, [0, 1, 0]);
    assert.deepEqual(b.rows, [['a', 1], ['b', 2], ['c', 3]]);
  });

  it('bad lines are problems with their line numbers; the others still count', () => {
    const d = new JsonEventDecoder([{ name: 'x', fields: [{ name: 'a', kind: 'string' }] }]);
    const { events, problems } = d.decode(['{"a":"1"}', 'RUNTIME.CONTAINERNAME  COMM', '42', '{"a":"2"}'], 10);
    assert.deepEqual(problems.map((p) => p.line), [11, 12]);
    assert.match(problems[0].message, /not a JSON event/);
    assert.deepEqual(batches(events)[0].rows, [['1'], ['2']]);
  });

  it('absent values are the zero value, arrays and nested lists shown as JSON text', () => {
    const d = new JsonEventDecoder([{ name: 'x', fields: [{ name: 's', kind: 'string' }, { name: 'n', kind: 'uint32' }, { name: 'b', kind: 'bool' }, { name: 'arr', kind: 'arrayofuint16' }] }]);
    const [b] = batches(d.decode(['{"arr":[1,2]}'], 1).events);
    assert.deepEqual(b.rows[0], ['', 0, false, '[1,2]']);
    assert.equal(d.datasources[0].fields[3].kind, 'string');
  });
});
