// The virtualized table of one data source: a sticky header, a spacer as tall as all rows, and a small
// pool of row elements placed over the visible part. Only those rows are touched on a frame, whatever the
// ring holds. Cells are monospace so IG's widths in characters and ellipsis modes apply exactly.
//
// Columns sit on a character grid (a column of n characters is n + 2 characters wide, one of padding on
// each side), so a row whose text is all printable ASCII is drawn as one line of text, each value padded
// to its column: the browser lays out and paints one text run per row instead of one per cell, about five
// times less work per frame while rows stream (measured in Chromium: 5 ms against 24 ms for 34 rows of 9
// columns). A row with any other character (wide, combining, control) is drawn cell by cell, which clips
// each value to its column whatever its glyphs.

import { clampWidth, isVisible, type Column } from '../columns';
import { cellText, formatValue } from '../../metadata/columns';
import type { DataSourceModel } from '../model';
import { h, icon } from './dom';

export const ROW_HEIGHT = 22;
const OVERSCAN = 6;
/** Characters that take exactly one cell of the monospace grid: printable ASCII and our ellipsis. */
const ONE_CELL_TEXT = /^[\x20-\x7e\u2026]*$/;

/** UI state of a data source that survives switching tabs. */
export interface TableState {
  scrollTop: number;
  scrollLeft: number;
  follow: boolean;
  selected: Set<number>;
  cursor: number; // seq, -1 none
  anchor: number; // seq, -1 none
  sortColumn: string | null;
  sortDescending: boolean;
}

export function newTableState(): TableState {
  return { scrollTop: 0, scrollLeft: 0, follow: true, selected: new Set(), cursor: -1, anchor: -1, sortColumn: null, sortDescending: false };
}

export interface TableEvents {
  prefsChanged(m: DataSourceModel): void;
  sortChanged(m: DataSourceModel): void;
  copy(): void;
  selectionChanged(): void;
}

interface PoolRow {
  el: HTMLDivElement;
  /** The packet number (its own cell: dimmed, the row's header for screen readers). */
  num: Text;
  /** Line mode: every visible column in one Text node. */
  line: HTMLDivElement;
  lineText: Text;
  /** Cell mode: one element per visible column, made the first time a row needs them. */
  cells: HTMLDivElement[] | null;
  /** Each cell's one Text node: changing its data relayouts that cell only (textContent makes new nodes). */
  texts: Text[];
  mode: 'line' | 'cells';
  seq: number;
  version: number;
  /** What the row's attributes say now: set only on change (every attribute write invalidates style). */
  index: number;
  selected: boolean;
  cursor: boolean;
}

export class Table {
  readonly root: HTMLDivElement;
  private readonly viewport: HTMLDivElement;
  private readonly header: HTMLDivElement;
  private readonly spacer: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private pool: PoolRow[] = [];
  private model: DataSourceModel | null = null;
  private state: TableState = newTableState();
  private visible: Column[] = [];
  private widthsPx: number[] = [];
  /** Characters of text in each visible column (its width is that plus 2). */
  private chars: number[] = [];
  private charPx = 7.8;
  /** Bumped when columns/widths change: every pool row re-renders its cells. */
  private layoutVersion = 0;
  private lastFirstSeq = 0;
  private expectedTop = 0;
  /** The viewport's size, kept by a ResizeObserver: reading it while rendering forces a layout. */
  private viewportHeight = 0;
  private viewportWidth = 0;
  /** Width of the columns as annotated (packet number included), and what the last column gets on top. */
  private columnsPx = 0;
  private fillPx = 0;

  constructor(private readonly events: TableEvents) {
    this.header = h('div', { class: 'grid-header', role: 'row', 'aria-rowindex': 1 });
    this.spacer = h('div', { class: 'grid-spacer' });
    this.body = h('div', { class: 'grid-body', role: 'rowgroup' });
    this.viewport = h('div', { class: 'grid-viewport', tabindex: 0, role: 'grid', 'aria-label': 'Packets', 'aria-multiselectable': 'true' }, this.header, this.spacer, this.body);
    this.root = h('div', { class: 'grid' }, this.viewport);
    this.viewport.addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('mousedown', (e) => this.onRowMouse(e));
    this.body.addEventListener('mousemove', (e) => this.onRowHover(e));
    this.resize.observe(this.viewport);
  }

