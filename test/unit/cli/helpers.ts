// Spawns the real CLI (`node out/src/cli/main.js`, compiled by tsc) and writes test inputs to a temp dir.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** The repository root (this file is out/test/unit/cli/helpers.js once compiled). */
export const ROOT = path.resolve(__dirname, '../../../..');

/** A gadget that only declares its API version: events go through unchanged. */
export const NOOP_WAT = '(module (memory (export "memory") 1) (func (export "gadgetAPIVersion") (result i64) (i64.const 1)))';
const CLI = path.join(ROOT, 'out/src/cli/main.js');

export interface CliResult { status: number | null; stdout: string; stderr: string; ms: number }

export function cli(...args: string[]): CliResult {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** JSON lines of stdout, parsed. */
export function lines(r: CliResult): Record<string, unknown>[] {
  return r.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}

export class TempDir {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'ig-wasm-cli-'));
  file(name: string, content: string | Uint8Array): string {
    const p = path.join(this.dir, name);
    writeFileSync(p, content);
    return p;
  }
  remove(): void { rmSync(this.dir, { recursive: true, force: true }); }
}

/** The example gadget's wasm, built from its AssemblyScript source if needed. */
export function helloWasm(): string {
  const wasm = path.join(ROOT, 'examples/hello/hello.wasm');
  if (!existsSync(wasm)) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'examples/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`building the example failed: ${r.stderr}`);
  }
  return wasm;
}
