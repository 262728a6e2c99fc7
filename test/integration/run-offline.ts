// Offline launcher of the integration suite: runs test/integration/suite inside the extension host of a
// real VS Code (code-server from npm, cached in .vscode-test/), opened on a scratch copy of
// test/fixtures/workspace with this
// repository as the extension under development. Needs only the npm registry and Debian's apt.
//
//   node out/test/integration/run-offline.js [--grep PATTERN] [--extension DIR] [--phase trusted|untrusted]
//
// --extension: the extension under development (default: this repository), e.g. a modified copy of its
// package.json + dist/ to check that a test goes red when the feature breaks.
// --phase: run one window only. By default the suite runs twice: in a trusted window (workspace trust
// off, as users who never see the prompt), then in an untrusted one (trust on, the folder not trusted:
// Restricted Mode), where the suite runs only untrusted.test.ts (see suite/index.ts).
//
// Exit code: the suite's (0 = all passed). Counts go to $COUNTS_FILE for scripts/test-all.mjs.
// Prerequisites: `npx tsc -p .` and `node scripts/build.mjs` (dist/extension.js) — `npm test` does both.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runLayout, type RunLayout } from './layout';
import type { Page } from 'playwright-core';
import { MissingPrerequisite, createProfile, launchBrowser, repoRoot, startServer, type Browser, type Profile, type Server } from '../support/codeServer';

const SUITE_TIMEOUT_MS = Number(process.env.IG_TEST_INTEGRATION_TIMEOUT_MS ?? 10 * 60_000);
const suiteEntry = path.join(repoRoot, 'out', 'test', 'integration', 'suite', 'index.js');
const fixtureWorkspace = path.join(repoRoot, 'test', 'fixtures', 'workspace');

let counted: Counts | undefined;

function writeCounts(counts: { passed: number; failed: number }): void {
  const file = process.env.COUNTS_FILE;
  if (!file) return;
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(counts));
}

/** Prints what the suite appends to its log file, as it appears. */
function tail(file: string): () => void {
  let offset = 0;
  const pump = (): void => {
    if (!fs.existsSync(file)) return;
    const size = fs.statSync(file).size;
    if (size < offset) offset = 0; // the suite truncated it at start
    if (size === offset) return;
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(size - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    fs.closeSync(fd);
    offset = size;
    process.stdout.write(buf.toString('utf8'));
  };
  const timer = setInterval(pump, 300);
  return () => { clearInterval(timer); pump(); };
}

type Phase = 'trusted' | 'untrusted';
type Counts = { passed: number; failed: number };

/** Settings of the untrusted window: trust on, no modal prompt (it would block the window), folder untrusted. */
const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.emptyWindow': false,
};

/**
 * Answers the suite's questions about the workbench's DOM (the extension host cannot see it): the suite
 * writes `ask-N.json` ({selector, text, timeoutMs}) into its results folder and waits for `answer-N.json`
 * ({text} or {error}). See workbenchText() in helpers.ts.
 */
function answerAsks(page: Page, results: string): () => void {
  const seen = new Set<string>();
  const timer = setInterval(() => {
    if (!fs.existsSync(results)) return;
    for (const f of fs.readdirSync(results)) {
      const m = /^ask-([\w-]+)\.json$/.exec(f);
      if (!m || seen.has(f)) continue;
      seen.add(f);
      const q = JSON.parse(fs.readFileSync(path.join(results, f), 'utf8')) as { selector: string; text: string; timeoutMs: number };
      void page.locator(q.selector, { hasText: new RegExp(q.text) }).first().innerText({ timeout: q.timeoutMs })
        .then((text) => ({ text }), (e: unknown) => ({ error: e instanceof Error ? e.message.split('\n')[0] : String(e) }))
        .then((a) => {
          const out = path.join(results, `answer-${m[1]}.json`);
          fs.writeFileSync(`${out}.tmp`, JSON.stringify(a));
          fs.renameSync(`${out}.tmp`, out);
        });
    }
  }, 200);
  return () => clearInterval(timer);
}

