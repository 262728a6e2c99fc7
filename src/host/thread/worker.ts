// The guest's thread. GadgetRunner starts this file in a worker_threads Worker and talks to it with the
// messages of protocol.ts. Everything the guest produces (logs, packets seen by the observing host
// subscriber, phase marks, errors) is queued in order and posted in batches: every `flushMs`, and at once
// when `maxBatchRows` rows are queued. Before each guest call the worker bumps a shared heartbeat, so the
// caller's thread can tell which call hangs and terminate the worker: a wasm loop cannot be interrupted
// from inside.
import { parentPort } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { GadgetError, type DataSourceInfo, type LogLevel, type PacketData, type Phase, type RunResult, type Value } from '../api';
import { errorMessage } from '../../common/errors';
import { GadgetInstance, type LifecyclePhase } from '../engine/instance';
import { HB_CONSUMED, HB_HOST_MS, HB_PHASE, HB_PHASES, HB_POSTED, HB_SEQ, HB_STOP, MAX_IN_FLIGHT, type FromWorker, type StartMessage, type ToWorker, type WireEvent } from './protocol';
import { BatchBuilder, decodeBatch, type WireBatch } from './wire';

if (!parentPort) throw new Error('src/host/thread/worker.ts must be started as a worker thread (see GadgetRunner)');
const port = parentPort;
const post = (m: FromWorker): void => port.postMessage(m);

/** Queues events in order, merging consecutive packets of one data source into one columnar batch. */
class Outbox {
  private events: (WireEvent | BatchBuilder)[] = [];
  private queued = 0;
  private firstAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly packetNo = new Map<string, number>();
  packets = 0;

  constructor(private readonly flushMs: number, private readonly maxRows: number, private readonly hb: Int32Array,
    /** Host work done inside a guest call (a flush from a guest's emit): not charged to the guest. */
    private readonly charge: (ms: number) => void) {}

  push(e: WireEvent): void {
    this.events.push(e);
    this.queued++;
    this.afterQueue();
  }

  packet(info: DataSourceInfo, rows: Value[][], isArray: boolean): void {
    const no = (this.packetNo.get(info.name) ?? 0) + 1;
    this.packetNo.set(info.name, no);
    this.packets++;
    const last = this.events[this.events.length - 1];
    let batch: BatchBuilder;
    if (last instanceof BatchBuilder && last.datasource === info.name && last.fields.length === info.fields.length && last.isArray === isArray) {
      batch = last;
    } else {
      batch = new BatchBuilder(info.name, info.fields.map((f) => f.name), info.fields.map((f) => f.kind), isArray, Math.min(1024, this.maxRows));
      this.events.push(batch);
    }
    batch.add(rows, no);
    this.queued += rows.length || 1;
    this.afterQueue();
  }

  /** Flushes when the oldest queued event is older than flushMs: for long synchronous loops (no timers run). */
  flushIfDue(): void {
    if (this.queued && performance.now() - this.firstAt >= this.flushMs) this.flush();
  }

  flush(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    if (!this.events.length) return;
    const t0 = performance.now();
    const transfer: ArrayBuffer[] = [];
    const events = this.events.map((e): WireEvent => {
      if (!(e instanceof BatchBuilder)) return e;
      const f = e.finish();
      transfer.push(...f.transfer);
      return { type: 'packets', wire: f.wire };
    });
    this.events = [];
    this.queued = 0;
    // The wait for the caller is not host work: the watchdog already sees it as idle.
    const t1 = performance.now();
    this.awaitCaller();
    const t2 = performance.now();
    port.postMessage({ t: 'events', events } satisfies FromWorker, transfer);
    Atomics.add(this.hb, HB_POSTED, 1);
    this.charge(t1 - t0 + performance.now() - t2);
  }

