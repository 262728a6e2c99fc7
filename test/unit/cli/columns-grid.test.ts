// The CLI's `-o columns` and the grid render the same annotated fields the same way: one gadget.yaml, one
// batch of rows, fed to the CLI's printer and, through the batcher's wire encoding, to the grid's model.
import * as assert from 'node:assert/strict';
import type { DataSourceInfo, PacketBatch, Value } from '../../../src/host/api';
import { ColumnsPrinter, type Sinks } from '../../../src/cli/output';
import { readMetadata } from '../../../src/cli/run';
import { RowBatcher } from '../../../src/extension/grid/batcher';
import { toWireDataSource } from '../../../src/extension/grid/wire';
import { cellText, headerText, padCell } from '../../../src/metadata/columns';
import { readGadgetMetadata } from '../../../src/metadata/read';
import { isVisible } from '../../../src/webview/columns';
import { DataSourceModel } from '../../../src/webview/model';
import type { RowsMessage } from '../../../src/webview/protocol';

const GADGET_YAML = `name: parity
datasources:
  open:
    fields:
      comm:
        annotations:
          template: comm
      pid:
        annotations:
          template: pid
      flags:
        annotations:
          columns.hex: "true"
          columns.width: 10
      path:
        annotations:
          columns.width: 8
          columns.ellipsis: start
      host:
        annotations:
          template: node
          columns.width: 9
      secret:
        annotations:
          columns.hidden: "true"
      ratio:
        annotations:
          columns.width: 6
      big: {}
      raw: {}
      ports:
        annotations:
          columns.width: 10
`;

const INFO: DataSourceInfo = {
  name: 'open', type: 'single', origin: 'host',
  fields: ([['comm', 'string'], ['pid', 'uint32'], ['flags', 'int32'], ['path', 'string'], ['host', 'string'], ['secret', 'string'],
    ['ratio', 'float64'], ['big', 'uint64'], ['raw', 'bytes'], ['ports', 'arrayofuint16']] as const).map(([name, kind]) => ({ name, kind, tags: [], origin: 'host' as const })),
};

const ROWS: Value[][] = [
  ['bash', 7, -26, '/usr/lib/x86_64/libc.so', 'node-abcdefghij', 'x', 0.5, 2n ** 63n + 5n, new Uint8Array([1, 2, 255]), new Uint8Array([0x50, 0, 0xbb, 1])],
  ['a-very-long-command-name', 1234567, 255, '/a', 'n1', 'y', 1 / 3, 1n, new Uint8Array(), new Uint8Array()],
];

const BATCH: PacketBatch = { datasource: 'open', fields: INFO.fields.map((f) => f.name), rows: ROWS, packet: [1, 2] };

function cliLines(): string[] {
  const out: string[] = [];
  const sinks: Sinks = { out: (s) => { out.push(s); }, err: () => {} };
  const p = new ColumnsPrinter(sinks, 'info', readMetadata(GADGET_YAML, 'gadget.yaml').columns);
  p.event({ type: 'datasources', datasources: [INFO] });
  p.event({ type: 'packets', batch: BATCH });
  p.flush();
  return out.join('').split('\n').slice(0, -1);
}

/** The grid's columns and cell texts (at each column's width), laid out as fixed-width text to compare. */
function gridLines(): string[] {
  const msgs: RowsMessage[] = [];
  const batcher = new RowBatcher((m) => msgs.push(m));
  batcher.push(BATCH);
  batcher.dispose();
  const model = new DataSourceModel(toWireDataSource(INFO, readGadgetMetadata(GADGET_YAML), undefined), 100);
  for (const m of msgs) model.append(m, false);
  model.view.update();
  const cols = model.columns.filter((c) => isVisible(c, model.prefs));
  return [
    cols.map(headerText).join(' '),
    ...model.view.seqs().map((seq) => cols.map((c) => padCell(cellText(model.ring.value(seq, c.index), c, c.width), c.width, c.alignment)).join(' ')),
  ];
}

describe('columns: the CLI and the grid render a field the same way', () => {
  it('widths, alignment, ellipsis, hex, hidden, bytes, arrays and 64-bit values are identical', () => {
    const cli = cliLines();
    assert.deepEqual(gridLines(), cli);
    // And they are IG's rules, not just the same mistake twice.
    const L = (s: string, w: number): string => s.padEnd(w);
    const R = (s: string, w: number): string => s.padStart(w);
    assert.deepEqual(cli, [
      [L('COMM', 16), R('PID', 10), L('FLAGS', 10), L('PATH', 8), L('HOST', 9), L('RATIO', 6), L('BIG', 20), L('RAW', 16), L('PORTS', 10)].join(' '),
      [L('bash', 16), R('7', 10), L('0x-1A', 10), '…libc.so', 'node…ghij', L('0.5', 6), L('9223372036854775813', 20), L('<3 bytes>', 16), L('<4 bytes>', 10)].join(' '),
      ['a-very-long-com…', R('1234567', 10), L('0xFF', 10), L('/a', 8), L('n1', 9), '0.333…', L('1', 20), L('<0 bytes>', 16), L('<0 bytes>', 10)].join(' '),
    ]);
  });
});
