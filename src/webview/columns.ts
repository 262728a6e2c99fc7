// The grid's side of columns: the user's choices over the annotations. How a field is shown (widths,
// alignment, ellipsis, hex) is IG's rule, shared with the CLI in src/metadata/columns.ts.

import type { Column } from '../metadata/columns';
import type { ColumnPrefs } from './protocol';

export type { Alignment, Column, Ellipsis } from '../metadata/columns';
export { buildColumns, clampWidth, isIntegerKind, isNumericKind } from '../metadata/columns';

/** Is the column shown, given the user's choices? */
export function isVisible(c: Column, prefs: ColumnPrefs | undefined): boolean {
  const v = prefs?.visible[c.name];
  return v === undefined ? !c.hiddenByDefault : v;
}

export function emptyPrefs(): ColumnPrefs {
  return { visible: {}, widths: {} };
}