  /**
   * Back-pressure: with MAX_IN_FLIGHT messages unhandled, wait until the caller catches up (or stop() is
   * called). The wait is not a guest call, so the heartbeat shows idle meanwhile and the watchdog's clock
   * restarts afterwards: a slow caller is never mistaken for a hung guest.
   */
  private awaitCaller(): void {
    const hb = this.hb;
    if (Atomics.load(hb, HB_POSTED) - Atomics.load(hb, HB_CONSUMED) < MAX_IN_FLIGHT) return;
    const phase = Atomics.load(hb, HB_PHASE);
    Atomics.store(hb, HB_PHASE, 0);
    for (;;) {
      const consumed = Atomics.load(hb, HB_CONSUMED);
      if (Atomics.load(hb, HB_POSTED) - consumed < MAX_IN_FLIGHT || Atomics.load(hb, HB_STOP) !== 0) break;
      Atomics.wait(hb, HB_CONSUMED, consumed, 50);
    }
    Atomics.add(hb, HB_SEQ, 1);
    Atomics.store(hb, HB_PHASE, phase);
  }

  private afterQueue(): void {
    if (this.queued >= this.maxRows) { this.flush(); return; }
    if (!this.timer) {
      this.firstAt = performance.now();
      this.timer = setTimeout(() => this.flush(), this.flushMs);
    }
  }
}

/**
 * The cause alone: a GadgetError's problem (its message also names the phase). Anything else escaped the
 * host's own code outside a host call: a host bug, said so rather than passed off as the gadget's fault.
 */
function cause(err: unknown): string {
  return err instanceof GadgetError ? err.problem : `host error (a bug in the host, not in the gadget; please report it): ${errorMessage(err)}`;
}

function phaseOf(err: unknown, fallback: Phase): Phase {
  return err instanceof GadgetError ? err.phase : fallback;
}

class GuestThread {
  private inst: GadgetInstance | undefined;
  private readonly hb: Int32Array;
  private readonly out: Outbox;
  private firstError: { phase: Phase; message: string } | undefined;
  private stopped = false;

  constructor(private readonly start: StartMessage) {
    this.hb = new Int32Array(start.heartbeat);
    this.out = new Outbox(start.flushMs, start.maxBatchRows, this.hb, (ms) => this.hostTime(ms));
  }

  private enter(phase: Phase): void {
    Atomics.store(this.hb, HB_PHASE, HB_PHASES.indexOf(phase));
    Atomics.add(this.hb, HB_SEQ, 1);
  }

  private leave(): void {
    Atomics.store(this.hb, HB_PHASE, 0);
  }

  /** Host work inside a guest call, published in whole ms for the watchdog (which does not charge it). */
  private hostMs = 0;
  hostTime(ms: number): void {
    this.hostMs += ms;
    Atomics.store(this.hb, HB_HOST_MS, Math.floor(this.hostMs));
  }

  private fail(phase: Phase, message: string): void {
    this.firstError ??= { phase, message };
    this.out.push({ type: 'error', phase, message });
  }

  private runPhase(phase: LifecyclePhase): boolean {
    this.out.push({ type: 'phase', phase, state: 'begin' });
    this.enter(phase);
    try {
      this.inst!.callPhase(phase);
    } catch (err) {
      this.fail(phaseOf(err, phase), cause(err));
      return false;
    } finally {
      this.leave();
    }
    this.out.push({ type: 'phase', phase, state: 'end' });
    return true;
  }

  async begin(): Promise<void> {
    const s = this.start;
    const onLog = (level: LogLevel, message: string, stream?: 'stdout' | 'stderr'): void =>
      this.out.push(stream ? { type: 'log', level, message, stream } : { type: 'log', level, message });
    this.out.push({ type: 'phase', phase: 'load', state: 'begin' });
    this.enter('load');
    try {
      this.inst = await GadgetInstance.load(s.wasm, {
        params: s.params, config: s.config, dataSources: s.dataSources, kernel: s.kernel, logLevel: s.logLevel, onLog,
        onHostTime: (ms) => this.hostTime(ms),
      });
    } catch (err) {
      this.fail(phaseOf(err, 'load'), cause(err));
      return this.abort();
    } finally {
      this.leave();
    }
    this.out.push({ type: 'phase', phase: 'load', state: 'end' });
    const inst = this.inst;
    inst.onCallbackError = (err) => this.fail('dataSourceCallback', cause(err));
    inst.subscribeAll(s.observePriority, (info, rows, isArray) => this.out.packet(info, rows, isArray));

    if (!this.runPhase('gadgetInit')) return this.abort();
    try {
      inst.subscribeFormatters(s.dataSources ?? []);
    } catch (err) {
      this.fail(phaseOf(err, 'gadgetPreStart'), cause(err));
      return this.abort();
    }
    const datasources = inst.dataSources();
    this.out.push({ type: 'datasources', datasources });
    if (!this.runPhase('gadgetPreStart') || !this.runPhase('gadgetStart')) return this.abort();
    this.out.flush();
    post({ t: 'started', datasources });
  }

