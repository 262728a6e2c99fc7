// The injection grammars under syntaxes/: generated from our catalogue (no drift), contributed in
// package.json, and tokenized by a real TextMate engine (vscode-textmate + Oniguruma) on real gadget.yaml
// files from IG's repository and on a small gadget C program, injected into test host grammars.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { annotationInfo, ANNOTATIONS, TEMPLATES } from '../../../src/metadata/catalogue';
import { GADGET_MACROS, GADGET_TYPES } from '../../../src/ebpf/gadget-names';
import {
  C_INJECTION_SCOPE, GENERIC_KEYS, GRAMMAR_FILES, SCOPES, YAML_INJECTION_SCOPE, yamlParamsSections, yamlTopLevelKeys,
} from '../../../src/syntaxes/grammars';
import { Token, tokenizer, tokensWith } from '../../support/textmate';
import { CORPUS, REPO, corpusFiles } from '../metadata/helpers';

const HOSTS = join(REPO, 'test/fixtures/syntaxes');
const SET = {
  files: {
    'source.yaml': join(HOSTS, 'yaml-host.tmLanguage.json'),
    'source.c': join(HOSTS, 'c-host.tmLanguage.json'),
    [YAML_INJECTION_SCOPE]: join(REPO, 'syntaxes/gadget-yaml.injection.tmLanguage.json'),
    [C_INJECTION_SCOPE]: join(REPO, 'syntaxes/gadget-bpf-c.injection.tmLanguage.json'),
  },
  injections: { 'source.yaml': [YAML_INJECTION_SCOPE], 'source.c': [C_INJECTION_SCOPE] },
};

/** The token covering `text` on a 1-based line (the first one when it appears twice). */
function token(lines: Token[][], line: number, text: string): Token {
  const t = lines[line - 1]?.find((x) => x.text === text);
  assert.ok(t, `no token "${text}" on line ${line}: ${JSON.stringify(lines[line - 1]?.map((x) => x.text))}`);
  return t;
}

const ours = (t: Token): string[] => t.scopes.filter((s) => s.endsWith('.ig'));

describe('syntaxes: generated from our catalogue and contributed', () => {
  it('the committed grammars are what src/syntaxes/grammars.ts builds (regenerate: node scripts/syntaxes.mjs)', () => {
    for (const [file, build] of Object.entries(GRAMMAR_FILES)) {
      assert.deepEqual(JSON.parse(readFileSync(join(REPO, 'syntaxes', file), 'utf8')), build(), file);
    }
  });

  it('package.json injects each grammar into its host, and the VSIX ships syntaxes/', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as
      { contributes: { grammars?: { scopeName: string; path: string; injectTo: string[] }[] } };
    const contributed = pkg.contributes.grammars ?? [];
    assert.equal(contributed.length, Object.keys(GRAMMAR_FILES).length);
    for (const [file, build] of Object.entries(GRAMMAR_FILES)) {
      const g = build();
      const entry = contributed.find((c) => c.path === `./syntaxes/${file}`);
      assert.ok(entry, `${file} is not in contributes.grammars`);
      assert.equal(entry.scopeName, g.scopeName);
      const host = /^L:(\S+)/.exec(g.injectionSelector)?.[1];
      assert.deepEqual(entry.injectTo, [host]);
    }
    assert.match(readFileSync(join(REPO, '.vscodeignore'), 'utf8'), /^!syntaxes\/\*\*$/m);
  });
});

