// gadgetLog / gadgetShouldLog, params, config, releaseHandle and the handle table limits.
import * as assert from 'node:assert/strict';
import { LogLevel } from '../../../../src/host/api';
import { ALL_IG, VERSION, bp, load, loadProxy } from '../guest';

describe('host: log', () => {
  it('gadgetLog maps levels 0..4 and filters by the instance log level', async () => {
    const levels: LogLevel[] = ['error', 'warn', 'info', 'debug', 'trace'];
    for (const [i, logLevel] of levels.entries()) {
      const p = await loadProxy({}, { logLevel });
      for (let l = 0; l <= 4; l++) p.x.gadgetLog(l, p.str(`m${l}`));
      assert.deepEqual(p.g.logs, levels.slice(0, i + 1).map((level, l) => ({ level, message: `m${l}` })), logLevel);
    }
  });

  it('gadgetShouldLog is 1 iff the level passes the threshold', async () => {
    const p = await loadProxy({}, { logLevel: 'info' });
    assert.deepEqual([0, 1, 2, 3, 4, 5, -1].map((l) => p.x.gadgetShouldLog(l)), [1, 1, 1, 0, 0, 0, 0]);
    const t = await loadProxy({}, { logLevel: 'trace' });
    assert.deepEqual([0, 1, 2, 3, 4, 5].map((l) => t.x.gadgetShouldLog(l)), [1, 1, 1, 1, 1, 0]);
  });

  it('an unknown level or a bad pointer gives a warning instead of the message', async () => {
    const p = await loadProxy();
    p.x.gadgetLog(7, p.str('odd'));
    p.x.gadgetLog(2, (10n << 32n) | 0x1fffffn);
    assert.deepEqual(p.g.logs, [
      { level: 'warn', message: 'gadgetlog: gadget used unknown log level: 7 for odd' },
      { level: 'warn', message: 'gadgetLog: invalid pointer for the message' },
    ]);
  });

  it('bufPtr 0 is the empty string; length 0 at the end of memory is valid, one past it is not', async () => {
    const p = await loadProxy({ memory: '(memory (export "memory") 1)' });
    p.x.gadgetLog(2, 0n);
    p.x.gadgetLog(2, 0x10000n);
    p.x.gadgetLog(2, 0x10001n);
    p.x.gadgetLog(2, (1n << 32n) | 0xffffn);
    assert.deepEqual(p.g.logs.map((l) => [l.level, l.message]), [['info', ''], ['info', ''], ['warn', 'gadgetLog: invalid pointer for the message'], ['info', '\0']]);
  });
});

describe('host: params', () => {
  it('getParamValue (key, dst): writes the value without terminator, 1 when missing or the buffer is short', async () => {
    const p = await loadProxy({}, { params: { name: 'value', empty: '' } });
    const dst = p.buf(32);
    assert.equal(p.x.getParamValue(p.str('name'), dst), 0);
    assert.equal(p.text(dst, 6), 'value\0');
    assert.equal(p.x.getParamValue(p.str('empty'), p.buf(0)), 0);
    assert.equal(p.x.getParamValue(p.str('missing'), p.buf(32)), 1);
    assert.equal(p.x.getParamValue(p.str('name'), p.buf(4)), 1);
    assert.equal(p.x.getParamValue(p.str('name'), (32n << 32n) | 0x1ffff0n), 1, 'out of bounds');
    assert.equal(p.x.getParamValue((3n << 32n) | 0x7ffffffn, p.buf(4)), 1);
    assert.equal(p.x.getParamValue(p.str('toString'), p.buf(32)), 1, 'only own keys');
  });

  it('the seed getParamValue (key) returns the value in guest-malloc\'d memory', async () => {
    const p = await loadProxy({ module: 'env', sigs: { getParamValue: '(param i64) (result i64)' } }, { params: { k: 'héllo' } });
    const got: bigint = p.x.getParamValue(p.str('k'));
    assert.equal(p.text(got), 'héllo');
    assert.equal(Number(got >> 32n), 6, 'UTF-8 length');
    assert.equal(p.x.getParamValue(p.str('nope')), 0n);
  });
});

