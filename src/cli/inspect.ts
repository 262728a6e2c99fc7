// `ig-wasm inspect FILE`: picks by content. A wasm module: what it needs from the host, without running
// it — the API revision it was written against, its imports (with signatures and the host variant that
// serves each), exports, memory limits and every import this host cannot provide. An eBPF object or a
// gadget image tarball: what IG derives from it (inspect-ebpf.ts).
// Exit status: 0 loadable, 1 it cannot be loaded (unsupported imports, no gadgetAPIVersion, memory too
// large; an object IG would refuse), 2 usage error or a file of another kind.
import { readFileSync } from 'node:fs';
import { gadgetConfigFromYaml, goArch, isElf, isTar } from '../ebpf';
import type { GadgetConfig } from '../ebpf';
import { inspectModule, type ModuleReport } from '../host/engine/instance';
import { inspectEbpfObject, inspectImage } from './inspect-ebpf';
import { TextDecodeError, decodeUtf8 } from '../yaml/decode';

const USAGE = `usage: ig-wasm inspect <module.wasm | object.bpf.o | image.tar> [--output text|json]
                      [--metadata gadget.yaml] (objects)  [--arch amd64|arm64] (images; default: this machine)\n`;

interface Sinks { out: (s: string) => void; err: (s: string) => void }
const defaultSinks: Sinks = { out: (s) => { process.stdout.write(s); }, err: (s) => { process.stderr.write(s); } };

export async function main(argv: string[], sinks: Sinks = defaultSinks): Promise<number> {
  let file: string | undefined;
  let output: 'text' | 'json' = 'text';
  let metadata: string | undefined;
  let arch = goArch(process.arch);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') { sinks.out(USAGE); return 0; }
    if (a === '--metadata' || a === '--arch') {
      const v = argv[++i];
      if (!v) { sinks.err(`ig-wasm inspect: ${a} needs a value\n`); return 2; }
      if (a === '--metadata') metadata = v; else arch = v;
      continue;
    }
    if (a === '--output' || a === '-o' || a.startsWith('--output=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'text' && v !== 'json') { sinks.err(`ig-wasm inspect: --output must be text or json, not '${v ?? ''}'\n`); return 2; }
      output = v;
    } else if (a.startsWith('-')) {
      sinks.err(`ig-wasm inspect: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else if (file) {
      sinks.err(`ig-wasm inspect: one module at a time ('${file}' and '${a}')\n`);
      return 2;
    } else file = a;
  }
  if (!file) { sinks.err(`ig-wasm inspect: missing <module.wasm | object.bpf.o | image.tar>\n${USAGE}`); return 2; }

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    sinks.err(`ig-wasm inspect: cannot read '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
    return 2;
  }
  if (isElf(bytes) || isTar(bytes)) {
    let config: GadgetConfig | undefined;
    if (metadata) {
      try {
        config = gadgetConfigFromYaml(decodeUtf8(readFileSync(metadata)));
      } catch (e) {
        if (e instanceof TextDecodeError) { sinks.err(`ig-wasm inspect: ${metadata}:${e.line}:${e.column}: ${e.reason}\n`); return 2; }
        sinks.err(`ig-wasm inspect: cannot read metadata '${metadata}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`);
        return 2;
      }
    }
    const r = isElf(bytes) ? inspectEbpfObject(file, bytes, config) : inspectImage(file, bytes, arch);
    if (output === 'json') sinks.out(JSON.stringify(r.json) + '\n');
    else if (r.status === 2) sinks.err(r.text);
    else sinks.out(r.text);
    return r.status;
  }
  let report: ModuleReport;
  try {
    report = inspectModule(bytes);
  } catch (e) {
    sinks.err(`ig-wasm inspect: ${file}: not a valid wasm module (nor an eBPF object or a gadget image tarball): ${(e as Error).message}\n`);
    return 2;
  }
  const problems = [...report.unsupported];
  if (!report.hasApiVersion) problems.push("the module does not export gadgetAPIVersion (mandatory)");
  if (report.memory?.problem) problems.push(`memory: ${report.memory.problem}`);

  if (output === 'json') sinks.out(JSON.stringify({ file, size: bytes.length, loadable: problems.length === 0, problems, ...report }) + '\n');
  else sinks.out(formatText(file, bytes.length, report, problems));
  return problems.length ? 1 : 0;
}

function formatText(file: string, size: number, r: ModuleReport, problems: string[]): string {
  const lines: string[] = [];
  const names = r.moduleNames.length ? ` (host module ${r.moduleNames.map((n) => `'${n}'`).join(', ')})` : '';
  lines.push(`module:       ${file} (${size} bytes)`);
  lines.push(`API revision: ${r.apiRevision}${names}`);
  lines.push(`WASI:         ${r.wasi ? 'wasi_snapshot_preview1' : 'no'}`);
  if (r.memory) {
    const m = r.memory;
    lines.push(`memory:       ${m.imported ? 'imported, ' : ''}${m.minPages} pages min, ${m.maxPages === undefined ? 'no max' : `max ${m.maxPages}`} (effective max ${m.effectiveMaxPages} pages = ${m.effectiveMaxPages / 16} MiB)`);
  } else {
    lines.push('memory:       none');
  }
  lines.push(`lifecycle:    ${r.hasApiVersion ? 'gadgetAPIVersion' : 'no gadgetAPIVersion!'}${r.lifecycle.length ? ', ' + r.lifecycle.join(', ') : ''}`);

  lines.push('', `imports (${r.imports.length}):`);
  const w = Math.max(0, ...r.imports.map((i) => `${i.module}.${i.name}`.length));
  for (const i of r.imports) {
    const status = i.provided ? (i.revision ?? 'provided') : `UNSUPPORTED: ${i.problem ?? ''}`;
    lines.push(`  ${`${i.module}.${i.name}`.padEnd(w)}  ${i.signature.padEnd(30)}  ${status}`);
  }
  lines.push('', `exports (${r.exports.length}):`);
  const we = Math.max(0, ...r.exports.map((e) => e.name.length));
  for (const e of r.exports) lines.push(`  ${e.name.padEnd(we)}  ${e.signature ?? e.kind}`);
  lines.push('');
  if (problems.length) {
    lines.push(`cannot be loaded (${problems.length} problem${problems.length > 1 ? 's' : ''}):`);
    for (const p of problems) lines.push(`  ${p}`);
  } else {
    lines.push('loadable: every import is provided by this host');
  }
  return lines.join('\n') + '\n';
}
