// The fast YAML path must agree with the `yaml` package exactly (values, scalar types and ranges) on
// every file it accepts, and hand anything else to the full parser.
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { fastParse } from '../../../src/metadata/fastyaml';
import { FIXTURES, fixture } from './helpers';

/** Every node as `path kind value [start,end]`, for a line-by-line comparison. */
function flatten(node: unknown, path = '$', out: string[] = []): string[] {
  if (isMap(node) || isSeq(node)) {
    out.push(`${path} ${isMap(node) ? 'map' : 'seq'}${node.flow ? ' flow' : ''} ${node.items.length}`);
    node.items.forEach((item, i) => {
      if (isPair(item)) {
        flatten(item.key, `${path}.key${i}`, out);
        flatten(item.value, `${path}.${isScalar(item.key) ? String(item.key.value) : i}`, out);
      } else flatten(item, `${path}[${i}]`, out);
    });
  } else if (isScalar(node)) {
    const r = node.range!;
    // Empty (null) values have no extent worth comparing.
    const where = node.value === null && r[0] === r[1] ? '' : ` [${r[0]},${r[1]}]`;
    out.push(`${path} ${node.type} ${JSON.stringify(node.value)}${where}`);
  } else {
    out.push(`${path} ${String(node)}`);
  }
  return out;
}

function agree(text: string, name: string): boolean {
  const fast = fastParse(text);
  if (fast === undefined) return false;
  const doc = parseDocument(text, { uniqueKeys: false });
  assert.deepEqual(doc.errors, [], `${name}: the fast path accepted a file with YAML errors`);
  assert.deepEqual(flatten(fast), flatten(doc.contents), name);
  return true;
}

/** Like agree(), but a document the full parser rejects must have been left to it. */
function agreeOrErrors(text: string): boolean {
  const fast = fastParse(text);
  if (fast === undefined) return false;
  const doc = parseDocument(text, { uniqueKeys: false });
  assert.deepEqual(doc.errors.map((e) => e.message), [], `the fast path accepted a file with YAML errors:\n${text}`);
  assert.deepEqual(flatten(fast), flatten(doc.contents), text);
  return true;
}

