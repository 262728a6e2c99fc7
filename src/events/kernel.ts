// The kernel-side sections of an events file, and how they combine with the gadget's eBPF object into the
// host's KernelOptions:
//   maps:         test_map: {type: hash, keySize: 12, valueSize: 4, maxEntries: 1}   # declares a map
//                 config_map: {entries: [{key: [1, 0, 0, 0], value: AAAAAA==}]}      # preloads one
//   perf:         events: [KioqACoAAAAr..., [42, 0, 0, 0]]   # records for the perf event array `events`
//   kallsyms:     [socket_file_ops, …]
//   mntnsFilter:  [4026531840, …]
// Keys and values are byte lists or base64, or (for maps whose object gives BTF struct types) mappings
// by member name.
import type { KernelOptions, MapDecl } from '../host/api';
import type { Btf } from '../ebpf/btf';
import { BtfEncodeError, encodeBtf } from '../ebpf/btf-values';
import { mapTypeFromName, mapTypeName, type MapSpec } from '../ebpf/collection';
import { deref, isMap, isScalar, isSeq, keyText, toPlain, type YamlDoc, type YMap, type YNode } from '../yaml/read';
import { EventsFileError, toValue, type RawValue } from './parse';

/** A key or value as written: bytes, or members by name (encoded once the map's BTF type is known). */
export type EntryPart = Uint8Array | { members: RawValue; line: number };

export interface EventsMap {
  name: string;
  line: number;
  type?: number;
  keySize?: number;
  valueSize?: number;
  maxEntries?: number;
  entries: { key: EntryPart; value: EntryPart; line: number }[];
}

export interface EventsKernel {
  maps: EventsMap[];
  perf: { map: string; records: Uint8Array[]; line: number }[];
  kallsyms?: string[];
  mntnsFilter?: bigint[];
}

export const KERNEL_KEYS = ['maps', 'perf', 'kallsyms', 'mntnsFilter'] as const;

type Err = (node: YNode | null | undefined, problem: string) => never;

