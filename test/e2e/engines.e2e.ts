// E2E: IG's own engines in the real VS Code. `ig` and `kubectl-gadget` are the stand-ins of
// test/fixtures/engines (this machine has no IG and no cluster): igWorkbench.engines.igPath /
// kubectlGadgetPath point at them, as a user points them at their own. They check their arguments, stream a
// real `ig run -o json` recording and write logrus lines, run until SIGINT; the `ig` stand-in's
// `image build` fails as clang does (file:line:col) on an `#error` line in the gadget's program.bpf.c.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answer, e2e, normalize, openWorkspace, problems, quickInput, runCommand, screenshot, waitForOutput, waitForProblem, webviewFrame } from './fixture';

const STAND_IN_IG = path.resolve(__dirname, '../../../test/fixtures/engines/ig');
const STAND_IN_KUBECTL_GADGET = path.resolve(__dirname, '../../../test/fixtures/engines/kubectl-gadget');

/**
 * The kubeconfig kubectl reads: test/e2e/run.ts points the server's KUBECONFIG at <workspace>/.kube/config,
 * so the extension finds the current context here as it finds a user's.
 */
function writeKubeconfig(context: string): void {
  const file = path.join(e2e().workspace, '.kube', 'config');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', `current-context: ${context}`,
    'clusters:', '- name: e2e', '  cluster:', '    server: https://127.0.0.1:6443',
    'contexts:', `- name: ${context}`, '  context:', '    cluster: e2e', '    user: e2e',
    'users:', '- name: e2e', '  user: {}', '',
  ].join('\n'));
}

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
    fs.rmSync(path.join(e2e().workspace, '.kube'), { recursive: true, force: true });
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

  it('Run Gadget on Kubernetes streams into a grid titled with the kubeconfig context; Stop ends it', async () => {
    const { page } = e2e();
    writeKubeconfig('e2e-cluster');
    setSettings({ 'igWorkbench.engines.kubectlGadgetPath': STAND_IN_KUBECTL_GADGET });
    await page.waitForTimeout(1000); // the settings file watcher
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget on Kubernetes');
    await answer(/Which gadget/, 'hello');
    // The image is remembered from the ig run before; asked for when this spec runs alone.
    if ((await quickInput(/which image|greeting/).then(() => page.locator('.quick-input-title').innerText())).includes('which image')) {
      await answer(/which image/, 'hello:dev');
    }
    await answer(/greeting/, '');

    const grid = webviewFrame();
    await grid.locator('body', { hasText: '121377' }).waitFor({ timeout: 60_000 });
    const gridText = normalize(await grid.locator('body').innerText());
    for (const s of ['cat', 'vi', '/etc/ld.so.cache', 'editor']) assert.ok(gridText.includes(s), `"${s}" in the grid:\n${gridText.slice(0, 2000)}`);
    // The kubeconfig's current context names where it runs: in the grid's tab and in the status bar.
    await page.locator('.tab', { hasText: 'hello on Kubernetes (e2e-cluster)' }).first().waitFor({ timeout: 30_000 });
    const item = page.locator('.statusbar-item', { hasText: /hello on Kubernetes \(e2e-cluster\): \d+ ev\/s/ }).first();
    await item.waitFor({ timeout: 30_000 });
    await screenshot('engine-k8s-grid');

    await runCommand('Inspektor Gadget: Show Log');
    await waitForOutput(/\[hello\] \S*\/kubectl-gadget run hello:dev -o json\b.*--greeting=hello/, 30_000);
    await waitForOutput(/\[hello\] init: hello from wasm \(kubectl-gadget hello:dev\)/, 30_000);

    await runCommand('Inspektor Gadget: Stop Gadget');
    await item.waitFor({ state: 'detached', timeout: 30_000 });
    await grid.locator('.run-status', { hasText: /^Finished: 3 packets/ }).waitFor({ timeout: 30_000 });
    await screenshot('engine-k8s-stopped');
    await runCommand('Notifications: Show Notifications');
    const errors = page.locator('.notifications-center .notification-list-item', { hasText: /hello on Kubernetes|kubectl gadget/ });
    assert.equal(await errors.count(), 0, `no notification about the run: ${normalize((await errors.allInnerTexts()).join(' | '))}`);
  });

  it('Build Gadget Image logs ig\'s output, and puts its compiler error in Problems at the gadget\'s file', async () => {
    const { page, workspace } = e2e();
    setSettings({ 'igWorkbench.engines.igPath': STAND_IN_IG });
    await page.waitForTimeout(1000);
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('View: Close All Editors');

    // A build that succeeds: the builder's output and the built reference in the log channel.
    await runCommand('Inspektor Gadget: Build Gadget Image');
    await answer(/Which gadget/, 'opensnoop');
    await answer(/Build opensnoop's image: its tag/, 'opensnoop:e2e');
    await runCommand('Inspektor Gadget: Show Log');
    await waitForOutput(/\[opensnoop\] build: \S*\/ig image build \S*opensnoop -t opensnoop:e2e/, 30_000);
    await waitForOutput(/\[opensnoop\] build: Pulling builder image ghcr\.io\/inspektor-gadget\/gadget-builder:main/, 30_000);
    await waitForOutput(/\[opensnoop\] built docker\.io\/library\/opensnoop:e2e@sha256:(ab){32}/, 30_000);

    // A build clang fails: the error in Problems at the gadget's own program.bpf.c (not the builder's /work).
    const source = path.join(workspace, 'opensnoop', 'program.bpf.c');
    const original = fs.readFileSync(source, 'utf8');
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.startsWith('#include')) + 1;
    lines.splice(at, 0, '#error vmlinux.h is missing for this architecture');
    fs.writeFileSync(source, lines.join('\n'));
    try {
      await runCommand('Notifications: Clear All Notifications');
      await runCommand('Inspektor Gadget: Build Gadget Image');
      await answer(/Which gadget/, 'opensnoop');
      await answer(/Build opensnoop's image: its tag/, ''); // the tag built before
      const rows = await waitForProblem(/vmlinux\.h is missing for this architecture/, 60_000);
      await screenshot('engine-build-problem');
      const marker = rows.find((r) => /vmlinux\.h is missing/.test(r.label))!.label;
      assert.match(marker, new RegExp(`at line ${at + 1} and character 2\\b.*ig image build`), marker);
      assert.ok(rows.some((r) => /program\.bpf\.c/.test(r.label) && /opensnoop/.test(r.label)), `a row for opensnoop's program.bpf.c: ${JSON.stringify(rows.map((r) => r.label))}`);
      assert.ok(!rows.some((r) => /\/work\//.test(r.label)), 'no row names the builder\'s /work folder');
      await runCommand('Notifications: Show Notifications');
      await page.locator('.notifications-center .notification-list-item', { hasText: /Cannot build opensnoop's image: .*see the Problems panel/ }).first().waitFor({ timeout: 30_000 });
    } finally {
      fs.writeFileSync(source, original);
    }

    // Fixed, it builds again and its problem goes (no stale error left for the specs after this one).
    await runCommand('Notifications: Clear All Notifications');
    await runCommand('Inspektor Gadget: Build Gadget Image');
    await answer(/Which gadget/, 'opensnoop');
    await answer(/Build opensnoop's image: its tag/, '');
    const deadline = Date.now() + 30_000;
    while ((await problems()).some((r) => /vmlinux\.h is missing/.test(r.label))) {
      if (Date.now() > deadline) assert.fail('the build\'s problem stayed after a build that succeeded');
      await page.waitForTimeout(500);
    }
  });
});
