// gadget.yaml diagnostics in the Problems panel: present for the broken fixture at the right lines, absent
// for the clean one and for an Ubuntu snap's meta/gadget.yaml, and gone once the mistake is fixed.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, diagnosticCode, fixtureUri, lineOf, ourDiagnostics, waitFor } from '../helpers';

describe('lint diagnostics', () => {
  const broken = () => fixtureUri('broken', 'gadget.yaml');
  const clean = () => fixtureUri('hello', 'gadget.yaml');
  const snap = () => fixtureUri('snap', 'meta', 'gadget.yaml');

  before(activateExtension);
  afterEach(async () => {
    // Leave the fixture files untouched on disk for the next test and the next run.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await closeAllEditors();
  });

  it('reports the broken gadget.yaml at the offending lines', async () => {
    const doc = await vscode.workspace.openTextDocument(broken());
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor('diagnostics on broken/gadget.yaml', () => {
      const d = ourDiagnostics(doc.uri);
      return d.length >= 3 && d;
    });
    const on = (text: string) => diags.filter((d) => d.range.start.line === lineOf(doc, text));
    const typo = on('columns.with:');
    assert.equal(typo.length, 1, `one diagnostic on columns.with, got ${JSON.stringify(diags.map((d) => [d.range.start.line, d.message]))}`);
    assert.match(typo[0]!.message, /columns\.width/, 'the typo diagnostic suggests columns.width');
    assert.ok(diagnosticCode(typo[0]!), 'diagnostics carry the linter rule as their code');
    assert.equal(on('columns.alignment:').length, 1, 'columns.alignment: middle is not left|right');
    assert.equal(on('unknownKey:').length, 1, 'unknownKey is not a data source key');
    // The range covers the key itself, not the whole line.
    const key = doc.getText(typo[0]!.range);
    assert.ok(key.includes('columns.with'), `range text is ${JSON.stringify(key)}`);
  });

  it('"Lint Workspace" reports unopened files and leaves clean and snap files alone', async () => {
    await vscode.commands.executeCommand('igWorkbench.lintWorkspace');
    await waitFor('diagnostics on broken/gadget.yaml after Lint Workspace', () => ourDiagnostics(broken()).length > 0);
    assert.deepEqual(ourDiagnostics(clean()).map((d) => d.message), [], 'hello/gadget.yaml is clean');
    assert.deepEqual(ourDiagnostics(snap()).map((d) => d.message), [], 'a snap meta/gadget.yaml is not IG metadata');
  });

  it('drops a diagnostic as soon as the mistake is fixed in the editor', async () => {
    const doc = await vscode.workspace.openTextDocument(broken());
    const editor = await vscode.window.showTextDocument(doc);
    const line = lineOf(doc, 'columns.with:');
    await waitFor('the columns.with diagnostic', () => ourDiagnostics(doc.uri).some((d) => d.range.start.line === line));
    const col = doc.lineAt(line).text.indexOf('columns.with');
    const ok = await editor.edit((e) => e.replace(new vscode.Range(line, col, line, col + 'columns.with'.length), 'columns.width'));
    assert.ok(ok, 'the edit applied');
    await waitFor('the columns.with diagnostic to go away', () => !ourDiagnostics(doc.uri).some((d) => d.range.start.line === line));
    // The other mistakes are still reported.
    assert.ok(ourDiagnostics(doc.uri).some((d) => d.range.start.line === lineOf(doc, 'unknownKey:')));
  });
});
