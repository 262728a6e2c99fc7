// A reader for BTF (the `.BTF` section of an eBPF object): every kind of the kernel's btf.h (1..19), the
// string table, and the look-ups IG's code does through cilium/ebpf (type by name, sizes, following
// typedef/const/volatile). DATASEC sizes and variable offsets that clang leaves 0 are fixed up from the ELF
// section sizes and symbol values, as cilium/ebpf and libbpf do before anything reads them.
import { cstr, ElfFile } from './elf';
import { EbpfError } from './errors';

export type BtfKind =
  | 'void' | 'int' | 'ptr' | 'array' | 'struct' | 'union' | 'enum' | 'fwd' | 'typedef' | 'volatile' | 'const'
  | 'restrict' | 'func' | 'func_proto' | 'var' | 'datasec' | 'float' | 'decl_tag' | 'type_tag' | 'enum64';

const KINDS: readonly BtfKind[] = [
  'void', 'int', 'ptr', 'array', 'struct', 'union', 'enum', 'fwd', 'typedef', 'volatile', 'const', 'restrict',
  'func', 'func_proto', 'var', 'datasec', 'float', 'decl_tag', 'type_tag', 'enum64',
];

/** BTF_INT_ENCODING bits. cilium/ebpf compares the whole value: SIGNED|CHAR is neither Signed nor Char. */
export const INT_SIGNED = 1;
export const INT_CHAR = 2;
export const INT_BOOL = 4;

/** BTF_VAR linkage. */
export const VAR_STATIC = 0;
export const VAR_GLOBAL = 1;

export interface BtfMember { name: string; type: number; /** bit offset in the struct */ bitOffset: number; bitfieldSize: number }
export interface BtfEnumValue { name: string; value: bigint }
export interface BtfParam { name: string; type: number }
export interface BtfVarSecinfo { type: number; offset: number; size: number }

export interface BtfType {
  id: number;
  kind: BtfKind;
  name: string;
  kindFlag: boolean;
  /** Byte size for int, struct, union, enum, enum64, float, datasec. */
  size: number;
  /** Referenced type for ptr, typedef, volatile, const, restrict, func, var, decl_tag, type_tag; array element. */
  type: number;
  /** int: BTF_INT_ENCODING, bit width and bit offset. */
  encoding: number;
  bits: number;
  /** array */
  nelems: number;
  indexType: number;
  /** struct / union */
  members: BtfMember[];
  /** enum / enum64; `signed` from the kind flag */
  values: BtfEnumValue[];
  /** func_proto */
  params: BtfParam[];
  /** var linkage, func linkage (vlen), decl_tag component index */
  linkage: number;
  /** datasec */
  vars: BtfVarSecinfo[];
}

export interface Btf {
  /** Index = type id; 0 is void. */
  types: BtfType[];
  /** Ids of the types with that name, in id order. */
  byName(name: string): number[];
  littleEndian: boolean;
}

const VOID: BtfType = {
  id: 0, kind: 'void', name: '', kindFlag: false, size: 0, type: 0, encoding: 0, bits: 0, nelems: 0, indexType: 0,
  members: [], values: [], params: [], linkage: 0, vars: [],
};

export const BTF_MAGIC = 0xeb9f;