  private readonly resize = new ResizeObserver(() => {
    const w = this.viewport.clientWidth;
    if (w !== this.viewportWidth) { this.viewportWidth = w; this.stretch(); }
    const hgt = this.viewport.clientHeight;
    if (hgt === this.viewportHeight) return;
    const shrunk = hgt < this.viewportHeight;
    this.viewportHeight = hgt;
    // The details pane opening under the table must not hide the row it shows.
    if (shrunk && !this.state.follow && this.model && this.state.cursor >= 0) this.reveal(this.indexOfSeq(this.state.cursor));
    this.render();
  });

  dispose(): void {
    this.resize.disconnect();
  }

  /** Measure the monospace character width once the page's fonts and styles apply. */
  measure(): void {
    const probe = h('span', { class: 'grid-cell-probe', text: '0'.repeat(100) });
    this.body.append(probe); // inside the body: the rows' font, size and text settings
    const w = probe.getBoundingClientRect().width / 100;
    probe.remove();
    if (w > 0) this.charPx = w;
    this.root.style.setProperty('--char-px', `${this.charPx}px`);
  }

  get current(): DataSourceModel | null { return this.model; }
  get tableState(): TableState { return this.state; }

  /** Show another data source (or the same one after its columns changed). */
  bind(model: DataSourceModel | null, state: TableState): void {
    if (this.model) { this.state.scrollTop = this.viewport.scrollTop; this.state.scrollLeft = this.viewport.scrollLeft; }
    this.model = model;
    this.state = state;
    this.lastFirstSeq = model?.ring.firstSeq ?? 0;
    this.relayout();
    this.setScroll(state.scrollTop, state.scrollLeft);
    this.render();
  }

  /** Columns or widths changed. */
  relayout(): void {
    const m = this.model;
    this.layoutVersion++;
    this.visible = m ? m.columns.filter((c) => isVisible(c, m.prefs)) : [];
    this.chars = this.visible.map((c) => this.columnChars(c));
    this.widthsPx = this.chars.map((n) => (n + 2) * this.charPx);
    // Tests and tools read line-mode rows back into cells with these widths.
    this.body.dataset['cols'] = this.chars.map((n) => n + 2).join(',');
    this.columnsPx = this.widthsPx.reduce((a, b) => a + b, 0) + this.numPx;
    this.header.replaceChildren(this.numberHeader(), ...this.visible.map((c, i) => this.headerCell(c, i)));
    for (const r of this.pool) r.el.remove();
    this.pool = [];
    this.fillPx = -1;
    this.stretch();
  }

  /**
   * Columns fill the viewport: the last one takes the width the others leave (its text is still cut at
   * its annotated width, as IG cuts it; the details pane shows whole values). Wider columns scroll.
   */
  private stretch(): void {
    if (this.viewportWidth === 0) this.viewportWidth = this.viewport.clientWidth; // before the first resize callback
    const fill = this.visible.length ? Math.max(0, this.viewportWidth - this.columnsPx) : 0;
    if (fill === this.fillPx) return;
    this.fillPx = fill;
    const w = `${this.columnsPx + fill}px`;
    this.header.style.width = w;
    this.spacer.style.width = w;
    this.body.style.width = w;
    const last = this.header.lastElementChild as HTMLElement | null;
    if (last && this.visible.length) last.style.width = `${this.widthsPx[this.visible.length - 1]! + fill}px`;
  }

  /** Characters of text in a column: the user's width (pixels, snapped to the grid) or the annotated one. */
  private columnChars(c: Column): number {
    const user = this.model?.prefs.widths[c.name];
    if (user !== undefined && Number.isFinite(user)) return Math.max(1, Math.round(user / this.charPx) - 2);
    return Math.max(1, c.width);
  }

  /** Width of the packet-number column: grows with the packet numbers (and `.element` for arrays). */
  private numPx = 64;
  private numChars = 0;