describe('syntaxes: gadget.yaml injection', () => {
  let tokenize: (text: string) => Token[][];
  before(async () => {
    tokenize = await tokenizer(SET, 'source.yaml');
  });
  const corpus = (name: string): Token[][] => tokenize(readFileSync(join(CORPUS, name), 'utf8'));

  it('marks IG vocabulary on the lines of a real gadget.yaml (trace_open) and keeps the host\'s key scope', () => {
    const lines = corpus('gadgets_trace_open.gadget.yaml');
    assert.deepEqual(ours(token(lines, 6, 'datasources')), [SCOPES.topLevelKey]);
    assert.deepEqual(ours(token(lines, 3, 'homepageURL')), [SCOPES.topLevelKey]);
    const width = token(lines, 15, 'columns.width');
    assert.deepEqual(ours(width), [SCOPES.annotationKey]);
    assert.ok(width.scopes.includes('entity.name.tag.yaml'), 'the host\'s key scope stays under ours');
    assert.deepEqual(ours(token(lines, 11, 'columns.hidden')), [SCOPES.annotationKey]);
    assert.deepEqual(ours(token(lines, 41, 'params')), [SCOPES.topLevelKey]);
    assert.deepEqual(ours(token(lines, 42, 'ebpf')), [SCOPES.paramsSection]);
    // The generic keys and the values are the host's.
    assert.deepEqual(ours(token(lines, 1, 'name')), []);
    assert.deepEqual(ours(token(lines, 21, 'description')), []);
    assert.deepEqual(ours(token(lines, 11, 'true')), []);
    assert.deepEqual(ours(token(lines, 43, 'targ_failed')), []);
  });

  it('marks a template name only after `template:`, and `params.wasm`', () => {
    const lines = corpus('gadgets_deadlock.gadget.yaml');
    assert.deepEqual(ours(token(lines, 21, 'template')), [SCOPES.annotationKey]);
    assert.deepEqual(ours(token(lines, 21, 'pid')), [SCOPES.templateName]);
    assert.deepEqual(ours(token(lines, 37, 'comm')), [SCOPES.templateName]);
    const wasm = corpus('pkg_operators_wasm_testdata_params.gadget.yaml');
    assert.deepEqual(ours(token(wasm, 3, 'wasm')), [SCOPES.paramsSection]);
  });

  it('follows IG\'s case-insensitive keys and leaves typos unmarked', () => {
    assert.deepEqual(ours(token(corpus('gadgets_top_process.gadget.yaml'), 40, 'columns.maxWidth')), [SCOPES.annotationKey]);
    assert.deepEqual(ours(token(corpus('gadgets_top_process.gadget.yaml'), 52, 'columns.with')), []);
    assert.deepEqual(ours(token(corpus('gadgets_profile_blockio.gadget.yaml'), 6, 'dataSources')), [SCOPES.topLevelKey]);
    const fsslower = corpus('gadgets_trace_fsslower.gadget.yaml');
    assert.deepEqual(fsslower[16]!.flatMap(ours), [], '`columns.width::` is a different key');
    assert.deepEqual(ours(token(fsslower, 12, 'columns.width')), [SCOPES.annotationKey]);
  });

  it('on the whole corpus, marks only annotation keys the catalogue knows and only template names it lists', () => {
    let keys = 0;
    for (const file of corpusFiles()) {
      const lines = corpus(file);
      for (const { text } of tokensWith(lines, SCOPES.annotationKey)) {
        assert.ok(annotationInfo(text), `${file}: "${text}" marked but not in the catalogue`);
        keys++;
      }
      for (const { text } of tokensWith(lines, SCOPES.templateName)) {
        assert.ok(TEMPLATES.some((t) => t.name === text), `${file}: template "${text}"`);
      }
    }
    assert.ok(keys > 500, `only ${keys} annotation keys marked in the corpus`);
  });

  it('marks every namespaced annotation and every template of the catalogue', () => {
    const named = ANNOTATIONS.filter((a) => a.name !== 'template' && !GENERIC_KEYS.includes(a.name));
    const text = [
      'datasources:', '  ds:', '    fields:', '      f:', '        annotations:',
      ...named.map((a) => `          ${a.name}: x`),
      ...TEMPLATES.map((t) => `          template: ${t.name}`),
    ].join('\n');
    const lines = tokenize(text);
    assert.deepEqual(tokensWith(lines, SCOPES.annotationKey).map((t) => t.text), [...named.map((a) => a.name), ...TEMPLATES.map(() => 'template')]);
    assert.deepEqual(tokensWith(lines, SCOPES.templateName).map((t) => t.text), TEMPLATES.map((t) => t.name));
    const top = tokenize(yamlTopLevelKeys().map((k) => `${k}:`).join('\n'));
    assert.deepEqual(tokensWith(top, SCOPES.topLevelKey).map((t) => t.text), yamlTopLevelKeys());
    assert.deepEqual(yamlParamsSections(), ['ebpf', 'wasm', 'custom']);
  });

  it('stays out of other YAML files, comments and quotes', () => {
    const k8s = [
      'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations:', '    description: a web server',
      'spec:', '  template:', '    metadata:', '      labels:', '        app: web', '    spec:', '      containers:',
      '        - name: web', '          image: nginx', 'name: build', 'description: CI',
    ].join('\n');
    assert.deepEqual(tokenize(k8s).flat().filter((t) => ours(t).length).map((t) => t.text), []);
    const other = tokenize(['# columns.width: 4', 'x:', '  "columns.width": 4', '  template: mytemplate'].join('\n'));
    assert.deepEqual(other.flat().filter((t) => ours(t).length).map((t) => t.text), []);
  });
});

