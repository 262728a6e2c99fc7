// `ig-wasm run`'s output modes as `ig run` prints them (columns, json, jsonpretty, yaml), --fields and
// --filter, and `-o records` (the typed stream) against what `--output json` printed before it moved.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { compileWat } from '../../support/wat';
import { buildGuest } from '../host/runner-guests';
import { goFloat, goString, jsonEncoder, jsonTree } from '../../../src/metadata/ig-json';
import { pickFields } from '../../../src/cli/select';
import { NOOP_WAT, ROOT, TempDir, cli, helloWasm } from './helpers';

const HELLO = path.join(ROOT, 'examples/hello');
const META = path.join(HELLO, 'gadget.yaml');
const RECORDED = path.join(HELLO, 'recorded.jsonl');
const EVENTS = path.join(HELLO, 'events.yaml');
const FIXTURES = path.join(ROOT, 'test/fixtures/cli');
const jsonLines = (s: string): unknown[] => s.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as unknown);

describe('ig-wasm run: ig run\'s output modes', function () {
  this.timeout(60000);
  let tmp: TempDir;
  let hello: string;
  let noop: string;
  before(async () => {
    hello = helloWasm();
    tmp = new TempDir();
    noop = tmp.file('noop.wasm', await compileWat(NOOP_WAT));
  });
  after(() => tmp.remove());

  it('-o json of a replayed `ig run -o json` recording reproduces its events, line for line', () => {
    const r = cli('run', noop, '--events', RECORDED, '--datasource', 'open', '-o', 'json');
    assert.equal(r.status, 0, r.stderr);
    const recording = readFileSync(RECORDED, 'utf8');
    assert.deepEqual(jsonLines(r.stdout), jsonLines(recording));
    // Keys sorted, objects nested, numbers bare: the recording's own text.
    assert.equal(r.stdout, recording.split('\n').filter((l) => l.trim()).join('\n') + '\n');
  });

  it('-o json through the example gadget: the recording with the guest\'s changes (redacted filename, human)', () => {
    const r = cli('run', hello, '--metadata', META, '--events', RECORDED, '--datasource', 'open', '--kind', 'pid=uint32', '-o', 'json');
    assert.equal(r.status, 0, r.stderr);
    const expected = jsonLines(readFileSync(RECORDED, 'utf8')).map((e) => {
      const ev = e as Record<string, unknown>;
      const file = String(ev.filename);
      return { ...ev, filename: file.replace(/^\/home\/[^/]+\//, '/home/***/'), human: `file '${file}' was opened by ${String(ev.pid)}` };
    });
    assert.deepEqual(jsonLines(r.stdout), expected);
    assert.match(r.stderr, /^INFO\[\d{4}\] init: hello from wasm/m, 'guest logs on stderr, as logrus lines');
    assert.doesNotMatch(r.stdout, /"type"|config/, 'events only: no records, no config');
  });

  it('-o records carries what --output json printed before (captured fixtures)', () => {
    const events = cli('run', hello, '--metadata', META, '--events', EVENTS, '-o', 'records');
    assert.equal(events.status, 0, events.stderr);
    assert.deepEqual(jsonLines(events.stdout), jsonLines(readFileSync(path.join(FIXTURES, 'hello-events.records.jsonl'), 'utf8')));
    const recorded = cli('run', hello, '--metadata', META, '--events', RECORDED, '--datasource', 'open', '--kind', 'pid=uint32', '-o', 'records');
    assert.equal(recorded.status, 0, recorded.stderr);
    assert.deepEqual(jsonLines(recorded.stdout), jsonLines(readFileSync(path.join(FIXTURES, 'hello-recorded.records.jsonl'), 'utf8')));
  });

  it('the example needs its events file, as its README says: without one gadgetInit fails (exit 1)', () => {
    const r = cli('run', hello, '--metadata', META);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^ERRO\[\d{4}\] init: no 'open' data source$/m);
    assert.match(readFileSync(path.join(HELLO, 'README.md'), 'utf8'), /Every run needs an events file/);
  });

  it('columns by default', () => {
    const r = cli('run', hello, '--metadata', META, '--events', EVENTS);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^COMM\s+PID FILENAME\s+HUMAN\s*\n/);
  });

  it('-o jsonpretty: the same events indented by two spaces; -o yaml: one document per event', () => {
    const args = [noop, '--events', RECORDED, '--datasource', 'open'];
    const json = jsonLines(cli('run', ...args, '-o', 'json').stdout);
    const pretty = cli('run', ...args, '-o', 'jsonpretty');
    assert.equal(pretty.status, 0, pretty.stderr);
    const docs = pretty.stdout.split(/\n(?=\{)/).map((d) => JSON.parse(d) as unknown);
    assert.deepEqual(docs, json);
    assert.ok(pretty.stdout.startsWith('{\n  "comm": "cat",\n  "filename": "/home/mvb/xxx.txt",\n  "k8s": {\n    "container": "c3",\n'), pretty.stdout.slice(0, 200));
    const y = cli('run', ...args, '-o', 'yaml');
    assert.equal(y.status, 0, y.stderr);
    assert.deepEqual(yaml.loadAll(y.stdout), json);
    assert.ok(y.stdout.startsWith('---\ncomm: cat\nfilename: /home/mvb/xxx.txt\nk8s:\n  container: c3\n  hostnetwork: false\n'), y.stdout.slice(0, 200));
  });

  it('--fields picks and orders columns (+f adds, -f drops); json still prints every field, as ig run does', () => {
    const run = (...a: string[]) => cli('run', hello, '--metadata', META, '--events', EVENTS, ...a);
    let r = run('--fields', 'pid,mntns_id');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\s+PID MNTNS_ID\s*\n\s+121351 4026534661\s*\n/);
    r = run('--fields', '+mntns_id,-human');
    assert.match(r.stdout, /^COMM\s+PID FILENAME\s+MNTNS_ID\s*\n/);
    r = run('--fields', 'open:comm');
    assert.match(r.stdout, /^COMM\s*\ncat\s*\n/);
    r = run('--fields', 'pid', '-o', 'json');
    assert.deepEqual(Object.keys(jsonLines(r.stdout)[0] as object), ['comm', 'filename', 'human', 'mntns_id', 'pid'], 'hidden mntns_id included');
    r = run('--fields', 'colour');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--fields: data source 'open' has no field 'colour' \(fields: comm, pid, mntns_id, filename, human\)/);
    assert.equal(r.stdout, '');
  });

  it('--filter / -F keep the matching events (IG\'s rules, all must match); a bad rule is an input error', () => {
    const run = (...a: string[]) => cli('run', hello, '--metadata', META, '--events', EVENTS, '-o', 'json', ...a);
    let r = run('--filter', 'comm~^(cat|vim)$,pid<100000');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(jsonLines(r.stdout).map((e) => (e as { comm: string }).comm), ['vim']);
    r = run('-F', 'open:mntns_id==4026531841', '-F', 'human~alice');
    assert.deepEqual(jsonLines(r.stdout).map((e) => (e as { pid: number }).pid), [3310]);
    // The filter sees the guest's changes (IG runs it after the wasm module).
    assert.equal(jsonLines(run('--filter', 'filename==/home/***/xxx.txt').stdout).length, 1);
    r = run('--filter', 'pid>many');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--filter "pid>many": "many" is not an integer \(field "pid" is uint32\)/);
    assert.equal(r.stdout, '');
    assert.match(run('--filter', 'colour==red').stderr, /--filter "colour==red": field 'colour' not found/);
    assert.match(run('--filter', 'pid').stderr, /--filter "pid": missing operator/);
  });

  it('array packets: one JSON array per packet (pretty: indented elements); yaml: one document per element', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest());
    const rec = tmp.file('top.jsonl', '[{"pid":1,"cpu":0.5},{"pid":2,"cpu":1.5}]\n[{"pid":3,"cpu":2}]\n');
    const r = cli('run', wasm, '--events', rec, '-o', 'json');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '[{"cpu":0.5,"pid":1},{"cpu":1.5,"pid":2}]\n[{"cpu":2,"pid":3}]\n');
    const pretty = cli('run', wasm, '--events', rec, '-o', 'jsonpretty').stdout;
    assert.equal(pretty.split('\n]\n')[0], '[\n  {\n    "cpu": 0.5,\n    "pid": 1\n  },\n  {\n    "cpu": 1.5,\n    "pid": 2\n  }');
    assert.equal(cli('run', wasm, '--events', rec, '-o', 'yaml').stdout, '---\ncpu: 0.5\npid: 1\n---\ncpu: 1.5\npid: 2\n---\ncpu: 2\npid: 3\n');
    assert.equal(cli('run', wasm, '--events', rec, '-o', 'json', '-F', 'pid!=2').stdout, '[{"cpu":0.5,"pid":1}]\n[{"cpu":2,"pid":3}]\n', 'filtered per element');
  });

  it('64-bit integers print exactly, as bare numbers', () => {
    const rec = tmp.file('big.jsonl', '{"id":18446744073709551615,"neg":-9223372036854775808}\n');
    const r = cli('run', noop, '--events', rec, '-o', 'json');
    assert.equal(r.stdout, '{"id":18446744073709551615,"neg":-9223372036854775808}\n');
    assert.match(cli('run', noop, '--events', rec, '-o', 'yaml').stdout, /^id: 18446744073709551615$/m);
  });
});

