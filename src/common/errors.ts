// Small helpers for errors caught as `unknown`, shared by every layer (no vscode, no node imports).

/** The message of a caught value: an Error's message, anything else as text. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