/** Parses the raw bytes of a `.BTF` section. `where` names the section in errors. */
export function parseBtf(raw: Uint8Array, littleEndian = true): Btf {
  if (raw.length < 24) throw new EbpfError('btf', `.BTF is ${raw.length} bytes, shorter than its header`);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let le = littleEndian;
  if (dv.getUint16(0, le) !== BTF_MAGIC) {
    le = !le;
    if (dv.getUint16(0, le) !== BTF_MAGIC) throw new EbpfError('btf', `bad magic 0x${dv.getUint16(0, littleEndian).toString(16)} (want 0xeb9f)`);
  }
  const hdrLen = dv.getUint32(4, le);
  const typeOff = hdrLen + dv.getUint32(8, le);
  const typeLen = dv.getUint32(12, le);
  const strOff = hdrLen + dv.getUint32(16, le);
  const strLen = dv.getUint32(20, le);
  if (typeOff + typeLen > raw.length || strOff + strLen > raw.length) {
    throw new EbpfError('btf', `type or string section runs past the end of .BTF (${raw.length} bytes)`);
  }
  const strs = raw.subarray(strOff, strOff + strLen);
  const names = new Map<number, string>();
  const str = (off: number): string => {
    if (off === 0) return '';
    let s = names.get(off);
    if (s === undefined) {
      if (off >= strs.length) throw new EbpfError('btf', `string offset ${off} outside the string table (${strs.length} bytes)`);
      s = cstr(strs, off);
      names.set(off, s);
    }
    return s;
  };
  const u32 = (o: number): number => dv.getUint32(o, le);
  const i32 = (o: number): number => dv.getInt32(o, le);

  const types: BtfType[] = [VOID];
  const end = typeOff + typeLen;
  let o = typeOff;
  while (o < end) {
    const id = types.length;
    if (o + 12 > end) throw new EbpfError('btf', `type ${id} at byte ${o - typeOff} is cut off`);
    const info = u32(o + 4);
    const k = (info >>> 24) & 0x1f;
    const vlen = info & 0xffff;
    const kind = KINDS[k];
    if (!kind || k === 0) throw new EbpfError('btf', `type ${id} has unknown kind ${k}`);
    const t: BtfType = {
      id, kind, name: str(u32(o)), kindFlag: (info >>> 31) === 1, size: 0, type: 0, encoding: 0, bits: 0,
      nelems: 0, indexType: 0, members: [], values: [], params: [], linkage: 0, vars: [],
    };
    const sizeOrType = u32(o + 8);
    o += 12;
    const need = (n: number): void => {
      if (o + n > end) throw new EbpfError('btf', `type ${id} (${kind} '${t.name}') is cut off`);
    };
    switch (kind) {
      case 'int': {
        need(4);
        const v = u32(o);
        o += 4;
        t.size = sizeOrType;
        t.encoding = (v >>> 24) & 0xf;
        t.bits = v & 0xff;
        break;
      }
      case 'array':
        need(12);
        t.type = u32(o); t.indexType = u32(o + 4); t.nelems = u32(o + 8);
        o += 12;
        break;
      case 'struct': case 'union':
        need(12 * vlen);
        t.size = sizeOrType;
        for (let i = 0; i < vlen; i++, o += 12) {
          const off = u32(o + 8);
          t.members.push(t.kindFlag
            ? { name: str(u32(o)), type: u32(o + 4), bitOffset: off & 0xffffff, bitfieldSize: off >>> 24 }
            : { name: str(u32(o)), type: u32(o + 4), bitOffset: off, bitfieldSize: 0 });
        }
        break;
      case 'enum':
        need(8 * vlen);
        t.size = sizeOrType;
        for (let i = 0; i < vlen; i++, o += 8) {
          t.values.push({ name: str(u32(o)), value: t.kindFlag ? BigInt(i32(o + 4)) : BigInt(u32(o + 4)) });
        }
        break;
      case 'enum64':
        need(12 * vlen);
        t.size = sizeOrType;
        for (let i = 0; i < vlen; i++, o += 12) {
          const v = (BigInt(u32(o + 8)) << 32n) | BigInt(u32(o + 4));
          t.values.push({ name: str(u32(o)), value: t.kindFlag ? BigInt.asIntN(64, v) : v });
        }
        break;
      case 'func_proto':
        need(8 * vlen);
        t.type = sizeOrType;
        for (let i = 0; i < vlen; i++, o += 8) t.params.push({ name: str(u32(o)), type: u32(o + 4) });
        break;
      case 'var':
        need(4);
        t.type = sizeOrType;
        t.linkage = u32(o);
        o += 4;
        break;
      case 'datasec':
        need(12 * vlen);
        t.size = sizeOrType;
        for (let i = 0; i < vlen; i++, o += 12) t.vars.push({ type: u32(o), offset: u32(o + 4), size: u32(o + 8) });
        break;
      case 'decl_tag':
        need(4);
        t.type = sizeOrType;
        t.linkage = i32(o);
        o += 4;
        break;
      case 'float':
        t.size = sizeOrType;
        break;
      case 'func':
        t.type = sizeOrType;
        t.linkage = vlen;
        break;
      default: // ptr, fwd, typedef, volatile, const, restrict, type_tag
        t.type = sizeOrType;
    }
    types.push(t);
  }
  for (const t of types) {
    for (const ref of refsOf(t)) {
      if (ref >= types.length) throw new EbpfError('btf', `type ${t.id} (${t.kind} '${t.name}') refers to type ${ref}, past the last type ${types.length - 1}`);
    }
  }
  let index: Map<string, number[]> | undefined;
  return {
    types,
    littleEndian: le,
    byName(name: string): number[] {
      if (!index) {
        index = new Map();
        for (const t of types) {
          if (!t.name) continue;
          const l = index.get(t.name);
          if (l) l.push(t.id); else index.set(t.name, [t.id]);
        }
      }
      return index.get(name) ?? [];
    },
  };
}

