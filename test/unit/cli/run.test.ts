// `ig-wasm run` end to end: the real CLI process on the AssemblyScript example and on WAT guests.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { compileWat } from '../../support/wat';
import { LOOP, buildGuest, logText, newDataSourceText, setConfigText } from '../host/runner-guests';
import { ROOT, TempDir, cli, helloWasm, lines } from './helpers';

const HELLO = path.join(ROOT, 'examples/hello');
const META = path.join(HELLO, 'gadget.yaml');
const EVENTS = path.join(HELLO, 'events.yaml');

describe('ig-wasm run', function () {
  // Each test spawns the CLI (a node process and its worker) up to three times: slow on a busy machine.
  this.timeout(60000);
  let tmp: TempDir;
  let hello: string;
  before(() => { hello = helloWasm(); });
  beforeEach(() => { tmp = new TempDir(); });
  afterEach(() => tmp.remove());

  it('runs the example gadget: json lines in contract order, guest changes visible, config last, exit 0', () => {
    const r = cli('run', '-o', 'records', hello, '--metadata', META, '--events', EVENTS);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r);
    assert.deepEqual(out.map((l) => l.type), ['log', 'datasources', 'packet', 'packet', 'packet', 'packet', 'log', 'config']);
    assert.deepEqual(out[0], { type: 'log', level: 'info', message: 'init: hello from wasm (verb: opened)' });
    assert.deepEqual(out[1], {
      type: 'datasources',
      datasources: [{
        name: 'open', type: 'single', fields: [
          { name: 'comm', kind: 'string', tags: [] }, { name: 'pid', kind: 'uint32', tags: [] },
          { name: 'mntns_id', kind: 'uint64', tags: [] }, { name: 'filename', kind: 'string', tags: [] },
          { name: 'human', kind: 'string', tags: [] },
        ],
      }],
    });
    assert.deepEqual(out[2], {
      type: 'packet', datasource: 'open',
      data: { comm: 'cat', pid: 121351, mntns_id: 4026534661, filename: '/home/***/xxx.txt', human: "file '/home/mvb/xxx.txt' was opened by 121351" },
    });
    assert.equal((out[4].data as Record<string, unknown>).filename, '/home/***/.vimrc');
    assert.equal((out[5].data as Record<string, unknown>).filename, '/home/', 'no user name to redact');
    const config = out[7].config as Record<string, unknown>;
    assert.equal(config.name, 'hello', 'initial config = gadget.yaml');
    assert.deepEqual(config.hello, { verb: 'opened', events: '4' });
  });

  it('--param overrides the gadget.yaml default; unknown params are usage errors', () => {
    const r = cli('run', '-o', 'records', hello, '--metadata', META, '--events', EVENTS, '--param', 'verb=read');
    assert.equal(r.status, 0, r.stderr);
    assert.match(String((lines(r)[2].data as Record<string, unknown>).human), /was read by 121351/);
    const bad = cli('run', '-o', 'records', hello, '--metadata', META, '--param', 'colour=red');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown param 'colour'.*verb/);
    assert.equal(bad.stdout, '');
  });

  it('a mandatory param without a value is an error before start (exit 2, nothing run)', () => {
    const meta = tmp.file('gadget.yaml', 'name: x\nparams:\n  wasm:\n    needed:\n      key: needed\n      isMandatory: true\n');
    const r = cli('run', '-o', 'records', hello, '--metadata', meta);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /param 'needed' is mandatory/);
    assert.equal(r.stdout, '');
  });

  it('a broken gadget.yaml is an input error naming its line', () => {
    const meta = tmp.file('gadget.yaml', 'name: x\nparams:\n  wasm: [1,\n');
    const r = cli('run', '-o', 'records', hello, '--metadata', meta);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /gadget\.yaml:\d+: /);
    assert.doesNotMatch(r.stderr, /gadget\.yaml:1: /);
  });

  it('--output columns: a table like ig run (annotations honoured), logs on stderr as logrus lines', () => {
    const r = cli('run', hello, '--metadata', META, '--events', EVENTS, '--output', 'columns');
    assert.equal(r.status, 0, r.stderr);
    const out = r.stdout.split('\n');
    // Widths 12, 7, 24, 48 from gadget.yaml; every cell padded to its width, as IG does.
    assert.equal(out[0], `${'COMM'.padEnd(12)}     PID ${'FILENAME'.padEnd(24)} ${'HUMAN'.padEnd(48)}`, 'mntns_id is hidden, pid right-aligned in 7');
    assert.equal(out[1], `${'cat'.padEnd(12)}  121351 ${'/home/***/xxx.txt'.padEnd(24)} ${"file '/home/mvb/xxx.txt' was opened by 121351".padEnd(48)}`);
    assert.match(r.stdout, /CONFIG\s+VALUE\nhello\.verb\s+opened\nhello\.events\s+4\n/);
    assert.match(r.stderr, /^INFO\[\d{4}\] init: hello from wasm \(verb: opened\)$/m);
    assert.match(r.stderr, /^INFO\[\d{4}\] stop: 4 events seen$/m);
  });

  it('columns are cut to their width with an ellipsis', () => {
    const meta = tmp.file('g.yaml', 'datasources:\n  open:\n    fields:\n      human:\n        annotations:\n          columns.width: 10\n');
    const r = cli('run', hello, '--metadata', meta, '--events', EVENTS, '-o', 'columns');
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.split('\n')[1].endsWith(" file '/ho…"), r.stdout);
  });

  it('a failing gadgetInit: error line naming the phase, exit 1', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ initResult: 2 }));
    const r = cli('run', '-o', 'records', wasm);
    assert.equal(r.status, 1);
    const out = lines(r);
    assert.deepEqual(out.map((l) => l.type), ['log', 'error']);
    assert.equal(out[1].phase, 'gadgetInit');
    assert.match(String(out[1].message), /failed/);
  });

  it('an endless loop in gadgetInit with --timeout: exit 1 with the phase, promptly', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ initPrefix: LOOP }));
    const r = cli('run', '-o', 'records', wasm, '--timeout', '300');
    assert.equal(r.status, 1);
    const err = lines(r).find((l) => l.type === 'error');
    assert.equal(err?.phase, 'gadgetInit');
    assert.match(String(err?.message), /did not return within 300 ms/);
    assert.ok(r.ms < 10000, `took ${r.ms} ms`);
  });

  it('an endless loop in a callback: exit 1 naming dataSourceCallback', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ doubler: true, callbackPrefix: LOOP }));
    const ev = tmp.file('ev.yaml', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - {datasource: ev, data: {n: 1}}\n');
    const r = cli('run', '-o', 'records', wasm, '--events', ev, '--timeout', '300');
    assert.equal(r.status, 1);
    const out = lines(r);
    assert.deepEqual(out.map((l) => l.type), ['log', 'datasources', 'error']);
    assert.equal(out[2].phase, 'dataSourceCallback');
  });

  it('proc_exit in a callback: the gadget failed (exit 1), not an input error', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({
      doubler: true,
      imports: '(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))',
      callbackPrefix: '(call $exit (i32.const 3))',
    }));
    const ev = tmp.file('ev.yaml', 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n  - {datasource: ev, data: {n: 1}}\n  - {datasource: ev, data: {n: 2}}\n');
    const r = cli('run', '-o', 'records', wasm, '--events', ev);
    assert.equal(r.status, 1, r.stderr);
    const err = lines(r).find((l) => l.type === 'error');
    assert.equal(err?.phase, 'dataSourceCallback');
    assert.equal(lines(r).at(-1)?.type, 'config');
  });

  it('array packets print one line with a list; 64-bit values exact (numbers when safe, else strings), bytes base64', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ doubler: true, source: 'arr' }));
    const ev = tmp.file('ev.yaml', [
      'datasources:',
      '  arr:',
      '    type: array',
      '    fields: {n: uint32}',
      '  wide:',
      '    fields:',
      '      big: uint64',
      '      neg: int64',
      '      raw: bytes',
      '      f: {kind: float64, tags: [unit:s]}',
      'events:',
      '  - {datasource: arr, data: [{n: 1}, {n: 2}]}',
      '  - {datasource: wide, data: {big: 18446744073709551615, neg: -9007199254740991, raw: aGk=, f: 0.5}}',
      '  - {datasource: arr, data: []}',
    ].join('\n'));
    const r = cli('run', '-o', 'records', wasm, '--events', ev);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r);
    const ds = (out[1].datasources as { name: string; fields: { name: string; tags: string[] }[] }[]);
    assert.deepEqual(ds.map((d) => d.name), ['arr', 'wide']);
    assert.deepEqual(ds[1].fields[3], { name: 'f', kind: 'float64', tags: ['unit:s'] });
    const packets = out.filter((l) => l.type === 'packet');
    assert.deepEqual(packets[0], { type: 'packet', datasource: 'arr', data: [{ n: 1, twice: 2 }, { n: 2, twice: 4 }] });
    assert.deepEqual(packets[1].data, { big: '18446744073709551615', neg: -9007199254740991, raw: 'aGk=', f: 0.5 });
  });

  it('events into a data source the guest creates in gadgetInit', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ initPrefix: newDataSourceText('made') }));
    const ev = tmp.file('ev.json', JSON.stringify({ events: [{ datasource: 'made', data: { n: 7 } }] }));
    const r = cli('run', '-o', 'records', wasm, '--events', ev);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r);
    assert.deepEqual((out[1].datasources as { name: string }[]).map((d) => d.name), ['made']);
    assert.deepEqual(out[2], { type: 'packet', datasource: 'made', data: { n: 7 } });
  });

  it('setConfig writes nested lower-cased keys into the final config', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ stop: `${setConfigText('Operator.CLI.Fields', 'a,b')} (i32.const 0)` }));
    const r = cli('run', '-o', 'records', wasm);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(lines(r).at(-1), { type: 'config', config: { operator: { cli: { fields: 'a,b' } } } });
  });

  it('WASI stdout/stderr lines are log lines with their stream', async () => {
    const wasm = tmp.file('w.wasm', await compileWat(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1)
      (data (i32.const 1024) "\\00\\08\\00\\00\\0d\\00\\00\\00")
      (data (i32.const 2048) "out line\\0apart")
      (data (i32.const 1040) "\\00\\0c\\00\\00\\04\\00\\00\\00")
      (data (i32.const 3072) "err\\0a")
      (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
      (func (export "gadgetInit") (result i32)
        (drop (call $w (i32.const 1) (i32.const 1024) (i32.const 1) (i32.const 4000)))
        (drop (call $w (i32.const 2) (i32.const 1040) (i32.const 1) (i32.const 4000)))
        (i32.const 0)))`));
    const r = cli('run', '-o', 'records', wasm);
    assert.equal(r.status, 0, r.stderr);
    const logs = lines(r).filter((l) => l.type === 'log').map((l) => [l.message, l.stream]);
    assert.deepEqual(logs.slice(0, 2), [['out line', 'stdout'], ['err', 'stderr']]);
    assert.ok(logs.some(([m, st]) => m === 'part' && st === 'stdout'), 'the unterminated last line is flushed at the end');
  });

  it('Ctrl-C (SIGINT) ends the run the normal way: remaining events dropped, gadgetStop, config, exit 0', async () => {
    // Each callback spins ~3M iterations: 1000 events take seconds; we interrupt after the first packet.
    const wasm = tmp.file('slow.wasm', await buildGuest({
      doubler: true, stop: `${logText('stopped')} (i32.const 0)`,
      callbackPrefix: '(local.set $cb (i64.const 3000000)) (block $b (loop $l (br_if $b (i64.eqz (local.tee $cb (i64.sub (local.get $cb) (i64.const 1))))) (br $l)))',
    }));
    let y = 'datasources:\n  ev:\n    fields: {n: uint32}\nevents:\n';
    for (let i = 0; i < 1000; i++) y += `  - {datasource: ev, data: {n: ${i}}}\n`;
    const ev = tmp.file('ev.yaml', y);
    const p = spawn(process.execPath, [path.join(ROOT, 'out/src/cli/main.js'), 'run', wasm, '--events', ev, '-o', 'records'], { cwd: ROOT });
    let out = '';
    let sent = false;
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('"type":"packet"')) { sent = true; p.kill('SIGINT'); }
    });
    const code = await new Promise<number | null>((res) => p.on('exit', (c) => res(c)));
    const got = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(code, 0);
    const packets = got.filter((l) => l.type === 'packet').length;
    assert.ok(packets >= 1 && packets < 1000, `${packets} packets`);
    assert.deepEqual(got.slice(-2).map((l) => l.type === 'log' ? l.message : l.type), ['stopped', 'config']);
  });

  it('--log-level filters guest logs', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest({ initPrefix: `${logText('dbg', 3)} ${logText('warned', 1)}` }));
    const info = lines(cli('run', '-o', 'records', wasm)).filter((l) => l.type === 'log').map((l) => l.message);
    assert.deepEqual(info, ['warned', 'init done']);
    const debug = lines(cli('run', '-o', 'records', wasm, '--log-level', 'debug')).filter((l) => l.type === 'log').map((l) => l.message);
    assert.deepEqual(debug, ['dbg', 'warned', 'init done']);
  });

  describe('input errors (exit 2, file:line: problem)', () => {
    const bad = (name: string, text: string): { status: number | null; stderr: string; stdout: string } => {
      const f = tmp.file(name, text);
      const r = cli('run', '-o', 'records', hello, '--metadata', META, '--events', f);
      return { ...r, stderr: r.stderr.replace(tmp.dir + path.sep, '') };
    };

    it('YAML syntax error', () => {
      const r = bad('e.yaml', 'datasources:\n  open:\n    fields: {comm: string\nevents: []\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^ig-wasm run: e\.yaml:\d+: /);
      assert.equal(r.stdout, '');
    });

    it('unknown kind, with the line and the valid kinds', () => {
      const r = bad('e.yaml', 'datasources:\n  open:\n    fields:\n      comm: strin\n      pid: uint32\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:4: data source 'open', field 'comm': unknown kind 'strin' \(expected one of bool, /);
    });

    it('a value that does not fit its kind', () => {
      const r = bad('e.yaml', 'datasources:\n  open:\n    fields: {pid: uint32, filename: string}\nevents:\n  - datasource: open\n    data:\n      pid: -4\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:7: field 'pid': -4 is out of range for kind uint32/);
      assert.equal(r.stdout, '', 'checked before the gadget runs');
    });

    it('an unknown field and an unknown data source', () => {
      let r = bad('e.yaml', 'datasources:\n  open:\n    fields: {pid: uint32, filename: string}\nevents:\n  - {datasource: open, data: {pid: 1, colour: red}}\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:5: data source 'open' has no field 'colour'/);
      r = bad('e.yaml', 'datasources:\n  open:\n    fields: {pid: uint32, filename: string}\nevents:\n  - {datasource: open, data: {pid: 1}}\n  - {datasource: close, data: {pid: 1}}\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:6: unknown data source 'close'/);
    });

    it('a list for a single data source; unknown keys', () => {
      let r = bad('e.yaml', 'datasources:\n  open:\n    fields: {pid: uint32, filename: string}\nevents:\n  - datasource: open\n    data: [{pid: 1}]\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:5: data source 'open' is single/);
      r = bad('e.yaml', 'datasource:\n  open: {}\n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /e\.yaml:1: unknown key 'datasource'/);
    });

    it('a broken JSON Lines recording', () => {
      const r = bad('rec.jsonl', '{"pid": 1, "filename": "/a"}\n{"pid": 2, "filename": \n');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /rec\.jsonl:2: not a JSON value/);
    });

    it('usage: missing module, unreadable file, bad option values', () => {
      assert.equal(cli('run').status, 2);
      const r = cli('run', '-o', 'records', 'nope.wasm');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot read module 'nope\.wasm': ENOENT/);
      assert.match(cli('run', hello, '--output', 'xml').stderr, /--output must be one of columns, json, jsonpretty, yaml, records, not 'xml'/);
      assert.match(cli('run', '-o', 'records', hello, '--timeout', 'soon').stderr, /--timeout expects a positive number/);
    });
  });

  it('replays a JSON Lines recording from ig run -o json (dotted names, inferred kinds, --datasource)', () => {
    const rec = tmp.file('rec.jsonl', [
      '{"comm":"cat","pid":121351,"filename":"/home/mvb/xxx.txt","k8s":{"namespace":"default","hostnetwork":false},"mntns_id":18446744073709551615}',
      '',
      '{"comm":"sh","pid":7,"filename":"/tmp/x","k8s":{"namespace":"kube-system","hostnetwork":true},"mntns_id":4026531841}',
    ].join('\n'));
    const r = cli('run', '-o', 'records', hello, '--metadata', META, '--events', rec, '--datasource', 'open');
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r);
    const fields = (out.find((l) => l.type === 'datasources')!.datasources as { fields: { name: string; kind: string }[] }[])[0].fields;
    assert.deepEqual(fields.map((f) => `${f.name}:${f.kind}`), [
      'comm:string', 'pid:uint64', 'filename:string', 'k8s.namespace:string', 'k8s.hostnetwork:bool', 'mntns_id:uint64', 'human:string',
    ]);
    const packets = out.filter((l) => l.type === 'packet').map((l) => l.data as Record<string, unknown>);
    assert.equal(packets.length, 2);
    assert.deepEqual(packets[0], {
      comm: 'cat', pid: 121351, filename: '/home/***/xxx.txt', 'k8s.namespace': 'default', 'k8s.hostnetwork': false,
      mntns_id: '18446744073709551615',
      // Recordings carry no kinds: pid is inferred as uint64, so the guest's uint32 read of it fails.
      human: "file '/home/mvb/xxx.txt' was opened by ?",
    });
    // --kind gives the kind IG's eBPF side declares.
    const typed = lines(cli('run', '-o', 'records', hello, '--metadata', META, '--events', rec, '--datasource', 'open', '--kind', 'pid=uint32'));
    assert.equal(typed.filter((l) => l.type === 'packet').map((l) => (l.data as Record<string, unknown>).human)[1], "file '/tmp/x' was opened by 7");
    const bad = cli('run', '-o', 'records', hello, '--events', rec, '--kind', 'colour=uint32');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /rec\.jsonl:1: a kind is given for field 'colour'/);
  });

  it('replays the example recording (examples/hello/recorded.jsonl)', () => {
    const r = cli('run', '-o', 'records', hello, '--metadata', META, '--events', path.join(HELLO, 'recorded.jsonl'), '--datasource', 'open', '--kind', 'pid=uint32');
    assert.equal(r.status, 0, r.stderr);
    const packets = lines(r).filter((l) => l.type === 'packet').map((l) => l.data as Record<string, unknown>);
    assert.deepEqual(packets.map((p) => [p.filename, p['runtime.containerName'], p.human]), [
      ['/home/***/xxx.txt', 'c3', "file '/home/mvb/xxx.txt' was opened by 121351"],
      ['/etc/ld.so.cache', 'c3', "file '/etc/ld.so.cache' was opened by 121360"],
      ['/home/***/notes.md', 'editor', "file '/home/alice/notes.md' was opened by 121377"],
    ]);
  });

  it('replays array lines (one JSON array per packet) into an array data source', async () => {
    const wasm = tmp.file('g.wasm', await buildGuest());
    const rec = tmp.file('top.jsonl', '[{"pid":1,"cpu":0.5},{"pid":2,"cpu":1.5}]\n[{"pid":3,"cpu":2}]\n');
    const r = cli('run', '-o', 'records', wasm, '--events', rec);
    assert.equal(r.status, 0, r.stderr);
    const out = lines(r);
    assert.deepEqual(out[1].datasources, [{ name: 'top', type: 'array', fields: [{ name: 'pid', kind: 'uint64', tags: [] }, { name: 'cpu', kind: 'float64', tags: [] }] }]);
    assert.deepEqual(out.filter((l) => l.type === 'packet').map((l) => l.data), [[{ pid: 1, cpu: 0.5 }, { pid: 2, cpu: 1.5 }], [{ pid: 3, cpu: 2 }]]);
  });
});
