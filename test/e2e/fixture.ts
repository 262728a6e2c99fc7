// The shared E2E fixture: one code-server with the packaged VSIX installed, one Chromium page on the
// fixture workspace (a scratch copy of test/fixtures/workspace). test/e2e/run.ts sets it up before mocha
// loads the specs; specs call `e2e()` and the helpers below, which do what a person does in the UI.
//
//   import { e2e, runCommand, problems, screenshot } from './fixture';
//   it('…', async () => { await runCommand('Inspektor Gadget: Lint Workspace'); … });
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { errorMessage } from '../../src/common/errors';
import type { Profile, Server } from '../support/codeServer';

export interface E2EFixture {
  page: Page;
  server: Server;
  profile: Profile;
  /** Absolute path of the workspace opened in the browser (a copy: specs may edit it). */
  workspace: string;
  /** The installed extension's folder inside the profile's extensions dir. */
  extensionDir: string;
  /** The packaged .vsix file under test. */
  vsix: string;
  /** Where screenshots go (test-results/e2e/, git-ignored). */
  resultsDir: string;
}

let current: E2EFixture | undefined;

export function setFixture(f: E2EFixture | undefined): void {
  current = f;
}

export function e2e(): E2EFixture {
  if (!current) throw new Error('the E2E fixture is not set up: run the specs with `node out/test/e2e/run.js`, not mocha directly');
  return current;
}

/** VS Code renders spaces as U+00A0 in editors and panels. */
export const normalize = (s: string): string => s.replace(/\u00a0/g, ' ');

/** Loads the workbench on the workspace (once) and waits until the Explorer shows `waitForItem`. */
export async function openWorkspace(waitForItem = 'hello'): Promise<void> {
  const { page, server, workspace } = e2e();
  const url = server.folderUrl(workspace);
  if (!page.url().startsWith(url)) await page.goto(url);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  await page.getByRole('treeitem', { name: waitForItem }).first().waitFor({ timeout: 60_000 });
}

/** Longest wait of one palette or quick-input step (typing, a row to appear, a click) before a retry. */
const STEP_MS = 3_000;
/** Attempts a palette command gets even when its time budget is spent. */
const MIN_ATTEMPTS = 3;

/**
 * Runs a command from the palette (F1) by its full title, e.g. "Inspektor Gadget: Lint Workspace".
 * The Explorer can be ready before the extension host registered the extension's commands, so it retries:
 * open the palette, type, wait for the row, else close and try again.
 */
export async function runCommand(title: string, timeoutMs = 60_000): Promise<void> {
  const { page } = e2e();
  const input = page.locator('.quick-input-widget input');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  // A row is this command when its label is the title, optionally followed by " (…)" (VS Code's aliases).
  const isTitle = (label: string): boolean => label === title || label.startsWith(`${title} (`);
  const deadline = Date.now() + timeoutMs;
  // Every step has a short timeout of its own (Playwright's default of 30 s once let a single stuck `fill`
  // spend the whole budget), and at least MIN_ATTEMPTS attempts are made whatever the clock says.
  for (let attempt = 1; ; attempt++) {
    try {
      await openPalette();
      await input.fill(`>${title}`, { timeout: STEP_MS });
      await rows.filter({ hasText: title }).first().waitFor({ timeout: STEP_MS });
      const labels = (await rows.locator('.label-name').allInnerTexts()).map((l) => normalize(l).trim());
      const index = labels.findIndex(isTitle);
      if (index < 0) throw new Error(`palette rows are ${JSON.stringify(labels)}`);
      await rows.nth(index).click({ timeout: STEP_MS });
      return;
    } catch (err) {
      if (Date.now() > deadline && attempt >= MIN_ATTEMPTS) {
        await screenshot(`palette-${title.replace(/\W+/g, '-')}`);
        throw new Error(`command "${title}" not found in the palette after ${attempt} attempts: ${errorMessage(err)}`, { cause: err });
      }
    }
  }
}

/**
 * Opens the command palette. Keys pressed while a webview (the grid) or a notification has focus may
 * never reach the workbench, so: Escape, move focus back to the workbench, F1; then Ctrl+Shift+P; then
 * the title bar's command center (a quick input that becomes the palette once the text starts with `>`).
 */
export async function openPalette(): Promise<void> {
  const { page } = e2e();
  const input = page.locator('.quick-input-widget input');
  const opened = () => input.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false);
  await page.keyboard.press('Escape');
  await page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { activeElement: { blur?: () => void } | null } }).document;
    doc.activeElement?.blur?.();
  });
  await page.keyboard.press('F1');
  if (await opened()) return;
  await page.keyboard.press('Control+Shift+P');
  if (await opened()) return;
  await page.locator('.command-center .action-label, .command-center-center').first().click({ timeout: 3_000 }).catch(() => undefined);
  if (await opened()) return;
  throw new Error('the command palette did not open (F1, Ctrl+Shift+P, command center)');
}

