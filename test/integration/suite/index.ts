// The integration suite's entry point, loaded *inside* the extension host by either launcher
// (run-offline.ts: code-server; run-electron.ts: @vscode/test-electron). VS Code calls `run()` and treats
// a rejection as failure (the launcher then gets a non-zero exit code).
//
// The extension host's environment and stdout belong to VS Code, not to the launcher, so the suite
// reports through files next to itself that the launcher reads: the pass/fail counts
// (`out/test/integration/counts.json`, written by test/support/count-reporter.js) and the reporter's
// text (`out/test/integration/suite-output.log`, tailed live by the launcher).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha from 'mocha';

const outDir = path.resolve(__dirname, '..');
export const COUNTS_PATH = path.join(outDir, 'counts.json');
export const LOG_PATH = path.join(outDir, 'suite-output.log');
/** Optional `{ "grep": "…" }` written by a launcher to run a subset. */
export const OPTIONS_PATH = path.join(outDir, 'suite-options.json');
const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

export async function run(): Promise<void> {
  process.env.COUNTS_FILE = COUNTS_PATH;
  fs.rmSync(COUNTS_PATH, { force: true });
  fs.writeFileSync(LOG_PATH, '');
  const options = fs.existsSync(OPTIONS_PATH) ? (JSON.parse(fs.readFileSync(OPTIONS_PATH, 'utf8')) as { grep?: string }) : {};

  // Mocha's reporters print through Base.consoleLog; copy every line into the log file as well.
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  const original = base.consoleLog;
  base.consoleLog = (...args: unknown[]) => {
    fs.appendFileSync(LOG_PATH, `${util.format(...args)}\n`);
    original(...args);
  };

  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: path.join(repoRoot, 'test', 'support', 'count-reporter.js'),
    ...(options.grep ? { grep: options.grep } : {}),
  });
  for (const f of fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, f));
  }
  try {
    await mocha.loadFilesAsync();
    const failures = await new Promise<number>((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } catch (err) {
    fs.appendFileSync(LOG_PATH, `suite error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    // A suite that crashed before mocha counted anything still counts as one failure.
    if (!fs.existsSync(COUNTS_PATH)) fs.writeFileSync(COUNTS_PATH, JSON.stringify({ passed: 0, failed: 1, pending: 0 }));
    throw err;
  } finally {
    base.consoleLog = original;
  }
}
