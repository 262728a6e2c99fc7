// `npm test`: every suite, in order, each writing its pass/fail counts (test/support/count-reporter.js),
// summed into one closing line `N passed, N failed` for CI. A suite whose launcher is missing is reported.
//
//   node scripts/test-all.mjs [lint|unit|browser|integration|e2e]...
//
// Steps before the suites: compile (tsc; type errors count as one failure, the emitted JS still runs),
// lint (ESLint, when no step is named or `lint` is; problems count as one failure), bundle (esbuild; a
// failure skips the suites that need dist/), and the prerequisites (Debian packages via apt when root,
// Node 24 + code-server from npm into .vscode-test/), which stop the run at once with a message saying
// what to install when they cannot be installed here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';

const only = process.argv.slice(2);
const wanted = (name) => !only.length || only.includes(name);
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const secs = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

mkdirSync('test-results', { recursive: true });
let passed = 0, failed = 0;
const timings = [];

let t0 = Date.now();
console.log('=== compile (tsc)');
// A fresh out/: tsc never deletes the output of a source that moved or was removed, and mocha would run it.
rmSync('out', { recursive: true, force: true });
if (run('npx', ['tsc', '-p', '.']) !== 0) {
  console.error('=== compile: type errors (counted as one failure; the emitted JavaScript still runs)');
  failed++;
}
// The grid page has its own tsconfig (DOM types, no emit): esbuild only strips types, so check them here.
if (run('npx', ['tsc', '-p', 'src/webview/ui']) !== 0) {
  console.error('=== compile: type errors in the grid page (src/webview/ui, counted as one failure)');
  failed++;
}
if (!existsSync('out/test')) finish('tsc emitted nothing under out/test');
timings.push(['compile', secs(t0)]);

if (wanted('lint')) {
  t0 = Date.now();
  console.log('=== lint (eslint)');
  if (run('npx', ['eslint', '.']) !== 0) {
    console.error('=== lint: ESLint found problems (counted as one failure; `npm run lint` lists them)');
    failed++;
  }
  timings.push(['lint', secs(t0)]);
}

t0 = Date.now();
console.log('=== bundle (esbuild)');
const bundled = run('node', ['scripts/build.mjs']) === 0;
if (!bundled) { console.error('=== bundle failed: the integration and E2E suites are skipped (counted as one failure)'); failed++; }
timings.push(['bundle', secs(t0)]);

// [name, launcher file (compiled), command, needs dist/]
const suites = [
  ['unit', '.mocharc.json', ['npx', ['mocha', '--config', '.mocharc.json']], false],
  ['browser', 'out/test/browser/run.js', ['node', ['out/test/browser/run.js']], true],
  ['integration', 'out/test/integration/run-offline.js', ['node', ['out/test/integration/run-offline.js']], true],
  ['e2e', 'out/test/e2e/run.js', ['node', ['out/test/e2e/run.js']], true],
];

if (suites.some(([name]) => wanted(name))) {
  t0 = Date.now();
  console.log('\n=== prerequisites (clang + libbpf-dev + bpftool, Chromium, Node 24 + code-server in .vscode-test/)');
  // The unit suite alone needs only the Debian packages, not Chromium or code-server.
  const unitOnly = !suites.some(([name]) => name !== 'unit' && wanted(name));
  if (run('node', ['out/test/support/prereqs.js', ...(unitOnly ? ['--unit-only'] : [])]) !== 0) finish('missing prerequisites (see the message above)');
  timings.push(['prerequisites', secs(t0)]);
}

for (const [name, file, [cmd, args], needsDist] of suites) {
  if (!wanted(name)) continue;
  if (!existsSync(file)) { console.log(`\n=== ${name}: no suite yet (${file})`); continue; }
  if (needsDist && !bundled) { console.log(`\n=== ${name}: skipped (the bundle failed)`); continue; }
  const counts = `test-results/counts-${name}.json`;
  rmSync(counts, { force: true });
  console.log(`\n=== ${name} suite`);
  t0 = Date.now();
  const status = run(cmd, args, { COUNTS_FILE: counts });
  const c = existsSync(counts) ? JSON.parse(readFileSync(counts, 'utf8')) : { passed: 0, failed: 0 };
  // A launcher that died before its tests reported counts is one failure, never a silent pass.
  if (status !== 0 && c.failed === 0) c.failed = 1;
  console.log(`=== ${name}: ${c.passed} passed, ${c.failed} failed (${secs(t0)})`);
  timings.push([name, secs(t0)]);
  passed += c.passed; failed += c.failed;
}
finish();

function finish(abort) {
  if (abort) { console.error(`\n=== stopped: ${abort}`); failed = Math.max(failed, 1); }
  console.log(`\n=== timings: ${timings.map(([n, t]) => `${n} ${t}`).join(', ')}`);
  writeFileSync('test-results/summary.txt', `${passed} passed, ${failed} failed\n`);
  console.log(`\n${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
