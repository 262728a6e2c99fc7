// A gadget made of an eBPF object and gadget.yaml, no wasm module (fixture `opensnoop`, its BPF C program
// compiled here with clang as IG's builder does): the Gadgets tree shows the object's data source, fields,
// params and maps; gadget.yaml is checked against the object, with the --update-metadata quick fix; and
// Run Gadget runs the object alone, its events going through IG's formatters.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../src/extension/run';
import type { TreeSnapshot } from '../../../src/extension/tree';
import { goArch } from '../../../src/ebpf';
import { compileBpf } from '../../support/bpf';
import { gadgetImageTar } from '../../support/oci-builder';
import { activateExtension, closeAllEditors, diagnosticCode, fixtureUri, lineOf, ourDiagnostics, waitFor } from '../helpers';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const tree = () => vscode.commands.executeCommand<TreeSnapshot[]>('igWorkbench._test.tree');
const child = (nodes: TreeSnapshot[], label: string): TreeSnapshot | undefined => nodes.find((x) => x.label === label);

describe('eBPF object gadget', function () {
  this.timeout(90_000);
  const object = fixtureUri('opensnoop', 'program.bpf.o').fsPath;
  const scratch: string[] = [];

  before(async () => {
    await activateExtension();
    compileBpf(fixtureUri('opensnoop', 'program.bpf.c').fsPath, object, [`-I${path.join(repoRoot, 'test/fixtures/ebpf/include')}`]);
  });
  after(async () => {
    for (const d of scratch) fs.rmSync(d, { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await closeAllEditors();
  });

  it('the tree shows the object\'s data source and fields (kind, origin eBPF, offset/size), its params and maps', async () => {
    const gadget = await waitFor('opensnoop with its object in the tree', async () => {
      const g = child(await tree(), 'opensnoop');
      return g && child(g.children, 'open')?.children.some((f) => f.label === 'fname') && g;
    });
    const open = child(gadget.children, 'open')!;
    assert.match(open.description, /^single · /);
    const fname = child(open.children, 'fname')!;
    assert.match(fname.description, /^cstring · eBPF$/);
    assert.match(fname.tooltip, /Offset \d+, size 64 bytes in the eBPF struct/);
    assert.equal(child(open.children, 'op')!.description, 'string · eBPF', 'the operator is named in the tooltip, not the label');
    assert.match(child(open.children, 'fnam')!.description, /gadget\.yaml$/, 'the typo is gadget.yaml\'s alone');
    const params = child(gadget.children, 'eBPF params')!;
    assert.ok(params, JSON.stringify(gadget.children.map((c) => c.label)));
    assert.match(child(params.children, 'pid')!.description, /uint32 = 0 eBPF/);
    assert.match(child(child(gadget.children, 'maps')!.children, 'events')!.description, /^RingBuf · 262144 entries$/);
  });

  it('gadget.yaml is checked against the object; the quick fix adds its missing fields and params', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-opensnoop-'));
    scratch.push(dir);
    fs.cpSync(fixtureUri('opensnoop').fsPath, dir, { recursive: true });
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(dir, 'gadget.yaml')));
    await vscode.window.showTextDocument(doc);
    const line = lineOf(doc, 'fnam:');
    const typo = await waitFor('the unknown-field warning', () => ourDiagnostics(doc.uri).find((d) => d.range.start.line === line));
    assert.equal(diagnosticCode(typo), 'object-unknown-field');
    assert.equal(typo.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(typo.message, /Did you mean `fname`\?/);
    const hint = ourDiagnostics(doc.uri).find((d) => diagnosticCode(d) === 'object-missing-field');
    assert.ok(hint, 'object fields without annotations are a hint');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, hint.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => /update-metadata/.test(a.title));
    assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const text = doc.getText();
    assert.ok(text.startsWith('# An eBPF-only gadget'), 'the comment is kept');
    assert.match(text, /\n {6}fname:\n {8}annotations:\n {10}description: "TODO: Fill field description"\n/);
    assert.match(text, /\nparams:\n {2}ebpf:\n {4}targ_pid:\n {6}key: targ_pid\n/);
    await waitFor('the hints to go away after the fix', () => !ourDiagnostics(doc.uri).some((d) => /^object-missing/.test(diagnosticCode(d) ?? '')));
  });

  it('Build eBPF Object compiles program.bpf.c with IG\'s flags; clang\'s errors go to the Problems panel', async () => {
    const config = vscode.workspace.getConfiguration('igWorkbench');
    await config.update('build.includePaths', [path.join(repoRoot, 'test/fixtures/ebpf/include')], vscode.ConfigurationTarget.Workspace);
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-build-'));
      scratch.push(dir);
      fs.cpSync(fixtureUri('opensnoop').fsPath, dir, { recursive: true });
      fs.rmSync(path.join(dir, 'program.bpf.o'), { force: true });
      const yaml = vscode.Uri.file(path.join(dir, 'gadget.yaml'));
      const built = await vscode.commands.executeCommand<string | undefined>('igWorkbench.buildEbpfObject', yaml);
      assert.equal(built, path.join(dir, 'program.bpf.o'));
      assert.ok(fs.statSync(built).size > 0);
      // A mistake in the C source: no object, and clang's error at its line in Problems.
      const src = path.join(dir, 'program.bpf.c');
      fs.writeFileSync(src, fs.readFileSync(src, 'utf8').replace('e->timestamp_raw = bpf_ktime_get_ns();', 'e->no_such_member = 1;'));
      assert.equal(await vscode.commands.executeCommand('igWorkbench.buildEbpfObject', yaml), undefined);
      const problems = vscode.languages.getDiagnostics(vscode.Uri.file(src)).filter((d) => d.source === 'clang');
      const line = fs.readFileSync(src, 'utf8').split('\n').findIndex((l) => l.includes('no_such_member'));
      assert.ok(problems.some((d) => d.severity === vscode.DiagnosticSeverity.Error && d.range.start.line === line && /no_such_member/.test(d.message)),
        JSON.stringify(problems.map((d) => [d.range.start.line, d.message])));
    } finally {
      await config.update('build.includePaths', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a gadget image tarball in the workspace is a gadget: in the tree, and Run Gadget runs it', async () => {
    const tar = fixtureUri('opensnoop-image.tar').fsPath;
    const yaml = 'name: opensnoop-image\ndatasources:\n  open:\n    fields:\n      op_raw:\n        annotations:\n          ebpf.formatter.enum: operation\n';
    fs.writeFileSync(tar, gadgetImageTar({ ebpf: { [goArch(process.arch)]: new Uint8Array(fs.readFileSync(object)) }, metadataYaml: yaml }));
    try {
      const img = await waitFor('the image in the tree', async () => child(await tree(), 'opensnoop-image'));
      const open = child(img.children, 'open');
      assert.ok(open?.children.some((f) => f.label === 'operation' && f.description === 'string · eBPF'), JSON.stringify(open?.children.map((f) => f.label)));
      const started = await vscode.commands.executeCommand<RunSummary | undefined>('igWorkbench.runGadget', vscode.Uri.file(tar),
        { events: fixtureUri('opensnoop', 'events.yaml').fsPath, params: {} });
      assert.ok(started);
      const done = await vscode.commands.executeCommand<RunSummary>('igWorkbench._test.awaitRun', started.id);
      assert.equal(done.result?.ok, true, `${JSON.stringify(done.result?.error)}\n${done.logs.join('\n')}`);
      assert.equal(done.packets, 2);
      assert.ok(done.datasources.find((d) => d.name === 'open')?.fields.some((f) => f.name === 'operation'), 'gadget.yaml from the image applied');
    } finally {
      fs.rmSync(tar, { force: true });
    }
    await waitFor('the image to leave the tree', async () => !child(await tree(), 'opensnoop-image'));
  });

  it('Run Gadget runs the object alone: the events go through its data source and IG\'s formatters', async () => {
    const started = await vscode.commands.executeCommand<RunSummary | undefined>('igWorkbench.runGadget', fixtureUri('opensnoop', 'gadget.yaml'),
      { events: fixtureUri('opensnoop', 'events.yaml').fsPath, params: {} });
    assert.ok(started, 'Run Gadget returned the run (no file dialog)');
    assert.equal(started.wasm, '', 'no wasm module');
    const done = await vscode.commands.executeCommand<RunSummary>('igWorkbench._test.awaitRun', started.id);
    assert.equal(done.result?.ok, true, `${JSON.stringify(done.result?.error)}\n${done.logs.join('\n')}`);
    assert.equal(done.packets, 2);
    const open = done.datasources.find((d) => d.name === 'open');
    assert.ok(open?.fields.some((f) => f.name === 'error' && f.kind === 'string'), 'the errno formatter\'s field');
    assert.ok(done.logs.some((l) => /program\.bpf\.o/.test(l)), done.logs.join('\n'));
  });
});
