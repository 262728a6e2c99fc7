// `ig-wasm lint <file>... [-o text|json] [--ebpf OBJECT.bpf.o]` (`--format` is an alias of `-o`): lints gadget.yaml files, with
// `--ebpf` also against the gadget's eBPF object (data sources, fields, params; IG's --validate-metadata). JSON prints one line per file,
// `{"file","diagnostics":[{severity,line,column,endLine,endColumn,code,message}]}` with 1-based positions.
// Exit status: 2 on a usage error or an unreadable file, else 1 if any error, else 0 (warnings only).
import { readFileSync, statSync } from 'node:fs';
import { errorMessage } from '../common/errors';
import { EbpfError, IgRefusal, lintFacts } from '../ebpf';
import { decodeGadgetYaml, lintGadgetYaml } from '../metadata';
import type { Diagnostic } from '../metadata/types';

const USAGE = 'usage: ig-wasm lint <gadget.yaml>... [-o|--output text|json] [--ebpf OBJECT.bpf.o]   (--format: alias of --output)\n';
const OUTPUT_FLAGS = ['-o', '--output', '--format'];

export interface CliDiagnostic {
  severity: Diagnostic['severity'];
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  message: string;
}

export function toCli(d: Diagnostic): CliDiagnostic {
  return {
    severity: d.severity,
    line: d.range.start.line + 1, column: d.range.start.character + 1,
    endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1,
    code: d.code, message: d.message,
  };
}

export async function main(argv: string[]): Promise<number> {
  let format: 'json' | 'text' = 'text';
  const files: string[] = [];
  let ebpfFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-h' || a === '--help') { process.stdout.write(USAGE); return 0; }
    if (a === '--ebpf' || a.startsWith('--ebpf=')) {
      ebpfFile = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!ebpfFile) { process.stderr.write(`ig-wasm lint: --ebpf needs an object file\n${USAGE}`); return 2; }
      continue;
    }
    const flag = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (OUTPUT_FLAGS.includes(flag)) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v !== 'json' && v !== 'text') { process.stderr.write(`ig-wasm lint: ${flag} must be text or json, got ${v === undefined ? 'nothing' : `'${v}'`}\n${USAGE}`); return 2; }
      format = v;
    } else if (a.startsWith('-') && a !== '-') {
      process.stderr.write(`ig-wasm lint: unknown option '${a}'\n${USAGE}`);
      return 2;
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) { process.stderr.write(`ig-wasm lint: no file given\n${USAGE}`); return 2; }
  let object: Uint8Array | undefined;
  if (ebpfFile !== undefined) {
    try {
      object = new Uint8Array(readFileSync(ebpfFile));
    } catch (err) {
      process.stderr.write(`ig-wasm lint: cannot read eBPF object ${ebpfFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}\n`);
      return 2;
    }
  }

  let errors = 0;
  let unreadable = 0;
  let warnings = 0;
  for (const file of files) {
    let bytes: Uint8Array;
    try {
      if (statSync(file).isDirectory()) throw new Error('is a directory');
      bytes = readFileSync(file);
    } catch (err) {
      unreadable++;
      const reason = (err as NodeJS.ErrnoException).code ?? errorMessage(err);
      process.stderr.write(`ig-wasm lint: cannot read ${file}: ${reason}\n`);
      continue;
    }
    // Invalid UTF-8 is the file's one error (decodeGadgetYaml), not an unreadable file.
    const decoded = decodeGadgetYaml(bytes);
    let diagnostics: Diagnostic[];
    if ('diagnostics' in decoded) {
      diagnostics = decoded.diagnostics;
    } else {
      let facts;
      if (object) {
        try {
          facts = lintFacts(object, decoded.text);
        } catch (e) {
          if (!(e instanceof IgRefusal || e instanceof EbpfError)) throw e;
          process.stderr.write(`ig-wasm lint: ${ebpfFile}: ${e instanceof IgRefusal ? `IG refuses this eBPF object: ${e.reason}` : `not a readable eBPF object: ${e.message}`}\n`);
          return 2;
        }
      }
      diagnostics = lintGadgetYaml(decoded.text, { object: facts }).diagnostics;
    }
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    warnings += diagnostics.filter((d) => d.severity === 'warning').length;
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify({ file, diagnostics: diagnostics.map(toCli) })}\n`);
    } else {
      for (const d of diagnostics.map(toCli)) process.stdout.write(`${file}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${d.message}\n`);
    }
  }
  if (format === 'text') {
    process.stderr.write(`${files.length - unreadable} file(s) linted, ${errors} error(s), ${warnings} warning(s)${unreadable ? `, ${unreadable} unreadable` : ''}\n`);
  }
  return unreadable ? 2 : errors ? 1 : 0;
}
