// GadgetInstance: one guest module instantiated in this thread against our implementation of IG's wasm
// host. Loading checks every import against the host function table, enforces IG's 256-page memory cap,
// runs `_initialize` (never `_start`) and checks `gadgetAPIVersion`. Embedders then run lifecycle phases,
// subscribe to and emit into data sources. Timeouts are the worker's job, not this class's.
import {
  DataSourceDecl, DataSourceInfo, GadgetError, KernelOptions, Kind, LogLevel, MapSnapshot, PacketData, Value,
} from '../api';
import { errorMessage } from '../../common/errors';
import { LifecyclePhase, callGuest, callbackAdapter, checkApiVersion, isFailure } from '../abi/lifecycle';
import { describeImport, implement, matchImport } from '../abi/table';
import { HostContext, ProcExit } from './context';
import { buildPacket, emitPacket, recyclePacket } from './emit';
import { HType } from './handles';
import { KernelEnv } from './kernel';
import { ShimmedImport, instantiateShims, shimmable } from './i64-shim';
import { K, dynamicBytes, kindFromName, writeScalarValue } from './kinds';
import { formatterPriority, makeFormatter } from './formatters';
import { DataSource, Packet, Subscription } from './model';
import { Wasm, WasmExports, WasmImports, WasmInstance, WasmMemory, WasmModule, isMemory } from './wasm-api';
import { WasmParseError, clampMemoryMax, parseModule } from './wasm-binary';

export { inspectModule } from './inspect';
export type { ModuleReport, ImportReport, ExportReport } from './inspect';
export type { LifecyclePhase } from '../abi/lifecycle';

/** IG's wazero limit: 256 pages of 64 KiB = 16 MiB. */
export const MEMORY_LIMIT_PAGES = 256;

export interface InstanceOptions {
  /** getParamValue source (no default fallback at this layer). */
  params?: Record<string, string>;
  /** Initial config; setConfig writes nested, lower-cased keys into a copy. */
  config?: Record<string, unknown>;
  /** Host-side data sources, created before load. */
  dataSources?: DataSourceDecl[];
  /** gadgetShouldLog threshold and filter for gadgetLog, default 'info'. */
  logLevel?: LogLevel;
  /** The simulated kernel: the gadget's maps, perf records, syscalls, kallsyms, mntns filter. */
  kernel?: KernelOptions;
  /** Guest logs, the host's warnings about guest mistakes, and WASI stdout/stderr lines. */
  onLog: (level: LogLevel, message: string, stream?: 'stdout' | 'stderr') => void;
  /** Told how long the host worked inside a guest call (ms): a watchdog does not charge it to the guest. */
  onHostTime?: (ms: number) => void;
}

/**
 * A host-side subscriber (like IG's output operators). rows: one row for a single packet, one per element
 * for an array packet, values column-ordered as info.fields. Called synchronously during the emit.
 * `rows` and its row arrays are valid only during the call: the host reuses them for the next packet, so
 * copy what you keep (the values themselves may be kept). `info` and Bytes values are shared: do not
 * mutate them, nor `rows`.
 */
export type HostSubscriber = (info: DataSourceInfo, rows: Value[][], isArray: boolean) => void;

export class GadgetInstance {
  /** Errors from guest callbacks (traps inside dataSourceCallback) are reported here, not swallowed. */
  onCallbackError?: (err: GadgetError) => void;

  private lastName = '';
  private lastDs: DataSource | undefined;
  private lastVersion = -1;

  private constructor(private readonly ctx: HostContext, private readonly instance: WasmInstance) {}

