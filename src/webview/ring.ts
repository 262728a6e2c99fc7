// The page's row store: a fixed-capacity ring, stored column by column (rows arrive as columns, and one
// array per column avoids an allocation per row). Every row gets a sequence number (seq) that never
// changes; the ring holds seqs [firstSeq, nextSeq). Appending to a full ring overwrites the oldest rows.
// Nothing is copied on append or eviction (the Headlamp plugin's copy-the-array-per-event is what we avoid).
//
// Columns of numeric kinds live in typed arrays (no object per value for the garbage collector to trace
// and move: at 200k rows/s that was the page's longest pauses); strings are interned. A column that gets a
// value its storage can't hold exactly (a string in a uint32 column) turns into a plain array, so what is
// shown is always what was sent.

import { columnValue, isDictColumn, isInt64Column, joinInt64, packetAt, splitInt64, type PacketColumn, type PageColumn, type WireValue } from './protocol';
import type { KindName } from '../host/api';

/** How a column is stored: doubles (kinds that fit one exactly), two 32-bit halves (64-bit integers), anything. */
export type Storage = 'num' | 'int64' | 'any';

export function storageFor(kind: KindName | undefined): Storage {
  switch (kind) {
    case 'int8': case 'int16': case 'int32': case 'uint8': case 'uint16': case 'uint32': case 'float32': case 'float64': return 'num';
    case 'int64': case 'uint64': return 'int64';
    default: return 'any';
  }
}

const TWO32 = 4294967296;
const INT_TEXT = /^-?\d{1,20}$/;
const ANY_INT_TEXT = /^-?\d+$/;

/** Where to write: `count` rows of a message from its row `skip` on, into ring slots from `start`. */
interface Span { skip: number; count: number; start: number; cap: number }

/** A cheap string interner for dictionary entries (bounded: a gadget with endless distinct strings just stops sharing). */
class Interner {
  private map = new Map<string, string>();
  get(s: string): string {
    const t = this.map.get(s);
    if (t !== undefined) return t;
    if (this.map.size >= 65_536) this.map = new Map();
    this.map.set(s, s);
    return s;
  }
}

abstract class Store {
  abstract readonly storage: Storage;
  abstract get(i: number): WireValue;
  /** Can this store hold every value of `src` in the span exactly? */
  abstract fits(src: PageColumn, sp: Span): boolean;
  abstract write(src: PageColumn, sp: Span, intern: Interner): void;
  abstract setNull(sp: Span): void;
  /** Order of the values in two slots (null first). */
  abstract compare(i: number, j: number): number;
}

class AnyStore extends Store {
  readonly storage = 'any';
  readonly vals: WireValue[];
  constructor(cap: number) { super(); this.vals = new Array<WireValue>(cap).fill(null); }
  get(i: number): WireValue { return this.vals[i] ?? null; }
  fits(): boolean { return true; }
  write(src: PageColumn, sp: Span, intern: Interner): void {
    const v = this.vals;
    let i = sp.start;
    if (Array.isArray(src)) {
      for (let r = sp.skip; r < sp.count; r++) { v[i] = src[r] ?? null; if (++i === sp.cap) i = 0; }
    } else if (isDictColumn(src)) {
      const dict = src.dict.map((s) => (typeof s === 'string' ? intern.get(s) : null));
      const idx = src.idx;
      for (let r = sp.skip; r < sp.count; r++) { const k = idx[r]!; v[i] = k >= 0 ? dict[k] ?? null : null; if (++i === sp.cap) i = 0; }
    } else {
      for (let r = sp.skip; r < sp.count; r++) { v[i] = columnValue(src, r); if (++i === sp.cap) i = 0; }
    }
  }
  setNull(sp: Span): void {
    for (let r = sp.skip, i = sp.start; r < sp.count; r++) { this.vals[i] = null; if (++i === sp.cap) i = 0; }
  }
  compare(i: number, j: number): number { return compareValues(this.vals[i] ?? null, this.vals[j] ?? null); }
}

/** A typed store: which slots hold no value is a byte per slot (no NaN tricks: NaN is a float value). */
abstract class TypedStore extends Store {
  protected readonly nulls: Uint8Array;
  constructor(cap: number) { super(); this.nulls = new Uint8Array(cap).fill(1); }
  setNull(sp: Span): void {
    for (let r = sp.skip, i = sp.start; r < sp.count; r++) { this.nulls[i] = 1; if (++i === sp.cap) i = 0; }
  }
  compare(i: number, j: number): number {
    const ni = this.nulls[i]!, nj = this.nulls[j]!;
    return ni || nj ? nj - ni : this.compareValues(i, j);
  }
  /** Order of two slots that both hold a value. */
  protected abstract compareValues(i: number, j: number): number;
}

