// How IG's columns output (`ig run -o columns`) shows a field: the one home of these rules, used by the
// grid page and by the CLI's `-o columns` so both render a field the same way. Typed on plain
// `{name, kind, annotations}`; no node or vscode imports (the grid page bundles it).
//
// From IG (pkg/datasource Columns, pkg/columns, pkg/columns/ellipsis, textcolumns):
// - every field starts with `columns.width: 16`, `columns.ellipsis: end`, `columns.alignment: left`;
//   `template: <name>` adds the template's annotations, the field's own annotations win;
// - integer and bool kinds get their widest value (IG's `MaxChars*`) as `columns.maxwidth` unless one is set;
// - a value that does not fit is cut to the width with the column's ellipsis; the rest is padded on the
//   side opposite its alignment; `columns.hex: "true"` prints integers as "0x" + upper-case hex digits.
// - bytes and array kinds have no Go type in IG's columns (field.ReflectType is nil): their cell is only
//   their size, `<N bytes>`, whatever the element kind (pkg/datasource/columns.go).
// Two deliberate differences: a column's width is `columns.width` clamped to [minwidth, maxwidth], as IG
// lays it out on a wide terminal (piped, IG keeps the raw width; on a narrow one it scales all columns),
// and integers without `columns.width` default to their widest value, so a number is never cut.

import type { KindName } from '../host/api';
import { TEMPLATE_ANNOTATIONS } from './catalogue';

export type Alignment = 'left' | 'right';
export type Ellipsis = 'none' | 'start' | 'middle' | 'end';

/** A field as the column rules need it: a data source's field joined with its gadget.yaml annotations. */
export interface ColumnField {
  name: string;
  kind: KindName;
  /** Annotation names lower-cased (as IG's viper reads them), values as text. */
  annotations: Readonly<Record<string, string>>;
}

export interface Column {
  /** Index of the field in the data source's rows. */
  index: number;
  name: string;
  kind: KindName;
  /** Width in characters. */
  width: number;
  minWidth: number;
  /** 0: no maximum. */
  maxWidth: number;
  alignment: Alignment;
  ellipsis: Ellipsis;
  hex: boolean;
  /** Bytes and array kinds: IG's columns output shows only their size, `<N bytes>`. */
  byteCount: boolean;
  /** Hidden by the annotations (`columns.hidden`); the user may still show it. */
  hiddenByDefault: boolean;
  /** Header tooltip (`description`). */
  description: string;
  /** Problems with the annotations (bad numbers, unknown values, unknown template), for the tooltip. */
  warnings: string[];
}

/** IG's default column width in characters. */
export const DEFAULT_WIDTH = 16;

/** IG's default alignment, for numbers too: only templates such as `pid` right-align. */
const DEFAULT_ALIGNMENT: Alignment = 'left';

/** Characters needed for the widest value of each integer kind (IG's `MaxChars*`), used as its maximum width. */
const KIND_WIDTH: Partial<Record<KindName, number>> = {
  bool: 5, int8: 4, uint8: 3, int16: 6, uint16: 5, int32: 11, uint32: 10, int64: 20, uint64: 20,
};

const HEX_WIDTH: Partial<Record<KindName, number>> = {
  int8: 5, uint8: 4, int16: 7, uint16: 6, int32: 11, uint32: 10, int64: 19, uint64: 18,
};

const NUMERIC: ReadonlySet<KindName> = new Set<KindName>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64']);
const INTEGER: ReadonlySet<KindName> = new Set<KindName>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

export function isNumericKind(k: KindName): boolean { return NUMERIC.has(k); }
/** Kinds IG's columns output has no Go type for (pkg/datasource field.ReflectType is nil): bytes and every
 *  array kind. IG prints their size only (pkg/datasource/columns.go: `<%d bytes>`), never the content. */
export function isByteCountKind(k: KindName): boolean { return k === 'bytes' || k.startsWith('arrayof'); }
export function isIntegerKind(k: KindName): boolean { return INTEGER.has(k); }

/** The effective annotations of a field: its template's, overridden by its own. */
export function effectiveAnnotations(annotations: Readonly<Record<string, string>>): { annotations: Readonly<Record<string, string>>; unknownTemplate?: string } {
  const name = annotations['template'];
  if (name === undefined || name === '') return { annotations };
  const tpl = TEMPLATE_ANNOTATIONS[name];
  if (!tpl) return { annotations, unknownTemplate: name };
  return { annotations: { ...tpl, ...annotations } };
}

/** IG's special width value (columns.width/minwidth/maxwidth): the widest value of the field's kind. */
export const KIND_WIDTH_VALUE = 'type';

function parseWidth(v: string | undefined, key: string, kindMax: number | undefined, warnings: string[]): number | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (s === KIND_WIDTH_VALUE && kindMax !== undefined) return kindMax;
  if (!/^\d+$/.test(s)) { warnings.push(`${key}: "${v}" is not a whole number`); return undefined; }
  return Number(s);
}

