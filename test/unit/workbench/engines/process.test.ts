// Engine runs as child processes, against the stand-ins in test/fixtures/engines (real processes, real
// pipes, real signals) — and against the real `ig` where it is installed.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { HostEvent, PacketBatch } from '../../../../src/host/api';
import {
  EngineProcess, builtImage, igRunArgs, imageBuildArgs, imageBuildDiagnostics, kubectlGadgetRunArgs, runCommand, withPrefix, type EngineKind, type EngineProcessOptions,
} from '../../../../src/workbench/engines';

const STANDINS = resolve(__dirname, '../../../../../test/fixtures/engines');

interface Run { proc: EngineProcess; events: HostEvent[]; argsFile: string }

function start(engine: EngineKind, args: string[], env: Record<string, string> = {}, more: Partial<EngineProcessOptions> & { prefix?: string[] } = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'wb-engine-'));
  const argsFile = join(dir, 'args.json');
  const proc = new EngineProcess({
    engine, command: withPrefix(more.prefix ?? [], engine, args),
    datasources: [{ name: 'open', fields: [{ name: 'comm', kind: 'string' }, { name: 'pid', kind: 'uint32' }] }],
    env: { ...process.env, PATH: `${STANDINS}${delimiter}${process.env.PATH ?? ''}`, STANDIN_ARGS_FILE: argsFile, STANDIN_INTERVAL_MS: '5', ...env },
    graceMs: 2000, ...more,
  });
  const events: HostEvent[] = [];
  proc.onEvent((e) => events.push(e));
  proc.start();
  void proc.done.finally(() => rmSync(dir, { recursive: true, force: true }));
  return { proc, events, argsFile };
}

const rows = (events: HostEvent[]): PacketBatch['rows'] => events.flatMap((e) => (e.type === 'packets' ? e.batch.rows : []));
const logs = (events: HostEvent[]): string[] => events.flatMap((e) => (e.type === 'log' ? [`${e.level}: ${e.message}`] : []));