describe('syntaxes: program.bpf.c injection', () => {
  let lines: Token[][];
  before(async () => {
    const tokenize = await tokenizer(SET, 'source.c');
    lines = tokenize(readFileSync(join(REPO, 'test/fixtures/workspace/bpf/program.bpf.c'), 'utf8'));
  });

  it('marks IG\'s gadget macros, with their status', () => {
    assert.deepEqual(ours(token(lines, 19, 'GADGET_PARAM')), [SCOPES.macro]);
    assert.deepEqual(ours(token(lines, 21, 'GADGET_TRACER_MAP')), [SCOPES.macro]);
    assert.deepEqual(ours(token(lines, 22, 'GADGET_TRACER')), [SCOPES.macro]);
    assert.deepEqual(ours(token(lines, 23, 'GADGET_SNAPSHOTTER')), [SCOPES.deprecatedMacro]);
    assert.deepEqual(ours(token(lines, 24, 'GADGET_TOPPER')), [SCOPES.removedMacro]);
    const macros = tokenize1(GADGET_MACROS.map((m) => `${m.name}(a, b);`).join('\n'));
    assert.deepEqual(macros.map((l) => l.flatMap(ours)[0]), GADGET_MACROS.map((m) => (
      m.status === 'current' ? SCOPES.macro : m.status === 'deprecated' ? SCOPES.deprecatedMacro : SCOPES.removedMacro)));
  });

  it('marks IG\'s special types as types, whole words only', () => {
    for (const [line, name] of [[9, 'gadget_timestamp'], [10, 'gadget_process'], [11, 'gadget_mntns_id'], [12, 'gadget_comm'],
      [13, 'gadget_errno'], [14, 'gadget_l4endpoint_t']] as const) {
      assert.deepEqual(ours(token(lines, line, name)), [SCOPES.specialType], name);
    }
    assert.deepEqual(lines[14]!.flatMap(ours), [], 'gadget_pidx is not gadget_pid');
    const types = tokenize1(GADGET_TYPES.map((t) => `${t} x;`).join('\n'));
    assert.deepEqual(types.map((l) => l.filter((t) => ours(t).length).map((t) => t.text)), GADGET_TYPES.map((t) => [t]));
  });

  it('leaves comments, strings and IG\'s helper calls to the host', () => {
    assert.deepEqual(lines[1]!.flatMap(ours), [], 'comment');
    assert.deepEqual(lines[29]!.flatMap(ours), [], 'string');
    assert.deepEqual(token(lines, 29, 'gadget_reserve_buf').scopes.slice(1), ['entity.name.function.c']);
  });

  let tokenize1: (text: string) => Token[][];
  before(async () => {
    tokenize1 = await tokenizer(SET, 'source.c');
  });
});
