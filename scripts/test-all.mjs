// `npm test`: every suite, in order, each writing its pass/fail counts (test/support/count-reporter.js),
// summed into one closing line `N passed, N failed` for CI. A suite whose launcher is missing is reported.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';

const only = process.argv.slice(2);
const run = (cmd, args, env = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

mkdirSync('test-results', { recursive: true });
for (const [cmd, args] of [['npx', ['tsc', '-p', '.']], ['node', ['scripts/build.mjs']]]) {
  if (run(cmd, args) !== 0) { console.error(`setup step failed: ${cmd} ${args.join(' ')}`); writeSummary(0, 1); process.exit(1); }
}

// [name, launcher file (compiled), command]
const suites = [
  ['unit', '.mocharc.json', ['npx', ['mocha', '--config', '.mocharc.json']]],
  ['browser', 'out/test/browser/run.js', ['node', ['out/test/browser/run.js']]],
  ['integration', 'out/test/integration/run-offline.js', ['node', ['out/test/integration/run-offline.js']]],
  ['e2e', 'out/test/e2e/run.js', ['node', ['out/test/e2e/run.js']]],
];

let passed = 0, failed = 0;
for (const [name, file, [cmd, args]] of suites) {
  if (only.length && !only.includes(name)) continue;
  if (!existsSync(file)) { console.log(`\n=== ${name}: no suite yet (${file})`); continue; }
  const counts = `test-results/counts-${name}.json`;
  rmSync(counts, { force: true });
  console.log(`\n=== ${name} suite`);
  const t0 = Date.now();
  const status = run(cmd, args, { COUNTS_FILE: counts });
  const c = existsSync(counts) ? JSON.parse(readFileSync(counts, 'utf8')) : { passed: 0, failed: 0 };
  // A launcher that died before its tests reported counts is one failure, never a silent pass.
  if (status !== 0 && c.failed === 0) c.failed = 1;
  console.log(`=== ${name}: ${c.passed} passed, ${c.failed} failed (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  passed += c.passed; failed += c.failed;
}
writeSummary(passed, failed);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

function writeSummary(p, f) { writeFileSync('test-results/summary.txt', `${p} passed, ${f} failed\n`); }
