// Builds the BPF C test programs of test/fixtures/ebpf/ with Debian's clang, as IG's builder does
// (`clang -target bpf -Wall -g -O2`), into out/test-fixtures/ebpf/ (git-ignored build outputs). Rebuilt when
// the source or the shared header is newer than the object.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../..');
const SRC = path.join(ROOT, 'test/fixtures/ebpf');
export const OUT = path.join(ROOT, 'out/test-fixtures/ebpf');

const ARCH: Record<string, [string, string]> = { x64: ['x86_64', 'x86'], arm64: ['aarch64', 'arm64'] };

export class ClangMissing extends Error {}

/** Path of the compiled object for test/fixtures/ebpf/<name>.bpf.c; `extraFlags` make a variant (own file). */
export function bpfObject(name: string, extraFlags: string[] = [], variant = ''): string {
  return compileBpf(path.join(SRC, `${name}.bpf.c`), path.join(OUT, `${name}${variant ? `-${variant}` : ''}.bpf.o`), extraFlags);
}

/** Compiles `src` (which may include wb_gadget.h) to `obj` unless `obj` is newer. */
export function compileBpf(src: string, obj: string, extraFlags: string[] = []): string {
  const header = path.join(SRC, 'include/wb_gadget.h');
  if (existsSync(obj) && statSync(obj).mtimeMs >= Math.max(statSync(src).mtimeMs, statSync(header).mtimeMs)) return obj;
  mkdirSync(path.dirname(obj), { recursive: true });
  const [multiarch, target] = ARCH[os.arch()] ?? [os.arch(), os.arch()];
  const args = ['-target', 'bpf', '-Wall', '-g', '-O2', `-D__TARGET_ARCH_${target}`, `-I${path.join(SRC, 'include')}`,
    `-I/usr/include/${multiarch}-linux-gnu`, ...extraFlags, '-c', src, '-o', obj];
  const r = spawnSync('clang', args, { encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new ClangMissing('clang is not installed: the eBPF tests compile their BPF C programs with it (apt-get install clang libbpf-dev)');
  }
  if (r.status !== 0) throw new Error(`clang ${args.join(' ')} failed:\n${r.stderr}`);
  return obj;
}

/** `bpftool` if installed (Debian puts it in /usr/sbin, often not on a user's PATH). */
export function bpftool(): string | undefined {
  for (const p of ['/usr/sbin/bpftool', '/usr/bin/bpftool', '/usr/local/sbin/bpftool']) if (existsSync(p)) return p;
  const r = spawnSync('bpftool', ['version'], { encoding: 'utf8' });
  return r.status === 0 ? 'bpftool' : undefined;
}
