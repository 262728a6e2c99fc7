// Where one integration run keeps its files. Both launchers copy the fixture workspace into a scratch
// folder and open `<scratch>/workspace`; the suite, running inside the extension host, finds its results
// folder beside that workspace. Runs never share files, even when several people run the suite at once
// in the same checkout.
import * as path from 'node:path';

export interface RunLayout {
  /** The scratch copy of test/fixtures/workspace that VS Code opens. */
  workspace: string;
  results: string;
  /** `{passed, failed, pending}`, written by test/support/count-reporter.js. */
  counts: string;
  /** The reporter's text, tailed by the launcher. */
  log: string;
  /** Optional `{ "grep": "…" }` from the launcher. */
  options: string;
}

export function runLayout(scratch: string): RunLayout {
  const results = path.join(scratch, 'results');
  return {
    workspace: path.join(scratch, 'workspace'),
    results,
    counts: path.join(results, 'counts.json'),
    log: path.join(results, 'suite-output.log'),
    options: path.join(results, 'options.json'),
  };
}

/** The layout of the run whose workspace is `workspaceFolder`. */
export function layoutOfWorkspace(workspaceFolder: string): RunLayout {
  return runLayout(path.dirname(workspaceFolder));
}
