// The extension loads in a real VS Code, activates because the workspace contains a gadget.yaml, and
// registers every command its manifest contributes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, waitFor, workspaceRoot } from '../helpers';

interface Manifest {
  activationEvents?: string[];
  contributes?: { commands?: { command: string; title: string }[] };
}

describe('activation', () => {
  it('opens (a copy of) the fixture workspace', async () => {
    const root = workspaceRoot();
    for (const f of ['hello/gadget.yaml', 'broken/gadget.yaml', 'snap/meta/gadget.yaml']) {
      await vscode.workspace.fs.stat(vscode.Uri.joinPath(root, f)); // throws FileNotFound
    }
  });

  it('activates on its own in a workspace that contains a gadget.yaml', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is not loaded`);
    assert.ok((ext.packageJSON as Manifest).activationEvents?.some((e) => e.startsWith('workspaceContains:')));
    // Nobody calls activate() here: the workspaceContains activation event must do it.
    await waitFor('the extension to activate', () => ext.isActive, 30_000);
  });

  it('registers every command the manifest contributes', async () => {
    const ext = await activateExtension();
    const declared = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(declared.length > 0, 'the manifest contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(declared.filter((c) => !registered.has(c)), [], 'contributed but not registered');
  });

  it('creates the "Inspektor Gadget" output channel', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('igWorkbench.showLog');
    // An output channel is a document with the `output` scheme once shown.
    await waitFor('the output channel document', () =>
      vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && /Inspektor Gadget/i.test(d.uri.path + d.uri.fragment)), 10_000);
  });
});
