// Runs that use the eBPF object (issue 13 §4): `ig-wasm run MODULE --ebpf OBJ` declares the object's data
// sources host-side with IG's operator fields and formatters; an events file gives values only; a guest
// that only looks fields up works unchanged and, subscribing in gadgetInit at priority 0, runs before the
// formatters as in IG; an object alone (or an image) runs with no wasm module.
import * as assert from 'node:assert/strict';
import { Strings, VERSION, igImports } from '../host/guest';
import { compileWat } from '../../support/wat';
import { cli, lines, TempDir } from '../cli/helpers';
import { readFileSync } from 'node:fs';
import { goArch } from '../../../src/ebpf';
import { gadgetImageTar } from '../../support/oci-builder';
import { objectBytes, objectPath } from './helpers';
import { fileFlags, fileMode, humanBytes, duration, ipv6 } from '../../../src/host/engine/formatters';

const SCRATCH = 0x4000;

/** A guest like a real gadget's: looks up the object's fields by name, never declares them. */
function guestWat(): string {
  const s = new Strings();
  const logBuf = (len: string) => `(call $gadgetLog (i32.const 2) (i64.or (i64.shl (i64.extend_i32_u ${len}) (i64.const 32)) (i64.const ${SCRATCH})))`;
  const wat = `(module
  ${igImports(['gadgetLog', 'getDataSource', 'dataSourceGetField', 'dataSourceSubscribe', 'fieldGetBuffer'])}
  (memory (export "memory") 2)
  (global $ds (mut i32) (i32.const 0))
  (global $fs (mut i32) (i32.const 0))
  (global $op (mut i32) (i32.const 0))
  ${VERSION}
  (func (export "gadgetInit") (result i32)
    (global.set $ds (call $getDataSource ${s.bp('mount')}))
    (global.set $fs (call $dataSourceGetField (global.get $ds) ${s.bp('fs')}))
    (global.set $op (call $dataSourceGetField (global.get $ds) ${s.bp('op')}))
    (if (i32.or (i32.eqz (global.get $fs)) (i32.eqz (global.get $op))) (then (return (i32.const 1))))
    (drop (call $dataSourceSubscribe (global.get $ds) (i32.const 1) (i32.const 0) (i64.const 1)))
    (drop (call $dataSourceSubscribe (global.get $ds) (i32.const 1) (i32.const 10) (i64.const 2)))
    (i32.const 0))
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32) (local $n i32)
    ;; callback 1 (priority 0): the fs value; then op as this subscriber sees it
    (if (i64.eq (local.get $cb) (i64.const 1)) (then
      (local.set $n (call $fieldGetBuffer (global.get $fs) (local.get $data) (i32.const 12) (i64.const ${(64n << 32n) | BigInt(SCRATCH)})))
      ${logBuf('(local.get $n)')}))
    (local.set $n (call $fieldGetBuffer (global.get $op) (local.get $data) (i32.const 12) (i64.const ${(64n << 32n) | BigInt(SCRATCH)})))
    ${logBuf('(local.get $n)')})
  ${s.data()}
)`;
  return wat;
}

const EVENTS = `events:
  - datasource: mount
    data:
      timestamp_raw: 1700000000123456789
      proc: {comm: a-very-long-command-name, pid: 42}
      error_raw: 2
      op_raw: 1
      flags_raw: 3
      syscall_raw: 165
      delta_raw: 1500000
      dst: {addr_raw: {v4: 16777343}, port: 8080, proto_raw: 6, version: 4}
      fs: ext4
      ports: [1, 2, 3, 4]
`;

