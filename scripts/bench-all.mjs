// `npm run bench`: every compiled benchmark in out/bench/*.bench.js, one after another (never in
// parallel: the machine has two cores). Each prints readable lines plus one JSON line per result.
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const dir = 'out/bench';
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.bench.js')).sort() : [];
const only = process.argv.slice(2);
let bad = 0;
for (const f of files) {
  if (only.length && !only.some((o) => f.includes(o))) continue;
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', `${dir}/${f}`], { stdio: 'inherit' });
  if (r.status !== 0) bad++;
}
process.exit(bad ? 1 : 0);
