// Lint time of our gadget.yaml linter vs yaml-language-server's validation (the engine of the Red Hat YAML
// extension) with the same schema on the same text in the same process, for the largest real gadget.yaml
// and a generated ~2,000-line one. Target: ours ≤ 0.5× theirs.
// Each run appends a different comment so neither side can answer from a cache keyed on the text; runs
// alternate between the two so machine noise hits both alike; the figure is the median.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'yaml-language-server/lib/umd/languageservice/yamlLanguageService';
import { lintGadgetYaml, SCHEMA } from '../src/metadata';

const REPO = resolve(__dirname, '../..');
const CORPUS = join(REPO, 'test/fixtures/metadata/corpus');
const WARMUP = 5;
const RUNS = Number(process.env.BENCH_RUNS ?? 25);

/** A realistic large gadget.yaml: many data sources with annotated fields, and params of several operators. */
export function generatedGadgetYaml(targetLines = 2000): string {
  const out = ['name: generated', 'description: a generated gadget for the lint benchmark', 'homepageURL: https://inspektor-gadget.io/', 'datasources:'];
  const templates = ['pid', 'comm', 'uid', 'timestamp', 'l4endpoint', 'syscall'];
  let ds = 0;
  while (out.length < targetLines - 60) {
    out.push(`  source${ds}:`, '    annotations:', '      cli.clear-screen-before: "true"', '    fields:');
    for (let f = 0; f < 20 && out.length < targetLines - 60; f++) {
      out.push(`      field_${ds}_${f}:`, '        annotations:', `          description: Field ${f} of data source ${ds} # generated`);
      if (f % 3 === 0) out.push(`          template: ${templates[f % templates.length]}`);
      else out.push(`          columns.width: ${8 + f}`, `          columns.alignment: ${f % 2 ? 'left' : 'right'}`, '          columns.hidden: true');
    }
    ds++;
  }
  out.push('params:', '  ebpf:');
  for (let p = 0; out.length < targetLines - 4; p++) out.push(`    param_${p}:`, `      key: param-${p}`, `      defaultValue: "${p}"`, `      description: Param ${p}`);
  out.push('  wasm:', '    verbose:', '      key: verbose', '      typeHint: bool');
  return `${out.join('\n')}\n`;
}

function largestCorpusFile(): string {
  return readdirSync(CORPUS).filter((f) => f.endsWith('.yaml'))
    .map((f) => join(CORPUS, f)).sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const yls = getLanguageService({
    schemaRequestService: async (uri: string) => { throw new Error(`no network: ${uri}`); },
    workspaceContext: { resolveRelativePath: (p: string) => p },
  });
  yls.configure({ validate: true, hover: false, completion: false, schemas: [{ uri: 'file:///gadget.schema.json', fileMatch: ['*gadget.yaml'], schema: SCHEMA }] });

  const largest = largestCorpusFile();
  const cases = [
    { file: `test/fixtures/metadata/corpus/${largest.slice(CORPUS.length + 1)}`, text: readFileSync(largest, 'utf8') },
    { file: 'generated-2000-lines.gadget.yaml', text: generatedGadgetYaml(2000) },
  ];

  let version = 0;
  for (const c of cases) {
    const ours: number[] = [];
    const theirs: number[] = [];
    let oursDiags = 0;
    let theirsDiags = 0;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const text = `${c.text}# run ${i}\n`;
      let t = process.hrtime.bigint();
      oursDiags = lintGadgetYaml(text).diagnostics.length;
      const a = Number(process.hrtime.bigint() - t) / 1e6;
      const doc = TextDocument.create('file:///bench/gadget.yaml', 'yaml', ++version, text);
      t = process.hrtime.bigint();
      theirsDiags = (await yls.doValidation(doc, false)).length;
      const b = Number(process.hrtime.bigint() - t) / 1e6;
      if (i >= WARMUP) { ours.push(a); theirs.push(b); }
    }
    const lines = c.text.split('\n').length - 1;
    const oursMs = Number(median(ours).toFixed(2));
    const theirsMs = Number(median(theirs).toFixed(2));
    const ratio = Number((oursMs / theirsMs).toFixed(3));
    console.log(`${c.file} (${lines} lines): ours ${oursMs} ms (${oursDiags} diagnostics), yaml-language-server ${theirsMs} ms (${theirsDiags}); ratio ${ratio} (target ≤ 0.5), median of ${RUNS}`);
    console.log(JSON.stringify({ bench: 'lint-vs-yaml-language-server', file: c.file, lines, ours_ms: oursMs, theirs_ms: theirsMs, ratio }));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
