// The Gadgets tree in the activity bar: gadget folders → data sources → fields with kinds and origins,
// params, click-to-reveal in gadget.yaml, and refresh when files change. Read through the extension's
// test command `igWorkbench._test.tree` (the tree's own items, as plain data).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { TreeSnapshot } from '../../../src/extension/tree';
import { activateExtension, closeAllEditors, fixtureUri, lineOf, waitFor } from '../helpers';

const tree = () => vscode.commands.executeCommand<TreeSnapshot[]>('igWorkbench._test.tree');
const child = (nodes: TreeSnapshot[], label: string): TreeSnapshot => {
  const n = nodes.find((x) => x.label === label);
  assert.ok(n, `"${label}" among ${JSON.stringify(nodes.map((x) => x.label))}`);
  return n;
};

describe('Gadgets tree', () => {
  before(activateExtension);
  after(closeAllEditors);

  it('lists the workspace\'s gadgets (not the snap), their data sources and fields with kinds', async () => {
    const roots = await waitFor('gadgets in the tree', async () => { const t = await tree(); return t.length > 0 && t; });
    assert.deepEqual(roots.map((r) => r.label).sort(), ['broken', 'hello'], 'snap/meta/gadget.yaml is not a gadget');
    const hello = child(roots, 'hello');
    assert.equal(hello.contextValue, 'gadget', 'inline Run / Open gadget.yaml apply to gadget nodes');
    const greetings = child(hello.children, 'greetings');
    const comm = child(greetings.children, 'comm');
    const pid = child(greetings.children, 'pid');
    // Kinds come from the events file (or a run); gadget.yaml alone has no kinds.
    assert.match(comm.description, /^string · gadget\.yaml/);
    assert.match(pid.description, /^uint32 · gadget\.yaml/);
    assert.match(comm.description, /events file/);
    assert.match(comm.tooltip, /Command name of the process/, 'the description annotation is in the tooltip');
    assert.match(comm.tooltip, /columns\.width/, 'annotations are in the tooltip');
    const params = child(hello.children, 'params');
    assert.match(child(params.children, 'greeting').description, /string = hello/);
    // The broken gadget has no kinds anywhere: its fields say so instead of guessing.
    const events = child(child(roots, 'broken').children, 'events');
    assert.match(child(events.children, 'comm').description, /^kind unknown · gadget\.yaml$/);
  });

  it('reveals a field\'s key in gadget.yaml when clicked', async () => {
    const pid = child(child(child(await tree(), 'hello').children, 'greetings').children, 'pid');
    assert.ok(pid.command, 'field nodes have a click command');
    await vscode.commands.executeCommand(pid.command.command, ...pid.command.arguments);
    const editor = await waitFor('gadget.yaml in the editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.toString() === fixtureUri('hello', 'gadget.yaml').toString() && e;
    });
    assert.equal(editor.selection.start.line, lineOf(editor.document, 'pid:'));
    assert.equal(editor.document.getText(editor.selection), 'pid', 'the key itself is selected');
  });

  it('refreshes when a gadget folder appears and disappears', async () => {
    const folder = fixtureUri('zz-new-gadget');
    const refreshes = () => vscode.commands.executeCommand<number>('igWorkbench._test.treeRefreshes');
    const before = await refreshes();
    try {
      fs.mkdirSync(folder.fsPath, { recursive: true });
      fs.writeFileSync(vscode.Uri.joinPath(folder, 'gadget.yaml').fsPath,
        'name: fresh\ndatasources:\n  probes:\n    fields:\n      latency:\n        annotations:\n          description: Time taken\n');
      // The file watcher must tell VS Code to re-read the tree (reading it ourselves would always be fresh).
      await waitFor('a tree refresh after the new gadget.yaml', async () => (await refreshes()) > before);
      const fresh = await waitFor('the new gadget in the tree', async () => (await tree()).find((n) => n.label === 'fresh'));
      assert.deepEqual(child(fresh.children, 'probes').children.map((f) => f.label), ['latency']);
    } finally {
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
    const afterAdd = await refreshes();
    await waitFor('a tree refresh after the removal', async () => (await refreshes()) > afterAdd);
    await waitFor('the removed gadget to leave the tree', async () => !(await tree()).some((n) => n.label === 'fresh'));
  });
});
