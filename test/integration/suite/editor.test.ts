// gadget.yaml editing features inside VS Code: the quick fix from the linter's edit, hover, completion
// and the outline — asked through VS Code's own provider commands, as the editor asks them.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAllEditors, diagnosticCode, fixtureUri, lineOf, ourDiagnostics, waitFor } from '../helpers';

async function open(...segments: string[]): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(...segments));
  return vscode.window.showTextDocument(doc);
}

/** A copy of a fixture gadget outside the workspace, for tests that edit: the fixture files stay as they are. */
function scratchCopy(gadget: string): vscode.Uri {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ig-${gadget}-`));
  fs.cpSync(fixtureUri(gadget).fsPath, dir, { recursive: true });
  scratch.push(dir);
  return vscode.Uri.file(path.join(dir, 'gadget.yaml'));
}
const scratch: string[] = [];

async function openScratch(gadget: string): Promise<vscode.TextEditor> {
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scratchCopy(gadget)));
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('gadget.yaml editor features', () => {
  before(activateExtension);
  afterEach(async () => {
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isDirty)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await closeAllEditors();
  });
  after(() => { for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true }); });

  it('offers the linter\'s fix as the preferred quick fix, and applying it clears the diagnostic', async () => {
    const editor = await openScratch('broken');
    const doc = editor.document;
    const line = lineOf(doc, 'columns.with:');
    const diag = await waitFor('the columns.with diagnostic', () => ourDiagnostics(doc.uri).find((d) => d.range.start.line === line));
    assert.equal(diagnosticCode(diag), 'unknown-annotation');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, diag.range,
      vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /columns\.width/.test(a.title));
    assert.ok(fix, `a quick fix renaming to columns.width; got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(fix.isPreferred, true, 'the rename is the preferred fix');
    assert.ok(fix.edit, 'the fix carries an edit');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));

    assert.match(doc.lineAt(line).text, /^\s+columns\.width: 16\s+# unknown annotation/, 'key renamed, value and comment kept');
    await waitFor('the diagnostic to go away after the fix', () => !ourDiagnostics(doc.uri).some((d) => d.range.start.line === line));
    // No fix is offered where the linter has none (alignment value), and nothing for other lines.
    const none = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri,
      new vscode.Range(0, 0, 0, 1), vscode.CodeActionKind.QuickFix.value);
    assert.deepEqual(none.filter((a) => a.title.includes('columns')), []);
  });

  it('answers hover on an annotation key with its documentation', async () => {
    const editor = await open('hello', 'gadget.yaml');
    const doc = editor.document;
    const line = lineOf(doc, 'columns.width');
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('columns.width') + 3);
    const hovers = await waitFor('a hover on columns.width', async () => {
      const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
      return h.length > 0 && h;
    });
    assert.match(hoverText(hovers), /columns\.width/);
    assert.match(hoverText(hovers), /[Ww]idth/);
  });

  it('completes annotation names under `annotations:`, leaving out those already there', async () => {
    const editor = await openScratch('hello');
    const doc = editor.document;
    const line = lineOf(doc, 'columns.width');
    const indent = doc.lineAt(line).text.match(/^\s*/)![0];
    await editor.edit((e) => e.insert(new vscode.Position(line, 0), `${indent}columns.\n`));
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri,
      new vscode.Position(line, indent.length + 'columns.'.length));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const name of ['columns.hidden', 'columns.maxwidth', 'columns.ellipsis']) assert.ok(labels.includes(name), `${name} in ${JSON.stringify(labels.slice(0, 30))}`);
    assert.ok(!labels.includes('columns.width'), 'comm already has columns.width');
  });

  it('gives the outline: gadget → data sources → fields, and params', async () => {
    const editor = await open('hello', 'gadget.yaml');
    const symbols = await waitFor('document symbols', async () => {
      const s = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
      return s?.length > 0 && s;
    });
    const names: string[] = [];
    const walk = (ss: vscode.DocumentSymbol[], depth: number) => { for (const s of ss) { names.push(`${depth}:${s.name}`); walk(s.children, depth + 1); } };
    walk(symbols, 0);
    for (const n of ['greetings', 'comm', 'pid', 'greeting']) assert.ok(names.some((x) => x.endsWith(`:${n}`)), `${n} in the outline: ${names.join(', ')}`);
    // Fields sit deeper than their data source.
    const depth = (n: string) => Number(names.find((x) => x.endsWith(`:${n}`))!.split(':')[0]);
    assert.ok(depth('comm') > depth('greetings'));
  });

  it('gives no diagnostics, hover or outline for a snap\'s meta/gadget.yaml', async () => {
    // The broken file first: when it has diagnostics the linter has run, so silence on the snap is meaningful.
    await open('broken', 'gadget.yaml');
    await waitFor('diagnostics on broken/gadget.yaml', () => ourDiagnostics(fixtureUri('broken', 'gadget.yaml')).length > 0);
    const editor = await open('snap', 'meta', 'gadget.yaml');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(ourDiagnostics(editor.document.uri).map((d) => d.message), []);
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', editor.document.uri);
    assert.deepEqual((symbols ?? []).map((s) => s.name), [], 'no Gadget outline for a snap file');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, new vscode.Position(1, 3));
    assert.equal(hovers.length, 0, 'no hover for a snap file');
  });

  it('leaves syntax and schema errors to the YAML extension when told to (lint.schemaErrors), keeping IG-aware ones', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-overlap-'));
    scratch.push(dir);
    const file = path.join(dir, 'gadget.yaml');
    fs.writeFileSync(file, 'name: x\nname: y\ndatasources:\n  d:\n    fields:\n      f:\n        annotations:\n          columns.with: 1\n'
      + 'params:\n  wasm:\n    p:\n      key: p\n      isMandatory: maybe\n');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(doc);
    const codes = () => ourDiagnostics(doc.uri).map(diagnosticCode).sort().join(',');
    const config = vscode.workspace.getConfiguration('igWorkbench');
    try {
      await config.update('lint.schemaErrors', 'workbench', vscode.ConfigurationTarget.Global);
      await waitFor('all three diagnostics', () => codes() === 'duplicate-key,schema,unknown-annotation');
      await config.update('lint.schemaErrors', 'yamlExtension', vscode.ConfigurationTarget.Global);
      await waitFor('only the IG-aware diagnostic', () => codes() === 'unknown-annotation');
      // `auto` without the Red Hat YAML extension installed (as here): everything is ours again.
      await config.update('lint.schemaErrors', undefined, vscode.ConfigurationTarget.Global);
      assert.equal(vscode.extensions.getExtension('redhat.vscode-yaml'), undefined);
      await waitFor('all three diagnostics with auto', () => codes() === 'duplicate-key,schema,unknown-annotation');
    } finally {
      await config.update('lint.schemaErrors', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