  /**
   * compile + check imports (GadgetError('load', …) listing every unsupported import with its signature)
   * + instantiate + `_initialize` + `gadgetAPIVersion` (must be 1). Throws GadgetError.
   */
  static async load(wasm: Uint8Array, opts: InstanceOptions): Promise<GadgetInstance> {
    let parsed;
    try {
      parsed = parseModule(wasm);
    } catch (err) {
      throw new GadgetError('load', `not a valid wasm module: ${err instanceof WasmParseError ? err.message : errorMessage(err)}`);
    }
    // Not const: the callback-error reporter below may run (during instantiation) before `self` exists.
    // eslint-disable-next-line prefer-const
    let self: GadgetInstance | undefined;
    let config: Record<string, unknown>;
    try {
      config = structuredClone(opts.config ?? {});
    } catch (err) {
      throw new GadgetError('load', `the initial config is not plain data: ${errorMessage(err)}`);
    }
    const ctx = new HostContext(
      opts.onLog, opts.logLevel ?? 'info', { ...(opts.params ?? {}) }, config,
      (err) => { if (self) self.reportCallbackError(err); else opts.onLog('error', err.message); },
    );
    ctx.onHostTime = opts.onHostTime;
    for (const decl of opts.dataSources ?? []) declareDataSource(ctx, decl);
    ctx.kernel = new KernelEnv(opts.kernel);

    const importObject: WasmImports = {};
    const problems: string[] = [];
    const shimmed: { module: string; name: string; imp: ShimmedImport }[] = [];
    let importedMemory: WasmMemory | undefined;
    for (const imp of parsed.imports) {
      let value: unknown;
      if (imp.kind === 'function') {
        const m = matchImport(imp);
        if (m.def?.makeSplit && shimmable(imp.type)) {
          shimmed.push({
            module: imp.module, name: imp.name,
            imp: { type: imp.type, fn: implement(m.def, ctx, true) as ShimmedImport['fn'], inline: m.def.inline?.(imp.type) },
          });
        } else if (m.def) value = implement(m.def, ctx, false);
        else problems.push(`${describeImport(imp)}: ${m.problem}`);
      } else if (imp.kind === 'memory') {
        const l = imp.limits;
        if (l.shared || l.memory64) problems.push(`${describeImport(imp)}: shared and 64-bit memories are not supported`);
        else if (l.min > MEMORY_LIMIT_PAGES) problems.push(`${describeImport(imp)}: minimum of ${l.min} pages exceeds the limit of ${MEMORY_LIMIT_PAGES} pages (16 MiB)`);
        else if (l.max !== undefined && l.max < l.min) problems.push(`${describeImport(imp)}: maximum ${l.max} is below minimum ${l.min}`);
        else value = importedMemory = new Wasm.Memory({ initial: l.min, maximum: Math.min(l.max ?? MEMORY_LIMIT_PAGES, MEMORY_LIMIT_PAGES) });
      } else if (imp.kind === 'table' && (imp.element === 'funcref' || imp.element === 'externref') && !imp.limits.memory64) {
        const desc: { element: 'anyfunc' | 'externref'; initial: number; maximum?: number } = { element: imp.element === 'funcref' ? 'anyfunc' : 'externref', initial: imp.limits.min };
        if (imp.limits.max !== undefined) desc.maximum = imp.limits.max;
        try {
          value = new Wasm.Table(desc);
        } catch (err) {
          problems.push(`${describeImport(imp)}: ${errorMessage(err)}`);
        }
      } else {
        problems.push(`${describeImport(imp)}: not provided by this host`);
      }
      if (value !== undefined) (importObject[imp.module] ??= {})[imp.name] = value;
    }
    if (problems.length > 0) {
      throw new GadgetError('load', `unsupported imports (${problems.length}):\n  ${problems.join('\n  ')}`);
    }
    if (shimmed.length > 0) {
      let fns;
      try {
        fns = instantiateShims(ctx.hostMem, shimmed.map((s) => s.imp));
      } catch (err) {
        throw new GadgetError('load', `building the host's i64 shims: ${errorMessage(err)}`);
      }
      shimmed.forEach((s, i) => { (importObject[s.module] ??= {})[s.name] = fns[i]; });
    }
    for (const { limits } of parsed.memories) {
      if (limits.min > MEMORY_LIMIT_PAGES) {
        throw new GadgetError('load', `memory declares a minimum of ${limits.min} pages; the limit is ${MEMORY_LIMIT_PAGES} pages (16 MiB)`);
      }
    }
    const bytes = clampMemoryMax(wasm, parsed, MEMORY_LIMIT_PAGES);

    let module: WasmModule;
    try {
      module = await Wasm.compile(bytes);
    } catch (err) {
      throw new GadgetError('load', `compiling the module: ${errorMessage(err)}`);
    }
    // An imported memory is usable before instantiation: host functions called from a start section see it.
    if (importedMemory) ctx.mem.bind(importedMemory);
    let instance: WasmInstance;
    try {
      instance = await Wasm.instantiate(module, importObject);
    } catch (err) {
      throw new GadgetError('load', `instantiating the module: ${err instanceof ProcExit ? err.message : errorMessage(err)}`);
    }
    const ex = instance.exports;
    ctx.mem.bind(importedMemory ?? Object.values(ex).find(isMemory));
    if (typeof ex.malloc === 'function') ctx.exports.malloc = ex.malloc as (n: number) => number;
    if (typeof ex.dataSourceCallback === 'function') {
      ctx.exports.dataSourceCallback = callbackAdapter(ex.dataSourceCallback as (...a: unknown[]) => unknown,
        parsed.exports.find((e) => e.name === 'dataSourceCallback')?.type);
    }
    self = new GadgetInstance(ctx, instance);
    // IG's WithStartFunctions("_initialize"): _initialize if exported, _start never.
    try {
      if (typeof ex._initialize === 'function') {
        const init = ex._initialize as () => unknown;
        callGuest('_initialize', '_initialize', () => init());
      }
      checkApiVersion(ex);
    } finally {
      self.flushOutput();
    }
    return self;
  }

