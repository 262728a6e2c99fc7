// The grid's JSON Lines export against `ig-wasm run -o json` of the same run: the rows the grid receives
// (host values through the extension's wire conversion) exported by the page's code equal, byte for
// byte, what the CLI prints for the same events.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseEventsFile } from '../../../src/events/parse';
import type { DataSourceInfo, PacketBatch } from '../../../src/host/api';
import { toWireDataSource } from '../../../src/extension/grid/wire';
import { toWire } from '../../../src/extension/grid/batcher';
import { toJsonLines, toJsonPretty, type ExportRow } from '../../../src/webview/export';
import { EmbeddedEngine } from '../../../src/workbench/run';
import { compileWat } from '../../support/wat';
import { NOOP_WAT, TempDir, cli } from '../cli/helpers';


const SINGLE = `datasources:
  ev:
    fields:
      k8s.pod: string
      k8s.namespace: string
      id: uint64
      neg: int64
      small: uint16
      ratio: float32
      ok: bool
      raw: bytes
      ports: arrayofuint16
events:
  - datasource: ev
    data: {k8s.pod: "web \\"1\\"", k8s.namespace: default, id: 18446744073709551615, neg: -9223372036854775808, small: 7, ratio: 0.1, ok: true, raw: 3q0=, ports: [80, 443]}
  - datasource: ev
    data: {k8s.pod: "tab\\there\\u2028", k8s.namespace: kube-system, id: 12, neg: -1, small: 0, ratio: 1.5, ok: false, raw: "", ports: []}
`;

/** The grid's view of a run: its data sources as sent to the page and its rows as the page holds them. */
async function gridRun(wasm: Uint8Array, file: string, text: string): Promise<{ ds: DataSourceInfo[]; rows: Map<string, ExportRow[]> }> {
  const events = parseEventsFile(text, file);
  const run = new EmbeddedEngine().start({
    gadget: { name: 'noop', folder: '.' }, wasm, params: {}, config: {}, dataSources: events.dataSources, kernel: {}, events,
    untilStopped: false, logLevel: 'info', callTimeoutMs: 5000,
  });
  let ds: DataSourceInfo[] = [];
  const batches: PacketBatch[] = [];
  run.onEvent((e) => {
    if (e.type === 'datasources') ds = e.datasources;
    if (e.type === 'packets') batches.push(e.batch);
  });
  const result = await run.done;
  assert.equal(result.ok, true, JSON.stringify(result.error));
  const rows = new Map<string, ExportRow[]>();
  for (const b of batches) {
    // The page keeps values in the data source's field order.
    const info = ds.find((d) => d.name === b.datasource)!;
    const at = info.fields.map((f) => b.fields.indexOf(f.name));
    const list = rows.get(b.datasource) ?? [];
    b.rows.forEach((r, i) => list.push({ values: at.map((j) => toWire(r[j])), packet: b.packet[i]! }));
    rows.set(b.datasource, list);
  }
  return { ds, rows };
}

describe('webview export equals ig-wasm run -o json', function () {
  this.timeout(60_000);
  let tmp: TempDir;
  let wasmFile: string;
  let wasm: Uint8Array;
  before(async () => {
    tmp = new TempDir();
    wasm = await compileWat(NOOP_WAT);
    wasmFile = tmp.file('noop.wasm', wasm);
  });
  after(() => tmp.remove());

  async function compare(name: string, text: string, dsName: string): Promise<string> {
    const file = tmp.file(name, text);
    const r = cli('run', wasmFile, '--events', file, '-o', 'json');
    assert.equal(r.status, 0, r.stderr);
    const { ds, rows } = await gridRun(wasm, file, readFileSync(file, 'utf8'));
    const info = toWireDataSource(ds.find((d) => d.name === dsName)!, undefined, undefined);
    const exported = toJsonLines(rows.get(dsName) ?? [], info.fields, info.type === 'array');
    assert.equal(exported, r.stdout);
    return exported;
  }

  it('single packets: nested names, 64-bit extremes, float32, bytes, numeric arrays, Go escapes', async () => {
    const out = await compare('single.yaml', SINGLE, 'ev');
    assert.match(out, /"id":18446744073709551615,.*"neg":-9223372036854775808,"ok":true,"ports":\[80,443\],"ratio":0\.1,"raw":"dead"/);
  });

  it('array packets: one JSON array per packet', async () => {
    const out = await compare('top.jsonl', '[{"pid":1,"cpu":0.5},{"pid":2,"cpu":1.5}]\n[{"pid":3,"cpu":2}]\n', 'top');
    assert.equal(out, '[{"cpu":0.5,"pid":1},{"cpu":1.5,"pid":2}]\n[{"cpu":2,"pid":3}]\n');
  });

  it('the details pane shows a row as -o jsonpretty prints it', async () => {
    const file = tmp.file('one.yaml', SINGLE);
    const pretty = cli('run', wasmFile, '--events', file, '-o', 'jsonpretty');
    const { ds, rows } = await gridRun(wasm, file, SINGLE);
    const info = toWireDataSource(ds[0]!, undefined, undefined);
    assert.equal(toJsonPretty(rows.get('ev')![0]!.values, info.fields), pretty.stdout.split('\n}\n')[0] + '\n}');
  });
});
