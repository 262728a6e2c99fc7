// Guests written the way IG's Go (TinyGo) and Rust wasmapi libraries call the host: the Go library of
// v0.3x (module `env`, today's functions, errPtr on the stack, String via fieldGetBuffer into a zeroed
// buffer cut at the first NUL, println through WASI fd_write) and the Rust crate (module `ig`,
// subscription ids counting from 1, params read into a 32-byte zeroed buffer, gadgetShouldLog before
// logging, Array subscriptions walked with dataArrayLen/dataArrayGet).
import * as assert from 'node:assert/strict';
import { Value } from '../../../../src/host/api';
import { Strings, load } from '../guest';

const GO_LIKE = (s: Strings) => `(module
  (import "env" "gadgetLog" (func $log (param i32 i64)))
  (import "env" "getDataSource" (func $getDataSource (param i64) (result i32)))
  (import "env" "dataSourceGetField" (func $getField (param i32 i64) (result i32)))
  (import "env" "dataSourceAddField" (func $addField (param i32 i64 i32) (result i32)))
  (import "env" "dataSourceSubscribe" (func $subscribe (param i32 i32 i32 i64) (result i32)))
  (import "env" "fieldGetBuffer" (func $getBuffer (param i32 i32 i32 i64) (result i32)))
  (import "env" "fieldGetScalar" (func $getScalar (param i32 i32 i32 i32) (result i64)))
  (import "env" "fieldSet" (func $set (param i32 i32 i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (global $fname (mut i32) (i32.const 0))
  (global $pid (mut i32) (i32.const 0))
  (global $human (mut i32) (i32.const 0))
  (global $sp (mut i32) (i32.const 0x8000)) ;; a shadow stack, as TinyGo keeps one
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func $bp (param $addr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $len)) (i64.const 32)) (i64.extend_i32_u (local.get $addr))))
  (func (export "gadgetInit") (result i32) (local $ds i32)
    ;; println("hello from a go guest")
    (i32.store (i32.const 0x20) (i32.const ${Number(s.ptr('hello from a go guest\n') & 0xffffffffn)}))
    (i32.store (i32.const 0x24) (i32.const 22))
    (drop (call $fd_write (i32.const 1) (i32.const 0x20) (i32.const 1) (i32.const 0x28)))
    (local.set $ds (call $getDataSource ${s.bp('open')}))
    (if (i32.eqz (local.get $ds)) (then (call $log (i32.const 0) ${s.bp('no open data source')}) (return (i32.const 1))))
    (global.set $fname (call $getField (local.get $ds) ${s.bp('fname')}))
    (global.set $pid (call $getField (local.get $ds) ${s.bp('pid')}))
    (global.set $human (call $addField (local.get $ds) ${s.bp('human')} (i32.const 12)))
    (call $subscribe (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 0)))
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32)
    (local $n i32) (local $j i32) (local $errPtr i32) (local $pidv i64)
    ;; name, err := fname.String(data, 512): zeroed buffer, fieldGetBuffer(Bytes), cut at NUL
    (memory.fill (i32.const 0x1000) (i32.const 0) (i32.const 512))
    (local.set $n (call $getBuffer (global.get $fname) (local.get $data) (i32.const 14) (call $bp (i32.const 0x1000) (i32.const 512))))
    (if (i32.eq (local.get $n) (i32.const -1)) (then (call $log (i32.const 0) ${s.bp('cannot read fname')}) (return)))
    ;; redact /home/<user>/… → /home/***/…
    (if (i32.and (i32.ge_u (local.get $n) (i32.const 6))
                 (i32.and (i32.eq (i32.load (i32.const 0x1000)) (i32.load (i32.const ${Number(s.ptr('/home/') & 0xffffffffn)})))
                          (i32.eq (i32.load16_u (i32.const 0x1004)) (i32.load16_u (i32.const ${Number(s.ptr('/home/') & 0xffffffffn) + 4})))))
      (then
        (local.set $j (i32.const 6))
        (block $found (loop $scan
          (br_if $found (i32.ge_u (local.get $j) (local.get $n)))
          (br_if $found (i32.eq (i32.load8_u (i32.add (i32.const 0x1000) (local.get $j))) (i32.const 47)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $scan)))
        (memory.copy (i32.const 0x1400) (i32.const ${Number(s.ptr('/home/***') & 0xffffffffn)}) (i32.const 9))
        (memory.copy (i32.const 0x1409) (i32.add (i32.const 0x1000) (local.get $j)) (i32.sub (local.get $n) (local.get $j)))
        (drop (call $set (global.get $fname) (local.get $data) (i32.const 12)
          (call $bp (i32.const 0x1400) (i32.add (i32.const 9) (i32.sub (local.get $n) (local.get $j))))))))
    ;; pid, err := pid.Uint32(data): err lives on the shadow stack, pre-zeroed
    (global.set $sp (i32.sub (global.get $sp) (i32.const 16)))
    (local.set $errPtr (global.get $sp))
    (i32.store (local.get $errPtr) (i32.const 0))
    (local.set $pidv (call $getScalar (global.get $pid) (local.get $data) (i32.const 8) (local.get $errPtr)))
    (if (i32.eqz (i32.load (local.get $errPtr))) (then
      (drop (call $set (global.get $human) (local.get $data) (i32.const 12)
        (if (result i64) (i64.ge_u (local.get $pidv) (i64.const 1000)) (then ${s.bp('user')}) (else ${s.bp('system')}))))))
    (global.set $sp (i32.add (global.get $sp) (i32.const 16))))
  ${s.data()})`;

