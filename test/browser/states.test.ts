// What a user meets in the grid beyond the rows (issue 15): the row details pane, columns that fill the
// panel, no filler rows, a one-line toolbar and status down to 500 px, and the empty and failed states.
// Each state is also shot in the dark and light themes: test-results/state-<name>-<theme>.png (the README's
// media/screenshots/grid-*.png are these, reduced with pngquant).

import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { rowsMessage, type RowsMessage, type ToPage, type WireDataSource, type WireValue } from '../../src/webview/protocol';
import { GridPage, XSS, launch, type Theme } from './harness';

// Browser globals used inside page.evaluate callbacks: this file is compiled by the root tsconfig, without
// DOM types (a `reference lib` here would leak DOM types into the whole project's compilation).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any;
type HTMLElement = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const execDs: WireDataSource = {
  name: 'exec', type: 'single', origin: 'host',
  fields: [
    { name: 'timestamp_raw', kind: 'uint64', annotations: { template: 'timestamp' } },
    { name: 'pid', kind: 'uint32', annotations: { template: 'pid' } },
    { name: 'comm', kind: 'string', annotations: { template: 'comm' } },
    { name: 'args', kind: 'string', annotations: { 'columns.width': '20', 'columns.ellipsis': 'middle' } },
    { name: 'k8s.namespace', kind: 'string', annotations: { 'columns.hidden': 'true' } },
    { name: 'cap', kind: 'uint64', annotations: { 'columns.hex': 'true' } },
  ],
};
const guestDs: WireDataSource = { name: 'summary', type: 'array', origin: 'guest', fields: [{ name: 'comm', kind: 'string', annotations: {} }, { name: 'count', kind: 'uint32', annotations: {} }] };

const longArgs = (k: number) => `/usr/bin/python3 -m http.server --directory /srv/www/site-${k} --bind 127.0.0.1 8000`;

function execRows(from: number, n: number): RowsMessage {
  const rows: WireValue[][] = [];
  for (let i = 0; i < n; i++) {
    const k = from + i;
    rows.push([String(1700000000000000000n + BigInt(k)), 4000 + k, ['python3', 'bash', 'cat'][k % 3]!, k === 1 ? XSS : longArgs(k), `ns-${k}`, String(2n ** 63n + BigInt(k))]);
  }
  return rowsMessage('exec', execDs.fields.map((f) => f.name), rows, rows.map((_, i) => from + i + 1));
}

const init: ToPage = { type: 'init', title: 'exec — packets', maxRows: 1000 };
const THEMES: Theme[] = ['dark', 'light'];

/** Bounding boxes of elements, in CSS pixels. */
async function boxes(g: GridPage, selector: string): Promise<{ left: number; right: number; top: number; bottom: number; width: number; height: number }[]> {
  return g.page.$$eval(selector, (els: HTMLElement[]) => els.map((e: HTMLElement) => { const b = e.getBoundingClientRect(); return { left: b.left, right: b.right, top: b.top, bottom: b.bottom, width: b.width, height: b.height }; }));
}

