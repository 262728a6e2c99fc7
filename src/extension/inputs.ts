// Pure checks and formatting for Run Gadget's inputs: no `vscode` import, so unit tests run them in Node.
// (Param values are checked by src/metadata/params.ts, shared with the CLI and the linter.)
/** build.yaml's top-level `wasm:` when it names a compiled module (IG's build.yaml usually names the Go or
 *  Rust source there, which we cannot run). A one-key look-up that needs no YAML parser. */
export function wasmFromBuildYaml(text: string): string | undefined {
  const m = /^wasm:[ \t]*(['"]?)([^'"#\r\n]+?)\1[ \t]*(?:#.*)?$/m.exec(text);
  const value = m?.[2]?.trim();
  return value && value.toLowerCase().endsWith('.wasm') ? value : undefined;
}

/** Short counts for the status bar: 950, 1.2k, 35k, 1.4M. */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/**
 * The guest's last words: its last error-level log or stderr line of a run, kept so that the failure
 * notification can quote the guest's own explanation ("gadgetInit failed (returned 1)" alone says
 * nothing about why).
 */
export class LastGuestError {
  private last: string | undefined;

  /** Feed every host event of the run. */
  observe(e: { type: string; level?: string; message?: string; stream?: 'stdout' | 'stderr' }): void {
    if (e.type !== 'log' || e.message === undefined || e.message.trim() === '') return;
    if (e.stream === 'stderr') this.last = e.message;
    else if (e.stream === undefined && e.level === 'error') this.last = e.message;
  }

  get message(): string | undefined { return this.last; }
}

/** The failure notification: phase and cause, then the guest's last error line when it logged one. */
export function failureMessage(gadget: string, error: { phase: string; message: string } | undefined, guestSaid: string | undefined): string {
  const base = error ? `Gadget ${gadget} failed in ${error.phase}: ${firstLine(error.message)}` : `Gadget ${gadget} failed`;
  return guestSaid === undefined ? base : `${base} — the gadget said: "${firstLine(guestSaid)}"`;
}

/** A message's first line, cut at 300 characters. */
export function firstLine(s: string): string {
  const line = s.split('\n', 1)[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
