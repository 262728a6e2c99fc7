// The grid page: toolbar (pause, clear, filters, columns, copy, export), one tab per data source, the
// virtualized table, the row details pane, and the status line with the live counters. Messages in,
// rendering on animation frames.

import { isVisible } from '../columns';
import { formatValue } from '../../metadata/columns';
import { toCsv, toJsonLines, toTsv, type ExportRow } from '../export';
import { DataSourceModel, inferDataSource } from '../model';
import type { DataSourceStats, ExportFormat, RowsMessage, ToPage, WireDataSource } from '../protocol';
import { fmtCount, h, icon, iconButton } from './dom';
import { DetailsPane } from './details';
import { EmptyState } from './empty';
import type { Rpc } from './rpc';
import { Table, newTableState, type TableState } from './table';
import { warmUp } from './warmup';

/** How often the live tail is drawn while rows stream (ms): at least this, more when frames come late. */
const STREAM_RENDER_MS = 50;
const STREAM_RENDER_MAX_MS = 250;
/** Fewer rows than this since the last frame are drawn on the next frame (a slow stream waits for nothing). */
const FAST_STREAM_ROWS = 1000;

interface DsEntry {
  model: DataSourceModel;
  state: TableState;
  tab: HTMLButtonElement;
  badge: HTMLSpanElement;
}

export class App {
  private readonly entries = new Map<string, DsEntry>();
  private order: string[] = [];
  private active: string | null = null;
  private maxRows = 100_000;
  private paused = false;
  private dirty = true;
  /** Rows arrived since the last render: drawn at most every STREAM_RENDER_MS (see frame()). */
  private streamed = false;
  private rowsSinceRender = 0;
  private anyRows = false;
  private lastRender = 0;
  /** The live tail's current redraw interval: backs off while frames arrive late (a busy machine). */
  private streamInterval = STREAM_RENDER_MS;
  private lastFrame = 0;
  private runState: { text: string; icon: string; cls: string } = { text: 'Running', icon: 'loading codicon-modifier-spin', cls: 'running' };
  /** Bumped when a data source or its columns change (the empty state's list follows). */
  private dsVersion = 0;

  private readonly table: Table;
  private readonly tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Data sources' });
  private readonly pauseBtn = iconButton('debug-pause', 'Pause (rows keep being counted)', { 'data-action': 'pause' });
  private readonly clearBtn = iconButton('clear-all', 'Clear rows', { 'data-action': 'clear' });
  private readonly textFilter = h('input', { class: 'filter-text', type: 'search', placeholder: 'Filter text', 'aria-label': 'Filter text', spellcheck: 'false' });
  private readonly fieldFilter = h('input', { class: 'filter-fields', type: 'text', placeholder: 'Field filters: pid>100,comm~^ba', 'aria-label': 'Field filters (IG syntax)', spellcheck: 'false' });
  private readonly columnsBtn = iconButton('list-selection', 'Show or hide columns', { 'data-action': 'columns', 'aria-haspopup': 'true', 'aria-expanded': 'false' });
  private readonly columnsMenu = h('div', { class: 'menu columns-menu', role: 'menu', hidden: true });
  private readonly copyBtn = iconButton('copy', 'Copy selected rows (Ctrl+C)', { 'data-action': 'copy' });
  private readonly jsonBtn = h('button', { class: 'text-button wide-only', type: 'button', 'data-action': 'export-jsonl', title: 'Export shown rows as JSON Lines' }, icon('export'), ' JSON Lines');
  private readonly csvBtn = h('button', { class: 'text-button wide-only', type: 'button', 'data-action': 'export-csv', title: 'Export shown rows as CSV' }, icon('export'), ' CSV');
  /** Below 680 px the export buttons move into this menu, so the toolbar stays one line (see grid.css). */
  private readonly moreBtn = iconButton('ellipsis', 'More actions', { 'data-action': 'more', 'aria-haspopup': 'true', 'aria-expanded': 'false' });
  private readonly moreMenu = h('div', { class: 'menu more-menu', role: 'menu', hidden: true },
    h('button', { class: 'menu-item', type: 'button', role: 'menuitem', 'data-action': 'menu-export-jsonl' }, icon('export'), h('span', { text: 'Export as JSON Lines' })),
    h('button', { class: 'menu-item', type: 'button', role: 'menuitem', 'data-action': 'menu-export-csv' }, icon('export'), h('span', { text: 'Export as CSV' })));
  private readonly details: DetailsPane;
  private readonly empty = new EmptyState();
  private readonly filterError = h('div', { class: 'filter-error', role: 'alert', hidden: true });
  private readonly counters = h('span', { class: 'counters', 'aria-live': 'off' });
  private readonly runStatus = h('span', { class: 'run-status' });
  private readonly notice = h('span', { class: 'notice', role: 'status' });

