// What a run takes from the eBPF object (issue 13 §4): the data sources IG's ebpf layer registers, as
// host-side declarations (full dotted field names, kinds with IG's array kinds, CString sizes, tags), the
// fields IG's operators add and the formatters that fill them (in field order, which is IG's
// subscription order), and each field's annotations for the columns output (hidden flags included).
// Used by `ig-wasm run --ebpf` and the extension's runs alike.
import type { DataSourceDecl, FormatterSpec, KindName } from '../host/api';
import type { GadgetSpec } from './gadget';
import { ebpfKindName } from './kinds';

export interface RunPlan {
  dataSources: DataSourceDecl[];
  /** Per data source, per field: the annotations the columns output reads (`columns.hidden` when hidden). */
  columns: Record<string, Record<string, Record<string, string>>>;
}

export function runPlan(g: GadgetSpec): RunPlan {
  const dataSources: DataSourceDecl[] = [];
  const columns: RunPlan['columns'] = {};
  for (const ds of g.datasources) {
    const formatters: FormatterSpec[] = [];
    const cols: Record<string, Record<string, string>> = {};
    const fields = ds.fields.map((f) => {
      if (f.formatter) formatters.push(f.formatter);
      cols[f.fullName] = { ...f.annotations, ...(f.hidden ? { 'columns.hidden': 'true' } : {}) };
      const kind = ebpfKindName(f.kind) as KindName;
      return { name: f.fullName, kind, tags: [...f.tags], ...(kind === 'cstring' && f.size > 0 ? { size: f.size } : {}) };
    });
    dataSources.push({ name: ds.name, type: ds.type, fields, ...(formatters.length ? { formatters } : {}) });
    columns[ds.name] = cols;
  }
  return { dataSources, columns };
}

/** A run's host-side data sources: the object's, then the events file's others (the object's kinds win). */
export function runDataSources(plan: RunPlan | undefined, declared: readonly DataSourceDecl[]): DataSourceDecl[] {
  if (!plan) return [...declared];
  const names = new Set(plan.dataSources.map((d) => d.name));
  return [...plan.dataSources, ...declared.filter((d) => !names.has(d.name))];
}

/** Column annotations per data source and field: the object's (gadget.yaml's already applied), then gadget.yaml's on top. */
export function mergeColumns(object: RunPlan['columns'] | undefined, yaml: RunPlan['columns']): RunPlan['columns'] {
  const out: RunPlan['columns'] = {};
  for (const ds of new Set([...Object.keys(object ?? {}), ...Object.keys(yaml)])) {
    const fields: Record<string, Record<string, string>> = { ...(object?.[ds] ?? {}) };
    for (const [f, a] of Object.entries(yaml[ds] ?? {})) fields[f] = { ...(fields[f] ?? {}), ...a };
    out[ds] = fields;
  }
  return out;
}
