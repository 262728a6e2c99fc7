// The Gadgets tree in the activity bar: gadget folders → data sources → fields with kinds and origins,
// params, click-to-reveal in gadget.yaml, and refresh when files change. Read through the extension's
// test command `igWorkbench._test.tree` (the tree's own items, as plain data).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { GadgetTree, Node, TreeSnapshot } from '../../../src/extension/tree';
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
    assert.deepEqual(roots.map((r) => r.label).sort(), ['broken', 'hello', 'opensnoop'], 'snap/meta/gadget.yaml is not a gadget');
    const hello = child(roots, 'hello');
    assert.equal(hello.contextValue, 'gadget', 'inline Run / Open gadget.yaml apply to gadget nodes');
    const greetings = child(hello.children, 'greetings');
    const comm = child(greetings.children, 'comm');
    const pid = child(greetings.children, 'pid');
    // Kinds come from the events file (or a run); gadget.yaml alone has no kinds.
    // Labels read once: the field's producer in the description, every source in the tooltip.
    assert.equal(comm.description, 'string · events');
    assert.equal(pid.description, 'uint32 · events');
    assert.match(comm.tooltip, /From: gadget\.yaml, events file/);
    assert.equal(hello.description, '', 'the folder repeats the name: not "hello hello"');
    assert.match(hello.tooltip, /Folder: `hello`/);
    assert.match(comm.tooltip, /Command name of the process/, 'the description annotation is in the tooltip');
    assert.match(comm.tooltip, /columns\.width/, 'annotations are in the tooltip');
    const params = child(hello.children, 'params');
    assert.match(child(params.children, 'greeting').description, /string = hello/);
    // The broken gadget has no kinds anywhere: its fields name their only source, the tooltip says the kind is unknown.
    const events = child(child(roots, 'broken').children, 'events');
    assert.equal(child(events.children, 'comm').description, 'gadget.yaml');
    assert.match(child(events.children, 'comm').tooltip, /kind unknown until the gadget runs/);
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

