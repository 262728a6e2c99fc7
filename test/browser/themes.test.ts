// The grid in VS Code's light, dark and high-contrast themes: theme colours applied, codicons loaded,
// the CSP in force. Screenshots go to test-results/grid-<theme>.png (look at them).

import * as assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { rowsMessage, type RowsMessage, type WireDataSource, type WireValue } from '../../src/webview/protocol';
import { GridPage, launch, type Theme } from './harness';

// Browser globals used inside page.evaluate callbacks: this file is compiled by the root tsconfig, without
// DOM types (a `reference lib` here would leak DOM types into the whole project's compilation).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any, document: any, getComputedStyle: any;
type HTMLElement = any; // eslint-disable-line @typescript-eslint/no-explicit-any
type Event = any; // eslint-disable-line @typescript-eslint/no-explicit-any


const ds: WireDataSource = {
  name: 'exec', type: 'single', origin: 'host',
  fields: [
    { name: 'pid', kind: 'uint32', annotations: { template: 'pid' } },
    { name: 'comm', kind: 'string', annotations: { template: 'comm' } },
    { name: 'args', kind: 'string', annotations: { 'columns.width': '40', 'columns.ellipsis': 'middle', description: 'Command line' } },
    { name: 'retval', kind: 'int32', annotations: {} },
    { name: 'cap', kind: 'uint64', annotations: { 'columns.hex': 'true' } },
  ],
};

function rows(n: number): RowsMessage {
  const r: WireValue[][] = [];
  for (let i = 0; i < n; i++) r.push([1000 + i, ['bash', 'cat', 'sleep', 'ls'][i % 4]!, `/usr/bin/${['bash', 'cat', 'sleep', 'ls'][i % 4]} --flag-${i} /some/really/long/argument/list/that/gets/shortened/${i}`, i % 5 === 0 ? -2 : 0, String(2n ** 63n + BigInt(i))]);
  return rowsMessage('exec', ds.fields.map((f) => f.name), r, r.map((_, i) => i + 1));
}

function luminance(rgb: string): number {
  const m = rgb.match(/\d+(\.\d+)?/g)!.map(Number);
  const [r, g, b] = m.map((v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('grid page themes (Chromium)', function () {
  let browser: Browser;
  before(async () => { browser = await launch(); });
  after(async () => { await browser?.close(); });

  for (const theme of ['dark', 'light', 'hc'] as Theme[]) {
    it(`is readable in the ${theme} theme, with codicons (screenshot grid-${theme}.png)`, async () => {
      const g = await GridPage.open(browser, theme, { width: 1100, height: 420 });
      const cspViolations: string[] = [];
      await g.page.exposeFunction('__csp', (v: string) => cspViolations.push(v));
      await g.page.evaluate(() => document.addEventListener('securitypolicyviolation', (e: Event) => (window as unknown as { __csp: (v: string) => void }).__csp(`${e.violatedDirective} ${e.blockedURI}`)));
      try {
        await g.post({ type: 'init', title: 'exec — packets', maxRows: 1000 }, { type: 'datasources', datasources: [ds] }, rows(40), { type: 'runEnded', ok: true, packets: 40 });
        await g.page.focus('.grid-viewport');
        await g.page.keyboard.press('End');
        await g.page.keyboard.press('Shift+ArrowUp');
        await g.page.evaluate(() => document.fonts.ready);
        await g.settle();
        const fontOk = await g.page.evaluate(() => document.fonts.check('16px codicon'));
        assert.ok(fontOk, 'codicon font loaded');
        const { fg, bg, selFg, selBg } = await g.page.evaluate(() => {
          const cell = document.querySelector('.grid-body .grid-row:not(.selected) .grid-cell')!;
          const sel = document.querySelector('.grid-body .grid-row.selected')!;
          return {
            fg: getComputedStyle(cell).color, bg: getComputedStyle(document.body).backgroundColor,
            selFg: getComputedStyle(sel).color, selBg: getComputedStyle(sel).backgroundColor,
          };
        });
        assert.ok(contrast(fg, bg) >= 4.5, `text contrast ${contrast(fg, bg).toFixed(2)} (${fg} on ${bg})`);
        if (theme !== 'hc') assert.ok(contrast(selFg, selBg) >= 4.5, `selected row contrast ${contrast(selFg, selBg).toFixed(2)}`);
        else {
          // Both selected rows (the cursor row and the other) carry a visible outline.
          const outlines = await g.page.$$eval('.grid-row.selected', (rs: HTMLElement[]) => rs.map((r: HTMLElement) => `${getComputedStyle(r).outlineStyle} ${getComputedStyle(r).outlineColor}`));
          assert.equal(outlines.length, 2);
          for (const o of outlines) assert.match(o, /^(solid|dotted) rgb\(243, 133, 24\)$/, 'high contrast marks the selection with an outline');
        }
        assert.equal(await g.page.$$eval('.grid-head[data-field="cap"]', (h) => h.length), 1);
        assert.match((await g.rows()).at(-1)![5]!, /^0x80000000000000[0-9A-F]{2}$/);
        await g.screenshot(`grid-${theme}.png`);
        assert.deepEqual(cspViolations, [], 'no CSP violations');
      } finally {
        await g.close();
      }
    });
  }

  it('blocks script that lacks the nonce (CSP default-src none)', async () => {
    const g = await GridPage.open(browser);
    try {
      const ran = await g.page.evaluate(() => new Promise<boolean>((resolve) => {
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.append(s);
        setTimeout(() => resolve((window as unknown as { __injected?: boolean }).__injected === true), 100);
      }));
      assert.equal(ran, false);
    } finally {
      await g.close();
    }
  });
});