function refsOf(t: BtfType): number[] {
  switch (t.kind) {
    case 'int': case 'enum': case 'enum64': case 'float': case 'void': case 'fwd': return [];
    case 'array': return [t.type, t.indexType];
    case 'struct': case 'union': return t.members.map((m) => m.type);
    case 'func_proto': return [t.type, ...t.params.map((p) => p.type)];
    case 'datasec': return t.vars.map((v) => v.type);
    default: return [t.type];
  }
}

/** Reads `.BTF` of an ELF object and fixes DATASEC sizes and offsets; undefined when there is no `.BTF`. */
export function readObjectBtf(elf: ElfFile): Btf | undefined {
  const sec = elf.section('.BTF');
  if (!sec) return undefined;
  const btf = parseBtf(sec.data, elf.littleEndian);
  fixupDatasecs(btf, elf);
  return btf;
}

/**
 * clang writes DATASECs with size 0 and variable offsets 0 (it does not know the final layout); the loader
 * takes the size from the ELF section of that name and each variable's offset from its symbol.
 */
function fixupDatasecs(btf: Btf, elf: ElfFile): void {
  const symBySection = new Map<number, Map<string, number>>();
  for (const s of elf.symbols) {
    let m = symBySection.get(s.shndx);
    if (!m) symBySection.set(s.shndx, (m = new Map<string, number>()));
    if (!m.has(s.name)) m.set(s.name, s.value);
  }
  for (const t of btf.types) {
    if (t.kind !== 'datasec') continue;
    const sec = elf.section(t.name);
    if (!sec) continue; // .kconfig, .ksyms: extern sections without ELF data
    if (t.size === 0) t.size = sec.size;
    const syms = symBySection.get(sec.index);
    for (const v of t.vars) {
      const vt = btf.types[v.type];
      if (vt.kind !== 'var' || !syms) continue;
      const off = syms.get(vt.name);
      if (off !== undefined && v.offset === 0) v.offset = off;
    }
  }
}

/** Follows typedef, const, volatile, restrict and type_tag to the underlying type (cilium's UnderlyingType). */
export function underlying(btf: Btf, id: number): BtfType {
  let t = btf.types[id];
  for (let guard = 0; guard < 64; guard++) {
    if (t.kind !== 'typedef' && t.kind !== 'const' && t.kind !== 'volatile' && t.kind !== 'restrict' && t.kind !== 'type_tag') return t;
    t = btf.types[t.type];
  }
  throw new EbpfError('btf', `type ${id}: qualifier chain longer than 64`);
}

/** Size in bytes of a type (cilium's btf.Sizeof); throws for types without a size (void, func, fwd). */
export function sizeOf(btf: Btf, id: number): number {
  let n = 1;
  for (let guard = 0; guard < 64; guard++) {
    const t = btf.types[id];
    switch (t.kind) {
      case 'int': case 'struct': case 'union': case 'enum': case 'enum64': case 'float': case 'datasec':
        return n * t.size;
      case 'ptr': return n * 8;
      case 'array': n *= t.nelems; id = t.type; continue;
      case 'typedef': case 'const': case 'volatile': case 'restrict': case 'type_tag': case 'var':
        id = t.type; continue;
      default: throw new EbpfError('btf', `type ${t.id} (${t.kind} '${t.name}') has no size`);
    }
  }
  throw new EbpfError('btf', `type ${id}: type chain longer than 64`);
}

/** A readable name for messages: `struct event`, `__u32`, `const void *`. */
export function typeString(btf: Btf, id: number, depth = 0): string {
  const t = btf.types[id];
  if (depth > 8) return '…';
  switch (t.kind) {
    case 'void': return 'void';
    case 'struct': case 'union': case 'enum': case 'fwd': return `${t.kind === 'fwd' ? (t.kindFlag ? 'union' : 'struct') : t.kind === 'enum' ? 'enum' : t.kind} ${t.name || '(anon)'}`;
    case 'ptr': return `${typeString(btf, t.type, depth + 1)} *`;
    case 'const': case 'volatile': case 'restrict': return `${t.kind} ${typeString(btf, t.type, depth + 1)}`;
    case 'array': return `${typeString(btf, t.type, depth + 1)}[${t.nelems}]`;
    default: return t.name || t.kind;
  }
}
