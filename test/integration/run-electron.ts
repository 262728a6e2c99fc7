// Standard launcher of the integration suite for machines with network access: @vscode/test-electron
// downloads a desktop VS Code into .vscode-test/ (cached) and runs test/integration/suite in its extension
// host, on a scratch copy of the same fixture workspace as the offline launcher.
//
//   node out/test/integration/run-electron.js [--version stable|insiders|1.139.1] [--grep PATTERN]
//
// Headless Linux needs a display: run it under `xvfb-run -a`. On machines that reach only npm, use
// run-offline.js (code-server) instead — `npm test` does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { runLayout } from './layout';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const suiteEntry = path.join(repoRoot, 'out', 'test', 'integration', 'suite', 'index.js');
/** The suite's counts (JSON text), read from the scratch folder before it is removed. */
let countsJson: string | undefined;

async function main(): Promise<number> {
  const at = process.argv.indexOf('--version');
  const version = at > 0 ? process.argv[at + 1] : process.env.IG_TEST_VSCODE_VERSION;
  fs.mkdirSync(path.join(repoRoot, '.vscode-test'), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(repoRoot, '.vscode-test', 'electron-run-'));
  const userDataDir = path.join(scratch, 'user-data');
  // Tests edit, save and build files in the workspace: give them a scratch copy, never the repository's.
  const layout = runLayout(scratch);
  const workspace = layout.workspace;
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  fs.mkdirSync(layout.results, { recursive: true });
  const grepAt = process.argv.indexOf('--grep');
  if (grepAt > 0 && process.argv[grepAt + 1]) fs.writeFileSync(layout.options, JSON.stringify({ grep: process.argv[grepAt + 1] }));
  try {
    return await runTests({
      ...(version ? { version } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: suiteEntry,
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust',
        '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userDataDir}`],
      // The suite writes its counts into the run's results folder; our COUNTS_FILE is for this process only.
      extensionTestsEnv: { COUNTS_FILE: undefined },
    });
  } finally {
    // Keep the counts before the scratch folder goes.
    if (fs.existsSync(layout.counts)) countsJson = fs.readFileSync(layout.counts, 'utf8');
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function forward(fallback: { passed: number; failed: number }): void {
  if (!process.env.COUNTS_FILE) return;
  const counts = countsJson ?? JSON.stringify(fallback);
  fs.mkdirSync(path.dirname(path.resolve(process.env.COUNTS_FILE)), { recursive: true });
  fs.writeFileSync(process.env.COUNTS_FILE, counts);
}

main().then(
  (code) => { forward({ passed: 0, failed: code === 0 ? 0 : 1 }); process.exit(code); },
  (err: unknown) => {
    // runTests rejects when VS Code exits non-zero (failed tests) or cannot be downloaded/started.
    process.stderr.write(`integration (electron): ${err instanceof Error ? err.message : String(err)}\n`);
    forward({ passed: 0, failed: 1 });
    process.exit(1);
  },
);
