// Standard launcher of the integration suite for machines with network access: @vscode/test-electron
// downloads a desktop VS Code into .vscode-test/ (cached) and runs test/integration/suite in its extension
// host, on the same fixture workspace as the offline launcher.
//
//   node out/test/integration/run-electron.js [--version stable|insiders|1.139.1]
//
// Headless Linux needs a display: run it under `xvfb-run -a`. On machines that reach only npm, use
// run-offline.js (code-server) instead — `npm test` does.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

const repoRoot = path.resolve(__dirname, '..', '..', '..');
const outDir = path.join(repoRoot, 'out', 'test', 'integration');
const countsPath = path.join(outDir, 'counts.json');

async function main(): Promise<number> {
  const at = process.argv.indexOf('--version');
  const version = at > 0 ? process.argv[at + 1] : process.env.IG_TEST_VSCODE_VERSION;
  fs.rmSync(countsPath, { force: true });
  fs.mkdirSync(path.join(repoRoot, '.vscode-test'), { recursive: true });
  const userDataDir = fs.mkdtempSync(path.join(repoRoot, '.vscode-test', 'electron-user-'));
  try {
    return await runTests({
      ...(version ? { version } : {}),
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(outDir, 'suite', 'index.js'),
      launchArgs: [path.join(repoRoot, 'test', 'fixtures', 'workspace'), '--disable-extensions', '--disable-workspace-trust',
        '--skip-welcome', '--skip-release-notes', `--user-data-dir=${userDataDir}`],
      // The suite writes its counts next to itself; our COUNTS_FILE is for this process only.
      extensionTestsEnv: { COUNTS_FILE: undefined },
    });
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

function forward(fallback: { passed: number; failed: number }): void {
  if (!process.env.COUNTS_FILE) return;
  const counts = fs.existsSync(countsPath) ? fs.readFileSync(countsPath, 'utf8') : JSON.stringify(fallback);
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
