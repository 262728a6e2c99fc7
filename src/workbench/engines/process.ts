// One run of IG's own engine as a child process: stdout's JSON events become the grid's `datasources` and
// `packets` events, stderr's logrus lines become `log` events at their levels, the exit becomes a result
// (with one clear failure when it went wrong). Stop sends SIGINT (IG then stops the gadget and exits), and
// SIGKILL after a grace period. A command prefix (`sudo -n`) relays SIGINT to ig; a SIGKILL reaches only the
// prefix, so the grace period is the time ig has to stop on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import type { HostEvent } from '../../host/api';
import type { CommandLine, EngineKind } from './args';
import { onLines } from './command';
import { exitFailure, spawnFailure, type EngineFailure } from './failure';
import { JsonEventDecoder, type KnownDataSource } from './json-events';
import { parseStderrLine } from './logrus';

export interface EngineProcessOptions {
  engine: EngineKind;
  command: CommandLine;
  /** The gadget's data sources as gadget.yaml and the eBPF object declare them. */
  datasources: readonly KnownDataSource[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** How long ig has to stop after SIGINT before it is killed (default 5000 ms). */
  graceMs?: number;
  /** kubectl gadget: the kubeconfig context, for messages. */
  context?: string;
}

export interface EngineResult {
  ok: boolean;
  failure?: EngineFailure;
  /** Packets received over all data sources. */
  packets: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The run was stopped (Stop Gadget), not ended by the engine. */
  stopped: boolean;
}

const STDERR_TAIL = 40;
/** How long the pipes may stay open after the process exited. */
const PIPE_GRACE_MS = 1000;
const MAX_LINE_PROBLEMS = 5;

export class EngineProcess {
  readonly done: Promise<EngineResult>;
  private readonly listeners: ((e: HostEvent) => void)[] = [];
  private readonly decoder: JsonEventDecoder;
  private child?: ChildProcess;
  private stopped = false;
  private exited = false;
  private killTimer?: NodeJS.Timeout;
  private packets = 0;
  private stdoutLine = 1;
  private lineProblems = 0;
  private readonly stderrTail: string[] = [];
  private finish!: (r: EngineResult) => void;

  constructor(private readonly opts: EngineProcessOptions) {
    this.decoder = new JsonEventDecoder(opts.datasources);
    this.done = new Promise((r) => { this.finish = r; });
  }

  onEvent(listener: (e: HostEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Starts the process; the data sources are announced at once (tabs before the first event). */
  start(): void {
    if (this.child) throw new Error('an engine process starts once');
    this.emit({ type: 'datasources', datasources: this.decoder.datasources });
    const { command, args } = this.opts.command;
    const child = spawn(command, args, { cwd: this.opts.cwd, env: this.opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      // Either the spawn failed (no 'exit' follows) or a signal could not be sent.
      if (child.pid === undefined) spawnError = e;
    });
    onLines(child.stdout!, (lines) => this.onStdout(lines));
    onLines(child.stderr!, (lines) => this.onStderr(lines));
    // 'close' comes after the streams ended: every line has been handled. A process the prefix started
    // (ig under a killed sudo) may hold the pipes open after the prefix exited: then they are closed here.
    child.on('exit', () => {
      setTimeout(() => {
        if (this.exited) return;
        this.emit({ type: 'log', level: 'warn', message: `${command} exited but its output stays open (a process it started still runs?): no longer reading it` });
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, PIPE_GRACE_MS).unref();
    });
    child.on('close', (code, signal) => {
      this.exited = true;
      clearTimeout(this.killTimer);
      const failure = spawnError
        ? spawnFailure(this.opts.engine, command, this.opts.command.prefix, spawnError)
        : exitFailure(this.opts.engine, { code, signal, stderr: this.stderrTail, prefix: this.opts.command.prefix, stopped: this.stopped, context: this.opts.context });
      this.finish({ ok: !failure, failure, packets: this.packets, code, signal, stopped: this.stopped });
    });
  }

  /** SIGINT now, SIGKILL after the grace period; resolves with the result. */
  stop(): Promise<EngineResult> {
    if (!this.child) {
      this.stopped = true;
      this.finish({ ok: true, packets: 0, code: null, signal: null, stopped: true });
    } else if (!this.stopped && !this.exited) {
      this.stopped = true;
      this.child.kill('SIGINT');
      this.killTimer = setTimeout(() => {
        if (!this.exited) {
          this.emit({ type: 'log', level: 'warn', message: `no exit ${this.opts.graceMs ?? 5000} ms after SIGINT: killing it` });
          this.child?.kill('SIGKILL');
        }
      }, this.opts.graceMs ?? 5000);
    }
    return this.done;
  }

  private emit(e: HostEvent): void {
    for (const l of this.listeners) l(e);
  }

  private onStdout(lines: string[]): void {
    const first = this.stdoutLine;
    this.stdoutLine += lines.length;
    const { events, problems } = this.decoder.decode(lines, first);
    for (const e of events) {
      if (e.type === 'packets') this.packets += distinct(e.batch.packet);
      this.emit(e);
    }
    for (const p of problems) {
      // A few are told (with their line): IG prints nothing else on stdout with -o json, so they mean a mismatch.
      if (this.lineProblems++ < MAX_LINE_PROBLEMS) this.emit({ type: 'log', level: 'warn', message: `stdout line ${p.line}: ${p.message}` });
    }
  }

  private onStderr(lines: string[]): void {
    for (const raw of lines) {
      const l = parseStderrLine(raw);
      if (!l) continue;
      this.stderrTail.push(raw);
      if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
      // logrus lines carry their level; other text is marked as stderr output.
      this.emit(l.form === 'text' ? { type: 'log', level: l.level, message: l.message, stream: 'stderr' } : { type: 'log', level: l.level, message: l.message });
    }
  }
}

function distinct(packet: number[]): number {
  let n = 0;
  for (let i = 0; i < packet.length; i++) if (i === 0 || packet[i] !== packet[i - 1]) n++;
  return n;
}