describe('metadata: fast YAML path', () => {
  it('takes every corpus file and agrees with the yaml package', () => {
    const dir = join(FIXTURES, 'corpus');
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) assert.ok(agree(fixture(`corpus/${f}`), f), `${f} fell back`);
  });

  it('agrees on the bad-file fixtures it takes and leaves the broken ones to the full parser', () => {
    const dir = join(FIXTURES, 'bad');
    const fellBack: string[] = [];
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml'))) if (!agree(fixture(`bad/${f}`), f)) fellBack.push(f);
    assert.deepEqual(fellBack.sort(), ['syntax.gadget.yaml', 'tabs.gadget.yaml', 'types.gadget.yaml']); // types: a flow sequence
  });

  const cases: Record<string, string> = {
    'scalars of every core type': 'a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: 1.5\nf: .inf\ng: true\nh: False\ni: ~\nj: null\nk: text with spaces\nl: 1e3\nm: +7\nn: -x\n',
    'quotes and escapes of single quotes': "a: 'it''s'\nb: \"dq\"\n'c': x\n\"d d\": y\ne: ''\n",
    'comments everywhere': '# head\na: 1 # one\n\n# between\nb:   # nothing\n  c: 2\n',
    'multi-line plain and quoted scalars': "a: first\n  second\n  third # c\nb: 'one\n  two\n\n  three'\nc: x\n",
    'block scalars': 'a: |\n  line 1\n  line 2\nb: >-\n  folded\n  text\n\n  para\nc: |-\n  x\nd: >\n  y\ne: |\n\nf: x\n',
    'block scalars with trailing empty lines and comments': 'a: |\n  x\n\n\nb: >-\n  y\n\n# c\nc: |\n    deep\n  # not content\nd: 1\n',
    'sequences, compact and nested': 'a:\n  - 1\n  - two\n  - k: v\n    l: w\n  -\n    - nested\nb:\n- same indent\n- again\nc: []\nd: {}\n',
    'keys with colons and dots': 'columns.width:: 3\na:b: c\nurl: http://x.y/z\n',
    'CRLF line ends': 'a: 1\r\nb:\r\n  c: two\r\n',
  };
  for (const [name, text] of Object.entries(cases)) {
    it(`agrees: ${name}`, () => assert.ok(agree(text, name), `${name} fell back`));
  }

  const fallbacks: Record<string, string> = {
    anchors: 'a: &x 1\nb: *x\n',
    tags: 'a: !!str 1\n',
    flow: 'a: [1, 2]\n',
    escapes: 'a: "x\\ny"\n',
    'document marker': '---\na: 1\n',
    'bad indentation': 'a:\n    b: 1\n  c: 2\n',
    'nested mapping on one line': 'a: b: c\n',
    'unclosed quote': "a: 'x\n",
    'root sequence': '- a\n',
    'keep chomping': 'a: |+\n  x\n\n',
    'block scalar at EOF without newline': 'a: |\n  x',
    'tab indentation': 'a:\n\tb: 1\n',
    'huge integer': 'a: 123456789012345678901234567890\n',
  };
  for (const [name, text] of Object.entries(fallbacks)) {
    it(`falls back: ${name}`, () => assert.equal(fastParse(text), undefined));
  }

  it('agrees on 500 random block documents built from tricky pieces (or falls back)', () => {
    let seed = 1234;
    const rnd = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
    const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)]!;
    const scalars = ['1', '-2', '0x1F', '0o17', '1.5', '.5', '1e3', '1.', '+3', '.inf', '-.Inf', '.nan', 'true', 'False', 'TRUE', 'yes', 'no', '~', 'null', 'Null',
      'text', 'two words', 'a#b', 'x # comment', 'http://h:8080/p', 'a:b', "'quoted'", "'it''s'", '"dq"', "''", '""', 'ünïcödé ✓', '-x', '?x', ':x',
      '{}', '[]', '%x', '@x', '`x', '&a x', '!!str x', '[1, 2]', '"esc\\n"', 'a: b', '- x', '|', '>-', "'open", '0012', '1_000', '12345678901234567890'];
    const keys = ['name', 'a', 'b.c', 'columns.width', 'columns.width:', 'x y', "'q k'", '"d k"', '1', 'true', '~', 'key#x', 'k'];
    const gen = (indent: number, depth: number): string[] => {
      const pad = ' '.repeat(indent);
      const out: string[] = [];
      const n = 1 + rnd(4);
      for (let i = 0; i < n; i++) {
        const k = pick(keys);
        const r = rnd(10);
        if (r < 5 || depth > 3) out.push(`${pad}${k}: ${pick(scalars)}${rnd(4) === 0 ? ' # note' : ''}`);
        else if (r < 6) out.push(`${pad}${k}: ${pick(scalars)}`, `${pad}  ${pick(['more', 'words here', '2', 'x # c', 'k: v'])}`);
        else if (r < 7) out.push(`${pad}${k}: ${pick(['|', '>', '|-', '>-'])}`, `${pad}  line one`, ...(rnd(2) ? ['', `${pad}  line two`] : []), ...(rnd(2) ? [''] : []));
        else if (r < 8) {
          out.push(`${pad}${k}:`);
          const seqPad = rnd(2) ? pad : `${pad}  `;
          for (let j = 0; j < 1 + rnd(3); j++) out.push(rnd(3) ? `${seqPad}- ${pick(scalars)}` : `${seqPad}- ${pick(keys)}: ${pick(scalars)}`);
        } else out.push(`${pad}${k}:${rnd(3) === 0 ? ' # c' : ''}`, ...gen(indent + 2 + rnd(2) * 2, depth + 1));
        if (rnd(6) === 0) out.push(rnd(2) ? '' : `${pad}# comment`);
      }
      return out;
    };
    let taken = 0;
    for (let d = 0; d < 500; d++) {
      const text = `${gen(0, 0).join('\n')}\n`;
      if (agreeOrErrors(text)) taken++;
    }
    assert.ok(taken > 100, `the fast path took only ${taken} of 500`);
  });

  it('agrees or falls back on edge cases', () => {
    const edge = [
      'a  : 1\n', 'a: b   \n', 'a: b#c\n', 'a: b #c\n', 'a:\n  -\n  - x\n', 'a: 😀 x\nb: ü\n', '"a: b": c\n', "'a''b': c\n",
      'a: |\r\n  x\r\n  y\r\nb: 1\r\n', 'a:\n  - k: 1\n    l:\n      m: 2\n  - k: 3\n', 'a:\n    # deep comment\n  b: 1\n# top\n  # mid\n  c: 2\n',
      'a: b\n  # c\n  d\n', 'a: b\n\n  c\n', 'a: - b\n', 'a: b: c\n', 'a:\n  b: 1\n c: 2\n', 'a: 1\n  b: 2\n', '- a\n', 'a: [\n',
      'a: "x\n\n  y"\n', "a: 'x\n  '\n", 'a:\n- b\n- c\nd: e\n', 'a: >\n  one\n  two\n\n\n  three\nb: 1\n', 'a: |-\n\n  x\nb: 1\n',
      'key with spaces: v\n', 'k: v\nk: w\n', 'a: 1 # c\n  b: 2\n', 'a: x\n  y: z\n', 'a: "q" trailing\n', 'a: \'\'\'\'\n', 'a: -1\nb: -\n',
      'a: ?\nb: :\n', 'a: ?x\nb: :y\n', 'a: x:\n', 'a: 0x\nb: 0o8\nc: 1e\nd: .\ne: +\n',
    ];
    for (const t of edge) agreeOrErrors(t);
  });

  it('an empty or comment-only file is an empty document', () => {
    assert.equal(fastParse(''), null);
    assert.equal(fastParse('# nothing\n\n'), null);
  });
});
