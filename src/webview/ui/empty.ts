// What the grid area says when the current tab has no rows to show: waiting, no packets, cleared or
// filtered out. Before any packet it also lists the gadget's data sources and their columns, so a
// running gadget that has not emitted yet shows what it will fill in rather than a blank page.

import { isVisible } from '../columns';
import type { DataSourceModel } from '../model';
import { h } from './dom';

export interface EmptyView {
  /** null: there are rows, nothing to say. */
  message: string | null;
  /** Data sources to list (empty: no list). */
  datasources: readonly DataSourceModel[];
  /** Bumped whenever a data source or its columns change: the list is rebuilt only then. */
  version: number;
}

export class EmptyState {
  readonly root = h('div', { class: 'grid-empty', hidden: true });
  private readonly message = h('div', { class: 'empty-message', role: 'status' });
  private readonly list = h('div', { class: 'empty-datasources' });
  private listKey = '';

  constructor() {
    this.root.append(this.message, this.list);
  }

  sync(v: EmptyView): void {
    // Called on every drawn frame: attributes are written only when they change (a write invalidates style).
    const hide = v.message === null;
    if (this.root.hidden !== hide) this.root.hidden = hide;
    if (v.message === null) return;
    if (this.message.textContent !== v.message) this.message.textContent = v.message;
    const key = `${v.version}:${v.datasources.map((d) => d.info.name).join('\u0000')}`;
    if (key === this.listKey) return;
    this.listKey = key;
    this.list.replaceChildren(...(v.datasources.length ? [h('div', { class: 'empty-heading', text: v.datasources.length === 1 ? 'Data source' : 'Data sources' }), h('ul', {}, ...v.datasources.map(item))] : []));
  }
}

function item(m: DataSourceModel): HTMLLIElement {
  const origin = m.info.origin === 'host' ? 'declared by the gadget' : 'created by the wasm module';
  const fields = h('div', { class: 'empty-fields' });
  m.columns.forEach((c, i) => {
    if (i > 0) fields.append(', ');
    const shown = isVisible(c, m.prefs);
    fields.append(h('span', { class: shown ? 'empty-field' : 'empty-field muted', title: shown ? c.kind : `${c.kind}, hidden`, 'data-field': c.name, text: c.name }));
  });
  if (m.columns.length === 0) fields.append(h('span', { class: 'muted', text: 'no fields yet' }));
  return h('li', { 'data-ds': m.info.name },
    h('span', { class: 'empty-ds-name', text: m.info.name }),
    h('span', { class: 'muted', text: ` · ${m.info.type}, ${origin}` }),
    fields);
}
