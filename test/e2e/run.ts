// E2E runner: tests the extension as a user gets it. Builds for production, packages the VSIX with
// @vscode/vsce, installs it into a fresh code-server profile (`--install-extension`, the marketplace path),
// starts code-server on a scratch copy of test/fixtures/workspace, opens it in headless Chromium
// (Playwright), then runs every compiled spec out/test/e2e/**/*.e2e.js with mocha against that one page.
//
//   node out/test/e2e/run.js [--grep PATTERN] [--skip-package | --vsix FILE]
//
// --skip-package reuses the last VSIX; --vsix tests a given one (e.g. a deliberately broken build).
//
// Counts go to $COUNTS_FILE (test/support/count-reporter.js); screenshots to test-results/e2e/.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { MissingPrerequisite, createProfile, installExtension, launchBrowser, repoRoot, startServer, type Browser, type Profile, type Server } from '../support/codeServer';
import { openWorkspace, screenshot, setFixture } from './fixture';

const e2eOut = __dirname; // out/test/e2e
const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
const VSIX_PATH = path.join(repoRoot, '.vscode-test', 'e2e', 'ig-wasm-workbench.vsix');

const lapStart = Date.now();
const lap = (msg: string): void => { process.stderr.write(`[e2e ${((Date.now() - lapStart) / 1000).toFixed(1)} s] ${msg}\n`); };

function step(what: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
  if (r.status !== 0) throw new Error(`${what} failed: ${cmd} ${args.join(' ')} (${r.error?.message ?? `exit ${r.status}`})`);
}

/** Production build + `vsce package --no-dependencies` (dependencies are bundled into dist/ by esbuild). */
function packageVsix(): string {
  step('production build', process.execPath, ['scripts/build.mjs', '--production']);
  fs.mkdirSync(path.dirname(VSIX_PATH), { recursive: true });
  // This run's own file (another run in the same checkout may package at the same time), then a copy
  // at the well-known path for --skip-package.
  const mine = VSIX_PATH.replace(/\.vsix$/, `-${process.pid}.vsix`);
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  step('vsce package', process.execPath, [vsce, 'package', '--no-dependencies', '--out', mine]);
  fs.copyFileSync(mine, VSIX_PATH);
  process.on('exit', () => fs.rmSync(mine, { force: true }));
  return mine;
}

/** Compiled specs whose source still exists (tsc never deletes the output of a removed or renamed spec). */
function specFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...specFiles(p));
    else if (e.name.endsWith('.e2e.js') && fs.existsSync(path.join(repoRoot, path.relative(path.join(repoRoot, 'out'), p)).replace(/\.js$/, '.ts'))) out.push(p);
  }
  return out.sort();
}

async function main(): Promise<number> {
  const grepAt = process.argv.indexOf('--grep');
  const grep = grepAt > 0 ? process.argv[grepAt + 1] : undefined;
  const vsixAt = process.argv.indexOf('--vsix');
  const vsix = vsixAt > 0 && process.argv[vsixAt + 1] ? path.resolve(process.argv[vsixAt + 1]!)
    : process.argv.includes('--skip-package') && fs.existsSync(VSIX_PATH) ? VSIX_PATH : packageVsix();
  lap(`packaged ${path.relative(repoRoot, vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  let profile: Profile | undefined;
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    profile = createProfile('e2e');
    installExtension(profile, vsix);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    const extensionDir = path.join(profile.extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    if (!fs.existsSync(path.join(extensionDir, 'package.json'))) {
      throw new Error(`--install-extension did not create ${extensionDir}; extensions dir has: ${fs.readdirSync(profile.extensionsDir).join(', ')}`);
    }
    lap(`installed into ${path.relative(repoRoot, extensionDir)}`);
    // A scratch copy: specs edit files and must leave the repository's fixture alone.
    const workspace = path.join(profile.root, 'workspace');
    fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    // kubectl's config for the Kubernetes engine's specs: a file in the workspace (written by the spec that
    // needs it), never this machine's ~/.kube/config or $KUBECONFIG.
    profile.env.KUBECONFIG = path.join(workspace, '.kube', 'config');

    server = await startServer(profile);
    browser = await launchBrowser();
    browser.page.on('pageerror', (e) => lap(`page error: ${e.message}`));
    // No single action may hang for Playwright's default 30 s: the helpers retry short steps instead.
    browser.page.setDefaultTimeout(15_000);
    setFixture({ page: browser.page, server, profile, workspace, extensionDir, vsix, resultsDir });
    fs.rmSync(resultsDir, { recursive: true, force: true });
    fs.mkdirSync(resultsDir, { recursive: true });
    await openWorkspace();
    lap(`workbench ready on ${server.baseUrl}`);

    const mocha = new Mocha({
      ui: 'bdd', color: false, timeout: 120_000, slow: 10_000,
      reporter: path.join(repoRoot, 'test', 'support', 'count-reporter.js'),
      ...(grep ? { grep } : {}),
    });
    // Every failing spec leaves a screenshot of the whole window behind.
    mocha.suite.afterEach(async function () {
      const t = this.currentTest;
      if (t?.state === 'failed') await screenshot(`FAILED-${t.fullTitle().replace(/[^\w.-]+/g, '-').slice(0, 120)}`);
    });
    const files = specFiles(e2eOut);
    if (!files.length) throw new Error(`no specs under ${path.relative(repoRoot, e2eOut)} (compile with \`npx tsc -p .\`)`);
    for (const f of files) mocha.addFile(f);
    await mocha.loadFilesAsync();
    return await new Promise<number>((resolve) => mocha.run((failures) => resolve(failures ? 1 : 0)));
  } finally {
    setFixture(undefined);
    await browser?.close();
    await server?.stop();
    profile?.dispose();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`e2e: ${err instanceof MissingPrerequisite ? err.message : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    if (process.env.COUNTS_FILE) {
      fs.mkdirSync(path.dirname(path.resolve(process.env.COUNTS_FILE)), { recursive: true });
      fs.writeFileSync(process.env.COUNTS_FILE, JSON.stringify({ passed: 0, failed: 1 }));
    }
    process.exit(err instanceof MissingPrerequisite ? 3 : 1);
  },
);
