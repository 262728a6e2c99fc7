import * as assert from 'node:assert/strict';
import { buildColumns } from '../../../src/webview/columns';
import { csvField, defuseFormula, toCsv, toJsonLines, toJsonPretty, toTsv } from '../../../src/webview/export';
import type { WireField } from '../../../src/webview/protocol';

const fields: WireField[] = [
  { name: 'k8s.namespace', kind: 'string', annotations: {} },
  { name: 'k8s.pod', kind: 'string', annotations: {} },
  { name: 'mntns_id', kind: 'uint64', annotations: { 'columns.hex': 'true' } },
  { name: 'ok', kind: 'bool', annotations: {} },
  { name: 'load', kind: 'float64', annotations: {} },
];
const cols = buildColumns(fields);

describe('webview export', () => {
  const rows = [
    { values: ['default', 'web, "1"', '18446744073709551615', true, 0.5], packet: 1 },
    { values: ['kube-system', 'dns\nx', 7, false, null], packet: 2 },
  ];

  it('writes JSON Lines as ig -o json: dotted names nested, keys sorted, exact 64-bit numbers', () => {
    assert.equal(toJsonLines(rows, fields, false),
      '{"k8s":{"namespace":"default","pod":"web, \\"1\\""},"load":0.5,"mntns_id":18446744073709551615,"ok":true}\n' +
      '{"k8s":{"namespace":"kube-system","pod":"dns\\nx"},"load":null,"mntns_id":7,"ok":false}\n');
    assert.equal(toJsonLines([], fields, false), '');
  });

  it('writes an array data source\'s packet as one JSON array of its shown rows', () => {
    const arr = [{ values: ['a', 'p', 1, true, 1], packet: 3 }, { values: ['b', 'q', 2, false, 2], packet: 4 }, { values: ['c', 'r', 3, true, 3], packet: 3 }];
    const lines = toJsonLines(arr, fields, true).trimEnd().split('\n').map((l) => JSON.parse(l) as { mntns_id: number }[]);
    assert.deepEqual(lines.map((p) => p.map((e) => e.mntns_id)), [[1, 3], [2]]);
  });

  it('writes one row as ig -o jsonpretty does (details pane)', () => {
    assert.equal(toJsonPretty(rows[0]!.values, fields), [
      '{',
      '  "k8s": {',
      '    "namespace": "default",',
      '    "pod": "web, \\"1\\""',
      '  },',
      '  "load": 0.5,',
      '  "mntns_id": 18446744073709551615,',
      '  "ok": true',
      '}',
    ].join('\n'));
  });

  it('writes CSV per RFC 4180 with raw values', () => {
    assert.equal(toCsv(rows, cols, false),
      'k8s.namespace,k8s.pod,mntns_id,ok,load\r\n' +
      'default,"web, ""1""",18446744073709551615,true,0.5\r\n' +
      'kube-system,"dns\nx",7,false,\r\n');
    assert.match(toCsv(rows, cols, true), /^_packet,k8s.namespace/);
    assert.equal(csvField('a"b'), '"a""b"');
  });

  it('defuses CSV text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    const evil = [{ values: ['=HYPERLINK("http://x","y")', '@SUM(A1)', '-2', -2, null], packet: 1 }, { values: ['+1', '\t=1', 'a=b', '-9223372036854775808', 1.5], packet: 2 }];
    const signed = buildColumns([
      { name: 'a', kind: 'string', annotations: {} }, { name: 'b', kind: 'string', annotations: {} }, { name: 'c', kind: 'string', annotations: {} },
      { name: 'n', kind: 'int64', annotations: {} }, { name: 'f', kind: 'float64', annotations: {} },
    ]);
    assert.equal(toCsv(evil, signed, false),
      'a,b,c,n,f\r\n' +
      '"\'=HYPERLINK(""http://x"",""y"")",\'@SUM(A1),\'-2,-2,\r\n' +
      '\'+1,\'\t=1,a=b,-9223372036854775808,1.5\r\n');
    assert.equal(defuseFormula('plain'), 'plain');
  });

  it('writes tab-separated text for the clipboard', () => {
    assert.equal(toTsv([['1', 'a\tb']], ['#', 'x']), '#\tx\n1\ta b\n');
  });
});