  private fitNumberColumn(m: DataSourceModel): void {
    const last = m.ring.size ? m.ring.packet(m.ring.nextSeq - 1) : 0;
    const chars = Math.max(5, String(last).length + (m.isArray ? 4 : 0));
    if (chars === this.numChars) return;
    this.numChars = chars;
    this.numPx = (chars + 2) * this.charPx;
    this.root.style.setProperty('--num-width', `${this.numPx}px`);
    this.relayout();
  }

  /** Draw the visible rows. Cheap when nothing changed. */
  render(): void {
    const m = this.model;
    if (!m) { this.spacer.style.height = '0px'; return; }
    this.fitNumberColumn(m);
    const v = m.view;
    const n = v.length;
    this.keepPosition();
    const height = n * ROW_HEIGHT;
    this.spacer.style.height = `${height}px`;
    // Screen readers: the grid's size and each rendered row's position (rows are virtual).
    this.viewport.setAttribute('aria-rowcount', String(n + 1));
    if (this.state.follow && n > 0) {
      const bottom = Math.max(0, height - this.bodyHeight());
      if (Math.abs(this.viewport.scrollTop - bottom) > 1) this.setScroll(bottom, this.viewport.scrollLeft);
    }
    const top = this.viewport.scrollTop;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const fits = Math.ceil(this.bodyHeight() / ROW_HEIGHT) + 2 * OVERSCAN;
    const count = Math.min(n - first, fits);
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    // The pool is made as soon as the columns are known, hidden while empty: the first packets of a fast
    // stream then only fill rows, instead of building and laying out new elements in the same frame.
    while (this.pool.length < fits) this.pool.push(this.newRow(true));
    for (let i = 0; i < this.pool.length; i++) {
      const r = this.pool[i]!;
      if (i >= count) { if (!r.el.hidden) this.hideRow(r); continue; }
      r.el.hidden = false;
      this.fillRow(r, first + i, v.seqAt(first + i));
    }
  }

  /** Seqs of the selected rows in view order. */
  selectedSeqs(): number[] {
    const m = this.model;
    if (!m || this.state.selected.size === 0) return [];
    return m.view.seqs().filter((s) => this.state.selected.has(s));
  }

  get visibleColumns(): readonly Column[] { return this.visible; }

  focus(): void { this.viewport.focus(); }

  // --- rows

  private newRow(hidden: boolean): PoolRow {
    const el = h('div', { class: 'grid-row', role: 'row', 'aria-selected': 'false', hidden });
    const numCell = h('div', { class: 'grid-cell grid-num', role: 'rowheader' });
    const num = numCell.appendChild(document.createTextNode(''));
    const line = h('div', { class: 'grid-line', role: 'gridcell', 'aria-colspan': this.visible.length });
    const lineText = line.appendChild(document.createTextNode(''));
    el.append(numCell, line);
    this.body.append(el);
    return { el, num, line, lineText, cells: null, texts: [], mode: 'line', seq: -2, version: -1, index: -1, selected: false, cursor: false };
  }

  /** A pool row out of use: hidden, and marked neither selected nor cursor (its content stays for reuse). */
  private hideRow(r: PoolRow): void {
    r.el.hidden = true;
    if (r.selected) { r.selected = false; r.el.classList.remove('selected'); r.el.setAttribute('aria-selected', 'false'); }
    if (r.cursor) { r.cursor = false; r.el.classList.remove('cursor'); }
  }

  /** Switch a row between one line of text and one element per cell. */
  private setMode(r: PoolRow, mode: 'line' | 'cells'): void {
    if (r.mode === mode) return;
    r.mode = mode;
    if (mode === 'line') { r.el.replaceChildren(r.el.firstChild!, r.line); return; }
    if (!r.cells) {
      r.cells = this.visible.map((c, i) => {
        const cell = h('div', { class: `grid-cell align-${c.alignment}`, role: 'gridcell' });
        cell.style.width = `${this.widthsPx[i]}px`;
        return cell;
      });
      r.texts = r.cells.map((c) => c.appendChild(document.createTextNode('')));
    }
    r.el.replaceChildren(r.el.firstChild!, ...r.cells);
  }

