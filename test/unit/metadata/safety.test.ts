// Hostile input: alias bombs, a 10 MB file, binary content, deep nesting, odd roots. Each gives a clear
// diagnostic at the right place and nothing throws (no timing assertions: a hang fails by mocha's timeout).
import * as assert from 'node:assert/strict';
import { completionsAt, hoverAt, lintGadgetYaml, outline, readGadgetMetadata } from '../../../src/metadata';
import { MAX_ALIAS_NODES, MAX_LINT_CHARS } from '../../../src/metadata/document';
import { at } from './helpers';

/** Every entry point on the same text: none may throw. */
function everything(text: string): ReturnType<typeof lintGadgetYaml> {
  const r = lintGadgetYaml(text);
  hoverAt(text, { line: 1, character: 2 });
  completionsAt(text, { line: 1, character: 2 });
  outline(text);
  readGadgetMetadata(text);
  return r;
}

describe('metadata: hostile and odd input', () => {
  it('an alias bomb stops at the expansion limit with an error on the alias', () => {
    const lines = ['name: bomb', 'a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const text = `${lines.join('\n')}\n`;
    const ds = everything(text).diagnostics;
    const limit = ds.find((d) => d.code === 'alias-limit');
    assert.ok(limit, JSON.stringify(ds));
    assert.equal(limit.severity, 'error');
    assert.match(limit.message, new RegExp(`more than ${MAX_ALIAS_NODES} nodes`));
    assert.equal(limit.range.start.line > 1, true, 'on one of the aliases');
    assert.deepEqual(readGadgetMetadata(text).datasources, {});
  });

  it('small aliases are fine and validated like the text they stand for', () => {
    const text = 'name: a\ndatasources:\n  one:\n    fields:\n      f: &f\n        annotations:\n          columns.width: wide\n  two:\n    fields:\n      g: *f\n';
    const ds = everything(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.code} ${at(d)}`), ['annotation-value 7:26']);
    assert.equal(readGadgetMetadata(text).datasources.two!.fields.g!.annotations['columns.width'], 'wide');
  });

  it('a 10 MB file is not parsed: one warning, fast, and the other entry points return empty', () => {
    const block = '      f: {annotations: {columns.width: 10}}\n';
    const text = `name: big\ndatasources:\n  ds:\n    fields:\n${block.repeat(Math.ceil(10e6 / block.length))}`;
    assert.ok(text.length >= 10e6 && text.length > MAX_LINT_CHARS);
    const ds = everything(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), ['warning file-too-large 1:1']);
    assert.match(ds[0]!.message, /10\.0 MB/);
    assert.deepEqual(outline(text), []);
  });

  it('binary content is an error at the first control character', () => {
    const text = 'name: x\ndescr\u0000iption: y\n';
    const ds = everything(text).diagnostics;
    assert.deepEqual(ds.map((d) => `${d.severity} ${d.code} ${at(d)}`), ['error binary-content 2:6']);
    assert.match(ds[0]!.message, /U\+0000/);
  });

  it('random bytes (as a decoder would give them) never throw', () => {
    let seed = 42;
    const rnd = (): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let n = 0; n < 30; n++) {
      const bytes = Buffer.from(Array.from({ length: 2000 }, () => rnd() & 0xff));
      const r = everything(bytes.toString('utf8'));
      assert.ok(r.diagnostics.length > 0);
    }
  });

  it('random printable YAML-ish noise never throws', () => {
    const alphabet = 'ab:- \n\t#&*!|>\'"{}[],?%@`\\.~0';
    let seed = 7;
    for (let n = 0; n < 200; n++) {
      let s = '';
      for (let i = 0; i < 200; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; s += alphabet[seed % alphabet.length]; }
      everything(s);
    }
  });

  it('deep nesting does not overflow the stack', () => {
    const depth = 20000;
    const text = `name: deep\noperator: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    everything(text);
    const block = `name: deep\noperator:\n${Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')}\n`;
    assert.deepEqual(everything(block).diagnostics, []);
  });

  it('a root that is not a mapping is an error; other documents and odd keys are handled', () => {
    assert.deepEqual(lintGadgetYaml('- a\n- b\n').diagnostics.map((d) => `${d.code} ${at(d)}`), ['schema 1:1']);
    assert.deepEqual(lintGadgetYaml('just text\n').diagnostics.map((d) => d.code), ['schema']);
    assert.deepEqual(lintGadgetYaml('name: a\n---\nname: b\n').diagnostics.map((d) => d.code), ['yaml-syntax']);
    const proto = 'name: p\n__proto__: {polluted: true}\ndatasources:\n  __proto__:\n    fields: {}\n';
    assert.deepEqual(lintGadgetYaml(proto).diagnostics.map((d) => `${d.code} ${at(d)}`), ['unknown-key 2:1']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(lintGadgetYaml('name: a\n? [complex, key]\n: v\n').diagnostics.map((d) => d.code), ['bad-key']);
  });

  it('non-string input does not throw', () => {
    for (const v of [undefined, null, 42, {}]) {
      const r = lintGadgetYaml(v as unknown as string);
      assert.ok(Array.isArray(r.diagnostics));
      assert.deepEqual(readGadgetMetadata(v as unknown as string), { datasources: {}, wasmParams: {} });
    }
  });
});