  /** Runs one optional lifecycle export; throws GadgetError(phase, cause) on non-zero result or trap. */
  callPhase(phase: LifecyclePhase): void {
    const ctx = this.ctx;
    if (ctx.exitCode !== undefined) throw new GadgetError(phase, `the gadget has exited (proc_exit(${ctx.exitCode}))`);
    const fn = this.instance.exports[phase];
    // IG's eBPF operator publishes the gadget's maps in its Start, right before the wasm operator's.
    if (phase === 'gadgetStart') ctx.kernel.published = true;
    try {
      if (typeof fn !== 'function') return;
      const r = callGuest(phase, phase, fn as () => unknown);
      if (isFailure(r)) throw new GadgetError(phase, `${phase} failed (returned ${String(r)})`);
    } finally {
      // IG drops the handle map after Stop: the guest's handles are invalid from then on.
      if (phase === 'gadgetStop') ctx.handles.clear();
      // The guest's unterminated last line goes out before the phase's outcome: it often explains a failure.
      this.flushOutput();
    }
  }

  /** Data sources as the guest sees them (referenced ones; guest-added fields last). Do not mutate. */
  dataSources(): DataSourceInfo[] {
    return this.ctx.dataSourceList().filter((ds) => ds.referenced).map((ds) => ds.info());
  }

  subscribe(datasource: string, priority: number, cb: HostSubscriber): void {
    const ds = this.ctx.registry.get(datasource);
    if (!ds) throw new Error(`subscribe: unknown data source "${datasource}"`);
    ds.addSubscription(this.ctx.hostSubscription(priority, cb, false));
  }

  /**
   * Subscribes the formatters of the host-declared data sources (IG's operators' PreStart): called after
   * gadgetInit, so guest subscriptions of gadgetInit at the same priority run first, as in IG.
   */
  subscribeFormatters(decls: readonly DataSourceDecl[]): void {
    for (const decl of decls) {
      const ds = this.ctx.registry.get(decl.name);
      if (!ds || ds.origin !== 'host') continue;
      for (const spec of decl.formatters ?? []) {
        let fn;
        try {
          fn = makeFormatter(ds, spec);
        } catch (err) {
          throw new GadgetError('gadgetPreStart', errorMessage(err));
        }
        ds.addSubscription(new Subscription(formatterPriority(spec), this.ctx.nextSeq(), 0, 0n, 0, undefined, false, fn));
      }
    }
  }

  /** Subscribe to every referenced data source, existing and created later (e.g. to observe at 50000). */
  subscribeAll(priority: number, cb: HostSubscriber): void {
    const s = this.ctx.hostSubscription(priority, cb, true);
    this.ctx.allSubscribers.push(s);
    for (const ds of this.ctx.registry.values()) ds.addSubscription(s);
  }

  /**
   * Host-side emit into a data source (single: mapping; array: list of mappings). Runs all subscribers,
   * guest callbacks included, synchronously in priority order. Throws on unknown ds / bad field / bad value.
   */
  emit(datasource: string, data: PacketData): void {
    this.checkRunning();
    // Emits mostly repeat the same name: lookup remembers the last one (the registry version catches replacements).
    this.deliver(buildPacket(this.lookup(datasource), data));
  }

  /**
   * Host-side emit of one single packet given column-ordered values (as in HostSubscriber rows, in
   * `dataSources()` field order; missing trailing values are zero). Same semantics as `emit`, without the
   * per-key field lookups: for embedders replaying many packets (events files, benchmarks).
   */
  emitRow(datasource: string, values: readonly Value[]): void {
    this.checkRunning();
    this.emitValues(this.lookup(datasource), values);
  }

  /**
   * `emitRow` bound to one data source: returns a function that emits one single packet per call from
   * column-ordered values. The name is looked up again only when a data source was (re)registered since
   * (a newer newDataSource under the same name wins, as for `emit`). Throws here for an unknown name.
   */
  prepareEmitter(datasource: string): (values: readonly Value[]) => void {
    const ctx = this.ctx;
    let ds = this.lookup(datasource);
    let version = ctx.registryVersion;
    return (values) => {
      this.checkRunning();
      if (ctx.registryVersion !== version) { ds = this.lookup(datasource); version = ctx.registryVersion; }
      this.emitValues(ds, values);
    };
  }

  private checkRunning(): void {
    if (this.ctx.exitCode !== undefined) throw new GadgetError('emit', `the gadget has exited (proc_exit(${this.ctx.exitCode}))`);
  }