  constructor(root: HTMLElement, private readonly rpc: Rpc) {
    this.table = new Table({
      prefsChanged: (m) => this.rpc.post({ type: 'prefs', ds: m.info.name, prefs: m.prefs }),
      sortChanged: () => { this.dirty = true; },
      copy: () => void this.copySelection(),
      selectionChanged: () => { this.dirty = true; },
    });
    this.details = new DetailsPane({
      copy: (text) => void this.copyText(text, 'Copied the row.'),
      close: () => { const e = this.current(); if (e) { e.state.selected.clear(); this.table.render(); this.table.focus(); } this.dirty = true; },
    });
    this.table.root.append(this.empty.root);
    const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Grid actions' },
      this.pauseBtn, this.clearBtn,
      h('span', { class: 'filter-box' }, icon('filter'), this.textFilter),
      h('span', { class: 'filter-box wide' }, icon('symbol-field'), this.fieldFilter),
      h('span', { class: 'menu-anchor' }, this.columnsBtn, this.columnsMenu),
      this.copyBtn, this.jsonBtn, this.csvBtn,
      h('span', { class: 'menu-anchor narrow-only' }, this.moreBtn, this.moreMenu));
    const status = h('div', { class: 'status' }, this.runStatus, this.counters, this.notice);
    root.replaceChildren(toolbar, this.filterError, this.tabs, this.table.root, this.details.root, status);

    this.pauseBtn.addEventListener('click', () => this.setPaused(!this.paused));
    this.clearBtn.addEventListener('click', () => this.clear());
    let t: ReturnType<typeof setTimeout> | undefined;
    const onFilter = () => { clearTimeout(t); t = setTimeout(() => this.applyFilters(), 150); };
    this.textFilter.addEventListener('input', onFilter);
    this.fieldFilter.addEventListener('input', onFilter);
    for (const f of [this.textFilter, this.fieldFilter]) f.addEventListener('keydown', (e) => { if (e.key === 'Enter') { clearTimeout(t); this.applyFilters(); } });
    this.columnsBtn.addEventListener('click', () => this.toggleColumnsMenu());
    this.columnsMenu.addEventListener('keydown', (e) => { if (e.key === 'Escape') { this.toggleColumnsMenu(false); this.columnsBtn.focus(); } });
    this.moreBtn.addEventListener('click', () => this.toggleMoreMenu());
    this.moreMenu.addEventListener('keydown', (e) => { if (e.key === 'Escape') { this.toggleMoreMenu(false); this.moreBtn.focus(); } });
    document.addEventListener('mousedown', (e) => {
      const anchor = (e.target as HTMLElement).closest('.menu-anchor');
      if (!this.columnsMenu.hidden && anchor !== this.columnsMenu.parentElement) this.toggleColumnsMenu(false);
      if (!this.moreMenu.hidden && anchor !== this.moreMenu.parentElement) this.toggleMoreMenu(false);
    });
    this.copyBtn.addEventListener('click', () => void this.copySelection());
    this.jsonBtn.addEventListener('click', () => void this.export('jsonl'));
    this.csvBtn.addEventListener('click', () => void this.export('csv'));
    for (const [action, format] of [['menu-export-jsonl', 'jsonl'], ['menu-export-csv', 'csv']] as const) {
      this.moreMenu.querySelector(`[data-action="${action}"]`)!.addEventListener('click', () => { this.toggleMoreMenu(false); void this.export(format); });
    }
    this.tabs.addEventListener('keydown', (e) => this.onTabKey(e));
    window.addEventListener('resize', () => { this.dirty = true; });

    requestIdleCallback(() => { if (!this.anyRows) warmUp(); }, { timeout: 500 });
    this.table.measure();
    this.table.bind(null, newTableState());
    this.renderStatus();
    const frame = () => { this.frame(); requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    setInterval(() => { const now = performance.now(); for (const e of this.entries.values()) e.model.tickRate(now); this.dirty = true; }, 1000);
  }

