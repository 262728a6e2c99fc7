// The packaged extension in code-server with an eBPF-only gadget (fixture `opensnoop`, compiled here with
// clang): the Gadgets tree shows the object's data source and fields, and Run Gadget from the palette runs
// the object alone, its events in the grid with IG's formatter outputs. Screenshots in test-results/e2e/.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compileBpf } from '../support/bpf';
import { answer, e2e, normalize, openWorkspace, runCommand, screenshot, webviewFrame } from './fixture';

const repoRoot = path.resolve(__dirname, '..', '..', '..');

describe('eBPF object gadget: tree and object-only run', () => {
  before(async () => {
    const dir = path.join(e2e().workspace, 'opensnoop');
    compileBpf(path.join(dir, 'program.bpf.c'), path.join(dir, 'program.bpf.o'), [`-I${path.join(repoRoot, 'test/fixtures/ebpf/include')}`]);
    await openWorkspace();
  });
  // The specs share one window: leave it as the others expect it (Explorer shown, no editors open).
  after(async () => {
    await runCommand('View: Close All Editors');
    await runCommand('View: Show Explorer');
  });

  it('shows the object\'s data source and fields with kinds and origin eBPF', async () => {
    const { page } = e2e();
    await runCommand('Inspektor Gadget: Focus on Gadgets View');
    const fname = page.getByRole('treeitem', { name: /^fname/ }).first();
    await fname.waitFor({ timeout: 30_000 });
    const tree = page.locator('.pane-body .monaco-list[aria-label*="Gadgets"], .pane-body .monaco-list').first();
    const text = normalize(await tree.innerText());
    await screenshot('ebpf-tree');
    for (const s of ['opensnoop', 'open', 'fname', 'cstring', 'eBPF']) assert.ok(text.includes(s), `"${s}" in the tree:\n${text}`);
  });

  it('runs the object alone from the palette: the grid shows its events with formatter outputs', async () => {
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget');
    await answer(/Which gadget/, 'opensnoop');
    await answer(/events/, 'events.yaml');
    const grid = webviewFrame();
    await grid.locator('body', { hasText: '/etc/passwd' }).waitFor({ timeout: 60_000 });
    const gridText = normalize(await grid.locator('body').innerText());
    await screenshot('ebpf-run-grid');
    for (const s of ['/etc/passwd', '/nope', 'ENOENT', 'OP_OPENAT']) assert.ok(gridText.includes(s), `"${s}" in the grid:\n${gridText.slice(0, 2000)}`);
  });
});
