// Extension-side batching of the host's packet batches into `rows` messages for the grid page: values
// made serializable (bigint, Uint8Array), rows of one data source appended column by column to one
// pending message, sent
// on a timer (bounded latency) or when a message reaches its size limit (bounded message size).
// No `vscode` import: unit-tested and benchmarked in plain Node.

import type { PacketBatch, Value } from '../../host/api';
import type { RowsMessage, WireValue } from '../../webview/protocol';

export interface BatcherOptions {
  /** Longest a row waits before it is sent (ms). */
  flushMs?: number;
  /** Most rows in one message; a fuller pending message is sent at once. */
  maxRowsPerMessage?: number;
}

/** A host value as it travels to the page (see WireValue). */
export function toWire(v: Value | undefined | null): WireValue {
  switch (typeof v) {
    case 'number': case 'string': case 'boolean': return v;
    case 'bigint': {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v.toString();
    }
    case 'object':
      if (v instanceof Uint8Array) return bytesToHex(v);
      return null;
    default: return null;
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX[b[i]!];
  return s;
}

interface Pending {
  msg: RowsMessage;
  fieldsKey: string;
}

export class RowBatcher {
  private readonly flushMs: number;
  private readonly maxRows: number;
  private readonly pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  /** Rows converted so far (for status and the benchmark). */
  rowsIn = 0;

  constructor(private readonly send: (m: RowsMessage) => void, opts: BatcherOptions = {}) {
    this.flushMs = opts.flushMs ?? 25;
    this.maxRows = opts.maxRowsPerMessage ?? 5000;
  }

  push(batch: PacketBatch): void {
    if (this.disposed || batch.rows.length === 0) return;
    const fieldsKey = batch.fields.join('\u0000');
    let p = this.pending.get(batch.datasource);
    // A change of field list (a guest added a field) starts a new message: rows of one message share fields.
    if (p && p.fieldsKey !== fieldsKey) { this.sendOne(batch.datasource); p = undefined; }
    let m = (p ?? this.open(batch, fieldsKey)).msg;
    const n = batch.rows.length;
    const width = batch.fields.length;
    for (let i = 0; i < n; i++) {
      const src = batch.rows[i]!;
      const cols = m.columns;
      for (let j = 0; j < width; j++) {
        const v = src[j];
        // Inline fast path for the common kinds; toWire for bigint/bytes/missing.
        cols[j]!.push(typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : toWire(v));
      }
      m.packet.push(batch.packet[i]!);
      if (m.element) m.element.push(batch.element?.[i] ?? -1);
      if (++m.count >= this.maxRows) {
        this.sendOne(batch.datasource);
        if (i + 1 < n) m = this.open(batch, fieldsKey).msg;
      }
    }
    this.rowsIn += n;
    if (this.timer === undefined) this.timer = setTimeout(() => { this.timer = undefined; this.flush(); }, this.flushMs);
  }

  private open(batch: PacketBatch, fieldsKey: string): Pending {
    const p: Pending = { fieldsKey, msg: { type: 'rows', ds: batch.datasource, fields: batch.fields.slice(), count: 0, columns: batch.fields.map(() => []), packet: [] } };
    if (batch.element) p.msg.element = [];
    this.pending.set(batch.datasource, p);
    return p;
  }

  /** Send everything pending now. */
  flush(): void {
    if (this.timer !== undefined) { clearTimeout(this.timer); this.timer = undefined; }
    for (const ds of [...this.pending.keys()]) this.sendOne(ds);
  }

  get pendingRows(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.msg.count;
    return n;
  }

  /** Flush what is pending and stop accepting batches. */
  dispose(): void {
    this.flush();
    this.disposed = true;
  }

  private sendOne(ds: string): void {
    const p = this.pending.get(ds);
    if (!p) return;
    this.pending.delete(ds);
    if (p.msg.count) this.send(p.msg);
  }
}
