// `ig image build FOLDER -t TAG`: its compiler diagnostics as problems on the gadget's files. IG builds in
// its builder container with the folder mounted at /work (or, with --local, in the folder itself), so clang
// names files `/work/program.bpf.c` or `program.bpf.c`; the Go toolchain (a Go wasm module) names
// `go/program.go:12:5: message` without a severity. Both map back to the folder on this machine.
import * as path from 'node:path';
import { parseClangOutput, type CompilerDiagnostic } from '../build';

/** Where IG's builder container mounts the gadget folder (cmd/common/image/build.go). */
export const BUILDER_MOUNT = '/work';

const GO_LINE = /^(\S+\.go):(\d+):(\d+): (.*)$/;

export function imageBuildDiagnostics(output: string, folder: string): CompilerDiagnostic[] {
  const out = parseClangOutput(output);
  for (const l of output.split(/\r?\n/)) {
    const m = GO_LINE.exec(l.trim());
    if (m) out.push({ file: m[1], line: Number(m[2]), column: Number(m[3]), severity: 'error', message: m[4] });
  }
  return out.map((d) => ({ ...d, file: hostPath(d.file, folder) }));
}

function hostPath(file: string, folder: string): string {
  if (file === BUILDER_MOUNT || file.startsWith(`${BUILDER_MOUNT}/`)) return path.join(folder, file.slice(BUILDER_MOUNT.length));
  return path.isAbsolute(file) ? file : path.join(folder, file);
}

/** The image `ig image build` reported (`Successfully built <ref>@<digest>`), if it did. */
export function builtImage(output: string): string | undefined {
  return /^Successfully built (\S+)/m.exec(output)?.[1];
}
