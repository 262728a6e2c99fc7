// The embedding contract of the host library: the types the CLI, the extension, the grid and the tests
// program against. Behind it: abi/ (the host functions, one file per API area), engine/ (instance,
// handles, memory, data model, the emit path) and thread/ (the runner and its worker).
// Nothing here imports `vscode`, `worker_threads` or the filesystem.

/** Field kinds, numbered as in IG's `pkg/gadget-service/api` (`api.Kind`). */
export enum Kind {
  Invalid = 0,
  Bool = 1,
  Int8 = 2,
  Int16 = 3,
  Int32 = 4,
  Int64 = 5,
  Uint8 = 6,
  Uint16 = 7,
  Uint32 = 8,
  Uint64 = 9,
  Float32 = 10,
  Float64 = 11,
  String = 12,
  CString = 13,
  Bytes = 14,
}

/** Lower-case names of the scalar kinds, as printed by `ig-wasm run -o json` and written in events files. */
export type ScalarKindName =
  | 'invalid' | 'bool' | 'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64'
  | 'float32' | 'float64' | 'string' | 'cstring' | 'bytes';

/** Element kinds of IG's array kinds (`KindFlagArray | element`, pkg/gadget-service/api/consts.go). */
export type ArrayElementKindName = Exclude<ScalarKindName, 'invalid'>;
export type ArrayKindName = `arrayof${ArrayElementKindName}`;

/** Every kind's lower-case name: the scalar kinds and IG's array kinds (`arrayofuint16`). */
export type KindName = ScalarKindName | ArrayKindName;

/** IG's array flag on a kind number. An array field holds its elements little-endian, packed. */
export const KIND_FLAG_ARRAY = 0x10000000;

/** Every scalar kind's name, indexed by its `Kind` number. */
export const KIND_NAMES: readonly ScalarKindName[] = [
  'invalid', 'bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
  'float32', 'float64', 'string', 'cstring', 'bytes',
];

/** Arrays of numbers and bools hold packed elements; arrays of strings (char[M][N]) hold the raw bytes. */
export const ARRAY_KIND_NAMES: readonly ArrayKindName[] = KIND_NAMES.filter((k): k is ArrayElementKindName => k !== 'invalid')
  .map((k) => `arrayof${k}` as const);

/** The kinds a declared field can hold a value of (all but `invalid`): events files, `--kind`. */
export const VALUE_KIND_NAMES: readonly KindName[] = [...KIND_NAMES.filter((k) => k !== 'invalid'), ...ARRAY_KIND_NAMES];

/**
 * A field value as it leaves the host. 64-bit integer kinds are `bigint`, other numeric kinds `number`,
 * Bool `boolean`, String/CString `string` (bytes decoded as UTF-8), Bytes `Uint8Array`.
 */
export type Value = boolean | number | bigint | string | Uint8Array;

/** Log levels in IG's order (the wasm API's level numbers 0..4). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** The log levels in IG's order: a level's index is its wasm API number (0 error … 4 trace). */
export const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];

export type DataSourceType = 'single' | 'array';

/** A field as the embedder declares it (host-side data sources) or reads it back. */
export interface FieldInfo {
  name: string;
  kind: KindName;
  tags: string[];
  /** Who added it: declared by the host (eBPF side / events file) or by the guest (`dataSourceAddField`). */
  origin: 'host' | 'guest';
}

export interface DataSourceInfo {
  name: string;
  type: DataSourceType;
  /** In field order (declaration order, guest-added fields last): rows in PacketBatch use this order. */
  fields: FieldInfo[];
  origin: 'host' | 'guest';
}

/** Host-side data source declaration: what IG's eBPF side would provide. */
export interface DataSourceDecl {
  name: string;
  type: DataSourceType;
  /** `size`: a CString's buffer in the eBPF struct (a longer value is cut to size - 1 bytes, as C leaves it). */
  fields: { name: string; kind: KindName; tags?: string[]; size?: number }[];
  /**
   * IG's operators that fill fields of this data source from others (enum names, errno, timestamps, …),
   * subscribed after gadgetInit in this order, so a guest subscribing in gadgetInit sees raw values first.
   */
  formatters?: FormatterSpec[];
}

/** One formatter of IG's ebpf or formatters operator: reads `source` field(s), writes the String `target`. */
export type FormatterSpec =
  | { type: 'enum'; source: string; target: string; signed: boolean; size: number; values: { name: string; value: string }[]; separator?: string }
  | { type: 'signal' | 'errno' | 'syscall' | 'timestamp' | 'bytes' | 'duration' | 'file_mode' | 'file_flags'; source: string; target: string; format?: string }
  | { type: 'l3endpoint'; ip: string; version: string; target: string }
  | { type: 'l4endpoint'; ip: string; version: string; port: string; target: string; endpoint: string; proto?: string; protoTarget?: string };

/** One packet's data for a host-side emit: a mapping for a single packet, a list for an array packet. */
export type PacketData = Record<string, Value> | Record<string, Value>[];

/**
 * Packets observed on one data source, column-ordered: `rows[i][j]` is the value of `fields[j]`.
 * A single packet is one row; an array packet is one row per element, all with the same `packet` number.
 * Packets are observed by a host subscriber at `observePriority` (default 50000, after the guest's
 * subscribers), so the guest's changes are visible.
 */
