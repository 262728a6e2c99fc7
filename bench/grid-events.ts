// The benchmark's synthetic gadget: 8-field events shaped like a trace_open gadget's, as the host hands
// them out (PacketBatch, bigint for 64-bit fields). Shared by the Node and the in-browser parts of
// bench/grid.bench.ts.

import type { PacketBatch, Value } from '../src/host/api';
import type { WireDataSource } from '../src/webview/protocol';

export const benchDataSource: WireDataSource = {
  name: 'events', type: 'single', origin: 'host',
  fields: [
    { name: 'timestamp_raw', kind: 'uint64', annotations: { template: 'timestamp', 'columns.hidden': 'false' } },
    { name: 'pid', kind: 'uint32', annotations: { template: 'pid' } },
    { name: 'tid', kind: 'uint32', annotations: { template: 'tid' } },
    { name: 'uid', kind: 'uint32', annotations: { template: 'uid' } },
    { name: 'comm', kind: 'string', annotations: { template: 'comm' } },
    { name: 'fname', kind: 'string', annotations: { 'columns.width': '32', 'columns.ellipsis': 'start' } },
    { name: 'ret', kind: 'int32', annotations: {} },
    { name: 'mntns_id', kind: 'uint64', annotations: { 'columns.hidden': 'false', 'columns.hex': 'true' } },
  ],
};

const FIELDS = benchDataSource.fields.map((f) => f.name);
const COMMS = ['bash', 'cat', 'sleep', 'containerd', 'kubelet', 'node', 'python3', 'sshd'];
const FNAMES = Array.from({ length: 1000 }, (_, i) => `/proc/${i}/status`);

/** Events seq .. seq+n-1 as one host batch. */
export function makeBatch(seq: number, n: number): PacketBatch {
  const rows: Value[][] = new Array(n);
  const packet: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const k = seq + i;
    rows[i] = [1_700_000_000_000_000_000n + BigInt(k), 1000 + (k % 30000), 1000 + (k % 30011), k % 2000, COMMS[k % 8]!, FNAMES[k % 1000]!, k % 17 === 0 ? -2 : 0, 4026531840n + BigInt(k & 3)];
    packet[i] = k + 1;
  }
  return { datasource: 'events', fields: FIELDS, rows, packet };
}