describe('grid page states (Chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  async function withPage(theme: Theme, viewport: { width: number; height: number }, body: (g: GridPage) => Promise<void>): Promise<void> {
    const g = await GridPage.open(browser, theme, viewport);
    try { await body(g); } finally { await g.close(); }
  }

  it('shows bytes and arrays as IG does in the table (<N bytes>) and with their content in the details', async () => {
    const ds: WireDataSource = { name: 'conn', type: 'single', origin: 'host', fields: [
      { name: 'ports', kind: 'arrayofuint16', annotations: {} }, { name: 'raw', kind: 'bytes', annotations: {} },
    ] };
    await withPage('dark', { width: 900, height: 600 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [ds] }, rowsMessage('conn', ['ports', 'raw'], [['50000100', '0102ff'], ['', '']], [1, 2]));
      const row = (await g.page.textContent('.grid-body .grid-row[data-index="0"]')) ?? '';
      assert.match(row, /<4 bytes>.*<3 bytes>/, row);
      assert.doesNotMatch(row, /50000100|0102ff/, row);
      await g.page.click('.grid-body .grid-row[data-index="0"]');
      await g.settle();
      const values = await g.page.$$eval('.details-fields dd', (ds: HTMLElement[]) => ds.map((d: HTMLElement) => d.textContent));
      assert.deepEqual(values, ['<4 bytes> 50000100', '<3 bytes> 0102ff']);
      await g.page.click('.grid-body .grid-row[data-index="1"]');
      await g.settle();
      assert.deepEqual(await g.page.$$eval('.details-fields dd', (ds: HTMLElement[]) => ds.map((d: HTMLElement) => d.textContent)), ['<0 bytes>', '<0 bytes>']);
    });
  });

  it('shows every field of the selected row, hidden ones and whole values, as fields or JSON, and copies it', async () => {
    await withPage('dark', { width: 900, height: 600 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [execDs] }, execRows(0, 5));
      assert.equal(await g.page.isHidden('.details'), true, 'no pane before a row is selected');
      await g.page.click('.grid-body .grid-row[data-index="3"]');
      await g.settle();
      const fields = () => g.page.$$eval('.details-fields dt', (ds: HTMLElement[]) => ds.map((d: HTMLElement) => [d.dataset['field'], d.nextElementSibling.textContent]));
      assert.equal(await g.page.textContent('.details-title'), 'Packet 4');
      assert.deepEqual(await fields(), [
        ['timestamp_raw', '1700000000000000003'], ['pid', '4003'], ['comm', 'python3'], ['args', longArgs(3)],
        ['k8s.namespace', 'ns-3'], ['cap', '0x8000000000000003'],
      ], 'all fields, hidden ones too, values whole (the table cuts args to 20 characters)');
      assert.deepEqual(await g.page.$$eval('.details-fields dt .details-tag', (ts: HTMLElement[]) => ts.map((t: HTMLElement) => t.parentElement.dataset['field'])), ['timestamp_raw', 'k8s.namespace']);
      // The keyboard moves the row shown; packet data stays text.
      await g.page.keyboard.press('ArrowUp');
      await g.page.keyboard.press('ArrowUp');
      await g.settle();
      assert.equal(await g.page.textContent('.details-title'), 'Packet 2');
      assert.equal((await fields())[3]![1], XSS);
      assert.equal(await g.page.$$eval('img', (i: HTMLElement[]) => i.length), 0);
      assert.equal(await g.page.evaluate(() => window.__xss), undefined);
      // JSON: as `ig run -o jsonpretty` prints the event: raw values, 64-bit exact, dotted names nested, keys sorted.
      await g.page.click('.details [data-mode="json"]');
      const json = (await g.page.textContent('.details-json')) ?? '';
      assert.match(json, /^\{\n {2}"args": .*,\n {2}"cap": 9223372036854775809,\n {2}"comm": "bash",\n/);
      assert.match(json, /"k8s": \{\n {4}"namespace": "ns-1"\n {2}\},\n {2}"pid": 4001,\n {2}"timestamp_raw": 1700000000000000001\n\}$/);
      await g.page.click('[data-action="details-copy"]');
      await g.settle();
      assert.equal(((await g.lastRequest('copy'))?.params as { text: string }).text, json);
      // Escape (or the close button) clears the selection and the pane goes away.
      await g.page.focus('.grid-viewport');
      await g.page.keyboard.press('Escape');
      await g.settle();
      assert.equal(await g.page.isHidden('.details'), true);
      // The pane opening under the table keeps the row it shows in view.
      await g.post(execRows(5, 60));
      await g.page.focus('.grid-viewport');
      await g.page.keyboard.press('End');
      await g.settle();
      assert.equal(await g.page.textContent('.details-title'), 'Packet 65');
      const [row] = await boxes(g, '.grid-body .grid-row.selected');
      const [vp] = await boxes(g, '.grid-viewport');
      assert.ok(row!.top >= vp!.top && row!.bottom <= vp!.bottom + 0.5, `selected row ${row!.top}–${row!.bottom} in view ${vp!.top}–${vp!.bottom}`);
    });
  });

  it('stretches the columns to the panel width and draws no filler rows under few rows', async () => {
    await withPage('dark', { width: 1000, height: 500 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [execDs] }, execRows(0, 3));
      const [vp] = await boxes(g, '.grid-viewport');
      const heads = await boxes(g, '.grid-header .grid-head');
      const last = heads.at(-1)!;
      assert.ok(Math.abs(last.right - vp!.right) < 1.5, `last column ends at ${last.right}, the panel at ${vp!.right}`);
      assert.ok(last.width > 200, `the last column takes the rest (${last.width} px)`);
      const rows = await boxes(g, '.grid-body .grid-row');
      const drawn = rows.filter((r) => r.height > 0);
      assert.equal(drawn.length, 3, `${drawn.length} rows drawn for 3 packets`);
      for (const r of drawn) assert.ok(Math.abs(r.right - vp!.right) < 1.5, 'each row spans the panel');
      // Narrower than the columns: they keep their widths and scroll (no stretch, no squeeze).
      await g.page.setViewportSize({ width: 300, height: 500 });
      await g.settle();
      const narrow = await boxes(g, '.grid-header .grid-head');
      assert.ok(narrow.at(-1)!.width < last.width - 100, `the last column back to its own width (${narrow.at(-1)!.width} px)`);
      assert.ok(await g.page.$eval('.grid-viewport', (v: HTMLElement) => v.scrollWidth > v.clientWidth), 'scrolls sideways');
    });
  });

  it('keeps the toolbar and the status on one line at 500 px, with export in the overflow menu', async () => {
    await withPage('dark', { width: 500, height: 400 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [execDs] }, execRows(0, 4), { type: 'runEnded', ok: true, packets: 4 });
      const items = await boxes(g, '.toolbar > *');
      const shown = items.filter((b) => b.width > 0);
      const [bar] = await boxes(g, '.toolbar');
      for (const b of shown) assert.ok(b.top >= bar!.top && b.bottom <= bar!.bottom && b.right <= bar!.right + 0.5, `toolbar item at ${JSON.stringify(b)} outside the bar ${JSON.stringify(bar)}`);
      assert.ok(bar!.height < 36, `toolbar is one line (${bar!.height} px)`);
      assert.equal(await g.page.isHidden('[data-action="export-csv"]'), true);
      const [status] = await boxes(g, '.status');
      assert.ok(status!.height < 30, `status is one line (${status!.height} px)`);
      assert.equal(await g.page.textContent('.run-status'), 'Finished: 4 packets');
      // Export from the overflow menu.
      await g.page.click('[data-action="more"]');
      await g.page.click('[data-action="menu-export-csv"]');
      await g.settle();
      assert.equal(((await g.lastRequest('export'))?.params as { format: string }).format, 'csv');
      assert.equal(await g.page.isHidden('.more-menu'), true, 'the menu closes');
      // Wide enough (the 730 px): export buttons in the toolbar, still one line, no overflow button.
      await g.page.setViewportSize({ width: 730, height: 400 });
      await g.settle();
      assert.equal(await g.page.isVisible('[data-action="export-csv"]'), true);
      assert.equal(await g.page.isHidden('[data-action="more"]'), true);
      assert.ok((await boxes(g, '.toolbar'))[0]!.height < 36);
    });
  });

  it('shows the data sources and their columns while a running gadget has no packets', async () => {
    await withPage('dark', { width: 900, height: 500 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [execDs, guestDs] });
      assert.equal((await g.page.textContent('.empty-message'))?.trim(), 'Waiting for packets…');
      const list = await g.page.$$eval('.empty-datasources li', (ls: HTMLElement[]) => ls.map((l: HTMLElement) => [l.dataset['ds'], Array.from(l.querySelectorAll('.empty-field')).map((f: HTMLElement) => f.textContent)]));
      assert.deepEqual(list, [['exec', execDs.fields.map((f) => f.name)], ['summary', ['comm', 'count']]]);
      assert.deepEqual(await g.headers(), ['pid', 'comm', 'args', 'cap'], 'the host data source\'s columns are in the header');
      assert.equal(await g.page.isVisible('.empty-datasources'), true);
      // The first packet replaces it.
      await g.post(execRows(0, 1));
      assert.equal(await g.page.isHidden('.grid-empty'), true);
    });
  });

  it('shows one state for a failed run: Failed, not also Waiting for packets', async () => {
    await withPage('dark', { width: 900, height: 500 }, async (g) => {
      await g.post(init, { type: 'datasources', datasources: [execDs] }, { type: 'runEnded', ok: false, packets: 0, error: 'gadgetInit: no \'open\' data source' });
      const text = await g.page.evaluate(() => document.body.innerText as string);
      assert.equal(text.match(/Failed:/g)?.length, 1, text);
      assert.doesNotMatch(text, /Waiting for packets/);
      assert.match((await g.page.textContent('.run-status')) ?? '', /^Failed: gadgetInit: no 'open' data source$/);
      assert.equal((await g.page.textContent('.empty-message'))?.trim(), 'No packets.');
    });
  });

  describe('screenshots (test-results/state-*.png)', () => {
    for (const theme of THEMES) {
      it(`shoots each state in the ${theme} theme`, async () => {
        await withPage(theme, { width: 820, height: 460 }, async (g) => {
          await g.post(init, { type: 'datasources', datasources: [execDs] }, execRows(0, 6));
          await g.page.click('.grid-body .grid-row[data-index="4"]');
          await g.settle();
          assert.equal(await g.page.isVisible('.details-fields'), true);
          await g.screenshot(`state-details-${theme}.png`);
        });
        await withPage(theme, { width: 500, height: 300 }, async (g) => {
          await g.post(init, { type: 'datasources', datasources: [execDs] }, execRows(0, 3), { type: 'runEnded', ok: true, packets: 3 });
          await g.screenshot(`state-narrow-${theme}.png`);
        });
        await withPage(theme, { width: 820, height: 300 }, async (g) => {
          await g.post(init, { type: 'datasources', datasources: [execDs, guestDs] });
          await g.screenshot(`state-waiting-${theme}.png`);
        });
        await withPage(theme, { width: 820, height: 300 }, async (g) => {
          await g.post(init, { type: 'datasources', datasources: [execDs] }, { type: 'runEnded', ok: false, packets: 0, error: 'gadgetInit: no \'open\' data source' });
          await g.screenshot(`state-failed-${theme}.png`);
        });
      });
    }
  });
});
