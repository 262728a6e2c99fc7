// Run Gadget's orchestration, vscode-free: resolves what a run needs (wasm module, events file, params),
// asking through the RunUi where nothing was given, starts sessions on an Engine, stops and re-runs them,
// and keeps what the last runs reported (data sources and maps per gadget) for the Gadgets tree. Runs
// are independent sessions, so a second gadget runs beside the first.
import type { DataSourceInfo, MapSnapshot, RunResult } from '../../host/api';
import type { MapDecoder } from '../../events/machine';
import type { WasmParam } from '../../metadata/types';
import { resolveParams } from '../../metadata/params';
import type { Engine } from './engine';
import { noWasmMessage } from './messages';
import type { GadgetFiles, GadgetRef, ResolvedRequest, RunRequest, RunUi } from './ports';
import { RunSession, readMetadata } from './session';
import type { GadgetSpec } from '../../ebpf';

const MAX_ENDED = 10;

interface Resolved<G> { gadget: G; request: ResolvedRequest; engine: Engine }

export class RunOrchestrator<G extends GadgetRef> {
  private readonly sessions = new Map<number, RunSession<G>>();
  /** Ended runs, newest last (a few, for re-opening their results and for tests). */
  private readonly ended: RunSession<G>[] = [];
  private nextId = 1;
  private last?: Resolved<G>;
  private readonly dataSourcesByGadget = new Map<string, DataSourceInfo[]>();
  private readonly mapsByGadget = new Map<string, { maps: MapSnapshot[]; decoder?: MapDecoder }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly ui: RunUi<G>, private readonly files: GadgetFiles<G>, private readonly engine: Engine) {}

  /** Called whenever a run starts, reports data sources or maps, or ends. */
  onDidChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get active(): RunSession<G>[] {
    return [...this.sessions.values()];
  }

  get lastEnded(): RunSession<G> | undefined {
    return this.ended[this.ended.length - 1];
  }

  get hasLastRun(): boolean {
    return this.last !== undefined;
  }

  session(id: number): RunSession<G> | undefined {
    return this.sessions.get(id) ?? this.ended.find((s) => s.id === id);
  }

  /** The gadget of a run still remembered (running or ended). */
  gadgetOf(key: string): G | undefined {
    return [...this.sessions.values(), ...this.ended].find((s) => s.gadget.key === key)?.gadget;
  }

  dataSourcesOf(gadgetKey: string): DataSourceInfo[] | undefined {
    return this.dataSourcesByGadget.get(gadgetKey);
  }

  mapsOf(gadgetKey: string): { maps: MapSnapshot[]; decoder?: MapDecoder } | undefined {
    return this.mapsByGadget.get(gadgetKey);
  }

  /**
   * Resolves the run's inputs (asking where needed) and starts it on `engine` (default: the embedded one
   * given at construction). Undefined when the user cancelled or took another way.
   */
  async run(gadget: G, request: RunRequest = {}, engine: Engine = this.engine): Promise<RunSession<G> | undefined> {
    const resolved = await this.resolve(gadget, request, engine);
    return resolved && this.startSession(resolved);
  }

  async rerun(): Promise<RunSession<G> | undefined> {
    if (!this.last) {
      void this.ui.notify({ kind: 'info', message: 'No gadget has run yet: use "Inspektor Gadget: Run Gadget" first.' });
      return undefined;
    }
    return this.startSession(this.last);
  }

  /** Stops run `id`, or the only running one, or the one the user picks. */
  async stop(id?: number): Promise<RunResult | undefined> {
    const running = this.active;
    const s = id !== undefined ? this.sessions.get(id) : running.length <= 1 ? running[0] : await this.ui.pickRunning(running);
    return s?.stop();
  }

  private startSession(resolved: Resolved<G>): RunSession<G> {
    this.last = resolved;
    const session = new RunSession(this.nextId++, resolved.gadget, resolved.request, {
      ui: this.ui, files: this.files, engine: resolved.engine, rerun: () => void this.rerun(),
    });
    this.sessions.set(session.id, session);
    const key = resolved.gadget.key;
    session.onDataSources((ds) => { this.dataSourcesByGadget.set(key, ds); this.changed(); });
    session.onMaps((maps, decoder) => { this.mapsByGadget.set(key, { maps, decoder }); this.changed(); });
    void session.done.then(() => {
      this.sessions.delete(session.id);
      this.ended.push(session);
      if (this.ended.length > MAX_ENDED) this.ended.shift(); // its grid stays open until the user closes it
      this.changed();
    });
    this.changed();
    return session;
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }

  private async resolve(gadget: G, request: RunRequest, engine: Engine): Promise<Resolved<G> | undefined> {
    if (engine.local === false) return this.resolveImage(gadget, request, engine);
    const wasm = request.wasm ?? (await this.chooseWasm(gadget));
    if (wasm === undefined) return undefined;
    let events = request.events;
    if (events === undefined) {
      events = await this.chooseEvents(gadget);
      if (events === undefined) return undefined;
    }
    const metadata = await readMetadata(await this.files.yamlText(gadget));
    const params = await this.askParams(gadget, metadata?.wasmParams ?? {}, request.params);
    if (!params) return undefined;
    return { gadget, request: { wasm, events, params, untilStopped: request.untilStopped ?? events === null }, engine };
  }

  /** A run of the gadget's image: no module or events to choose; the params of gadget.yaml and of the eBPF object. */
  private async resolveImage(gadget: G, request: RunRequest, engine: Engine): Promise<Resolved<G> | undefined> {
    const yaml = await this.files.yamlText(gadget);
    const [metadata, object] = await Promise.all([readMetadata(yaml), this.files.object(gadget, yaml)]);
    const defs: Record<string, WasmParam> = { ...ebpfParamDefs(object.spec), ...(metadata?.wasmParams ?? {}) };
    const params = await this.askParams(gadget, defs, request.params);
    if (!params) return undefined;
    return { gadget, request: { wasm: '', events: null, params, untilStopped: true }, engine };
  }

  /** A path, '' when the gadget has no wasm module but an eBPF object (it runs alone), undefined when cancelled. */
  private async chooseWasm(g: G): Promise<string | undefined> {
    const found = await this.files.findWasm(g);
    if (found.module !== undefined) return found.module;
    let chosen: string | undefined;
    if (found.candidates.length > 0) {
      const pick = await this.ui.pickWasm(g, found.candidates);
      if (pick === undefined) return undefined;
      chosen = 'file' in pick ? pick.file : await this.ui.browseWasm(g);
    } else {
      if (await this.files.hasObject(g)) return '';
      // Nothing to run: say so and offer the ways out instead of a file dialog in an empty folder.
      const { message, actions } = noWasmMessage(g.name, await this.files.noWasmFacts(g));
      const action = await this.ui.noWasm(g, message, actions);
      if (action === undefined) return undefined;
      if (action !== 'pickWasm') { await this.ui.wayOut(g, action); return undefined; }
      chosen = await this.ui.browseWasm(g);
    }
    if (chosen === undefined) return undefined;
    await this.files.rememberWasm(g, chosen);
    return chosen;
  }

  /** A path, null for "no events file", undefined when the user cancelled. */
  private async chooseEvents(g: G): Promise<string | null | undefined> {
    const files = await this.files.eventsFiles(g);
    if (files.length === 0) return null;
    const key = `events:${g.key}`;
    const pick = await this.ui.pickEvents(g, files, this.ui.remembered<string | null>(key));
    if (pick !== undefined) await this.ui.remember(key, pick);
    return pick;
  }

  /** Asks for each `params.wasm` value (title, description, default, possible values), remembering answers. */
  private async askParams(g: G, defs: Record<string, WasmParam>, given?: Record<string, string>): Promise<Record<string, string> | undefined> {
    const key = `params:${g.key}`;
    const remembered = this.ui.remembered<Record<string, string>>(key) ?? {};
    const values: Record<string, string> = { ...given };
    const entries = Object.entries(defs);
    for (const [i, [name, p]] of entries.entries()) {
      // IG registers a param under its `key` (the guest asks for that), else its name.
      const k = p.key || name;
      if (values[k] !== undefined) continue;
      // Not asking (re-run, tests): the remembered value, else resolveParams below takes the default.
      if (given) { if (remembered[k] !== undefined) values[k] = remembered[k]; continue; }
      const initial = remembered[k] ?? p.defaultValue ?? '';
      const v = await this.ui.askParam(g, { title: `Run ${g.name}: ${p.title ?? k} (${i + 1}/${entries.length})`, param: p, key: k, initial });
      if (v === undefined) return undefined;
      values[k] = v;
    }
    // The same rules as the CLI's --param (unknown keys, mandatory params, values by type hint).
    const resolved = resolveParams(entries.length ? defs : undefined, values);
    if (entries.length > 0) await this.ui.remember(key, { ...remembered, ...resolved });
    return resolved;
  }

  dispose(): void {
    for (const s of [...this.sessions.values(), ...this.ended]) s.dispose();
    this.sessions.clear();
    this.ended.length = 0;
    this.listeners.clear();
  }
}

/** The gadget's own eBPF params (GADGET_PARAM variables; not the ebpf operator's) as params to ask for, by key. */
function ebpfParamDefs(spec: GadgetSpec | undefined): Record<string, WasmParam> {
  const out: Record<string, WasmParam> = {};
  for (const p of spec?.params ?? []) {
    if (!p.variable) continue;
    out[p.key] = { key: p.key, description: p.description || undefined, defaultValue: p.defaultValue, typeHint: p.typeHint || undefined };
  }
  return out;
}
