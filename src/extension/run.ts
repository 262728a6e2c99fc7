// Run Gadget: resolve what a run needs (wasm module, events file, params), run the gadget in the host's
// worker via GadgetRunner, and show it — a progress notification with Cancel (= Stop), a status-bar item
// with the event rate, logs in the output channel, packets in a grid panel. Runs are independent sessions,
// so a second gadget runs beside the first.
import * as path from 'path';
import * as vscode from 'vscode';
import { errorMessage } from '../common/errors';
import { GadgetError, type DataSourceInfo, type HostEvent, type KernelOptions, type MapSnapshot, type RunResult } from '../host/api';
import type { MapDecoder } from '../events/machine';
import type { GadgetMetadata, WasmParam } from '../metadata/types';
import type { Ctx } from './ctx';
import type { RunPlan } from '../ebpf/run-plan';
import { discoverObject, discoverWasm, findEventsFiles, gadgetYamlText, readGadgetObject, readImage, readStrictText, wasmMementoKey, type Gadget } from './gadgets';
import type { GadgetLog } from './log';
import type { GridPanel } from './grid/gridPanel';
import { paramValueProblem, resolveParams } from '../metadata/params';
import { LastGuestError, failureMessage, formatCount } from './inputs';

/** What a run is given instead of asking: used by re-run and by tests. Absent fields are prompted for. */
export interface RunRequest {
  /** The wasm module (a path); '' for none: the gadget's eBPF object runs alone. */
  wasm?: string;
  /** The events file (a path), or null for none. */
  events?: string | null;
  /** `params.wasm` values by key; missing keys take their remembered value or default without asking. */
  params?: Record<string, string>;
  /** Keep running after the events file is done until stopped (default: only when there is no events file). */
  untilStopped?: boolean;
}

/** A run as tests and the tree see it. */
export interface RunSummary {
  id: number;
  gadget: string;
  gadgetKey: string;
  state: 'running' | 'stopping' | 'done';
  wasm: string;
  events: string | null;
  params: Record<string, string>;
  result?: RunResult;
  packets: number;
  datasources: DataSourceInfo[];
  /** The gadget's maps after the run: name, type and entry count. */
  maps: { name: string; type: number; entries: number; maxEntries: number }[];
  /** The eBPF object the maps came from, if any. */
  ebpfObject: string | null;
  /** The run's lines as written to the output channel (the latest 2000). */
  logs: string[];
}

interface ResolvedRun {
  gadget: Gadget;
  request: Required<Omit<RunRequest, 'untilStopped'>> & { untilStopped: boolean };
}

type Events = import('../events').EventsFile;

