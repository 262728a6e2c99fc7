// Writes the TextMate injection grammars under syntaxes/ from src/syntaxes/grammars.ts (compiled to out/).
// Run after `npx tsc -p .`; `--check` exits 1 when a committed file differs instead of writing.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const { GRAMMAR_FILES } = createRequire(import.meta.url)(join(repo, 'out/src/syntaxes/grammars.js'));
const check = process.argv.includes('--check');
let stale = 0;
mkdirSync(join(repo, 'syntaxes'), { recursive: true });
for (const [file, build] of Object.entries(GRAMMAR_FILES)) {
  const target = join(repo, 'syntaxes', file);
  const text = `${JSON.stringify(build(), null, 2)}\n`;
  let old = '';
  try { old = readFileSync(target, 'utf8'); } catch { /* new file */ }
  if (old === text) continue;
  if (check) { stale++; process.stderr.write(`syntaxes/${file} is stale: run node scripts/syntaxes.mjs\n`); continue; }
  writeFileSync(target, text);
  process.stdout.write(`wrote syntaxes/${file}\n`);
}
process.exitCode = stale ? 1 : 0;
