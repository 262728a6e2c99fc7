// The gadget's eBPF maps inside a real VS Code (code-server, the VSIX installed): Run Gadget on the fixture
// gadget with an eBPF object beside it and an events file preloading its maps, then the Gadgets tree lists
// the maps with their entry counts and a click shows a map's entries, decoded by BTF, in a grid — with
// screenshots (test-results/e2e/maps-*.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bpfObject } from '../support/bpf';
import { readGridRows } from '../support/grid-rows';
import { compileWat } from '../support/wat';
import { answer, e2e, normalize, openWorkspace, runCommand, screenshot, webviewFrame } from './fixture';

describe('eBPF maps in VS Code', () => {
  const hello = () => path.join(e2e().workspace, 'hello');
  const extra = () => [path.join(hello(), 'kernel.bpf.o'), path.join(hello(), 'kernel.events.yaml')];

  before(async () => {
    if (!fs.existsSync(path.join(hello(), 'hello.wasm'))) {
      fs.writeFileSync(path.join(hello(), 'hello.wasm'), await compileWat(fs.readFileSync(path.join(hello(), 'hello.wat'), 'utf8'), 'hello.wat'));
    }
    const [obj, events] = extra();
    fs.copyFileSync(bpfObject('kernel'), obj);
    fs.writeFileSync(events, [
      'maps:',
      '  test_map:',
      '    entries: [{key: {a: 42, b: 42, c: 43}, value: [7, 0, 0, 0]}]',
      '  config_map:',
      '    entries: [{key: [0, 0, 0, 0], value: {threshold: 5, comm: cat}}, {key: [1, 0, 0, 0], value: {threshold: 100, comm: bash}}]',
      '',
    ].join('\n'));
    await openWorkspace();
  });

  after(async () => {
    for (const f of extra()) fs.rmSync(f, { force: true });
    // The events-file choice is remembered: later specs pick hello's own events.yaml.
    await runCommand('Inspektor Gadget: Forget Remembered Wasm Modules and Params');
  });

  it('lists the maps after a run and shows a map\'s entries in a grid', async () => {
    const { page } = e2e();
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget');
    await answer(/Which gadget/, 'hello');
    await answer(/events/, 'kernel.events.yaml');
    await answer(/greeting/, '');
    const runGrid = webviewFrame();
    await runGrid.locator('.run-status', { hasText: /Finished/ }).waitFor({ timeout: 60_000 });
    await runCommand('View: Close All Editors');

    await runCommand('Inspektor Gadget: Focus on Gadgets View');
    // The object's maps are a collapsed group under the gadget.
    const group = page.getByRole('treeitem', { name: /maps.*kernel\.bpf\.o/ }).first();
    await group.waitFor({ timeout: 30_000 });
    // The tree re-renders when it re-reads the gadget after the run: click until the group stays open.
    for (let i = 0; i < 20 && (await group.getAttribute('aria-expanded')) !== 'true'; i++) {
      await group.click();
      await page.waitForTimeout(500);
    }
    // The counts appear once the tree has re-read the gadget after the run (debounced).
    const item = page.getByRole('treeitem', { name: /config_map/ }).filter({ hasText: '2/2 entries' }).first();
    await item.waitFor({ timeout: 30_000 });
    assert.match(normalize(await item.innerText()), /config_map\s*Array · 2\/2 entries/);
    assert.match(normalize(await page.getByRole('treeitem', { name: /test_map/ }).first().innerText()), /Hash · 1\/1 entries/);
    await screenshot('maps-tree');

    await item.click();
    const grid = webviewFrame();
    await grid.locator('.grid-row', { hasText: 'threshold' }).first().waitFor({ timeout: 60_000 });
    const rows = (await grid.locator('.grid-body .grid-row:not([hidden])').evaluateAll(readGridRows)).map((r) => r.map((c) => normalize(c).trim()));
    assert.equal(rows.length, 2, JSON.stringify(rows));
    assert.ok(rows.some((r) => r.some((c) => c.includes('threshold') && c.includes('bash'))), `BTF-decoded values: ${JSON.stringify(rows)}`);
    await screenshot('maps-grid');
  });
});