// VS Code's extension-host tree layer drops the answer of a getChildren still pending when the tree is
// refreshed, and answers [] for a gadget's children while a root fetch is pending; either left a gadget
// node expanded with no children (seen in the E2E suite). These tests drive the provider VS Code uses
// (the live object, through a test command) while files change under it.
describe('Gadgets tree while files change', () => {
  const helloYaml = () => fixtureUri('hello', 'gadget.yaml').fsPath;
  let original = '';
  let provider: GadgetTree;
  const helloNode = async (): Promise<Node> => {
    const n = (await provider.getChildren()).find((x) => x.type === 'gadget' && x.gadget.name === 'hello');
    assert.ok(n, 'hello among the roots');
    return n;
  };
  /** hello's gadget.yaml with one more field in `greetings`. */
  const withField = (name: string): string => original.replace('      pid:\n', `      ${name}:\n        annotations:\n          description: churn\n      pid:\n`);
  const greetingsFields = async (): Promise<string[]> =>
    child(child(await tree(), 'hello').children, 'greetings').children.map((f) => f.label);

  before(async () => {
    await activateExtension();
    await closeAllEditors(); // an open gadget.yaml is read from its editor, not from the file we rewrite
    original = fs.readFileSync(helloYaml(), 'utf8');
    provider = await vscode.commands.executeCommand<GadgetTree>('igWorkbench._test.treeProvider');
    assert.ok(provider && typeof provider.getChildren === 'function', 'the test command returns the live provider');
    await provider.getChildren(); // the first reading
  });
  afterEach(async () => {
    fs.writeFileSync(helloYaml(), original);
    await waitFor('hello back to its own fields', async () => { const f = await greetingsFields(); return f.join() === 'comm,pid' && f; });
  });

  it('answers getChildren from its last reading, before any I/O can run (so no refresh can land in between)', async () => {
    const hello = await helloNode();
    for (let i = 0; i < 10; i++) {
      fs.writeFileSync(helloYaml(), withField(`uid${i}`));
      await vscode.commands.executeCommand('igWorkbench.refreshGadgets').then(undefined, () => undefined);
      let settled = 0;
      void provider.getChildren().then(() => settled++);
      void provider.getChildren(hello).then(() => settled++);
      // setImmediate runs after pending I/O callbacks: an answer that waited on a file would still be pending.
      await new Promise((r) => setImmediate(r));
      assert.equal(settled, 2, `round ${i}: getChildren waited on I/O`);
    }
  });

  it('never tells VS Code to re-read while a getChildren is pending, and ends with the file\'s content', async () => {
    let pending = 0;
    let firedWhilePending = 0;
    let fired = 0;
    const sub = provider.onDidChangeTreeData(() => { fired++; if (pending > 0) firedWhilePending++; });
    const ask = async (node?: Node): Promise<Node[]> => {
      pending++;
      try { return await provider.getChildren(node); } finally { pending--; }
    };
    const answers: Promise<unknown>[] = [];
    const hello = await helloNode(); // an older node's children are answered from the current reading
    let last = '';
    try {
      for (let i = 0; i < 30; i++) {
        last = `churn${i}`;
        if (i % 5 === 0) fs.rmSync(helloYaml(), { force: true }); // deleted and recreated, as some editors save
        fs.writeFileSync(helloYaml(), withField(last));
        if (i % 3 === 0) answers.push(Promise.resolve(vscode.commands.executeCommand('igWorkbench.refreshGadgets')));
        answers.push(ask(), ask(hello));
        await new Promise((r) => setTimeout(r, (i * 37) % 160));
      }
      await Promise.all(answers); // none rejected
      const fields = await waitFor(`${last} in the tree`, async () => { const f = await greetingsFields(); return f.includes(last) && f; });
      assert.deepEqual(fields, ['comm', last, 'pid'], 'only the last version\'s fields');
    } finally {
      sub.dispose();
    }
    assert.ok(fired > 0, 'the changes did refresh the view');
    assert.equal(firedWhilePending, 0, `refreshed ${firedWhilePending} time(s) while VS Code awaited getChildren: those answers are thrown away`);
  });

  it('shows a failed reading as an error child naming the file, and reads once more by itself', async () => {
    await vscode.commands.executeCommand('igWorkbench._test.failTreeOnce', 'disk on fire');
    await vscode.commands.executeCommand('igWorkbench.refreshGadgets');
    const hello = child(await tree(), 'hello');
    assert.equal(hello.children.length, 1, JSON.stringify(hello.children.map((c) => c.label)));
    const error = hello.children[0]!;
    assert.equal(error.contextValue, 'error');
    assert.match(error.label, /Could not read this gadget: disk on fire/);
    assert.equal(error.description, 'hello/gadget.yaml');
    assert.deepEqual(error.command?.arguments[0]?.toString(), fixtureUri('hello', 'gadget.yaml').toString(), 'a click opens the file');
    // No file changes: the one retry after a failure brings the children back.
    await waitFor('greetings back under hello', async () => child(await tree(), 'hello').children.some((c) => c.label === 'greetings'));
  });

  it('names an events file that does not parse instead of showing the gadget without its data sources', async () => {
    const folder = fixtureUri('zz-bad-events');
    try {
      fs.mkdirSync(folder.fsPath, { recursive: true });
      fs.writeFileSync(vscode.Uri.joinPath(folder, 'gadget.yaml').fsPath, 'name: bad-events\ndatasources:\n  probes:\n    fields:\n      latency: {}\n');
      fs.writeFileSync(vscode.Uri.joinPath(folder, 'events.yaml').fsPath, 'datasources: [unclosed\n');
      const node = await waitFor('bad-events in the tree', async () => (await tree()).find((n) => n.label === 'bad-events'));
      const error = node.children.find((c) => c.contextValue === 'error');
      assert.ok(error, JSON.stringify(node.children.map((c) => c.label)));
      assert.match(error.label, /^events\.yaml does not parse: /);
      assert.equal(error.description, 'zz-bad-events/events.yaml');
      assert.ok(node.children.some((c) => c.label === 'probes'), 'gadget.yaml\'s data sources are still shown');
    } finally {
      fs.rmSync(folder.fsPath, { recursive: true, force: true });
    }
    await waitFor('bad-events to leave the tree', async () => !(await tree()).some((n) => n.label === 'bad-events'));
  });

  it('does not refresh the view when a change leaves the tree as it was', async () => {
    const refreshes = () => vscode.commands.executeCommand<number>('igWorkbench._test.treeRefreshes');
    const loads = () => vscode.commands.executeCommand<number>('igWorkbench._test.treeLoads');
    const before = await refreshes();
    const loadsBefore = await loads();
    fs.writeFileSync(helloYaml(), original); // same content, new mtime
    fs.writeFileSync(fixtureUri('hello', 'unrelated.wasm').fsPath, new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    try {
      await waitFor('the tree to read the workspace again', async () => (await loads()) > loadsBefore);
      assert.equal(await refreshes(), before, 'nothing changed, so VS Code was not told to re-read the tree');
    } finally {
      fs.rmSync(fixtureUri('hello', 'unrelated.wasm').fsPath, { force: true });
    }
  });
});
