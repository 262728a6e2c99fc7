// src/yaml/read.ts: js-yaml's events assembled into nodes. Values must equal js-yaml's own `load` (the
// tree adds ranges, it must not change what the file means); ranges must cover exactly the source of each
// node; errors carry a line and column, never a stack.
import * as assert from 'node:assert/strict';
import { load } from 'js-yaml';
import {
  MAX_ALIAS_NODES, readYaml, toPlain, UNCLOSED_QUOTE, YamlError, YNode, YScalar, isMap, isScalar, isSeq,
} from '../../../src/yaml/read';
import { corpusFiles, fixture } from '../metadata/helpers';

/** Every node of a tree, keys included. */
function nodes(n: YNode | null, out: YNode[] = []): YNode[] {
  if (!n) return out;
  out.push(n);
  if (isMap(n)) for (const p of n.items) { nodes(p.key, out); nodes(p.value, out); }
  if (isSeq(n)) for (const i of n.items) nodes(i, out);
  return out;
}

const at = (text: string, n: YNode): string => text.slice(n.start, n.end);
const root = (text: string): YNode => readYaml(text).root!;
const value = (text: string, key: string): YScalar => {
  const r = root(text);
  assert.ok(isMap(r));
  const v = r.items.find((p) => isScalar(p.key) && p.key.text === key)?.value;
  assert.ok(isScalar(v), `${key} is not a scalar`);
  return v;
};
const throwsYaml = (fn: () => unknown, line: number, column: number, reason: RegExp): void => {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof YamlError, String(e));
    assert.deepEqual([e.line, e.column], [line, column], e.message);
    assert.match(e.reason, reason);
    assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace in the message');
    return true;
  });
};

