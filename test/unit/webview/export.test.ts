import * as assert from 'node:assert/strict';
import { buildColumns } from '../../../src/webview/columns';
import { csvField, defuseFormula, toCsv, toJsonLines, toJsonPretty, toTsv } from '../../../src/webview/export';

const cols = buildColumns([
  { name: 'k8s.namespace', kind: 'string', annotations: {} },
  { name: 'k8s.pod', kind: 'string', annotations: {} },
  { name: 'mntns_id', kind: 'uint64', annotations: { 'columns.hex': 'true' } },
  { name: 'ok', kind: 'bool', annotations: {} },
  { name: 'load', kind: 'float64', annotations: {} },
]);

describe('webview export', () => {
  const rows = [
    { values: ['default', 'web, "1"', '18446744073709551615', true, 0.5], packet: 1 },
    { values: ['kube-system', 'dns\nx', 7, false, null], packet: 2 },
  ];

  it('writes JSON Lines with dotted names nested like ig -o json and exact 64-bit numbers', () => {
    assert.equal(toJsonLines(rows, cols, false),
      '{"k8s":{"namespace":"default","pod":"web, \\"1\\""},"mntns_id":18446744073709551615,"ok":true,"load":0.5}\n' +
      '{"k8s":{"namespace":"kube-system","pod":"dns\\nx"},"mntns_id":7,"ok":false,"load":null}\n');
    assert.equal(toJsonLines([], cols, false), '');
    assert.match(toJsonLines(rows.slice(0, 1), cols, true), /^\{"_packet":1,"k8s"/);
  });

  it('writes one row as indented JSON with the same values as its JSON Lines (details pane)', () => {
    assert.equal(toJsonPretty(rows[0]!, cols, true), [
      '{',
      '  "_packet": 1,',
      '  "k8s": {',
      '    "namespace": "default",',
      '    "pod": "web, \\"1\\""',
      '  },',
      '  "mntns_id": 18446744073709551615,',
      '  "ok": true,',
      '  "load": 0.5',
      '}',
    ].join('\n'));
    assert.equal(toJsonPretty({ values: [], packet: 1 }, [], false), '{}');
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