const RUST_LIKE = (s: Strings) => `(module
  (import "ig" "gadgetShouldLog" (func $shouldLog (param i32) (result i32)))
  (import "ig" "gadgetLog" (func $log (param i32 i64)))
  (import "ig" "getParamValue" (func $getParam (param i64 i64) (result i32)))
  (import "ig" "getDataSource" (func $getDataSource (param i64) (result i32)))
  (import "ig" "newDataSource" (func $newDataSource (param i64 i32) (result i32)))
  (import "ig" "dataSourceGetField" (func $getField (param i32 i64) (result i32)))
  (import "ig" "dataSourceAddField" (func $addField (param i32 i64 i32) (result i32)))
  (import "ig" "dataSourceSubscribe" (func $subscribe (param i32 i32 i32 i64) (result i32)))
  (import "ig" "dataSourceNewPacketSingle" (func $newPacket (param i32) (result i32)))
  (import "ig" "dataSourceEmitAndRelease" (func $emit (param i32 i32) (result i32)))
  (import "ig" "dataArrayLen" (func $len (param i32) (result i32)))
  (import "ig" "dataArrayGet" (func $get (param i32 i32) (result i32)))
  (import "ig" "fieldGetScalar" (func $getScalar (param i32 i32 i32 i32) (result i64)))
  (import "ig" "fieldSet" (func $set (param i32 i32 i32 i64) (result i32)))
  (import "ig" "fieldAddTag" (func $addTag (param i32 i64) (result i32)))
  (import "ig" "setConfig" (func $setConfig (param i64 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (global $threshold (mut i64) (i64.const 0))
  (global $v (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))
  (global $outv (mut i32) (i32.const 0))
  (global $ctr (mut i64) (i64.const 0)) ;; DS_SUBSCRIPTION_CTR
  (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
  (func (export "gadgetInit") (result i32) (local $i i32) (local $c i32) (local $ds i32)
    ;; from_c_string: a zeroed 32-byte buffer, read up to the first NUL
    (memory.fill (i32.const 0x1000) (i32.const 0) (i32.const 32))
    (if (call $getParam ${s.bp('threshold')} (i64.const ${(32n << 32n) | 0x1000n}))
      (then (call $log (i32.const 0) ${s.bp('missing param threshold')}) (return (i32.const 1))))
    (block $end (loop $digits
      (local.set $c (i32.load8_u (i32.add (i32.const 0x1000) (local.get $i))))
      (br_if $end (i32.or (i32.eqz (local.get $c)) (i32.ge_u (local.get $i) (i32.const 32))))
      (global.set $threshold (i64.add (i64.mul (global.get $threshold) (i64.const 10)) (i64.extend_i32_u (i32.sub (local.get $c) (i32.const 48)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $digits)))
    (local.set $ds (call $getDataSource ${s.bp('batch')}))
    (global.set $v (call $getField (local.get $ds) ${s.bp('v')}))
    (global.set $out (call $newDataSource ${s.bp('big')} (i32.const 1)))
    (global.set $outv (call $addField (global.get $out) ${s.bp('v')} (i32.const 8)))
    (drop (call $addTag (global.get $outv) ${s.bp('type:big')}))
    (global.set $ctr (i64.add (global.get $ctr) (i64.const 1)))
    (if (call $subscribe (local.get $ds) (i32.const 2) (i32.const 0) (global.get $ctr)) (then (return (i32.const 1))))
    (drop (call $setConfig ${s.bp('operator.Rust.Threshold')} (i64.or (i64.shl (i64.extend_i32_u (local.get $i)) (i64.const 32)) (i64.const 0x1000)) (i32.const 12)))
    (if (call $shouldLog (i32.const 3)) (then (call $log (i32.const 3) ${s.bp('init done')})))
    (i32.const 0))
  (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $arr i32)
    (local $i i32) (local $n i32) (local $x i64) (local $pkt i32)
    (if (i64.ne (local.get $cb) (i64.const 1)) (then (return))) ;; unknown id: ignored, like the Rust map lookup
    (local.set $n (call $len (local.get $arr)))
    (block $end (loop $each
      (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.const 0x1800) (i32.const 0))
      (local.set $x (call $getScalar (global.get $v) (call $get (local.get $arr) (local.get $i)) (i32.const 8) (i32.const 0x1800)))
      (if (i32.and (i32.eqz (i32.load (i32.const 0x1800))) (i64.gt_u (local.get $x) (global.get $threshold))) (then
        (local.set $pkt (call $newPacket (global.get $out)))
        (drop (call $set (global.get $outv) (local.get $pkt) (i32.const 8) (local.get $x)))
        (drop (call $emit (global.get $out) (local.get $pkt)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $each))))
  ${s.data()})`;