class NumStore extends TypedStore {
  readonly storage = 'num';
  private readonly vals: Float64Array;
  constructor(cap: number) { super(cap); this.vals = new Float64Array(cap); }
  get(i: number): WireValue { return this.nulls[i] ? null : this.vals[i]!; }
  fits(src: PageColumn, sp: Span): boolean {
    if (!Array.isArray(src)) return false;
    for (let r = sp.skip; r < sp.count; r++) { const x = src[r]; if (typeof x !== 'number' && x !== null && x !== undefined) return false; }
    return true;
  }
  write(src: PageColumn, sp: Span): void {
    const a = src as WireValue[];
    const { vals, nulls } = this;
    for (let r = sp.skip, i = sp.start; r < sp.count; r++) {
      const x = a[r];
      if (typeof x === 'number') { vals[i] = x; nulls[i] = 0; } else nulls[i] = 1;
      if (++i === sp.cap) i = 0;
    }
  }
  protected compareValues(i: number, j: number): number { return compareValues(this.vals[i]!, this.vals[j]!); }
}

/** 64-bit integers as hi × 2³² + lo with 0 ≤ lo < 2³², each half exact in a double. */
class Int64Store extends TypedStore {
  readonly storage = 'int64';
  private readonly hi: Float64Array;
  private readonly lo: Float64Array;
  constructor(cap: number) { super(cap); this.hi = new Float64Array(cap); this.lo = new Float64Array(cap); }
  get(i: number): WireValue { return this.nulls[i] ? null : joinInt64(this.hi[i]!, this.lo[i]!); }
  fits(src: PageColumn, sp: Span): boolean {
    if (isInt64Column(src)) return INT_TEXT.test(src.base);
    if (!Array.isArray(src)) return false;
    for (let r = sp.skip; r < sp.count; r++) {
      const x = src[r];
      if (x === null || x === undefined || Number.isSafeInteger(x)) continue;
      if (typeof x === 'string' && INT_TEXT.test(x)) continue;
      return false;
    }
    return true;
  }
  write(src: PageColumn, sp: Span): void {
    const { hi, lo, nulls } = this;
    let i = sp.start;
    if (isInt64Column(src)) {
      // base + delta without a BigInt per row: carry from the low half into the high half in doubles.
      const b = splitInt64(src.base);
      const d = src.delta;
      for (let r = sp.skip; r < sp.count; r++) {
        const l = b.lo + d[r]!;
        const carry = Math.floor(l / TWO32);
        hi[i] = b.hi + carry; lo[i] = l - carry * TWO32; nulls[i] = 0;
        if (++i === sp.cap) i = 0;
      }
      return;
    }
    const a = src as WireValue[];
    for (let r = sp.skip; r < sp.count; r++) {
      const x = a[r];
      if (typeof x === 'number') { const h = Math.floor(x / TWO32); hi[i] = h; lo[i] = x - h * TWO32; nulls[i] = 0; }
      else if (typeof x === 'string') { const s = splitInt64(x); hi[i] = s.hi; lo[i] = s.lo; nulls[i] = 0; }
      else nulls[i] = 1;
      if (++i === sp.cap) i = 0;
    }
  }
  protected compareValues(i: number, j: number): number {
    const a = this.hi[i]!, b = this.hi[j]!;
    if (a !== b) return a < b ? -1 : 1;
    const x = this.lo[i]!, y = this.lo[j]!;
    return x < y ? -1 : x > y ? 1 : 0;
  }
}

function newStore(s: Storage, cap: number): Store {
  return s === 'num' ? new NumStore(cap) : s === 'int64' ? new Int64Store(cap) : new AnyStore(cap);
}

export class RowRing {
  private readonly cols: Store[] = [];
  private readonly packets: Float64Array;
  private readonly elements: Int32Array;
  private readonly intern = new Interner();
  private next = 0;
  private first = 0;
  /** Rows pushed out of the ring because it was full. */
  dropped = 0;

  /** `width` plain columns, or one column per entry of `storage`. */
  constructor(readonly capacity: number, width: number | readonly Storage[] = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.packets = new Float64Array(capacity);
    this.elements = new Int32Array(capacity).fill(-1);
    this.addColumns(width);
  }

  get firstSeq(): number { return this.first; }
  get nextSeq(): number { return this.next; }
  get size(): number { return this.next - this.first; }
  get width(): number { return this.cols.length; }
  /** How column j is stored (tests, diagnostics). */
  storage(j: number): Storage | undefined { return this.cols[j]?.storage; }

