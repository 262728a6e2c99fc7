// The row details pane under the table: every field of the cursor row, hidden ones too, with its whole
// value (the table cuts values to their columns), as a field list or as JSON (as `ig run -o jsonpretty`
// prints the event, by the export's writer), and a copy button. It is rebuilt only when the row it shows changes, so a
// streaming frame costs one comparison here.

import { isVisible, type Column } from '../columns';
import { formatValue, type CellValue } from '../../metadata/columns';
import { toJsonPretty, toTsv } from '../export';
import type { DataSourceModel } from '../model';
import { h, iconButton } from './dom';

export interface DetailsEvents {
  copy(text: string): void;
  close(): void;
}

type Mode = 'fields' | 'json';

/** Smallest height of the pane (px). It fits its content up to 40% of the page until the sash above it is dragged. */
const MIN_HEIGHT = 80;

export class DetailsPane {
  readonly root: HTMLDivElement;
  private readonly title = h('span', { class: 'details-title' });
  private readonly fieldsBtn = h('button', { class: 'text-button toggled', type: 'button', 'data-mode': 'fields', 'aria-pressed': 'true', text: 'Fields' });
  private readonly jsonBtn = h('button', { class: 'text-button', type: 'button', 'data-mode': 'json', 'aria-pressed': 'false', text: 'JSON' });
  private readonly copyBtn = iconButton('copy', 'Copy what the pane shows', { 'data-action': 'details-copy' });
  private readonly closeBtn = iconButton('close', 'Close (Escape in the table)', { 'data-action': 'details-close' });
  private readonly body = h('div', { class: 'details-body', tabindex: 0, role: 'region', 'aria-label': 'Row details' });
  private mode: Mode = 'fields';
  /** What is shown: rebuilt when any of these changes. */
  private model: DataSourceModel | null = null;
  private seq = -1;
  private columns: readonly Column[] | null = null;
  private held = false;
  private text = '';

  constructor(private readonly events: DetailsEvents) {
    const sash = h('div', { class: 'details-sash', 'aria-hidden': 'true' });
    const head = h('div', { class: 'details-head' }, this.title,
      h('span', { class: 'details-modes', role: 'group', 'aria-label': 'View' }, this.fieldsBtn, this.jsonBtn), this.copyBtn, this.closeBtn);
    this.root = h('div', { class: 'details', hidden: true }, sash, head, this.body);
    for (const b of [this.fieldsBtn, this.jsonBtn]) b.addEventListener('click', () => this.setMode(b.dataset['mode'] as Mode));
    this.copyBtn.addEventListener('click', () => this.events.copy(this.text));
    this.closeBtn.addEventListener('click', () => this.events.close());
    sash.addEventListener('mousedown', (e) => this.startResize(e));
  }

  /** Show row `seq` of `model` (-1: none, the pane hides). Cheap when it is what the pane already shows. */
  sync(model: DataSourceModel | null, seq: number): void {
    const held = model !== null && seq >= 0 && model.ring.has(seq);
    if (model === this.model && seq === this.seq && model?.columns === this.columns && held === this.held) return;
    this.model = model;
    this.seq = seq;
    this.columns = model?.columns ?? null;
    this.held = held;
    this.root.hidden = model === null || seq < 0;
    if (!this.root.hidden) this.build();
  }

  /** Build again on the next sync (a column was shown or hidden: the "hidden" tags change). */
  invalidate(): void {
    this.columns = null;
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    this.fieldsBtn.setAttribute('aria-pressed', String(mode === 'fields'));
    this.jsonBtn.setAttribute('aria-pressed', String(mode === 'json'));
    this.fieldsBtn.classList.toggle('toggled', mode === 'fields');
    this.jsonBtn.classList.toggle('toggled', mode === 'json');
    if (!this.root.hidden) this.build();
  }

  private build(): void {
    const m = this.model!;
    const ring = m.ring;
    if (!this.held) {
      this.title.textContent = 'Row details';
      this.text = '';
      this.body.replaceChildren(h('div', { class: 'muted', text: `This row has left the grid, which keeps the newest ${m.capacity.toLocaleString('en-US')} rows.` }));
      return;
    }
    const el = ring.element(this.seq);
    const packet = ring.packet(this.seq);
    this.title.textContent = el >= 0 ? `Packet ${packet}, element ${el}` : `Packet ${packet}`;
    const values = ring.row(this.seq);
    if (this.mode === 'json') {
      this.text = toJsonPretty(values, m.info.fields);
      this.body.replaceChildren(h('pre', { class: 'details-json', text: this.text }));
      return;
    }
    // Every field, in field order; values formatted as the table formats them, never cut.
    const rows = m.columns.map((c) => [c.name, wholeValue(values[c.index] ?? null, c)] as const);
    this.text = toTsv(rows, ['field', 'value']);
    const list = h('dl', { class: 'details-fields' });
    m.columns.forEach((c, i) => {
      const name = h('dt', { title: [`${c.name} (${c.kind})`, c.description].filter((x) => x).join('\n'), 'data-field': c.name }, h('span', { text: c.name }));
      if (!isVisible(c, m.prefs)) name.append(h('span', { class: 'details-tag', text: 'hidden' }));
      list.append(name, h('dd', { 'data-field': c.name, text: rows[i]![1] }));
    });
    this.body.replaceChildren(list);
  }

  private startResize(e: MouseEvent): void {
    e.preventDefault();
    const y0 = e.clientY;
    const h0 = this.root.getBoundingClientRect().height;
    const max = () => Math.max(MIN_HEIGHT, window.innerHeight - 160);
    const move = (ev: MouseEvent) => {
      this.root.style.maxHeight = 'none';
      this.root.style.height = `${Math.min(max(), Math.max(MIN_HEIGHT, h0 + y0 - ev.clientY))}px`;
    };
    const up = () => { window.removeEventListener('mousemove', move); window.removeEventListener('mouseup', up); };
    window.addEventListener('mousemove', move);
    window.addEventListener('mouseup', up);
  }
}

/** As the table shows it; bytes and arrays, which the table shows as IG does (`<N bytes>`), with their content. */
function wholeValue(v: CellValue, c: Column): string {
  const shown = formatValue(v, c);
  return c.byteCount && typeof v === 'string' && v !== '' ? `${shown} ${v}` : shown;
}
