// The embedded engine: the gadget's wasm module in our own host (a worker thread via GadgetRunner), fed
// the events file's packets after gadgetStart, stopped on request or once the events are in. The one
// start/feed/stop sequence: the extension's run session and `ig-wasm run` both run gadgets through it.
import { errorMessage } from '../../common/errors';
import { GadgetError, type LogLevel } from '../../host/api';
import { NULL_GUEST } from '../../host/engine/null-guest';
import type { Engine, RunEnd, RunEvent, RunSetup, RunningRun } from './engine';

export class EmbeddedEngine implements Engine {
  readonly name = 'embedded host';

  start(setup: RunSetup): RunningRun {
    return new EmbeddedRun(setup);
  }
}

class EmbeddedRun implements RunningRun {
  readonly done: Promise<RunEnd>;
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private readonly stopRequested: Promise<'stop'>;
  private requestStop!: () => void;
  private runner?: import('../../host/thread/runner').GadgetRunner;
  private terminated = false;

  constructor(private readonly setup: RunSetup) {
    this.stopRequested = new Promise((r) => { this.requestStop = () => r('stop'); });
    this.done = this.execute();
  }

  onEvent(listener: (e: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  stop(): Promise<RunEnd> {
    this.requestStop();
    return this.done;
  }

  terminate(): void {
    this.terminated = true;
    this.requestStop();
    void this.runner?.terminate();
  }

  private emit(e: RunEvent): void {
    for (const l of [...this.listeners]) l(e);
  }

  private note(level: LogLevel, message: string): void {
    this.emit({ type: 'note', level, message });
  }

  private async execute(): Promise<RunEnd> {
    const s = this.setup;
    // Loaded on first run: the host and the events feeder are not needed before.
    const [{ GadgetRunner }, { feedEvents }] = await Promise.all([import('../../host/thread/runner'), import('../../events/feed')]);
    let runner: InstanceType<typeof GadgetRunner>;
    try {
      runner = new GadgetRunner({
        wasm: s.wasm ?? NULL_GUEST, params: s.params, config: s.config, dataSources: s.dataSources, kernel: s.kernel,
        logLevel: s.logLevel, callTimeoutMs: s.callTimeoutMs,
      });
    } catch (e) {
      // Said as the runner says its failures, so the log or the CLI shows it.
      const error = { phase: 'load' as const, message: errorMessage(e) };
      this.emit({ type: 'error', ...error });
      return { ok: false, error, config: s.config, packets: 0 };
    }
    this.runner = runner;
    runner.onEvent((e) => this.emit(e));
    if (this.terminated) await runner.terminate();
    let inputError: string | undefined;
    try {
      const started = await Promise.race([runner.start(), this.stopRequested]);
      if (started !== 'stop') {
        inputError = s.checkStarted?.(started);
        if (inputError === undefined && s.events) await feedEvents(runner, s.events, started, { stopped: this.stopRequested });
        if (inputError === undefined && s.untilStopped) {
          this.note('info', 'running until stopped');
          await this.stopRequested;
        }
      }
    } catch (e) {
      // A GadgetError, or any failure once the runner is gone (it hung or died), was already reported by
      // the runner as an error event, and stop() returns it as the result. Anything else is ours to
      // report: a bad events file, an emit the host refused.
      if (!(e instanceof GadgetError) && runner.running) inputError = errorMessage(e);
    }
    if (inputError === undefined) return runner.stop();
    this.note('error', `emit failed: ${inputError}`);
    if (s.onInputError === 'terminate') await runner.terminate();
    const result = await runner.stop();
    return { ...result, ok: false, error: result.ok || s.onInputError === 'terminate' ? { phase: 'emit', message: inputError } : result.error, inputError };
  }
}
