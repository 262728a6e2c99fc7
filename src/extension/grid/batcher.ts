// Extension-side batching of the host's packet batches into `rows` messages for the grid page: rows of one
// data source appended column by column to one pending message, sent on a timer (bounded latency) or when
// a message reaches its size limit (bounded message size). On sending, each column is made serializable
// (bigint, Uint8Array) in its most compact encoding: repeated strings as a dictionary, 64-bit integers
// beyond 2^53 as base + offsets (see protocol.ts). No `vscode` import: unit-tested and benchmarked in Node.

import type { PacketBatch, Value } from '../../host/api';
import { bytesToHex } from '../../metadata/columns';
import type { PacketColumn, PageColumn, RowsMessage, WireValue } from '../../webview/protocol';

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

/**
 * A column as it is sent: dictionary-encoded when its strings repeat, base + offsets when its 64-bit
 * integers don't fit a double (and are close together, as timestamps are), plain values otherwise.
 */
export function encodeColumn(raw: readonly Value[]): PageColumn {
  const first = raw[0];
  if (typeof first === 'string') return dictColumn(raw) ?? raw.map(toWire);
  if (typeof first === 'bigint') return int64Column(raw) ?? raw.map(toWire);
  return raw.map(toWire);
}

/** null when the column isn't all strings, or when they barely repeat (a dictionary would only add). */
function dictColumn(raw: readonly Value[]): PageColumn | null {
  const n = raw.length;
  const ids = new Map<string, number>();
  const dict: string[] = [];
  const idx = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (typeof v !== 'string') return null;
    let k = ids.get(v);
    if (k === undefined) {
      k = dict.length;
      ids.set(v, k);
      dict.push(v);
      if (k > 16 && k * 2 > n) return null;
    }
    idx[i] = k;
  }
  return dict.length * 2 <= n ? { dict, idx } : null;
}

/** null when all values are safe integers anyway, or some aren't bigint, or they are too far apart. */
function int64Column(raw: readonly Value[]): PageColumn | null {
  const n = raw.length;
  if (n < 2) return null;
  const base = raw[0] as bigint;
  if (Number.isSafeInteger(Number(base))) {
    // Plain numbers when every value is safe (the common case for pids, ids, inode numbers).
    let safe = true;
    for (let i = 1; i < n && safe; i++) { const v = raw[i]; safe = typeof v === 'bigint' && Number.isSafeInteger(Number(v)); }
    if (safe) return null;
  }
  const delta = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = raw[i];
    if (typeof v !== 'bigint') return null;
    const d = Number(v - base);
    if (!Number.isSafeInteger(d)) return null;
    delta[i] = d;
  }
  return { base: base.toString(), delta };
}

/** `{ first }` for consecutive packet numbers (every row its own packet), else the numbers. */
function packetColumn(p: number[]): PacketColumn {
  if (p.length < 2) return p;
  const first = p[0]!;
  for (let i = 1; i < p.length; i++) if (p[i] !== first + i) return p;
  return { first };
}

interface Pending {
  msg: RowsMessage;
  /** The message's columns as the host gave them, encoded on sending. */
  raw: Value[][];
  packets: number[];
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
    let cur = p ?? this.open(batch, fieldsKey);
    const n = batch.rows.length;
    const width = batch.fields.length;
    for (let i = 0; i < n; i++) {
      const src = batch.rows[i]!;
      const cols = cur.raw;
      for (let j = 0; j < width; j++) cols[j]!.push(src[j] ?? null);
      const m = cur.msg;
      cur.packets.push(batch.packet[i]!);
      if (m.element) m.element.push(batch.element?.[i] ?? -1);
      if (++m.count >= this.maxRows) {
        this.sendOne(batch.datasource);
        if (i + 1 < n) cur = this.open(batch, fieldsKey);
      }
    }
    this.rowsIn += n;
    if (this.timer === undefined) this.timer = setTimeout(() => { this.timer = undefined; this.flush(); }, this.flushMs);
  }

  private open(batch: PacketBatch, fieldsKey: string): Pending {
    const p: Pending = { fieldsKey, raw: batch.fields.map(() => []), packets: [], msg: { type: 'rows', ds: batch.datasource, fields: batch.fields.slice(), count: 0, columns: [], packet: [] } };
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
    if (!p.msg.count) return;
    p.msg.columns = p.raw.map(encodeColumn);
    p.msg.packet = packetColumn(p.packets);
    this.send(p.msg);
  }
}