  /** The current data source of a name for host emits; remembers the last lookup. */
  private lookup(datasource: string): DataSource {
    const ctx = this.ctx;
    let ds = this.lastDs;
    if (datasource !== this.lastName || ctx.registryVersion !== this.lastVersion || ds === undefined) {
      ds = ctx.registry.get(datasource);
      if (!ds) throw new GadgetError('emit', `unknown data source "${datasource}"`);
      this.lastName = datasource; this.lastDs = ds; this.lastVersion = ctx.registryVersion;
    }
    return ds;
  }

  private emitValues(ds: DataSource, values: readonly Value[]): void {
    if (ds.type !== 'single') throw new GadgetError('emit', `data source "${ds.name}" is an array data source: emitRow emits single packets`);
    const fields = ds.fields;
    if (values.length > fields.length) throw new GadgetError('emit', `data source "${ds.name}" has ${fields.length} fields, got ${values.length} values`);
    const rec = ds.newRec(HType.PacketSingle);
    let i = 0;
    try {
      for (; i < values.length; i++) {
        const v = values[i];
        if (v === undefined || v === null) continue;
        const f = fields[i];
        // The commonest case inline (an in-range integer for a uint32 field); everything else checks fully.
        if (f.kind === K.Uint32 && typeof v === 'number' && v >>> 0 === v) rec.dv.setUint32(f.offset, v, true);
        else if (f.offset >= 0) writeScalarValue(rec.dv, f.offset, f.kind, v);
        else rec.dyn[f.dynIndex] = dynamicBytes(f.kind, v);
      }
    } catch (err) {
      ds.recycle(rec);
      throw new GadgetError('emit', `data source "${ds.name}", field "${fields[i].name}": ${errorMessage(err)}`);
    }
    this.deliver(rec);
  }

  /** Delivers a packet the host built, then recycles it; a guest that exits in a callback ends the gadget. */
  private deliver(pkt: Packet): void {
    try {
      emitPacket(this.ctx, pkt.ds, pkt);
    } catch (err) {
      if (err instanceof ProcExit) {
        this.flushOutput();
        throw new GadgetError('dataSourceCallback', err.message);
      }
      throw err;
    } finally {
      recyclePacket(pkt);
    }
  }

  /** The config as setConfig left it (a copy). */
  config(): Record<string, unknown> {
    return structuredClone(this.ctx.config);
  }

  // --- additions to the agreed contract ---

  /** Emits the guest's unterminated last stdout/stderr lines (done after gadgetPostStop and on exit). */
  flushOutput(): void {
    this.ctx.stdio?.flush();
  }

  /** The gadget's maps and their entries (shown after a run). */
  maps(): MapSnapshot[] {
    return this.ctx.kernel.snapshot();
  }

  /** The proc_exit code once the guest has exited, else undefined. */
  get exitCode(): number | undefined { return this.ctx.exitCode; }

  /** Live guest handles (for tests and diagnostics). */
  get handleCount(): number { return this.ctx.handles.size; }

  /** The raw exports (tests and benchmarks call guest functions directly). */
  get exports(): WasmExports { return this.instance.exports; }

  private reportCallbackError(err: GadgetError): void {
    if (this.onCallbackError) this.onCallbackError(err);
    else this.ctx.log(0, err.message);
  }
}

function declareDataSource(ctx: HostContext, decl: DataSourceDecl): void {
  const where = `host data source "${decl.name}"`;
  if (typeof decl.name !== 'string' || decl.name === '') throw new GadgetError('load', 'host data source with an empty name');
  if (ctx.registry.has(decl.name)) throw new GadgetError('load', `${where} is declared twice`);
  if (decl.type !== 'single' && decl.type !== 'array') throw new GadgetError('load', `${where}: type must be single or array, got ${String(decl.type)}`);
  if (!Array.isArray(decl.fields)) throw new GadgetError('load', `${where}: fields must be a list`);
  const ds = new DataSource(decl.name, decl.type, 'host', ctx.hostMem);
  for (const f of decl.fields) {
    if (typeof f?.name !== 'string' || f.name === '') throw new GadgetError('load', `${where}: a field has no name`);
    if (f.tags !== undefined && (!Array.isArray(f.tags) || !f.tags.every((t) => typeof t === 'string'))) {
      throw new GadgetError('load', `${where}, field "${f.name}": tags must be a list of strings`);
    }
    const kind = kindFromName(String(f.kind));
    if (kind === undefined) throw new GadgetError('load', `${where}, field "${f.name}": unknown kind "${f.kind}"`);
    const field = ds.addField(f.name, kind, 'host');
    if (!field) throw new GadgetError('load', `${where}: field "${f.name}" is declared twice`);
    field.tags.push(...(f.tags ?? []));
    if (kind === Kind.CString && typeof f.size === 'number' && f.size > 1) field.maxBytes = f.size - 1;
  }
  ctx.register(ds);
}
