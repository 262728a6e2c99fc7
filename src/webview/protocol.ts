// The typed messages between the extension (GridPanel) and the grid webview page.
// Everything here must survive VS Code's message serialization (JSON): no bigint, no Uint8Array, no Map.
// Shared by src/extension/grid (Node) and src/webview/ui (browser): no DOM and no `vscode` import.

import type { KindName } from '../host/api';

/**
 * A cell value on the wire. 64-bit integers travel as `number` when they are safe integers and as their
 * exact decimal text otherwise; Bytes travel as lower-case hex text; a missing value is `null`.
 */
export type WireValue = string | number | boolean | null;

/** A field as the page needs it: its kind (to format, sort and filter) and its gadget.yaml annotations. */
export interface WireField {
  name: string;
  kind: KindName;
  annotations: Record<string, string>;
}

/** What the user changed about a data source's columns; remembered per gadget and data source. */
export interface ColumnPrefs {
  /** Column visibility chosen by the user (overrides `columns.hidden`). */
  visible: Record<string, boolean>;
  /** Column widths in pixels chosen by the user (resize). */
  widths: Record<string, number>;
}

export interface WireDataSource {
  name: string;
  type: 'single' | 'array';
  origin: 'host' | 'guest';
  fields: WireField[];
  prefs?: ColumnPrefs;
}

/**
 * A string column, dictionary-encoded: row i holds `dict[idx[i]]` (null where idx is -1). Gadgets repeat
 * their strings (comm, file names, event types): the message shrinks, and the page gets each distinct
 * string once instead of one new string object per row, which is most of what its garbage collector did.
 */
export interface DictColumn {
  dict: string[];
  idx: number[];
}

/**
 * A 64-bit integer column as an exact base (decimal text) plus small offsets: row i holds base + delta[i].
 * Timestamps in nanoseconds don't fit a double; as text they were a new string per row, as offsets from the
 * message's first value they are small numbers that parse, clone and store without allocating.
 */
export interface Int64Column {
  base: string;
  delta: number[];
}

/** Packet numbers of a message's rows: one per row, or consecutive from `first` (single data sources). */
export type PacketColumn = number[] | { first: number };

/** Packet number of row i. */
export function packetAt(p: PacketColumn, i: number): number {
  return Array.isArray(p) ? p[i] ?? 0 : p.first + i;
}

/** Packet numbers from row `from` on. */
export function slicePackets(p: PacketColumn, from: number): PacketColumn {
  return Array.isArray(p) ? p.slice(from) : { first: p.first + from };
}

/** One column of a rows message to the grid page: plain values, or one of the compact encodings above. */
export type PageColumn = WireValue[] | DictColumn | Int64Column;

/**
 * Rows of one data source, column by column: `columns[j]` holds the values of `fields[j]`.
 * Columns rather than one array per row: homogeneous arrays serialize, parse and clone several times
 * faster (JSON.parse about 8×, structured clone about 2× in Chromium), and VS Code does all three.
 */
export interface RowsMessage {
  type: 'rows';
  ds: string;
  fields: string[];
  /** Number of rows. */
  count: number;
  columns: PageColumn[];
  /** Packet number of each row (per data source, from 1); `{ first }` when they are first, first+1, … */
  packet: PacketColumn;
  /** Element index of each row, for array data sources. */
  element?: number[];
}

/** Build a rows message from rows (tests and tools; the extension's batcher fills columns directly). */
export function rowsMessage(ds: string, fields: string[], rows: WireValue[][], packet: number[], element?: number[]): RowsMessage {
  const columns = fields.map((_, j) => rows.map((r) => r[j] ?? null));
  const m: RowsMessage = { type: 'rows', ds, fields, count: rows.length, columns, packet };
  if (element) m.element = element;
  return m;
}

const TWO32 = 4294967296;

/** The high and low 32-bit halves of an exact integer given as decimal text: value = hi × 2³² + lo, 0 ≤ lo < 2³². */
export function splitInt64(text: string): { hi: number; lo: number } {
  const v = BigInt(text);
  const lo = Number(BigInt.asUintN(32, v));
  return { hi: Number((v - BigInt(lo)) >> 32n), lo };
}

/** The value hi × 2³² + lo as a WireValue: a number when it is a safe integer, else its exact decimal text. */
export function joinInt64(hi: number, lo: number): number | string {
  const n = hi * TWO32 + lo;
  return Number.isSafeInteger(n) ? n : (BigInt(hi) * 4294967296n + BigInt(lo)).toString();
}