describe('host: config', () => {
  it('setConfig: String kind only, dotted keys nest, keys lower-cased, existing keys matched case-insensitively', async () => {
    const p = await loadProxy({}, { config: { name: 'g', Top: { keep: 1 }, scalar: 5 } });
    assert.equal(p.x.setConfig(p.str('a.B.c'), p.str('v1'), 12), 0);
    assert.equal(p.x.setConfig(p.str('TOP.New'), p.str('v2'), 12), 0);
    assert.equal(p.x.setConfig(p.str('scalar.sub'), p.str('v3'), 12), 0);
    assert.equal(p.x.setConfig(p.str('empty'), 0n, 12), 0);
    assert.equal(p.x.setConfig(p.str('n'), 5n, 8), 1, 'non-String kind');
    assert.equal(p.x.setConfig(p.str('a..b'), p.str('x'), 12), 1, 'empty path segment');
    assert.equal(p.x.setConfig(0n, p.str('x'), 12), 1, 'empty key');
    assert.equal(p.x.setConfig(p.str('k'), (1n << 32n) | 0x7fffffffn, 12), 1, 'bad value pointer');
    assert.deepEqual(p.g.inst.config(), { name: 'g', Top: { keep: 1, new: 'v2' }, scalar: { sub: 'v3' }, a: { b: { c: 'v1' } }, empty: '' });
  });

  it('config() is a copy and the initial config is not modified', async () => {
    const initial = { a: { b: 'x' } };
    const p = await loadProxy({}, { config: initial });
    p.x.setConfig(p.str('a.b'), p.str('y'), 12);
    assert.deepEqual(initial, { a: { b: 'x' } });
    const c = p.g.inst.config();
    (c.a as Record<string, unknown>).b = 'z';
    assert.deepEqual(p.g.inst.config(), { a: { b: 'y' } });
  });
});

describe('host: handles', () => {
  it('at most 4096 live handles: the next allocation returns 0 and logs; freeing one makes room', async () => {
    const g = await load(`(module ${ALL_IG()} (memory (export "memory") 1) (data (i32.const 0) "open") ${VERSION}
      (func (export "fill") (result i32) (local $n i32)
        (block $full (loop $l
          (br_if $full (i32.eqz (call $getDataSource ${bp(0, 4)})))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))
          (br $l)))
        (local.get $n))
      (func (export "one") (result i32) (call $getDataSource ${bp(0, 4)}))
      (func (export "release") (param i32) (result i32) (call $releaseHandle (local.get 0))))`,
    { dataSources: [{ name: 'open', type: 'single', fields: [] }] });
    const ex = g.inst.exports as { fill: () => number; one: () => number; release: (h: number) => number };
    assert.equal(ex.fill(), 4096);
    assert.equal(g.inst.handleCount, 4096);
    assert.ok(g.messages('warn').includes('too many open handles'));
    assert.equal(ex.release(100), 0);
    assert.equal(ex.release(100), 1, 'already released');
    assert.equal(ex.release(0), 1);
    assert.equal(ex.release(5000), 1);
    assert.equal(ex.one(), 100, 'the freed handle is reused');
    assert.equal(ex.one(), 0);
  });

  it('array element handles stay encodable after 70000 callback deliveries (handles are reused)', async () => {
    const p = await loadProxy({}, { dataSources: [{ name: 'batch', type: 'array', fields: [{ name: 'v', kind: 'uint32' }] }] });
    const ds = p.x.getDataSource(p.str('batch'));
    p.x.dataSourceSubscribe(ds, 3, 0, 1n);
    for (let i = 0; i < 70000; i++) {
      p.clearCallbacks();
      p.g.inst.emit('batch', []);
    }
    const h = p.callbacks()[0].data;
    assert.ok(h > 0 && h <= 0xffff, `callback handle ${h}`);
    const arr = p.x.dataSourceNewPacketArray(ds);
    assert.ok(arr <= 0xffff);
    const el = p.x.dataArrayNew(arr);
    p.x.fieldSet(p.x.dataSourceGetField(ds, p.str('v')), el, 8, 77n);
    p.x.dataArrayAppend(arr, el);
    assert.equal(p.x.fieldGetScalar(p.x.dataSourceGetField(ds, p.str('v')), p.x.dataArrayGet(arr, 0), 8, 0), 77n);
  });
});
