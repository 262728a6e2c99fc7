// `node out/test/support/prereqs.js`: installs what the browser, integration and E2E suites need and is
// missing — Debian's Chromium (apt, when root), Node 24 and code-server (npm, cached in .vscode-test/) —
// or stops at once saying exactly what to install. scripts/test-all.mjs runs it before the suites.
import { CODE_SERVER_VERSION, MissingPrerequisite, ensureChromium, ensureCodeServer } from './codeServer';

try {
  const t0 = Date.now();
  const chromium = ensureChromium();
  ensureCodeServer();
  process.stdout.write(`prerequisites ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${chromium}, code-server ${CODE_SERVER_VERSION} in .vscode-test/\n`);
} catch (err) {
  process.stderr.write(`${err instanceof MissingPrerequisite ? err.message : err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(3);
}
