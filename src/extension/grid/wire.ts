// What the page is told about a data source: the host's DataSourceInfo joined with the field annotations
// of gadget.yaml, plus the user's remembered column choices. No `vscode` import (unit-tested).

import type { DataSourceInfo } from '../../host/api';
import type { GadgetMetadata } from '../../metadata/types';
import type { ColumnPrefs, WireDataSource } from '../../webview/protocol';

export function toWireDataSource(ds: DataSourceInfo, metadata: GadgetMetadata | undefined, prefs: ColumnPrefs | undefined): WireDataSource {
  const meta = metadata?.datasources?.[ds.name];
  const out: WireDataSource = {
    name: ds.name,
    type: ds.type,
    origin: ds.origin,
    // Guest-added fields have no gadget.yaml entry unless the author wrote one: then it applies too.
    fields: ds.fields.map((f) => ({ name: f.name, kind: f.kind, annotations: { ...(meta?.fields?.[f.name]?.annotations ?? {}) } })),
  };
  if (isPrefs(prefs)) out.prefs = { visible: { ...prefs.visible }, widths: { ...prefs.widths } };
  return out;
}

/** A Memento value is whatever an older version stored: accept only the expected shape. */
function isPrefs(p: unknown): p is ColumnPrefs {
  return typeof p === 'object' && p !== null
    && typeof (p as ColumnPrefs).visible === 'object' && (p as ColumnPrefs).visible !== null
    && typeof (p as ColumnPrefs).widths === 'object' && (p as ColumnPrefs).widths !== null;
}
