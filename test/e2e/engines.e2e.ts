// E2E: IG's own engines in the real VS Code. `ig` is the stand-in of test/fixtures/engines (this machine has
// no IG): igWorkbench.engines.igPath points at it, as a user points it at their ig. It checks its
// arguments, streams a real `ig run -o json` recording and writes logrus lines, runs until SIGINT.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answer, e2e, normalize, openWorkspace, runCommand, screenshot, waitForOutput, webviewFrame } from './fixture';

const STAND_IN_IG = path.resolve(__dirname, '../../../test/fixtures/engines/ig');

/** Workspace settings, written where VS Code watches them (the workspace's .vscode/settings.json). */
function setSettings(values: Record<string, unknown>): void {
  const file = path.join(e2e().workspace, '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const old = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(file, JSON.stringify({ ...old, ...values }, null, 2));
}

describe('IG engines (E2E, stand-in ig)', function () {
  this.timeout(240_000);

  let hadSettings: string | undefined;

  before(async () => {
    const file = path.join(e2e().workspace, '.vscode', 'settings.json');
    hadSettings = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    await openWorkspace();
  });

  after(async () => {
    // Leave the window and the workspace as the other specs expect them: no notifications center or panel
    // taking the editor's room (the syntaxes spec reads the lines an editor renders), no .vscode/ added.
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Hide Panel').catch(() => runCommand('View: Close Panel'));
    await runCommand('View: Close All Editors');
    const file = path.join(e2e().workspace, '.vscode', 'settings.json');
    if (hadSettings === undefined) fs.rmSync(path.dirname(file), { recursive: true, force: true });
    else fs.writeFileSync(file, hadSettings);
  });

  it('Run Gadget on ig streams the events into the grid and IG\'s logs into the channel; Stop ends it', async () => {
    const { page } = e2e();
    setSettings({ 'igWorkbench.engines.igPath': STAND_IN_IG });
    await page.waitForTimeout(1000); // the settings file watcher
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget on ig');
    await answer(/Which gadget/, 'hello');
    await answer(/Run hello on ig: which image/, 'hello:dev');
    await answer(/greeting/, ''); // the default

    const grid = webviewFrame();
    await grid.locator('body', { hasText: '121377' }).waitFor({ timeout: 60_000 });
    const gridText = normalize(await grid.locator('body').innerText());
    for (const s of ['cat', 'vi', '/etc/ld.so.cache', 'editor']) assert.ok(gridText.includes(s), `"${s}" in the grid:\n${gridText.slice(0, 2000)}`);
    const item = page.locator('.statusbar-item', { hasText: /hello on ig: \d+ ev\/s/ }).first();
    await item.waitFor({ timeout: 30_000 });
    await screenshot('engine-ig-grid');

    await runCommand('Inspektor Gadget: Show Log');
    await waitForOutput(/\[hello\] \S*\/ig run hello:dev -o json --greeting=hello/, 30_000);
    await waitForOutput(/\[hello\] init: hello from wasm \(ig hello:dev\)/, 30_000);

    await runCommand('Inspektor Gadget: Stop Gadget');
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    const log = await waitForOutput(/\[hello\] stopping the gadget[\s\S]*\[hello\] done: 3 packets/, 30_000);
    await screenshot('engine-ig-stopped');
    assert.doesNotMatch(log, /\[hello\] .*(failed|Error:)/);
  });

  it('an ig that is not installed is one notification saying so, with IG\'s install docs', async () => {
    const { page } = e2e();
    setSettings({ 'igWorkbench.engines.igPath': '/nonexistent/bin/ig' });
    await page.waitForTimeout(1000);
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget on ig');
    await answer(/Which gadget/, 'hello');
    await answer(/greeting/, ''); // the image is remembered from the run before
    await runCommand('Notifications: Show Notifications');
    const entry = page.locator('.notifications-center .notification-list-item', { hasText: /ig is not installed or not on PATH/ });
    await entry.first().waitFor({ timeout: 30_000 });
    const text = normalize(await entry.first().innerText());
    // The grid that opened for the run ends in one state: Failed, not also Running or Waiting for packets.
    const grid = webviewFrame();
    await grid.locator('.run-status', { hasText: /^Failed: load: ig is not installed/ }).waitFor({ timeout: 30_000 });
    const gridText = normalize(await grid.locator('body').innerText());
    assert.doesNotMatch(gridText, /Waiting for packets|Running/, gridText.slice(0, 1000));
    // ...and its progress notification closes with it.
    await page.locator('.notifications-center .notification-list-item', { hasText: /running hello on ig/ }).waitFor({ state: 'detached', timeout: 15_000 });
    await screenshot('engine-ig-missing');
    assert.match(text, /igWorkbench\.engines\.igPath/);
    assert.match(text, /install-linux/);
    assert.equal(await entry.count(), 1, 'one notification');
  });
});
