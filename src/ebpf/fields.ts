// BTF struct → IG fields, as the ebpf operator's getFieldsFromMember does (see the shared note
// ig-ebpf-objects.md §b): depth-first in member order, `__*` members skipped, struct/union members as
// Bytes parents with dotted children, the typedef/const/volatile/array chain's names as `type:` tags and
// as column templates, scalar kinds from BTF encodings, char arrays as CString, other arrays as IG's
// array kinds, offsets in whole bytes (bitfields get their full integer at bitOffset/8).
import { TEMPLATE_ANNOTATIONS } from '../metadata/catalogue';
import { Btf, BtfType, INT_BOOL, INT_CHAR, INT_SIGNED } from './btf';
import type { FormatterSpec } from '../host/api';
import { arrayOf, isArrayKind, Kind } from './kinds';

/** Who made a field: the eBPF struct, or the operator that adds it after the eBPF layer. */
export type FieldOrigin = 'ebpf' | 'ebpf.enum' | 'ebpf.kstack' | 'localmanager' | 'formatters' | 'ustack' | 'uidgidresolver';

export interface EbpfField {
  /** Short name (the member name); `fullName` is dotted through the parents. */
  name: string;
  fullName: string;
  kind: number;
  /** Byte offset in the payload and Go size of the field's type; 0/0 for operator-added (dynamic) fields. */
  offset: number;
  size: number;
  /** Index of the parent field in the data source's field list, -1 at the top. */
  parent: number;
  tags: string[];
  annotations: Record<string, string>;
  hidden: boolean;
  origin: FieldOrigin;
  /** Which static payload of the data source holds it (map iterators: 0 key, 1 value). */
  payload: number;
  /** Operator-added fields: how IG fills it from other fields (absent: IG leaves it empty here, e.g. k8s.*). */
  formatter?: FormatterSpec;
}

/** A struct member of enum type, kept for the enum formatter (dotted name inside its struct). */
export interface EnumMember { memberName: string; enumId: number }

export interface StructFields { size: number; fields: EbpfField[]; enums: EnumMember[] }

// Special type names of include/gadget/types.h that carry a column template, and the structs whose field
// is hidden and whose members get `columns.alias` (struct.go applyAnnotationsTemplateForType).
const TEMPLATE_TYPES = new Set([
  'gadget_comm', 'gadget_uid', 'gadget_gid', 'gadget_pid', 'gadget_tid', 'gadget_timestamp', 'gadget_mntns_id',
  'gadget_netns_id', 'gadget_pcomm', 'gadget_ppid',
]);
const ALIAS_STRUCTS = new Set(['gadget_process', 'gadget_creds', 'gadget_parent']);

function applyTypeTemplate(typeName: string, dst: Record<string, string>): void {
  if (TEMPLATE_TYPES.has(typeName)) {
    const t = TEMPLATE_ANNOTATIONS[typeName.slice('gadget_'.length)];
    if (t) for (const [k, v] of Object.entries(t)) if (!(k in dst)) dst[k] = v;
  } else if (ALIAS_STRUCTS.has(typeName)) {
    dst['columns.hidden'] = 'true';
  }
}

/** The Go type IG reflects from BTF: a scalar kind with its size, or a fixed array of such. */
type Refl = { scalar: number; size: number } | { elem: Refl; n: number; size: number };

function simple(t: BtfType): Refl | null {
  const bySize = (signed: boolean, size: number): Refl | null => {
    const k = ({ 1: [Kind.Int8, Kind.Uint8], 2: [Kind.Int16, Kind.Uint16], 4: [Kind.Int32, Kind.Uint32], 8: [Kind.Int64, Kind.Uint64] } as Record<number, number[]>)[size];
    return k ? { scalar: k[signed ? 0 : 1], size } : null;
  };
  switch (t.kind) {
    case 'int':
      // cilium/ebpf compares the whole encoding value: only exactly SIGNED, none, BOOL or CHAR match.
      if (t.encoding === INT_SIGNED) return bySize(true, t.size);
      if (t.encoding === 0) return bySize(false, t.size);
      if (t.encoding === INT_BOOL) return { scalar: Kind.Bool, size: 1 };
      if (t.encoding === INT_CHAR) return { scalar: Kind.Uint8, size: 1 };
      return null;
    case 'float':
      return t.size === 4 ? { scalar: Kind.Float32, size: 4 } : t.size === 8 ? { scalar: Kind.Float64, size: 8 } : null;
    case 'enum': case 'enum64':
      return bySize(t.kindFlag, t.size);
    default:
      return null;
  }
}

/** btfhelpers.GetType: follows typedef/const/volatile and arrays, collecting every type name on the way. */
export function reflectType(btf: Btf, id: number, names: string[] = []): { refl: Refl | null; names: string[] } {
  let t = btf.types[id];
  for (let guard = 0; guard < 64; guard++) {
    if (t.name) names.push(t.name);
    if (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile') { t = btf.types[t.type]; continue; }
    if (t.kind === 'array') {
      const elem = reflectType(btf, t.type, names);
      if (!elem.refl) return { refl: null, names };
      return { refl: { elem: elem.refl, n: t.nelems, size: t.nelems * elem.refl.size }, names };
    }
    return { refl: simple(t), names };
  }
  return { refl: null, names };
}

/** getFieldKind: char arrays (int8 elements and a `type:char` tag) are CString; arrays of arrays only of strings. */
function fieldKind(r: Refl, tags: string[]): number {
  if ('scalar' in r) return r.scalar;
  if ('scalar' in r.elem && r.elem.scalar === Kind.Int8 && tags.includes('type:char')) return Kind.CString;
  const k = fieldKind(r.elem, tags);
  return isArrayKind(k) ? Kind.Invalid : arrayOf(k);
}

/** Fields of one struct (IG's populateStructDirect), all with payload 0 and origin `ebpf`. */
export function structFields(btf: Btf, st: BtfType): StructFields {
  const out: StructFields = { size: st.size, fields: [], enums: [] };
  walk(btf, st, out, '', 0, -1);
  return out;
}

function walk(btf: Btf, st: BtfType, out: StructFields, prefix: string, base: number, parent: number): void {
  for (const m of st.members) {
    if (m.name.startsWith('__')) continue;
    const annotations: Record<string, string> = {};
    const { refl, names } = reflectType(btf, m.type);
    const tags = names.map((n) => { applyTypeTemplate(n, annotations); return `type:${n}`; });
    if (ALIAS_STRUCTS.has(st.name)) annotations['columns.alias'] = m.name;
    tags.push(`name:${m.name}`, 'src:ebpf');
    const offset = base + Math.floor(m.bitOffset / 8);
    const field = (size: number, kind: number): EbpfField => ({
      name: m.name, fullName: prefix + m.name, kind, offset, size, parent, tags, annotations, hidden: false, origin: 'ebpf', payload: 0,
    });
    const mt = btf.types[m.type];
    if (mt.kind === 'struct' || mt.kind === 'union') {
      const index = out.fields.length;
      out.fields.push(field(mt.size, Kind.Bytes));
      walk(btf, mt, out, `${prefix}${m.name}.`, offset, index);
      continue;
    }
    if (!refl || refl.size === 0) continue; // pointers, 128-bit ints, nested/typedef'd structs, zero-length arrays
    if (mt.kind === 'enum' || mt.kind === 'enum64') out.enums.push({ memberName: prefix + m.name, enumId: mt.id });
    out.fields.push(field(refl.size, fieldKind(refl, tags)));
  }
}
