// The JSON shape of `ig-wasm inspect OBJECT.bpf.o --output json` (and what the extension will show):
// kinds as lower-case names, parents by full name, maps with cilium/ebpf's type names.
import { EbpfMap, GadgetSpec } from './gadget';
import { ebpfKindName } from './kinds';

export interface FieldReport {
  name: string;
  kind: string;
  offset?: number;
  size?: number;
  parent?: string;
  tags: string[];
  annotations: Record<string, string>;
  hidden: boolean;
  origin: string;
}

export interface InspectReport {
  datasources: { name: string; type: 'single' | 'array'; kind: string; map?: string; programs?: string[]; structs: string[]; annotations: Record<string, string>; fields: FieldReport[] }[];
  params: { key: string; typeHint: string; defaultValue: string; description: string; variable?: string; fullKey: string; defaultFrom: string; title?: string; tags?: string[] }[];
  maps: EbpfMap[];
  programs: { name: string; section: string; type: string }[];
  problems: string[];
}

export function toReport(g: GadgetSpec): InspectReport {
  return {
    datasources: g.datasources.map((ds) => ({
      name: ds.name, type: ds.type, kind: ds.kind, ...(ds.map ? { map: ds.map } : {}), ...(ds.programs ? { programs: ds.programs } : {}),
      structs: ds.structs, annotations: ds.annotations,
      fields: ds.fields.map((f) => ({
        name: f.fullName, kind: ebpfKindName(f.kind),
        ...(f.origin === 'ebpf' ? { offset: f.offset, size: f.size } : {}),
        ...(f.parent >= 0 ? { parent: ds.fields[f.parent].fullName } : {}),
        tags: f.tags, annotations: f.annotations, hidden: f.hidden, origin: f.origin,
      })),
    })),
    params: g.params.map((p) => ({
      key: p.key, typeHint: p.typeHint, defaultValue: p.defaultValue, description: p.description,
      ...(p.variable ? { variable: p.variable } : {}), fullKey: p.fullKey, defaultFrom: p.defaultFrom,
      ...(p.title ? { title: p.title } : {}), ...(p.tags ? { tags: p.tags } : {}),
    })),
    maps: g.maps,
    programs: g.programs,
    problems: g.problems,
  };
}
