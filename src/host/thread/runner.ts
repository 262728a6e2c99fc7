// GadgetRunner: runs a gadget's wasm module in a worker thread, for the CLI, the extension and the tests.
// The caller's thread never runs guest code. It watches a shared heartbeat the worker bumps before every
// guest call; a call that has not returned after `callTimeoutMs` gets the worker terminated and is reported
// as a GadgetError naming the phase (a wasm loop cannot be interrupted from inside the worker).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  EmitError, GadgetError, countPackets, type DataSourceInfo, type HostEvent, type PacketData, type Phase, type RunOptions, type RunResult, type Value,
} from '../api';
import { errorMessage } from '../../common/errors';
import { HB_CONSUMED, HB_HOST_MS, HB_PHASE, HB_PHASES, HB_SEQ, HB_SLOTS, HB_STOP, type FromWorker, type ToWorker } from './protocol';

/** Wall time of one guest call, in call timeouts, after which it ends however much of it the host spent. */
const HOST_CEILING = 10;
import { decodeBatch, encodeRows } from './wire';

export const DEFAULT_CALL_TIMEOUT_MS = 5000;
export const DEFAULT_FLUSH_MS = 20;
export const DEFAULT_OBSERVE_PRIORITY = 50000;
const MAX_BATCH_ROWS = 8192;

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped' | 'dead';
interface Pending<T> { resolve: (v: T) => void; reject: (e: Error) => void; datasource?: string }

export class GadgetRunner {
  private worker: Worker | undefined;
  private state: State = 'new';
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private readonly hb = new Int32Array(new SharedArrayBuffer(HB_SLOTS * 4));
  private watchdog: NodeJS.Timeout | undefined;
  private nextId = 1;
  private readonly pendingEmits = new Map<number, Pending<number>>();
  private startWait: Pending<DataSourceInfo[]> | undefined;
  private stopWait: Pending<RunResult> | undefined;
  private stopPromise: Promise<RunResult> | undefined;
  /** Set when the worker was terminated or died: every later call reports it. */
  private failure: GadgetError | undefined;
  private packets = 0;
  /** Data sources reported after gadgetInit, for emitRows' field kinds. */
  private readonly known = new Map<string, DataSourceInfo>();
  private readonly timeoutMs: number;

  constructor(private readonly opts: RunOptions) {
    this.timeoutMs = opts.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    if (!(this.timeoutMs > 0)) throw new RangeError(`callTimeoutMs must be a positive number, got ${opts.callTimeoutMs}`);
  }

  /** Listens to everything the gadget reports, in order. Returns the function that removes the listener. */
  onEvent(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads the module and runs it up to gadgetStart. Resolves with the data sources reported after
   *  gadgetInit; rejects with a GadgetError naming the failing phase. */
  start(): Promise<DataSourceInfo[]> {
    if (this.state !== 'new') return Promise.reject(new Error(`GadgetRunner.start: already ${this.state}`));
    this.state = 'starting';
    const o = this.opts;
    const worker = new Worker(path.join(__dirname, 'worker.js'));
    this.worker = worker;
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => this.die(this.crashPhase(), `the host's worker thread failed (a host bug or an exhausted resource, not the gadget's fault; please report it): ${err.message}`));
    worker.on('exit', (code) => {
      if (this.state !== 'stopped' && this.state !== 'dead') this.die(this.crashPhase(), `worker exited with code ${code}`);
    });
    const started = new Promise<DataSourceInfo[]>((resolve, reject) => { this.startWait = { resolve, reject }; });
    const wasm = o.wasm instanceof Uint8Array ? o.wasm : new Uint8Array(o.wasm);
    try {
      this.post({
        t: 'start', wasm, params: o.params ?? {}, config: o.config ?? {}, dataSources: o.dataSources ?? [], kernel: o.kernel ?? {},
        logLevel: o.logLevel ?? 'info', observePriority: o.observePriority ?? DEFAULT_OBSERVE_PRIORITY,
        flushMs: o.flushMs ?? DEFAULT_FLUSH_MS, maxBatchRows: MAX_BATCH_ROWS, heartbeat: this.hb.buffer as SharedArrayBuffer,
      });
    } catch (err) {
      // E.g. a config that cannot be cloned into the worker.
      this.fail(new GadgetError('load', `cannot pass the run options to the worker: ${errorMessage(err)}`), false);
      return started;
    }
    this.startWatchdog();
    return started;
  }

