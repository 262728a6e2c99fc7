// Bundles every entry point with esbuild. Entries whose source does not exist yet are skipped, so the
// build works at every stage of the tree. `--watch` rebuilds on change; `--production` minifies.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, cpSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = { platform: 'node', target: 'node20', format: 'cjs', bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
const entries = [
  // The extension: `vscode` is provided by the extension host.
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The CLI (`ig-wasm`): same host and metadata libraries, no vscode.
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The guest runs in its own worker thread; spawned from dist/ by both bundles above.
  { ...node, entryPoints: ['src/host/thread/worker.ts'], outfile: 'dist/worker.js' },
  // The packet grid webview: a browser bundle of its own.
  { platform: 'browser', target: 'es2022', format: 'iife', bundle: true, sourcemap: !production, minify: production, logLevel: 'warning',
    entryPoints: ['src/webview/ui/main.ts'], outfile: 'dist/webview/grid.js' },
].filter((e) => e.entryPoints.every((p) => existsSync(p)));

mkdirSync('dist', { recursive: true });
// Codicons for the webview come from the npm package, copied next to the bundle (served via asWebviewUri).
if (existsSync('node_modules/@vscode/codicons/dist')) {
  mkdirSync('dist/webview', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) cpSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/${f}`);
}

// Example gadgets and other wasm built from source (each folder may have a build.mjs).
if (existsSync('examples/build.mjs')) {
  const r = spawnSync(process.execPath, ['examples/build.mjs'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (watch) {
  for (const e of entries) await (await esbuild.context(e)).watch();
  console.log('watching…');
} else {
  await Promise.all(entries.map((e) => esbuild.build(e)));
}
