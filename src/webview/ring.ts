// The page's row store: a fixed-capacity ring of rows. Every row gets a sequence number (seq) that never
// changes; the ring holds seqs [firstSeq, nextSeq). Appending to a full ring drops the oldest row.
// Nothing is copied on append or eviction (the Headlamp plugin's copy-the-array-per-event is what we avoid).

import type { WireValue } from './protocol';

export class RowRing {
  private readonly rows: (WireValue[] | undefined)[];
  private readonly packets: Float64Array;
  private readonly elements: Int32Array;
  private next = 0;
  private first = 0;
  /** Rows pushed out of the ring because it was full. */
  dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.rows = new Array(capacity);
    this.packets = new Float64Array(capacity);
    this.elements = new Int32Array(capacity).fill(-1);
  }

  get firstSeq(): number { return this.first; }
  get nextSeq(): number { return this.next; }
  get size(): number { return this.next - this.first; }

  /** Append one row; returns its seq. `element` is -1 for rows of single data sources. */
  push(row: WireValue[], packet: number, element = -1): number {
    const seq = this.next++;
    const i = seq % this.capacity;
    this.rows[i] = row;
    this.packets[i] = packet;
    this.elements[i] = element;
    if (this.next - this.first > this.capacity) { this.first++; this.dropped++; }
    return seq;
  }

  has(seq: number): boolean { return seq >= this.first && seq < this.next; }

  /** The row with this seq; throws when it is not held (a caller bug, never data-dependent). */
  row(seq: number): WireValue[] {
    if (!this.has(seq)) throw new RangeError(`row ${seq} is not in the ring [${this.first}, ${this.next})`);
    return this.rows[seq % this.capacity]!;
  }
  packet(seq: number): number { return this.packets[seq % this.capacity]!; }
  element(seq: number): number { return this.elements[seq % this.capacity]!; }

  /** Forget every row (seqs keep increasing, so old seqs never alias new rows). */
  clear(): void {
    for (let s = this.first; s < this.next; s++) this.rows[s % this.capacity] = undefined;
    this.first = this.next;
  }
}