/** One column per field, in field order. Never throws: bad annotations fall back to defaults with a warning. */
export function buildColumns(fields: readonly ColumnField[]): Column[] {
  return fields.map((f, index) => {
    const warnings: string[] = [];
    const { annotations: a, unknownTemplate } = effectiveAnnotations(f.annotations);
    if (unknownTemplate) warnings.push(`template: unknown template "${unknownTemplate}"`);

    let alignment: Alignment = DEFAULT_ALIGNMENT;
    const al = a['columns.alignment'];
    if (al === 'left' || al === 'right') alignment = al;
    else if (al !== undefined) warnings.push(`columns.alignment: "${al}" is not left or right`);

    let ellipsis: Ellipsis = 'end';
    const el = a['columns.ellipsis'];
    // IG spells "no ellipsis" as an empty value; `none` is taken for it too, but IG's output fails on it.
    if (el === '') ellipsis = 'none';
    else if (el === 'start' || el === 'middle' || el === 'end') ellipsis = el;
    else if (el === 'none') { ellipsis = 'none'; warnings.push('columns.ellipsis: IG spells no ellipsis as "" (its columns output fails on "none")'); }
    else if (el !== undefined) warnings.push(`columns.ellipsis: "${el}" is not start, middle, end or ""`);

    const hex = a['columns.hex'] === 'true';
    if (hex && !isIntegerKind(f.kind)) warnings.push(`columns.hex only applies to integer fields (this one is ${f.kind})`);
    const hexInt = hex && isIntegerKind(f.kind);

    // The widest value of an integer kind: decimal digits (IG's MaxChars*), or "0x" + hex digits.
    const kindMax = hexInt ? HEX_WIDTH[f.kind] : KIND_WIDTH[f.kind];
    let width = parseWidth(a['columns.width'], 'columns.width', kindMax, warnings) ?? 0;
    const minWidth = parseWidth(a['columns.minwidth'], 'columns.minwidth', kindMax, warnings) ?? 0;
    let maxWidth = parseWidth(a['columns.maxwidth'], 'columns.maxwidth', kindMax, warnings) ?? 0;
    if (maxWidth > 0 && maxWidth < minWidth) { warnings.push(`columns.maxwidth ${maxWidth} is less than columns.minwidth ${minWidth}`); maxWidth = 0; }
    // As IG: a kind with a known widest value gets that as its maximum, unless one is given.
    if (maxWidth === 0 && kindMax !== undefined) maxWidth = Math.max(kindMax, minWidth);
    if (width === 0) width = kindMax !== undefined && f.kind !== 'bool' ? kindMax : DEFAULT_WIDTH;
    width = clampWidth(width, minWidth, maxWidth);

    return {
      index, name: f.name, kind: f.kind, width, minWidth, maxWidth, alignment, ellipsis,
      hex: hexInt,
      byteCount: isByteCountKind(f.kind),
      hiddenByDefault: a['columns.hidden'] === 'true',
      description: a['description'] ?? '',
      warnings,
    };
  });
}

export function clampWidth(w: number, min: number, max: number): number {
  if (w < min) w = min;
  if (max > 0 && w > max) w = max;
  return Math.max(1, w);
}

/** A field value as the grid and the CLI hold it; bytes travel as lower-case hex. */
export type CellValue = string | number | boolean | bigint | null | undefined;

const ELLIPSIS = '…';

/** The full text of a value (no shortening): what filters match and what copy/CSV use for hex columns. */
export function formatValue(v: CellValue, col: Pick<Column, 'hex' | 'byteCount'>): string {
  if (v === null || v === undefined) return '';
  // Bytes travel as hex text: two digits a byte. IG prints `<0 bytes>` for an empty value too.
  if (col.byteCount && typeof v === 'string') return `<${v.length >>> 1} bytes>`;
  if (col.hex) {
    // IG formats the signed value: -26 is "0x-1A".
    if (typeof v === 'number' && Number.isInteger(v)) return '0x' + v.toString(16).toUpperCase();
    if (typeof v === 'bigint') return '0x' + v.toString(16).toUpperCase();
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return '0x' + BigInt(v).toString(16).toUpperCase();
  }
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  return v;
}

/**
 * Shorten `s` to at most `width` characters (code points) the way IG's ellipsis package does:
 * `end` keeps the start, `start` keeps the end, `middle` keeps both ends, `none` cuts without a mark.
 */
export function shorten(s: string, width: number, mode: Ellipsis): string {
  if (width <= 0) return '';
  // Fast path: UTF-16 length bounds the code point count.
  if (s.length <= width) return s;
  const cps = Array.from(s);
  if (cps.length <= width) return s;
  if (mode === 'none') return cps.slice(0, width).join('');
  if (width === 1) return ELLIPSIS;
  switch (mode) {
    case 'start': return ELLIPSIS + cps.slice(cps.length - (width - 1)).join('');
    case 'middle': {
      const keep = width - 1;
      const head = Math.ceil(keep / 2);
      const tail = keep - head;
      return cps.slice(0, head).join('') + ELLIPSIS + (tail > 0 ? cps.slice(cps.length - tail).join('') : '');
    }
    default: return cps.slice(0, width - 1).join('') + ELLIPSIS;
  }
}

/** The text shown in a cell of `widthChars` characters (not padded). */
export function cellText(v: CellValue, col: Pick<Column, 'hex' | 'byteCount' | 'ellipsis'>, widthChars: number): string {
  return shorten(formatValue(v, col), widthChars, col.ellipsis);
}

/** Text padded to exactly `width` characters on the side opposite `alignment` (IG's fixed-width cell). */
export function padCell(text: string, width: number, alignment: Alignment): string {
  let n = text.length;
  // Count code points only when UTF-16 length could overstate them.
  if (n > 0 && /[\uD800-\uDBFF]/.test(text)) n = Array.from(text).length;
  if (n >= width) return text;
  const fill = ' '.repeat(width - n);
  return alignment === 'right' ? fill + text : text + fill;
}

/** A column header as IG prints it: the upper-cased name, cut with an end ellipsis, aligned like the column. */
export function headerText(col: Pick<Column, 'name' | 'width' | 'alignment'>): string {
  return padCell(shorten(col.name.toUpperCase(), col.width, 'end'), col.width, col.alignment);
}

const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A bytes value as it is shown: lower-case hex, two digits a byte. */
export function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i]!];
  return s;
}
