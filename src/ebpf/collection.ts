// The collection spec IG gets from cilium/ebpf's LoadCollectionSpec: maps (BTF-defined in `.maps`, legacy
// `maps` sections, and the data sections `.rodata*`/`.data*`/`.bss*` as one-element Array maps) and
// programs (function symbols of executable sections, typed by their section name). Only what IG reads.
import { Btf, readObjectBtf, sizeOf, typeString, underlying } from './btf';
import { ElfFile, ElfSection, SHF_EXECINSTR, STT_FUNC, STT_OBJECT, parseElf } from './elf';
import { EbpfError } from './errors';

/** cilium/ebpf's MapType names, index = BPF_MAP_TYPE_* number. */
export const MAP_TYPE_NAMES: readonly string[] = [
  'UnspecifiedMap', 'Hash', 'Array', 'ProgramArray', 'PerfEventArray', 'PerCPUHash', 'PerCPUArray', 'StackTrace',
  'CGroupArray', 'LRUHash', 'LRUCPUHash', 'LPMTrie', 'ArrayOfMaps', 'HashOfMaps', 'DevMap', 'SockMap', 'CPUMap',
  'XSKMap', 'SockHash', 'CGroupStorage', 'ReusePortSockArray', 'PerCPUCGroupStorage', 'Queue', 'Stack',
  'SkStorage', 'DevMapHash', 'StructOpsMap', 'RingBuf', 'InodeStorage', 'TaskStorage', 'BloomFilter',
  'UserRingbuf', 'CgroupStorage', 'Arena',
];

export const MapType = {
  Hash: 1, Array: 2, ProgramArray: 3, PerfEventArray: 4, ArrayOfMaps: 12, HashOfMaps: 13, RingBuf: 27, UserRingbuf: 31,
} as const;

export function mapTypeName(type: number): string {
  return MAP_TYPE_NAMES[type] ?? `MapType(${type})`;
}

/** The kernel's spellings where cilium/ebpf's differ (after lower-casing and dropping `_`). */
const KERNEL_SPELLINGS: Record<string, number> = { percpuhash: 5, percpuarray: 6, lrupercpuhash: 10, lpmtrie: 11, ringbuf: 27, userringbuf: 31 };

/**
 * A map type from its name as people write it: cilium/ebpf's (`LRUHash`), the kernel's
 * (`BPF_MAP_TYPE_LRU_HASH`, `lru_hash`), any case; or its number. undefined when unknown.
 */
export function mapTypeFromName(name: string): number | undefined {
  if (/^\d+$/.test(name)) return Number(name) < MAP_TYPE_NAMES.length ? Number(name) : undefined;
  const k = name.toLowerCase().replace(/^bpf_map_type_/, '').replace(/_/g, '');
  const i = MAP_TYPE_NAMES.findIndex((n) => n.toLowerCase() === k);
  return i > 0 ? i : KERNEL_SPELLINGS[k];
}

export interface MapSpec {
  name: string;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  pinning: number;
  mapExtra: number;
  /** BTF ids of `__type(key, …)` / `__type(value, …)` (kept even where the size is not). */
  key?: number;
  value?: number;
  /** Map-in-map: the spec of the inner map (`<outer>_inner`). */
  inner?: MapSpec;
  /** ELF section the map is defined in (`.maps`, `maps`, or the data section itself). */
  section: string;
  /** Data-section maps: the initial bytes (zeros for .bss). */
  contents?: Uint8Array;
}

export interface ProgramSpec {
  name: string;
  sectionName: string;
  /** cilium/ebpf's ProgramType name (`Kprobe`, `Tracing`, …); `UnspecifiedProgram` when unknown. */
  type: string;
}

export interface CollectionSpec {
  elf: ElfFile;
  btf: Btf | undefined;
  maps: Map<string, MapSpec>;
  programs: Map<string, ProgramSpec>;
}