  handle(m: ToPage): void {
    switch (m.type) {
      case 'init':
        this.maxRows = m.maxRows;
        document.title = m.title;
        break;
      case 'datasources': for (const d of m.datasources) this.upsert(d); break;
      case 'rows': this.onRows(m); return; // not `dirty`: streaming renders are rate-limited in frame()
      case 'lost': { const e = this.entries.get(m.ds); if (e) { e.model.lost += m.rows; e.model.received += m.rows; } break; }
      case 'runEnded':
        this.runState = m.ok
          ? { text: `Finished: ${fmtCount(m.packets)} packets`, icon: 'pass', cls: 'ok' }
          : { text: `Failed: ${m.error ?? 'unknown error'}`, icon: 'error', cls: 'failed' };
        break;
      case 'request':
        if (m.method === 'stats') this.rpc.post({ type: 'response', id: m.id, result: this.stats() });
        else this.rpc.post({ type: 'response', id: (m as { id: number }).id, error: `unknown request "${String((m as { method: unknown }).method)}"` });
        break;
      case 'response': this.rpc.onResponse(m); break;
    }
    this.dirty = true;
  }

  stats(): DataSourceStats[] {
    // Views are brought up to date on animation frames, which a hidden webview doesn't get: update here.
    return this.order.map((n) => { const mo = this.entries.get(n)!.model; mo.view.update(); return { datasource: n, received: mo.received, shown: mo.shown, dropped: mo.dropped }; });
  }

  // --- data sources and tabs

  private upsert(d: WireDataSource): DsEntry {
    this.dsVersion++;
    const e = this.entries.get(d.name);
    if (e) {
      e.model.update(d);
      if (this.active === d.name) { this.table.bind(e.model, e.state); this.showFilterError(e.model.filterError); }
      this.syncTabs();
      return e;
    }
    const model = new DataSourceModel(d, this.maxRows);
    const badge = h('span', { class: 'badge', text: '0' });
    const tab = h('button', { class: 'tab', type: 'button', role: 'tab', 'aria-selected': 'false', tabindex: -1, 'data-ds': d.name }, h('span', { text: d.name }), badge);
    tab.addEventListener('click', () => this.activate(d.name));
    const entry: DsEntry = { model, state: newTableState(), tab, badge };
    this.entries.set(d.name, entry);
    this.order.push(d.name);
    this.syncTabs();
    return entry;
  }

  /** Host data sources have tabs from the start; guest-created ones once they emit. */
  private syncTabs(): void {
    const shown = this.order.filter((n) => { const e = this.entries.get(n)!; return e.model.info.origin === 'host' || e.model.hasEmitted; });
    const tabs = shown.map((n) => this.entries.get(n)!.tab);
    if (tabs.length !== this.tabs.childElementCount || tabs.some((t, i) => this.tabs.children[i] !== t)) this.tabs.replaceChildren(...tabs);
    if (this.active === null && shown.length) this.activate(shown[0]!);
  }

  private activate(name: string): void {
    const e = this.entries.get(name);
    if (!e) return;
    this.active = name;
    for (const [n, x] of this.entries) {
      x.tab.setAttribute('aria-selected', String(n === name));
      x.tab.tabIndex = n === name ? 0 : -1;
      x.tab.classList.toggle('active', n === name);
    }
    this.textFilter.value = e.model.textFilter;
    this.fieldFilter.value = e.model.fieldFilter;
    this.showFilterError(e.model.filterError);
    this.table.bind(e.model, e.state);
    this.renderColumnsMenu();
    this.dirty = true;
  }