  private abort(): void {
    this.out.flush();
    const e = this.firstError!;
    post({ t: 'failed', phase: e.phase, message: e.message });
  }

  emit(id: number, datasource: string, next: (i: number) => unknown, count: number): void {
    const inst = this.inst;
    let done = 0;
    let error: string | undefined;
    let phase: Phase | undefined;
    if (!inst || this.stopped) {
      error = 'the gadget is not running';
    } else {
      try {
        for (; done < count; done++) {
          // stop() was called: the rest of this stream is dropped so that gadgetStop runs promptly.
          if (Atomics.load(this.hb, HB_STOP) !== 0) break;
          this.enter('emit');
          inst.emit(datasource, next(done) as never);
          // Timers cannot run during this loop: flush by age every so often.
          if ((done & 255) === 255) this.out.flushIfDue();
        }
      } catch (err) {
        error = errorMessage(err);
        // A guest that exited (proc_exit in a callback) is the gadget failing, not a refused packet.
        if ((err instanceof GadgetError && err.phase !== 'emit') || inst.exitCode !== undefined) {
          phase = err instanceof GadgetError && err.phase !== 'emit' ? err.phase : 'dataSourceCallback';
          error = cause(err);
          this.fail(phase, error);
        }
      } finally {
        this.leave();
      }
    }
    const m: FromWorker = { t: 'emitted', id, count: done };
    if (error !== undefined) m.error = error;
    if (phase !== undefined) m.phase = phase;
    post(m);
  }

  finish(id: number): void {
    if (!this.stopped && this.inst) {
      this.stopped = true;
      // PostStop runs even when Stop failed: it is where guests release what they hold.
      this.runPhase('gadgetStop');
      this.runPhase('gadgetPostStop');
    }
    const maps = this.inst?.maps() ?? [];
    if (maps.length) this.out.push({ type: 'maps', maps });
    const config = this.inst?.config() ?? {};
    this.out.push({ type: 'config', config });
    this.out.flush();
    const result: RunResult = { ok: !this.firstError, config, packets: this.out.packets };
    if (this.firstError) result.error = this.firstError;
    post({ t: 'stopped', id, result });
  }
}

/** Mappings (single) or lists of mappings (rows sharing a packet number) from a caller's wire batch. */
function packetsFromWire(w: WireBatch): PacketData[] {
  const { rows, packet, fields } = decodeBatch(w);
  const obj = (row: Value[]): Record<string, Value> => {
    const o: Record<string, Value> = {};
    for (let j = 0; j < fields.length; j++) o[fields[j]] = row[j];
    return o;
  };
  if (!w.grouped) return rows.map(obj);
  const out: Record<string, Value>[][] = [];
  for (let i = 0; i < rows.length;) {
    const no = packet[i];
    const list: Record<string, Value>[] = [];
    while (i < rows.length && packet[i] === no) list.push(obj(rows[i++]));
    out.push(list);
  }
  return out;
}

let guest: GuestThread | undefined;

async function handle(m: ToWorker): Promise<void> {
  switch (m.t) {
    case 'start':
      guest = new GuestThread(m);
      return guest.begin();
    case 'emit':
      return guest!.emit(m.id, m.datasource, (i) => m.packets[i], m.packets.length);
    case 'emitRepeat':
      return guest!.emit(m.id, m.datasource, () => m.data, m.count);
    case 'emitWire': {
      const packets = packetsFromWire(m.wire);
      return guest!.emit(m.id, m.wire.datasource, (i) => packets[i], packets.length);
    }
    case 'stop':
      return guest!.finish(m.id);
  }
}

// One message at a time, in order: load is asynchronous and must not overlap the calls that follow it.
let chain = Promise.resolve();
port.on('message', (m: ToWorker) => {
  chain = chain.then(() => handle(m)).catch((err: unknown) => {
    // A bug of ours, not the guest's: let the runner report it rather than hang.
    setImmediate(() => { throw err; });
  });
});