export function loadCollectionSpec(bytes: Uint8Array): CollectionSpec {
  const elf = parseElf(bytes);
  const btf = readObjectBtf(elf);
  const maps = new Map<string, MapSpec>();
  for (const m of legacyMaps(elf)) maps.set(m.name, m);
  if (btf) for (const m of btfMaps(btf)) maps.set(m.name, m);
  for (const m of dataSectionMaps(elf)) maps.set(m.name, m);
  const kconfig = btf?.types.find((t) => t.kind === 'datasec' && t.name === '.kconfig');
  if (kconfig) {
    // `extern … __kconfig` values: the loader fills a read-only one-element Array map named `.kconfig`.
    const size = Math.max(kconfig.size, ...kconfig.vars.map((v) => v.offset + v.size));
    maps.set('.kconfig', { name: '.kconfig', type: MapType.Array, keySize: 4, valueSize: size, maxEntries: 1, flags: 0x80, pinning: 0, mapExtra: 0, section: '.kconfig' });
  }
  return { elf, btf, maps, programs: programs(elf) };
}

// ---- BTF-defined maps -------------------------------------------------------------------------------

function btfMaps(btf: Btf): MapSpec[] {
  const out: MapSpec[] = [];
  for (const ds of btf.types) {
    if (ds.kind !== 'datasec' || ds.name !== '.maps') continue;
    for (const v of ds.vars) {
      const vt = btf.types[v.type];
      if (vt.kind !== 'var') throw new EbpfError('maps', `.maps: DATASEC entry ${v.type} is a ${vt.kind}, not a variable`);
      out.push(mapFromBtf(btf, vt.name, vt.type, false));
    }
  }
  return out;
}

/** `__uint(name, N)` is a pointer to `int[N]`; `__ulong` an enum whose one value is N. */
function uintFromBtf(btf: Btf, id: number, where: string): number {
  const p = btf.types[id];
  if (p.kind === 'ptr') {
    const a = btf.types[p.type];
    if (a.kind === 'array') return a.nelems;
  }
  const e = underlying(btf, id);
  if ((e.kind === 'enum' || e.kind === 'enum64') && e.values.length === 1) return Number(e.values[0].value);
  throw new EbpfError('maps', `${where}: not a pointer to an array (got ${typeString(btf, id)})`);
}

function pointee(btf: Btf, id: number, where: string): number {
  const p = btf.types[id];
  if (p.kind !== 'ptr') throw new EbpfError('maps', `${where}: not a pointer (got ${typeString(btf, id)})`);
  return p.type;
}

