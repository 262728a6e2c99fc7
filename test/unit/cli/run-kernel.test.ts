// `ig-wasm run` with the simulated kernel: WAT guests that make the calls of IG's own wasm test guests
// (map, mapofmap, perf, syscall, kallsyms, filtering) and fail their phase with the number of the first
// check that does not hold, run against a real BPF object (test/fixtures/ebpf/kernel.bpf.c) or an events
// file, with the CLI contract (--ebpf, maps:, perf:, --kallsyms, --mntns-filter).
import * as assert from 'node:assert/strict';
import { compileWat } from '../../support/wat';
import { bpfObject } from '../../support/bpf';
import { Strings, VERSION } from '../host/guest';
import { KERNEL_SIGS, KEY12, u32s } from '../host/abi/kernel-support';
import { TempDir, cli, lines } from './helpers';

type Check = [call: string, expect: number | 'nonzero'];

/** A guest whose phases run checks in order: the phase returns the 1-based number of the first that fails. */
function checksGuest(s: Strings, phases: Record<string, Check[]>, extra = ''): string {
  const body = (checks: Check[]): string => checks.map(([call, want], i) =>
    want === 'nonzero'
      ? `(if (i32.eqz ${call}) (then (return (i32.const ${i + 1}))))`
      : `(if (i32.ne ${call} (i32.const ${want})) (then (return (i32.const ${i + 1}))))`).join('\n');
  return `(module
    ${Object.entries(KERNEL_SIGS).map(([n, sig]) => `(import "ig" "${n}" (func $${n} ${sig}))`).join('\n')}
    (import "ig" "releaseHandle" (func $releaseHandle (param i32) (result i32)))
    (memory (export "memory") 2)
    (global $m (mut i32) (i32.const 0))
    (global $r (mut i32) (i32.const 0))
    ${VERSION}
    ${extra}
    ${Object.entries(phases).map(([phase, checks]) => `(func (export "${phase}") (result i32) ${body(checks)} (i32.const 0))`).join('\n')}
    ${s.data()})`;
}

/** A scratch buffer for values the host writes, at a fixed address. */
const OUT = 0x9000;
const out = (len: number): string => `(i64.const ${(BigInt(len) << 32n) | BigInt(OUT)})`;
const outU32 = `(i32.load (i32.const ${OUT}))`;

