// Columns from a data source's fields and their gadget.yaml annotations, with the semantics of IG's
// columns output (`ig run -o columns`): `template` first (IG's built-in annotation templates), then the
// field's own `columns.*` annotations over it; widths are in characters as in IG.

import type { KindName } from '../host/api';
import type { ColumnPrefs, WireField } from './protocol';
import { TEMPLATE_ANNOTATIONS } from '../metadata/catalogue';

export type Alignment = 'left' | 'right';
export type Ellipsis = 'none' | 'start' | 'middle' | 'end';

export interface Column {
  /** Index of the field in the data source's rows. */
  index: number;
  name: string;
  kind: KindName;
  /** Width in characters (IG's `columns.width`, default 16 or the kind's own width). */
  width: number;
  minWidth: number;
  /** 0: no maximum. */
  maxWidth: number;
  alignment: Alignment;
  ellipsis: Ellipsis;
  hex: boolean;
  /** Hidden by the annotations (`columns.hidden`); the user may still show it. */
  hiddenByDefault: boolean;
  /** Header tooltip (`description`). */
  description: string;
  /** Problems with the annotations (bad numbers, unknown values, unknown template), for the tooltip. */
  warnings: string[];
}

/** IG's default column width in characters. */
export const DEFAULT_WIDTH = 16;

/** IG's annotation templates (`template: <name>` in gadget.yaml): the linter's table, one copy. */
export const TEMPLATES = TEMPLATE_ANNOTATIONS;

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
export function isIntegerKind(k: KindName): boolean { return INTEGER.has(k); }

/** The effective annotations of a field: its template's, overridden by its own. */
export function effectiveAnnotations(annotations: Record<string, string>): { annotations: Record<string, string>; unknownTemplate?: string } {
  const name = annotations['template'];
  if (name === undefined || name === '') return { annotations };
  const tpl = TEMPLATES[name];
  if (!tpl) return { annotations, unknownTemplate: name };
  return { annotations: { ...tpl, ...annotations } };
}

function parseWidth(v: string | undefined, key: string, warnings: string[]): number | undefined {
  if (v === undefined) return undefined;
  const s = v.trim();
  if (!/^\d+$/.test(s)) { warnings.push(`${key}: "${v}" is not a whole number`); return undefined; }
  return Number(s);
}

/** One column per field, in field order. Never throws: bad annotations fall back to defaults with a warning. */
export function buildColumns(fields: readonly WireField[]): Column[] {
  return fields.map((f, index) => {
    const warnings: string[] = [];
    const { annotations: a, unknownTemplate } = effectiveAnnotations(f.annotations);
    if (unknownTemplate) warnings.push(`template: unknown template "${unknownTemplate}"`);
    const numeric = isNumericKind(f.kind);

    let alignment: Alignment = numeric ? 'right' : 'left';
    const al = a['columns.alignment'];
    if (al === 'left' || al === 'right') alignment = al;
    else if (al !== undefined) warnings.push(`columns.alignment: "${al}" is not left or right`);

    let ellipsis: Ellipsis = 'end';
    const el = a['columns.ellipsis'];
    if (el === 'none' || el === 'start' || el === 'middle' || el === 'end') ellipsis = el;
    else if (el !== undefined) warnings.push(`columns.ellipsis: "${el}" is not none, start, middle or end`);

    const hex = a['columns.hex'] === 'true';
    if (hex && !isIntegerKind(f.kind)) warnings.push(`columns.hex only applies to integer fields (this one is ${f.kind})`);
    const hexInt = hex && isIntegerKind(f.kind);

    let width = parseWidth(a['columns.width'], 'columns.width', warnings) ?? 0;
    const minWidth = parseWidth(a['columns.minwidth'], 'columns.minwidth', warnings) ?? 0;
    let maxWidth = parseWidth(a['columns.maxwidth'], 'columns.maxwidth', warnings) ?? 0;
    if (maxWidth > 0 && maxWidth < minWidth) { warnings.push(`columns.maxwidth ${maxWidth} is less than columns.minwidth ${minWidth}`); maxWidth = 0; }
    // The widest value of an integer kind: decimal digits (IG's MaxChars*), or "0x" + hex digits.
    const kindMax = hexInt ? HEX_WIDTH[f.kind] : KIND_WIDTH[f.kind];
    // As IG: a kind with a known widest value gets that as its maximum, unless one is given.
    if (maxWidth === 0 && kindMax !== undefined) maxWidth = Math.max(kindMax, minWidth);
    // Integers default to their widest value rather than IG's 16, so a number is never cut in the grid.
    if (width === 0) width = kindMax !== undefined && f.kind !== 'bool' ? kindMax : DEFAULT_WIDTH;
    width = clampWidth(width, minWidth, maxWidth);

    return {
      index, name: f.name, kind: f.kind, width, minWidth, maxWidth, alignment, ellipsis,
      hex: hexInt,
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

/** Is the column shown, given the user's choices? */
export function isVisible(c: Column, prefs: ColumnPrefs | undefined): boolean {
  const v = prefs?.visible[c.name];
  return v === undefined ? !c.hiddenByDefault : v;
}

export function emptyPrefs(): ColumnPrefs {
  return { visible: {}, widths: {} };
}