export class RunManager implements vscode.Disposable {
  private readonly sessions = new Map<number, RunSession>();
  /** Ended runs, newest last (a few, for re-opening their results and for tests). */
  private readonly ended: RunSession[] = [];
  private nextId = 1;
  private last?: ResolvedRun;
  /** The data sources the last run of each gadget reported: field kinds for the tree. */
  private readonly dataSourcesByGadget = new Map<string, DataSourceInfo[]>();
  /** The maps the last run of each gadget ended with, and how to decode their entries. */
  private readonly mapsByGadget = new Map<string, { maps: MapSnapshot[]; decoder?: MapDecoder }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly ctx: Ctx) {}

  get active(): RunSession[] {
    return [...this.sessions.values()];
  }

  /** The most recently ended run. */
  get lastEnded(): RunSession | undefined {
    return this.ended[this.ended.length - 1];
  }

  session(id: number): RunSession | undefined {
    return this.sessions.get(id) ?? this.ended.find((s) => s.id === id);
  }

  dataSourcesOf(gadgetKey: string): DataSourceInfo[] | undefined {
    return this.dataSourcesByGadget.get(gadgetKey);
  }

  mapsOf(gadgetKey: string): { maps: MapSnapshot[]; decoder?: MapDecoder } | undefined {
    return this.mapsByGadget.get(gadgetKey);
  }

  /** Resolves the run's inputs (asking where needed) and starts it. Undefined when the user cancelled a prompt. */
  async run(gadget: Gadget, request: RunRequest = {}): Promise<RunSession | undefined> {
    const resolved = await this.resolve(gadget, request);
    if (!resolved) return undefined;
    return this.startSession(resolved);
  }

  async rerun(): Promise<RunSession | undefined> {
    if (!this.last) {
      void vscode.window.showInformationMessage('No gadget has run yet: use "Inspektor Gadget: Run Gadget" first.');
      return undefined;
    }
    return this.startSession(this.last);
  }

  async stop(id?: number): Promise<RunResult | undefined> {
    const s = id === undefined ? await this.pickRunning() : this.sessions.get(id);
    return s?.stop();
  }

  private async pickRunning(): Promise<RunSession | undefined> {
    const running = this.active;
    if (running.length <= 1) return running[0];
    const pick = await vscode.window.showQuickPick(running.map((s) => ({ label: s.gadget.name, description: `run #${s.id}`, s })),
      { title: 'Stop Gadget', placeHolder: 'Which run to stop?' });
    return pick?.s;
  }

  private startSession(resolved: ResolvedRun): RunSession {
    this.last = resolved;
    void vscode.commands.executeCommand('setContext', 'igWorkbench.hasLastRun', true);
    const session = new RunSession(this.ctx, this.nextId++, resolved);
    this.sessions.set(session.id, session);
    this.updateContext();
    session.onDataSources((ds) => { this.dataSourcesByGadget.set(resolved.gadget.key, ds); this.changed.fire(); });
    session.onMaps((maps, decoder) => { this.mapsByGadget.set(resolved.gadget.key, { maps, decoder }); this.changed.fire(); });
    void session.done.then(() => {
      this.sessions.delete(session.id);
      this.ended.push(session);
      if (this.ended.length > MAX_ENDED) this.ended.shift(); // its grid stays open until the user closes it
      this.updateContext();
      this.changed.fire();
    });
    this.changed.fire();
    return session;
  }

  private updateContext(): void {
    void vscode.commands.executeCommand('setContext', 'igWorkbench.running', this.sessions.size > 0);
  }

  private async resolve(gadget: Gadget, request: RunRequest): Promise<ResolvedRun | undefined> {
    const wasm = request.wasm ?? (await this.pickWasm(gadget));
    if (wasm === undefined) return undefined;
    let events: string | null | undefined = request.events;
    if (events === undefined) {
      events = await this.pickEvents(gadget);
      if (events === undefined) return undefined;
    }
    const metadata = await readMetadata(this.ctx, gadget);
    const params = await this.askParams(gadget, metadata?.wasmParams ?? {}, request.params);
    if (!params) return undefined;
    return { gadget, request: { wasm, events, params, untilStopped: request.untilStopped ?? events === null } };
  }

  /** A path, '' when the gadget has no wasm module but an eBPF object (it runs alone), undefined when cancelled. */
  private async pickWasm(g: Gadget): Promise<string | undefined> {
    // An image carries its module (the tarball stands for it), or has none and runs its object alone.
    if (g.image) return (await readImage(this.ctx, g.yaml)).wasm ? g.yaml.fsPath : '';
    const found = await discoverWasm(this.ctx, g);
    if (found.uri) return found.uri.fsPath;
    if (found.candidates.length === 0 && (await discoverObject(this.ctx, g)).uri) return '';
    type Item = vscode.QuickPickItem & { uri?: vscode.Uri };
    let chosen: vscode.Uri | undefined;
    if (found.candidates.length > 0) {
      const items: Item[] = found.candidates.map((uri) => ({ label: path.relative(g.folder.fsPath, uri.fsPath), uri }));
      items.push({ label: '$(folder-opened) Browse…' });
      const pick = await vscode.window.showQuickPick(items, { title: `Run ${g.name}: which wasm module?`, ignoreFocusOut: true });
      if (!pick) return undefined;
      chosen = pick.uri;
    }
    if (!chosen) {
      const picked = await vscode.window.showOpenDialog({
        title: `Run ${g.name}: pick its wasm module`, defaultUri: g.folder, canSelectMany: false,
        filters: { 'WebAssembly module': ['wasm'] }, openLabel: 'Run this module',
      });
      chosen = picked?.[0];
    }
    if (!chosen) return undefined;
    await this.ctx.memento.update(wasmMementoKey(g), chosen.toString());
    return chosen.fsPath;
  }

  /** A path, null for "no events file", undefined when the user cancelled. */
  private async pickEvents(g: Gadget): Promise<string | null | undefined> {
    const files = await findEventsFiles(g);
    if (files.length === 0) return null;
    const key = `events:${g.key}`;
    const last = this.ctx.memento.get<string | null>(key);
    type Item = vscode.QuickPickItem & { file: string | null };
    const items: Item[] = files.map((f) => ({ label: path.relative(g.folder.fsPath, f.fsPath), description: 'emit its packets, then stop', file: f.fsPath }));
    items.push({ label: 'No events file', description: 'run until stopped', file: null });
    const lastIndex = items.findIndex((i) => i.file === last);
    if (lastIndex > 0) items.unshift(...items.splice(lastIndex, 1));
    const pick = await vscode.window.showQuickPick(items, { title: `Run ${g.name}: events to feed the gadget's data sources`, ignoreFocusOut: true });
    if (!pick) return undefined;
    await this.ctx.memento.update(key, pick.file);
    return pick.file;
  }

  /** Asks for each `params.wasm` value (title, description, default, possible values), remembering answers. */
  private async askParams(g: Gadget, defs: Record<string, WasmParam>, given?: Record<string, string>): Promise<Record<string, string> | undefined> {
    const key = `params:${g.key}`;
    const remembered = this.ctx.memento.get<Record<string, string>>(key) ?? {};
    const values: Record<string, string> = { ...given };
    const entries = Object.entries(defs);
    for (const [i, [name, p]] of entries.entries()) {
      // IG registers a param under its `key` (the guest asks for that), else its name.
      const k = p.key || name;
      if (values[k] !== undefined) continue;
      // Not asking (re-run, tests): the remembered value, else resolveParams below takes the default.
      if (given) { if (remembered[k] !== undefined) values[k] = remembered[k]; continue; }
      const initial = remembered[k] ?? p.defaultValue ?? '';
      const title = `Run ${g.name}: ${p.title ?? k} (${i + 1}/${entries.length})`;
      const v = p.possibleValues?.length
        ? await pickValue(title, p, initial)
        : await vscode.window.showInputBox({
          title, value: initial, ignoreFocusOut: true,
          prompt: [p.description, p.defaultValue !== undefined ? `Default: ${p.defaultValue}` : undefined].filter(Boolean).join(' — '),
          placeHolder: p.typeHint ? `a ${p.typeHint}` : undefined,
          validateInput: (s) => paramValueProblem(p, s),
        });
      if (v === undefined) return undefined;
      values[k] = v;
    }
    // The same rules as the CLI's --param (unknown keys, mandatory params, values by type hint).
    const resolved = resolveParams(entries.length ? defs : undefined, values);
    if (entries.length > 0) await this.ctx.memento.update(key, { ...remembered, ...resolved });
    return resolved;
  }

  /**
   * Opens a grid with the entries a gadget's map had when its last run ended (keys and values decoded by
   * the object's BTF types when known). Returns the rows shown, or undefined when there is no such map.
   */
  async showMap(gadgetKey: string, name: string): Promise<{ key: string; value: string }[] | undefined> {
    const found = this.mapsByGadget.get(gadgetKey);
    const m = found?.maps.find((x) => x.name === name);
    const gadget = [...this.sessions.values(), ...this.ended].find((s) => s.gadget.key === gadgetKey)?.gadget;
    if (!m || !gadget) {
      void vscode.window.showInformationMessage(`No entries of map ${name} yet: run the gadget first.`);
      return undefined;
    }
    const [{ entryTexts }, { GridPanel }] = await Promise.all([this.ctx.loadEvents(), import('./grid/gridPanel')]);
    const rows = entryTexts(m, found!.decoder);
    const ds = `map ${name}`;
    // Wide enough for a decoded struct (IG's `columns.width`; the user can still resize).
    const width = (n: number): { annotations: Record<string, string> } => ({ annotations: { 'columns.width': String(n) } });
    const metadata = { datasources: { [ds]: { annotations: {}, fields: { key: width(24), value: width(64) } } }, wasmParams: {} };
    const grid = GridPanel.create(this.ctx.extensionUri, { gadgetName: `${gadget.name}: ${ds}`, gadgetKey, metadata }, this.ctx.memento);
    this.mapGrids.push(grid);
    grid.onDidDispose(() => { this.mapGrids = this.mapGrids.filter((g) => g !== grid); });
    grid.setDataSources([{
      name: ds, type: 'single', origin: 'host',
      fields: [{ name: 'key', kind: 'string', tags: [], origin: 'host' }, { name: 'value', kind: 'string', tags: [], origin: 'host' }],
    }]);
    grid.push({ datasource: ds, fields: ['key', 'value'], rows: rows.map((r) => [r.key, r.value]), packet: rows.map((_, i) => i + 1) });
    grid.runEnded({ ok: true, config: {}, packets: rows.length });
    return rows;
  }

  /** Grids of map entries still open (for tests). */
  mapGrids: import('./grid/gridPanel').GridPanel[] = [];

  dispose(): void {
    for (const g of this.mapGrids.splice(0)) g.dispose();
    for (const s of [...this.sessions.values(), ...this.ended]) s.dispose();
    this.sessions.clear();
    this.ended.length = 0;
    this.changed.dispose();
  }
}

