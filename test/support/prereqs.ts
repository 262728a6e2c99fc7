// `node out/test/support/prereqs.js`: installs what the suites need and is missing — Debian's clang,
// libbpf-dev and bpftool (the eBPF test objects), Chromium (apt, when root), Node 24 and code-server (npm,
// cached in .vscode-test/) — or stops at once saying exactly what to install. scripts/test-all.mjs runs it
// before the suites.
import { CODE_SERVER_VERSION, MissingPrerequisite, ensureChromium, ensureCodeServer, ensureDebianPackages } from './codeServer';

/** Debian packages that compile and dump the eBPF objects the unit tests build from test/fixtures/ebpf. */
const EBPF_PACKAGES = ['clang', 'libbpf-dev', 'linux-libc-dev', 'bpftool'];

try {
  const t0 = Date.now();
  ensureDebianPackages(EBPF_PACKAGES, 'building the eBPF test objects');
  if (process.argv.includes('--unit-only')) {
    process.stdout.write(`prerequisites of the unit suite ready in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    process.exit(0);
  }
  const chromium = ensureChromium();
  ensureCodeServer();
  process.stdout.write(`prerequisites ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${chromium}, code-server ${CODE_SERVER_VERSION} in .vscode-test/\n`);
} catch (err) {
  process.stderr.write(`${err instanceof MissingPrerequisite ? err.message : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(3);
}
