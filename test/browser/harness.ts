// Loads the grid page standalone in headless Chromium: the page's real HTML (gridHtml, same CSP) with
// file: URIs for the bundle, a stub `acquireVsCodeApi` recording what the page posts, and a VS Code
// theme's CSS variables. Tests post the very messages GridPanel posts and read the DOM.

import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { gridHtml } from '../../src/webview/html';
import { readGridRows } from '../support/grid-rows';
import type { FromPage, ToPage } from '../../src/webview/protocol';

// Browser globals used inside page.evaluate callbacks: this file is compiled by the root tsconfig, without
// DOM types (a `reference lib` here would leak DOM types into the whole project's compilation).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, requestAnimationFrame: any;
type HTMLElement = any; // eslint-disable-line @typescript-eslint/no-explicit-any


export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const distWebview = path.join(repoRoot, 'dist', 'webview');
export const resultsDir = path.join(repoRoot, 'test-results');

export type Theme = 'dark' | 'light' | 'hc';

/** Packet text that would run script if the page ever wrote values as HTML. */
export const XSS = '<img src=x onerror="window.__xss=1">';

/** The variables VS Code sets on a webview's <html> for three stock themes (a representative subset). */
const THEMES: Record<Theme, Record<string, string>> = {
  dark: {
    'editor-background': '#1e1e1e', foreground: '#cccccc', 'panel-border': '#80808059', 'input-background': '#3c3c3c',
    'input-foreground': '#cccccc', 'input-placeholderForeground': '#a6a6a6', focusBorder: '#007fd4', 'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e', 'list-activeSelectionForeground': '#ffffff', 'list-inactiveSelectionBackground': '#37373d',
    'badge-background': '#4d4d4d', 'badge-foreground': '#ffffff', errorForeground: '#f48771', 'editorGroupHeader-tabsBackground': '#252526',
    'menu-background': '#252526', 'menu-foreground': '#cccccc', 'toolbar-hoverBackground': '#5a5d5e50',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': "'DejaVu Sans Mono', monospace", 'editor-font-size': '12px',
  },
  light: {
    'editor-background': '#ffffff', foreground: '#616161', 'panel-border': '#80808059', 'input-background': '#ffffff', 'input-border': '#cecece',
    'input-foreground': '#616161', 'input-placeholderForeground': '#767676', focusBorder: '#0090f1', 'list-hoverBackground': '#e8e8e8',
    'list-activeSelectionBackground': '#0060c0', 'list-activeSelectionForeground': '#ffffff', 'list-inactiveSelectionBackground': '#e4e6f1',
    'badge-background': '#c4c4c4', 'badge-foreground': '#333333', errorForeground: '#a1260d', 'editorGroupHeader-tabsBackground': '#f3f3f3',
    'menu-background': '#ffffff', 'menu-foreground': '#616161', 'toolbar-hoverBackground': '#b8b8b850',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': "'DejaVu Sans Mono', monospace", 'editor-font-size': '12px',
  },
  hc: {
    'editor-background': '#000000', foreground: '#ffffff', 'panel-border': '#6fc3df', contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
    'input-background': '#000000', 'input-border': '#6fc3df', 'input-foreground': '#ffffff', focusBorder: '#f38518',
    'list-hoverBackground': '#000000', 'list-activeSelectionBackground': '#000000', 'list-inactiveSelectionBackground': '#000000',
    'badge-background': '#000000', 'badge-foreground': '#ffffff', errorForeground: '#f48771', 'menu-background': '#000000',
    'font-family': 'system-ui, sans-serif', 'font-size': '13px', 'editor-font-family': "'DejaVu Sans Mono', monospace", 'editor-font-size': '12px',
  },
};

const NONCE = 'testnonce0123456789abcdefABCDEF01';

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--allow-file-access-from-files',
      // Extra flags for investigations, e.g. CHROMIUM_EXTRA_ARGS='--js-flags=--trace-gc' with DEBUG=pw:browser.
      ...(process.env['CHROMIUM_EXTRA_ARGS'] ?? '').split(' ').filter((a) => a)],
  });
}

export class GridPage {
  private constructor(readonly page: Page, private readonly dir: string) {}