async function pickValue(title: string, p: WasmParam, initial: string): Promise<string | undefined> {
  const items = (p.possibleValues ?? []).map((v) => ({ label: v, description: v === p.defaultValue ? 'default' : undefined, picked: v === initial }));
  const i = items.findIndex((x) => x.label === initial);
  if (i > 0) items.unshift(...items.splice(i, 1));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: p.description, ignoreFocusOut: true }))?.label;
}

async function readMetadata(ctx: Ctx, g: Gadget): Promise<GadgetMetadata | undefined> {
  const text = await gadgetYamlText(ctx, g);
  if (text === undefined) return undefined;
  const metadata = await ctx.loadMetadata();
  try {
    return metadata.readGadgetMetadata(text);
  } catch {
    return undefined;
  }
}

const MAX_LOG_LINES = 2000;
const MAX_ENDED = 10;

/** One run of one gadget, from loading its inputs to its result. */
export class RunSession implements vscode.Disposable {
  readonly gadget: Gadget;
  readonly done: Promise<RunResult>;
  private state: RunSummary['state'] = 'running';
  private result?: RunResult;
  private packets = 0;
  private datasources: DataSourceInfo[] = [];
  private readonly logs: string[] = [];
  /** The guest's last error log or stderr line, quoted by the failure notification. */
  private readonly guestError = new LastGuestError();
  private readonly glog: GadgetLog;
  private readonly stopRequested: Promise<void>;
  private requestStop!: () => void;
  private runner?: import('../host/thread/runner').GadgetRunner;
  private grid?: GridPanel;
  /** What the eBPF object contributes to this run (data sources, formatters, column annotations). */
  private plan?: RunPlan;
  private readonly status: vscode.StatusBarItem;
  private rateTimer?: NodeJS.Timeout;
  private readonly dsListeners: ((ds: DataSourceInfo[]) => void)[] = [];
  private readonly mapListeners: ((maps: MapSnapshot[], decoder?: MapDecoder) => void)[] = [];
  private maps: MapSnapshot[] = [];
  private decoder?: MapDecoder;
  private ebpfObject: string | null = null;

