// The page's row store: a fixed-capacity ring, stored column by column (rows arrive as columns, and one
// array per column avoids an allocation per row). Every row gets a sequence number (seq) that never
// changes; the ring holds seqs [firstSeq, nextSeq). Appending to a full ring overwrites the oldest rows.
// Nothing is copied on append or eviction (the Headlamp plugin's copy-the-array-per-event is what we avoid).

import type { WireValue } from './protocol';

export class RowRing {
  private readonly cols: WireValue[][] = [];
  private readonly packets: Float64Array;
  private readonly elements: Int32Array;
  private next = 0;
  private first = 0;
  /** Rows pushed out of the ring because it was full. */
  dropped = 0;

  constructor(readonly capacity: number, width = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.packets = new Float64Array(capacity);
    this.elements = new Int32Array(capacity).fill(-1);
    this.addColumns(width);
  }

  get firstSeq(): number { return this.first; }
  get nextSeq(): number { return this.next; }
  get size(): number { return this.next - this.first; }
  get width(): number { return this.cols.length; }

  /** Widen every row by `n` columns (null in the rows already held). */
  addColumns(n: number): void {
    for (let i = 0; i < n; i++) this.cols.push(new Array<WireValue>(this.capacity).fill(null));
  }

  /** Append one row; returns its seq. `element` is -1 for rows of single data sources. */
  push(row: readonly WireValue[], packet: number, element = -1): number {
    const seq = this.next;
    const i = seq % this.capacity;
    for (let j = 0; j < this.cols.length; j++) this.cols[j]![i] = row[j] ?? null;
    this.packets[i] = packet;
    this.elements[i] = element;
    this.advance(1);
    return seq;
  }

  /**
   * Append `count` rows given as columns. `map[j]` is the ring column of `columns[j]` (-1: not kept);
   * without a map, `columns[j]` is ring column j. Ring columns no message column maps to get null.
   */
  pushColumns(columns: readonly (readonly WireValue[])[], count: number, packet: readonly number[], element?: readonly number[], map?: readonly number[] | null): void {
    const cap = this.capacity;
    // Only the last `capacity` rows of a huge message can survive; skip writing the others.
    const skip = Math.max(0, count - cap);
    const start = this.next + skip;
    const covered = new Array<boolean>(this.cols.length).fill(false);
    for (let j = 0; j < columns.length; j++) {
      const dst = map ? map[j]! : j;
      const src = columns[j];
      if (dst < 0 || dst >= this.cols.length || !Array.isArray(src)) continue;
      covered[dst] = true;
      const col = this.cols[dst]!;
      for (let r = skip, i = start % cap; r < count; r++) { col[i] = src[r] ?? null; if (++i === cap) i = 0; }
    }
    for (let j = 0; j < covered.length; j++) {
      if (covered[j]) continue;
      const col = this.cols[j]!;
      for (let r = skip, i = start % cap; r < count; r++) { col[i] = null; if (++i === cap) i = 0; }
    }
    for (let r = skip, i = start % cap; r < count; r++) {
      this.packets[i] = packet[r] ?? 0;
      this.elements[i] = element ? element[r] ?? -1 : -1;
      if (++i === cap) i = 0;
    }
    this.advance(count);
  }

  has(seq: number): boolean { return seq >= this.first && seq < this.next; }

  /** One value of a held row (the hot path: rendering, sorting). */
  value(seq: number, column: number): WireValue {
    return this.cols[column]?.[seq % this.capacity] ?? null;
  }

  /** The row with this seq as an array (a copy); throws when it is not held (a caller bug). */
  row(seq: number): WireValue[] {
    if (!this.has(seq)) throw new RangeError(`row ${seq} is not in the ring [${this.first}, ${this.next})`);
    const i = seq % this.capacity;
    const out = new Array<WireValue>(this.cols.length);
    for (let j = 0; j < this.cols.length; j++) out[j] = this.cols[j]![i]!;
    return out;
  }
  packet(seq: number): number { return this.packets[seq % this.capacity]!; }
  element(seq: number): number { return this.elements[seq % this.capacity]!; }

  /** Forget every row (seqs keep increasing, so old seqs never alias new rows). */
  clear(): void {
    for (const col of this.cols) col.fill(null);
    this.first = this.next;
  }

  private advance(n: number): void {
    this.next += n;
    const over = this.next - this.first - this.capacity;
    if (over > 0) { this.first += over; this.dropped += over; }
  }
}
