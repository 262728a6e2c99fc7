// What a run tells the user when it ends or cannot start: the failure notification (phase, cause, the
// guest's own last words, a hint) and the message for a gadget that has nothing to run. Pure text.

/**
 * The guest's last words: its last error-level log or stderr line of a run, kept so that the failure
 * notification can quote the guest's own explanation ("gadgetInit failed (returned 1)" alone says
 * nothing about why).
 */
export class LastGuestError {
  private last: string | undefined;

  /** Feed every event of the run. */
  observe(e: { type: string; level?: string; message?: string; stream?: 'stdout' | 'stderr' }): void {
    if (e.type !== 'log' || e.message === undefined || e.message.trim() === '') return;
    if (e.stream === 'stderr') this.last = e.message;
    else if (e.stream === undefined && e.level === 'error') this.last = e.message;
  }

  get message(): string | undefined { return this.last; }
}

/** What the run was given, for the hint after a failure. */
export interface FailureContext {
  /** The run had no events file. */
  noEvents?: boolean;
  /** The gadget's events files the user could have chosen. */
  eventsFiles?: number;
}

/** The failure notification: phase and cause, the guest's last error line when it logged one, a hint. */
export function failureMessage(gadget: string, error: { phase: string; message: string } | undefined, guestSaid: string | undefined, ctx: FailureContext = {}): string {
  const base = error ? `Gadget ${gadget} failed in ${error.phase}: ${firstLine(error.message)}` : `Gadget ${gadget} failed`;
  const said = guestSaid === undefined ? base : `${base} — the gadget said: "${firstLine(guestSaid)}"`;
  const hint = failureHint(error?.phase, ctx);
  return hint ? `${said}. ${hint}` : said;
}

/**
 * A guest that subscribes to host data sources fails in gadgetInit when none are declared: without an
 * events file (or an eBPF object) nothing declares them.
 */
function failureHint(phase: string | undefined, ctx: FailureContext): string | undefined {
  if (phase !== 'gadgetInit' || !ctx.noEvents) return undefined;
  return ctx.eventsFiles
    ? 'It ran without an events file: its wasm module may need the data sources one declares, so run it again and pick an events file.'
    : 'It ran without an events file: its wasm module may need data sources that an events file or the eBPF object declares (see the README for the events file format).';
}

/** A message's first line, cut at 300 characters. */
export function firstLine(s: string): string {
  const line = s.split('\n', 1)[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Short counts for the status bar: 950, 1.2k, 35k, 1.4M. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** Ways out of a gadget with nothing to run; the extension maps each to a button. */
export type NoWasmAction = 'buildObject' | 'pickWasm' | 'runAnother';

/** Facts about a gadget with no wasm module and no eBPF object. */
export interface NoWasmFacts {
  /** It has eBPF source (program.bpf.c) that a build would turn into an object. */
  ebpfSource: boolean;
  /** Other gadgets in the workspace. */
  others: number;
}

/** The message for a gadget with no wasm module and no eBPF object, and the actions it offers. */
export function noWasmMessage(gadget: string, facts: NoWasmFacts): { message: string; actions: NoWasmAction[] } {
  const actions: NoWasmAction[] = [];
  if (facts.ebpfSource) actions.push('buildObject');
  if (facts.others > 0) actions.push('runAnother');
  actions.push('pickWasm');
  const lacks = `${gadget} has no wasm module and no eBPF object to run.`;
  const what = facts.ebpfSource
    ? ' Build its eBPF object from program.bpf.c to replay events through the object\'s data sources,'
    : ' Build its wasm module (build.yaml\'s `wasm:` or a *.wasm in its folder),';
  return { message: `${lacks}${what} run another gadget, or pick a wasm module by hand.`, actions };
}