  constructor(private readonly ctx: Ctx, readonly id: number, private readonly resolved: ResolvedRun) {
    this.gadget = resolved.gadget;
    this.glog = ctx.log.forGadget(this.gadget.name, (line) => {
      this.logs.push(line);
      if (this.logs.length > MAX_LOG_LINES) this.logs.splice(0, this.logs.length - MAX_LOG_LINES);
    });
    this.stopRequested = new Promise((r) => { this.requestStop = r; });
    this.status = vscode.window.createStatusBarItem(`igWorkbench.run.${id}`, vscode.StatusBarAlignment.Left, 10);
    this.status.name = `Inspektor Gadget: ${this.gadget.name}`;
    this.status.command = { title: 'Stop Gadget', command: 'igWorkbench.stopGadget', arguments: [id] };
    this.done = this.execute();
  }

  onDataSources(listener: (ds: DataSourceInfo[]) => void): void {
    this.dsListeners.push(listener);
  }

  onMaps(listener: (maps: MapSnapshot[], decoder?: MapDecoder) => void): void {
    this.mapListeners.push(listener);
  }

  /** Runs gadgetStop/PostStop (the runner kills a guest that hangs in them) and resolves with the result. */
  async stop(): Promise<RunResult> {
    if (this.state === 'running') this.state = 'stopping';
    this.requestStop();
    return this.done;
  }

