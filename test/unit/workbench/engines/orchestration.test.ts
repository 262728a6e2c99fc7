// Runs on IG's own engines through the run orchestration (the same one Run Gadget uses), against the
// stand-in `ig` / `kubectl-gadget` on PATH: the example gadget's folder, its params asked as for the
// embedded host, the recording streamed into the grid, IG's logs in the run's log, one notice on failure.
import * as assert from 'node:assert/strict';
import { delimiter, resolve } from 'node:path';
import { RunOrchestrator } from '../../../../src/workbench/run';
import { ProcessEngine, type ProcessEngineOptions } from '../../../../src/workbench/engines';
import { FsGadgetFiles, MemoryRunUi, gadgetIn } from '../run-support';

const ROOT = resolve(__dirname, '../../../../..');
const STANDINS = resolve(ROOT, 'test/fixtures/engines');
const hello = gadgetIn(resolve(ROOT, 'examples/hello'));

function engine(more: Partial<ProcessEngineOptions> = {}, env: Record<string, string> = {}): ProcessEngine {
  return new ProcessEngine({
    kind: 'ig', executable: 'ig', prefix: [], image: 'hello:dev', graceMs: 2000,
    env: { ...process.env, PATH: `${STANDINS}${delimiter}${process.env.PATH ?? ''}`, STANDIN_INTERVAL_MS: '5', ...env }, ...more,
  });
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; !cond(); i++) {
    if (i > 500) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('engines: runs through the orchestration', function () {
  this.timeout(30_000);

  it('Run Gadget on ig: no module or events asked, the params are; events into the grid, IG\'s logs into the log; Stop ends it', async () => {
    const ui = new MemoryRunUi();
    ui.script.askParam = (q) => (q.key === 'verb' ? 'read' : undefined);
    const orch = new RunOrchestrator(ui, new FsGadgetFiles(), engine());
    const s = (await orch.run(hello, {}, engine()))!;
    await waitFor(() => ui.grids[0]?.rows.length === 3, 'three rows in the grid');
    assert.deepEqual(ui.asked, ['askParam']);
    assert.deepEqual(ui.grids[0].rows.map((r) => [r.comm, r.pid, r['k8s.namespace']]), [['cat', 121351, 'default'], ['sh', 121360, 'default'], ['vi', 121377, 'tools']]);
    assert.ok(ui.grids[0].datasources[0].fields.some((f) => f.name === 'human'), 'gadget.yaml\'s fields are columns from the start');
    assert.ok(ui.lines.includes('info: [hello] ig run hello:dev -o json --verb=read'), ui.lines.join('\n'));
    assert.ok(ui.lines.includes('info: [hello] params: verb=read'));
    assert.ok(ui.lines.some((l) => l.startsWith('warn: [hello] This gadget was built with')));
    const result = await orch.stop(s.id);
    assert.deepEqual({ ok: result?.ok, packets: result?.packets }, { ok: true, packets: 3 });
    assert.equal(s.summary().state, 'done');
    orch.dispose();
  });

  it('on Kubernetes: the selectors and the context reach kubectl gadget; no cluster is one notice saying so', async () => {
    const ui = new MemoryRunUi();
    const kube = engine({ kind: 'kubectl-gadget', executable: 'kubectl-gadget', selectors: { namespace: 'demo' }, context: 'kind-dev', contextShown: 'kind-dev' }, { STANDIN_FAIL: 'cluster' });
    assert.equal(kube.title, 'on Kubernetes (kind-dev)');
    const orch = new RunOrchestrator(ui, new FsGadgetFiles(), kube);
    const s = (await orch.run(hello, { params: { verb: 'x' } }, kube))!;
    const result = await s.done;
    assert.equal(result.ok, false);
    assert.equal(ui.notices.length, 1);
    assert.match(ui.notices[0].message, /^Gadget hello failed in load: no reachable Kubernetes cluster \(context kind-dev\).*install-kubernetes\) — the gadget said: "fetching gadget information: .*connection refused"$/);
    assert.ok(ui.lines.some((l) => /^error: \[hello\] no reachable Kubernetes cluster .*: fetching gadget information/.test(l)), 'the whole failure in the log');
    assert.ok(ui.lines.some((l) => l.includes('kubectl-gadget run hello:dev -o json --namespace demo --context kind-dev --verb=x')));
    orch.dispose();
  });

  it('ig not installed: one notice with IG\'s install docs; the grid is told the run ended', async () => {
    const ui = new MemoryRunUi();
    const missing = engine({ executable: 'ig-not-installed-here' });
    const orch = new RunOrchestrator(ui, new FsGadgetFiles(), missing);
    const s = (await orch.run(hello, { params: {} }, missing))!;
    assert.equal((await s.done).ok, false);
    assert.equal(ui.notices.length, 1);
    assert.match(ui.notices[0].message, /ig is not installed or not on PATH \('ig-not-installed-here' not found\).*install-linux/);
    assert.equal(ui.grids[0].ended?.ok, false);
    orch.dispose();
  });

  it('settings IG would refuse are a load failure before anything starts', async () => {
    const ui = new MemoryRunUi();
    const bad = engine({ selectors: { podname: 'p' } });
    const orch = new RunOrchestrator(ui, new FsGadgetFiles(), bad);
    const result = await (await orch.run(hello, { params: {} }, bad))!.done;
    assert.match(result.error!.message, /ig filters by container name only; podname need kubectl gadget/);
    orch.dispose();
  });
});
