// What the grid shows of a ring: the seqs of the rows passing the filter, in arrival order or sorted.
// Filtering is incremental (only new rows are tested); evicted rows fall off the front lazily. With no
// filter and no sort the view is the ring itself (no index array at all: the fast streaming path).

import type { Column } from './columns';
import type { RowPredicate } from '../metadata/filter';
import type { RowRing } from './ring';

export interface SortSpec {
  column: Column;
  descending: boolean;
}

export class RowView {
  private predicate: RowPredicate | null = null;
  private sort: SortSpec | null = null;
  /** Matching seqs, ascending (filtered) or in sort order; null when the view is the whole ring. */
  private index: number[] | null = null;
  /** Start of the live part of `index` (filtered, unsorted view: evicted seqs are skipped lazily). */
  private start = 0;
  /** Rows seen by the filter so far. */
  private scanned: number;
  private sortDirty = false;

  constructor(private readonly ring: RowRing) {
    this.scanned = ring.firstSeq;
  }

  get filtered(): boolean { return this.predicate !== null; }
  get sortSpec(): SortSpec | null { return this.sort; }
  /** Sorted view has rows that arrived since it was last sorted. */
  get stale(): boolean { return this.sortDirty; }

  setFilter(p: RowPredicate | null): void {
    this.predicate = p;
    this.rebuild();
  }

  setSort(s: SortSpec | null): void {
    this.sort = s;
    this.rebuild();
  }

  /** Bring the view up to date with the ring (new rows, evictions). Cheap when nothing changed. */
  update(): void {
    const ring = this.ring;
    if (this.index === null) { this.scanned = ring.nextSeq; return; }
    if (this.scanned < ring.firstSeq) this.scanned = ring.firstSeq;
    if (this.scanned < ring.nextSeq) {
      const p = this.predicate;
      for (let s = this.scanned; s < ring.nextSeq; s++) if (!p || p(ring.row(s))) this.index.push(s);
      this.scanned = ring.nextSeq;
      if (this.sort) this.sortDirty = true;
    }
    if (!this.sort) {
      // Ascending seqs: skip the evicted prefix; compact once it is half the array.
      while (this.start < this.index.length && this.index[this.start]! < ring.firstSeq) this.start++;
      if (this.start > 1024 && this.start * 2 > this.index.length) { this.index = this.index.slice(this.start); this.start = 0; }
    }
  }

  /** Re-sort a sorted view (after `update` appended rows at the end). */
  resort(): void {
    if (!this.sort || !this.index) return;
    const ring = this.ring;
    const live = this.index.filter((s) => s >= ring.firstSeq);
    this.index = sortSeqs(live, ring, this.sort);
    this.sortDirty = false;
  }

  get length(): number {
    if (this.index === null) return this.ring.size;
    if (this.sort) return this.liveSortedLength();
    return this.index.length - this.start;
  }

  /** Seq of the i-th row shown, or -1 (an evicted row in a sorted view not yet re-sorted). */
  seqAt(i: number): number {
    if (this.index === null) return this.ring.firstSeq + i;
    if (this.sort) {
      const s = this.index[i];
      return s !== undefined && s >= this.ring.firstSeq ? s : -1;
    }
    return this.index[this.start + i] ?? -1;
  }

  /** All shown seqs, in order (for export and select-all). */
  seqs(): number[] {
    const out: number[] = [];
    const n = this.index === null ? this.ring.size : this.index.length;
    for (let i = 0; i < n; i++) { const s = this.seqAt(i); if (s >= 0) out.push(s); }
    return out;
  }

  private liveSortedLength(): number {
    // Sorted views keep evicted seqs until the next re-sort; they render as gaps only if the ring wrapped
    // since, so count them as rows to keep scrolling stable.
    return this.index!.length;
  }

  private rebuild(): void {
    const ring = this.ring;
    this.start = 0;
    this.sortDirty = false;
    if (!this.predicate && !this.sort) { this.index = null; this.scanned = ring.nextSeq; return; }
    const idx: number[] = [];
    const p = this.predicate;
    for (let s = ring.firstSeq; s < ring.nextSeq; s++) if (!p || p(ring.row(s))) idx.push(s);
    this.scanned = ring.nextSeq;
    this.index = this.sort ? sortSeqs(idx, ring, this.sort) : idx;
  }
}

function sortSeqs(seqs: number[], ring: RowRing, spec: SortSpec): number[] {
  const i = spec.column.index;
  const dir = spec.descending ? -1 : 1;
  // The ring compares in place: typed columns without making a value per row, ties in arrival order.
  return seqs.sort((x, y) => (ring.compare(x, y, i) * dir) || (x - y));
}