  private fillRow(r: PoolRow, index: number, seq: number): void {
    const m = this.model!;
    const selected = this.state.selected.has(seq);
    const cursor = seq === this.state.cursor;
    if (r.selected !== selected) { r.selected = selected; r.el.classList.toggle('selected', selected); r.el.setAttribute('aria-selected', String(selected)); }
    if (r.cursor !== cursor) { r.cursor = cursor; r.el.classList.toggle('cursor', cursor); }
    if (r.index !== index) { r.index = index; r.el.dataset['index'] = String(index); r.el.setAttribute('aria-rowindex', String(index + 2)); }
    if (r.seq === seq && r.version === this.layoutVersion) return;
    r.seq = seq;
    r.version = this.layoutVersion;
    if (seq < 0 || !m.ring.has(seq)) { this.setMode(r, 'line'); r.num.data = ''; r.lineText.data = ''; return; }
    const ring = m.ring;
    const el = ring.element(seq);
    // The packet number; for array data sources with the element index (one row per element).
    setText(r.num, el >= 0 ? `${m.ring.packet(seq)}.${el}` : String(m.ring.packet(seq)));
    const n = this.visible.length;
    const shown = new Array<string>(n);
    let line = '';
    for (let i = 0; i < n; i++) {
      const c = this.visible[i]!;
      const text = cellText(ring.value(seq, c.index), c, this.chars[i]!);
      shown[i] = text;
      line += pad(text, this.chars[i]!, c.alignment);
    }
    if (ONE_CELL_TEXT.test(line)) {
      this.setMode(r, 'line');
      setText(r.lineText, line);
      return;
    }
    this.setMode(r, 'cells');
    for (let i = 0; i < n; i++) setText(r.texts[i]!, shown[i]!);
  }

  /** The full text of a value cut to fit its column, for the tooltip ('' when it fits). */
  private cutValue(seq: number, column: number): string {
    const m = this.model;
    const c = this.visible[column];
    if (!m || !c || !m.ring.has(seq)) return '';
    const full = formatValue(m.ring.value(seq, c.index), c);
    return Array.from(full).length > this.chars[column]! ? full : '';
  }

  /** Tooltips are worked out on hover (writing a title per cell per frame would cost every frame). */
  private onRowHover(e: MouseEvent): void {
    const rowEl = (e.target as HTMLElement).closest('.grid-row') as HTMLElement | null;
    if (!rowEl || !this.model) return;
    const seq = this.model.view.seqAt(Number(rowEl.dataset['index']));
    let x = e.clientX - rowEl.getBoundingClientRect().left - this.numPx;
    let column = -1;
    for (let i = 0; i < this.widthsPx.length && x >= 0; i++) { if (x < this.widthsPx[i]!) { column = i; break; } x -= this.widthsPx[i]!; }
    if (column < 0 && x >= 0 && x < this.fillPx) column = this.widthsPx.length - 1; // the last column's stretch
    const title = column < 0 ? '' : this.cutValue(seq, column);
    if (rowEl.title !== title) rowEl.title = title;
  }

  // --- header

  private numberHeader(): HTMLDivElement {
    const label = this.model?.isArray ? 'Packet.element' : 'Packet';
    return h('div', { class: 'grid-cell grid-num grid-head', role: 'columnheader', title: `${label} number`, text: '#' });
  }

  private headerCell(c: Column, i: number): HTMLDivElement {
    const s = this.state;
    const sorted = s.sortColumn === c.name;
    const btn = h('button', { class: `grid-head-button align-${c.alignment}`, type: 'button' });
    const name = h('span', { class: 'grid-head-name', text: c.name });
    btn.append(name);
    if (sorted) btn.append(icon(s.sortDescending ? 'triangle-down' : 'triangle-up'));
    const tip = [c.name + ` (${c.kind})`, c.description, ...c.warnings.map((w) => `⚠ ${w}`)].filter((x) => x).join('\n');
    btn.title = tip;
    btn.addEventListener('click', () => this.toggleSort(c));
    btn.addEventListener('keydown', (e) => {
      // Ctrl/Cmd+Left/Right: narrow/widen the column by one character.
      if ((e.ctrlKey || e.metaKey) && (e.key === 'ArrowLeft' || e.key === 'ArrowRight')) {
        e.preventDefault();
        this.setWidth(c, this.widthsPx[i]! + (e.key === 'ArrowLeft' ? -this.charPx : this.charPx));
      }
    });
    const handle = h('div', { class: 'grid-resize', 'aria-hidden': 'true' });
    handle.addEventListener('mousedown', (e) => this.startResize(e, c, i));
    handle.addEventListener('dblclick', () => this.resetWidth(c));
    const cell = h('div', { class: 'grid-cell grid-head', role: 'columnheader', 'aria-sort': sorted ? (s.sortDescending ? 'descending' : 'ascending') : 'none', 'data-field': c.name }, btn, handle);
    cell.style.width = `${this.widthsPx[i]}px`;
    return cell;
  }

