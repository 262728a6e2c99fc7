// What the run orchestration needs from its surroundings, as small interfaces: the extension passes
// adapters over VS Code's API, the unit tests pass in-memory ones over real files.
import type { DataSourceInfo, HostEvent, LogLevel, MapSnapshot, PacketBatch, RunResult } from '../../host/api';
import type { RunPlan } from '../../ebpf/run-plan';
import type { GadgetSpec } from '../../ebpf';
import type { GadgetMetadata, WasmParam } from '../../metadata/types';
import type { NoWasmAction, NoWasmFacts } from './messages';

/** A gadget as the orchestration sees it; the extension's own type (with URIs) extends it. */
export interface GadgetRef {
  name: string;
  /** Stable id for remembered choices. */
  key: string;
}

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

export type ResolvedRequest = Required<RunRequest>;

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
  /** The run's lines as written to the log (the latest 2000). */
  logs: string[];
}

/** The gadget's eBPF object, read (src/workbench/object.ts); `error` says why it could not be. */
export interface ObjectInput { path?: string; bytes?: Uint8Array; spec?: GadgetSpec; plan?: RunPlan; error?: string }

/** Reading a gadget's files (its folder, its image, the settings that name its parts). */
export interface GadgetFiles<G extends GadgetRef> {
  /** The gadget's folder as a path. */
  folder(g: G): string;
  /** The image tarball's path when the gadget is an image. */
  image(g: G): string | undefined;
  /** The module found without asking (a path; '' for an image that has none), else the candidates to choose from. */
  findWasm(g: G): Promise<{ module?: string; candidates: string[] }>;
  /** Remembers the module the user chose. */
  rememberWasm(g: G, path: string): Promise<void>;
  /** The wasm module's bytes (an image's own module when `path` is the image; undefined when it has none). */
  wasmBytes(g: G, path: string): Promise<Uint8Array | undefined>;
  hasObject(g: G): Promise<boolean>;
  /** Facts for the message shown when the gadget has neither a module nor an object. */
  noWasmFacts(g: G): Promise<NoWasmFacts>;
  object(g: G, yaml: string | undefined): Promise<ObjectInput>;
  /** Events files of the gadget (paths). */
  eventsFiles(g: G): Promise<string[]>;
  /** gadget.yaml's text (undefined when unreadable); `strict` throws naming the first invalid UTF-8 byte. */
  yamlText(g: G, strict?: boolean): Promise<string | undefined>;
  /** A file's text, strictly decoded; undefined when unreadable. */
  readText(path: string): Promise<string | undefined>;
}

/** The settings a run reads when it starts. */
export interface RunSettings {
  logLevel: LogLevel;
  callTimeoutMs: number;
  openGrid: boolean;
  cpus?: number;
  mntnsFilter?: bigint[];
}

/** Where a run's lines go (the extension's output channel). */
export interface RunLog {
  line(level: LogLevel, message: string): void;
  event(e: HostEvent): void;
}

/** The packet grid of one run. */
export interface GridSink {
  setDataSources(ds: DataSourceInfo[]): void;
  push(batch: PacketBatch): void;
  runEnded(result: RunResult): void;
  stats(): Promise<{ datasource: string; received: number; shown: number }[]>;
  onDidDispose(listener: () => void): void;
  dispose(): void;
}

/** A run's progress display (a notification with Cancel, a status-bar item). */
export interface RunTracker {
  report(p: { packets: number; rate: number; stopping: boolean }): void;
  end(): void;
}

export interface ParamQuestion { title: string; param: WasmParam; key: string; initial: string }

export type Notice =
  | { kind: 'done'; message: string }
  | { kind: 'info'; message: string }
  | { kind: 'error'; message: string; actions: ('Show Log' | 'Re-run')[] };

/** What the orchestration asks of the user and shows to them. */
export interface RunUi<G extends GadgetRef> {
  /** One of `candidates`, or `browse` to look elsewhere; undefined when cancelled. */
  pickWasm(g: G, candidates: string[]): Promise<{ file: string } | { browse: true } | undefined>;
  /** A module picked anywhere (a file dialog), undefined when cancelled. */
  browseWasm(g: G): Promise<string | undefined>;
  /** Tells that the gadget has nothing to run; resolves with the way out the user took. */
  noWasm(g: G, message: string, actions: NoWasmAction[]): Promise<NoWasmAction | undefined>;
  /** Does `action` (build the object, run another gadget) after a no-wasm message. */
  wayOut(g: G, action: Exclude<NoWasmAction, 'pickWasm'>): Promise<void>;
  /** A path, null for "no events file", undefined when cancelled; `last` is the remembered choice. */
  pickEvents(g: G, files: string[], last: string | null | undefined): Promise<string | null | undefined>;
  /** A param's value, undefined when cancelled. */
  askParam(g: G, q: ParamQuestion): Promise<string | undefined>;
  /** Which of several running sessions to stop. */
  pickRunning<T extends { gadget: G; id: number }>(running: T[]): Promise<T | undefined>;
  /** Per-workspace memory of choices. */
  remembered<T>(key: string): T | undefined;
  remember(key: string, value: unknown): Promise<void>;
  settings(): RunSettings;
  /** The log of one run; `record` receives each line as written. */
  log(g: G, record: (line: string) => void): RunLog;
  /** Whether the log shows lines of this level. */
  logShows(level: LogLevel): boolean;
  showLog(): void;
  /** Shows progress until end(); `cancel` stops the run. `where` follows the gadget's name ("on ig"). */
  track(g: G, id: number, cancel: () => void, where?: string): RunTracker;
  openGrid(g: G, metadata: GadgetMetadata | undefined, where?: string): Promise<GridSink>;
  /** Shows a notice; resolves with the action clicked. */
  notify(n: Notice): Promise<string | undefined>;
}

export type { MapSnapshot };
