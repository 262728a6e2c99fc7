// The 50 real gadget.yaml files IG accepts: no errors on any, and the known mistakes give the expected
// warnings at the right place with a fix that removes the warning and keeps the rest of the file.
import * as assert from 'node:assert/strict';
import { lintGadgetYaml } from '../../../src/metadata';
import type { Diagnostic } from '../../../src/metadata/types';
import { applyFix, at, corpusFiles, fixture } from './helpers';

const lint = (name: string): Diagnostic[] => lintGadgetYaml(fixture(`corpus/${name}`)).diagnostics;
const summary = (ds: Diagnostic[]): string[] => ds.map((d) => `${d.severity} ${d.code} ${at(d)}`);

describe('metadata: corpus of real gadget.yaml files', () => {
  const files = corpusFiles();

  it('has the 50 files', () => assert.equal(files.length, 50));

  for (const f of files) {
    it(`${f}: zero errors`, () => {
      const errors = lint(f).filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => `${at(d)} ${d.code}: ${d.message}`), []);
    });
  }

  it('gadgets_top_process: `columns.with` → did you mean `columns.width`, with a rename fix', () => {
    const text = fixture('corpus/gadgets_top_process.gadget.yaml');
    const d = lintGadgetYaml(text).diagnostics.find((x) => x.code === 'unknown-annotation');
    assert.ok(d);
    assert.equal(at(d), '52:11');
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /did you mean `columns\.width`/);
    const fixed = applyFix(text, d.fixes![0]!);
    assert.equal(fixed.split('\n')[51], '          columns.width: 32');
    assert.equal(lintGadgetYaml(fixed).diagnostics.filter((x) => x.code === 'unknown-annotation').length, 0);
  });

  it('gadgets_trace_fsslower: `columns.width::` → stray colon at 17:11, fix gives `columns.width: 48`', () => {
    const text = fixture('corpus/gadgets_trace_fsslower.gadget.yaml');
    const ds = lintGadgetYaml(text).diagnostics;
    assert.deepEqual(summary(ds), ['warning annotation-stray-colon 17:11']);
    assert.match(ds[0]!.message, /Did you mean `columns\.width`/);
    const fixed = applyFix(text, ds[0]!.fixes![0]!);
    assert.equal(fixed.split('\n')[16], '          columns.width: 48');
    assert.deepEqual(lintGadgetYaml(fixed).diagnostics, []);
  });

  it('gadgets_top_process: `columns.maxWidth` works only through case-insensitivity (5 warnings, each fixable)', () => {
    const text = fixture('corpus/gadgets_top_process.gadget.yaml');
    const ds = lintGadgetYaml(text).diagnostics.filter((d) => d.code === 'key-case');
    assert.deepEqual(ds.map(at), ['40:11', '44:11', '48:11', '58:11', '62:11']);
    for (const d of ds) {
      assert.match(d.message, /case-insensitively/);
      assert.equal(d.fixes![0]!.edits[0]!.newText, 'columns.maxwidth');
    }
  });

  for (const f of ['gadgets_profile_blockio.gadget.yaml', 'gadgets_profile_tcprtt.gadget.yaml']) {
    it(`${f}: top-level \`dataSources\` → \`datasources\` (viper), still validated as data sources`, () => {
      const text = fixture(`corpus/${f}`);
      const ds = lintGadgetYaml(text).diagnostics;
      assert.deepEqual(summary(ds), ['warning key-case 6:1']);
      assert.match(ds[0]!.message, /works only because IG reads gadget\.yaml case-insensitively/);
      const fixed = applyFix(text, ds[0]!.fixes![0]!);
      assert.equal(fixed.split('\n')[5], 'datasources:');
      assert.deepEqual(lintGadgetYaml(fixed).diagnostics, []);
      // Under the miscased key the data sources are still checked: a bad value there is an error.
      const broken = text.replace(/(\n\s+annotations:\n)/, '$1      - not a mapping entry\n');
      assert.ok(lintGadgetYaml(broken).diagnostics.some((d) => d.severity === 'error'));
    });
  }

  for (const f of ['pkg_operators_wasm_testdata_params.gadget.yaml', 'pkg_operators_wasm_rusttestdata_params.gadget.yaml']) {
    it(`${f}: \`typeHint\` under params.wasm is correct and not flagged`, () => {
      const ds = lintGadgetYaml(fixture(`corpus/${f}`)).diagnostics;
      assert.equal(ds.filter((d) => d.code === 'param-type-key' || d.code === 'unknown-key').length, 0);
      // The test data's placeholder type hint is not one IG knows, and it is mandatory with a default.
      assert.deepEqual(ds.map((d) => d.code).sort(), ['mandatory-with-default', 'unknown-type-hint']);
    });
  }

  it('annotation values that are YAML booleans or integers are accepted (hundreds in the corpus)', () => {
    let scalars = 0;
    for (const f of files) scalars += (fixture(`corpus/${f}`).match(/^\s+(columns|json|cli|ebpf)\.[\w.-]+: (true|false|\d+)\s*$/gm) ?? []).length;
    assert.ok(scalars > 200, `only ${scalars} non-string annotation values found`);
  });

  it('the whole corpus lints to exactly the known warnings', () => {
    const all: string[] = [];
    for (const f of files) for (const d of lint(f)) all.push(`${f.replace('.gadget.yaml', '')} ${d.code}`);
    const counts: Record<string, number> = {};
    for (const a of all) counts[a] = (counts[a] ?? 0) + 1;
    assert.deepEqual(counts, {
      'gadgets_profile_blockio key-case': 1,
      'gadgets_profile_tcprtt key-case': 1,
      'gadgets_top_process key-case': 5,
      'gadgets_top_process unknown-annotation': 1,
      'gadgets_trace_fsslower annotation-stray-colon': 1,
      'pkg_operators_wasm_rusttestdata_params mandatory-with-default': 1,
      'pkg_operators_wasm_rusttestdata_params unknown-type-hint': 1,
      'pkg_operators_wasm_testdata_params mandatory-with-default': 1,
      'pkg_operators_wasm_testdata_params unknown-type-hint': 1,
    });
  });
});
