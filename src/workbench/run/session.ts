// One run of one gadget, from reading its inputs to its result: builds the run's setup (config, events,
// the eBPF object, the simulated kernel), starts it on an Engine, shows it through the RunUi (progress,
// grid, log) and reports how it ended.
import * as path from 'node:path';
import { errorMessage } from '../../common/errors';
import { countPackets, type DataSourceInfo, type MapSnapshot, type RunResult } from '../../host/api';
import type { EventsFile } from '../../events/parse';
import type { MapDecoder } from '../../events/machine';
import type { RunPlan } from '../../ebpf/run-plan';
import type { GadgetMetadata } from '../../metadata/types';
import { runDataSources, withObjectAnnotations } from '../run-setup';
import type { Engine, RunEvent, RunSetup, RunningRun } from './engine';
import { LastGuestError, failureMessage } from './messages';
import type { GadgetFiles, GadgetRef, GridSink, ObjectInput, ResolvedRequest, RunLog, RunSummary, RunTracker, RunUi } from './ports';

const MAX_LOG_LINES = 2000;

export interface SessionDeps<G extends GadgetRef> {
  ui: RunUi<G>;
  files: GadgetFiles<G>;
  engine: Engine;
  /** Runs again what ran last (the failure notification's Re-run). */
  rerun: () => void;
}

export class RunSession<G extends GadgetRef> {
  readonly done: Promise<RunResult>;
  private state: RunSummary['state'] = 'running';
  private result?: RunResult;
  private packets = 0;
  private datasources: DataSourceInfo[] = [];
  private readonly logs: string[] = [];
  private readonly guestError = new LastGuestError();
  private readonly log: RunLog;
  private run?: RunningRun;
  private stopAsked = false;
  private disposed = false;
  private grid?: GridSink;
  private plan?: RunPlan;
  private tracker?: RunTracker;
  private rateTimer?: NodeJS.Timeout;
  private readonly dsListeners: ((ds: DataSourceInfo[]) => void)[] = [];
  private readonly mapListeners: ((maps: MapSnapshot[], decoder?: MapDecoder) => void)[] = [];
  private maps: MapSnapshot[] = [];
  private decoder?: MapDecoder;
  private ebpfObject: string | null = null;

  constructor(readonly id: number, readonly gadget: G, readonly request: ResolvedRequest, private readonly deps: SessionDeps<G>) {
    this.log = deps.ui.log(gadget, (line) => {
      this.logs.push(line);
      if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
    });
    this.done = this.execute();
  }

  onDataSources(listener: (ds: DataSourceInfo[]) => void): void {
    this.dsListeners.push(listener);
  }

  onMaps(listener: (maps: MapSnapshot[], decoder?: MapDecoder) => void): void {
    this.mapListeners.push(listener);
  }

  /** Stops the gadget cleanly (the engine kills one that hangs in gadgetStop) and resolves with the result. */
  async stop(): Promise<RunResult> {
    if (this.state === 'running') this.state = 'stopping';
    this.stopAsked = true;
    void this.run?.stop();
    return this.done;
  }

  summary(): RunSummary {
    const r = this.request;
    return {
      id: this.id, gadget: this.gadget.name, gadgetKey: this.gadget.key, state: this.state,
      wasm: r.wasm, events: r.events, params: { ...r.params }, result: this.result, packets: this.packets,
      datasources: this.datasources, logs: [...this.logs], ebpfObject: this.ebpfObject,
      maps: this.maps.map((m) => ({ name: m.name, type: m.type, entries: m.entries.length, maxEntries: m.maxEntries })),
    };
  }

  /** The grid's own account of what it received and shows (undefined when no grid is open). */
  async gridStats(): Promise<{ datasource: string; received: number; shown: number }[] | undefined> {
    return this.grid?.stats();
  }

  private async execute(): Promise<RunResult> {
    this.tracker = this.deps.ui.track(this.gadget, this.id, () => void this.stop(), this.deps.engine.title);
    this.startRate();
    let result: RunResult;
    try {
      result = await this.runGadget();
    } catch (e) {
      // Inputs that could not be read or parsed: nothing ran.
      result = { ok: false, error: { phase: 'load', message: errorMessage(e) }, config: {}, packets: this.packets };
      this.log.line('error', `load failed: ${result.error!.message}`);
    }
    this.result = result;
    this.state = 'done';
    this.stopRate();
    this.grid?.runEnded(result);
    await this.report(result);
    return result;
  }

