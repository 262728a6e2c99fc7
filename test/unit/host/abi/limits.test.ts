// What a guest can make the host keep (issue 11 §7, engine/limits.ts): every bound refuses with the
// function's error value and a warning naming the limit; the guest goes on. Strings are real, in bounds
// of guest memory, so only the limit can refuse them.
import * as assert from 'node:assert/strict';
import * as L from '../../../../src/host/engine/limits';
import { GadgetRunner } from '../../../../src/host/thread/runner';
import type { HostEvent } from '../../../../src/host/api';
import { compileWat } from '../../../support/wat';
import { load, loadProxy, ProxyGuest } from '../guest';

const K = { Uint32: 8, String: 12 };
const BIG = 0x100000; // a 1 MiB+ region of the proxy's 4 MiB memory for long strings

async function proxy(): Promise<ProxyGuest> {
  return loadProxy({ memory: '(memory (export "memory") 64)' }, { dataSources: [{ name: 'e', type: 'single', fields: [{ name: 'f', kind: 'uint32' }] }], config: {} });
}

/** A bufPtr to `len` bytes of 'a' at BIG. */
function long(p: ProxyGuest, len: number): bigint {
  p.mem.fill(0x61, BIG, BIG + len);
  return (BigInt(len) << 32n) | BigInt(BIG);
}

const warned = (p: ProxyGuest, re: RegExp): void => assert.ok(p.g.messages('warn').some((m) => re.test(m)), p.g.messages('warn').join('\n'));