/** Reads the kernel sections of an events file's root mapping; undefined when it has none. */
export function parseKernelSections(doc: YamlDoc, root: YMap, err: Err): EventsKernel | undefined {
  const get = (k: string): YNode | undefined => deref(root.items.find((p) => keyText(p) === k)?.value);
  if (!KERNEL_KEYS.some((k) => get(k) !== undefined)) return undefined;
  const line = (n: YNode): number => doc.position(n.start).line;
  const bytes = (n: YNode, what: string): Uint8Array => {
    const raw = toPlain(doc, n) as RawValue;
    try {
      return toValue('bytes', raw) as Uint8Array;
    } catch (e) {
      return err(n, `${what}: ${(e as Error).message.replace('for kind bytes', '')}`.trim());
    }
  };
  const part = (n: YNode, what: string): EntryPart => (isMap(n) ? { members: toPlain(doc, n) as RawValue, line: line(n) } : bytes(n, what));
  const uint = (n: YNode, what: string): number => {
    const v = isScalar(n) ? n.value : undefined;
    if ((typeof v !== 'bigint' && typeof v !== 'number') || v < 0 || v > 0xffffffff || !Number.isInteger(Number(v))) return err(n, `${what} must be an integer 0..4294967295`);
    return Number(v);
  };
  const out: EventsKernel = { maps: [], perf: [] };

  const maps = get('maps');
  if (maps !== undefined && !(isScalar(maps) && maps.value === null)) {
    if (!isMap(maps)) return err(maps, '`maps` must be a mapping of map names');
    for (const p of maps.items) {
      const name = keyText(p) ?? '';
      const v = deref(p.value);
      const m: EventsMap = { name, line: line(p.key), entries: [] };
      if (!isMap(v)) return err(v ?? p.key, `map '${name}' must be a mapping with type, keySize, valueSize, maxEntries and/or entries`);
      for (const q of v.items) {
        const k = keyText(q);
        const val = deref(q.value)!;
        const where = `map '${name}': ${k}`;
        if (k === 'type') {
          const t = isScalar(val) ? mapTypeFromName(String(val.value)) : undefined;
          if (t === undefined) return err(val, `${where}: unknown map type '${isScalar(val) ? String(val.value) : ''}' (e.g. hash, array, lru_hash, percpu_array, perf_event_array, hash_of_maps)`);
          m.type = t;
        } else if (k === 'keySize') m.keySize = uint(val, where);
        else if (k === 'valueSize') m.valueSize = uint(val, where);
        else if (k === 'maxEntries') m.maxEntries = uint(val, where);
        else if (k === 'entries') {
          if (!isSeq(val)) return err(val, `${where} must be a list of {key, value}`);
          for (const it of val.items) {
            const e = deref(it)!;
            if (!isMap(e)) return err(e, `map '${name}': an entry must be a mapping with key and value`);
            const kn = deref(e.items.find((x) => keyText(x) === 'key')?.value);
            const vn = deref(e.items.find((x) => keyText(x) === 'value')?.value);
            const extra = e.items.find((x) => keyText(x) !== 'key' && keyText(x) !== 'value');
            if (extra) return err(extra.key, `map '${name}': unknown key '${keyText(extra) ?? ''}' in an entry (expected key, value)`);
            if (!kn || !vn) return err(e, `map '${name}': an entry needs both key and value`);
            m.entries.push({ key: part(kn, `map '${name}', key`), value: part(vn, `map '${name}', value`), line: line(e) });
          }
        } else return err(q.key, `map '${name}': unknown key '${k ?? ''}' (expected type, keySize, valueSize, maxEntries, entries)`);
      }
      out.maps.push(m);
    }
  }

  const perf = get('perf');
  if (perf !== undefined && !(isScalar(perf) && perf.value === null)) {
    if (!isMap(perf)) return err(perf, '`perf` must map perf event array names to lists of records');
    for (const p of perf.items) {
      const name = keyText(p) ?? '';
      const list = deref(p.value);
      if (!isSeq(list)) return err(list ?? p.key, `perf '${name}': expected a list of records (base64 or byte lists)`);
      out.perf.push({ map: name, line: line(p.key), records: list.items.map((r, i) => bytes(deref(r)!, `perf '${name}', record ${i + 1}`)) });
    }
  }

  const ks = get('kallsyms');
  if (ks !== undefined) {
    if (!isSeq(ks) || !ks.items.every((s) => isScalar(s) && typeof s.value === 'string')) return err(ks, '`kallsyms` must be a list of symbol names');
    out.kallsyms = ks.items.map((s) => String((s as { value: string }).value));
  }

  const mf = get('mntnsFilter');
  if (mf !== undefined) {
    if (!isSeq(mf)) return err(mf, '`mntnsFilter` must be a list of mount namespace IDs');
    out.mntnsFilter = mf.items.map((s) => {
      const v = isScalar(s) ? s.value : undefined;
      if ((typeof v !== 'bigint' && typeof v !== 'number') || v < 0 || BigInt(v) > 0xffffffffffffffffn) return err(s, 'mntnsFilter: IDs are unsigned 64-bit integers');
      return BigInt(v);
    });
  }
  return out;
}

/** What the gadget's object says about its maps: specs and BTF, from src/ebpf's loadCollectionSpec. */
export interface ObjectMaps {
  file: string;
  maps: Map<string, MapSpec>;
  btf: Btf | undefined;
}

/**
 * The gadget's maps for the host: the object's (except data sections, which IG does not publish under
 * their names for wasm) plus the events file's declarations, with the events file's entries and perf
 * records. Conflicts and entries that do not fit are EventsFileErrors naming the events file's line.
 */
