// The grid page in real Chromium, driven by the messages GridPanel posts.

import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { rowsMessage, type RowsMessage, type ToPage, type WireDataSource, type WireValue } from '../../src/webview/protocol';
import { GridPage, XSS, launch } from './harness';
import { RowBatcher } from '../../src/extension/grid/batcher';
import type { PacketBatch } from '../../src/host/api';

// Browser globals used inside page.evaluate callbacks: this file is compiled by the root tsconfig, without
// DOM types (a `reference lib` here would leak DOM types into the whole project's compilation).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, getComputedStyle: any;
type HTMLElement = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const openDs: WireDataSource = {
  name: 'open', type: 'single', origin: 'host',
  fields: [
    { name: 'timestamp_raw', kind: 'uint64', annotations: { template: 'timestamp' } },
    { name: 'pid', kind: 'uint32', annotations: { template: 'pid' } },
    { name: 'comm', kind: 'string', annotations: { template: 'comm' } },
    { name: 'flags', kind: 'uint32', annotations: { 'columns.hex': 'true', description: 'open(2) flags' } },
    { name: 'fname', kind: 'string', annotations: { 'columns.width': '12', 'columns.ellipsis': 'middle' } },
    { name: 'mntns_id', kind: 'uint64', annotations: { template: 'mntns_id' } },
    { name: 'secret', kind: 'string', annotations: { 'columns.hidden': 'true' } },
  ],
};

function openRows(from: number, n: number): RowsMessage {
  const rows: WireValue[][] = [];
  const packet: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = from + i;
    rows.push([String(1700000000000000000n + BigInt(k)), 100 + k, k % 2 ? 'cat' : 'bash', 0x80000 + k, `/very/long/path/to/file-${k}.txt`, 4026531840, `s${k}`]);
    packet.push(k + 1);
  }
  return rowsMessage('open', openDs.fields.map((f) => f.name), rows, packet);
}

const init: ToPage = { type: 'init', title: 'demo — packets', maxRows: 100_000 };