describe('host: limits on what a guest can make the host keep', () => {
  it('fieldAddTag: a 2 MiB tag is refused (1) before it is copied; 64 tags per field', async () => {
    const p = await proxy();
    const ds = p.x.getDataSource(p.str('e'));
    const f = p.x.dataSourceGetField(ds, p.str('f'));
    assert.equal(p.x.fieldAddTag(f, long(p, 2 << 20)), 1);
    warned(p, /fieldAddTag: a tag of bytes of 2097152 exceeds the host's limit of 1024/);
    assert.equal(p.x.fieldAddTag(f, long(p, L.MAX_TAG_BYTES)), 0, 'at the limit: kept');
    for (let i = 1; i < L.MAX_TAGS_PER_FIELD; i++) assert.equal(p.x.fieldAddTag(f, p.str(`t${i}`)), 0);
    assert.equal(p.x.fieldAddTag(f, p.str('one more')), 1);
    warned(p, /count of tags on field "f" of 65 exceeds the host's limit of 64/);
    assert.equal(p.g.inst.dataSources()[0].fields[0].tags.length, L.MAX_TAGS_PER_FIELD);
  });

  it('data source and field names longer than 256 bytes are refused (0)', async () => {
    const p = await proxy();
    assert.equal(p.x.newDataSource(long(p, L.MAX_NAME_BYTES + 1), 1), 0);
    const ds = p.x.newDataSource(p.str('mine'), 1);
    assert.notEqual(ds, 0);
    assert.equal(p.x.dataSourceAddField(ds, long(p, L.MAX_NAME_BYTES + 1), K.Uint32), 0);
    warned(p, /dataSourceAddField: a name of bytes of 257 exceeds/);
    assert.notEqual(p.x.dataSourceAddField(ds, long(p, L.MAX_NAME_BYTES), K.Uint32), 0);
  });

  it('at most 256 data sources (a replaced name counts once) and 1024 fields per data source', async () => {
    const p = await proxy();
    const have = p.g.inst.dataSources().length; // the host-declared one
    for (let i = have; i < L.MAX_DATA_SOURCES; i++) {
      const h = p.x.newDataSource(p.str(`d${i}`), 1);
      assert.notEqual(h, 0, `data source ${i}`);
      p.x.releaseHandle(h);
    }
    assert.equal(p.x.newDataSource(p.str('too many'), 1), 0);
    warned(p, /newDataSource: a count of data sources of 257 exceeds the host's limit of 256/);
    const again = p.x.newDataSource(p.str('d3'), 1);
    assert.notEqual(again, 0, 'replacing an existing name adds none');
    for (let i = 0; i < L.MAX_FIELDS_PER_DATA_SOURCE; i++) {
      const h = p.x.dataSourceAddField(again, p.str(`f${i}`), K.Uint32);
      assert.notEqual(h, 0, `field ${i}`);
      p.x.releaseHandle(h);
    }
    assert.equal(p.x.dataSourceAddField(again, p.str('f-extra'), K.Uint32), 0);
    warned(p, /count of fields in data source "d3" of 1025 exceeds the host's limit of 1024/);
  });

  it('names and tags together are bounded over the run (1 MiB)', async () => {
    const p = await proxy();
    const ds = p.x.getDataSource(p.str('e'));
    let refused = 0;
    for (let i = 0; i < 1100 && refused === 0; i++) {
      const f = p.x.dataSourceAddField(ds, p.str(`x${i}`), K.Uint32);
      if (f === 0) { refused++; break; }
      for (let t = 0; t < 8; t++) if (p.x.fieldAddTag(f, long(p, L.MAX_TAG_BYTES)) !== 0) refused++;
      p.x.releaseHandle(f);
    }
    assert.ok(refused > 0);
    warned(p, /names and tags in total \(bytes, whole run\) of \d+ exceeds the host's limit of 1048576/);
  });

  it('fieldSet of a String over 1 MiB returns 1; the field keeps its value', async () => {
    const p = await loadProxy({ memory: '(memory (export "memory") 64)' }, { dataSources: [{ name: 'e', type: 'single', fields: [{ name: 's', kind: 'string' }] }] });
    const ds = p.x.getDataSource(p.str('e'));
    const f = p.x.dataSourceGetField(ds, p.str('s'));
    const pkt = p.x.dataSourceNewPacketSingle(ds);
    assert.equal(p.x.fieldSet(f, pkt, K.String, p.str('ok')), 0);
    assert.equal(p.x.fieldSet(f, pkt, K.String, long(p, L.MAX_VALUE_BYTES + 1)), 1);
    warned(p, /fieldSet: a value for "s" of bytes of 1048577 exceeds/);
    assert.equal(p.x.fieldGetBuffer(f, pkt, K.String, p.buf(8)), 2);
  });

  it('setConfig: key 256 bytes, value 64 KiB, 1 MiB written in total', async () => {
    const p = await proxy();
    assert.equal(p.x.setConfig(long(p, L.MAX_CONFIG_KEY_BYTES + 1), p.str('v'), K.String), 1);
    assert.equal(p.x.setConfig(p.str('k'), long(p, L.MAX_CONFIG_VALUE_BYTES + 1), K.String), 1);
    let i = 0;
    while (p.x.setConfig(p.str(`k${i}`), long(p, L.MAX_CONFIG_VALUE_BYTES), K.String) === 0) i++;
    assert.equal(i, Math.floor(L.MAX_CONFIG_BYTES / (L.MAX_CONFIG_VALUE_BYTES + 2)));
    warned(p, /setConfig: config written in total \(bytes, whole run\)/);
  });

  it('gadgetLog cuts a message longer than 64 Ki characters, with a note', async () => {
    const p = await proxy();
    p.x.gadgetLog(0, long(p, 3 << 20));
    const m = p.g.messages('error')[0];
    assert.equal(m.length < L.MAX_LINE_CHARS + 200, true);
    assert.ok(m.startsWith('a'.repeat(L.MAX_LINE_CHARS)));
    assert.match(m, / … \[cut: the message has 3145728 bytes; the host keeps 65536\]$/);
  });

  it('an array packet holds at most 65536 elements', async () => {
    const p = await loadProxy({}, { dataSources: [{ name: 'a', type: 'array', fields: [{ name: 'v', kind: 'uint32' }] }] });
    const ds = p.x.getDataSource(p.str('a'));
    const arr = p.x.dataSourceNewPacketArray(ds);
    for (let i = 0; i < L.MAX_ARRAY_ELEMENTS; i++) assert.equal(p.x.dataArrayAppend(arr, p.x.dataArrayNew(arr)), 0);
    const el = p.x.dataArrayNew(arr);
    assert.equal(p.x.dataArrayAppend(arr, el), 1);
    assert.equal(p.x.dataArrayLen(arr), L.MAX_ARRAY_ELEMENTS);
  });
});

/** A guest whose gadgetStart writes `chunks` × `size` bytes of 'x' to stdout in separate fd_write calls, then "\n". */
function writer(size: number, chunks: number): Promise<Uint8Array> {
  return compileWat(`(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 17)
    (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
    (func (export "gadgetStart") (result i32) (local $i i32)
      (memory.fill (i32.const 4096) (i32.const 120) (i32.const ${size}))
      (i32.store (i32.const 0) (i32.const 4096)) (i32.store (i32.const 4) (i32.const ${size}))
      (loop $l
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $l (i32.lt_u (local.get $i) (i32.const ${chunks}))))
      (i32.store8 (i32.const 16) (i32.const 10))
      (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 1))
      (drop (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
      (i32.const 0)))`);
}

describe('host: the guest\'s output lines', function () {
  this.timeout(60000);

  it('one 64 MiB line written 64 KiB at a time: cut at 65536 characters, with a note; the run succeeds', async () => {
    const r = new GadgetRunner({ wasm: await writer(64 << 10, 1024) });
    const logs: HostEvent[] = [];
    r.onEvent((e) => { if (e.type === 'log' || e.type === 'error') logs.push(e); });
    await r.start();
    const res = await r.stop();
    assert.equal(res.ok, true, JSON.stringify(res.error));
    assert.equal(logs.length, 1);
    const m = (logs[0] as { message: string }).message;
    assert.ok(m.startsWith('x'.repeat(L.MAX_LINE_CHARS) + ' … [cut: the line has 67108864 characters; the host keeps 65536]'), m.slice(L.MAX_LINE_CHARS));
  });

  it('fd_write reports the time it took, so the watchdog does not charge it to the guest', async () => {
    const times: number[] = [];
    const g = await load(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 1) (data (i32.const 0) "\\10\\00\\00\\00\\03\\00\\00\\00") (data (i32.const 16) "hi\\n")
      (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
      (func (export "gadgetStart") (result i32) (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8))))`,
    { onHostTime: (ms) => times.push(ms) });
    g.inst.callPhase('gadgetStart');
    assert.equal(times.length, 1);
    assert.ok(times[0] >= 0);
    assert.deepEqual(g.logs, [{ level: 'warn', message: 'hi', stream: 'stderr' }]);
  });

  it('more than IOV_MAX (1024) iovecs is EINVAL, and one call writes at most 16 MiB (a short write)', async () => {
    const g = await load(`(module
      (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
      (memory (export "memory") 256)
      (func (export "gadgetAPIVersion") (result i64) (i64.const 1))
      (func (export "many") (result i32) (call $w (i32.const 1) (i32.const 0) (i32.const 1025) (i32.const 8)))
      (func (export "huge") (result i32)
        (i32.store (i32.const 0) (i32.const 64)) (i32.store (i32.const 4) (i32.const 0xf00000))
        (i32.store (i32.const 8) (i32.const 64)) (i32.store (i32.const 12) (i32.const 0xf00000))
        (drop (call $w (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 16)))
        (i32.load (i32.const 16))))`);
    const x = g.inst.exports as Record<string, () => number>;
    assert.equal(x.many(), 28);
    assert.equal(x.huge(), 16 << 20);
  });
});
