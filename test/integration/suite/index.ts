// The integration suite's entry point, loaded *inside* the extension host by either launcher
// (run-offline.ts: code-server; run-electron.ts: @vscode/test-electron). VS Code calls `run()` and treats
// a rejection as failure (the launcher then gets a non-zero exit code).
//
// The extension host's environment and stdout belong to VS Code, not to the launcher, so the suite
// reports through files in the run's results folder beside the opened workspace (see ../layout.ts): the
// pass/fail counts (written by test/support/count-reporter.js) and the reporter's text (tailed live by
// the launcher).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { layoutOfWorkspace } from '../layout';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const UNTRUSTED_TESTS = 'untrusted.test.js';

export async function run(): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!folder) throw new Error('the integration suite needs a workspace: the launcher opens a copy of test/fixtures/workspace');
  const layout = layoutOfWorkspace(folder);
  fs.mkdirSync(layout.results, { recursive: true });
  process.env.COUNTS_FILE = layout.counts;
  fs.rmSync(layout.counts, { force: true });
  fs.writeFileSync(layout.log, '');
  const options = fs.existsSync(layout.options) ? (JSON.parse(fs.readFileSync(layout.options, 'utf8')) as { grep?: string }) : {};

  // Mocha's reporters print through Base.consoleLog; copy every line into the log file as well.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    fs.appendFileSync(layout.log, `${util.format(...args)}\n`);
    original(...args);
  };

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.join(repoRoot, 'test', 'support', 'count-reporter.js'),
    ...(options.grep ? { grep: options.grep } : {}),
  });
  // Only compiled tests whose source still exists: tsc never deletes the output of a removed test.
  // An untrusted window (Restricted Mode, see run-offline.ts --phase) runs untrusted.test.ts only; a
  // trusted one runs everything else.
  const sources = path.join(repoRoot, 'test', 'integration', 'suite');
  const forThisWindow = (f: string): boolean => (f === UNTRUSTED_TESTS) === !vscode.workspace.isTrusted;
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js') && forThisWindow(f)).sort()) {
    if (fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts')))) mocha.addFile(path.join(__dirname, f));
  }
  try {
    await mocha.loadFilesAsync();
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } catch (err) {
    fs.appendFileSync(layout.log, `suite error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    // A suite that crashed before mocha counted anything still counts as one failure.
    if (!fs.existsSync(layout.counts)) fs.writeFileSync(layout.counts, JSON.stringify({ passed: 0, failed: 1, pending: 0 }));
    throw err;
  } finally {
    base.consoleLog = original;
  }
}