  private async runGadget(): Promise<RunResult> {
    const { files, ui, engine } = this.deps;
    const request = this.request;
    const settings = ui.settings();
    const yaml = await files.yamlText(this.gadget);
    if (engine.local === false) return this.runImage(yaml);
    const [config, events, object, metadata] = await Promise.all([
      this.readConfig(),
      request.events === null ? Promise.resolve(undefined) : this.readEvents(request.events),
      files.object(this.gadget, yaml),
      readMetadata(yaml),
    ]);
    // The object's data sources, fields and formatters are the gadget's eBPF side; without it, a gadget
    // with no wasm module has nothing to run.
    if (object.error && (object.path || request.wasm === '')) throw new Error(object.error);
    if (request.wasm === '' && !object.plan) throw new Error(`${this.gadget.name} has no wasm module and no eBPF object to run`);
    const wasm = request.wasm === '' ? undefined : await files.wasmBytes(this.gadget, request.wasm);
    this.plan = object.plan;
    const setup: RunSetup = {
      gadget: { name: this.gadget.name, folder: files.folder(this.gadget), image: files.image(this.gadget) },
      wasm, params: request.params, config, events,
      dataSources: runDataSources(object.plan, events?.dataSources ?? []),
      kernel: await this.kernel(wasm, events, object, settings),
      untilStopped: request.untilStopped || request.events === null,
      logLevel: settings.logLevel, callTimeoutMs: settings.callTimeoutMs,
    };
    if (settings.openGrid) await this.openGrid(metadata);
    const what = [request.wasm ? path.basename(request.wasm) : undefined, object.path ? path.basename(object.path) : undefined].filter(Boolean).join(' + ');
    this.log.line('info', `run #${this.id}: ${what}${request.events ? ` with events from ${path.basename(request.events)}` : ''}`);
    if (!ui.logShows(settings.logLevel)) {
      this.log.line('info', `the guest may log at ${settings.logLevel} (igWorkbench.run.logLevel), but this channel shows less: set its level with the gear in the Output view`);
    }
    return this.startOn(setup);
  }

  /**
   * A run of the gadget's image on IG's own engine: the real eBPF program and wasm module, so only the
   * params, gadget.yaml's config and the data sources (the eBPF object's, for kinds and columns) go in.
   */
  private async runImage(yaml: string | undefined): Promise<RunResult> {
    const { files, ui, engine } = this.deps;
    const [config, object, metadata] = await Promise.all([this.readConfig(), files.object(this.gadget, yaml), readMetadata(yaml)]);
    this.plan = object.plan;
    const settings = ui.settings();
    const setup: RunSetup = {
      gadget: { name: this.gadget.name, folder: files.folder(this.gadget), image: files.image(this.gadget) },
      params: this.request.params, config, dataSources: runDataSources(object.plan, []), kernel: {}, untilStopped: true,
      logLevel: settings.logLevel, callTimeoutMs: settings.callTimeoutMs,
    };
    if (settings.openGrid) await this.openGrid(metadata);
    this.log.line('info', `run #${this.id} ${engine.title ?? `on ${engine.name}`}`);
    return this.startOn(setup);
  }

  private async startOn(setup: RunSetup): Promise<RunResult> {
    const run = this.deps.engine.start(setup);
    this.run = run;
    run.onEvent((e) => this.onEvent(e));
    if (this.disposed) run.terminate();
    else if (this.stopAsked) void run.stop();
    const result = await run.done;
    // The cause is already in the log (the engine's error event, or its note on the emit failure).
    this.log.line(result.ok ? 'info' : 'error', result.ok ? `done: ${result.packets} packets` : `ended by the error in ${result.error?.phase} after ${result.packets} packets`);
    return result;
  }

  private onEvent(e: RunEvent): void {
    if (e.type === 'note') { this.log.line(e.level, e.message); return; }
    this.log.event(e);
    this.guestError.observe(e);
    switch (e.type) {
      case 'packets':
        this.packets += countPackets(e.batch);
        this.grid?.push(e.batch);
        break;
      case 'maps':
        this.maps = e.maps;
        for (const l of this.mapListeners) l(e.maps, this.decoder);
        break;
      case 'datasources':
        this.datasources = e.datasources;
        this.grid?.setDataSources(e.datasources);
        for (const l of this.dsListeners) l(e.datasources);
        break;
      default:
        break;
    }
  }

