// The per-instance state every host function works on. Host functions are created per instance as
// closures over one HostContext, so the hot paths reach memory and handles without lookups.
import { DataSourceInfo, GadgetError, LOG_LEVELS, LogLevel, Value } from '../api';
import { HandleTable } from './handles';
import { KernelEnv } from './kernel';
import { HostMemory } from './host-memory';
import { GuestMemory } from './memory';
import { MAX_METADATA_BYTES } from './limits';
import { DataSource, Subscription } from './model';
import { Wasm } from './wasm-api';

export type LogSink = (level: LogLevel, message: string, stream?: 'stdout' | 'stderr') => void;

export interface GuestExports {
  malloc?: (size: number) => number;
  dataSourceCallback?: (cbID: bigint, ds: number, data: number) => void;
}

/** Thrown through the guest by WASI proc_exit: unwinds the wasm stack and ends the gadget. */
export class ProcExit extends Error {
  constructor(readonly code: number) {
    super(`guest called proc_exit(${code})`);
    this.name = 'ProcExit';
  }
}

/**
 * The text of a trap or host error thrown through the guest, in the gadget's terms: a wasm trap says so,
 * a stack overflow names the guest's recursion, host errors (abi/guard.ts) carry their own message.
 */
export function causeOf(err: unknown): string {
  if (err instanceof ProcExit) return err.message;
  if (err instanceof Wasm.RuntimeError) return `wasm trap: ${err.message}`;
  if (err instanceof RangeError && /call stack/i.test(err.message)) return 'wasm trap: call stack exhausted (the guest recursed too deeply)';
  if (err instanceof Error && (err.name === 'HostFault' || err.name === 'HostTrap')) return err.message;
  if (err instanceof Error) return `host error (a bug in the host, not in the gadget; please report it): ${err.name}: ${err.message}`;
  return String(err);
}

export class HostContext {
  readonly mem = new GuestMemory();
  /** The host's own wasm memory: the i64 shim's high-half cell, the handle mirror, the records' bytes. */
  readonly hostMem = new HostMemory();
  readonly handles: HandleTable;
  /** Current data source per name (IG's gadget context: a newer newDataSource with the same name wins). */
  readonly registry = new Map<string, DataSource>();
  /** Host subscribers added with subscribeAll, applied to data sources created later too. */
  readonly allSubscribers: Subscription[] = [];
  readonly exports: GuestExports = {};
  /** The simulated kernel (maps, perf, syscalls, kallsyms, mntns filter). */
  kernel = new KernelEnv();
  readonly logLevelIndex: number;
  config: Record<string, unknown>;
  /** The guest's stdout/stderr line buffers (an abi/wasi.ts WasiOutput), created on first write. */
  stdio: { write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void; flush(): void } | undefined;
  /** Set by proc_exit: the instance is finished. */
  exitCode: number | undefined;
  /** Bumped whenever a name is (re)registered. */
  registryVersion = 0;
  /** Bytes of names and tags the guest made the host keep, and of setConfig writes (engine/limits.ts). */
  metadataBytes = 0;
  configBytes = 0;
  /** Told how long the host worked inside a guest call (ms), so that time is not charged to the guest. */
  onHostTime: ((ms: number) => void) | undefined;
  private seq = 0;
  private warnedOnce = new Set<string>();

  constructor(
    private readonly sink: LogSink,
    logLevel: LogLevel,
    readonly params: Record<string, string>,
    config: Record<string, unknown>,
    /** Reports a guest callback failure; the emit goes on with the next subscriber. */
    readonly callbackError: (err: GadgetError) => void,
  ) {
    this.logLevelIndex = Math.max(0, LOG_LEVELS.indexOf(logLevel));
    this.config = config;
    this.handles = new HandleTable(() => this.log(1, 'too many open handles'), this.hostMem);
  }

  nextSeq(): number { return ++this.seq; }

  /** Whether a message at level index `level` (0 error … 4 trace) passes the threshold. */
  shouldLog(level: number): boolean {
    return level >= 0 && level <= this.logLevelIndex;
  }

  log(level: number, message: string): void {
    if (this.shouldLog(level)) this.sink(LOG_LEVELS[level], message);
  }

  /** A line the guest wrote to stdout/stderr through WASI: always delivered. */
  stream(stream: 'stdout' | 'stderr', line: string): void {
    this.sink(stream === 'stdout' ? 'info' : 'warn', line, stream);
  }

  warnOnce(key: string, message: string): void {
    if (this.warnedOnce.has(key)) return;
    this.warnedOnce.add(key);
    this.log(1, message);
  }

  /**
   * Whether `size` is within a limit of engine/limits.ts; if not, warns naming the function, the thing
   * and the limit (the caller then returns its error value to the guest).
   */
  within(fn: string, what: string, size: number, max: number): boolean {
    if (size <= max) return true;
    this.log(1, `${fn}: ${what} of ${size} exceeds the host's limit of ${max}`);
    return false;
  }

  /** Counts `bytes` of names/tags against the run's metadata budget; false (with a warning) when spent. */
  keepMetadata(fn: string, bytes: number): boolean {
    if (!this.within(fn, 'names and tags in total (bytes, whole run)', this.metadataBytes + bytes, MAX_METADATA_BYTES)) return false;
    this.metadataBytes += bytes;
    return true;
  }

  /** Logs why a handle lookup failed, as IG does. */
  badHandle(fn: string, h: number): void {
    const why = this.handles.lastError === 'bad type' ? `bad handle type for ${h}` : `handle ${h} not found`;
    this.log(1, `${fn}: ${why}`);
  }

  dataSourceList(): DataSource[] {
    return [...this.registry.values()];
  }

  /** Registers a data source under its name (replacing an older one) and attaches subscribeAll subscribers. */
  register(ds: DataSource): void {
    this.registry.set(ds.name, ds);
    this.registryVersion++;
    for (const s of this.allSubscribers) ds.addSubscription(s);
  }

  hostSubscription(priority: number, cb: (info: DataSourceInfo, rows: Value[][], isArray: boolean) => void, all: boolean): Subscription {
    return new Subscription(priority | 0, this.nextSeq(), 0, 0n, 0, cb, all);
  }
}

/**
 * Copies `bytes` into memory the guest allocates with its exported `malloc` and returns the bufPtr
 * (0 for empty, or when there is no malloc or it fails). The seed revision's way of returning buffers.
 */
export function mallocCopy(ctx: HostContext, fn: string, bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  const malloc = ctx.exports.malloc;
  if (!malloc) { ctx.warnOnce(`${fn}:malloc`, `${fn}: the module does not export malloc; returning an empty value`); return 0n; }
  const addr = malloc(bytes.length) >>> 0; // may grow memory: GuestMemory re-fetches its views
  if (addr === 0 || !ctx.mem.writeAt(addr, bytes)) {
    ctx.log(1, `${fn}: malloc(${bytes.length}) returned an unusable address 0x${addr.toString(16)}`);
    return 0n;
  }
  return (BigInt(bytes.length) << 32n) | BigInt(addr);
}
