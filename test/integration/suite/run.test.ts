// Run Gadget inside VS Code: real wasm modules run in the host's worker — the example gadget (AssemblyScript,
// built by `node scripts/build.mjs`) and the fixture's WAT gadget compiled here — with their log lines in the
// run's record of the output channel, packets handed to the grid, Stop, two runs side by side, and a guest
// stuck in an endless loop that must not freeze VS Code.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../../src/extension/run';
import { compileWat } from '../../support/wat';
import { bpfObject } from '../../support/bpf';
import { activateExtension, closeAllEditors, fixtureUri, waitFor } from '../helpers';

type GridStats = { datasource: string; received: number; shown: number }[];
type Finished = RunSummary & { grid?: GridStats };

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const example = (...p: string[]) => path.join(repoRoot, 'examples', 'hello', ...p);

function run(target: vscode.Uri, request: object): Thenable<RunSummary | undefined> {
  return vscode.commands.executeCommand<RunSummary | undefined>('igWorkbench.runGadget', target, request);
}
function awaitRun(id: number): Thenable<Finished> {
  return vscode.commands.executeCommand<Finished>('igWorkbench._test.awaitRun', id);
}
const activeRuns = () => vscode.commands.executeCommand<RunSummary[]>('igWorkbench._test.activeRuns');
const hasLine = (r: RunSummary, re: RegExp) => r.logs.some((l) => re.test(l));