export interface PacketBatch {
  datasource: string;
  fields: string[];
  rows: Value[][];
  /** Sequence number of the packet each row belongs to (per data source, from 1). */
  packet: number[];
  /** For array packets: the element index of each row; absent for single data sources. */
  element?: number[];
}

/** Number of distinct packets in a batch: rows of one array packet share a packet number. */
export function countPackets(batch: PacketBatch): number {
  const packet = batch.packet;
  let n = 0;
  for (let i = 0; i < packet.length; i++) if (i === 0 || packet[i] !== packet[i - 1]) n++;
  return n;
}

/** Lifecycle phases, named after the guest exports that run them (plus load and the whole run). */
export type Phase =
  | 'load' | '_initialize' | 'gadgetAPIVersion' | 'gadgetInit' | 'gadgetPreStart' | 'gadgetStart'
  | 'emit' | 'gadgetStop' | 'gadgetPostStop' | 'dataSourceCallback';

/** What a running gadget reports to its embedder, in order. */
export type HostEvent =
  | { type: 'log'; level: LogLevel; message: string; stream?: 'stdout' | 'stderr' }
  | { type: 'phase'; phase: Phase; state: 'begin' | 'end' }
  | { type: 'datasources'; datasources: DataSourceInfo[] }
  | { type: 'packets'; batch: PacketBatch }
  | { type: 'config'; config: Record<string, unknown> }
  /** After gadgetPostStop: the gadget's maps and what they hold. */
  | { type: 'maps'; maps: MapSnapshot[] }
  | { type: 'error'; phase: Phase; message: string };

/**
 * A map of the gadget's eBPF side (from its object or an events file), as IG's eBPF operator would create
 * it; `type` is the BPF_MAP_TYPE_* number.
 */
export interface MapDecl {
  name: string;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  /** Maps of maps: the inner map's spec, which every inner map must match. */
  inner?: { name: string; type: number; keySize: number; valueSize: number; maxEntries: number };
  /** Initial entries (per-CPU maps: values in the kernel's per-CPU layout). */
  entries?: { key: Uint8Array; value: Uint8Array }[];
  /** Perf event arrays: the records the eBPF program writes, into the first reader opened on the array. */
  records?: Uint8Array[];
}

/** The kernel a gadget runs against, simulated: maps, perf records, syscalls, kallsyms, mntns filter. */
export interface KernelOptions {
  maps?: MapDecl[];
  /** Possible CPUs: the number of values per-CPU maps hold (default 1). */
  cpus?: number;
  /** Architecture for getSyscallName/getSyscallID (default x86_64). */
  arch?: SyscallArch;
  /** Names in /proc/kallsyms for kallsymsSymbolExists (default: none). */
  kallsyms?: string[];
  /** Enables the mount-namespace filter: shouldDiscardMntnsID keeps these IDs and discards the rest. */
  mntnsFilter?: bigint[];
  /** Syscall declarations read from the machine's tracefs, replacing the built-in table. */
  syscallDeclarations?: Record<string, SyscallParam[]>;
}

export type SyscallArch = 'x86_64' | 'arm64';

/** One syscall parameter as getSyscallDeclaration reports it. */
export interface SyscallParam { name: string; pointer: boolean }

/** A map's contents at the end of a run. Values of maps of maps are the inner maps' names. */
export interface MapSnapshot {
  name: string;
  type: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  entries: { key: Uint8Array; value: Uint8Array | string }[];
}

export interface RunOptions {
  /** The wasm module's bytes. */
  wasm: Uint8Array;
  /** Values for `getParamValue`, keyed by bare param key. */
  params?: Record<string, string>;
  /** Initial config (gadget.yaml contents, parsed); `setConfig` writes into a copy of it. */
  config?: Record<string, unknown>;
  /** Host-side data sources, declared before the guest is loaded. */
  dataSources?: DataSourceDecl[];
  /** The level `gadgetShouldLog` compares with (default 'info'). */
  logLevel?: LogLevel;
  /** Longest a single guest call (a phase or one callback delivery) may run before the worker is killed. */
  callTimeoutMs?: number;
  /** Priority of the host subscriber that reports packets (default 50000). */
  observePriority?: number;
  /** How often batched logs and packets are flushed out of the worker (default 20 ms). */
  flushMs?: number;
  /** The simulated kernel: the gadget's maps, perf records, syscalls, kallsyms, mntns filter. */
  kernel?: KernelOptions;
}

export interface RunResult {
  ok: boolean;
  /** Set when the gadget failed: the phase and the cause. */
  error?: { phase: Phase; message: string };
  /** The config at the end (nested keys, as `setConfig` wrote them). */
  config: Record<string, unknown>;
  /** Counters for status displays. */
  packets: number;
}

/**
 * The gadget failed: `phase` is where (named after the guest export that ran, or `load`/`emit`), `problem`
 * the cause (trap text, return value…). `message` is both, for people; programs read the fields.
 */
export class GadgetError extends Error {
  constructor(readonly phase: Phase, readonly problem: string) {
    super(`${phase}: ${problem}`);
    this.name = 'GadgetError';
  }
}

/**
 * The host refused one packet of an emit (unknown data source or field, a value that does not fit its
 * kind); the gadget goes on running. `index` is the packet's position in the emit call (from 0): the
 * packets before it were emitted, the rest were not.
 */
export class EmitError extends Error {
  constructor(readonly datasource: string, readonly index: number, readonly problem: string) {
    super(`emit into '${datasource}' failed at packet ${index + 1}: ${problem}`);
    this.name = 'EmitError';
  }
}
