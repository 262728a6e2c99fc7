// eBPF maps in memory, behaving as the kernel's do when a user-space program (IG's host, through cilium/ebpf)
// looks up, updates and deletes: key and value sizes are enforced, max_entries bounds a hash (a full one
// refuses a new key, an LRU one evicts its least recently used), array keys are indices in range, update
// flags are the kernel's (any / no-exist / exist / lock; other combinations refused). Per-CPU maps hold
// one value per CPU, exchanged in the kernel's layout (each CPU's value padded to 8 bytes, CPU after CPU).
// Maps of maps hold other maps. Errors are the kernel's errno, named as cilium/ebpf reports them.
import { HType, Handled } from './handles';

/** BPF_MAP_TYPE_* numbers (cilium/ebpf's MapType). */
export const enum MT {
  Hash = 1, Array = 2, ProgramArray = 3, PerfEventArray = 4, PerCPUHash = 5, PerCPUArray = 6,
  CGroupArray = 8, LRUHash = 9, LRUCPUHash = 10, ArrayOfMaps = 12, HashOfMaps = 13, RingBuf = 27, Arena = 33,
}

/** Update flags (BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK). */
export const UPDATE_ANY = 0, UPDATE_NOEXIST = 1, UPDATE_EXIST = 2, UPDATE_LOCK = 4;

/** The kernel's answers, as cilium/ebpf words them (errno in parentheses). */
export const E = {
  noKey: 'key does not exist (ENOENT)',
  exists: 'key already exists (EEXIST)',
  full: 'map is full (E2BIG)',
  range: 'index out of range (E2BIG)',
  inval: 'invalid argument (EINVAL)',
  noDelete: 'arrays cannot delete elements (EINVAL)',
  notSupported: 'operation not supported by this map type (EINVAL)',
} as const;

/** What a map is made from: the gadget's object, an events file, or newMap. */
export interface MapSpecLike {
  name: string;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Maps of maps: the inner map's spec (the template every inner map must match). */
  inner?: MapSpecLike;
}

const align8 = (n: number): number => (n + 7) & ~7;

/**
 * Fast map key of a byte range: one UTF-16 code unit per byte. Short keys (the common case) are built
 * in a loop, which V8 does without allocating an intermediate array.
 */
export function keyOf(u8: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(u8[off + i]);
  return s;
}

/** The bytes of a key made by keyOf. */
export function keyBytes(k: string): Uint8Array {
  const out = new Uint8Array(k.length);
  for (let i = 0; i < k.length; i++) out[i] = k.charCodeAt(i);
  return out;
}

export class BpfMap {
  /** Hashes: key → value (insertion order = least recently used first, for LRU). */
  private readonly hash = new Map<string, Uint8Array>();
  /** Arrays: every element's value, zero-initialised, as in the kernel. */
  private readonly array: Uint8Array | undefined;
  /** Maps of maps: key → inner map. */
  private readonly maps = new Map<string, BpfMap>();
  /** Length of a value as exchanged with user space (per-CPU maps: every CPU's, each padded to 8). */
  readonly fullValueSize: number;
  /** Perf event arrays: records not yet written into a reader's ring (from the events file). */
  readonly pendingRecords: Uint8Array[] = [];

  constructor(readonly spec: MapSpecLike, readonly cpus: number) {
    const t = spec.type;
    this.fullValueSize = t === MT.PerCPUHash || t === MT.PerCPUArray || t === MT.LRUCPUHash ? align8(spec.valueSize) * cpus : spec.valueSize;
    if (t === MT.Array || t === MT.PerCPUArray) this.array = new Uint8Array(this.fullValueSize * spec.maxEntries);
  }

  get name(): string { return this.spec.name; }
  get type(): number { return this.spec.type; }
  get isMapOfMaps(): boolean { return this.spec.type === MT.ArrayOfMaps || this.spec.type === MT.HashOfMaps; }
  private get isArray(): boolean { return this.array !== undefined || this.spec.type === MT.ArrayOfMaps; }
  private get isLru(): boolean { return this.spec.type === MT.LRUHash || this.spec.type === MT.LRUCPUHash; }

  /** Number of entries (arrays: max_entries, every element exists). */
  get size(): number {
    if (this.array) return this.spec.maxEntries;
    return this.isMapOfMaps ? this.maps.size : this.hash.size;
  }