describe('ig-json: values as IG\'s json formatter writes them', () => {
  it('strings: Go\'s escapes (\\u00XX for control bytes, U+2028), no HTML escaping', () => {
    assert.equal(goString('a"b\\c\nd\te\u0008<&>'), '"a\\"b\\\\c\\nd\\te\\u0008<&>"');
    assert.equal(goString('x\u2028y\u001f'), '"x\\u2028y\\u001f"');
    assert.equal(goString('plain'), '"plain"');
  });

  it('floats: ES6 formatting, float32 in its shortest form, non-finite as null', () => {
    assert.equal(goFloat(Math.fround(0.1), 32), '0.1');
    assert.equal(goFloat(Math.fround(0.1), 64), '0.10000000149011612');
    assert.equal(goFloat(1e21, 64), '1e+21');
    assert.equal(goFloat(1.5e-7, 64), '1.5e-7');
    assert.equal(goFloat(-0, 64), '-0');
    assert.equal(goFloat(NaN, 64), 'null');
  });

  it('dotted names nest, keys sort, json.skip drops a field, bytes and non-numeric arrays are hex, numeric arrays listed', () => {
    const tree = jsonTree([
      { name: 'z', kind: 'uint8' }, { name: 'k8s.pod', kind: 'string' }, { name: 'k8s.namespace', kind: 'string' },
      { name: 'secret', kind: 'string', annotations: { 'json.skip': 'true' } }, { name: 'raw', kind: 'bytes' },
      { name: 'ports', kind: 'arrayofuint16' }, { name: 'flags', kind: 'arrayofbool' },
    ]);
    const row = [7, 'p', 'ns', 'hidden', new Uint8Array([0xde, 0xad]), new Uint8Array([80, 0, 0xbb, 0x01]), new Uint8Array([1, 0])];
    assert.equal(jsonEncoder(tree, '')(row), '{"flags":"0100","k8s":{"namespace":"ns","pod":"p"},"ports":[80,443],"raw":"dead","z":7}');
    assert.equal(jsonEncoder(tree, '  ')(row), '{\n  "flags": "0100",\n  "k8s": {\n    "namespace": "ns",\n    "pod": "p"\n  },\n  "ports": [\n    80,\n    443\n  ],\n  "raw": "dead",\n  "z": 7\n}');
  });

  it('--fields as IG parses it: explicit names replace the defaults, + adds, - drops', () => {
    assert.deepEqual(pickFields('b,a', ['a', 'b', 'c']), ['b', 'a']);
    assert.deepEqual(pickFields('+d,-a', ['a', 'b', 'c']), ['b', 'c', 'd']);
    assert.deepEqual(pickFields(' , ', ['a']), ['a']);
  });
});
