// What a person does with a gadget after installing the VSIX (runs after workbench.e2e: its runs fill the
// output channel, which that spec reads from the top): open the Inspektor Gadget sidebar and read
// the Gadgets tree, then run the fixture gadget from the command palette — pick the gadget, its events
// file, accept the param's default — and see its log lines in the output channel and its packets in the grid.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileWat } from '../support/wat';
import { answer, e2e, normalize, openWorkspace, quickInput, runCommand, screenshot, waitForOutput, webviewFrame } from './fixture';

/** Opens a workspace file in the editor alone, through Go to File. */
async function openFile(rel: string): Promise<void> {
  const { page } = e2e();
  await runCommand('View: Close All Editors');
  await runCommand('Go to File...');
  await page.locator('.quick-input-widget input').fill(rel);
  // Recently opened files are listed first: wait until the row of this folder is the first one.
  const folder = path.dirname(rel);
  const first = page.locator('.quick-input-list .monaco-list-row').first();
  await first.filter({ hasText: folder }).waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: path.basename(rel) }).first().waitFor({ timeout: 15_000 });
}

describe('gadgets: sidebar tree and Run Gadget', () => {
  before(async () => {
    // The fixture gadget's module is built from its WAT source, as the integration suite does.
    const hello = path.join(e2e().workspace, 'hello');
    fs.writeFileSync(path.join(hello, 'hello.wasm'), await compileWat(fs.readFileSync(path.join(hello, 'hello.wat'), 'utf8'), 'hello.wat'));
    await openWorkspace();
  });

  it('shows the Gadgets tree: gadgets, data sources, fields with their kinds', async () => {
    const { page } = e2e();
    // Through the view's focus command: clicking the activity-bar icon would hide the view if it is open.
    await runCommand('Inspektor Gadget: Focus on Gadgets View');
    const tree = page.locator('.pane-body .monaco-list[aria-label*="Gadgets"], .pane-body .monaco-tree, .pane-body .monaco-list').first();
    // No Refresh here: the tree answers VS Code from a model read ahead, so a refresh landing while VS Code
    // fetched children can no longer leave the hello node expanded and empty (see src/extension/tree.ts).
    const greetings = page.getByRole('treeitem', { name: /greetings/ }).first();
    await greetings.waitFor({ timeout: 30_000 });
    const pid = page.getByRole('treeitem', { name: /^pid/ }).first();
    await pid.waitFor({ timeout: 15_000 });
    const text = normalize(await tree.innerText());
    await screenshot('gadgets-tree');
    for (const s of ['hello', 'broken', 'greetings', 'comm', 'string', 'uint32', 'params']) assert.ok(text.includes(s), `"${s}" in the tree:\n${text}`);
    assert.ok(!/\bsnap\b/.test(text), 'the snap gadget.yaml is not listed');
  });

  it('runs the fixture gadget from the palette: log lines in the output channel, packets in the grid', async () => {
    // With no gadget.yaml in the active editor, Run Gadget asks which gadget.
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget');
    await answer(/Which gadget/, 'hello');
    const events = await quickInput(/events/);
    assert.ok(events.some((r) => r.includes('events.yaml')) && events.some((r) => r.includes('No events file')), JSON.stringify(events));
    await answer(/events/, 'events.yaml');
    await answer(/greeting/, ''); // accept the default "hello"

    // Packets in the grid: the webview shows the events file's rows.
    const grid = webviewFrame();
    await grid.locator('body', { hasText: 'vim' }).waitFor({ timeout: 60_000 });
    const gridText = normalize(await grid.locator('body').innerText());
    await screenshot('run-grid');
    for (const s of ['cat', 'bash', 'vim', '4242', '3310']) assert.ok(gridText.includes(s), `"${s}" in the grid:\n${gridText.slice(0, 2000)}`);

    await runCommand('Inspektor Gadget: Show Log');
    const log = await waitForOutput(/\[hello\] done: 3 packets/, 60_000);
    await screenshot('run-log');
    assert.match(log, /\[hello\] hello from the fixture gadget/);
    assert.match(log, /\[hello\] phase gadgetStart/);
  });

  it('runs a gadget until stopped: status-bar rate while it runs, Stop Gadget from the palette ends it', async () => {
    const { page } = e2e();
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget');
    await answer(/Which gadget/, 'hello');
    await answer(/events/, 'No events file');
    await answer(/greeting/, '');
    const item = page.locator('.statusbar-item', { hasText: /hello: \d+ ev\/s/ }).first();
    await item.waitFor({ timeout: 60_000 });
    await screenshot('run-until-stopped');

    await runCommand('Inspektor Gadget: Stop Gadget');
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    await runCommand('Inspektor Gadget: Show Log');
    await waitForOutput(/\[hello\] running until stopped[\s\S]*\[hello\] phase gadgetStop[\s\S]*\[hello\] done: 0 packets/, 60_000);
  });

  it('puts Run Gadget in the editor title of a gadget\'s gadget.yaml, not of a snap\'s', async () => {
    const { page } = e2e();
    const runButton = page.locator('.editor-actions .action-label[aria-label*="Run Gadget"]');
    await openFile('hello/gadget.yaml');
    await runButton.first().waitFor({ timeout: 15_000 });
    await screenshot('editor-title-run');
    await openFile('snap/meta/gadget.yaml');
    await page.waitForTimeout(2000);
    assert.equal(await runButton.count(), 0, 'no Run Gadget button for a snap\'s meta/gadget.yaml');
  });

  it('reports a failing gadget in one notification naming the phase', async () => {
    const { page, workspace } = e2e();
    const dir = path.join(workspace, 'v2');
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, 'gadget.yaml'), 'name: v2\ndescription: declares an API version this host does not run\n');
      fs.writeFileSync(path.join(dir, 'v2.wasm'), await compileWat('(module (func (export "gadgetAPIVersion") (result i64) (i64.const 2)))', 'v2.wat'));
      await runCommand('View: Close All Editors');
      await runCommand('Inspektor Gadget: Run Gadget');
      await answer(/Which gadget/, 'v2');
      // The toast may already have been tucked into the bell (an unfocused headless window): read the
      // Notifications center, where every notification stays until dismissed.
      await runCommand('Inspektor Gadget: Show Log');
      // Long lines wrap in the output view: match across the wrap.
      await waitForOutput(/\[v2\] gadgetAPIVersion failed: unsupported gadget\s+API version: 2/, 60_000);
      await runCommand('Notifications: Show Notifications');
      const entry = page.locator('.notifications-center', { hasText: /Gadget v2 failed in gadgetAPIVersion/ });
      await entry.first().waitFor({ timeout: 15_000 });
      const text = normalize(await entry.first().innerText());
      await screenshot('run-failed-notification');
      assert.match(text, /unsupported gadget API version: 2, expected: 1/);
      assert.match(text, /Show Log/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('says what a gadget without a wasm module lacks and offers ways out instead of a file dialog', async () => {
    const { page } = e2e();
    // The broken fixture has gadget.yaml alone: no wasm module, no eBPF object.
    await openFile('broken/gadget.yaml');
    await runCommand('Inspektor Gadget: Run Gadget');
    await runCommand('Notifications: Show Notifications');
    const entry = page.locator('.notifications-center .notification-list-item', { hasText: /broken has no wasm module and no eBPF object to run/ }).first();
    await entry.waitFor({ timeout: 30_000 });
    const text = normalize(await entry.innerText());
    await screenshot('run-no-wasm');
    assert.match(text, /Run Another Gadget/);
    assert.match(text, /Pick a Wasm Module/);
    assert.equal(await page.locator('.quick-input-widget', { hasText: /pick its wasm module/ }).first().isVisible(), false, 'no file dialog');

    // A way out: run another gadget, picked from the others.
    await entry.locator('.monaco-button', { hasText: 'Run Another Gadget' }).first().click();
    const others = await quickInput(/Run which gadget/);
    assert.ok(others.some((r) => r.includes('hello')) && !others.some((r) => /^broken\b/.test(r)), JSON.stringify(others));
    await page.keyboard.press('Escape');
  });
});