describe('grid page (Chromium)', function () {
  let browser: Browser;
  let g: GridPage;

  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });
  beforeEach(async () => { g = await GridPage.open(browser); });
  afterEach(async () => { await g?.close(); });

  it('says ready first, then shows a tab per data source and rows with columns in field order', async () => {
    const posted = await g.posted();
    assert.equal(posted[0]?.type, 'ready');
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 3));
    assert.deepEqual(await g.page.$$eval('.tab', (t) => t.map((x) => x.getAttribute('data-ds'))), ['open']);
    // columns.hidden (own or from a template: timestamp, mntns_id) are not shown.
    assert.deepEqual(await g.headers(), ['pid', 'comm', 'flags', 'fname']);
    const rows = await g.rows();
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[0]!.map((s) => s.trim()), ['1', '100', 'bash', '0x80000', '/very/…0.txt']);
    assert.match(await g.counters(), /received 3 · shown 3 · dropped 0/);
  });

  it('formats by annotations: hex, ellipsis, right-aligned numbers, description tooltips', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(26, 1));
    const cells = (await g.rows())[0]!;
    assert.equal(cells[3], '0x8001A', 'columns.hex: 0x + upper-case hex, as IG');
    assert.equal(cells[4], '/very/…6.txt', 'columns.width 12 + ellipsis middle');
    // Columns on the character grid: one character of padding each side, the value aligned within the width.
    const raw = (await g.rawRows())[0]!;
    assert.match(raw[1]!, /^ {2,}126 $/, 'pid (template pid) is right-aligned');
    assert.match(raw[2]!, /^ bash {2,}$/, 'comm is left-aligned');
    assert.equal(raw[4], ' /very/…6.txt ', 'width 12 exactly');
    // A cut value shows whole in the tooltip of its cell (worked out on hover).
    const fname = await g.page.$eval('.grid-head[data-field="fname"]', (e) => { const b = (e as HTMLElement).getBoundingClientRect(); return { x: b.left + b.width / 2 }; });
    const row = await g.page.$eval('.grid-body .grid-row', (e) => { const b = (e as HTMLElement).getBoundingClientRect(); return { y: b.top + b.height / 2 }; });
    await g.page.mouse.move(fname.x, row.y);
    assert.equal(await g.page.getAttribute('.grid-body .grid-row', 'title'), '/very/long/path/to/file-26.txt');
    const tip = await g.page.getAttribute('.grid-head[data-field="pid"] button', 'title');
    assert.match(tip ?? '', /Process ID/, 'description from the pid template');
    const tip2 = await g.page.getAttribute('.grid-head[data-field="flags"] button', 'title');
    assert.match(tip2 ?? '', /open\(2\) flags/);
  });

  it('shows a hidden column from the columns menu and reports the choice for the memento', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 2));
    await g.page.click('[data-action="columns"]');
    await g.page.check('.columns-menu input[data-field="secret"]');
    await g.settle();
    assert.deepEqual(await g.headers(), ['pid', 'comm', 'flags', 'fname', 'secret']);
    const prefs = (await g.posted()).filter((m) => m.type === 'prefs').pop();
    assert.deepEqual(prefs, { type: 'prefs', ds: 'open', prefs: { visible: { secret: true }, widths: {} } });
    // Remembered choices come back with the data source on the next run.
    const g2 = await GridPage.open(browser);
    try {
      await g2.post(init, { type: 'datasources', datasources: [{ ...openDs, prefs: { visible: { secret: true, comm: false }, widths: { pid: 120 } } }] }, openRows(0, 1));
      assert.deepEqual(await g2.headers(), ['pid', 'flags', 'fname', 'secret']);
      const w = await g2.page.$eval('.grid-head[data-field="pid"]', (e) => (e as HTMLElement).getBoundingClientRect().width);
      const charPx = await g2.page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.grid')).getPropertyValue('--char-px')));
      assert.ok(charPx > 4 && charPx < 20, `character width ${charPx}`);
      assert.ok(Math.abs(w - Math.round(120 / charPx) * charPx) < 0.5, `120 px snapped to the character grid: ${w}`);
    } finally { await g2.close(); }
  });

  it('shows an XSS string as text, never as markup', async () => {
    const ds: WireDataSource = { name: 'x', type: 'single', origin: 'host', fields: [{ name: 'name', kind: 'string', annotations: { 'columns.width': '60' } }] };
    await g.post(init, { type: 'datasources', datasources: [ds] }, rowsMessage('x', ['name'], [[XSS]], [1]));
    await g.page.waitForTimeout(200);
    assert.equal((await g.rows())[0]![1], XSS);
    assert.equal(await g.page.$$eval('img', (i) => i.length), 0);
    assert.equal(await g.page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
  });

  it('draws ASCII rows as one line on the character grid and other rows cell by cell', async () => {
    const ds: WireDataSource = { name: 'u', type: 'single', origin: 'host', fields: [{ name: 'comm', kind: 'string', annotations: { 'columns.width': '6' } }, { name: 'n', kind: 'uint32', annotations: {} }] };
    await g.post(init, { type: 'datasources', datasources: [ds] }, rowsMessage('u', ['comm', 'n'], [['bash', 1], ['日本語のファイル名', 2], ['tab\there', 3]], [1, 2, 3]));
    const kinds = await g.page.$$eval('.grid-body .grid-row:not([hidden])', (rs) => rs.map((r: HTMLElement) => (r.querySelector('.grid-line') ? 'line' : `cells:${r.querySelectorAll('.grid-cell').length}`)));
    assert.deepEqual(kinds, ['line', 'cells:3', 'cells:3'], 'a wide or control character makes its row use cells');
    // The line's characters are exactly as wide as the columns the header draws (the probe measured the rows' font).
    const fit = await g.page.evaluate(() => {
      const line = document.querySelector('.grid-body .grid-line');
      const r = document.createRange();
      r.selectNodeContents(line);
      const heads = Array.from(document.querySelectorAll('.grid-header .grid-head[data-field]')) as HTMLElement[];
      // The last column stretches to the panel's edge: its own width is the one the rows were drawn with.
      const cols = String(document.querySelector('.grid-body').dataset.cols).split(',').map(Number);
      const charPx = parseFloat(getComputedStyle(document.querySelector('.grid')).getPropertyValue('--char-px'));
      return { text: r.getBoundingClientRect().width, columns: heads.slice(0, -1).reduce((a: number, h: HTMLElement) => a + h.getBoundingClientRect().width, 0) + cols.at(-1)! * charPx };
    });
    assert.ok(Math.abs(fit.text - fit.columns) < 1, `line ${fit.text} px vs columns ${fit.columns} px`);
    assert.deepEqual((await g.rows()).map((r) => r.slice(1)), [['bash', '1'], ['日本語のフ…', '2'], ['tab\th…', '3']]);
  });

  it('filters by IG field rules and by text, and explains a bad rule', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 20));
    await g.page.fill('.filter-fields', 'pid>=110,comm==cat');
    await g.page.press('.filter-fields', 'Enter');
    await g.settle();
    let rows = await g.rows();
    assert.deepEqual(rows.map((r) => r[1]!.trim()), ['111', '113', '115', '117', '119']);
    assert.match(await g.counters(), /received 20 · shown 5/);
    // Rows arriving later are filtered as they come.
    await g.post(openRows(20, 4));
    rows = await g.rows();
    assert.deepEqual(rows.map((r) => r[1]!.trim()), ['111', '113', '115', '117', '119', '121', '123']);
    // A regex on a string field.
    await g.page.fill('.filter-fields', 'fname~file-1[0-2]\\.txt$');
    await g.page.press('.filter-fields', 'Enter');
    await g.settle();
    assert.deepEqual((await g.rows()).map((r) => r[1]!.trim()), ['110', '111', '112']);
    // Errors name the rule and the cause; the view stays as it was.
    await g.page.fill('.filter-fields', 'nosuch==1');
    await g.page.press('.filter-fields', 'Enter');
    await g.settle();
    assert.match((await g.page.textContent('.filter-error')) ?? '', /filter "nosuch==1": field "nosuch" not found in data source "open"/);
    await g.page.fill('.filter-fields', 'pid>abc');
    await g.page.press('.filter-fields', 'Enter');
    await g.settle();
    assert.match((await g.page.textContent('.filter-error')) ?? '', /"abc" is not an integer/);
    // Text filter: substring of any column as shown (hex included).
    await g.page.fill('.filter-fields', '');
    await g.page.fill('.filter-text', '0x80017');
    await g.page.press('.filter-text', 'Enter');
    await g.settle();
    assert.equal(await g.page.isHidden('.filter-error'), true);
    assert.deepEqual((await g.rows()).map((r) => r[1]!.trim()), ['123']);
  });

  it('sorts by header click: ascending, descending, then arrival order', async () => {
    const ds: WireDataSource = { name: 'n', type: 'single', origin: 'host', fields: [{ name: 'v', kind: 'int64', annotations: {} }, { name: 's', kind: 'string', annotations: {} }] };
    await g.post(init, { type: 'datasources', datasources: [ds] }, rowsMessage('n', ['v', 's'], [[5, 'b'], ['9007199254740993', 'a'], [-3, 'd'], ['9007199254740992', 'c']], [1, 2, 3, 4]));
    const col = async () => (await g.rows()).map((r) => r[1]!.trim());
    assert.deepEqual(await col(), ['5', '9007199254740993', '-3', '9007199254740992']);
    await g.page.click('.grid-head[data-field="v"] button');
    await g.settle();
    assert.deepEqual(await col(), ['-3', '5', '9007199254740992', '9007199254740993'], 'exact 64-bit order');
    assert.equal(await g.page.getAttribute('.grid-head[data-field="v"]', 'aria-sort'), 'ascending');
    await g.page.click('.grid-head[data-field="v"] button');
    await g.settle();
    assert.deepEqual(await col(), ['9007199254740993', '9007199254740992', '5', '-3']);
    await g.page.click('.grid-head[data-field="v"] button');
    await g.settle();
    assert.deepEqual(await col(), ['5', '9007199254740993', '-3', '9007199254740992']);
  });

  it('shows exactly what the extension batcher encodes: dictionaries, 64-bit offsets, packet runs', async () => {
    // Host-style batch → the real RowBatcher → JSON → the page, as GridPanel does.
    const ds: WireDataSource = { name: 'ev', type: 'single', origin: 'host', fields: [
      { name: 'ts', kind: 'uint64', annotations: {} }, { name: 'comm', kind: 'string', annotations: {} },
      { name: 'cap', kind: 'uint64', annotations: { 'columns.hex': 'true' } }, { name: 'uid', kind: 'uint32', annotations: {} },
    ] };
    const n = 20; // all on screen (the table renders only visible rows)
    const batch: PacketBatch = {
      datasource: 'ev', fields: ['ts', 'comm', 'cap', 'uid'], packet: Array.from({ length: n }, (_, i) => i + 1),
      rows: Array.from({ length: n }, (_, i) => [18446744073709551000n + BigInt(i * 7), i % 3 ? 'cat' : 'bash', 2n ** 63n + BigInt(i % 2), 4294967295 - i]),
    };
    const sent: RowsMessage[] = [];
    const b = new RowBatcher((m) => sent.push(m));
    b.push(batch);
    b.dispose();
    const m = JSON.parse(JSON.stringify(sent[0])) as RowsMessage;
    assert.deepEqual(m.packet, { first: 1 });
    assert.ok(!Array.isArray(m.columns[0]) && !Array.isArray(m.columns[1]), 'timestamps as offsets, comm as a dictionary');
    await g.post(init, { type: 'datasources', datasources: [ds] }, m);
    const rows = (await g.rows()).map((r) => r.map((c) => c.trim()));
    assert.equal(rows.length, n);
    assert.deepEqual(rows[0], ['1', '18446744073709551000', 'bash', '0x8000000000000000', '4294967295']);
    assert.deepEqual(rows[n - 1], [String(n), String(18446744073709551000n + BigInt((n - 1) * 7)), 'cat', '0x8000000000000001', String(4294967295 - n + 1)]);
    // Sorting a 64-bit column compares the stored halves exactly.
    await g.page.click('.grid-head[data-field="cap"] button');
    await g.settle();
    const caps = (await g.rows()).map((r) => r[3]!.trim());
    assert.deepEqual([caps[0], caps[n / 2 - 1], caps[n / 2], caps[n - 1]], ['0x8000000000000000', '0x8000000000000000', '0x8000000000000001', '0x8000000000000001']);
  });

  it('pauses the view while counting, and shows held rows on resume', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 5));
    await g.page.click('[data-action="pause"]');
    await g.post(openRows(5, 7));
    assert.equal((await g.rows()).length, 5);
    assert.match(await g.counters(), /received 12 · shown 5 · dropped 0 .*paused, 7 held/);
    await g.page.click('[data-action="pause"]');
    await g.settle();
    assert.match(await g.counters(), /received 12 · shown 12/);
  });

  it('exports the shown rows as JSON Lines and CSV through the extension', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 3));
    await g.page.fill('.filter-fields', 'pid!=101');
    await g.page.press('.filter-fields', 'Enter');
    await g.page.click('[data-action="export-jsonl"]');
    await g.settle();
    const req = await g.lastRequest('export');
    assert.ok(req && req.method === 'export');
    const p = req.params as { format: string; ds: string; content: string };
    assert.equal(p.format, 'jsonl');
    assert.equal(p.ds, 'open');
    const lines = p.content.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    // As `ig run -o json`: every field (hidden ones too), keys sorted, 64-bit values exact, raw numbers
    // (not the hex display form).
    assert.equal(lines[0], '{"comm":"bash","flags":524288,"fname":"/very/long/path/to/file-0.txt","mntns_id":4026531840,"pid":100,"secret":"s0","timestamp_raw":1700000000000000000}');
    await g.post({ type: 'response', id: req.id, result: { path: '/tmp/open.jsonl' } });
    assert.match((await g.page.textContent('.notice')) ?? '', /Exported 2 rows to \/tmp\/open.jsonl/);

    await g.page.click('[data-action="export-csv"]');
    await g.settle();
    const csv = (await g.lastRequest('export'))!.params as { content: string };
    assert.equal(csv.content, 'timestamp_raw,pid,comm,flags,fname,mntns_id,secret\r\n1700000000000000000,100,bash,524288,/very/long/path/to/file-0.txt,4026531840,s0\r\n1700000000000000002,102,bash,524290,/very/long/path/to/file-2.txt,4026531840,s2\r\n');
  });

  it('shows one row per array element with the packet number, and guest data sources once they emit', async () => {
    const arr: WireDataSource = { name: 'top', type: 'array', origin: 'guest', fields: [{ name: 'comm', kind: 'string', annotations: {} }, { name: 'cpu', kind: 'float64', annotations: {} }] };
    await g.post(init, { type: 'datasources', datasources: [openDs, arr] });
    assert.deepEqual(await g.page.$$eval('.tab', (t) => t.map((x) => x.getAttribute('data-ds'))), ['open'], 'guest tab waits for its first packet');
    await g.post(rowsMessage('top', ['comm', 'cpu'], [['a', 1.5], ['b', 0.25], ['c', 3]], [1, 1, 2], [0, 1, 0]));
    assert.deepEqual(await g.page.$$eval('.tab', (t) => t.map((x) => x.getAttribute('data-ds'))), ['open', 'top']);
    await g.page.click('.tab[data-ds="top"]');
    await g.settle();
    assert.deepEqual((await g.rows()).map((r) => r.map((c) => c.trim())), [['1.0', 'a', '1.5'], ['1.1', 'b', '0.25'], ['2.0', 'c', '3']]);
  });

  it('keeps at most maxRows rows (ring), counting the dropped ones, and answers stats', async () => {
    await g.post({ ...init, maxRows: 100 } as ToPage, { type: 'datasources', datasources: [openDs] }, openRows(0, 120), openRows(120, 130));
    assert.deepEqual(await g.stats(), [{ datasource: 'open', received: 250, shown: 100, dropped: 150 }]);
    const rows = await g.rows();
    assert.equal(rows[rows.length - 1]![1]!.trim(), '349', 'follows the newest row');
  });

  it('renders only the visible rows of a large table (virtualized)', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] });
    for (let i = 0; i < 5; i++) await g.post(openRows(i * 10_000, 10_000));
    assert.match(await g.counters(), /received 50,000 · shown 50,000/);
    const n = await g.page.$$eval('.grid-row', (r) => r.length);
    assert.ok(n < 80, `${n} row elements for 50,000 rows`);
    await g.page.$eval('.grid-viewport', (v) => { v.scrollTop = 22 * 20_000; });
    await g.settle();
    const top = (await g.rows()).map((r) => Number(r[0]));
    assert.ok(top.some((p) => p === 20_001), `rows around 20,000 are rendered after scrolling (got ${top[0]}…${top[top.length - 1]})`);
  });

  it('follows new rows at the bottom, and stays put once scrolled up', async () => {
    await g.post({ ...init, maxRows: 300 } as ToPage, { type: 'datasources', datasources: [openDs] }, openRows(0, 200));
    const packets = async () => (await g.rows()).map((r) => Number(r[0]));
    assert.equal((await packets()).at(-1), 200, 'at the bottom');
    await g.page.$eval('.grid-viewport', (v: HTMLElement) => { v.scrollTop = 22 * 50; });
    await g.settle();
    const before = await packets();
    await g.post(openRows(200, 50));
    assert.deepEqual(await packets(), before, 'new rows do not move a scrolled-up view');
    // The ring drops its oldest rows: the row at the top of the view stays the same.
    const top = () => g.page.$eval('.grid-viewport', (v: HTMLElement) => {
      const i = Math.round(v.scrollTop / 22);
      return Number(v.querySelector(`.grid-row[data-index="${i}"]`)?.firstChild?.textContent);
    });
    assert.equal(await top(), 51);
    await g.post(openRows(250, 100));
    assert.equal(await g.page.$eval('.grid-viewport', (v: HTMLElement) => v.scrollTop), 0, 'scrolled up by the 50 dropped rows');
    assert.equal(await top(), 51);
    await g.page.$eval('.grid-viewport', (v: HTMLElement) => { v.scrollTop = v.scrollHeight; });
    await g.settle();
    await g.post(openRows(350, 5));
    assert.equal((await packets()).at(-1), 355, 'back at the bottom, it follows again');
  });

  it('navigates with the keyboard and copies the selected rows', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 10));
    await g.page.focus('.grid-viewport');
    await g.page.keyboard.press('Home');
    await g.page.keyboard.press('ArrowDown');
    await g.page.keyboard.press('Shift+ArrowDown');
    await g.settle();
    assert.equal(await g.page.$$eval('.grid-row.selected', (r) => r.length), 2);
    await g.page.keyboard.press('Control+c');
    await g.settle();
    const req = await g.lastRequest('copy');
    assert.ok(req);
    assert.equal((req.params as { text: string }).text, '#\tpid\tcomm\tflags\tfname\n2\t101\tcat\t0x80001\t/very/long/path/to/file-1.txt\n3\t102\tbash\t0x80002\t/very/long/path/to/file-2.txt\n');
  });

  it('clears the rows of the data source but keeps counting', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, openRows(0, 10));
    await g.page.click('[data-action="clear"]');
    await g.settle();
    assert.equal((await g.rows()).length, 0);
    await g.post(openRows(10, 2));
    assert.match(await g.counters(), /received 12 · shown 2/);
  });

  it('shows the end of the run, failed or not', async () => {
    await g.post(init, { type: 'datasources', datasources: [openDs] }, { type: 'runEnded', ok: false, packets: 7, error: 'gadgetStart: trap: unreachable' });
    assert.match((await g.page.textContent('.run-status')) ?? '', /Failed: gadgetStart: trap: unreachable/);
  });
});