describe('ebpf: runs use the object', function () {
  this.timeout(60000);
  const tmp = new TempDir();
  let wasm: string;
  before(async () => {
    wasm = tmp.file('guest.wasm', await compileWat(guestWat()));
  });
  after(() => tmp.remove());

  it('a guest that only looks up the object\'s fields runs with a values-only events file; priority 0 sees raw values', () => {
    const ev = tmp.file('ev.yaml', EVENTS);
    const r = cli('run', '-o', 'records', wasm, '--ebpf', objectPath('tracer'), '--events', ev);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const out = lines(r);
    const logs = out.filter((l) => l.type === 'log').map((l) => l.message);
    // priority 0 (subscribed in gadgetInit): fs, then op still empty; priority 10: op filled by the enum formatter
    assert.deepEqual(logs, ['ext4', '', 'OP_UMOUNT']);
    const data = out.find((l) => l.type === 'packet')!.data as Record<string, unknown>;
    assert.equal(data['proc.comm'], 'a-very-long-com', 'cut to char[16] minus its NUL');
    assert.equal(data.op, 'OP_UMOUNT');
    assert.equal(data.flags, 'FL_RDONLY|FL_NOSUID');
    assert.equal(data.error, 'ENOENT');
    assert.equal(data.syscall, 'SYS_MOUNT');
    assert.equal(data.timestamp, '2023-11-14T22:13:20.123456789Z');
    assert.equal(data.delta, '1.50ms');
    assert.equal(data['dst.addr'], '127.0.0.1');
    assert.equal(data['dst.endpoint'], '127.0.0.1:8080');
    assert.equal(data['dst.proto'], 'TCP');
    assert.deepEqual(data.ports, [1, 2, 3, 4]);
    const ds = (out.find((l) => l.type === 'datasources')!.datasources as { fields: { name: string; kind: string }[] }[])[0];
    assert.equal(ds.fields.find((f) => f.name === 'ports')!.kind, 'arrayofuint16');
  });

  it('without --ebpf the same guest fails: the data source does not exist', () => {
    const r = cli('run', '-o', 'records', wasm);
    assert.equal(r.status, 1);
  });

  it('an object alone runs (no wasm module): events go through the data sources and formatters', () => {
    const ev = tmp.file('ev2.yaml', EVENTS);
    const r = cli('run', objectPath('tracer'), '--events', ev, '-o', 'columns');
    assert.equal(r.status, 0, r.stderr);
    const [header, row] = r.stdout.split('\n');
    assert.match(header, /\bOP\b/);
    assert.doesNotMatch(header, /OP_RAW/, 'the enum input is hidden');
    assert.match(row, /OP_UMOUNT/);
    assert.match(row, /ENOENT/);
  });

  it('IMAGE.tar: gadget.yaml, object and wasm from one file; gadget.yaml annotations rename formatter outputs', async () => {
    const yaml = 'name: t\ndatasources:\n  mount:\n    fields:\n      op_raw:\n        annotations:\n          ebpf.formatter.enum: operation\n';
    const arch = goArch(process.arch);
    const img = tmp.file('g.tar', gadgetImageTar({ ebpf: { [arch]: objectBytes('tracer') }, metadataYaml: yaml }));
    const ev = tmp.file('ev3.yaml', EVENTS);
    const r = cli('run', '-o', 'records', img, '--events', ev);
    assert.equal(r.status, 0, r.stderr);
    const data = lines(r).find((l) => l.type === 'packet')!.data as Record<string, unknown>;
    assert.equal(data.operation, 'OP_UMOUNT');
    assert.ok(!('op' in data));
    // the image's wasm module runs when it has one
    const withWasm = tmp.file('g2.tar', gadgetImageTar({ ebpf: { [arch]: objectBytes('tracer') }, wasm: new Uint8Array(readFileSync(wasm)) }));
    const r2 = cli('run', '-o', 'records', withWasm, '--events', ev);
    assert.equal(r2.status, 0, r2.stderr);
    assert.deepEqual(lines(r2).filter((l) => l.type === 'log').map((l) => l.message), ['ext4', '', 'OP_UMOUNT']);
  });

  it('an events value the object\'s kind refuses names its line; a refused object is an input error', () => {
    const bad = tmp.file('bad.yaml', 'events:\n  - datasource: mount\n    data:\n      proc: {pid: -1}\n');
    let r = cli('run', '-o', 'records', objectPath('tracer'), '--events', bad);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad\.yaml:4: field 'proc\.pid'/);
    r = cli('run', '-o', 'records', objectPath('refuse', ['MISSING_MAP']));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /IG refuses this eBPF object: .*map "/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});

describe('ebpf: formatter texts', () => {
  it('bytes, durations, file modes and flags, IPv6 as IG prints them', () => {
    assert.equal(humanBytes(9n), '9 B');
    assert.equal(humanBytes(82854982n), '83 MB');
    assert.equal(humanBytes(1500n), '1.5 kB');
    assert.equal(duration(999n), '999ns');
    assert.equal(duration(1500n), '1.50µs');
    assert.equal(duration(90_500_000_000n), '1m30.5s');
    assert.equal(duration(3_600_000_000_000n), '1h0m0s');
    assert.equal(fileMode(0o100644), '-rw-r--r--');
    assert.deepEqual(fileFlags(0o2000101), ['O_WRONLY', 'O_CREAT', 'O_CLOEXEC']);
    assert.equal(ipv6(Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])), '2001:db8::1');
  });
});