  private onTabKey(e: KeyboardEvent): void {
    const tabs = Array.from(this.tabs.children) as HTMLButtonElement[];
    const i = tabs.findIndex((t) => t.dataset['ds'] === this.active);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j < 0 || !tabs[j]) return;
    e.preventDefault();
    this.activate(tabs[j]!.dataset['ds']!);
    tabs[j]!.focus();
  }

  private onRows(m: RowsMessage): void {
    let e = this.entries.get(m.ds);
    if (!e) e = this.upsert(inferDataSource(m));
    const first = !e.model.hasEmitted;
    e.model.append(m, this.paused);
    this.streamed = true;
    this.rowsSinceRender += m.count;
    this.anyRows = true;
    if (first) { this.syncTabs(); this.dirty = true; }
  }

  // --- actions

  private setPaused(p: boolean): void {
    this.paused = p;
    this.pauseBtn.replaceChildren(icon(p ? 'debug-continue' : 'debug-pause'));
    const label = p ? 'Resume' : 'Pause (rows keep being counted)';
    this.pauseBtn.title = label;
    this.pauseBtn.setAttribute('aria-label', label);
    this.pauseBtn.setAttribute('aria-pressed', String(p));
    this.pauseBtn.classList.toggle('toggled', p);
    if (!p) for (const e of this.entries.values()) e.model.resume();
    this.dirty = true;
  }

  private clear(): void {
    const e = this.current();
    if (!e) return;
    e.model.clear();
    e.state.selected.clear();
    e.state.follow = true;
    this.dirty = true;
  }

  private applyFilters(): void {
    const e = this.current();
    if (!e) return;
    const err = e.model.setFilters(this.textFilter.value, this.fieldFilter.value);
    this.showFilterError(err);
    e.state.follow = e.state.sortColumn === null;
    this.dirty = true;
  }

  private showFilterError(err: string | null): void {
    this.filterError.hidden = err === null;
    this.filterError.textContent = err ?? '';
    this.fieldFilter.classList.toggle('invalid', err !== null);
    this.fieldFilter.setAttribute('aria-invalid', String(err !== null));
  }

  private toggleColumnsMenu(open = this.columnsMenu.hidden): void {
    if (open) this.renderColumnsMenu();
    this.columnsMenu.hidden = !open;
    this.columnsBtn.setAttribute('aria-expanded', String(open));
    if (open) (this.columnsMenu.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  /** Columns were shown or hidden: the table, the details pane's tags and the empty state's list follow. */
  private columnsChanged(): void {
    this.table.relayout();
    this.details.invalidate();
    this.dsVersion++;
  }

  private toggleMoreMenu(open = this.moreMenu.hidden): void {
    this.moreMenu.hidden = !open;
    this.moreBtn.setAttribute('aria-expanded', String(open));
    if (open) (this.moreMenu.querySelector('button') as HTMLButtonElement | null)?.focus();
  }

  private renderColumnsMenu(): void {
    const e = this.current();
    if (!e) { this.columnsMenu.replaceChildren(); return; }
    const m = e.model;
    const items = m.columns.map((c) => {
      const box = h('input', { type: 'checkbox', 'data-field': c.name });
      box.checked = isVisible(c, m.prefs);
      box.addEventListener('change', () => {
        m.prefs.visible[c.name] = box.checked;
        m.visibilityChanged();
        this.columnsChanged();
        this.rpc.post({ type: 'prefs', ds: m.info.name, prefs: m.prefs });
        this.dirty = true;
      });
      const label = h('label', { class: 'menu-item', role: 'menuitemcheckbox', title: c.description || c.name }, box, h('span', { text: c.name }));
      if (c.hiddenByDefault) label.append(h('span', { class: 'muted', text: ' (hidden by default)' }));
      return label;
    });
    const reset = h('button', { class: 'text-button', type: 'button', 'data-action': 'reset-columns', text: 'Reset columns' });
    reset.addEventListener('click', () => {
      m.prefs = { visible: {}, widths: {} };
      m.visibilityChanged();
      this.columnsChanged();
      this.renderColumnsMenu();
      this.rpc.post({ type: 'prefs', ds: m.info.name, prefs: m.prefs });
      this.dirty = true;
    });
    this.columnsMenu.replaceChildren(...items, reset);
  }

  private async copySelection(): Promise<void> {
    const e = this.current();
    if (!e) return;
    const seqs = this.table.selectedSeqs();
    if (seqs.length === 0) { this.say('Select rows to copy (click, Shift+click, Ctrl+A).'); return; }
    const cols = this.table.visibleColumns;
    const m = e.model;
    const rows = seqs.map((s) => [m.ring.element(s) >= 0 ? `${m.ring.packet(s)}.${m.ring.element(s)}` : String(m.ring.packet(s)), ...cols.map((c) => formatValue(m.ring.row(s)[c.index] ?? null, c))]);
    await this.copyText(toTsv(rows, ['#', ...cols.map((c) => c.name)]), `Copied ${fmtCount(seqs.length)} rows.`);
  }

  /** Through the extension: a webview's own clipboard access is not reliable in every host. */
  private async copyText(text: string, done: string): Promise<void> {
    try {
      await this.rpc.request('copy', { text });
      this.say(done);
    } catch (err) {
      this.say(`Copy failed: ${(err as Error).message}`);
    }
  }

  private async export(format: ExportFormat): Promise<void> {
    const e = this.current();
    if (!e) { this.say('Nothing to export yet.'); return; }
    const m = e.model;
    m.view.update();
    const seqs = m.view.seqs();
    const rows: ExportRow[] = seqs.map((s) => ({ values: m.ring.row(s), packet: m.ring.packet(s) }));
    const content = format === 'csv' ? toCsv(rows, m.columns, m.isArray) : toJsonLines(rows, m.info.fields, m.isArray);
    try {
      const r = await this.rpc.request('export', { format, ds: m.info.name, content });
      this.say(r.path ? `Exported ${fmtCount(rows.length)} rows to ${r.path}` : 'Export cancelled.');
    } catch (err) {
      this.say(`Export failed: ${(err as Error).message}`);
    }
  }

  private say(text: string): void {
    this.notice.textContent = text;
  }

  private current(): DsEntry | undefined {
    return this.active === null ? undefined : this.entries.get(this.active);
  }

  // --- rendering

  private lastResort = 0;

  private frame(): void {
    const now = performance.now();
    // A frame more than 2.5 refresh periods after the last one means the machine (or this page) is short
    // of time: draw the tail half as often, back to every STREAM_RENDER_MS as frames come on time again.
    const late = this.lastFrame > 0 && now - this.lastFrame > 40;
    this.lastFrame = now;
    this.streamInterval = late ? Math.min(STREAM_RENDER_MAX_MS, this.streamInterval * 2) : Math.max(STREAM_RENDER_MS, this.streamInterval - 5);
    // What the user does, and rows that trickle in, render on the next frame; a fast stream renders at most
    // every streamInterval. At 200k rows/s every visible row changes on every frame, which nobody can read:
    // drawing the live tail 20 times a second instead of 60 leaves the main thread to the messages.
    if (!this.dirty && !(this.streamed && (this.rowsSinceRender < FAST_STREAM_ROWS || now - this.lastRender >= this.streamInterval))) return;
    const e = this.current();
    if (e) {
      const v = e.model.view;
      v.update();
      // A sorted view is re-sorted at most twice a second while rows stream in.
      if (v.stale && !this.paused && now - this.lastResort > 500) { v.resort(); this.lastResort = now; }
    }
    this.dirty = false;
    this.streamed = false;
    this.rowsSinceRender = 0;
    this.lastRender = now;
    this.table.render();
    this.renderStatus();
    this.syncPanes(e);
  }

  /** The details pane (cursor row of the current tab) and the empty state. Both are cheap when unchanged. */
  private syncPanes(e: DsEntry | undefined): void {
    const s = e?.state;
    this.details.sync(e?.model ?? null, s && s.cursor >= 0 && s.selected.has(s.cursor) ? s.cursor : -1);
    const m = e?.model;
    let message: string | null = null;
    if (!m || m.view.length === 0) {
      if (m && m.ring.size > 0) message = 'No rows match the filter.';
      else if (m && m.received > 0) message = 'Cleared. New rows will appear here.';
      // One state at a time: once the run has ended, the status line says how (Finished or Failed).
      else message = this.runState.cls === 'running' ? 'Waiting for packets…' : 'No packets.';
    }
    const list = message !== null && (!m || m.received === 0) ? this.order.map((n) => this.entries.get(n)!.model) : [];
    this.empty.sync({ message, datasources: list, version: this.dsVersion });
  }

  private renderStatus(): void {
    for (const e of this.entries.values()) {
      const t = fmtCount(e.model.received);
      if (e.badge.textContent !== t) e.badge.textContent = t;
    }
    const e = this.current();
    const m = e?.model;
    const parts = m
      ? [`received ${fmtCount(m.received)}`, `shown ${fmtCount(m.shown)}`, `dropped ${fmtCount(m.dropped)}`, `${fmtCount(m.rate)}/s`]
      : ['received 0', 'shown 0', 'dropped 0', '0/s'];
    if (this.paused) parts.push(`paused, ${fmtCount(m?.heldCount ?? 0)} held`);
    const text = parts.join(' · ');
    if (this.counters.textContent !== text) this.counters.textContent = text;
    const rs = this.runState;
    if (this.runStatus.dataset['text'] !== rs.text) {
      this.runStatus.dataset['text'] = rs.text;
      this.runStatus.className = `run-status ${rs.cls}`;
      this.runStatus.title = rs.text;
      this.runStatus.replaceChildren(icon(rs.icon), h('span', { text: rs.text }));
    }
  }
}
