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
 * Rows of one data source, column by column: `columns[j][i]` is the value of `fields[j]` in row i.
 * Columns rather than one array per row: homogeneous arrays serialize, parse and clone several times
 * faster (JSON.parse about 8×, structured clone about 2× in Chromium), and VS Code does all three.
 */
export interface RowsMessage {
  type: 'rows';
  ds: string;
  fields: string[];
  /** Number of rows. */
  count: number;
  columns: WireValue[][];
  /** Packet number of each row (per data source, from 1). */
  packet: number[];
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
