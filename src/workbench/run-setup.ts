// What a run in the extension is made of besides the wasm module: the object's data sources before the
// events file's (src/ebpf/run-plan.ts, shared with the CLI), and the column annotations the grid uses.
import { mergeColumns, type RunPlan } from '../ebpf/run-plan';
import type { GadgetMetadata } from '../metadata/types';

export { runDataSources } from '../ebpf/run-plan';

/** gadget.yaml's metadata with the object's field annotations (templates, hidden flags) for the grid's columns. */
export function withObjectAnnotations(meta: GadgetMetadata | undefined, plan: RunPlan | undefined): GadgetMetadata | undefined {
  if (!plan) return meta;
  const yamlColumns: RunPlan['columns'] = {};
  for (const [ds, d] of Object.entries(meta?.datasources ?? {})) {
    yamlColumns[ds] = Object.fromEntries(Object.entries(d.fields).map(([f, x]) => [f, x.annotations]));
  }
  const out: GadgetMetadata = { ...(meta ?? { wasmParams: {} }), datasources: { ...(meta?.datasources ?? {}) } };
  for (const [ds, fields] of Object.entries(mergeColumns(plan.columns, yamlColumns))) {
    out.datasources[ds] = {
      annotations: meta?.datasources[ds]?.annotations ?? {},
      fields: Object.fromEntries(Object.entries(fields).map(([f, annotations]) => [f, { annotations }])),
    };
  }
  return out;
}
