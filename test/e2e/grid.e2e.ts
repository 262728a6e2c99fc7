// The packet grid inside a real VS Code (code-server, the VSIX installed): Run Gadget on the fixture
// gadget, then what a person sees and does in the grid — columns from gadget.yaml, the guest's own field,
// a field filter, sorting — with a screenshot of the window (test-results/e2e/grid-*.png).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readGridRows } from '../support/grid-rows';
import { compileWat } from '../support/wat';
import { answer, e2e, normalize, openWorkspace, runCommand, screenshot, webviewFrame } from './fixture';

describe('packet grid in VS Code', () => {
  before(async () => {
    const hello = path.join(e2e().workspace, 'hello');
    if (!fs.existsSync(path.join(hello, 'hello.wasm'))) {
      fs.writeFileSync(path.join(hello, 'hello.wasm'), await compileWat(fs.readFileSync(path.join(hello, 'hello.wat'), 'utf8'), 'hello.wat'));
    }
    await openWorkspace();
  });

  it('shows the run\'s rows with gadget.yaml columns, filters and sorts them', async () => {
    await runCommand('View: Close All Editors');
    await runCommand('Inspektor Gadget: Run Gadget');
    await answer(/Which gadget/, 'hello');
    await answer(/events/, 'events.yaml');
    await answer(/greeting/, '');

    const grid = webviewFrame();
    await grid.locator('.grid-row', { hasText: 'vim' }).waitFor({ timeout: 60_000 });
    await grid.locator('.run-status', { hasText: /Finished/ }).waitFor({ timeout: 60_000 });
    const headers = await grid.locator('.grid-header .grid-head[data-field]').evaluateAll((els) => els.map((e) => e.getAttribute('data-field')));
    // Host fields in declaration order, then the field the guest added.
    assert.deepEqual(headers.slice(0, 2), ['comm', 'pid']);
    assert.ok(headers.includes('greeting'), `the guest's field is a column: ${JSON.stringify(headers)}`);
    assert.match((await grid.locator('.grid-head[data-field="pid"] button').getAttribute('title')) ?? '', /Process ID/);
    const cells = async () => grid.locator('.grid-body .grid-row:not([hidden])').evaluateAll(readGridRows);
    assert.match((await cells())[0]![2]!, /^ {2,}\d+ $/, 'pid is right-aligned on the character grid');
    assert.match(normalize(await grid.locator('.counters').innerText()), /received 3 · shown 3 · dropped 0/);
    await screenshot('grid-run');

    await grid.locator('.filter-fields').fill('pid>100');
    await grid.locator('.filter-fields').press('Enter');
    await grid.locator('.counters', { hasText: 'shown 2' }).waitFor({ timeout: 10_000 });
    const comms = async () => (await cells()).map((r) => normalize(r[1]!).trim());
    assert.deepEqual(await comms(), ['cat', 'vim']);

    await grid.locator('.grid-head[data-field="pid"] button').click();
    await grid.locator('.grid-head[data-field="pid"][aria-sort="ascending"]').waitFor({ timeout: 10_000 });
    assert.deepEqual(await comms(), ['vim', 'cat'], 'sorted by pid: 3310 before 4242');
    await screenshot('grid-filtered-sorted');

    // Export: the save dialog (code-server's simple dialog, a quick input holding the proposed path).
    const { page, workspace } = e2e();
    const target = path.join(workspace, 'hello-greetings.jsonl');
    fs.rmSync(target, { force: true });
    await grid.locator('[data-action="export-jsonl"]').click();
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForTimeout(500);
    assert.match(await input.inputValue(), /hello-greetings\.jsonl$/);
    await screenshot('grid-export-dialog');
    await page.keyboard.press('Enter');
    await grid.locator('.notice', { hasText: 'Exported 2 rows' }).waitFor({ timeout: 30_000 });
    const lines = fs.readFileSync(target, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { comm: string; pid: number });
    assert.deepEqual(lines.map((l) => [l.comm, l.pid]), [['vim', 3310], ['cat', 4242]], 'the shown rows, in the shown order');

    // Hidden behind another editor and shown again, the grid is as it was (retainContextWhenHidden).
    await page.getByRole('treeitem', { name: 'README.md' }).first().click();
    await page.locator('.tab', { hasText: 'README.md' }).first().waitFor({ timeout: 15_000 });
    // Same editor group: the grid's tab is no longer the active one, so its webview is hidden.
    const gridTab = page.locator('.tab', { hasText: 'hello — packets' }).first();
    const group = page.locator('.editor-group-container', { has: gridTab });
    await group.locator('.tab.active', { hasText: 'README.md' }).waitFor({ timeout: 15_000 });
    await screenshot('grid-hidden');
    await gridTab.click();
    await grid.locator('.counters', { hasText: 'received 3 · shown 2' }).waitFor({ timeout: 15_000 });
    assert.equal(await grid.locator('.filter-fields').inputValue(), 'pid>100');
    assert.deepEqual(await comms(), ['vim', 'cat']);
  });
});