describe('Run Gadget', function () {
  this.timeout(90_000);
  const fixtureWasm = fixtureUri('hello', 'hello.wasm').fsPath;

  before(async () => {
    await activateExtension();
    const wat = fixtureUri('hello', 'hello.wat').fsPath;
    fs.writeFileSync(fixtureWasm, await compileWat(fs.readFileSync(wat, 'utf8'), wat));
  });
  after(async () => {
    fs.rmSync(fixtureWasm, { force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await closeAllEditors();
  });

  it('runs the example gadget to completion: its log lines, and its packets handed to the grid', async () => {
    assert.ok(fs.existsSync(example('hello.wasm')), 'examples/hello/hello.wasm is missing: run `node scripts/build.mjs` first');
    const started = await run(vscode.Uri.file(example('gadget.yaml')), { events: example('events.yaml'), params: { verb: 'opened' } });
    assert.ok(started, 'Run Gadget returned the run');
    assert.equal(started.gadget, 'hello');
    assert.equal(path.basename(started.wasm), 'hello.wasm', 'the module was found in its conventional place');
    const done = await awaitRun(started.id);
    assert.equal(done.result?.ok, true, `the run failed: ${JSON.stringify(done.result?.error)}; log: ${done.logs.join('\n')}`);
    assert.equal(done.packets, 4);
    for (const re of [/\[hello\] phase gadgetInit/, /\[hello\] init: hello from wasm \(verb: opened\)/, /\[hello\] stop: 4 events seen/, /\[hello\] done: 4 packets/]) {
      assert.ok(hasLine(done, re), `log line ${re} in:\n${done.logs.join('\n')}`);
    }
    const open = done.datasources.find((d) => d.name === 'open');
    assert.ok(open?.fields.some((f) => f.name === 'human' && f.origin === 'guest'), 'the guest added `human`');
    // The grid flushes on a timer: wait until its page reports what it received.
    const grid = await waitFor('the grid to show 4 rows of `open`', async () => {
      const g = (await awaitRun(started.id)).grid;
      return g?.find((s) => s.datasource === 'open' && s.received === 4) ? g : undefined;
    });
    assert.equal(grid.find((s) => s.datasource === 'open')?.shown, 4);
  });

  it('runs a workspace gadget found through build.yaml; the tree then shows the field its wasm module added', async () => {
    const started = await run(fixtureUri('hello', 'gadget.yaml'), { events: fixtureUri('hello', 'events.yaml').fsPath, params: {} });
    assert.ok(started);
    assert.equal(started.wasm, fixtureWasm, 'build.yaml names hello.wasm');
    assert.deepEqual(started.params, { greeting: 'hello' }, 'params take their gadget.yaml defaults');
    const done = await awaitRun(started.id);
    assert.equal(done.result?.ok, true, JSON.stringify(done.result?.error));
    assert.equal(done.packets, 3);
    assert.ok(hasLine(done, /\[hello\] hello from the fixture gadget/), done.logs.join('\n'));
    assert.ok(hasLine(done, /\[hello\] gadget started/));

    // The tree re-reads the workspace shortly after a run reports its data sources (debounced, see tree.ts).
    let fields: string[] = [];
    const greeting = await waitFor('the guest\'s field in the tree', async () => {
      interface TreeNode { label: string; description: string; children?: TreeNode[] }
      const tree = await vscode.commands.executeCommand<TreeNode[]>('igWorkbench._test.tree');
      const greetings = tree.find((n) => n.label === 'hello')?.children?.find((n) => n.label === 'greetings');
      fields = greetings?.children?.map((c) => c.label) ?? [];
      return greetings?.children?.find((n) => n.label === 'greeting');
    }).catch((e: Error) => assert.fail(`${e.message}; fields: ${JSON.stringify(fields)}`));
    assert.equal(greeting.description, 'string · wasm');
  });

  it('Stop Gadget stops a gadget that runs until stopped, with a second one running beside it', async () => {
    const a = await run(fixtureUri('hello', 'gadget.yaml'), { events: null, params: {} });
    // The example needs its events file's `open` data source; it keeps running after the events are done.
    const b = await run(vscode.Uri.file(example('gadget.yaml')), { events: example('events.yaml'), params: {}, untilStopped: true });
    assert.ok(a && b);
    await waitFor('both runs active', async () => (await activeRuns()).length === 2);
    // Both reach gadgetStart and keep running.
    for (const r of [a, b]) {
      await waitFor(`run ${r.id} to reach "running until stopped"`, async () => hasLine((await activeRuns()).find((x) => x.id === r.id)!, /running until stopped/));
    }

    const resultA = await vscode.commands.executeCommand<{ ok: boolean }>('igWorkbench.stopGadget', a.id);
    const doneA = await awaitRun(a.id);
    assert.equal(resultA?.ok, true, `${JSON.stringify(resultA)}\n${doneA.logs.join('\n')}`);
    assert.ok(hasLine(doneA, /phase gadgetStop/), 'gadgetStop ran');
    assert.deepEqual((await activeRuns()).map((r) => r.id), [b.id], 'the other run goes on');

    await vscode.commands.executeCommand('igWorkbench.stopGadget', b.id);
    const doneB = await awaitRun(b.id);
    assert.equal(doneB.result?.ok, true, JSON.stringify(doneB.result?.error));
    assert.equal(doneB.packets, 4, doneB.logs.join('\n'));
    assert.ok(hasLine(doneB, /stop: 4 events seen/));
    assert.deepEqual(await activeRuns(), []);
  });

  it('a guest in an endless loop is stopped with an error naming the phase, and VS Code stays responsive', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-spin-'));
    const config = vscode.workspace.getConfiguration('igWorkbench');
    try {
      fs.writeFileSync(path.join(dir, 'gadget.yaml'), 'name: spin\ndescription: loops forever in gadgetInit\n');
      fs.writeFileSync(path.join(dir, 'spin.wasm'), await compileWat(`(module
        (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
        (func (export "gadgetInit") (result i32) (loop $forever (br $forever)) (i32.const 0)))`, 'spin.wat'));
      await config.update('run.callTimeoutMs', 1500, vscode.ConfigurationTarget.Global);

      const started = await run(vscode.Uri.file(path.join(dir, 'gadget.yaml')), { events: null, params: {} });
      assert.ok(started);
      // While the guest spins, the extension host still answers commands and runs timers.
      const tick = await new Promise<number>((resolve) => { const t0 = Date.now(); setTimeout(() => resolve(Date.now() - t0), 50); });
      assert.ok(tick < 1000, `a 50 ms timer took ${tick} ms`);
      const during = await activeRuns();
      assert.ok(during.some((r) => r.id === started.id && r.state !== 'done'), 'the run is still going while we ask');

      const done = await awaitRun(started.id);
      assert.equal(done.result?.ok, false);
      assert.equal(done.result?.error?.phase, 'gadgetInit');
      assert.match(done.result?.error?.message ?? '', /did not return within 1500 ms/);
      assert.ok(hasLine(done, /\[spin\] gadgetInit failed/), done.logs.join('\n'));
    } finally {
      await config.update('run.callTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a module that is not wasm as a load error, without running anything', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-bad-'));
    try {
      fs.writeFileSync(path.join(dir, 'gadget.yaml'), 'name: bad\n');
      fs.writeFileSync(path.join(dir, 'bad.wasm'), 'this is not a wasm module');
      const started = await run(vscode.Uri.file(path.join(dir, 'gadget.yaml')), { events: null, params: {} });
      assert.ok(started);
      const done = await awaitRun(started.id);
      assert.equal(done.result?.ok, false);
      assert.equal(done.result?.error?.phase, 'load');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends a gadget that fails with an error naming the phase: API version, unsupported import, trap', async () => {
    const cases: { name: string; wat: string; phase: string; message: RegExp }[] = [
      { name: 'v2', phase: 'gadgetAPIVersion', message: /unsupported gadget API version: 2/,
        wat: '(module (func (export "gadgetAPIVersion") (result i64) (i64.const 2)))' },
      { name: 'imports', phase: 'load', message: /ig\.noSuchThing \(i32\) -> \(\)/,
        wat: '(module (import "ig" "noSuchThing" (func (param i32))) (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))' },
      { name: 'trap', phase: 'gadgetStart', message: /unreachable/,
        wat: '(module (func (export "gadgetAPIVersion") (result i64) (i64.const 1)) (func (export "gadgetStart") (result i32) unreachable))' },
    ];
    for (const c of cases) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ig-${c.name}-`));
      try {
        fs.writeFileSync(path.join(dir, 'gadget.yaml'), `name: ${c.name}\n`);
        fs.writeFileSync(path.join(dir, `${c.name}.wasm`), await compileWat(c.wat, `${c.name}.wat`));
        const started = await run(vscode.Uri.file(path.join(dir, 'gadget.yaml')), { events: null, params: {} });
        assert.ok(started);
        const done = await awaitRun(started.id);
        assert.equal(done.result?.ok, false, c.name);
        assert.equal(done.result?.error?.phase, c.phase, `${c.name}: ${JSON.stringify(done.result?.error)}`);
        assert.match(done.result?.error?.message ?? '', c.message);
        assert.ok(hasLine(done, new RegExp(`\\[${c.name}\\] ${c.phase} failed`)), done.logs.join('\n'));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('runs with the gadget\'s eBPF object and the events file\'s maps: the tree lists the maps, a grid shows entries', async () => {
    const config = vscode.workspace.getConfiguration('igWorkbench', fixtureUri('hello'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ig-maps-'));
    try {
      await config.update('run.ebpfObject', bpfObject('kernel'), vscode.ConfigurationTarget.Global);
      const events = path.join(dir, 'events.yaml');
      // Maps only: no `greetings` data source, so the tree's fields of hello stay as the tests after this expect.
      fs.writeFileSync(events, `maps:
  test_map:
    entries: [{key: {a: 42, b: 42, c: 43}, value: [7, 0, 0, 0]}]
  config_map:
    entries: [{key: [1, 0, 0, 0], value: {threshold: 100, comm: bash}}]
`);
      const started = await run(fixtureUri('hello', 'gadget.yaml'), { events, params: {} });
      assert.ok(started);
      const done = await awaitRun(started.id);
      assert.equal(done.result?.ok, true, `${JSON.stringify(done.result?.error)}\n${done.logs.join('\n')}`);
      assert.equal(done.ebpfObject, bpfObject('kernel'));
      assert.deepEqual(done.maps.map((m) => `${m.name}:${m.entries}`), ['test_map:1', 'map_of_map:0', 'config_map:2', 'counts:1', 'events:0']);

      type Item = { label: string; description: string; contextValue: string; command?: { command: string; arguments: unknown[] }; children: Item[] };
      // The object's maps are listed under `maps`; after the run each says how many entries it held.
      const item = await waitFor('the maps in the tree with their entry counts', async () => {
        const tree = await vscode.commands.executeCommand<Item[]>('igWorkbench._test.tree');
        const m = tree.find((n) => n.label === 'hello')?.children.find((n) => n.label === 'maps')?.children.find((n) => n.label === 'config_map');
        return m?.command ? m : undefined;
      });
      assert.equal(item.description, 'Array · 2/2 entries');
      assert.equal(item.contextValue, 'map');
      assert.equal(item.command?.command, 'igWorkbench.showMapEntries');
      const rows = await vscode.commands.executeCommand<{ key: string; value: string }[]>(item.command.command, ...item.command.arguments);
      assert.deepEqual(rows, [{ key: '0', value: '{"threshold":0,"comm":""}' }, { key: '1', value: '{"threshold":100,"comm":"bash"}' }]);
      const testMap = await vscode.commands.executeCommand<{ key: string; value: string }[]>('igWorkbench.showMapEntries', { gadgetKey: done.gadgetKey, map: 'test_map' });
      assert.deepEqual(testMap, [{ key: '{"a":42,"b":42,"c":43}', value: '7' }]);
    } finally {
      await config.update('run.ebpfObject', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