function mapFromBtf(btf: Btf, name: string, typeId: number, inner: boolean): MapSpec {
  const def = underlying(btf, typeId);
  if (def.kind !== 'struct') throw new EbpfError('maps', `map ${name}: expected a struct definition, got ${typeString(btf, typeId)}`);
  const m: MapSpec = { name, type: 0, keySize: 0, valueSize: 0, maxEntries: 0, flags: 0, pinning: 0, mapExtra: 0, section: '.maps' };
  let innerDef: { id: number; member: string } | undefined;
  let programArray = false;
  def.members.forEach((mem, i) => {
    const where = `map ${name}: field ${mem.name}`;
    switch (mem.name) {
      case 'type': m.type = uintFromBtf(btf, mem.type, where); break;
      case 'map_flags': m.flags = uintFromBtf(btf, mem.type, where); break;
      case 'max_entries': m.maxEntries = uintFromBtf(btf, mem.type, where); break;
      case 'pinning': m.pinning = uintFromBtf(btf, mem.type, where); break;
      case 'map_extra': m.mapExtra = uintFromBtf(btf, mem.type, where); break;
      case 'key':
        if (m.keySize) throw new EbpfError('maps', `map ${name}: both key and key_size given`);
        m.key = pointee(btf, mem.type, where);
        m.keySize = sizeOf(btf, m.key);
        break;
      case 'key_size':
        if (m.key !== undefined) throw new EbpfError('maps', `map ${name}: both key and key_size given`);
        m.keySize = uintFromBtf(btf, mem.type, where);
        break;
      case 'value':
        if (m.valueSize) throw new EbpfError('maps', `map ${name}: both value and value_size given`);
        m.value = pointee(btf, mem.type, where);
        m.valueSize = sizeOf(btf, m.value);
        break;
      case 'value_size':
        if (m.value !== undefined) throw new EbpfError('maps', `map ${name}: both value and value_size given`);
        m.valueSize = uintFromBtf(btf, mem.type, where);
        break;
      case 'values': {
        if (i !== def.members.length - 1) throw new EbpfError('maps', `map ${name}: 'values' must be the last member of the map definition`);
        const arr = btf.types[mem.type];
        if (arr.kind !== 'array') throw new EbpfError('maps', `${where}: expected an array, got ${typeString(btf, mem.type)}`);
        const target = underlying(btf, pointee(btf, arr.type, where));
        if (target.kind === 'struct') innerDef = { id: target.id, member: mem.name };
        else if (target.kind === 'func_proto') programArray = true;
        else throw new EbpfError('maps', `${where}: expected pointers to a map definition or to functions, got ${typeString(btf, arr.type)}`);
        break;
      }
      default:
        throw new EbpfError('maps', `map ${name}: unrecognized field ${mem.name} in the BTF map definition`);
    }
  });
  if (innerDef) {
    if (inner) throw new EbpfError('maps', `map ${name}: nested map-in-map is not supported`);
    if (m.type !== MapType.ArrayOfMaps && m.type !== MapType.HashOfMaps) {
      throw new EbpfError('maps', `map ${name}: outer map must be ArrayOfMaps or HashOfMaps, not ${mapTypeName(m.type)}`);
    }
    m.inner = mapFromBtf(btf, `${name}_inner`, innerDef.id, true);
    if (m.inner.pinning) throw new EbpfError('maps', `map ${name}: inner maps cannot be pinned`);
    m.valueSize = 4;
  } else if (programArray) {
    if (m.type !== MapType.ProgramArray) throw new EbpfError('maps', `map ${name}: function values need a ProgramArray, not ${mapTypeName(m.type)}`);
    m.valueSize = 4;
  }
  // Ring buffers hold no values: a `__type(value, …)` on them only documents the record (kept as BTF).
  if ((m.type === MapType.RingBuf || m.type === MapType.UserRingbuf) && m.value !== undefined) m.valueSize = 0;
  return m;
}

// ---- legacy `maps` section ------------------------------------------------------------------------

function legacyMaps(elf: ElfFile): MapSpec[] {
  const out: MapSpec[] = [];
  for (const sec of elf.sections) {
    if (sec.name !== 'maps' && !sec.name.startsWith('maps/')) continue;
    const syms = elf.symbols.filter((s) => s.shndx === sec.index && (s.type === STT_OBJECT || s.type === 0) && s.name);
    if (!syms.length) continue;
    const defSize = Math.floor(sec.size / syms.length);
    const dv = new DataView(sec.data.buffer, sec.data.byteOffset, sec.data.byteLength);
    for (const s of syms) {
      const size = s.size || defSize;
      if (size < 20 || s.value + size > sec.size) {
        throw new EbpfError('maps', `${sec.name}: definition of map ${s.name} at ${s.value} (${size} bytes) is too short or past the section`);
      }
      const u = (i: number): number => dv.getUint32(s.value + 4 * i, elf.littleEndian);
      out.push({
        name: s.name, type: u(0), keySize: u(1), valueSize: u(2), maxEntries: u(3), flags: u(4), pinning: 0,
        mapExtra: 0, section: sec.name,
      });
    }
  }
  return out;
}

// ---- data sections ----------------------------------------------------------------------------------

export function isDataSection(name: string): boolean {
  return /^\.(rodata|data|bss)(\.|$)/.test(name);
}

