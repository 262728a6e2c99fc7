// One data source as the page holds it: its columns, ring, view (filter + sort), counters and the rows
// held back while the grid is paused. No DOM: unit-tested in Node, driven by the page.

import type { KindName } from '../host/api';
import { buildColumns, emptyPrefs, isVisible, type Column } from './columns';
import { compileFilter, compileTextFilter, type RowPredicate } from '../metadata/filter';
import { columnValue, sliceColumn, slicePackets, type ColumnPrefs, type RowsMessage, type WireDataSource, type WireField, type WireValue } from './protocol';
import { RowRing, storageFor } from './ring';
import { RowView } from './view';

/** Kind of a field the page learns of only from rows (a data source it was never told about). */
export function guessKind(v: WireValue | undefined): KindName {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return 'string';
}

export class DataSourceModel {
  info: WireDataSource;
  columns: Column[];
  prefs: ColumnPrefs;
  readonly ring: RowRing;
  readonly view: RowView;
  /** Rows that arrived (including those later dropped). */
  received = 0;
  /** Rows the extension dropped before the page was ready. */
  lost = 0;
  /** Rows dropped from the pause queue because it was full. */
  pausedDropped = 0;
  /** Rows held while paused, appended on resume. */
  private held: RowsMessage[] = [];
  private heldRows = 0;
  textFilter = '';
  fieldFilter = '';
  filterError: string | null = null;
  /** Has this data source emitted? (Guest-created data sources get a tab only once they do.) */
  get hasEmitted(): boolean { return this.received > 0; }

  // Rate: rows per second over the last completed second.
  rate = 0;
  private rateBase = 0;
  private rateAt = 0;
  private fieldsKey = '';
  private fieldMap: number[] | null = null;

  constructor(info: WireDataSource, readonly capacity: number) {
    this.info = info;
    this.columns = buildColumns(info.fields);
    this.prefs = info.prefs ?? emptyPrefs();
    this.ring = new RowRing(capacity, info.fields.map((f) => storageFor(f.kind)));
    this.view = new RowView(this.ring);
    this.fieldsKey = info.fields.map((f) => f.name).join('\u0000');
  }

  get dropped(): number { return this.ring.dropped + this.pausedDropped + this.lost; }
  get shown(): number { return this.view.length; }
  get isArray(): boolean { return this.info.type === 'array'; }

  /** New field list from the extension (same data source): columns follow; held rows keep their values by name. */
  update(info: WireDataSource): void {
    // Same field names in the same order: stored rows stay valid (kinds may be corrected, e.g. after rows
    // arrived before the data source's description and kinds were guessed).
    const sameNames = info.fields.length === this.info.fields.length && info.fields.every((f, i) => f.name === this.info.fields[i]!.name);
    this.info = { ...info, prefs: this.prefs };
    this.columns = buildColumns(info.fields);
    if (!sameNames) {
      this.fieldsKey = info.fields.map((f) => f.name).join('\u0000');
      this.fieldMap = null;
      this.lastMapKey = '';
      // Rows stored so far follow the old layout: start over rather than show them under wrong headers.
      this.ring.clear();
      if (info.fields.length > this.ring.width) this.ring.addColumns(info.fields.slice(this.ring.width).map((f) => storageFor(f.kind)));
    }
    // Filters and sort refer to columns: compile them again.
    const sort = this.view.sortSpec;
    this.applyFilters();
    if (sort) this.sortBy(sort.column.name, sort.descending);
  }

  /** Append a rows message (or hold it while paused). */
  append(m: RowsMessage, paused: boolean): void {
    const n = m.count;
    this.received += n;
    if (paused) {
      this.held.push(m);
      this.heldRows += n;
      while (this.heldRows > this.capacity && this.held.length) {
        const over = this.heldRows - this.capacity;
        const first = this.held[0]!;
        if (first.count <= over) { this.held.shift(); this.heldRows -= first.count; this.pausedDropped += first.count; }
        else { this.held[0] = sliceRows(first, over); this.heldRows -= over; this.pausedDropped += over; }
      }
      return;
    }
    this.store(m);
  }