/** Titles of the palette's rows for `query` (palette left closed afterwards). */
export async function paletteEntries(query: string): Promise<string[]> {
  const { page } = e2e();
  await openPalette();
  const input = page.locator('.quick-input-widget input');
  await input.fill(`>${query}`, { timeout: STEP_MS });
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  const rows = await page.locator('.quick-input-list .monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  await page.keyboard.press('Escape');
  return rows.map(normalize);
}

export interface ProblemEntry {
  /** The row's accessible label, e.g. "Warning: Unknown annotation … at line 9 column 11". */
  label: string;
}

/** Opens the Problems panel and returns its rows (file rows and marker rows), expanded. */
export async function problems(): Promise<ProblemEntry[]> {
  const { page } = e2e();
  await runCommand('View: Focus Problems', 30_000);
  // A filter left in the Problems box (by a person, or by an earlier spec's typing that landed there while
  // the panel was switching views) hides every row: clear it, as a person would.
  const filter = page.locator('.part.panel input[placeholder*="**/*.ts"]:visible').first();
  if ((await filter.count()) > 0 && (await filter.inputValue()) !== '') {
    await filter.fill('');
    await page.waitForTimeout(500); // the filter applies after a short debounce
  }
  const rows = page.locator('.markers-panel .monaco-list-row');
  await rows.first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''));
  return labels.map((label) => ({ label: normalize(label) }));
}

/** Waits until a Problems row matches `re`; returns all rows at that moment. */
export async function waitForProblem(re: RegExp, timeoutMs = 30_000): Promise<ProblemEntry[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await problems();
    if (rows.some((r) => re.test(r.label))) return rows;
    if (Date.now() > deadline) {
      await screenshot(`problems-missing`);
      throw new Error(`no Problems row matches ${re} after ${timeoutMs} ms; rows: ${JSON.stringify(rows.map((r) => r.label))}`);
    }
    await e2e().page.waitForTimeout(500);
  }
}

/** The text of the output view in the panel (call after the channel is shown). */
export async function outputText(): Promise<string> {
  const { page } = e2e();
  const parts = await page.locator('.part.panel .output-view .view-lines').evaluateAll((els) => els.map((e) => (e as unknown as { innerText: string }).innerText));
  const text = parts.join('\n');
  return normalize(text);
}

/**
 * Types `text` into the output view's filter box (only matching lines stay in view; '' clears it): the way
 * to find an early line in a long channel, since the view renders only the lines in sight.
 */
export async function filterOutput(text: string): Promise<void> {
  const { page } = e2e();
  // The panel holds one filter box per view, all with a "Filter…" placeholder: wait for the output view
  // (a Show Log just issued may not have switched the panel yet), then take its box, never the Problems one
  // (typing there once hid every problem from the next spec).
  await page.locator('.part.panel .output-view').first().waitFor({ state: 'visible', timeout: 10_000 });
  const box = page.locator('.part.panel input[placeholder^="Filter"]:visible:not([placeholder*="**/*.ts"])').first();
  await box.fill(text, { timeout: 10_000 });
  await page.waitForTimeout(500); // the filter applies after a short debounce
}

/**
 * Waits until the output view contains text matching `re`. The view renders only the lines in sight, so
 * each round reads the view as it is, then scrolled to the top and to the end of the channel.
 */
export async function waitForOutput(re: RegExp, timeoutMs = 30_000): Promise<string> {
  const { page } = e2e();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let text = await outputText();
    if (re.test(text)) return text;
    // The output view's editor: focus its hidden textarea so Ctrl+Home/End scroll it (a click may land on
    // a link or be taken by the panel).
    // Other panel views (the Debug Console) have editors too: only the output view's.
    const textarea = page.locator('.part.panel .output-view .monaco-editor textarea').first();
    const lines = page.locator('.part.panel .output-view .view-lines').first();
    if (await textarea.waitFor({ state: 'attached', timeout: 2_000 }).then(() => true, () => false)) {
      for (const [key, wheel] of [['Control+Home', -1e6], ['Control+End', 1e6]] as const) {
        await textarea.focus({ timeout: 2_000 }).catch(() => undefined);
        await page.keyboard.press(key);
        await page.waitForTimeout(200);
        text = await outputText();
        if (re.test(text)) return text;
        // The mouse wheel scrolls even when the editor did not take the keyboard focus.
        const box = await lines.boundingBox().catch(() => null);
        if (box) {
          await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
          await page.mouse.wheel(0, wheel);
          await page.waitForTimeout(300);
          text = await outputText();
          if (re.test(text)) return text;
        }
      }
    }
    if (Date.now() > deadline) {
      await screenshot('output-missing');
      throw new Error(`output view never matched ${re}; it shows: ${JSON.stringify(text.slice(-2000))}`);
    }
    await e2e().page.waitForTimeout(500);
  }
}

/** The extension's webview content: outer webview host iframe → inner `#active-frame`. */
export function webviewFrame(index = 0): FrameLocator {
  return e2e().page.frameLocator('iframe.webview').nth(index).frameLocator('iframe#active-frame');
}

/** Saves a full-window screenshot to test-results/e2e/<name>.png and returns its path. */
export async function screenshot(name: string): Promise<string> {
  const { page, resultsDir } = e2e();
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  return file;
}

/** Waits for the quick input titled like `title`; returns its rows as shown (none for an input box). */
export async function quickInput(title: RegExp): Promise<string[]> {
  const widget = e2e().page.locator('.quick-input-widget');
  await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
  await e2e().page.waitForTimeout(300);
  return (await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts()).map(normalize);
}

/** Waits for the quick input titled like `title`, types `filter` and accepts the first matching row. */
export async function answer(title: RegExp, filter: string): Promise<void> {
  const { page } = e2e();
  const widget = page.locator('.quick-input-widget');
  await quickInput(title);
  if (filter) {
    for (let attempt = 1; ; attempt++) {
      const ok = await widget.locator('input').fill(filter, { timeout: STEP_MS }).then(() => true, () => false);
      if (ok) break;
      if (attempt >= MIN_ATTEMPTS) throw new Error(`could not type '${filter}' into the quick input titled ${title}`);
    }
  }
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
}