describe('ig-wasm run: the simulated kernel', function () {
  this.timeout(60000);
  let tmp: TempDir;
  let obj: string;
  before(() => { obj = bpfObject('kernel'); });
  beforeEach(() => { tmp = new TempDir(); });
  afterEach(() => tmp.remove());

  async function guest(wat: string): Promise<string> {
    return tmp.file('g.wasm', await compileWat(wat));
  }

  /** IG's map test: getMap fails in gadgetInit; put, lookup, update exist/no-exist, delete. */
  async function mapTestGuest(): Promise<string> {
    const s = new Strings();
    const name = s.bp('test_map'), key = s.bp(KEY12), v42 = s.bp(u32s(42)), v43 = s.bp(u32s(43));
    return guest(checksGuest(s, {
      gadgetInit: [[`(call $getMap ${name})`, 0]],
      gadgetStart: [
        [`(global.set $m (call $getMap ${name})) (global.get $m)`, 'nonzero'],
        [`(call $mapUpdate (global.get $m) ${key} ${v42} (i64.const 0))`, 0],
        [`(call $mapLookup (global.get $m) ${key} ${out(4)})`, 0],
        [outU32, 42],
        [`(call $mapUpdate (global.get $m) ${key} ${v43} (i64.const 2))`, 0],
        [`(call $mapLookup (global.get $m) ${key} ${out(4)})`, 0],
        [outU32, 43],
        [`(call $mapDelete (global.get $m) ${key})`, 0],
        [`(call $mapUpdate (global.get $m) ${key} ${v43} (i64.const 0))`, 0],
        [`(call $mapUpdate (global.get $m) ${key} ${v42} (i64.const 1))`, 1],
        [`(call $mapUpdate (global.get $m) ${key} ${v42} (i64.const 2))`, 0],
        [`(call $mapDelete (global.get $m) ${key})`, 0],
        [`(call $mapDelete (global.get $m) ${key})`, 1],
      ],
    }));
  }

  it('IG\'s map test passes against the BPF object (--ebpf), and the maps record shows what the maps hold', async () => {
    const r = cli('run', '-o', 'records', await mapTestGuest(), '--ebpf', obj);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const maps = lines(r).find((l) => l.type === 'maps') as { maps: { name: string; type: string; entries: unknown[] }[] };
    assert.deepEqual(maps.maps.map((m) => `${m.name}:${m.type}:${m.entries.length}`),
      ['test_map:Hash:0', 'map_of_map:HashOfMaps:0', 'config_map:Array:2', 'counts:PerCPUArray:1', 'events:PerfEventArray:0']);
    assert.equal(lines(r).at(-1)!.type, 'config', 'maps come before the final config');
  });

  it('IG\'s map test passes with the map declared in an events file instead; without it getMap fails', async () => {
    const wasm = await mapTestGuest();
    const ev = tmp.file('ev.yaml', 'maps:\n  test_map: {type: hash, keySize: 12, valueSize: 4, maxEntries: 1}\n');
    const r = cli('run', '-o', 'records', wasm, '--events', ev);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const bare = cli('run', '-o', 'records', wasm);
    assert.equal(bare.status, 1);
    assert.match(bare.stdout, /gadgetStart failed \(returned 1\)/);
  });

  it('IG\'s mapofmap test passes: a newMap map stored by handle, looked up as a new handle', async () => {
    const s = new Strings();
    const key = s.bp(KEY12);
    const wasm = await guest(checksGuest(s, {
      gadgetStart: [
        [`(global.set $m (call $getMap ${s.bp('map_of_map')})) (global.get $m)`, 'nonzero'],
        [`(global.set $r (call $newMap ${s.bp('test_hash')} (i32.const 1) (i32.const 4) (i32.const 4) (i32.const 1))) (global.get $r)`, 'nonzero'],
        [`(i32.store (i32.const ${OUT}) (global.get $r)) (call $mapUpdate (global.get $m) ${key} ${out(4)} (i64.const 0))`, 0],
        [`(i32.store (i32.const ${OUT}) (i32.const 0)) (call $mapLookup (global.get $m) ${key} ${out(4)})`, 0],
        [`(i32.eq ${outU32} (global.get $r))`, 0],
        [`(call $mapUpdate ${outU32} ${s.bp(u32s(42))} ${s.bp(u32s(43))} (i64.const 0))`, 0],
        [`(call $releaseHandle ${outU32})`, 0],
        [`(call $mapDelete (global.get $m) ${key})`, 0],
        [`(call $releaseHandle (global.get $m))`, 0],
        [`(call $mapRelease (global.get $r))`, 0],
      ],
    }));
    const r = cli('run', '-o', 'records', wasm, '--ebpf', obj);
    assert.equal(r.status, 0, r.stdout + r.stderr);
  });

  it('IG\'s perf test passes with the records of the events file\'s perf: section', async () => {
    const s = new Strings();
    const record = new Uint8Array(256);
    record.set([42, 0, 0, 0, 42, 0, 0, 0, 43]);
    const wasm = await guest(checksGuest(s, {
      gadgetStart: [
        [`(global.set $m (call $getMap ${s.bp('events')})) (global.get $m)`, 'nonzero'],
        [`(global.set $r (call $newPerfReader (global.get $m) (i32.const 4096) (i32.const 1))) (global.get $r)`, 'nonzero'],
        [`(call $perfReaderRead (global.get $r) ${out(4096)})`, 1],
        [`(call $perfReaderPause (global.get $r))`, 0],
        [`(call $perfReaderRead (global.get $r) ${out(4096)})`, 0],
        [`(i64.load (i32.const ${OUT}))`.replace('(i64.load', '(i32.wrap_i64 (i64.load') + ')', 42],
        [`(i32.load8_u (i32.const ${OUT + 8}))`, 43],
        [`(call $perfReaderResume (global.get $r))`, 0],
        [`(call $perfReaderClose (global.get $r))`, 0],
      ],
    }));
    // An overwritable ring is read newest first: IG's record is the last one written.
    const ev = tmp.file('ev.yaml', `perf:\n  events: [[1, 2, 3], ${Buffer.from(record).toString('base64')}]\n`);
    const r = cli('run', '-o', 'records', wasm, '--ebpf', obj, '--events', ev);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const noRecords = cli('run', '-o', 'records', wasm, '--ebpf', obj);
    assert.equal(noRecords.status, 1);
    assert.match(noRecords.stdout, /gadgetStart failed \(returned 5\)/, 'nothing to read: deadline exceeded');
  });

  it('IG\'s syscall test passes on both architectures; --arch picks the numbering', async () => {
    const s = new Strings();
    const wasm = await guest(checksGuest(s, {
      gadgetInit: [
        [`(call $getSyscallName (i32.const 1337) ${out(64)})`, 0],
        [`(i32.load (i32.const ${OUT}))`, 0x63737973], // "sysc"
        [`(call $getSyscallName (i32.const 428) ${out(64)})`, 0],
        [`(i32.load (i32.const ${OUT}))`, 0x6e65706f], // "open"
        [`(call $getSyscallDeclaration ${s.bp('foobar')} ${out(252)})`, 1],
        [`(call $getSyscallDeclaration ${s.bp('execve')} ${out(252)})`, 0],
        [`(i32.load8_u (i32.const ${OUT + 32}))`, 3],
        [`(i32.load (i32.const ${OUT + 36}))`, 0x656c6966], // "file"
        [`(i32.load (i32.const ${OUT + 36 + 32}))`, 1],
      ],
      gadgetStart: [[`(call $getSyscallID ${s.bp('execve')})`, 221]],
    }));
    const arm = cli('run', '-o', 'records', wasm, '--arch', 'arm64');
    assert.equal(arm.status, 0, arm.stdout + arm.stderr);
    const x86 = cli('run', '-o', 'records', wasm, '--arch', 'x86_64');
    assert.equal(x86.status, 1);
    assert.match(x86.stdout, /gadgetStart failed \(returned 1\)/, 'execve is 59 on x86_64');
    assert.equal(cli('run', '-o', 'records', wasm, '--arch', 'mips').status, 2);
  });

  it('IG\'s kallsyms and filtering tests pass with --kallsyms FILE / kallsyms: and --mntns-filter / mntnsFilter:', async () => {
    const s = new Strings();
    const wasm = await guest(checksGuest(s, {
      gadgetInit: [
        [`(call $kallsymsSymbolExists ${s.bp('abcde_this_symbol_does_not_exists')})`, 0],
        [`(call $kallsymsSymbolExists ${s.bp('socket_file_ops')})`, 1],
      ],
      gadgetStart: [
        [`(call $shouldDiscardMntnsID (i64.const 555))`, 1],
        [`(call $shouldDiscardMntnsID (i64.const 777))`, 0],
      ],
    }));
    const ks = tmp.file('kallsyms', 'ffffffff81000000 T _stext\nffffffff82a1b2c0 d socket_file_ops\nffffffffc0000000 t x [mod]\n');
    assert.equal(cli('run', '-o', 'records', wasm, '--kallsyms', ks, '--mntns-filter', '777,888').status, 0);
    const ev = tmp.file('ev.yaml', 'kallsyms: [socket_file_ops]\nmntnsFilter: [777]\n');
    assert.equal(cli('run', '-o', 'records', wasm, '--events', ev).status, 0);
    const noFilter = cli('run', '-o', 'records', wasm, '--events', tmp.file('k.yaml', 'kallsyms: [socket_file_ops]\n'));
    assert.match(noFilter.stdout, /gadgetStart failed \(returned 1\)/, 'without a filter nothing is discarded');
    assert.equal(cli('run', '-o', 'records', wasm, '--mntns-filter', '12,x').status, 2);
    assert.equal(cli('run', '-o', 'records', wasm, '--kallsyms', tmp.file('none', '') + '.missing').status, 2);
  });

  it('preloads entries by BTF member name and shows entries decoded by their BTF types (json and columns)', async () => {
    const s = new Strings();
    const wasm = await guest(checksGuest(s, { gadgetStart: [] }));
    const ev = tmp.file('ev.yaml', [
      'maps:',
      '  test_map:',
      '    entries: [{key: {a: 42, b: 42, c: 43}, value: [7, 0, 0, 0]}]',
      '  config_map:',
      '    entries: [{key: [1, 0, 0, 0], value: {threshold: 100, comm: bash}}]',
      '  counts:',
      '    entries: [{key: AAAAAA==, value: [5, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]}]',
    ].join('\n'));
    const r = cli('run', '-o', 'records', wasm, '--ebpf', obj, '--events', ev, '--cpus', '2');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const maps = (lines(r).find((l) => l.type === 'maps') as { maps: { name: string; entries: { key: unknown; value: unknown }[] }[] }).maps;
    const byName = Object.fromEntries(maps.map((m) => [m.name, m.entries]));
    assert.deepEqual(byName.test_map, [{ key: { a: 42, b: 42, c: 43 }, value: 7 }]);
    assert.deepEqual(byName.config_map[1], { key: 1, value: { threshold: 100, comm: 'bash' } });
    assert.deepEqual(byName.counts, [{ key: 0, value: [5, 6] }], 'per-CPU: one value per CPU');
    const cols = cli('run', wasm, '--ebpf', obj, '--events', ev, '--cpus', '2', '-o', 'columns');
    assert.equal(cols.status, 0, cols.stderr);
    assert.match(cols.stdout, /MAP test_map \(Hash, 1\/1 entries\)\nKEY\s+VALUE\n\{"a":42,"b":42,"c":43\} 7\n/);
    assert.match(cols.stdout, /MAP config_map \(Array, 2\/2 entries\)\nKEY VALUE\n0 {3}\{"threshold":0,"comm":""\}\n1 {3}\{"threshold":100,"comm":"bash"\}\n/);
    assert.match(cols.stdout, /MAP events \(PerfEventArray, 0\/2 entries\)/, 'an unsized perf array has one slot per CPU');
  });

  it('names the events file line for maps that conflict with the object, bad entries and unknown perf arrays', async () => {
    const wasm = await guest(checksGuest(new Strings(), {}));
    const cases: [string, RegExp][] = [
      ['maps:\n  test_map: {type: array}\n', /ev\.yaml:2: map 'test_map': type Array differs from the object's Hash/],
      ['maps:\n  nope: {type: hash}\n', /ev\.yaml:2: map 'nope' is not in the object .*: declare it with keySize, valueSize, maxEntries/],
      ['maps:\n  test_map:\n    entries: [{key: {a: 1, z: 2}, value: AAAAAA==}]\n', /ev\.yaml:3: map 'test_map', key: key: struct map_test_struct has no member 'z'/],
      ['maps:\n  test_map: {type: dict}\n', /ev\.yaml:2: map 'test_map': type: unknown map type 'dict'/],
      ['perf:\n  test_map: [AAAA]\n', /ev\.yaml:2: perf 'test_map': the map is a Hash, not a PerfEventArray/],
      ['maps:\n  test_map:\n    entries: [{key: [1, 2], value: [0, 0, 0, 0]}]\n', /ev\.yaml:3: map 'test_map': the key is 2 bytes, the map's key size is 12/],
      ['maps:\n  counts:\n    entries: [{key: [0, 0, 0, 0], value: [1, 2]}]\n', /ev\.yaml:3: map 'counts': the value is 2 bytes, the map's value size is 8 \(1 CPUs × 8\)/],
    ];
    for (const [text, re] of cases) {
      const r = cli('run', '-o', 'records', wasm, '--ebpf', obj, '--events', tmp.file('ev.yaml', text));
      assert.equal(r.status, 2, `${text}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr + r.stdout, re, text);
      assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at /, 'no stack trace');
    }
    const missing = cli('run', '-o', 'records', wasm, '--ebpf', tmp.file('x', '') + '.nope');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read eBPF object/);
  });
});