  /** Widen every row by `n` plain columns, or by one column per entry of `storage` (null in the rows already held). */
  addColumns(n: number | readonly Storage[]): void {
    const kinds = typeof n === 'number' ? new Array<Storage>(n).fill('any') : n;
    for (const k of kinds) this.cols.push(newStore(k, this.capacity));
  }

  /** Append one row; returns its seq. `element` is -1 for rows of single data sources. */
  push(row: readonly WireValue[], packet: number, element = -1): number {
    const seq = this.next;
    this.pushColumns(row.map((v) => [v]), 1, [packet], [element]);
    return seq;
  }

  /**
   * Append `count` rows given as columns. `map[j]` is the ring column of `columns[j]` (-1: not kept);
   * without a map, `columns[j]` is ring column j. Ring columns no message column maps to get null.
   */
  pushColumns(columns: readonly PageColumn[], count: number, packet: PacketColumn, element?: readonly number[], map?: readonly number[] | null): void {
    const cap = this.capacity;
    // Only the last `capacity` rows of a huge message can survive; skip writing the others.
    const skip = Math.max(0, count - cap);
    const sp: Span = { skip, count, start: (this.next + skip) % cap, cap };
    const covered = new Array<boolean>(this.cols.length).fill(false);
    for (let j = 0; j < columns.length; j++) {
      const dst = map ? map[j]! : j;
      const src = columns[j];
      if (dst < 0 || dst >= this.cols.length || src === null || typeof src !== 'object') continue;
      covered[dst] = true;
      if (!this.cols[dst]!.fits(src, sp)) this.toAny(dst);
      this.cols[dst]!.write(src, sp, this.intern);
    }
    for (let j = 0; j < covered.length; j++) if (!covered[j]) this.cols[j]!.setNull(sp);
    const run = Array.isArray(packet) ? null : packet.first;
    for (let r = skip, i = sp.start; r < count; r++) {
      this.packets[i] = run === null ? packetAt(packet, r) : run + r;
      this.elements[i] = element ? element[r] ?? -1 : -1;
      if (++i === cap) i = 0;
    }
    this.advance(count);
  }

  has(seq: number): boolean { return seq >= this.first && seq < this.next; }

  /** One value of a held row (the hot path: rendering, filtering). */
  value(seq: number, column: number): WireValue {
    return this.cols[column]?.get(seq % this.capacity) ?? null;
  }

  /** Order of two held rows by one column (sorting), without making values of typed columns. */
  compare(a: number, b: number, column: number): number {
    const c = this.cols[column];
    return c ? c.compare(a % this.capacity, b % this.capacity) : 0;
  }

  /** The row with this seq as an array (a copy); throws when it is not held (a caller bug). */
  row(seq: number): WireValue[] {
    if (!this.has(seq)) throw new RangeError(`row ${seq} is not in the ring [${this.first}, ${this.next})`);
    const i = seq % this.capacity;
    const out = new Array<WireValue>(this.cols.length);
    for (let j = 0; j < this.cols.length; j++) out[j] = this.cols[j]!.get(i);
    return out;
  }
  packet(seq: number): number { return this.packets[seq % this.capacity]!; }
  element(seq: number): number { return this.elements[seq % this.capacity]!; }

  /** Forget every row (seqs keep increasing, so old seqs never alias new rows). */
  clear(): void {
    // Plain columns let go of their strings; typed ones hold no references.
    for (const c of this.cols) if (c instanceof AnyStore) c.vals.fill(null);
    this.first = this.next;
  }

  /** Store column j as plain values from now on, keeping the rows held. */
  private toAny(j: number): void {
    const old = this.cols[j]!;
    if (old.storage === 'any') return;
    const any = new AnyStore(this.capacity);
    for (let s = this.first; s < this.next; s++) { const i = s % this.capacity; any.vals[i] = old.get(i); }
    this.cols[j] = any;
  }

  private advance(n: number): void {
    this.next += n;
    const over = this.next - this.first - this.capacity;
    if (over > 0) { this.first += over; this.dropped += over; }
  }
}

/** Compare two cell values of one column: null first, numbers (exact for 64-bit text), strings by code unit. */
export function compareValues(a: WireValue, b: WireValue): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : 1;
  const an = typeof a === 'number' || (typeof a === 'string' && ANY_INT_TEXT.test(a));
  const bn = typeof b === 'number' || (typeof b === 'string' && ANY_INT_TEXT.test(b));
  if (an && bn && (Number.isInteger(a) || typeof a === 'string') && (Number.isInteger(b) || typeof b === 'string')) {
    const x = BigInt(a as number | string), y = BigInt(b as number | string);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return a ? 1 : -1;
  const sa = String(a), sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
