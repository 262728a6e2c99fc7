// eBPF maps in memory, behaving as the kernel's do when a user-space program (IG's host, through cilium/ebpf)
// looks up, updates and deletes: key and value sizes are enforced, max_entries bounds a hash (a full one
// refuses a new key, an LRU one evicts its least recently used), array keys are indices in range, update
// flags are the kernel's (any / no-exist / exist / lock; other combinations refused). Per-CPU maps hold
// one value per CPU, exchanged in the kernel's layout (each CPU's value padded to 8 bytes, CPU after CPU).
// Maps of maps hold other maps. Errors are the kernel's errno, named as cilium/ebpf reports them.
import { ByteTable } from './byte-table';
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

/** KMALLOC_MAX_SIZE on x86_64: the kernel's largest map value. */
const MAX_VALUE = 4 << 20;
/** The most an array map may take in this host's memory. */
const MAX_ARRAY_BYTES = 256 << 20;

/**
 * Map key of a byte range: two bytes per UTF-16 code unit (every key of a map has the same length, so an
 * odd last byte is unambiguous). Common key sizes are one String.fromCharCode call: a flat string, no
 * intermediate array or view, which keeps the per-event map calls cheap.
 */
export function keyOf(u8: Uint8Array, off: number, len: number): string {
  const w = (i: number): number => u8[off + i] | (u8[off + i + 1] << 8);
  switch (len) {
    case 4: return String.fromCharCode(w(0), w(2));
    case 8: return String.fromCharCode(w(0), w(2), w(4), w(6));
    case 12: return String.fromCharCode(w(0), w(2), w(4), w(6), w(8), w(10));
    case 16: return String.fromCharCode(w(0), w(2), w(4), w(6), w(8), w(10), w(12), w(14));
  }
  let s = '';
  let i = 0;
  for (; i + 1 < len; i += 2) s += String.fromCharCode(w(i));
  if (i < len) s += String.fromCharCode(u8[off + i]);
  return s;
}

/** The bytes of a key made by keyOf (`len`: the map's key size). */
export function keyBytes(k: string, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = (k.charCodeAt(i >> 1) >> ((i & 1) * 8)) & 0xff;
  return out;
}

/**
 * Copies n bytes; small values by a loop, which allocates no view. Word-aligned ones a word at a time
 * through the Int32Array views (`d32`, `s32`) over the same buffers.
 */
export function copy(dst: Uint8Array, at: number, src: Uint8Array, from: number, n: number, d32?: Int32Array, s32?: Int32Array): void {
  if (d32 !== undefined && s32 !== undefined && ((at | from | n) & 3) === 0) {
    const a = at >> 2, f = from >> 2;
    for (let i = 0; i < n >> 2; i++) d32[a + i] = s32[f + i];
  } else if (n <= 64) {
    for (let i = 0; i < n; i++) dst[at + i] = src[from + i];
  } else {
    dst.set(src.subarray(from, from + n), at);
  }
}

export class BpfMap {
  /** Hashes: the entries (stamped by insertion, or by last use for LRU). */
  private readonly hash: ByteTable | undefined;
  /** Arrays: every element's value, zero-initialised, as in the kernel. */
  private readonly array: Uint8Array | undefined;
  private readonly array32: Int32Array | undefined;
  /** Maps of maps: key → inner map. */
  private readonly maps = new Map<string, BpfMap>();
  /** Length of a value as exchanged with user space (per-CPU maps: every CPU's, each padded to 8). */
  readonly fullValueSize: number;
  /** Perf event arrays: records not yet written into a reader's ring (from the events file). */
  readonly pendingRecords: Uint8Array[] = [];

  constructor(readonly spec: MapSpecLike, readonly cpus: number) {
    const t = spec.type;
    this.type = t;
    this.keySize = spec.keySize;
    this.isMapOfMaps = t === MT.ArrayOfMaps || t === MT.HashOfMaps;
    this.isArray = t === MT.Array || t === MT.PerCPUArray || t === MT.ArrayOfMaps;
    this.isLru = t === MT.LRUHash || t === MT.LRUCPUHash;
    this.hasElements = ELEMENT_TYPES.has(t);
    this.fullValueSize = t === MT.PerCPUHash || t === MT.PerCPUArray || t === MT.LRUCPUHash ? align8(spec.valueSize) * cpus : spec.valueSize;
    if (t === MT.Array || t === MT.PerCPUArray) {
      this.array32 = new Int32Array(Math.ceil((this.fullValueSize * spec.maxEntries) / 4));
      this.array = new Uint8Array(this.array32.buffer, 0, this.fullValueSize * spec.maxEntries);
    }
    else if (ELEMENT_TYPES.has(t) && t !== MT.ArrayOfMaps && t !== MT.HashOfMaps) this.hash = new ByteTable(spec.keySize, this.fullValueSize);
  }

  get name(): string { return this.spec.name; }
  // What the type implies, as plain fields: read on every call of the per-event path.
  readonly type: number;
  readonly keySize: number;
  readonly isMapOfMaps: boolean;
  private readonly isArray: boolean;
  private readonly isLru: boolean;
  /** Whether the map holds elements user space can reach (not perf event arrays, ring buffers, …). */
  readonly hasElements: boolean;

  /** Number of entries (arrays: max_entries, every element exists). */
  get size(): number {
    if (this.array) return this.spec.maxEntries;
    return this.isMapOfMaps ? this.maps.size : this.hash?.count ?? 0;
  }