  private async openGrid(meta: GadgetMetadata | undefined): Promise<void> {
    try {
      const grid = await this.deps.ui.openGrid(this.gadget, withObjectAnnotations(meta, this.plan), this.deps.engine.title);
      this.grid = grid;
      grid.onDidDispose(() => { if (this.grid === grid) this.grid = undefined; });
    } catch (e) {
      // The run goes on without a grid: its packets are still counted and logged.
      this.log.line('warn', `could not open the packet grid: ${errorMessage(e)}`);
    }
  }

  /**
   * The simulated kernel, as `ig-wasm run` builds it: the maps of the gadget's eBPF object (the one the run
   * uses) and the events file's maps, perf records, kallsyms and mntns filter, the cpus and mntns settings.
   */
  private async kernel(wasm: Uint8Array | undefined, events: EventsFile | undefined, object: ObjectInput, s: { cpus?: number; mntnsFilter?: bigint[] }): Promise<RunSetup['kernel']> {
    const [{ kernelForRun }, { NULL_GUEST }] = await Promise.all([import('../../events/machine'), import('../../host/engine/null-guest')]);
    const given = object.path && object.bytes ? { name: object.path, bytes: object.bytes } : undefined;
    const { kernel, decoder } = kernelForRun({ cpus: s.cpus, mntnsFilter: s.mntnsFilter }, wasm ?? NULL_GUEST, events, given);
    this.decoder = decoder;
    this.ebpfObject = given?.name ?? null;
    return kernel;
  }

  private async readConfig(): Promise<Record<string, unknown>> {
    // Strict: a gadget.yaml that is not UTF-8 stops the run with the bad byte's place (IG refuses it).
    const text = await this.deps.files.yamlText(this.gadget, true);
    if (text === undefined) return {};
    const { readGadgetConfig } = await import('../../metadata');
    try {
      return readGadgetConfig(text);
    } catch (e) {
      const file = this.deps.files.image(this.gadget) ?? path.join(this.deps.files.folder(this.gadget), 'gadget.yaml');
      throw new Error(`${file} is not valid YAML (${errorMessage(e)}); fix it before running`, { cause: e });
    }
  }

  private async readEvents(file: string): Promise<EventsFile> {
    const text = await this.deps.files.readText(file);
    if (text === undefined) throw new Error(`cannot read the events file ${file}`);
    const { parseEventsFile } = await import('../../events/parse');
    const { checkDeclaredPackets } = await import('../../events/feed');
    const events = parseEventsFile(text, file);
    checkDeclaredPackets(events);
    return events;
  }

  private startRate(): void {
    let lastPackets = 0;
    let lastTime = Date.now();
    const update = (): void => {
      const now = Date.now();
      const rate = ((this.packets - lastPackets) * 1000) / Math.max(1, now - lastTime);
      lastPackets = this.packets;
      lastTime = now;
      this.tracker?.report({ packets: this.packets, rate, stopping: this.state === 'stopping' });
    };
    update();
    this.rateTimer = setInterval(update, 1000);
  }

  private stopRate(): void {
    clearInterval(this.rateTimer);
    this.rateTimer = undefined;
    this.tracker?.end();
    this.tracker = undefined;
  }

  /** One notice per run end: success quietly, failure naming the phase with the guest's words and a hint. */
  private async report(result: RunResult): Promise<void> {
    const { ui, files } = this.deps;
    const name = this.gadget.name;
    if (result.ok) {
      void ui.notify({ kind: 'done', message: `${name}: ${result.packets} packets` });
      return;
    }
    const noEvents = this.request.events === null;
    const eventsFiles = noEvents && result.error?.phase === 'gadgetInit' ? (await files.eventsFiles(this.gadget).catch(() => [])).length : 0;
    const message = failureMessage(name, result.error, this.guestError.message, { noEvents, eventsFiles });
    void ui.notify({ kind: 'error', message, actions: ['Show Log', 'Re-run'] }).then((choice) => {
      if (choice === 'Show Log') ui.showLog();
      else if (choice === 'Re-run') this.deps.rerun();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.stopAsked = true;
    this.run?.terminate();
    this.stopRate();
    this.grid?.dispose();
  }
}

/** gadget.yaml's metadata; undefined when there is none or it does not parse (the linter says why). */
export async function readMetadata(text: string | undefined): Promise<GadgetMetadata | undefined> {
  if (text === undefined) return undefined;
  const { readGadgetMetadata } = await import('../../metadata');
  try {
    return readGadgetMetadata(text);
  } catch {
    return undefined;
  }
}
