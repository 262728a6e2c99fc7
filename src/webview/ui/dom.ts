// Tiny DOM helpers. Text always goes in through textContent: packet values are data, never markup.

type Attrs = Record<string, string | number | boolean | undefined>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') el.className = String(v);
    else if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return el;
}

/** A codicon (the font from @vscode/codicons, loaded by the page's stylesheet link). */
export function icon(name: string): HTMLSpanElement {
  return h('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });
}

export function iconButton(name: string, label: string, attrs: Attrs = {}): HTMLButtonElement {
  const b = h('button', { class: 'icon-button', type: 'button', title: label, 'aria-label': label, ...attrs }, icon(name));
  return b;
}

const nf = new Intl.NumberFormat('en-US');
export function fmtCount(n: number): string { return nf.format(Math.round(n)); }