  summary(): RunSummary {
    const r = this.resolved.request;
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
    const name = this.gadget.name;
    let result: RunResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Inspektor Gadget: running ${name}`, cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => void this.stop());
          this.startStatus(progress);
          return this.runGadget();
        });
    } catch (e) {
      // Inputs that could not be read or parsed: nothing ran.
      result = { ok: false, error: { phase: 'load', message: errorMessage(e) }, config: {}, packets: this.packets };
      this.glog.line('error', `load failed: ${result.error!.message}`);
    }
    this.result = result;
    this.state = 'done';
    this.stopStatus();
    this.grid?.runEnded(result);
    this.report(result);
    return result;
  }

  private async runGadget(): Promise<RunResult> {
    const { request } = this.resolved;
    const [{ GadgetRunner }, wb, config, events, object] = await Promise.all([
      this.ctx.loadRunner(),
      this.ctx.loadWorkbench(),
      this.readConfig(),
      request.events === null ? Promise.resolve(undefined) : this.readEvents(request.events),
      gadgetYamlText(this.ctx, this.gadget).then((yaml) => readGadgetObject(this.ctx, this.gadget, yaml)),
    ]);
    // The object's data sources, fields and formatters are the gadget's eBPF side; without it, a gadget
    // with no wasm module has nothing to run.
    if (object.error && (object.uri || request.wasm === '')) throw new Error(object.error);
    if (request.wasm === '' && !object.plan) throw new Error(`${this.gadget.name} has no wasm module and no eBPF object to run`);
    const wasm = request.wasm === '' ? wb.NULL_GUEST
      : this.gadget.image ? (await readImage(this.ctx, this.gadget.yaml)).wasm ?? wb.NULL_GUEST
        : await vscode.workspace.fs.readFile(vscode.Uri.file(request.wasm));
    this.plan = object.plan;
    const kernel = await this.kernel(wasm, events, object);
    const runner = new GadgetRunner({
      wasm, params: request.params, config, dataSources: wb.runDataSources(object.plan, events?.dataSources ?? []), kernel,
      logLevel: this.ctx.config.logLevel, callTimeoutMs: this.ctx.config.callTimeoutMs,
    });
    this.runner = runner;
    await this.openGrid();
    runner.onEvent((e) => this.onEvent(e));
    const what = [request.wasm ? path.basename(request.wasm) : undefined, object.uri ? path.basename(object.uri.fsPath) : undefined].filter(Boolean).join(' + ');
    this.glog.line('info', `run #${this.id}: ${what}${request.events ? ` with events from ${path.basename(request.events)}` : ''}`);
    const level = this.ctx.config.logLevel;
    if (!this.ctx.log.shows(level)) {
      this.glog.line('info', `the guest may log at ${level} (igWorkbench.run.logLevel), but this channel shows less: set its level with the gear in the Output view`);
    }
    const stopped = this.stopRequested.then(() => 'stop' as const);
    let inputError: string | undefined;
    try {
      const started = await Promise.race([runner.start(), stopped]);
      if (started !== 'stop') {
        if (events) {
          const { feedEvents } = await this.ctx.loadEvents();
          await feedEvents(runner, events, started, { stopped });
        }
        if (request.untilStopped || request.events === null) {
          this.glog.line('info', 'running until stopped');
          await stopped;
        }
      }
    } catch (e) {
      // A GadgetError was already reported by the runner as an error event, and stop() returns it as the
      // result. Anything else is ours to report: a bad events file, an emit the host refused.
      if (!(e instanceof GadgetError)) {
        inputError = errorMessage(e);
        this.glog.line('error', `emit failed: ${inputError}`);
      }
    }
    let result = await runner.stop();
    if (inputError !== undefined && result.ok) result = { ...result, ok: false, error: { phase: 'emit', message: inputError } };
    // The cause is already in the log (the runner's error event, or the emit failure above).
    this.glog.line(result.ok ? 'info' : 'error', result.ok ? `done: ${result.packets} packets` : `ended by the error in ${result.error?.phase} after ${result.packets} packets`);
    return result;
  }

