// What runs a gadget, seen from a run session: an Engine takes a run's setup and returns a RunningRun that
// reports what happens (data sources, packets, logs, maps, errors) and ends with a RunResult. The embedded
// host (embedded.ts) is one engine; a child process running `ig run … -o json` is meant to be another
// (its stdout's JSON events become `packets`, its stderr lines `log` events with `stream: 'stderr'`), so
// the session, the grid and the log do not care which one ran the gadget.
import type { DataSourceDecl, DataSourceInfo, HostEvent, KernelOptions, LogLevel, RunResult } from '../../host/api';
import type { EventsFile } from '../../events/parse';

/** Everything a run is made of, read and resolved: each engine takes the parts it understands. */
export interface RunSetup {
  /** The gadget: its name, its folder (a path) and, for a gadget image, the tarball's path. */
  gadget: { name: string; folder: string; image?: string };
  /** The wasm module; undefined when the gadget has none (its eBPF object's data sources run alone). */
  wasm?: Uint8Array;
  /** `params.wasm` values by bare key. */
  params: Record<string, string>;
  /** gadget.yaml, parsed: the config the guest reads. */
  config: Record<string, unknown>;
  /** Host-side data sources: the eBPF object's, then the events file's. */
  dataSources: DataSourceDecl[];
  /** The simulated kernel (an engine running the real `ig` ignores it). */
  kernel: KernelOptions;
  /** Packets to feed once the gadget started. */
  events?: EventsFile;
  /** Keep running after the events are fed until stop() (else the run ends after them). */
  untilStopped: boolean;
  logLevel: LogLevel;
  callTimeoutMs: number;
  /** Checks the data sources once the gadget started, before any packet is fed (the CLI's --fields and
   *  --filter name fields that exist only after gadgetInit): a message ends the run as an input error. */
  checkStarted?(dataSources: readonly DataSourceInfo[]): string | undefined;
  /** What an input error does to the gadget: 'stop' it cleanly (default: the log shows gadgetStop and the
   *  final config) or 'terminate' it at once (the CLI exits 2 and prints nothing more of the run). */
  onInputError?: 'stop' | 'terminate';
}

/** How a run ended. `inputError` is set when the run's inputs were at fault (a bad events file, a packet
 *  the host refused, a field the gadget lacks), not the gadget: the error's phase is then `emit`. */
export interface RunEnd extends RunResult {
  inputError?: string;
}

/** A line of the engine itself (not the gadget's): "running until stopped", a refused events file. */
export interface EngineNote { type: 'note'; level: LogLevel; message: string }

export type RunEvent = HostEvent | EngineNote;

export interface RunningRun {
  /** Everything the run reports, in order. Listeners added right after start() miss nothing. */
  onEvent(listener: (e: RunEvent) => void): () => void;
  /** Resolves (never rejects) when the run ended: by itself, after stop(), or failed. */
  readonly done: Promise<RunEnd>;
  /** Asks the gadget to stop cleanly (gadgetStop/PostStop; for a process: SIGINT) and resolves with `done`. */
  stop(): Promise<RunEnd>;
  /** Ends the run at once without a clean stop (the editor is closing). */
  terminate(): void;
}

export interface Engine {
  /** Shown in the log ("embedded host", "ig"). */
  readonly name: string;
  /**
   * false for an engine that runs the gadget's image (IG's own `ig`, `kubectl gadget`): the run then takes
   * no wasm module, events file or simulated kernel, and asks for the eBPF object's params too.
   */
  readonly local?: boolean;
  /** Where the run happens, after the gadget's name in titles ("on ig"); none for the embedded host. */
  readonly title?: string;
  start(setup: RunSetup): RunningRun;
}
