// Cell text from wire values, as IG's columns output prints them: integers in decimal or, with
// `columns.hex: "true"`, as "0x" + upper-case hex digits; shortened to the column's width in characters
// with the column's ellipsis mode.

import type { Column, Ellipsis } from './columns';
import type { WireValue } from './protocol';

const ELLIPSIS = '…';

/** The full text of a value (no shortening): what filters match and what copy/CSV use for hex columns. */
export function formatValue(v: WireValue, col: Pick<Column, 'hex' | 'kind'>): string {
  if (v === null || v === undefined) return '';
  if (col.hex) {
    if (typeof v === 'number' && Number.isInteger(v)) return '0x' + v.toString(16).toUpperCase();
    if (typeof v === 'string' && /^-?\d+$/.test(v)) return '0x' + BigInt(v).toString(16).toUpperCase();
  }
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN';
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
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

/** The text shown in a cell of `widthChars` characters. */
export function cellText(v: WireValue, col: Column, widthChars: number): string {
  return shorten(formatValue(v, col), widthChars, col.ellipsis);
}
