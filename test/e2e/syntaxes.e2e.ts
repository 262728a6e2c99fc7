// The injection grammars in the real editor: IG's words in gadget.yaml and in a gadget's C source carry
// our scopes (as VS Code's "Inspect Editor Tokens and Scopes" shows them) and a colour of their own.
import * as assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { SCOPES } from '../../src/syntaxes/grammars';
import { e2e, normalize, openPalette, openWorkspace, runCommand, screenshot } from './fixture';

/** Opens a workspace file with Quick Open, as a person does (Ctrl+P, path, Enter). */
async function openFile(relPath: string): Promise<void> {
  const { page } = e2e();
  const name = relPath.split('/').pop()!;
  await openPalette();
  await page.locator('.quick-input-widget input').fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.part.editor .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
}

/** The active editor's token span whose whole text is `text` (first one in view). */
async function tokenSpan(text: string): Promise<Locator> {
  const spans = e2e().page.locator('.part.editor .editor-group-container.active .monaco-editor .view-line span[class*="mtk"]');
  const deadline = Date.now() + 15_000;
  for (;;) {
    const texts = (await spans.allTextContents()).map(normalize);
    const index = texts.indexOf(text);
    if (index >= 0) return spans.nth(index);
    if (Date.now() > deadline) throw new Error(`no token "${text}" in the editor; tokens: ${JSON.stringify(texts.slice(0, 80))}`);
    await e2e().page.waitForTimeout(300);
  }
}

// Runs in the page: the DOM's getComputedStyle, typed here without the DOM lib.
const colorOf = (span: Locator): Promise<string> => span.evaluate((el) => (globalThis as unknown as
  { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color);

/** Puts the cursor on the token `text` and reads VS Code's token inspector there. */
async function inspect(text: string): Promise<string> {
  const { page } = e2e();
  // Found again right before the click: the editor re-renders its spans when the cursor or a widget moves.
  await (await tokenSpan(text)).click();
  await runCommand('Developer: Inspect Editor Tokens and Scopes');
  const widget = page.locator('.token-inspect-widget');
  await widget.waitFor({ timeout: 15_000 });
  return normalize(await widget.innerText());
}

async function closeInspector(): Promise<void> {
  await e2e().page.keyboard.press('Escape');
}

describe('syntaxes: IG words in the editor', () => {
  before(() => openWorkspace());

  it('gadget.yaml: an annotation key and a params section carry our scopes and their own colour', async () => {
    await openFile('hello/gadget.yaml');
    const width = await tokenSpan('columns.width');
    const plainKey = await tokenSpan('fields');
    assert.notEqual(await colorOf(width), await colorOf(plainKey), 'columns.width is coloured like any key');
    assert.notEqual(await colorOf(await tokenSpan('wasm')), await colorOf(await tokenSpan('greeting')), 'params.wasm like any key');
    const shown = await inspect('columns.width');
    await screenshot('syntaxes-gadget-yaml');
    await closeInspector();
    assert.ok(shown.includes(SCOPES.annotationKey), `inspector: ${shown}`);
  });

  it('program.bpf.c: gadget macros and special types carry our scopes and their own colour', async () => {
    await openFile('bpf/program.bpf.c');
    const tracer = await tokenSpan('GADGET_TRACER');
    const call = await tokenSpan('gadget_reserve_buf');
    assert.notEqual(await colorOf(tracer), await colorOf(call), 'GADGET_TRACER is coloured like a function call');
    const timestamp = await tokenSpan('gadget_timestamp');
    const member = await tokenSpan(' timestamp_raw;'); // same-coloured tokens share a span
    assert.notEqual(await colorOf(timestamp), await colorOf(member), 'gadget_timestamp is coloured like plain text');
    const shown = await inspect('GADGET_TRACER');
    await screenshot('syntaxes-program-bpf-c');
    await closeInspector();
    assert.ok(shown.includes(SCOPES.macro), `inspector: ${shown}`);
    const type = await inspect('gadget_timestamp');
    await screenshot('syntaxes-program-bpf-c-type');
    await closeInspector();
    assert.ok(type.includes(SCOPES.specialType), `inspector: ${type}`);
  });
});
