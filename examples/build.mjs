// Builds the example gadgets' wasm from source (called by scripts/build.mjs, i.e. `npm run build`).
// Each examples/<name>/ with an assembly/index.ts is compiled by the AssemblyScript compiler from npm to
// examples/<name>/<name>.wasm (git-ignored). Up-to-date outputs are kept. A failure exits non-zero with
// the compiler's message, which fails the build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const force = process.argv.includes('--force');

let asc;
try {
  asc = (await import('assemblyscript/asc')).default;
} catch (e) {
  console.error(`examples/build.mjs: cannot load the AssemblyScript compiler (npm package 'assemblyscript'): ${e.message}\nRun 'npm ci' first.`);
  process.exit(1);
}

const newest = (dir) => Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, String(f))).mtimeMs));

let failed = 0;
for (const name of readdirSync(here).sort()) {
  const dir = join(here, name);
  const entry = join(dir, 'assembly', 'index.ts');
  if (!existsSync(entry)) continue;
  const out = join(dir, `${name}.wasm`);
  if (!force && existsSync(out) && statSync(out).mtimeMs >= newest(join(dir, 'assembly'))) continue;
  const rel = (p) => relative(process.cwd(), p).split('\\').join('/');
  const args = [
    rel(entry), '--outFile', rel(out),
    '-O', '--noAssert',
    // IG calls `_initialize` (never `_start`); static initializers run there.
    '--exportStart', '_initialize',
    '--runtime', 'incremental',
    // AssemblyScript's default abort is an `env.abort` import that IG does not provide.
    '--use', `abort=${rel(entry).replace(/\.ts$/, '')}/abortGadget`,
  ];
  const errors = [];
  const { error } = await asc.main(args, {
    stdout: { write: () => true },
    stderr: { write: (s) => { errors.push(String(s)); return true; } },
  });
  if (error) {
    failed++;
    console.error(`examples/build.mjs: building example '${name}' failed: ${error.message}\n${errors.join('')}`);
  } else {
    console.log(`examples/build.mjs: built ${rel(out)}`);
  }
}
process.exit(failed ? 1 : 0);
