// Export of the shown rows: JSON Lines written by `ig run -o json`'s writer (src/metadata/ig-json.ts: one
// object per event, dotted names nested, keys sorted, `json.skip` fields left out, 64-bit integers exact;
// an array data source's packet is one JSON array of its shown rows), and CSV (RFC 4180) with every field
// and the packet number of array rows. Values are raw (decimal, not the `columns.hex` display form). CSV
// text that a spreadsheet would run as a formula is defused (see defuseFormula).

import { eventArrayJson, jsonEncoder, jsonTree } from '../metadata/ig-json';
import type { Column } from './columns';
import type { WireField, WireValue } from './protocol';

export interface ExportRow {
  values: readonly WireValue[];
  packet: number;
}

const INT_KINDS = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

/** JSON Lines as `ig run -o json` prints the same events: one line per row, or per packet for an array
 *  data source (its shown rows, in the order first shown). */
export function toJsonLines(rows: Iterable<ExportRow>, fields: readonly WireField[], isArray: boolean): string {
  const encode = jsonEncoder(jsonTree(fields), '');
  const out: string[] = [];
  if (!isArray) {
    for (const r of rows) out.push(encode(r.values));
  } else {
    const packets = new Map<number, (readonly WireValue[])[]>();
    for (const r of rows) {
      const p = packets.get(r.packet);
      if (p) p.push(r.values); else packets.set(r.packet, [r.values]);
    }
    for (const p of packets.values()) out.push(eventArrayJson(encode, p, ''));
  }
  return out.length ? out.join('\n') + '\n' : '';
}

/** One row as `ig run -o jsonpretty` prints an event (the details pane's JSON view). */
export function toJsonPretty(values: readonly WireValue[], fields: readonly WireField[]): string {
  return jsonEncoder(jsonTree(fields), '  ')(values);
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
