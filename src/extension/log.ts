// The "Inspektor Gadget" log output channel: the extension's own messages and, per run, the guest's logs
// at their levels prefixed with the gadget's name, phase transitions, stdout/stderr and errors.
import * as vscode from 'vscode';
import type { HostEvent, LogLevel, Phase } from '../host/api';

export const CHANNEL_NAME = 'Inspektor Gadget';

const CHANNEL_LEVEL: Record<LogLevel, vscode.LogLevel> = {
  error: vscode.LogLevel.Error, warn: vscode.LogLevel.Warning, info: vscode.LogLevel.Info,
  debug: vscode.LogLevel.Debug, trace: vscode.LogLevel.Trace,
};

export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel(CHANNEL_NAME, { log: true });
  }

  info(message: string): void { this.channel.info(message); }
  warn(message: string): void { this.channel.warn(message); }
  error(message: string): void { this.channel.error(message); }
  debug(message: string): void { this.channel.debug(message); }

  at(level: LogLevel, message: string): void {
    switch (level) {
      case 'error': this.channel.error(message); break;
      case 'warn': this.channel.warn(message); break;
      case 'info': this.channel.info(message); break;
      case 'debug': this.channel.debug(message); break;
      case 'trace': this.channel.trace(message); break;
    }
  }

  /** A logger for one run: every line starts with `[gadgetName]`; `record` also gets each line (run summaries). */
  forGadget(gadgetName: string, record?: (line: string) => void): GadgetLog {
    return new GadgetLog(this, gadgetName, record);
  }

  show(): void { this.channel.show(true); }

  /** Whether lines at `level` are shown: the channel has its own level (the Output view's gear). */
  shows(level: LogLevel): boolean {
    const own = this.channel.logLevel;
    if (own === vscode.LogLevel.Off) return false;
    return own <= CHANNEL_LEVEL[level];
  }

  dispose(): void { this.channel.dispose(); }
}

export class GadgetLog {
  private readonly phaseStarted = new Map<Phase, number>();

  constructor(private readonly log: Log, readonly gadgetName: string, private readonly record?: (line: string) => void) {}

  line(level: LogLevel, message: string): void {
    const text = `[${this.gadgetName}] ${message}`;
    this.log.at(level, text);
    this.record?.(`${level}: ${text}`);
  }

  /** Writes what the host reports. Packets and data sources are counted elsewhere, not logged line by line. */
  event(e: HostEvent): void {
    switch (e.type) {
      case 'log':
        // stdout is ordinary output (info); stderr lines keep the level the host gave them.
        this.line(e.level, e.stream ? `${e.stream}: ${e.message}` : e.message);
        break;
      case 'phase':
        if (e.state === 'begin') {
          this.phaseStarted.set(e.phase, Date.now());
          this.line('info', `phase ${e.phase}`);
        } else {
          const t0 = this.phaseStarted.get(e.phase);
          this.line('debug', `phase ${e.phase} done${t0 === undefined ? '' : ` in ${Date.now() - t0} ms`}`);
        }
        break;
      case 'datasources':
        for (const ds of e.datasources) {
          const fields = ds.fields.map((f) => `${f.name}:${f.kind}`).join(', ');
          this.line('debug', `data source ${ds.name} (${ds.type}, ${ds.origin}): ${fields}`);
        }
        break;
      case 'config':
        this.line('debug', `config: ${safeJson(e.config)}`);
        break;
      case 'maps':
        for (const m of e.maps) this.line('debug', `map ${m.name}: ${m.entries.length}/${m.maxEntries} entries`);
        break;
      case 'error':
        this.line('error', `${e.phase} failed: ${e.message}`);
        break;
      case 'packets':
        break;
    }
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  } catch {
    return String(v);
  }
}