  /** Append what was held while paused. */
  resume(): void {
    const h = this.held;
    this.held = [];
    this.heldRows = 0;
    for (const m of h) this.store(m);
  }

  get heldCount(): number { return this.heldRows; }

  clear(): void {
    this.ring.clear();
    this.held = [];
    this.heldRows = 0;
    this.view.update();
  }

  /** Set the two filters; returns the error text (null when both compiled). The view is left unchanged on error. */
  setFilters(text: string, field: string): string | null {
    this.textFilter = text;
    this.fieldFilter = field;
    return this.applyFilters();
  }

  /** Columns were shown or hidden: the text filter follows the visible columns. */
  visibilityChanged(): void {
    if (this.textFilter.trim() !== '') this.applyFilters();
  }

  sortBy(columnName: string | null, descending = false): void {
    const col = columnName === null ? undefined : this.columns.find((c) => c.name === columnName);
    this.view.setSort(col ? { column: col, descending } : null);
  }

  /** Update the rows-per-second figure (call about once a second). */
  tickRate(now: number): void {
    if (this.rateAt === 0) { this.rateAt = now; this.rateBase = this.received; return; }
    const dt = (now - this.rateAt) / 1000;
    if (dt <= 0) return;
    this.rate = (this.received - this.rateBase) / dt;
    this.rateAt = now;
    this.rateBase = this.received;
  }

  private applyFilters(): string | null {
    let field: RowPredicate | null;
    try {
      field = compileFilter(this.fieldFilter, this.columns, this.info.name);
    } catch (e) {
      this.filterError = (e as Error).message;
      return this.filterError;
    }
    this.filterError = null;
    // The text filter looks at what the user sees: a hidden column's text matching would show rows for no visible reason.
    const text = compileTextFilter(this.textFilter, this.columns.filter((c) => isVisible(c, this.prefs)));
    const p: RowPredicate | null = field && text ? (r) => field!(r) && text(r) : field ?? text;
    this.view.setFilter(p);
    return null;
  }

  private store(m: RowsMessage): void {
    const map = this.mapFor(m.fields);
    this.ring.pushColumns(m.columns, m.count, m.packet, m.element, map);
  }

  /** null when the message's fields are the model's; else where each message field goes. Unknown fields are added. */
  private mapFor(fields: string[]): number[] | null {
    const key = fields.join('\u0000');
    if (key === this.fieldsKey) return null;
    if (this.fieldMap && this.lastMapKey === key) return this.fieldMap;
    const names = this.info.fields.map((f) => f.name);
    const extra: WireField[] = [];
    for (const f of fields) if (!names.includes(f)) extra.push({ name: f, kind: 'string', annotations: {} });
    if (extra.length) {
      this.info = { ...this.info, fields: [...this.info.fields, ...extra] };
      this.ring.addColumns(extra.map((f) => storageFor(f.kind)));
      this.columns = buildColumns(this.info.fields);
      this.fieldsKey = this.info.fields.map((f) => f.name).join('\u0000');
      if (key === this.fieldsKey) return null;
    }
    const all = this.info.fields.map((f) => f.name);
    this.fieldMap = fields.map((f) => all.indexOf(f));
    this.lastMapKey = key;
    return this.fieldMap;
  }
  private lastMapKey = '';
}

function sliceRows(m: RowsMessage, from: number): RowsMessage {
  const out: RowsMessage = { type: 'rows', ds: m.ds, fields: m.fields, count: m.count - from, columns: m.columns.map((c) => sliceColumn(c, from)), packet: slicePackets(m.packet, from) };
  if (m.element) out.element = m.element.slice(from);
  return out;
}

/** A data source the page learns of from rows alone: fields named by the message, kinds from the first row. */
export function inferDataSource(m: RowsMessage): WireDataSource {
  return {
    name: m.ds,
    type: m.element ? 'array' : 'single',
    origin: 'guest',
    fields: m.fields.map((name, j) => ({ name, kind: guessKind(columnValue(m.columns[j], 0)), annotations: {} })),
  };
}
