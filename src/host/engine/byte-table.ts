// An open-addressing hash table keyed by fixed-size byte strings, storing fixed-size values in one slab,
// as the kernel's hash maps do. Lookups hash the key where it lies (in guest memory) and compare bytes in
// place: no key string or view is allocated per call, which keeps mapLookup/mapUpdate on the per-event
// path cheap. Keys of a multiple of 4 bytes are hashed and compared a word at a time, read straight from
// guest memory when aligned (as compilers lay out key structs). Each entry has a stamp (insertion, or last
// use for LRU maps) for eviction and display order.
const EMPTY = 0, USED = 1, DEAD = 2;

export class ByteTable {
  private cap: number;
  private mask: number;
  private state: Uint8Array;
  private hashes: Int32Array;
  private keys: Uint8Array;
  /** The keys as words (keys of a multiple of 4 bytes; same buffer as `keys`). */
  private keys32: Int32Array;
  /** Key size in words, 0 when not a multiple of 4. */
  private readonly kw: number;
  /** An unaligned key copied into words. */
  private readonly scratch: Int32Array;
  /** Values, `valueSize` bytes per slot. Re-read after insert: growing replaces it. */
  values: Uint8Array;
  /** `values` as words (same buffer). */
  values32: Int32Array;
  private stamps: Float64Array;
  private clock = 0;
  private dead = 0;
  count = 0;

  constructor(readonly keySize: number, readonly valueSize: number) {
    // 16 slots to start with, fewer for big values (up to 4 MiB each): the table grows as entries come.
    let cap = 16;
    while (cap > 2 && cap * valueSize > 1 << 20) cap >>= 1;
    this.cap = cap;
    this.mask = cap - 1;
    this.state = new Uint8Array(cap);
    this.hashes = new Int32Array(cap);
    this.stamps = new Float64Array(cap);
    this.kw = keySize % 4 === 0 ? keySize / 4 : 0;
    this.keys32 = new Int32Array(cap * Math.ceil(keySize / 4));
    this.keys = new Uint8Array(this.keys32.buffer, 0, cap * keySize);
    this.scratch = new Int32Array(this.kw);
    this.values32 = new Int32Array(Math.ceil((cap * valueSize) / 4));
    this.values = new Uint8Array(this.values32.buffer, 0, cap * valueSize);
  }

  /** The key's words and their index: guest memory itself when aligned, else a copy. */
  private words(u8: Uint8Array, w32: Int32Array | undefined, off: number): Int32Array {
    if (w32 !== undefined && (off & 3) === 0) return w32;
    const sc = this.scratch;
    for (let i = 0; i < this.kw; i++) {
      const o = off + i * 4;
      sc[i] = u8[o] | (u8[o + 1] << 8) | (u8[o + 2] << 16) | (u8[o + 3] << 24);
    }
    return sc;
  }

  private hashWords(w: Int32Array, at: number): number {
    let h = this.keySize;
    for (let i = 0; i < this.kw; i++) {
      h = Math.imul(h ^ w[at + i], 0x9e3779b1);
      h ^= h >>> 15;
    }
    return h ^ (h >>> 13);
  }

  private sameWords(slot: number, w: Int32Array, at: number): boolean {
    const kw = this.kw, keys = this.keys32, base = slot * kw;
    for (let j = 0; j < kw; j++) if (keys[base + j] !== w[at + j]) return false;
    return true;
  }

  /** The key's hash: by words when the key is whole words (as hashWords), else by bytes. */
  private hash(u8: Uint8Array, off: number, w32?: Int32Array): number {
    if (this.kw > 0) {
      const w = this.words(u8, w32, off);
      return this.hashWords(w, w === w32 ? off >> 2 : 0);
    }
    let h = this.keySize;
    for (let i = 0; i < this.keySize; i++) h = Math.imul(h ^ u8[off + i], 0x01000193);
    return h ^ (h >>> 13);
  }

  /** The slot `find` last returned: a lookup and an update of one key (the usual pair) hash it once. */
  private last = -1;

  private sameKey(slot: number, u8: Uint8Array, off: number): boolean {
    const ks = this.keySize, keys = this.keys, base = slot * ks;
    let j = 0;
    while (j < ks && keys[base + j] === u8[off + j]) j++;
    return j === ks;
  }

