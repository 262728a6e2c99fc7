// Restricted Mode: the folder is not trusted (run-offline.ts runs this file alone in a second window, with
// workspace trust on and the folder untrusted; see suite/index.ts). The extension declares limited
// support: gadget.yaml linting and the Gadgets tree work, Run Gadget refuses because it would execute
// the folder's wasm module — with a warning that says so and offers to manage trust.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../src/extension/run';
import type { TreeSnapshot } from '../../../src/extension/tree';
import { compileWat } from '../../support/wat';
import { activateExtension, closeAllEditors, fixtureUri, ourDiagnostics, waitFor, workbenchText } from '../helpers';

const activeRuns = () => vscode.commands.executeCommand<RunSummary[]>('igWorkbench._test.activeRuns');
const lastRun = () => vscode.commands.executeCommand<RunSummary | undefined>('igWorkbench._test.lastRun');

describe('untrusted workspace (Restricted Mode)', function () {
  this.timeout(90_000);
  const wasm = () => fixtureUri('hello', 'hello.wasm').fsPath;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this file needs an untrusted window: run-offline.js --phase untrusted');
    await activateExtension();
    // A module a trusted window runs to completion (run.test.ts): refusing it is the feature under test,
    // not a missing file.
    const wat = fixtureUri('hello', 'hello.wat').fsPath;
    fs.writeFileSync(wasm(), await compileWat(fs.readFileSync(wat, 'utf8'), wat));
  });
  after(async () => {
    fs.rmSync(wasm(), { force: true });
    await vscode.commands.executeCommand('notifications.clearAll');
    await closeAllEditors();
  });

  it('still lints gadget.yaml', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('broken', 'gadget.yaml'));
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('diagnostics on broken/gadget.yaml', () => { const d = ourDiagnostics(doc.uri); return d.length >= 3 && d; });
    assert.ok(diags.some((d) => /columns\.width/.test(d.message)), JSON.stringify(diags.map((d) => d.message)));
  });

  it('still shows the Gadgets tree', async () => {
    const roots = await waitFor('gadgets in the tree', async () => {
      const t = await vscode.commands.executeCommand<TreeSnapshot[]>('igWorkbench._test.tree');
      return t.length > 0 && t;
    });
    assert.deepEqual(roots.map((r) => r.label).sort(), ['broken', 'hello', 'opensnoop']);
    assert.ok(roots.find((r) => r.label === 'hello')?.children.some((c) => c.label === 'greetings'));
  });

  it('Run Gadget refuses: a warning says why and offers Manage Workspace Trust; nothing runs', async () => {
    let settled = false;
    const result = Promise.resolve(vscode.commands.executeCommand<RunSummary | undefined>(
      'igWorkbench.runGadget', fixtureUri('hello', 'gadget.yaml'), { events: null, params: {} })).finally(() => { settled = true; });
    // Read it where it stays until dismissed: the notifications center (an unfocused window may tuck toasts away).
    await vscode.commands.executeCommand('notifications.showList');
    const text = await workbenchText('.notifications-center .notification-list-item', /untrusted folders/);
    assert.match(text, /Running a gadget executes its wasm module, so Run Gadget is disabled in untrusted folders/);
    assert.match(text, /Linting, hover, completion and the Gadgets tree keep working/);
    assert.match(text, /Manage Workspace Trust/, 'the warning offers the way out');
    assert.equal(settled, false, 'the command waits on its warning');
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.equal(await result, undefined, 'dismissed: no run');
    assert.deepEqual(await activeRuns(), []);
    assert.equal(await lastRun(), undefined, 'no run ever started in this window');
  });
});
