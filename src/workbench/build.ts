// Build eBPF Object: clang with IG's builder flags (cmd/common/image/build-step.go: `clang -target bpf
// -Wall -g -O2 -I/usr/include/<multiarch> -D __TARGET_ARCH_<x86|arm64> -c SRC -I <includes> -o OUT`; IG then
// strips DWARF with llvm-strip -g, which changes nothing we read) and clang's diagnostics as plain data.

/** Node's process.arch → [Debian multiarch triplet, the kernel's __TARGET_ARCH_ name]. */
const ARCHES: Record<string, [string, string]> = { x64: ['x86_64', 'x86'], arm64: ['aarch64', 'arm64'] };

export function clangArgs(src: string, out: string, includePaths: readonly string[], nodeArch: string): string[] {
  const [multiarch, target] = ARCHES[nodeArch] ?? [nodeArch, nodeArch];
  return ['-target', 'bpf', '-Wall', '-g', '-O2', `-I/usr/include/${multiarch}-linux-gnu`, `-D__TARGET_ARCH_${target}`,
    '-c', src, ...includePaths.map((p) => `-I${p}`), '-o', out];
}

export interface CompilerDiagnostic {
  file: string;
  /** 1-based, as clang prints them. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
}

const LINE = /^(.+?):(\d+):(\d+): (fatal error|error|warning|note): (.*)$/;

/** clang's `file:line:col: error: message` lines; notes become info, a fatal error an error. */
export function parseClangOutput(stderr: string): CompilerDiagnostic[] {
  const out: CompilerDiagnostic[] = [];
  for (const l of stderr.split(/\r?\n/)) {
    const m = LINE.exec(l);
    if (!m) continue;
    const kind = m[4];
    out.push({
      file: m[1], line: Number(m[2]), column: Number(m[3]),
      severity: kind === 'warning' ? 'warning' : kind === 'note' ? 'info' : 'error', message: m[5],
    });
  }
  return out;
}
