// IG's own engines as run Engines (src/workbench/run/engine.ts): a run of `ig run` or `kubectl gadget run`
// on the gadget's image, beside the embedded host. They run the real eBPF program, so the setup's wasm
// bytes, events file and simulated kernel are not theirs: they take the params, the data sources
// (gadget.yaml's and the eBPF object's, for the grid's tabs and kinds) and gadget.yaml's config.
import type { Phase, RunResult } from '../../host/api';
import type { Engine, RunEvent, RunSetup, RunningRun } from '../run/engine';
import { displayCommand, runArgs, withPrefix, type EngineKind, type Selectors } from './args';
import { failureText, type EngineFailure } from './failure';
import type { KnownDataSource } from './json-events';
import { EngineProcess } from './process';

export interface ProcessEngineOptions {
  kind: EngineKind;
  /** The engine's executable (a name on PATH or a path). */
  executable: string;
  /** Words before the executable (ig: `sudo -n`). */
  prefix: readonly string[];
  image: string;
  selectors?: Selectors;
  /** kubectl gadget: the context to pass (`--context`), else the current one. */
  context?: string;
  /** kubectl gadget: the context the run uses (given or current), for titles and messages. */
  contextShown?: string;
  graceMs?: number;
  env?: NodeJS.ProcessEnv;
}

export class ProcessEngine implements Engine {
  readonly name: string;
  readonly local = false;
  /** For the run's title: where it runs. */
  readonly title: string;

  constructor(private readonly opts: ProcessEngineOptions) {
    this.name = opts.kind === 'ig' ? 'ig' : 'kubectl gadget';
    this.title = opts.kind === 'ig' ? 'on ig' : `on Kubernetes${opts.contextShown ? ` (${opts.contextShown})` : ''}`;
  }

  start(setup: RunSetup): RunningRun {
    return new ProcessRun(this.opts, setup);
  }
}

class ProcessRun implements RunningRun {
  readonly done: Promise<RunResult>;
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private proc?: EngineProcess;

  constructor(private readonly opts: ProcessEngineOptions, setup: RunSetup) {
    this.done = this.execute(setup);
  }

  onEvent(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async stop(): Promise<RunResult> {
    void this.proc?.stop();
    return this.done;
  }

  terminate(): void {
    void this.proc?.stop();
  }

  private emit(e: RunEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private async execute(setup: RunSetup): Promise<RunResult> {
    const o = this.opts;
    const datasources = knownDataSources(setup);
    let proc: EngineProcess;
    try {
      const args = runArgs(o.kind, { image: o.image, params: setup.params, datasources: datasources.map((d) => d.name), selectors: o.selectors, context: o.context });
      const command = withPrefix(o.kind === 'ig' ? o.prefix : [], o.executable, args);
      proc = new EngineProcess({ engine: o.kind, command, datasources, env: o.env, cwd: setup.gadget.folder, graceMs: o.graceMs, context: o.contextShown });
      // Let the listeners the session adds right after start() see the first events.
      await Promise.resolve();
      this.emit({ type: 'note', level: 'info', message: displayCommand(command) });
    } catch (e) {
      return { ok: false, error: { phase: 'load', message: (e as Error).message }, config: setup.config, packets: 0 };
    }
    this.proc = proc;
    proc.onEvent((e) => this.emit(e));
    proc.start();
    const r = await proc.done;
    // A note, not a log event: the notice quotes IG's own last words, not this summary of them.
    if (r.failure) this.emit({ type: 'note', level: 'error', message: failureText(r.failure) });
    return { ok: r.ok, ...(r.failure ? { error: { phase: failurePhase(r.failure, r.packets), message: failureMessage(r.failure) } } : {}), config: setup.config, packets: r.packets };
  }
}

/** A setup failure (no engine, rights, cluster) is at load; a gadget that failed after its first events, at its start. */
function failurePhase(f: EngineFailure, packets: number): Phase {
  return f.kind === 'failed' && packets > 0 ? 'gadgetStart' : 'load';
}

/** The notification's text: what to do, and where IG's install docs are (IG's own words are in the log and quoted by the session). */
function failureMessage(f: EngineFailure): string {
  return f.link ? `${f.message} (see IG's install docs: ${f.link})` : f.message;
}

/** The data sources to expect: the eBPF object's (with kinds), then gadget.yaml's others (from the config). */
export function knownDataSources(setup: Pick<RunSetup, 'dataSources' | 'config'>): KnownDataSource[] {
  const out: KnownDataSource[] = setup.dataSources.map((d) => ({ name: d.name, type: d.type, fields: d.fields.map((f) => ({ name: f.name, kind: f.kind })) }));
  const yaml = setup.config.datasources;
  if (yaml && typeof yaml === 'object') {
    for (const [name, ds] of Object.entries(yaml as Record<string, unknown>)) {
      const fields = (ds as { fields?: unknown } | null)?.fields;
      const names = fields && typeof fields === 'object' ? Object.keys(fields) : [];
      const have = out.find((d) => d.name === name);
      if (have) have.fields = [...have.fields, ...names.filter((n) => !have.fields.some((f) => f.name === n)).map((n) => ({ name: n }))];
      else out.push({ name, fields: names.map((n) => ({ name: n })) });
    }
  }
  return out;
}