async function until(cond: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('engines: runs as child processes (stand-ins)', function () {
  this.timeout(20000);

  it('ig run: the events stream into the grid\'s events, logs at their levels; Stop sends SIGINT and it ends cleanly', async () => {
    const args = igRunArgs({ image: 'hello:dev', params: { greeting: 'hi' } });
    const r = start('ig', args);
    assert.equal(r.events[0].type, 'datasources', 'the tabs come before the first event');
    await until(() => rows(r.events).length === 3, 'the three recorded events');
    assert.deepEqual(JSON.parse(readFileSync(r.argsFile, 'utf8')), ['run', 'hello:dev', '-o', 'json', '--greeting=hi']);
    assert.deepEqual(rows(r.events).map((row) => row.slice(0, 2)), [['cat', 121351], ['sh', 121360], ['vi', 121377]]);
    assert.ok(logs(r.events).includes('info: init: hello from wasm (ig hello:dev)'), logs(r.events).join('\n'));
    assert.ok(logs(r.events).some((l) => l.startsWith('warn: This gadget was built with')));
    assert.ok(logs(r.events).includes('info: params: greeting=hi'));
    const result = await r.proc.stop();
    assert.deepEqual({ ok: result.ok, stopped: result.stopped, code: result.code, packets: result.packets }, { ok: true, stopped: true, code: 0, packets: 3 });
    assert.ok(logs(r.events).includes('info: stopping the gadget'), 'the stand-in saw SIGINT');
  });

  it('a gadget that ends on its own: ok, not stopped', async () => {
    const r = start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_EXIT_AFTER: '1' });
    const result = await r.proc.done;
    assert.deepEqual({ ok: result.ok, stopped: result.stopped, packets: result.packets }, { ok: true, stopped: false, packets: 3 });
  });

  it('an engine that ignores SIGINT is killed after the grace period', async () => {
    const r = start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_IGNORE_SIGINT: '1' }, { graceMs: 300 });
    await until(() => rows(r.events).length === 3, 'the events');
    const result = await r.proc.stop();
    assert.equal(result.signal, 'SIGKILL');
    assert.equal(result.ok, true);
    assert.ok(logs(r.events).some((l) => /^warn: no exit 300 ms after SIGINT: killing it/.test(l)));
  });

  it('a prefix that exits while the engine it started holds the output open: the run still ends', async () => {
    // `sh -c 'ig … & exit 0'` stands for a killed sudo whose ig runs on; the stand-in ends by itself later.
    const r = start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_EXIT_AFTER: '1', STANDIN_INTERVAL_MS: '800' }, { prefix: ['sh', '-c', '"$0" "$@" & exit 0'] });
    const result = await r.proc.done;
    assert.equal(result.code, 0);
    assert.ok(logs(r.events).some((l) => /^warn: sh exited but its output stays open/.test(l)), logs(r.events).join('\n'));
  });

  it('IG\'s error ends the run with one message quoting it', async () => {
    const r = start('ig', igRunArgs({ image: 'ghcr.io/x/no-such-image:1' }));
    const result = await r.proc.done;
    assert.equal(result.ok, false);
    assert.equal(result.failure?.kind, 'failed');
    assert.equal(result.failure!.message, 'ig exited with status 1');
    assert.match(result.failure!.cause!, /^fetching gadget information: .*pulling image "ghcr.io\/x\/no-such-image:1": not found$/);
    assert.ok(logs(r.events).some((l) => l.startsWith('error: fetching gadget information')), 'IG\'s own line is in the log');
  });

  it('a crash after start: the guest\'s error in the log, IG\'s in the failure', async () => {
    const r = start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_FAIL: 'crash' });
    const result = await r.proc.done;
    assert.match(result.failure!.cause!, /gadgetStart failed/);
    assert.ok(logs(r.events).includes('error: gadgetStart: wasm guest trapped: unreachable'));
  });

  it('ig without root: the prefix setting to set', async () => {
    const result = await start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_FAIL: 'rights' }).proc.done;
    assert.equal(result.failure?.kind, 'rights');
    assert.match(result.failure!.message, /ig needs root.*igWorkbench\.engines\.commandPrefix/);
  });

  it('through `sudo -n`: SIGINT is relayed; a password prompt is one clear message', async () => {
    const r = start('ig', igRunArgs({ image: 'hello:dev' }), {}, { prefix: ['sudo', '-n'] });
    await until(() => rows(r.events).length === 3, 'the events through sudo');
    const ok = await r.proc.stop();
    assert.equal(ok.ok, true);
    assert.ok(logs(r.events).includes('info: stopping the gadget'));
    const pw = await start('ig', igRunArgs({ image: 'hello:dev' }), { STANDIN_SUDO_PASSWORD: '1' }, { prefix: ['sudo', '-n'] }).proc.done;
    assert.equal(pw.failure?.kind, 'rights');
    assert.match(pw.failure!.message, /'sudo -n' asks for a password/);
  });

  it('not installed: one message naming the setting and IG\'s install docs', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'wb-nopath-'));
    try {
      const r = start('ig', ['version'], { PATH: empty });
      const result = await r.proc.done;
      assert.equal(result.failure?.kind, 'missing');
      assert.match(result.failure!.message, /ig is not installed or not on PATH/);
      assert.match(result.failure!.link!, /^https:\/\/inspektor-gadget\.io\/docs\/.*install-linux/);
      const kg = await start('kubectl-gadget', ['run', 'g', '-o', 'json'], { PATH: empty }).proc.done;
      assert.match(kg.failure!.message, /kubectl gadget plugin \(kubectl-gadget\) is not installed/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('kubectl gadget: selectors reach the engine; no cluster and no deployment are told apart', async () => {
    const args = kubectlGadgetRunArgs({ image: 'hello:dev', selectors: { namespace: 'demo', podname: 'p1' }, context: 'kind-dev' });
    const r = start('kubectl-gadget', args, { STANDIN_EXIT_AFTER: '1' });
    assert.equal((await r.proc.done).packets, 3);
    const cluster = await start('kubectl-gadget', args, { STANDIN_FAIL: 'cluster' }, { context: 'kind-dev' }).proc.done;
    assert.equal(cluster.failure?.kind, 'cluster');
    assert.match(cluster.failure!.message, /no reachable Kubernetes cluster \(context kind-dev\)/);
    const undeployed = await start('kubectl-gadget', args, { STANDIN_FAIL: 'undeployed' }).proc.done;
    assert.match(undeployed.failure!.message, /Inspektor Gadget is not deployed/);
  });

  it('ig image build: output line by line, clang\'s errors on the folder\'s file, the built image', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wb-image-'));
    try {
      const env = { ...process.env, PATH: `${STANDINS}${delimiter}${process.env.PATH ?? ''}` };
      writeFileSync(join(dir, 'program.bpf.c'), '// a gadget\n\n #error no headers here\n');
      const streamed: string[] = [];
      const bad = await runCommand(withPrefix([], 'ig', imageBuildArgs(dir, 'hello:dev')), { env }, (l, s) => streamed.push(`${s}: ${l}`));
      assert.equal(bad.code, 1);
      assert.ok(streamed.includes('stdout: Pulling builder image ghcr.io/inspektor-gadget/gadget-builder:main'));
      assert.deepEqual(imageBuildDiagnostics(bad.output.join('\n'), dir), [
        { file: join(dir, 'program.bpf.c'), line: 3, column: 2, severity: 'error', message: 'no headers here' },
      ]);
      writeFileSync(join(dir, 'program.bpf.c'), '// a gadget\n');
      const ok = await runCommand(withPrefix([], 'ig', imageBuildArgs(dir, 'hello:dev')), { env });
      assert.equal(ok.code, 0);
      assert.match(builtImage(ok.output.join('\n'))!, /^docker\.io\/library\/hello:dev@sha256:/);
      const missing = await runCommand(withPrefix([], 'ig', ['version']), { env: { ...env, PATH: dir } });
      assert.equal(missing.spawnError?.code, 'ENOENT');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stopping a run that never started resolves at once', async () => {
    const p = new EngineProcess({ engine: 'ig', command: withPrefix([], 'ig', []), datasources: [] });
    assert.equal((await p.stop()).stopped, true);
  });
});

describe('engines: the real ig', function () {
  this.timeout(60000);
  const found = spawnSync('sh', ['-c', 'command -v ig'], { encoding: 'utf8' }).stdout.trim();

  it('`ig version` runs and `ig run --help` has the flags the workbench passes', async function () {
    if (!found) {
      console.log('      (skipped: ig is not on PATH here; the stand-ins in test/fixtures/engines cover the integration)');
      this.skip();
    }
    const version = new EngineProcess({ engine: 'ig', command: withPrefix([], found, ['version']), datasources: [] });
    const logged: HostEvent[] = [];
    version.onEvent((e) => logged.push(e));
    version.start();
    const r = await version.done;
    assert.equal(r.ok, true, logs(logged).join('\n'));
    const help = spawnSync(found, ['run', '--help'], { encoding: 'utf8' });
    for (const flag of ['--output', '--timeout']) assert.ok(help.stdout.includes(flag), `ig run --help lists ${flag}`);
  });
});
