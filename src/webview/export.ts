// Export of the shown rows: JSON Lines (one object per row, dotted field names nested like `ig run -o json`,
// 64-bit integers written exactly) and CSV (RFC 4180). Both carry every field, hidden ones included, with
// raw values (decimal, not the `columns.hex` display form); array data sources add the packet number.
// CSV text that a spreadsheet would run as a formula is defused (see defuseFormula).

import type { Column } from './columns';
import type { WireValue } from './protocol';

export interface ExportRow {
  values: readonly WireValue[];
  packet: number;
}

const INT_KINDS = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

function jsonValue(v: WireValue, col: Column): string {
  if (v === null || v === undefined) return 'null';
  // Exact 64-bit integers travel as decimal text: write the digits as a JSON number, like IG does.
  if (typeof v === 'string' && INT_KINDS.has(col.kind) && /^-?\d+$/.test(v)) return v;
  if (typeof v === 'number' && !Number.isFinite(v)) return JSON.stringify(String(v));
  return JSON.stringify(v);
}

type Tree = Map<string, Tree | string>;

/** A tree as JSON: on one line, or indented by `indent` per level (the details pane's JSON view). */
function writeTree(t: Tree, indent = '', depth = 0): string {
  const parts: string[] = [];
  const colon = indent ? ': ' : ':';
  for (const [k, v] of t) parts.push(`${JSON.stringify(k)}${colon}${typeof v === 'string' ? v : writeTree(v, indent, depth + 1)}`);
  if (!indent || parts.length === 0) return `{${parts.join(',')}}`;
  const inner = indent.repeat(depth + 1);
  return `{\n${inner}${parts.join(`,\n${inner}`)}\n${indent.repeat(depth)}}`;
}

/** A row as a tree of JSON texts: dotted names nested, as `ig run -o json`. */
function rowTree(r: ExportRow, columns: readonly Column[], withPacket: boolean): Tree {
  const root: Tree = new Map();
  if (withPacket) root.set('_packet', String(r.packet));
  for (const c of columns) {
    const path = c.name.split('.');
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      let next = node.get(path[i]!);
      if (typeof next !== 'object') { next = new Map(); node.set(path[i]!, next); }
      node = next;
    }
    node.set(path[path.length - 1]!, jsonValue(r.values[c.index] ?? null, c));
  }
  return root;
}

/** One JSON object per row. `withPacket` adds the packet number (array data sources). */
export function toJsonLines(rows: Iterable<ExportRow>, columns: readonly Column[], withPacket: boolean): string {
  const out: string[] = [];
  for (const r of rows) out.push(writeTree(rowTree(r, columns, withPacket)));
  return out.length ? out.join('\n') + '\n' : '';
}

/** One row as indented JSON, the same values as its JSON Lines export. */
export function toJsonPretty(row: ExportRow, columns: readonly Column[], withPacket: boolean): string {
  return writeTree(rowTree(row, columns, withPacket), '  ');
}

export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvValue(v: WireValue, col: Column): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string' && !INT_KINDS.has(col.kind)) return csvField(defuseFormula(v));
  return csvField(String(v));
}

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or CR before one) as a formula. Packet strings
 * come from the traced system, so one could carry `=HYPERLINK(…)`: such text gets a leading apostrophe,
 * which spreadsheets show as plain text (the OWASP advice for CSV injection). Numbers are left alone.
 */
export function defuseFormula(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** Header line of field names, then one line per row (CRLF line ends, as RFC 4180). */
export function toCsv(rows: Iterable<ExportRow>, columns: readonly Column[], withPacket: boolean): string {
  const lines: string[] = [];
  lines.push([...(withPacket ? ['_packet'] : []), ...columns.map((c) => csvField(c.name))].join(','));
  for (const r of rows) {
    const cells = columns.map((c) => csvValue(r.values[c.index] ?? null, c));
    lines.push((withPacket ? [String(r.packet), ...cells] : cells).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

/** Tab-separated text of the given columns as shown (for the clipboard). */
export function toTsv(rows: Iterable<readonly string[]>, header: readonly string[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  const lines = [header.map(clean).join('\t')];
  for (const r of rows) lines.push(r.map(clean).join('\t'));
  return lines.join('\n') + '\n';
}
