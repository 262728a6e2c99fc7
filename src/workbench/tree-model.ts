// The Gadgets tree's model of one gadget: what gadget.yaml, the eBPF object, the events file and the last
// run each say about its data sources, fields, params and maps, merged. The tree (src/extension/tree.ts)
// only turns this into VS Code items; the merging lives here so it can be tested without VS Code.
import type { EbpfMap, GadgetSpec } from '../ebpf';
import { ebpfKindName } from '../ebpf/kinds';
import type { DataSourceDecl, DataSourceInfo } from '../host/api';
import type { GadgetMetadata, OutlineNode, Range, WasmParam } from '../metadata/types';

/** Who says a data source or field exists. Object fields: `eBPF`, or `eBPF (<operator>)` for the fields IG's operators add. */
export type Origin = 'gadget.yaml' | 'events file' | 'wasm module' | 'eBPF' | `eBPF (${string})`;

export interface FieldModel {
  name: string;
  kind?: string;
  tags: string[];
  origins: Origin[];
  annotations: Record<string, string>;
  /** From the object: byte offset and size in the eBPF struct (struct members only). */
  offset?: number;
  size?: number;
  /** Hidden by default in IG's output (from the object's derivation, or `columns.hidden`). */
  hidden: boolean;
  reveal?: Range;
}

export interface DataSourceModel {
  name: string;
  dsType?: string;
  origins: Origin[];
  annotations: Record<string, string>;
  fields: FieldModel[];
  reveal?: Range;
}

export interface ParamModel { param: WasmParam; reveal?: Range }

export interface EbpfParamModel { key: string; variable?: string; typeHint: string; defaultValue: string; description: string; reveal?: Range }

export interface GadgetModel {
  datasources: DataSourceModel[];
  /** `params.wasm` of gadget.yaml. */
  params: ParamModel[];
  /** The object's params (GADGET_PARAM and the ebpf operator's own). */
  ebpfParams: EbpfParamModel[];
  maps: EbpfMap[];
}

export interface GadgetSources {
  meta: GadgetMetadata;
  outline: OutlineNode[];
  /** The data sources the gadget's last run reported. */
  ran: readonly DataSourceInfo[];
  /** The data sources its events file declares. */
  declared: readonly DataSourceDecl[];
  object?: GadgetSpec;
}

export function gadgetModel(s: GadgetSources): GadgetModel {
  const { meta, outline, ran, declared, object } = s;
  const objDs = object?.datasources ?? [];
  const names = unique([...Object.keys(meta.datasources), ...objDs.map((d) => d.name), ...ran.map((d) => d.name), ...declared.map((d) => d.name)]);
  const datasources = names.map((name): DataSourceModel => {
    const yamlDs = meta.datasources[name];
    const od = objDs.find((d) => d.name === name);
    const fromRun = ran.find((d) => d.name === name);
    const info = fromRun ?? declared.find((d) => d.name === name);
    const origins: Origin[] = [];
    if (yamlDs) origins.push('gadget.yaml');
    if (od) origins.push('eBPF');
    // A run of a gadget with an object declared the object's data sources: they are not the events file's.
    if (info && !(od && !isGuest(info))) origins.push(originOf(info, !!fromRun));
    const dsOutline = findNode(outline, 'datasource', name);
    const fieldNames = unique([...Object.keys(yamlDs?.fields ?? {}), ...(od?.fields ?? []).map((f) => f.fullName), ...(info?.fields ?? []).map((f) => f.name)]);
    const fields = fieldNames.map((fname): FieldModel => {
      const yf = yamlDs?.fields[fname];
      const of = od?.fields.find((f) => f.fullName === fname);
      const fi = info?.fields.find((f) => f.name === fname);
      const forigins: Origin[] = [];
      if (yf) forigins.push('gadget.yaml');
      if (of) forigins.push(of.origin === 'ebpf' ? 'eBPF' : `eBPF (${of.origin})`);
      if (fi && !(of && !isGuest(fi))) forigins.push(originOf(fi, !!fromRun));
      const annotations = { ...(of?.annotations ?? {}), ...(yf?.annotations ?? {}) };
      const fOutline = dsOutline ? findNode(dsOutline.children, 'field', fname) : undefined;
      const f: FieldModel = {
        name: fname, kind: fi?.kind ?? (of ? ebpfKindName(of.kind) : undefined), tags: fi?.tags ?? of?.tags ?? [], origins: forigins, annotations,
        hidden: of ? of.hidden : annotations['columns.hidden'] === 'true',
        reveal: (fOutline ?? dsOutline)?.selectionRange,
      };
      if (of?.origin === 'ebpf') { f.offset = of.offset; f.size = of.size; }
      return f;
    });
    return {
      name, dsType: info?.type ?? od?.type, origins, annotations: { ...(od?.annotations ?? {}), ...(yamlDs?.annotations ?? {}) }, fields,
      reveal: dsOutline?.selectionRange,
    };
  });
  const params = Object.values(meta.wasmParams).map((param) => ({ param, reveal: findNode(outline, 'param', param.key)?.selectionRange }));
  const ebpfParams = (object?.params ?? []).map((p): EbpfParamModel => ({
    key: p.key, variable: p.variable, typeHint: p.typeHint, defaultValue: p.defaultValue, description: p.description,
    reveal: p.variable ? findNode(outline, 'param', p.variable)?.selectionRange : undefined,
  }));
  return { datasources, params, ebpfParams, maps: object?.maps ?? [] };
}

function isGuest(d: object): boolean {
  return 'origin' in d && d.origin === 'guest';
}

/** Run results say who made a data source or field: the host (events file) or the guest (wasm module). */
function originOf(d: object, ran: boolean): Origin {
  return ran && isGuest(d) ? 'wasm module' : 'events file';
}

function findNode(nodes: OutlineNode[], kind: OutlineNode['kind'], name: string): OutlineNode | undefined {
  for (const n of nodes) {
    if (n.kind === kind && n.name === name) return n;
    const inner = findNode(n.children, kind, name);
    if (inner) return inner;
  }
  return undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Where a gadget is, for its tree item's description: nothing when its folder is named like the gadget
 * ("hello hello" would read the name twice), the parent folder when only the last segment repeats it,
 * else the relative path (`relPath` as VS Code gives it, `/`-separated).
 */
export function gadgetLocation(name: string, relPath: string): string | undefined {
  const parts = relPath.split('/');
  if (parts[parts.length - 1] !== name) return relPath;
  return parts.length > 1 ? parts.slice(0, -1).join('/') : undefined;
}

/** Short names of a field's producers for its description (the tooltip keeps the long ones). */
const SHORT_ORIGIN: Record<string, string> = { 'events file': 'events', 'wasm module': 'wasm' };

/**
 * A field's tree description, short enough for the default sidebar width (about 30 characters after
 * the indentation and the name): its kind when known (else nothing: "kind unknown" is the tooltip's), then
 * who produces it. gadget.yaml documents a field that something else (the object, an events file, the wasm
 * module) produces, so it is named only when it is the field's sole source; a field IG's operators add
 * reads "eBPF" like the object's own (the operator's name is in the tooltip).
 */
export function fieldDescription(kind: string | undefined, origins: readonly Origin[]): string {
  const producers = origins.length > 1 ? origins.filter((o) => o !== 'gadget.yaml') : origins;
  const names = [...new Set(producers.map((o) => (o.startsWith('eBPF') ? 'eBPF' : SHORT_ORIGIN[o] ?? o)))];
  return [kind, names.join(', ')].filter(Boolean).join(' · ');
}