describe('yaml: reading with js-yaml, with ranges', () => {
  const cases: Record<string, string> = {
    'scalars of every core type': 'a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1.5\nf: .inf\ng: true\nh: False\ni: ~\nj: null\nk: text with spaces\nl: 1e3\nm: +7\nn: -x\no: yes\np: 1_000\n',
    'quotes and escapes': "a: 'it''s'\nb: \"dq\\ttab\\u00e9\"\n'c': x\n\"d d\": y\ne: ''\nf: \"\"\n",
    'comments everywhere': '# head\na: 1 # one\n\n# between\nb:   # nothing\n  c: 2\n',
    'multi-line plain and quoted scalars': "a: first\n  second\n  third # c\nb: 'one\n  two\n\n  three'\nc: x\n",
    'block scalars': 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n\n  para\nc: |-\n  x\nd: >\n  y\ne: |\n\nf: |+\n  kept\n\ng: x\n',
    'sequences, compact and nested': 'a:\n  - 1\n  - two\n  - k: v\n    l: w\n  -\n    - nested\nb:\n- same indent\n- again\nc: []\nd: {}\n',
    'flow collections': 'a: [1, {b: c, d: [e]}, ]\nf: { g: h , }\ni: [ ]\n',
    'keys with colons and dots': 'columns.width:: 3\na:b: c\nurl: http://x.y/z\n',
    'CRLF line ends': 'a: 1\r\nb:\r\n  c: two\r\n',
    'anchors and aliases': 'a: &x {k: v}\nb: *x\nc: &s text\nd: [*s, *s]\n',
    'explicit tags': 'a: !!str 12\nb: !!int "7"\nc: ! 3\n',
  };

  for (const [name, text] of Object.entries(cases)) {
    it(`means what js-yaml's load says: ${name}`, () => {
      const doc = readYaml(text);
      assert.deepEqual(toPlain(doc, doc.root), load(text));
    });
  }

  it('every corpus file means what js-yaml\'s load says', () => {
    for (const f of corpusFiles()) {
      const text = fixture(`corpus/${f}`);
      const doc = readYaml(text);
      assert.deepEqual(toPlain(doc, doc.root), load(text), f);
    }
  });

  it('scalar ranges cover the source: plain as written, quotes included, block scalars from their header', () => {
    const checked = { plain: 0, single: 0, double: 0, literal: 0, folded: 0 };
    const texts = [...corpusFiles().map((f) => [f, fixture(`corpus/${f}`)]), ...Object.entries(cases)];
    for (const [f, text] of texts) {
      for (const n of nodes(readYaml(text!).root)) {
        if (!isScalar(n) || n.value === null) continue;
        const src = at(text!, n);
        checked[n.style]++;
        if (n.style === 'plain' && !src.includes('\n')) assert.equal(src, n.text, f);
        if (n.style === 'single' || n.style === 'double') {
          const q = n.style === 'single' ? "'" : '"';
          assert.ok(src.startsWith(q) && src.endsWith(q), `${f}: ${src}`);
        }
        if (n.style === 'literal' || n.style === 'folded') assert.match(src, /^[|>][-+]?\s*\n/, f);
      }
    }
    // Every style occurs, so each check above ran.
    for (const [style, count] of Object.entries(checked)) assert.ok(count > 0, `no ${style} scalar in the corpus`);
  });

  it('collections span their content, flow ones up to the closing bracket', () => {
    const text = 'a:\n  - k: v\n    l: w\n  - x\nb: [1, {c: d}, ]\ne: { }\n';
    const r = root(text);
    assert.ok(isMap(r));
    const [a, b, e] = r.items.map((p) => p.value);
    assert.equal(at(text, a!), '- k: v\n    l: w\n  - x');
    assert.ok(isSeq(a) && isMap(a.items[0]));
    assert.equal(at(text, a.items[0]), 'k: v\n    l: w');
    assert.equal(at(text, b!), '[1, {c: d}, ]');
    assert.ok(isSeq(b));
    assert.equal(at(text, b.items[1]!), '{c: d}');
    assert.equal(at(text, e!), '{ }');
    assert.deepEqual([r.start, r.end], [0, text.length - 1]);
  });

  it('keeps the text Go sees beside the core-schema value', () => {
    const text = 'a: True\nb: 0x10\nc: "0x10"\nd: 1.50\ne: first\n  second\nf: ~\n';
    assert.deepEqual([value(text, 'a').value, value(text, 'a').text], [true, 'True']);
    assert.deepEqual([value(text, 'b').value, value(text, 'b').text], [16, '0x10']);
    assert.deepEqual([value(text, 'c').value, value(text, 'c').style], ['0x10', 'double']);
    assert.deepEqual([value(text, 'd').value, value(text, 'd').text], [1.5, '1.50']);
    assert.equal(value(text, 'e').text, 'first second');
    assert.equal(value(text, 'f').value, null);
  });

  it('empty values are null, placed where the value would start', () => {
    const text = 'a:\nb: 1\n';
    const a = value(text, 'a');
    assert.equal(a.value, null);
    assert.ok(a.start >= 1 && a.start <= 2 && a.end === a.start, `${a.start}-${a.end}`);
  });

  it('bigInt keeps 64-bit integers exact, in every core int form', () => {
    const doc = readYaml('a: 18446744073709551615\nb: -9223372036854775808\nc: 0x10\nd: 0o17\ne: +7\nf: 1.5\n', { bigInt: true });
    assert.deepEqual(toPlain(doc, doc.root), { a: 2n ** 64n - 1n, b: -(2n ** 63n), c: 16n, d: 15n, e: 7n, f: 1.5 });
  });

  it('aliases point at their anchor; toPlain expands them within a limit and refuses cycles', () => {
    const text = 'a: &x [1, 2]\nb: *x\n';
    const r = root(text);
    assert.ok(isMap(r));
    const b = r.items[1]!.value;
    assert.ok(b.kind === 'alias' && b.target === r.items[0]!.value);
    assert.equal(at(text, b), '*x');

    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 6; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const bomb = readYaml(`${lines.join('\n')}\n`);
    assert.throws(() => toPlain(bomb, bomb.root), (e: unknown) => e instanceof YamlError && new RegExp(`more than ${MAX_ALIAS_NODES} nodes`).test(e.reason));

    const cycle = readYaml('a: &a [1, *a]\n');
    throwsYaml(() => toPlain(cycle, cycle.root), 1, 11, /inside the node it refers to/);
  });

  it('`__proto__` is an ordinary key', () => {
    const doc = readYaml('__proto__: {polluted: true}\n');
    const v = toPlain(doc, doc.root) as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(v, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal((v as { polluted?: unknown }).polluted, undefined);
  });

  it('syntax errors are YamlErrors at js-yaml\'s mark', () => {
    throwsYaml(() => readYaml('a: 1\n\tb: 2\n'), 2, 1, /tab characters/);
    throwsYaml(() => readYaml('a:\n  b: 1\n c: 2\n'), 3, 2, /bad indentation/);
    throwsYaml(() => readYaml('a: b: c\n'), 1, 5, /bad indentation/);
    throwsYaml(() => readYaml('a: *nope\n'), 1, 4, /no anchor &nope/);
  });

  it('an unclosed quote is reported at the quote, not where the text stops fitting', () => {
    throwsYaml(() => readYaml('name: x\ndescription: "never closed\ndatasources:\n  events: {}\n'), 2, 14, new RegExp(UNCLOSED_QUOTE));
    throwsYaml(() => readYaml("a: 'it''s\nb: 1\n"), 1, 4, new RegExp(UNCLOSED_QUOTE));
    // A closed quote before the error is not blamed.
    throwsYaml(() => readYaml('a: "ok"\nb: [\n'), 3, 1, /deficient indentation/);
  });

  it('repeated keys are an error only when asked for', () => {
    assert.equal(readYaml('a: 1\na: 2\n').root?.kind, 'map');
    throwsYaml(() => readYaml('x:\n  a: 1\n  a: 2\n', { uniqueKeys: true }), 3, 3, /duplicate key 'a'/);
  });

  it('nesting deeper than maxDepth is an error, not a stack overflow', () => {
    const deep = `a: ${'['.repeat(50000)}${']'.repeat(50000)}\n`;
    throwsYaml(() => readYaml(deep), 1, 1003, /maxDepth/);
    assert.ok(readYaml(`a: ${'['.repeat(900)}${']'.repeat(900)}\n`).root);
  });

  it('a second document is noted where it starts; empty text is an empty document', () => {
    const doc = readYaml('a: 1\n# next\n---\nb: 2\n');
    assert.equal(doc.extraDocument, 12);
    assert.deepEqual(toPlain(doc, doc.root), { a: 1 });
    assert.equal(readYaml('').root, null);
    assert.equal(readYaml('# only a comment\n').root, null);
  });

  it('unknown tags are warnings at the tag; the value is read as text', () => {
    const text = 'a: !foo 12\nb: !!int twelve\n';
    const doc = readYaml(text);
    assert.deepEqual(doc.warnings.map((w) => text.slice(w.start, w.end)), ['!foo 12', '!!int twelve']);
    assert.deepEqual(toPlain(doc, doc.root), { a: '12', b: 'twelve' });
  });

  it('position() gives 1-based lines and columns', () => {
    const doc = readYaml('a: 1\nbb: 2\n');
    assert.deepEqual(doc.position(0), { line: 1, column: 1 });
    assert.deepEqual(doc.position(9), { line: 2, column: 5 });
  });
});
