// Run Gadget's orchestration without VS Code: real guests (the example's AssemblyScript module, the
// fixture's WAT) in the embedded host, real gadget folders and events files, and an in-memory UI that
// answers prompts from a script and records what it was asked and shown.
import * as assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult } from '../../../src/host/api';
import { EmbeddedEngine, RunOrchestrator, type Engine, type RunEvent, type RunSetup, type RunningRun } from '../../../src/workbench/run';
import { compileWat } from '../../support/wat';
import { helloWasm } from '../cli/helpers';
import { FsGadgetFiles, MemoryRunUi, gadgetIn, type TestGadget } from './run-support';

const ROOT = path.resolve(__dirname, '../../../..');
const EXAMPLE = path.join(ROOT, 'examples/hello');
const FIXTURE = path.join(ROOT, 'test/fixtures/workspace/hello');

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 500) throw new Error(`not true after 10 s: ${cond.toString()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('workbench run orchestration', function () {
  this.timeout(60_000);
  let tmp: string;
  let hello: TestGadget;
  let fixture: TestGadget;

  /** A gadget folder in tmp made of `files` (name → source path or content). */
  function folder(name: string, files: Record<string, string | Uint8Array>): TestGadget {
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    for (const [f, src] of Object.entries(files)) {
      if (typeof src === 'string' && path.isAbsolute(src)) copyFileSync(src, path.join(dir, f));
      else writeFileSync(path.join(dir, f), src);
    }
    return gadgetIn(dir);
  }

  function setup(ui: MemoryRunUi, files = new FsGadgetFiles(), engine: Engine = new EmbeddedEngine()): RunOrchestrator<TestGadget> {
    return new RunOrchestrator(ui, files, engine);
  }

  before(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ig-run-orch-'));
    hello = folder('hello', {
      'gadget.yaml': path.join(EXAMPLE, 'gadget.yaml'), 'events.yaml': path.join(EXAMPLE, 'events.yaml'), 'hello.wasm': helloWasm(),
    });
    fixture = folder('fixture', {
      'gadget.yaml': path.join(FIXTURE, 'gadget.yaml'), 'hello.wasm': await compileWat(readFileSync(path.join(FIXTURE, 'hello.wat'), 'utf8'), 'hello.wat'),
    });
  });

  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('asks for the events file and params, runs the example and shows its packets with the field its module adds', async () => {
    const ui = new MemoryRunUi({
      pickEvents: (files, last) => { assert.equal(last, undefined); assert.deepEqual(files.map((f) => path.basename(f)), ['events.yaml']); return files[0]; },
      askParam: (q) => { assert.equal(q.key, 'verb'); assert.equal(q.initial, 'opened'); return 'read'; },
    });
    const orch = setup(ui);
    const session = await orch.run(hello);
    assert.ok(session);
    const result = await session.done;
    assert.equal(result.ok, true, JSON.stringify(result.error));
    assert.equal(result.packets, 4);
    const [grid] = ui.grids;
    assert.equal(grid.rows.length, 4);
    assert.match(String(grid.rows[1].human), /'\/etc\/passwd' was read by 2201/);
    assert.equal(grid.ended?.ok, true);
    assert.equal(grid.metadata?.datasources.open.fields.human.annotations['columns.width'], '48', 'the grid gets gadget.yaml\'s columns');
    assert.deepEqual(ui.notices, [{ kind: 'done', message: 'hello: 4 packets' }]);
    assert.equal(ui.tracking, 0, 'the progress display ended');
    const s = session.summary();
    assert.equal(s.state, 'done');
    assert.deepEqual(s.params, { verb: 'read' });
    assert.ok(s.logs.some((l) => /run #1: hello\.wasm with events from events\.yaml/.test(l)), s.logs.join('\n'));
    assert.ok(orch.dataSourcesOf(hello.key)?.find((d) => d.name === 'open')?.fields.some((f) => f.name === 'human'));
    assert.deepEqual(ui.memory.get(`params:${hello.key}`), { verb: 'read' });
    assert.equal(ui.memory.get(`events:${hello.key}`), path.join(hello.folder, 'events.yaml'));

    // Re-run: the same inputs, nothing asked.
    ui.script = {};
    const again = await orch.rerun();
    assert.equal((await again!.done).ok, true);
    assert.deepEqual(again!.summary().params, { verb: 'read' });
    assert.equal(orch.lastEnded?.id, 2);
    orch.dispose();
  });

  it('offers the remembered events file first and takes remembered params without asking when some are given', async () => {
    const ui = new MemoryRunUi({ pickEvents: (_files, last) => last });
    ui.memory.set(`events:${hello.key}`, null);
    ui.memory.set(`params:${hello.key}`, { verb: 'seen' });
    const orch = setup(ui);
    const session = await orch.run(hello, { params: {}, untilStopped: false });
    assert.equal(session!.request.events, null);
    assert.deepEqual(session!.request.params, { verb: 'seen' });
    await session!.done;
    orch.dispose();
  });

  it("puts the guest's own words and a hint in the notice when a run without events fails in gadgetInit", async () => {
    const ui = new MemoryRunUi({ notice: (n) => (n.kind === 'error' ? 'Show Log' : undefined) });
    const orch = setup(ui);
    const result = await (await orch.run(hello, { events: null, params: {} }))!.done;
    assert.equal(result.ok, false);
    assert.equal(result.error?.phase, 'gadgetInit');
    const notice = ui.notices.find((n) => n.kind === 'error');
    assert.ok(notice, JSON.stringify(ui.notices));
    assert.match(notice.message, /failed in gadgetInit/);
    assert.match(notice.message, /the gadget said: "init: no 'open' data source"/);
    assert.match(notice.message, /without an events file.*pick an events file/);
    await new Promise((r) => setImmediate(r));
    assert.equal(ui.logShown, 1, 'Show Log opens the log');
    orch.dispose();
  });

  it('runs until stopped without an events file; stop ends it cleanly and the orchestrator reports each change', async () => {
    const ui = new MemoryRunUi();
    const orch = setup(ui);
    let changes = 0;
    orch.onDidChange(() => changes++);
    const session = await orch.run(fixture, { events: null, params: {} });
    assert.equal(orch.active.length, 1);
    await waitFor(() => ui.lines.some((l) => /running until stopped/.test(l)));
    assert.equal(session!.summary().state, 'running');
    const result = await orch.stop();
    assert.equal(result?.ok, true, JSON.stringify(result?.error));
    assert.equal(session!.summary().state, 'done');
    assert.deepEqual(orch.active, []);
    assert.ok(ui.lines.some((l) => /info: \[fixture\] hello from the fixture gadget/.test(l)), ui.lines.join('\n'));
    assert.ok(changes >= 2, 'started and ended');
    orch.dispose();
  });

  it('says what a gadget without a wasm module or an eBPF object lacks and offers ways out, not a file dialog', async () => {
    const lonely = folder('lonely', { 'gadget.yaml': 'name: lonely\n' });
    const files = new FsGadgetFiles();
    files.others = 2;
    let shown: { message: string; actions: string[] } | undefined;
    const ui = new MemoryRunUi({ noWasm: (message, actions) => { shown = { message, actions }; return 'runAnother'; } });
    const orch = setup(ui, files);
    assert.equal(await orch.run(lonely), undefined);
    assert.deepEqual(ui.asked, ['noWasm'], 'no file dialog');
    assert.match(shown!.message, /lonely has no wasm module and no eBPF object to run/);
    assert.deepEqual(shown!.actions, ['runAnother', 'pickWasm']);
    assert.deepEqual(ui.wayOuts, ['runAnother lonely']);

    // With eBPF source, building the object comes first; picking a module by hand is still possible.
    writeFileSync(path.join(lonely.folder, 'program.bpf.c'), '// source\n');
    ui.asked.length = 0;
    ui.script = {
      noWasm: (message, actions) => { shown = { message, actions }; return 'pickWasm'; },
      browseWasm: () => path.join(fixture.folder, 'hello.wasm'),
    };
    const session = await orch.run(lonely, { events: null });
    assert.deepEqual(shown!.actions, ['buildObject', 'runAnother', 'pickWasm']);
    assert.match(shown!.message, /Build its eBPF object/);
    assert.deepEqual(ui.asked, ['noWasm', 'browseWasm']);
    assert.equal((await session!.stop()).ok, true);
    assert.equal(files.remembered.get(lonely.key), path.join(fixture.folder, 'hello.wasm'), 'the choice is remembered');
    orch.dispose();
  });

  it('asks which module when several are found, and browses when asked to', async () => {
    const two = folder('two', { 'gadget.yaml': 'name: two\n', 'a.wasm': path.join(fixture.folder, 'hello.wasm'), 'b.wasm': path.join(fixture.folder, 'hello.wasm') });
    const ui = new MemoryRunUi({ pickWasm: (c) => { assert.deepEqual(c.map((f) => path.basename(f)), ['a.wasm', 'b.wasm']); return { file: c[1] }; } });
    const orch = setup(ui);
    const s = await orch.run(two, { events: null });
    assert.equal(s!.request.wasm, path.join(two.folder, 'b.wasm'));
    assert.equal((await s!.stop()).ok, true);
    ui.script = { pickWasm: () => ({ browse: true }), browseWasm: () => undefined };
    assert.equal(await setup(ui).run(two, { events: null }), undefined, 'cancelled in the file dialog');
    assert.deepEqual(ui.asked, ['pickWasm', 'pickWasm', 'browseWasm']);
    orch.dispose();
  });

  it('reports an events file with a bad value as a load failure naming its line, before anything runs', async () => {
    const bad = folder('bad', {
      'gadget.yaml': path.join(EXAMPLE, 'gadget.yaml'), 'hello.wasm': helloWasm(),
      'events.yaml': 'datasources:\n  open:\n    fields:\n      pid: uint32\n      filename: string\nevents:\n  - datasource: open\n    data: {pid: lots, filename: /x}\n',
    });
    const ui = new MemoryRunUi();
    const orch = setup(ui);
    const result = await (await orch.run(bad, { events: path.join(bad.folder, 'events.yaml'), params: {} }))!.done;
    assert.equal(result.error?.phase, 'load');
    assert.match(result.error!.message, /events\.yaml:8/);
    const notice = ui.notices[0];
    assert.equal(notice.kind, 'error');
    assert.match(notice.message, /Gadget bad failed in load: .*events\.yaml:8/);
    assert.equal(ui.grids.length, 0, 'nothing ran, no grid');
    orch.dispose();
  });

  it('runs on another engine the same way: its events reach the grid and the log, its stderr explains its failure', async () => {
    // An engine shaped like a child process (`ig run … -o json`): it reports data sources, packets and a
    // stderr line, and ends with an error. It checks the setup it is given.
    let given: RunSetup | undefined;
    const engine: Engine = {
      name: 'scripted',
      start(setup): RunningRun {
        given = setup;
        const listeners = new Set<(e: RunEvent) => void>();
        const emit = (e: RunEvent): void => { for (const l of listeners) l(e); };
        const result: RunResult = { ok: false, error: { phase: 'gadgetStart', message: 'exit status 1' }, config: setup.config, packets: 2 };
        const done = (async () => {
          await Promise.resolve();
          emit({ type: 'datasources', datasources: [{ name: 'open', type: 'single', origin: 'host', fields: [{ name: 'pid', kind: 'uint32', tags: [], origin: 'host' }] }] });
          emit({ type: 'packets', batch: { datasource: 'open', fields: ['pid'], rows: [[1], [2]], packet: [1, 2] } });
          emit({ type: 'log', level: 'error', stream: 'stderr', message: 'Error: running gadget: permission denied' });
          return result;
        })();
        return { onEvent: (l) => { listeners.add(l); return () => listeners.delete(l); }, done, stop: () => done, terminate: () => undefined };
      },
    };
    const ui = new MemoryRunUi();
    const orch = setup(ui, new FsGadgetFiles(), engine);
    const s = await orch.run(hello, { events: path.join(hello.folder, 'events.yaml'), params: { verb: 'x' } });
    await s!.done;
    assert.equal(given?.events?.events.length, 4, 'the events file, parsed');
    assert.deepEqual(given?.params, { verb: 'x' });
    assert.equal((given?.config as { name?: string }).name, 'hello');
    assert.equal(given?.untilStopped, false);
    assert.deepEqual(ui.grids[0].rows, [{ pid: 1 }, { pid: 2 }]);
    assert.equal(s!.summary().packets, 2);
    assert.ok(ui.lines.includes('error: [hello] stderr: Error: running gadget: permission denied'));
    assert.match(ui.notices[0].message, /failed in gadgetStart: exit status 1 — the gadget said: "Error: running gadget: permission denied"/);
    orch.dispose();
  });
});