/** Row i of an Int64Column as a WireValue. */
function int64At(c: Int64Column, i: number): WireValue {
  const d = c.delta[i];
  if (d === undefined) return null;
  const b = splitInt64(c.base);
  const lo = b.lo + d;
  const carry = Math.floor(lo / TWO32);
  return joinInt64(b.hi + carry, lo - carry * TWO32);
}

export function isDictColumn(c: PageColumn): c is DictColumn {
  return !Array.isArray(c) && typeof c === 'object' && c !== null && Array.isArray((c as DictColumn).idx);
}
export function isInt64Column(c: PageColumn): c is Int64Column {
  return !Array.isArray(c) && typeof c === 'object' && c !== null && Array.isArray((c as Int64Column).delta);
}

/** Value of row i of a column, whatever its encoding (the slow, general path: tests, inference). */
export function columnValue(c: PageColumn | undefined, i: number): WireValue {
  if (c === undefined || c === null) return null;
  if (Array.isArray(c)) return c[i] ?? null;
  if (isDictColumn(c)) { const k = c.idx[i]; return k === undefined || k < 0 ? null : c.dict[k] ?? null; }
  if (isInt64Column(c)) return int64At(c, i);
  return null;
}

/** Every value of a column as plain values. */
export function decodeColumn(c: PageColumn, count: number): WireValue[] {
  return Array.from({ length: count }, (_, i) => columnValue(c, i));
}

/** Rows from `from` on, in the same encoding. */
export function sliceColumn(c: PageColumn, from: number): PageColumn {
  if (Array.isArray(c)) return c.slice(from);
  if (isDictColumn(c)) return { dict: c.dict, idx: c.idx.slice(from) };
  if (isInt64Column(c)) return { base: c.base, delta: c.delta.slice(from) };
  return c;
}

/** Requests the extension makes of the page, with their results. */
export interface PageRequests {
  stats: { params: Record<string, never>; result: DataSourceStats[] };
}

/** Requests the page makes of the extension, with their results. */
export interface ExtensionRequests {
  /** Show a save dialog and write `content`; resolves with the path written, or null when cancelled. */
  export: { params: { format: ExportFormat; ds: string; content: string }; result: { path: string | null } };
  /** Put text on the clipboard (the webview's own clipboard access is not reliable in every host). */
  copy: { params: { text: string }; result: { ok: true } };
}

export type ExportFormat = 'jsonl' | 'csv';

export interface DataSourceStats {
  datasource: string;
  received: number;
  shown: number;
  dropped: number;
}

type RequestOf<R> = { [M in keyof R]: { type: 'request'; id: number; method: M; params: R[M] extends { params: infer P } ? P : never } }[keyof R];

export interface ResponseMessage {
  type: 'response';
  id: number;
  result?: unknown;
  /** Set instead of `result` when the request failed. */
  error?: string;
}

/** Extension → page. */
export type ToPage =
  | { type: 'init'; title: string; maxRows: number }
  | { type: 'datasources'; datasources: WireDataSource[] }
  | RowsMessage
  /** Rows that never reached the page (dropped by the extension before the page was ready). */
  | { type: 'lost'; ds: string; rows: number }
  | { type: 'runEnded'; ok: boolean; packets: number; error?: string }
  | RequestOf<PageRequests>
  | ResponseMessage;

/** Page → extension. */
export type FromPage =
  | { type: 'ready' }
  | { type: 'prefs'; ds: string; prefs: ColumnPrefs }
  | { type: 'log'; level: 'info' | 'error'; message: string }
  | RequestOf<ExtensionRequests>
  | ResponseMessage;

/** Is `m` shaped like a page→extension message? (The extension checks everything it receives.) */
export function isFromPage(m: unknown): m is FromPage {
  if (typeof m !== 'object' || m === null) return false;
  const t = (m as { type?: unknown }).type;
  switch (t) {
    case 'ready': return true;
    case 'prefs': return typeof (m as { ds?: unknown }).ds === 'string' && typeof (m as { prefs?: unknown }).prefs === 'object';
    case 'log': return typeof (m as { message?: unknown }).message === 'string';
    case 'request': return typeof (m as { id?: unknown }).id === 'number' && typeof (m as { method?: unknown }).method === 'string';
    case 'response': return typeof (m as { id?: unknown }).id === 'number';
    default: return false;
  }
}
