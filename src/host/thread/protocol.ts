// Messages between GadgetRunner (the caller's thread) and the guest's worker thread, plus the layout of the
// shared heartbeat the caller watches to detect a guest call that never returns.
import type { DataSourceDecl, DataSourceInfo, HostEvent, KernelOptions, LogLevel, PacketData, Phase, RunResult } from '../api';
import type { WireBatch } from './wire';

/** A HostEvent as it crosses the thread: packet batches in wire form (see wire.ts). */
export type WireEvent = Exclude<HostEvent, { type: 'packets' }> | { type: 'packets'; wire: WireBatch };

export interface StartMessage {
  t: 'start';
  wasm: Uint8Array;
  params: Record<string, string>;
  config: Record<string, unknown>;
  dataSources: DataSourceDecl[];
  kernel: KernelOptions;
  logLevel: LogLevel;
  observePriority: number;
  flushMs: number;
  /** Flush as soon as this many rows/logs are queued, whatever the timer says. */
  maxBatchRows: number;
  heartbeat: SharedArrayBuffer;
}

export type ToWorker =
  | StartMessage
  /** Emit the packets in order; answered by `emitted` with the same id. */
  | { t: 'emit'; id: number; datasource: string; packets: PacketData[] }
  /** Emit the same packet `count` times (a source generating events next to the guest, like IG's eBPF side). */
  | { t: 'emitRepeat'; id: number; datasource: string; data: PacketData; count: number }
  /** Packets as columns (wire.ts): rows are packets, or rows sharing a packet number form an array packet. */
  | { t: 'emitWire'; id: number; wire: WireBatch }
  | { t: 'stop'; id: number };

export type FromWorker =
  /** Logs, phase marks, data sources and packet batches, in the order they happened. */
  | { t: 'events'; events: WireEvent[] }
  | { t: 'started'; datasources: DataSourceInfo[] }
  | { t: 'failed'; phase: Phase; message: string }
  /** `error` alone: the packet was refused (bad data source, field or value); with `phase`: the gadget failed. */
  | { t: 'emitted'; id: number; count: number; error?: string; phase?: Phase }
  | { t: 'stopped'; id: number; result: RunResult };

/** Int32 slots of the heartbeat SharedArrayBuffer. */
export const HB_PHASE = 0; // index into HB_PHASES of the guest call in progress; 0 = idle (waiting for messages)
export const HB_SEQ = 1; // incremented when a guest call (a phase or one packet's delivery) begins
export const HB_STOP = 2; // set by the caller when stop() is called: emits in progress end early
export const HB_POSTED = 3; // `events` messages the worker has posted
export const HB_CONSUMED = 4; // `events` messages the caller has handled (notified on change)
export const HB_HOST_MS = 5; // ms the host worked inside guest calls (fd_write, flushing batches): not the guest's time
export const HB_SLOTS = 6;

/**
 * Most `events` messages in flight before the worker waits for the caller (back-pressure). Without it a
 * source faster than the caller grows the caller's queue without bound, and stop() waits behind the backlog.
 */
export const MAX_IN_FLIGHT = 8;

/** Phase codes in the heartbeat; 'emit' is a host-side emit, i.e. the guest's callbacks for one packet. */
export const HB_PHASES: readonly (Phase | 'idle')[] = [
  'idle', 'load', 'gadgetInit', 'gadgetPreStart', 'gadgetStart', 'emit', 'gadgetStop', 'gadgetPostStop',
];