  /**
   * The slot holding the key at u8[off..], or -1. `w32`, an Int32Array over the same memory as `u8`,
   * lets aligned keys be read a word at a time.
   */
  find(u8: Uint8Array, off: number, w32?: Int32Array): number {
    if (this.kw === 0) return this.findBytes(u8, off);
    const w = this.words(u8, w32, off);
    const at = w === w32 ? off >> 2 : 0;
    const last = this.last;
    if (last >= 0 && this.state[last] === USED && this.sameWords(last, w, at)) return last;
    const h = this.hashWords(w, at);
    const state = this.state;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const s = state[i];
      if (s === EMPTY) return -1;
      if (s === USED && this.hashes[i] === h && this.sameWords(i, w, at)) return (this.last = i);
    }
  }

  private findBytes(u8: Uint8Array, off: number): number {
    const h = this.hash(u8, off);
    const state = this.state;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const s = state[i];
      if (s === EMPTY) return -1;
      if (s === USED && this.hashes[i] === h && this.sameKey(i, u8, off)) return i;
    }
  }

  /** Adds a key known to be absent; returns its slot (value zeroed). */
  insert(u8: Uint8Array, off: number): number {
    if ((this.count + this.dead + 1) * 2 > this.cap) this.grow();
    const h = this.hash(u8, off);
    let i = h & this.mask;
    while (this.state[i] === USED) i = (i + 1) & this.mask;
    if (this.state[i] === DEAD) this.dead--;
    this.state[i] = USED;
    this.hashes[i] = h;
    const ks = this.keySize;
    for (let j = 0; j < ks; j++) this.keys[i * ks + j] = u8[off + j];
    this.values.fill(0, i * this.valueSize, (i + 1) * this.valueSize);
    this.stamps[i] = ++this.clock;
    this.count++;
    return (this.last = i);
  }

  remove(slot: number): void {
    this.state[slot] = DEAD;
    this.count--;
    this.dead++;
  }

  /** Marks a slot as just used (LRU maps). */
  touch(slot: number): void {
    this.stamps[slot] = ++this.clock;
  }

  /** The least recently stamped slot, or -1 when empty. */
  oldest(): number {
    let best = -1;
    for (let i = 0; i < this.cap; i++) if (this.state[i] === USED && (best < 0 || this.stamps[i] < this.stamps[best])) best = i;
    return best;
  }

  /** Used slots in stamp order. */
  slots(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.cap; i++) if (this.state[i] === USED) out.push(i);
    return out.sort((a, b) => this.stamps[a] - this.stamps[b]);
  }

  keyAt(slot: number): Uint8Array {
    return this.keys.slice(slot * this.keySize, (slot + 1) * this.keySize);
  }

  private grow(): void {
    this.last = -1;
    const old = { cap: this.cap, state: this.state, hashes: this.hashes, keys: this.keys, values: this.values, stamps: this.stamps };
    // Rehash in place of tombstones when they are what fills the table.
    const cap = this.count * 4 > this.cap ? this.cap * 2 : this.cap;
    this.cap = cap;
    this.mask = cap - 1;
    this.state = new Uint8Array(cap);
    this.hashes = new Int32Array(cap);
    this.keys32 = new Int32Array(cap * Math.ceil(this.keySize / 4));
    this.keys = new Uint8Array(this.keys32.buffer, 0, cap * this.keySize);
    this.values32 = new Int32Array(Math.ceil((cap * this.valueSize) / 4));
    this.values = new Uint8Array(this.values32.buffer, 0, cap * this.valueSize);
    this.stamps = new Float64Array(cap);
    this.dead = 0;
    const ks = this.keySize, vs = this.valueSize;
    for (let s = 0; s < old.cap; s++) {
      if (old.state[s] !== USED) continue;
      let i = old.hashes[s] & this.mask;
      while (this.state[i] === USED) i = (i + 1) & this.mask;
      this.state[i] = USED;
      this.hashes[i] = old.hashes[s];
      this.keys.set(old.keys.subarray(s * ks, (s + 1) * ks), i * ks);
      this.values.set(old.values.subarray(s * vs, (s + 1) * vs), i * vs);
      this.stamps[i] = old.stamps[s];
    }
  }
}