  /** Why the key at u8[off..off+len] is not usable, or '' when it is. */
  private checkKey(u8: Uint8Array, off: number, len: number): string {
    if (len !== this.spec.keySize) return `key is ${len} bytes, the map's key size is ${this.spec.keySize} (EINVAL)`;
    if (this.isArray) {
      const i = index(u8, off);
      if (i >= this.spec.maxEntries) return E.range;
    }
    return '';
  }

  /**
   * The value stored under a key (a view: copy it out), null when there is none, or why the lookup fails.
   * Array indices out of range are ENOENT, as in the kernel.
   */
  lookup(u8: Uint8Array, off: number, len: number): Uint8Array | null | string {
    if (!this.supportsElements()) return E.notSupported;
    if (len !== this.spec.keySize) return `key is ${len} bytes, the map's key size is ${this.spec.keySize} (EINVAL)`;
    const a = this.array;
    if (a) {
      const i = index(u8, off);
      if (i >= this.spec.maxEntries) return null;
      const n = this.fullValueSize;
      return a.subarray(i * n, i * n + n);
    }
    if (this.isMapOfMaps) return null; // use lookupMap
    const k = keyOf(u8, off, len);
    const v = this.hash.get(k);
    if (v === undefined) return null;
    if (this.isLru) { this.hash.delete(k); this.hash.set(k, v); }
    return v;
  }

  /** Maps of maps: the inner map under a key, null when none, or why the lookup fails. */
  lookupMap(u8: Uint8Array, off: number, len: number): BpfMap | null | string {
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad === E.range ? null : bad;
    return this.maps.get(keyOf(u8, off, len)) ?? null;
  }

  /** Stores value bytes v[voff..voff+vlen] under the key; '' on success, else why not. */
  update(u8: Uint8Array, off: number, len: number, v: Uint8Array, voff: number, vlen: number, flags: number): string {
    if (!this.supportsElements() || this.isMapOfMaps) return E.notSupported;
    const flagErr = checkFlags(flags);
    if (flagErr) return flagErr;
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad;
    if (vlen !== this.fullValueSize) return `value is ${vlen} bytes, the map's value size is ${this.fullValueSize}${this.fullValueSize !== this.spec.valueSize ? ` (${this.cpus} CPUs × ${align8(this.spec.valueSize)})` : ''} (EINVAL)`;
    const a = this.array;
    if (a) {
      if ((flags & 3) === UPDATE_NOEXIST) return E.exists;
      a.set(v.subarray(voff, voff + vlen), index(u8, off) * vlen);
      return '';
    }
    const k = keyOf(u8, off, len);
    const old = this.hash.get(k);
    const mode = flags & 3;
    if (old !== undefined) {
      if (mode === UPDATE_NOEXIST) return E.exists;
      old.set(v.subarray(voff, voff + vlen));
      if (this.isLru) { this.hash.delete(k); this.hash.set(k, old); }
      return '';
    }
    if (mode === UPDATE_EXIST) return E.noKey;
    if (this.hash.size >= this.spec.maxEntries) {
      if (!this.isLru) return E.full;
      this.hash.delete(this.hash.keys().next().value as string);
    }
    this.hash.set(k, v.slice(voff, voff + vlen));
    return '';
  }

  /** Maps of maps: stores an inner map (what the kernel gets as the value, an FD); '' or why not. */
  updateMap(u8: Uint8Array, off: number, len: number, inner: BpfMap, flags: number): string {
    const flagErr = checkFlags(flags);
    if (flagErr) return flagErr;
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad;
    const t = this.spec.inner;
    if (t && (t.type !== inner.type || t.keySize !== inner.spec.keySize || t.valueSize !== inner.spec.valueSize || t.maxEntries !== inner.spec.maxEntries)) {
      return `inner map "${inner.name}" does not match the template (${describeSpec(t)}; got ${describeSpec(inner.spec)}) (EINVAL)`;
    }
    const k = keyOf(u8, off, len);
    const exists = this.maps.has(k);
    const mode = flags & 3;
    if (exists && mode === UPDATE_NOEXIST) return E.exists;
    if (!exists && mode === UPDATE_EXIST) return E.noKey;
    if (!exists && this.maps.size >= this.spec.maxEntries && this.spec.type === MT.HashOfMaps) return E.full;
    this.maps.set(k, inner);
    return '';
  }