async function main(): Promise<number> {
  const phaseAt = process.argv.indexOf('--phase');
  const only = phaseAt > 0 ? process.argv[phaseAt + 1] : undefined;
  if (only !== undefined && only !== 'trusted' && only !== 'untrusted') throw new Error(`--phase is trusted or untrusted, not ${only}`);
  const phases: Phase[] = only ? [only] : ['trusted', 'untrusted'];
  const total: Counts = { passed: 0, failed: 0 };
  let code = 0;
  for (const phase of phases) {
    const r = await runPhase(phase);
    total.passed += r.counts?.passed ?? 0;
    total.failed += r.counts?.failed ?? (r.code === 0 ? 0 : 1);
    code ||= r.code;
  }
  counted = total;
  writeCounts(total);
  return code;
}

async function runPhase(phase: Phase): Promise<{ code: number; counts?: Counts }> {
  const grepAt = process.argv.indexOf('--grep');
  const extAt = process.argv.indexOf('--extension');
  const extensionPath = extAt > 0 && process.argv[extAt + 1] ? path.resolve(process.argv[extAt + 1]!) : repoRoot;
  for (const [what, file] of [['the compiled suite (run `npx tsc -p .`)', suiteEntry], ['the extension bundle (run `node scripts/build.mjs`)', path.join(extensionPath, 'dist', 'extension.js')]] as const) {
    if (!fs.existsSync(file)) throw new MissingPrerequisite(`missing ${what}: ${path.relative(repoRoot, file)}`);
  }

  const t0 = Date.now();
  const lap = (msg: string): void => { process.stderr.write(`[integration ${phase} ${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}\n`); };
  let profile: Profile | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  let layout: RunLayout | undefined;
  let stopTail = (): void => undefined;
  let stopAsks = (): void => undefined;
  let counts: Counts | undefined;
  try {
    profile = createProfile(`integration-${phase}`, phase === 'untrusted' ? UNTRUSTED_SETTINGS : {});
    // Tests edit, save and build files in the workspace: give them a scratch copy, never the repository's.
    layout = runLayout(profile.root);
    const workspace = layout.workspace;
    fs.cpSync(fixtureWorkspace, workspace, { recursive: true });
    fs.mkdirSync(layout.results, { recursive: true });
    if (grepAt > 0 && process.argv[grepAt + 1]) fs.writeFileSync(layout.options, JSON.stringify({ grep: process.argv[grepAt + 1] }));
    stopTail = tail(layout.log);
    server = await startServer(profile, { workspaceTrust: phase === 'untrusted' });
    lap(`code-server on ${server.baseUrl}`);
    browser = await launchBrowser();
    const page = browser.page;
    // The workbench (smoke-test driver enabled) calls these once the suite's run() settles.
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      void page.exposeFunction('codeAutomationLog', () => undefined);
    });
    page.on('pageerror', (e) => lap(`page error: ${e.message}`));
    stopAsks = answerAsks(page, layout.results);
    const url = server.folderUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(extensionPath)],
      ['extensionTestsPath', server.remoteUri(suiteEntry)],
    ]);
    await page.goto(url);
    lap('workbench opened; the suite runs in the extension host');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), SUITE_TIMEOUT_MS); });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (code === 'timeout') {
      const shot = path.join(repoRoot, 'test-results', 'integration-timeout.png');
      fs.mkdirSync(path.dirname(shot), { recursive: true });
      await page.screenshot({ path: shot }).catch(() => undefined);
      throw new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS / 1000} s (screenshot: ${path.relative(repoRoot, shot)}; server log: ${server.logFile})`);
    }
    lap(`suite exit code ${code}`);
    if (layout && fs.existsSync(layout.counts)) counts = JSON.parse(fs.readFileSync(layout.counts, 'utf8')) as Counts;
    return { code, counts };
  } finally {
    stopTail();
    stopAsks();
    await browser?.close();
    await server?.stop();
    profile?.dispose();
  }
}

main().then(
  (code) => {
    if (!counted) writeCounts({ passed: 0, failed: 1 });
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`integration: ${err instanceof Error ? (err instanceof MissingPrerequisite ? err.message : err.stack ?? err.message) : String(err)}\n`);
    writeCounts({ passed: 0, failed: 1 });
    process.exit(err instanceof MissingPrerequisite ? 3 : 1);
  },
);