export function kernelMaps(obj: ObjectMaps | undefined, ev: EventsKernel | undefined, eventsFile: string, cpus = 1): MapDecl[] {
  const out = new Map<string, MapDecl & { key?: number; value?: number }>();
  for (const s of obj?.maps.values() ?? []) {
    if (s.section !== '.maps' && s.section !== 'maps') continue;
    const d: MapDecl & { key?: number; value?: number } = { name: s.name, type: s.type, keySize: s.keySize, valueSize: s.valueSize, maxEntries: s.maxEntries, key: s.key, value: s.value };
    if (s.inner) d.inner = { name: s.inner.name, type: s.inner.type, keySize: s.inner.keySize, valueSize: s.inner.valueSize, maxEntries: s.inner.maxEntries };
    out.set(s.name, d);
  }
  for (const m of ev?.maps ?? []) {
    const fail = (line: number, problem: string): never => { throw new EventsFileError(eventsFile, line, problem); };
    let d = out.get(m.name);
    const given = { type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries };
    if (d) {
      for (const [k, v] of Object.entries(given)) {
        const have = d[k as keyof typeof given];
        if (v !== undefined && v !== have) {
          fail(m.line, `map '${m.name}': ${k} ${k === 'type' ? mapTypeName(v) : v} differs from the object's ${k === 'type' ? mapTypeName(have) : have} (${obj?.file ?? ''})`);
        }
      }
    } else {
      const missing = Object.entries(given).filter(([, v]) => v === undefined).map(([k]) => k);
      if (missing.length) {
        fail(m.line, `map '${m.name}' is not in ${obj ? `the object ${obj.file}` : 'an eBPF object (none given)'}: declare it with ${missing.join(', ')}`);
      }
      d = { name: m.name, type: m.type!, keySize: m.keySize!, valueSize: m.valueSize!, maxEntries: m.maxEntries! };
      out.set(m.name, d);
    }
    const decl = d;
    const perCpu = decl.type === 5 || decl.type === 6 || decl.type === 10;
    const valueLen = perCpu ? ((decl.valueSize + 7) & ~7) * cpus : decl.valueSize;
    decl.entries = m.entries.map((e) => {
      const key = encodePart(obj?.btf, decl.key, e.key, `map '${m.name}', key`, eventsFile);
      if (key.length !== decl.keySize) fail(e.line, `map '${m.name}': the key is ${key.length} bytes, the map's key size is ${decl.keySize}`);
      let value = encodePart(obj?.btf, decl.value, e.value, `map '${m.name}', value`, eventsFile);
      // A per-CPU value given once (e.g. by member name) is every CPU's.
      if (perCpu && value.length === decl.valueSize) value = repeatPerCpu(value, decl.valueSize, cpus);
      if (value.length !== valueLen) {
        fail(e.line, `map '${m.name}': the value is ${value.length} bytes, the map's value size is ${valueLen}${perCpu ? ` (${cpus} CPUs × ${(decl.valueSize + 7) & ~7})` : ''}`);
      }
      return { key, value };
    });
  }
  for (const p of ev?.perf ?? []) {
    const d = out.get(p.map);
    if (!d) throw new EventsFileError(eventsFile, p.line, `perf '${p.map}': no such map${obj ? ` in ${obj.file}` : ''}; declare it under maps with type perf_event_array`);
    if (d.type !== 4) throw new EventsFileError(eventsFile, p.line, `perf '${p.map}': the map is a ${mapTypeName(d.type)}, not a PerfEventArray`);
    d.records = p.records;
  }
  return [...out.values()].map(({ key: _k, value: _v, ...d }) => d);
}

function repeatPerCpu(v: Uint8Array, size: number, cpus: number): Uint8Array {
  const stride = (size + 7) & ~7;
  const out = new Uint8Array(stride * cpus);
  for (let i = 0; i < cpus; i++) out.set(v, i * stride);
  return out;
}

function encodePart(btf: Btf | undefined, typeId: number | undefined, part: EntryPart, what: string, file: string): Uint8Array {
  if (part instanceof Uint8Array) return part;
  if (!btf || typeId === undefined) throw new EventsFileError(file, part.line, `${what}: members by name need the map's BTF type from its eBPF object (--ebpf); give bytes instead`);
  try {
    return encodeBtf(btf, typeId, part.members, what.replace(/^map '[^']*', /, ''));
  } catch (e) {
    if (e instanceof BtfEncodeError) throw new EventsFileError(file, part.line, `${what}: ${e.message}`);
    throw e;
  }
}

/** KernelOptions from the object and the events file (kallsyms and the filter as the file gives them). */
export function kernelFromEvents(obj: ObjectMaps | undefined, ev: EventsKernel | undefined, eventsFile: string, cpus = 1): KernelOptions {
  const k: KernelOptions = { maps: kernelMaps(obj, ev, eventsFile, cpus), cpus };
  if (ev?.kallsyms) k.kallsyms = ev.kallsyms;
  if (ev?.mntnsFilter) k.mntnsFilter = ev.mntnsFilter;
  return k;
}