  private onEvent(e: HostEvent): void {
    this.glog.event(e);
    this.guestError.observe(e);
    switch (e.type) {
      case 'packets':
        this.packets += distinctPackets(e.batch.packet);
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

  private async openGrid(): Promise<void> {
    if (!this.ctx.config.openGrid) return;
    try {
      const { GridPanel } = await import('./grid/gridPanel');
      const metadata = (await this.ctx.loadWorkbench()).withObjectAnnotations(await readMetadata(this.ctx, this.gadget), this.plan);
      this.grid = GridPanel.create(this.ctx.extensionUri, { gadgetName: this.gadget.name, gadgetKey: this.gadget.key, metadata }, this.ctx.memento);
      this.grid.onDidDispose(() => { this.grid = undefined; });
    } catch (e) {
      // The run goes on without a grid: its packets are still counted and logged.
      this.glog.line('warn', `could not open the packet grid: ${errorMessage(e)}`);
    }
  }

  /**
   * The simulated kernel, as `ig-wasm run` builds it: the maps of the gadget's eBPF object (the one the run
   * uses) and the events file's maps, perf records, kallsyms and mntns filter, igWorkbench.run.mntnsFilter
   * and run.cpus.
   */
  private async kernel(wasm: Uint8Array, events: Events | undefined, object: { uri?: vscode.Uri; bytes?: Uint8Array }): Promise<KernelOptions> {
    const { kernelForRun } = await this.ctx.loadEvents();
    const given = object.uri && object.bytes ? { name: object.uri.fsPath, bytes: object.bytes } : undefined;
    const { kernel, decoder } = kernelForRun({ cpus: this.ctx.config.cpus, mntnsFilter: this.ctx.config.mntnsFilter }, wasm, events, given);
    this.decoder = decoder;
    this.ebpfObject = given?.name ?? null;
    return kernel;
  }

  private async readConfig(): Promise<Record<string, unknown>> {
    // Strict: a gadget.yaml that is not UTF-8 stops the run with the bad byte's place (IG refuses it).
    const text = await gadgetYamlText(this.ctx, this.gadget, true);
    if (text === undefined) return {};
    const { readGadgetConfig } = await this.ctx.loadMetadata();
    try {
      return readGadgetConfig(text);
    } catch (e) {
      throw new Error(`${this.gadget.yaml.fsPath} is not valid YAML (${errorMessage(e)}); fix it before running`, { cause: e });
    }
  }

  private async readEvents(file: string): Promise<Events> {
    const text = await readStrictText(vscode.Uri.file(file));
    if (text === undefined) throw new Error(`cannot read the events file ${file}`);
    const { parseEventsFile, checkDeclaredPackets } = await this.ctx.loadEvents();
    const events = parseEventsFile(text, file);
    checkDeclaredPackets(events);
    return events;
  }

  private startStatus(progress: vscode.Progress<{ message?: string }>): void {
    let lastPackets = 0;
    let lastTime = Date.now();
    const update = (): void => {
      const now = Date.now();
      const rate = ((this.packets - lastPackets) * 1000) / Math.max(1, now - lastTime);
      lastPackets = this.packets;
      lastTime = now;
      const text = `${formatCount(this.packets)} packets · ${formatCount(rate)}/s`;
      this.status.text = `$(pulse) ${this.gadget.name}: ${formatCount(rate)} ev/s`;
      this.status.tooltip = `Inspektor Gadget: ${this.gadget.name} (run #${this.id}) — ${text}. Click to stop.`;
      progress.report({ message: this.state === 'stopping' ? `stopping… ${text}` : text });
    };
    update();
    this.status.show();
    this.rateTimer = setInterval(update, 1000);
  }

  private stopStatus(): void {
    clearInterval(this.rateTimer);
    this.rateTimer = undefined;
    this.status.dispose();
  }

  /** One notification per run end: success quietly, failure naming the phase (details are in the log). */
  private report(result: RunResult): void {
    const name = this.gadget.name;
    if (result.ok) {
      vscode.window.setStatusBarMessage(`$(check) ${name}: ${result.packets} packets`, 5000);
      return;
    }
    const message = failureMessage(name, result.error, this.guestError.message);
    void vscode.window.showErrorMessage(message, 'Show Log', 'Re-run').then((choice) => {
      if (choice === 'Show Log') this.ctx.log.show();
      else if (choice === 'Re-run') void vscode.commands.executeCommand('igWorkbench.rerunGadget');
    });
  }

  dispose(): void {
    this.requestStop();
    void this.runner?.terminate();
    this.stopStatus();
    this.grid?.dispose();
  }
}

function distinctPackets(packet: number[]): number {
  let n = 0;
  for (let i = 0; i < packet.length; i++) if (i === 0 || packet[i] !== packet[i - 1]) n++;
  return n;
}