  /** Emits one packet into a data source (a mapping for single, a list for array data sources). */
  async emit(datasource: string, data: PacketData): Promise<void> {
    await this.emitMany(datasource, [data]);
  }

  /** Emits packets in order with one message to the worker. Resolves with the count once the worker has
   *  emitted them all (their packets may still be on their way out in a batch). */
  emitMany(datasource: string, packets: PacketData[]): Promise<number> {
    return this.send(datasource, (id) => ({ t: 'emit', id, datasource, packets }));
  }

  /** Emits the same packet `count` times, generated inside the worker: the analogue of IG's eBPF side,
   *  which feeds the wasm host from the same process. For load tests and benchmarks. */
  emitRepeat(datasource: string, data: PacketData, count: number): Promise<number> {
    return this.send(datasource, (id) => ({ t: 'emitRepeat', id, datasource, data, count }));
  }

  /**
   * The fast path for streams from the caller: packets as column-ordered rows, like a PacketBatch —
   * each row one packet of a single data source, or, with `packet` numbers, rows sharing a number form
   * one array packet. Columns cross the thread as typed arrays. Values must have the JS types the host
   * reports for the field kinds (number; bigint for 64-bit; boolean; string; Uint8Array): a wrong type
   * rejects at once, naming the row and field.
   */
  emitRows(datasource: string, fields: string[], rows: Value[][], packet?: number[]): Promise<number> {
    const ds = this.known.get(datasource);
    if (!ds && this.state === 'running') return Promise.reject(new Error(`cannot emit into '${datasource}': no such data source (the gadget has: ${[...this.known.keys()].join(', ') || 'none'})`));
    let enc: ReturnType<typeof encodeRows>;
    try {
      const kinds = fields.map((f) => ds?.fields.find((x) => x.name === f)?.kind ?? 'invalid');
      enc = encodeRows(datasource, fields, kinds, rows, packet);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.send(datasource, (id) => ({ t: 'emitWire', id, wire: enc.wire }), enc.transfer);
  }

  /** Runs gadgetStop and gadgetPostStop and ends the worker. Emits still queued or in progress end at
   *  the next packet (their promises resolve with the count emitted). Resolves (never rejects) with the
   *  outcome: a phase error, a guest killed on timeout and a crash all show up as `ok: false`. */
  stop(): Promise<RunResult> {
    if (this.stopPromise) return this.stopPromise;
    if (this.state === 'new') {
      this.state = 'stopped';
      return (this.stopPromise = Promise.resolve({ ok: true, config: this.opts.config ?? {}, packets: 0 }));
    }
    if (this.state === 'dead' || this.state === 'stopped') return (this.stopPromise = Promise.resolve(this.deadResult()));
    this.state = 'stopping';
    // Packets still queued or being emitted are dropped: the worker checks this flag per packet.
    Atomics.store(this.hb, HB_STOP, 1);
    this.stopPromise = new Promise<RunResult>((resolve, reject) => { this.stopWait = { resolve, reject }; })
      .catch(() => this.deadResult());
    this.post({ t: 'stop', id: this.nextId++ });
    return this.stopPromise;
  }

  /** Ends the worker at once, without gadgetStop. Pending calls reject. */
  async terminate(): Promise<void> {
    if (this.state === 'stopped' || this.state === 'dead') return;
    this.fail(new GadgetError(this.currentPhase() ?? 'emit', 'terminated by the embedder'), false);
    this.state = 'stopped';
  }

  get running(): boolean {
    return this.state === 'starting' || this.state === 'running' || this.state === 'stopping';
  }

  private send(datasource: string, make: (id: number) => ToWorker, transfer: ArrayBuffer[] = []): Promise<number> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.state !== 'running') return Promise.reject(new Error(`cannot emit into '${datasource}': the gadget is ${this.state}`));
    const id = this.nextId++;
    const p = new Promise<number>((resolve, reject) => this.pendingEmits.set(id, { resolve, reject, datasource }));
    this.worker!.postMessage(make(id), transfer);
    return p;
  }

  private post(m: ToWorker): void {
    this.worker!.postMessage(m);
  }

  private onMessage(m: FromWorker): void {
    switch (m.t) {
      case 'events':
        try {
          for (const e of m.events) {
            if (e.type === 'datasources') for (const d of e.datasources) this.known.set(d.name, d);
            if (e.type !== 'packets') { this.dispatch(e); continue; }
            const batch = decodeBatch(e.wire);
            this.packets += countPackets(batch);
            this.dispatch({ type: 'packets', batch });
          }
        } finally {
          // Handled: lets a worker waiting on back-pressure go on (protocol.ts MAX_IN_FLIGHT).
          Atomics.add(this.hb, HB_CONSUMED, 1);
          Atomics.notify(this.hb, HB_CONSUMED);
        }
        return;
      case 'started':
        // stop() may already have been called while starting: stay 'stopping'.
        if (this.state === 'starting') this.state = 'running';
        for (const d of m.datasources) this.known.set(d.name, d);
        this.startWait?.resolve(m.datasources);
        this.startWait = undefined;
        return;
      case 'failed':
        // The worker already reported the error event; end it and reject start().
        this.fail(new GadgetError(m.phase, m.message), false);
        return;
      case 'emitted': {
        const p = this.pendingEmits.get(m.id);
        this.pendingEmits.delete(m.id);
        if (!p) return;
        if (m.error === undefined) p.resolve(m.count);
        else if (m.phase) p.reject(new GadgetError(m.phase, m.error));
        else p.reject(new EmitError(p.datasource ?? '', m.count, m.error));
        return;
      }
      case 'stopped':
        this.state = 'stopped';
        this.shutdown();
        this.stopWait?.resolve(m.result);
        this.stopWait = undefined;
        return;
    }
  }

  private dispatch(e: HostEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private currentPhase(): Phase | undefined {
    const code = Atomics.load(this.hb, HB_PHASE);
    const p = HB_PHASES[code];
    if (!p || p === 'idle') return undefined;
    // A hang during a host-side emit is the guest's dataSourceCallback: our own subscriber cannot loop.
    return p === 'emit' ? 'dataSourceCallback' : p;
  }

  /** The phase to blame for a crash of the worker itself. */
  private crashPhase(): Phase {
    return this.currentPhase() ?? (this.state === 'starting' ? 'load' : this.state === 'stopping' ? 'gadgetStop' : 'emit');
  }

  private startWatchdog(): void {
    let seq = Atomics.load(this.hb, HB_SEQ);
    let since = Date.now();
    let hostAtSince = Atomics.load(this.hb, HB_HOST_MS);
    const every = Math.max(5, Math.min(100, Math.floor(this.timeoutMs / 5)));
    this.watchdog = setInterval(() => {
      const s = Atomics.load(this.hb, HB_SEQ);
      const phase = this.currentPhase();
      const now = Date.now();
      const host = Atomics.load(this.hb, HB_HOST_MS);
      if (!phase || s !== seq) { seq = s; since = now; hostAtSince = host; return; }
      // The guest's own time: the host's work inside the call (its output, batches) is not charged to it,
      // up to a ceiling of HOST_CEILING timeouts of wall time, so a guest cannot keep the host busy forever.
      const wall = now - since;
      if (wall - (host - hostAtSince) > this.timeoutMs || wall > HOST_CEILING * this.timeoutMs) {
        const emitting = phase === 'dataSourceCallback' ? this.pendingEmits.values().next().value?.datasource : undefined;
        const where = emitting ? ` while handling a packet of data source '${emitting}'`
          : phase === 'load' ? ' (in _initialize or gadgetAPIVersion)' : '';
        this.die(phase, `the guest did not return within ${this.timeoutMs} ms${where}; its worker was terminated`);
      }
    }, every);
    this.watchdog.unref();
  }

  /** The guest hung or the worker died: report it as an error event, then fail everything pending. */
  private die(phase: Phase, message: string): void {
    if (this.state === 'dead' || this.state === 'stopped') return;
    this.dispatch({ type: 'error', phase, message });
    this.fail(new GadgetError(phase, message), true);
  }

  private fail(err: GadgetError, dead: boolean): void {
    this.failure = err;
    this.state = dead ? 'dead' : 'stopped';
    this.shutdown();
    this.startWait?.reject(err);
    this.startWait = undefined;
    for (const p of this.pendingEmits.values()) p.reject(err);
    this.pendingEmits.clear();
    this.stopWait?.resolve(this.deadResult());
    this.stopWait = undefined;
  }

  private deadResult(): RunResult {
    const f = this.failure;
    return {
      ok: false,
      error: f ? { phase: f.phase, message: f.problem } : { phase: 'load', message: 'not running' },
      config: this.opts.config ?? {},
      packets: this.packets,
    };
  }

  private shutdown(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
    void this.worker?.terminate();
  }
}