describe('host: guests shaped like IG\'s Go and Rust wasmapi', () => {
  it('Go-style (env module): redacts /home/<user>/, reads a uint32 with errPtr, sets an added String field, prints via WASI', async () => {
    const g = await load(GO_LIKE(new Strings(0x2000)), {
      dataSources: [{ name: 'open', type: 'single', fields: [{ name: 'pid', kind: 'uint32' }, { name: 'fname', kind: 'string' }] }],
    });
    g.inst.callPhase('gadgetInit');
    const rows: Value[][] = [];
    g.inst.subscribeAll(50000, (info, r) => { assert.deepEqual(info.fields.map((f) => f.name), ['pid', 'fname', 'human']); rows.push(...r.map((x) => [...x])); });
    g.inst.emit('open', { pid: 4242, fname: '/home/alice/.ssh/id_rsa' });
    g.inst.emit('open', { pid: 1, fname: '/etc/hosts' });
    g.inst.emit('open', { pid: 1001, fname: '/home/bob' });
    assert.deepEqual(rows, [
      [4242, '/home/***/.ssh/id_rsa', 'user'],
      [1, '/etc/hosts', 'system'],
      [1001, '/home/***', 'user'],
    ]);
    assert.deepEqual(g.logs, [{ level: 'info', message: 'hello from a go guest', stream: 'stdout' }]);
    assert.deepEqual(g.errors, []);
  });

  it('Rust-style (ig module): params, Array subscription walked by index, a new data source fed from a callback, config', async () => {
    const dataSources = [{ name: 'batch', type: 'array' as const, fields: [{ name: 'v', kind: 'uint32' as const }] }];
    const g = await load(RUST_LIKE(new Strings(0x2000)), { dataSources, params: { threshold: '10' }, logLevel: 'debug' });
    g.inst.callPhase('gadgetInit');
    assert.deepEqual(g.inst.dataSources().map((d) => [d.name, d.origin, d.fields.map((f) => [f.name, f.kind, f.tags])]), [
      ['batch', 'host', [['v', 'uint32', []]]],
      ['big', 'guest', [['v', 'uint32', ['type:big']]]],
    ]);
    const big: Value[][] = [];
    g.inst.subscribeAll(50000, (info, r) => { if (info.name === 'big') big.push(...r.map((x) => [...x])); });
    g.inst.emit('batch', [{ v: 5 }, { v: 11 }, { v: 100 }]);
    g.inst.emit('batch', [{ v: 10 }]);
    assert.deepEqual(big, [[11], [100]]);
    assert.deepEqual(g.inst.config(), { operator: { rust: { threshold: '10' } } });
    assert.deepEqual(g.messages('debug'), ['init done']);
    assert.deepEqual(g.errors, []);
  });

  it('Rust-style: the debug log is skipped at level info; a missing param fails gadgetInit', async () => {
    const dataSources = [{ name: 'batch', type: 'array' as const, fields: [{ name: 'v', kind: 'uint32' as const }] }];
    const quiet = await load(RUST_LIKE(new Strings(0x2000)), { dataSources, params: { threshold: '1' }, logLevel: 'info' });
    quiet.inst.callPhase('gadgetInit');
    assert.deepEqual(quiet.logs, []);
    const missing = await load(RUST_LIKE(new Strings(0x2000)), { dataSources });
    assert.throws(() => missing.inst.callPhase('gadgetInit'), /gadgetInit: gadgetInit failed \(returned 1\)/);
    assert.deepEqual(missing.messages('error'), ['missing param threshold']);
  });
});