function dataSectionMaps(elf: ElfFile): MapSpec[] {
  return elf.sections.filter((s) => isDataSection(s.name) && s.size > 0).map((s: ElfSection) => ({
    name: s.name, type: MapType.Array, keySize: 4, valueSize: s.size, maxEntries: 1, flags: s.name.startsWith('.rodata') ? 0x80 : 0,
    pinning: 0, mapExtra: 0, section: s.name, contents: s.data.length ? s.data : new Uint8Array(s.size),
  }));
}

// ---- programs ---------------------------------------------------------------------------------------

/** Section-name prefixes → cilium/ebpf ProgramType (the libbpf conventions cilium follows). */
const PROGRAM_TYPES: readonly [string, string][] = [
  ['socket', 'SocketFilter'], ['sk_reuseport', 'SkReuseport'], ['kprobe', 'Kprobe'], ['kretprobe', 'Kprobe'],
  ['uprobe', 'Kprobe'], ['uretprobe', 'Kprobe'], ['usdt', 'Kprobe'], ['ksyscall', 'Kprobe'], ['kretsyscall', 'Kprobe'],
  ['tracepoint', 'TracePoint'], ['tp_btf', 'Tracing'], ['tp', 'TracePoint'], ['raw_tracepoint', 'RawTracepoint'],
  ['raw_tp', 'RawTracepoint'], ['fentry', 'Tracing'], ['fexit', 'Tracing'], ['fmod_ret', 'Tracing'], ['iter', 'Tracing'],
  ['lsm', 'LSM'], ['xdp', 'XDP'], ['classifier', 'SchedCLS'], ['tcx', 'SchedCLS'], ['tc', 'SchedCLS'],
  ['action', 'SchedACT'], ['perf_event', 'PerfEvent'], ['cgroup_skb', 'CGroupSKB'], ['cgroup/skb', 'CGroupSKB'],
  ['cgroup/sock_create', 'CGroupSock'], ['cgroup/sock_release', 'CGroupSock'], ['cgroup/post_bind', 'CGroupSock'],
  ['cgroup/dev', 'CGroupDevice'], ['cgroup/sysctl', 'CGroupSysctl'], ['cgroup/getsockopt', 'CGroupSockopt'],
  ['cgroup/setsockopt', 'CGroupSockopt'], ['cgroup', 'CGroupSockAddr'], ['sockops', 'SockOps'], ['sk_skb', 'SkSKB'],
  ['sk_msg', 'SkMsg'], ['sk_lookup', 'SkLookup'], ['flow_dissector', 'FlowDissector'], ['struct_ops', 'StructOps'],
  ['syscall', 'Syscall'], ['netfilter', 'Netfilter'], ['lwt_in', 'LWTIn'], ['lwt_out', 'LWTOut'], ['lwt_xmit', 'LWTXmit'],
];

export function programType(sectionName: string): string {
  for (const [prefix, type] of PROGRAM_TYPES) {
    if (!sectionName.startsWith(prefix)) continue;
    const rest = sectionName.slice(prefix.length);
    // `kprobe/x`, `kprobe.multi/x`, `iter.s/x`, `socket1`, `xdp`: the prefix ends at a separator or a digit.
    if (rest === '' || /^[/.\d]/.test(rest) || prefix.endsWith('/')) return type;
  }
  return 'UnspecifiedProgram';
}

function programs(elf: ElfFile): Map<string, ProgramSpec> {
  const out = new Map<string, ProgramSpec>();
  const exec = new Map<number, ElfSection>();
  for (const s of elf.sections) if ((s.flags & SHF_EXECINSTR) && s.size > 0 && s.name !== '.text') exec.set(s.index, s);
  for (const sym of elf.symbols) {
    const sec = exec.get(sym.shndx);
    if (!sec || sym.type !== STT_FUNC) continue;
    out.set(sym.name, { name: sym.name, sectionName: sec.name, type: programType(sec.name) });
  }
  return out;
}