  delete(u8: Uint8Array, off: number, len: number): string {
    if (!this.supportsElements()) return E.notSupported;
    if (this.array) return E.noDelete;
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad === E.range ? E.noKey : bad;
    const k = keyOf(u8, off, len);
    const found = this.isMapOfMaps ? this.maps.delete(k) : this.hash.delete(k);
    return found ? '' : E.noKey;
  }

  /** Whether the map holds elements user space can reach (not perf event arrays, ring buffers, …). */
  supportsElements(): boolean {
    return ELEMENT_TYPES.has(this.spec.type);
  }

  /** Every entry, in key order for arrays, insertion order for hashes (for displays after a run). */
  entries(): { key: Uint8Array; value: Uint8Array | string }[] {
    const out: { key: Uint8Array; value: Uint8Array | string }[] = [];
    const a = this.array;
    if (a) {
      const n = this.fullValueSize;
      for (let i = 0; i < this.spec.maxEntries; i++) {
        const key = new Uint8Array(4);
        new DataView(key.buffer).setUint32(0, i, true);
        out.push({ key, value: a.slice(i * n, i * n + n) });
      }
    } else if (this.isMapOfMaps) {
      for (const [k, m] of this.maps) out.push({ key: keyBytes(k), value: `map ${m.name}` });
    } else {
      for (const [k, v] of this.hash) out.push({ key: keyBytes(k), value: v.slice() });
    }
    return out;
  }
}

const ELEMENT_TYPES = new Set<number>([MT.Hash, MT.Array, MT.PerCPUHash, MT.PerCPUArray, MT.LRUHash, MT.LRUCPUHash, MT.ArrayOfMaps, MT.HashOfMaps]);

function index(u8: Uint8Array, off: number): number {
  return (u8[off] | (u8[off + 1] << 8) | (u8[off + 2] << 16) | (u8[off + 3] << 24)) >>> 0;
}

/** The kernel accepts BPF_ANY, BPF_NOEXIST or BPF_EXIST, optionally with BPF_F_LOCK. */
function checkFlags(flags: number): string {
  return (flags & ~UPDATE_LOCK) > UPDATE_EXIST ? `update flags ${flags} combine no-exist and exist (EINVAL)` : '';
}

export function describeSpec(s: MapSpecLike): string {
  return `type ${s.type}, key ${s.keySize} B, value ${s.valueSize} B, max ${s.maxEntries} entries`;
}

/**
 * The map the kernel would create for a spec, or why it refuses (the kernel's checks for the types this
 * host simulates; other known types are refused as not simulated).
 */
export function createMap(spec: MapSpecLike, cpus: number): BpfMap | string {
  const { type, keySize, valueSize, maxEntries } = spec;
  switch (type) {
    case MT.Hash: case MT.PerCPUHash: case MT.LRUHash: case MT.LRUCPUHash:
      if (keySize === 0 || valueSize === 0 || maxEntries === 0) return `key size, value size and max entries must be non-zero (EINVAL)`;
      break;
    case MT.Array: case MT.PerCPUArray:
      if (keySize !== 4 || valueSize === 0 || maxEntries === 0) return `array maps need a 4-byte key, a value size and max entries (EINVAL)`;
      break;
    case MT.ArrayOfMaps: case MT.HashOfMaps:
      if (!spec.inner) return `maps of maps need an inner map (EINVAL)`;
      if (valueSize !== 4 || maxEntries === 0 || keySize === 0 || (type === MT.ArrayOfMaps && keySize !== 4)) return `maps of maps need a 4-byte value${type === MT.ArrayOfMaps ? ' and key' : ''} and max entries (EINVAL)`;
      break;
    case MT.PerfEventArray:
      if (keySize !== 4 || valueSize !== 4) return `perf event arrays need 4-byte keys and values (EINVAL)`;
      // cilium/ebpf sizes an unsized perf event array to the CPU count.
      if (maxEntries === 0) spec = { ...spec, maxEntries: cpus };
      break;
    case MT.RingBuf:
      if (keySize !== 0 || valueSize !== 0 || maxEntries === 0 || (maxEntries & (maxEntries - 1)) !== 0 || maxEntries % 4096 !== 0) {
        return `ring buffers need no key or value and a power-of-2 size, a multiple of the page size (EINVAL)`;
      }
      break;
    default:
      return `map type ${type} is not simulated by the embedded host`;
  }
  return new BpfMap(spec, cpus);
}

/** A guest handle to a map: getMap hands out a new one per call, all to the same map. */
export class MapRef implements Handled {
  readonly htype = HType.Map;
  constructor(readonly map: BpfMap) {}
}
