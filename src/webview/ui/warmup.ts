// Runs the page's hot paths once on made-up rows while the page loads, before the run's first packets:
// without it the first rows message and the first frames of a fast stream run cold code (parsed, compiled
// and interpreted on first use) exactly when the machine is busiest, starting the gadget. Nothing of it
// is shown or kept. The page runs it once idle after loading, unless rows came first (then it is too late).

import { DataSourceModel } from '../model';
import type { RowsMessage, WireDataSource } from '../protocol';
import { Table, newTableState } from './table';

const FIELDS: WireDataSource['fields'] = [
  { name: 'timestamp_raw', kind: 'uint64', annotations: { template: 'timestamp' } },
  { name: 'pid', kind: 'uint32', annotations: {} },
  { name: 'comm', kind: 'string', annotations: {} },
  { name: 'fname', kind: 'string', annotations: { 'columns.width': '12', 'columns.ellipsis': 'middle' } },
  { name: 'ret', kind: 'int32', annotations: {} },
  { name: 'flags', kind: 'uint64', annotations: { 'columns.hex': 'true' } },
  { name: 'ok', kind: 'bool', annotations: {} },
];

function message(first: number, n: number): RowsMessage {
  const seq = Array.from({ length: n }, (_, i) => first + i);
  return {
    type: 'rows', ds: 'warm-up', fields: FIELDS.map((f) => f.name), count: n, packet: { first: first + 1 },
    columns: [
      { base: '1700000000000000000', delta: seq },
      seq.map((k) => 1000 + (k % 3000)),
      { dict: ['bash', 'cat', 'sleep'], idx: seq.map((k) => k % 3) },
      seq.map((k) => `/proc/${k}/status`),
      seq.map((k) => (k % 7 ? 0 : -2)),
      seq.map((k) => 4026531840 + (k & 3)),
      seq.map((k) => k % 2 === 0),
    ],
  };
}

export function warmUp(): void {
  const t0 = performance.now();
  const model = new DataSourceModel({ name: 'warm-up', type: 'single', origin: 'host', fields: FIELDS }, 4096);
  const table = new Table({ prefsChanged: () => undefined, sortChanged: () => undefined, copy: () => undefined, selectionChanged: () => undefined });
  table.bind(model, newTableState());
  for (let k = 0; k < 4; k++) {
    model.append(message(k * 1000, 1000), false);
    model.view.update();
    table.render();
  }
  table.dispose();
  // Visible in DevTools' performance panel (User Timing) as "grid warm-up".
  performance.measure('grid warm-up', { start: t0 });
}