  private toggleSort(c: Column): void {
    const s = this.state;
    // Click cycles: ascending → descending → arrival order.
    if (s.sortColumn !== c.name) { s.sortColumn = c.name; s.sortDescending = false; }
    else if (!s.sortDescending) s.sortDescending = true;
    else { s.sortColumn = null; s.sortDescending = false; }
    this.model?.sortBy(s.sortColumn, s.sortDescending);
    if (s.sortColumn !== null) s.follow = false;
    this.relayout();
    this.events.sortChanged(this.model!);
    this.render();
  }

  private startResize(e: MouseEvent, c: Column, i: number): void {
    e.preventDefault();
    e.stopPropagation();
    const x0 = e.clientX;
    const w0 = this.widthsPx[i]!;
    const move = (ev: MouseEvent) => this.setWidth(c, w0 + ev.clientX - x0, false);
    const up = () => {
      window.removeEventListener('mousemove', move);
      window.removeEventListener('mouseup', up);
      if (this.model) this.events.prefsChanged(this.model);
    };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }

  /** Resize within the column's annotated min/max widths (in characters, as IG). */
  setWidth(c: Column, px: number, save = true): void {
    const m = this.model;
    if (!m) return;
    const chars = clampWidth(Math.round(px / this.charPx) - 2, Math.max(c.minWidth, 2), c.maxWidth);
    m.prefs.widths[c.name] = Math.round((chars + 2) * this.charPx * 100) / 100;
    this.relayout();
    this.render();
    if (save) this.events.prefsChanged(m);
  }

  private resetWidth(c: Column): void {
    const m = this.model;
    if (!m) return;
    delete m.prefs.widths[c.name];
    this.relayout();
    this.render();
    this.events.prefsChanged(m);
  }

  // --- scrolling

  private bodyHeight(): number {
    if (this.viewportHeight === 0) this.viewportHeight = this.viewport.clientHeight; // before the first resize callback
    return Math.max(ROW_HEIGHT, this.viewportHeight - ROW_HEIGHT);
  }

  private setScroll(top: number, left: number): void {
    this.viewport.scrollTop = top;
    this.viewport.scrollLeft = left;
    // Read back: the browser clamps, and setting the current value fires no scroll event at all.
    this.expectedTop = this.viewport.scrollTop;
  }

  private onScroll(): void {
    // A scroll to where we put it is ours (render() already drew it); anything else is the user's: draw
    // the rows now in view, and decide whether to follow the tail.
    if (Math.abs(this.viewport.scrollTop - this.expectedTop) <= 1 || !this.model) return;
    this.expectedTop = this.viewport.scrollTop;
    // Following the tail while at the bottom; scrolling up stops following.
    const bottom = this.model.view.length * ROW_HEIGHT - this.bodyHeight();
    this.state.follow = this.state.sortColumn === null && this.viewport.scrollTop >= bottom - ROW_HEIGHT / 2;
    this.render();
  }

  /** When not following in arrival order, keep the same rows in view while old rows leave the ring. */
  private keepPosition(): void {
    const m = this.model!;
    const gone = m.ring.firstSeq - this.lastFirstSeq;
    this.lastFirstSeq = m.ring.firstSeq;
    if (gone <= 0 || this.state.follow || m.view.filtered || m.view.sortSpec) return;
    this.setScroll(Math.max(0, this.viewport.scrollTop - gone * ROW_HEIGHT), this.viewport.scrollLeft);
  }

  // --- selection and keyboard