  /** Open the grid page with a theme; waits for the page's `ready`. */
  static async open(browser: Browser, theme: Theme = 'dark', viewport = { width: 1200, height: 700 }, extraCsp?: string[]): Promise<GridPage> {
    if (!existsSync(path.join(distWebview, 'grid.js'))) throw new Error(`${distWebview}/grid.js is missing: run node scripts/build.mjs first`);
    const dir = mkdtempSync(path.join(tmpdir(), 'ig-grid-'));
    const vars = Object.entries(THEMES[theme]).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
    writeFileSync(path.join(dir, 'theme.css'), `html { ${vars} }\n`);
    const url = (p: string) => pathToFileURL(p).href;
    // The stub records posted messages after a JSON round trip, as VS Code serializes them.
    const stub = `<script nonce="${NONCE}">
window.__posted = [];
window.__state = undefined;
// Registered before the page's own listener: when each message's dispatch starts (the benchmark's timing).
window.addEventListener('message', () => { window.__msgT0 = performance.now(); });
window.acquireVsCodeApi = () => ({
  postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
  getState: () => window.__state,
  setState: (s) => { window.__state = s; },
});
</script>
<link rel="stylesheet" href="${url(path.join(dir, 'theme.css'))}">`;
    const html = gridHtml({
      cspSource: 'file:', nonce: NONCE, title: 'test — packets',
      scriptUri: url(path.join(distWebview, 'grid.js')), styleUri: url(path.join(distWebview, 'grid.css')), codiconUri: url(path.join(distWebview, 'codicon.css')),
      extraHead: stub,
      ...(extraCsp ? { extraCsp } : {}),
    });
    const file = path.join(dir, 'grid.html');
    writeFileSync(file, html);
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url(file));
    const g = new GridPage(page, dir);
    await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'), undefined, { timeout: 10_000 }).catch((e) => {
      throw new Error(`grid page never posted ready (page errors: ${errors.join('; ') || 'none'}): ${e}`);
    });
    return g;
  }

  /** Deliver a message as the extension would (JSON round trip, like VS Code's serialization). */
  async post(...msgs: ToPage[]): Promise<void> {
    await this.page.evaluate((json) => { for (const m of JSON.parse(json)) window.postMessage(m, '*'); }, JSON.stringify(msgs));
    // A fast stream (1,000 rows or more since the last frame) is drawn every 50 ms, up to every 250 ms while
    // frames come late (src/webview/ui/app.ts); fewer rows are drawn on the next frame.
    const rows = msgs.reduce((n, m) => n + (m.type === 'rows' ? m.count : 0), 0);
    await this.settle(rows >= 1000 ? 300 : 0);
  }

  /** Wait `ms`, then two animation frames, so the page has handled what was posted and drawn it. */
  async settle(ms = 0): Promise<void> {
    await this.page.evaluate((wait) => new Promise<void>((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => r())), wait)), ms);
  }

  async posted(): Promise<FromPage[]> {
    return this.page.evaluate(() => (window as unknown as { __posted: FromPage[] }).__posted);
  }

  /** The last request of a method the page posted. */
  async lastRequest(method: string): Promise<Extract<FromPage, { type: 'request' }> | undefined> {
    const all = await this.posted();
    return all.filter((m): m is Extract<FromPage, { type: 'request' }> => m.type === 'request' && m.method === method).pop();
  }

  /** Ask the page for its stats through the protocol, as GridPanel.stats() does. */
  async stats(): Promise<{ datasource: string; received: number; shown: number; dropped: number }[]> {
    const id = Math.floor(Math.random() * 1e9);
    await this.post({ type: 'request', id, method: 'stats', params: {} });
    const r = (await this.posted()).find((m) => m.type === 'response' && m.id === id);
    if (!r || r.type !== 'response') throw new Error('page did not answer stats');
    return r.result as { datasource: string; received: number; shown: number; dropped: number }[];
  }

  /** Header names of the shown columns, in order (without the row-number column). */
  async headers(): Promise<string[]> {
    return this.page.$$eval('.grid-header .grid-head[data-field]', (els) => els.map((e) => (e as HTMLElement).dataset['field']!));
  }

  /** Text of the rendered rows (row-number cell first), top to bottom, each cell trimmed. */
  async rows(): Promise<string[][]> {
    return (await this.rawRows()).map((r) => r.map((c) => c.trim()));
  }

  /** The rendered rows cell by cell as drawn, padding included (see test/support/grid-rows.ts). */
  async rawRows(): Promise<string[][]> {
    return this.page.$$eval('.grid-body .grid-row:not([hidden])', readGridRows);
  }

  async counters(): Promise<string> {
    return (await this.page.textContent('.counters')) ?? '';
  }

  async screenshot(name: string): Promise<string> {
    mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, name);
    await this.page.screenshot({ path: file });
    return file;
  }

  async close(): Promise<void> {
    await this.page.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
