// Row filters: IG's filter operator syntax (`ig run --filter`) per field, plus a free-text filter. One
// home for the grid (src/webview) and `ig-wasm run --filter`: rows are the grid's wire values or the
// host's values (64-bit integers as bigint).
// Rules are comma-separated: field==value, field=value, field!=value, field>=value, field>value,
// field<=value, field<value, field~regex, field!~regex, optionally prefixed with `datasource:`.
// As in IG: regexes only on string fields, booleans only with ==/!= (true/false/1/0), numbers parsed
// by the field's kind (a value that doesn't fit the kind is an error).

import type { KindName } from '../host/api';
import { formatValue, isIntegerKind, type CellValue, type Column } from './columns';

/** A cell as a filter reads it: the grid's wire values, or the host's (bigint, bytes). */
export type FilterValue = CellValue | Uint8Array;
export type RowPredicate = (row: readonly FilterValue[]) => boolean;

export type Op = '==' | '!=' | '>=' | '>' | '<=' | '<' | '~' | '!~';

export interface FilterRule {
  ds?: string;
  field: string;
  op: Op;
  value: string;
}

export class FilterError extends Error {
  constructor(readonly rule: string, message: string) {
    super(`filter "${rule}": ${message}`);
    this.name = 'FilterError';
  }
}

const OP_CHARS = new Set(['!', '~', '>', '<', '=']);
const OPS: Record<string, Op> = { '=': '==', '==': '==', '!=': '!=', '>=': '>=', '>': '>', '<=': '<=', '<': '<', '~': '~', '!~': '!~' };

/** Parse one rule like IG does: name (with optional `ds:`), then a run of operator characters, then the value. */
export function parseRule(text: string): FilterRule {
  const rule = text.trim();
  let i = 0;
  while (i < rule.length && !OP_CHARS.has(rule[i]!)) i++;
  let name = rule.slice(0, i).trim();
  const opStart = i;
  while (i < rule.length && OP_CHARS.has(rule[i]!)) i++;
  const opText = rule.slice(opStart, i);
  if (name === '') throw new FilterError(rule, 'missing field name before the operator');
  if (opText === '') throw new FilterError(rule, 'missing operator (one of ==, !=, >=, >, <=, <, ~, !~)');
  const op = OPS[opText];
  if (!op) throw new FilterError(rule, `invalid operator "${opText}" (use one of ==, !=, >=, >, <=, <, ~, !~)`);
  let ds: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon >= 0) { ds = name.slice(0, colon).trim(); name = name.slice(colon + 1).trim(); }
  return ds === undefined ? { field: name, op, value: rule.slice(i) } : { ds, field: name, op, value: rule.slice(i) };
}

/** Split a filter line into rules (commas, as IG), ignoring empty ones. */
export function parseRules(text: string): FilterRule[] {
  return text.split(',').filter((r) => r.trim() !== '').map(parseRule);
}

const INT_RANGE: Partial<Record<KindName, [bigint, bigint]>> = {
  int8: [-(2n ** 7n), 2n ** 7n - 1n], int16: [-(2n ** 15n), 2n ** 15n - 1n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 2n ** 8n - 1n], uint16: [0n, 2n ** 16n - 1n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

function cmp<T>(op: Op, a: T, b: T): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    default: return false;
  }
}

/** Compile one rule against a data source's columns. Throws FilterError saying what is wrong. */
export function compileRule(rule: FilterRule, columns: readonly Column[], dsName: string): RowPredicate {
  const src = `${rule.ds !== undefined ? rule.ds + ':' : ''}${rule.field}${rule.op}${rule.value}`;
  if (rule.ds !== undefined && rule.ds !== dsName) throw new FilterError(src, `is for data source "${rule.ds}", this is "${dsName}"`);
  const col = columns.find((c) => c.name === rule.field) ?? columns.find((c) => c.name.toLowerCase() === rule.field.toLowerCase());
  if (!col) throw new FilterError(src, `field "${rule.field}" not found in data source "${dsName}" (fields: ${columns.map((c) => c.name).join(', ')})`);
  const idx = col.index;
  const kind = col.kind;
  const { op, value } = rule;

  if (op === '~' || op === '!~') {
    if (kind !== 'string' && kind !== 'cstring') throw new FilterError(src, `regular expressions only apply to string fields ("${col.name}" is ${kind})`);
    let re: RegExp;
    try { re = new RegExp(value); } catch (e) { throw new FilterError(src, `invalid regular expression: ${(e as Error).message}`); }
    const neg = op === '!~';
    return (row) => { const v = row[idx]; return re.test(typeof v === 'string' ? v : '') !== neg; };
  }

  if (kind === 'string' || kind === 'cstring') {
    return (row) => { const v = row[idx]; return cmp(op, typeof v === 'string' ? v : '', value); };
  }
  if (kind === 'bool') {
    if (op !== '==' && op !== '!=') throw new FilterError(src, 'boolean fields can only be compared with == or !=');
    let b: boolean;
    if (value === 'true' || value === '1') b = true;
    else if (value === 'false' || value === '0') b = false;
    else throw new FilterError(src, `"${value}" is not a boolean (true, false, 1 or 0)`);
    return (row) => cmp(op, row[idx] === true, b);
  }
  if (isIntegerKind(kind)) {
    if (!/^[+-]?\d+$/.test(value.trim())) throw new FilterError(src, `"${value}" is not an integer (field "${col.name}" is ${kind})`);
    const ref = BigInt(value.trim());
    const [lo, hi] = INT_RANGE[kind]!;
    if (ref < lo || ref > hi) throw new FilterError(src, `${value} is out of range for ${kind} (${lo}..${hi})`);
    const refNum = Number(ref);
    const safe = Number.isSafeInteger(refNum);
    return (row) => {
      const v = row[idx];
      if (typeof v === 'number' && safe) return cmp(op, v, refNum);
      if (typeof v === 'bigint') return cmp(op, v, ref);
      if (typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v))) return cmp(op, BigInt(v), ref);
      return op === '!=';
    };
  }
  if (kind === 'float32' || kind === 'float64') {
    const n = Number(value.trim());
    if (value.trim() === '' || Number.isNaN(n)) throw new FilterError(src, `"${value}" is not a number (field "${col.name}" is ${kind})`);
    return (row) => { const v = row[idx]; return typeof v === 'number' ? cmp(op, v, n) : op === '!='; };
  }
  throw new FilterError(src, `fields of kind ${kind} can't be filtered (field "${col.name}")`);
}

/** Every rule of a filter line must match. Throws FilterError on the first bad rule. */
export function compileFilter(text: string, columns: readonly Column[], dsName: string): RowPredicate | null {
  const rules = parseRules(text);
  if (rules.length === 0) return null;
  const preds = rules.map((r) => compileRule(r, columns, dsName));
  if (preds.length === 1) return preds[0]!;
  return (row) => { for (const p of preds) if (!p(row)) return false; return true; };
}

/** Free-text filter: case-insensitive substring of any column's text (hex columns as shown). */
export function compileTextFilter(text: string, columns: readonly Column[]): RowPredicate | null {
  const needle = text.trim().toLowerCase();
  if (needle === '') return null;
  return (row) => {
    for (const c of columns) {
      const v = row[c.index];
      if (v === null || v === undefined || v instanceof Uint8Array) continue;
      if (formatValue(v, c).toLowerCase().includes(needle)) return true;
    }
    return false;
  };
}
