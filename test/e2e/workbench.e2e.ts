// What a person sees after installing the VSIX: the extension activates in a gadget workspace, its
// commands are in the palette, and the broken gadget.yaml shows up in the Problems panel.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2e, filterOutput, openWorkspace, paletteEntries, runCommand, screenshot, waitForOutput, waitForProblem } from './fixture';

interface Manifest {
  contributes?: {
    commands?: { command: string; title: string; category?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
  };
}

describe('workbench', () => {
  before(() => openWorkspace());

  it('activates: "Show Log" shows the Inspektor Gadget output channel with its activation line', async () => {
    await runCommand('Inspektor Gadget: Show Log');
    // Earlier specs may have filled the channel: filter it down to the line written by activate().
    await filterOutput('activated in');
    try {
      await waitForOutput(/\[info\] activated in [\d.]+ ms/);
      await screenshot('output-channel');
    } finally {
      await filterOutput('');
    }
  });

  it('lists the palette commands of the manifest', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(e2e().extensionDir, 'package.json'), 'utf8')) as Manifest;
    // Commands hidden from the palette (`when` false) or shown only in some state are not expected here.
    const conditional = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((m) => m.when).map((m) => m.command));
    const expected = (manifest.contributes?.commands ?? []).filter((c) => !conditional.has(c.command)).map((c) => `${c.category ? `${c.category}: ` : ''}${c.title}`);
    assert.ok(expected.length > 0);
    const rows = await paletteEntries('Inspektor Gadget: ');
    const missing = expected.filter((t) => !rows.some((r) => r.includes(t)));
    assert.deepEqual(missing, [], `palette rows: ${JSON.stringify(rows)}`);
  });

  it('shows a lint entry for the broken gadget.yaml in the Problems panel', async () => {
    await runCommand('Inspektor Gadget: Lint Workspace');
    const rows = await waitForProblem(/columns\.width/);
    await screenshot('problems');
    assert.ok(rows.some((r) => /broken/.test(r.label) || /gadget\.yaml/.test(r.label)), `rows: ${JSON.stringify(rows.map((r) => r.label))}`);
    assert.ok(!rows.some((r) => /snap|meta/.test(r.label)), 'the snap meta/gadget.yaml must not be linted');
  });
});