  private indexOfSeq(seq: number): number {
    const v = this.model!.view;
    const n = v.length;
    if (!v.sortSpec) {
      // Ascending seqs: binary search.
      let lo = 0, hi = n - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const s = v.seqAt(mid);
        if (s === seq) return mid;
        if (s < seq) lo = mid + 1; else hi = mid - 1;
      }
      return -1;
    }
    for (let i = 0; i < n; i++) if (v.seqAt(i) === seq) return i;
    return -1;
  }

  private onRowMouse(e: MouseEvent): void {
    const rowEl = (e.target as HTMLElement).closest('.grid-row') as HTMLElement | null;
    if (!rowEl || !this.model) return;
    const index = Number(rowEl.dataset['index']);
    const seq = this.model.view.seqAt(index);
    if (seq < 0) return;
    this.select(index, seq, e.shiftKey, e.ctrlKey || e.metaKey);
    this.viewport.focus();
  }

  private select(index: number, seq: number, extend: boolean, toggle: boolean): void {
    const s = this.state;
    if (extend && s.anchor >= 0) {
      const a = this.indexOfSeq(s.anchor);
      if (a >= 0) {
        if (!toggle) s.selected.clear();
        const [lo, hi] = a < index ? [a, index] : [index, a];
        for (let i = lo; i <= hi; i++) s.selected.add(this.model!.view.seqAt(i));
      }
    } else if (toggle) {
      if (s.selected.has(seq)) s.selected.delete(seq); else s.selected.add(seq);
      s.anchor = seq;
    } else {
      s.selected.clear();
      s.selected.add(seq);
      s.anchor = seq;
    }
    s.cursor = seq;
    this.events.selectionChanged();
    this.render();
  }

  private moveCursor(to: number, extend: boolean): void {
    const v = this.model!.view;
    if (v.length === 0) return;
    const index = Math.max(0, Math.min(v.length - 1, to));
    const seq = v.seqAt(index);
    if (seq < 0) return;
    this.state.follow = false;
    this.select(index, seq, extend, false);
    this.reveal(index);
    this.render();
  }

  /** Scroll row `index` into view. */
  private reveal(index: number): void {
    if (index < 0) return;
    const top = index * ROW_HEIGHT;
    const st = this.viewport.scrollTop;
    if (top < st) this.setScroll(top, this.viewport.scrollLeft);
    else if (top + ROW_HEIGHT > st + this.bodyHeight()) this.setScroll(top + ROW_HEIGHT - this.bodyHeight(), this.viewport.scrollLeft);
  }

  private onKey(e: KeyboardEvent): void {
    const m = this.model;
    if (!m) return;
    const mod = e.ctrlKey || e.metaKey;
    const cur = this.state.cursor >= 0 ? this.indexOfSeq(this.state.cursor) : -1;
    const page = Math.max(1, Math.floor(this.bodyHeight() / ROW_HEIGHT) - 1);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown': this.moveCursor(cur < 0 ? 0 : cur + 1, e.shiftKey); break;
      case 'ArrowUp': this.moveCursor(cur < 0 ? 0 : cur - 1, e.shiftKey); break;
      case 'PageDown': this.moveCursor(cur < 0 ? page : cur + page, e.shiftKey); break;
      case 'PageUp': this.moveCursor(cur < 0 ? 0 : cur - page, e.shiftKey); break;
      case 'Home': this.moveCursor(0, e.shiftKey); break;
      case 'End': this.moveCursor(m.view.length - 1, e.shiftKey); break;
      case 'Escape': this.state.selected.clear(); this.events.selectionChanged(); this.render(); break;
      case 'a': case 'A':
        if (!mod) { handled = false; break; }
        for (const s of m.view.seqs()) this.state.selected.add(s);
        this.events.selectionChanged();
        this.render();
        break;
      case 'c': case 'C':
        if (!mod) { handled = false; break; }
        this.events.copy();
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  }
}

/** Set a Text node's data only when it changes (an unchanged write still invalidates layout). */
function setText(t: Text, s: string): void {
  if (t.data !== s) t.data = s;
}

/** A value in its column: one character of padding on each side, aligned within `width` characters. */
function pad(text: string, width: number, align: Column['alignment']): string {
  const room = width - text.length;
  if (room <= 0) return ` ${text} `;
  if (align === 'right') return ' '.repeat(room + 1) + text + ' ';
  return ' ' + text + ' '.repeat(room + 1);
}