  /** Why the key at u8[off..off+len] is not usable, or '' when it is. */
  private checkKey(u8: Uint8Array, off: number, len: number): string {
    if (len !== this.keySize) return `key is ${len} bytes, the map's key size is ${this.spec.keySize} (EINVAL)`;
    if (this.isArray) {
      const i = index(u8, off);
      if (i >= this.spec.maxEntries) return E.range;
    }
    return '';
  }

  /** Why the last `find` failed (when it returned -2). */
  error = '';

  /**
   * Where the value of a key is: its slot in `values` (value i at i × fullValueSize), -1 when there is none
   * (array indices out of range are ENOENT, as in the kernel), -2 when the lookup fails (see `error`).
   */
  find(u8: Uint8Array, off: number, len: number, w32?: Int32Array): number {
    if (len !== this.keySize || !this.hasElements || this.isMapOfMaps) {
      this.error = len !== this.keySize ? `key is ${len} bytes, the map's key size is ${this.spec.keySize} (EINVAL)` : E.notSupported;
      return -2;
    }
    if (this.array) {
      const i = index(u8, off);
      return i < this.spec.maxEntries ? i : -1;
    }
    const h = this.hash!;
    const slot = h.find(u8, off, w32);
    if (slot >= 0 && this.isLru) h.touch(slot);
    return slot;
  }

  /** The slab `find`'s slots index (re-read after updates: a hash's slab grows). */
  get values(): Uint8Array {
    return this.array ?? this.hash?.values ?? EMPTY;
  }

  /** `values` as words. */
  get values32(): Int32Array {
    return this.array32 ?? this.hash?.values32 ?? EMPTY32;
  }

  /** The value under a key (a copy), null when none, or why the lookup fails. */
  lookup(u8: Uint8Array, off: number, len: number): Uint8Array | null | string {
    const slot = this.find(u8, off, len);
    if (slot === -2) return this.error;
    if (slot === -1) return null;
    const n = this.fullValueSize;
    return this.values.slice(slot * n, slot * n + n);
  }

  /** Maps of maps: the inner map under a key, null when none, or why the lookup fails. */
  lookupMap(u8: Uint8Array, off: number, len: number): BpfMap | null | string {
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad === E.range ? null : bad;
    return this.maps.get(keyOf(u8, off, len)) ?? null;
  }

  /** Stores value bytes v[voff..voff+vlen] under the key; '' on success, else why not. */
  update(u8: Uint8Array, off: number, len: number, v: Uint8Array, voff: number, vlen: number, flags: number, w32?: Int32Array, v32?: Int32Array): string {
    if (!this.hasElements || this.isMapOfMaps) return E.notSupported;
    const flagErr = checkFlags(flags);
    if (flagErr) return flagErr;
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad;
    if (vlen !== this.fullValueSize) return `value is ${vlen} bytes, the map's value size is ${this.fullValueSize}${this.fullValueSize !== this.spec.valueSize ? ` (${this.cpus} CPUs × ${align8(this.spec.valueSize)})` : ''} (EINVAL)`;
    const a = this.array;
    if (a) {
      if ((flags & 3) === UPDATE_NOEXIST) return E.exists;
      copy(a, index(u8, off) * vlen, v, voff, vlen, this.array32, v32);
      return '';
    }
    const h = this.hash!;
    const mode = flags & 3;
    let slot = h.find(u8, off, w32);
    if (slot >= 0) {
      if (mode === UPDATE_NOEXIST) return E.exists;
      if (this.isLru) h.touch(slot);
    } else {
      if (mode === UPDATE_EXIST) return E.noKey;
      if (h.count >= this.spec.maxEntries) {
        if (!this.isLru) return E.full;
        h.remove(h.oldest());
      }
      slot = h.insert(u8, off);
    }
    copy(h.values, slot * vlen, v, voff, vlen, h.values32, v32);
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
    if (!this.hasElements) return E.notSupported;
    if (this.array) return E.noDelete;
    const bad = this.checkKey(u8, off, len);
    if (bad) return bad === E.range ? E.noKey : bad;
    if (this.isMapOfMaps) return this.maps.delete(keyOf(u8, off, len)) ? '' : E.noKey;
    const slot = this.hash!.find(u8, off);
    if (slot < 0) return E.noKey;
    this.hash!.remove(slot);
    return '';
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
      for (const [k, m] of this.maps) out.push({ key: keyBytes(k, this.spec.keySize), value: `map ${m.name}` });
    } else {
      const h = this.hash, n = this.fullValueSize;
      for (const slot of h?.slots() ?? []) out.push({ key: h!.keyAt(slot), value: h!.values.slice(slot * n, slot * n + n) });
    }
    return out;
  }
}

const EMPTY = new Uint8Array(0);
const EMPTY32 = new Int32Array(0);

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
  // The kernel's bounds (MAX_BPF_STACK for keys, KMALLOC_MAX_SIZE for values), and what this host can
  // allocate up front for an array.
  if (keySize > 512) return `key size ${keySize} is over 512 bytes (E2BIG)`;
  if (valueSize > MAX_VALUE) return `value size ${valueSize} is over ${MAX_VALUE} bytes (E2BIG)`;
  if ((type === MT.Array || type === MT.PerCPUArray) && align8(valueSize) * (type === MT.PerCPUArray ? cpus : 1) * maxEntries > MAX_ARRAY_BYTES) {
    return `an array of ${maxEntries} × ${valueSize} bytes is more than the embedded host allocates (${MAX_ARRAY_BYTES} bytes) (ENOMEM)`;
  }
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
