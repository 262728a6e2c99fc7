import * as assert from 'node:assert/strict';
import { DataSourceDecl, Value } from '../../../../src/host/api';
import { load, loadProxy, ProxyGuest, Strings, VERSION, ALL_IG, throwsGadgetError } from '../guest';

const DS: DataSourceDecl[] = [
  { name: 'open', type: 'single', fields: [{ name: 'pid', kind: 'uint32' }, { name: 'comm', kind: 'string', tags: ['name:comm'] }] },
  { name: 'batch', type: 'array', fields: [{ name: 'v', kind: 'int32' }] },
];

async function proxy(): Promise<ProxyGuest> {
  return loadProxy({}, { dataSources: DS });
}

describe('host: data sources', () => {
  describe('newDataSource / getDataSource', () => {
    it('creates single (1) and array (2) data sources; 0 and other types fail with 0', async () => {
      const p = await proxy();
      assert.notEqual(p.x.newDataSource(p.str('s1'), 1), 0);
      assert.notEqual(p.x.newDataSource(p.str('a1'), 2), 0);
      assert.equal(p.x.newDataSource(p.str('bad0'), 0), 0);
      assert.equal(p.x.newDataSource(p.str('bad3'), 3), 0);
      assert.equal(p.x.newDataSource(p.str('badneg'), -1), 0);
      const infos = p.g.inst.dataSources();
      assert.deepEqual(infos.map((d) => [d.name, d.type, d.origin]), [
        ['open', 'single', 'host'], ['batch', 'array', 'host'], ['s1', 'single', 'guest'], ['a1', 'array', 'guest'],
      ]);
    });

    it('the seed one-parameter newDataSource creates a single data source', async () => {
      const p = await loadProxy({ module: 'env', sigs: { newDataSource: '(param i64) (result i32)' } });
      assert.notEqual(p.x.newDataSource(p.str('seedds')), 0);
      assert.deepEqual(p.g.inst.dataSources().map((d) => [d.name, d.type]), [['seedds', 'single']]);
    });

    it('newDataSource with an existing name replaces it; getDataSource returns a new handle each call', async () => {
      const p = await proxy();
      const h1 = p.x.getDataSource(p.str('open'));
      const h2 = p.x.getDataSource(p.str('open'));
      assert.ok(h1 > 0 && h2 > 0 && h1 !== h2);
      assert.notEqual(p.x.newDataSource(p.str('open'), 2), 0);
      assert.deepEqual(p.g.inst.dataSources().find((d) => d.name === 'open')?.type, 'array');
    });

    it('getDataSource of an unknown name, a bad pointer or an unreferenced data source returns 0', async () => {
      const p = await proxy();
      assert.equal(p.x.getDataSource(p.str('nope')), 0);
      assert.equal(p.x.getDataSource((5n << 32n) | 0x7fffffffn), 0);
      const h = p.x.getDataSource(p.str('open'));
      assert.equal(p.x.dataSourceIsReferenced(h), 1);
      assert.equal(p.x.dataSourceUnreference(h), 0);
      assert.equal(p.x.dataSourceIsReferenced(h), 0);
      assert.equal(p.x.getDataSource(p.str('open')), 0);
      assert.ok(!p.g.inst.dataSources().some((d) => d.name === 'open'), 'unreferenced data sources are not listed');
      assert.ok(p.g.messages('warn').some((m) => m.includes('invalid pointer')));
    });

    it('dataSourceUnreference / IsReferenced on bad handles return 1 / 2', async () => {
      const p = await proxy();
      assert.equal(p.x.dataSourceUnreference(999), 1);
      assert.equal(p.x.dataSourceIsReferenced(999), 2);
      const f = p.x.dataSourceGetField(p.x.getDataSource(p.str('open')), p.str('pid'));
      assert.equal(p.x.dataSourceIsReferenced(f), 2, 'a field handle is the wrong type');
      assert.ok(p.g.messages('warn').some((m) => m.includes('bad handle type for')));
      assert.ok(p.g.messages('warn').some((m) => m.includes('handle 999 not found')));
    });
  });

  describe('fields of data sources', () => {
    it('dataSourceGetField: exact then case-insensitive match; unknown → 0', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('open'));
      assert.notEqual(p.x.dataSourceGetField(ds, p.str('pid')), 0);
      assert.notEqual(p.x.dataSourceGetField(ds, p.str('PID')), 0);
      assert.equal(p.x.dataSourceGetField(ds, p.str('nope')), 0);
      assert.equal(p.x.dataSourceGetField(0, p.str('pid')), 0);
    });

    it('dataSourceAddField: kinds 0..14 accepted, >14 and duplicates rejected, fields listed with origin', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('open'));
      for (let k = 0; k <= 14; k++) assert.notEqual(p.x.dataSourceAddField(ds, p.str(`f${k}`), k), 0, `kind ${k}`);
      assert.equal(p.x.dataSourceAddField(ds, p.str('f15'), 15), 0);
      assert.equal(p.x.dataSourceAddField(ds, p.str('f3'), 3), 0, 'duplicate');
      assert.equal(p.x.dataSourceAddField(999, p.str('x'), 1), 0);
      const info = p.g.inst.dataSources().find((d) => d.name === 'open')!;
      assert.deepEqual(info.fields.slice(0, 3), [
        { name: 'pid', kind: 'uint32', tags: [], origin: 'host' },
        { name: 'comm', kind: 'string', tags: ['name:comm'], origin: 'host' },
        { name: 'f0', kind: 'invalid', tags: [], origin: 'guest' },
      ]);
      assert.equal(info.fields.length, 17);
      assert.equal(info.fields[16].kind, 'bytes');
    });
  });

  describe('packets', () => {
    it('NewPacketSingle/Array check the data source type; emit and release check handles', async () => {
      const p = await proxy();
      const single = p.x.getDataSource(p.str('open'));
      const arr = p.x.getDataSource(p.str('batch'));
      assert.equal(p.x.dataSourceNewPacketSingle(arr), 0);
      assert.equal(p.x.dataSourceNewPacketArray(single), 0);
      assert.equal(p.x.dataSourceNewPacketSingle(0), 0);
      assert.equal(p.x.dataSourceNewPacketArray(12345), 0);
      const pkt = p.x.dataSourceNewPacketSingle(single);
      assert.ok(pkt > 0);
      assert.equal(p.x.dataSourceEmitAndRelease(0, pkt), 1);
      assert.equal(p.x.dataSourceEmitAndRelease(single, 0), 1);
      assert.equal(p.x.dataSourceEmitAndRelease(arr, pkt), 1, 'packet of another data source');
      assert.equal(p.x.dataSourceRelease(single, pkt), 0);
      assert.equal(p.x.dataSourceRelease(single, pkt), 1, 'already released');
      assert.equal(p.x.dataSourceEmitAndRelease(single, pkt), 1, 'released packets cannot be emitted');
    });

    it('emits guest-built single packets to host subscribers with the values set', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('open'));
      const pid = p.x.dataSourceGetField(ds, p.str('pid'));
      const comm = p.x.dataSourceGetField(ds, p.str('comm'));
      const rows: Value[][] = [];
      p.g.inst.subscribe('open', 0, (info, r, isArray) => { assert.equal(isArray, false); assert.equal(info.name, 'open'); rows.push(...r.map((x) => [...x])); });
      const pkt = p.x.dataSourceNewPacketSingle(ds);
      assert.equal(p.x.fieldSet(pid, pkt, 8, 42n), 0);
      assert.equal(p.x.fieldSet(comm, pkt, 12, p.str('bash')), 0);
      assert.equal(p.x.dataSourceEmitAndRelease(ds, pkt), 0);
      assert.deepEqual(rows, [[42, 'bash']]);
      assert.equal(p.x.fieldSet(pid, pkt, 8, 1n), 1, 'the packet handle is gone after emit');
    });

    it('builds array packets with dataArrayNew/Append and reads them back with dataArrayLen/Get', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('batch'));
      const v = p.x.dataSourceGetField(ds, p.str('v'));
      const arr = p.x.dataSourceNewPacketArray(ds);
      for (const n of [-1, 2, 300]) {
        const el = p.x.dataArrayNew(arr);
        assert.ok(el > 0);
        assert.equal(p.x.fieldSet(v, el, 4, BigInt(n)), 0);
        assert.equal(p.x.dataArrayAppend(arr, el), 0);
        assert.equal(p.x.fieldSet(v, el, 4, 7n), 1, 'the element handle is consumed by append');
      }
      const spare = p.x.dataArrayNew(arr);
      assert.equal(p.x.dataArrayRelease(arr, spare), 0);
      assert.equal(p.x.dataArrayRelease(arr, spare), 1);
      assert.equal(p.x.dataArrayLen(arr), 3);
      assert.equal(p.x.dataArrayLen(ds), 0, 'wrong handle type: 0');
      const e1 = p.x.dataArrayGet(arr, 1);
      assert.equal(e1 >>> 0, (0x80000000 | (1 << 16) | arr) >>> 0, 'flagged element handle');
      assert.equal(p.x.fieldGetScalar(v, e1, 4, 0), 2n);
      assert.equal(p.x.fieldGetScalar(v, p.x.dataArrayGet(arr, 0), 4, 0), -1n, 'Int32 sign-extended');
      assert.equal(p.x.fieldSet(v, p.x.dataArrayGet(arr, 2), 4, 301n), 0, 'flagged handles work for fieldSet');
      assert.equal(p.x.dataArrayGet(arr, 3), 0, 'index past the end');
      assert.equal(p.x.dataArrayGet(arr, -1), 0, 'negative index');
      assert.equal(p.x.dataArrayGet(ds, 0), 0);
      assert.equal(p.x.releaseHandle(e1), 1, 'flagged handles are not in the handle table');
      const rows: Value[][] = [];
      p.g.inst.subscribe('batch', 0, (_i, r, isArray) => { assert.equal(isArray, true); rows.push(...r.map((x) => [...x])); });
      assert.equal(p.x.dataSourceEmitAndRelease(ds, arr), 0);
      assert.deepEqual(rows, [[-1], [2], [301]]);
    });

    it('release functions return 1 for bad data source, packet and array handles', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('batch'));
      const arr = p.x.dataSourceNewPacketArray(ds);
      const el = p.x.dataArrayNew(arr);
      assert.equal(p.x.dataSourceRelease(0, arr), 1);
      assert.equal(p.x.dataSourceRelease(ds, 0), 1);
      assert.equal(p.x.dataSourceRelease(ds, el), 1, 'an element is not a packet');
      assert.equal(p.x.dataSourceEmitAndRelease(ds, el), 1, 'an element is not a packet');
      assert.equal(p.x.dataArrayRelease(0, el), 1);
      assert.equal(p.x.dataArrayRelease(arr, 0), 1);
      assert.equal(p.x.dataArrayRelease(arr, ds), 1);
      assert.equal(p.x.dataArrayRelease(arr, el), 0);
      assert.equal(p.x.dataSourceRelease(ds, arr), 0);
    });

    it('guest-created data sources are found by getDataSource and usable from the host', async () => {
      const p = await proxy();
      const nds = p.x.newDataSource(p.str('mine'), 1);
      const f = p.x.dataSourceAddField(nds, p.str('n'), 8);
      const again = p.x.getDataSource(p.str('mine'));
      assert.ok(again > 0 && again !== nds);
      assert.equal(p.x.dataSourceGetField(again, p.str('n')) > 0, true);
      const rows: Value[][] = [];
      p.g.inst.subscribe('mine', 0, (_i, r) => rows.push(...r.map((x) => [...x])));
      p.g.inst.emit('mine', { n: 3 });
      const pkt = p.x.dataSourceNewPacketSingle(again);
      p.x.fieldSet(f, pkt, 8, 4n);
      assert.equal(p.x.dataSourceEmitAndRelease(nds, pkt), 0, 'any handle of the same data source');
      assert.deepEqual(rows, [[3], [4]]);
    });

    it('dataArrayAppend refuses single packets, foreign elements and bad handles', async () => {
      const p = await loadProxy({}, { dataSources: [...DS, { name: 'batch2', type: 'array', fields: [{ name: 'v', kind: 'int32' }] }] });
      const single = p.x.getDataSource(p.str('open'));
      const ds = p.x.getDataSource(p.str('batch'));
      const ds2 = p.x.getDataSource(p.str('batch2'));
      const arr = p.x.dataSourceNewPacketArray(ds);
      const arr2 = p.x.dataSourceNewPacketArray(ds2);
      assert.equal(p.x.dataArrayAppend(arr, p.x.dataSourceNewPacketSingle(single)), 1);
      assert.equal(p.x.dataArrayAppend(arr, p.x.dataArrayNew(arr2)), 1);
      assert.equal(p.x.dataArrayAppend(arr, 4000), 1);
      assert.equal(p.x.dataArrayAppend(single, p.x.dataArrayNew(arr)), 1);
      assert.equal(p.x.dataArrayNew(single), 0);
      assert.equal(p.x.dataArrayLen(arr), 0);
    });

    it('the seed variants of dataSourceRelease / dataArrayAppend / dataArrayRelease have no result', async () => {
      const p = await loadProxy({
        module: 'env',
        sigs: {
          getDataSource: '(param i64) (result i32)', dataSourceNewPacketArray: '(param i32) (result i32)',
          dataArrayNew: '(param i32) (result i32)', dataArrayAppend: '(param i32 i32)', dataArrayRelease: '(param i32 i32)',
          dataArrayLen: '(param i32) (result i32)', dataSourceRelease: '(param i32 i32)',
        },
      }, { dataSources: DS });
      const ds = p.x.getDataSource(p.str('batch'));
      const arr = p.x.dataSourceNewPacketArray(ds);
      assert.equal(p.x.dataArrayAppend(arr, p.x.dataArrayNew(arr)), undefined);
      assert.equal(p.x.dataArrayRelease(arr, p.x.dataArrayNew(arr)), undefined);
      assert.equal(p.x.dataArrayLen(arr), 1);
      assert.equal(p.x.dataSourceRelease(ds, arr), undefined);
      assert.equal(p.x.dataArrayLen(arr), 0, 'released');
    });
  });

  describe('subscriptions', () => {
    it('dataSourceSubscribe error returns: bad handle, unknown type, Array on a single data source', async () => {
      const p = await proxy();
      const single = p.x.getDataSource(p.str('open'));
      const arr = p.x.getDataSource(p.str('batch'));
      assert.equal(p.x.dataSourceSubscribe(0, 1, 0, 1n), 1);
      assert.equal(p.x.dataSourceSubscribe(single, 4, 0, 1n), 1);
      assert.equal(p.x.dataSourceSubscribe(single, -1, 0, 1n), 1);
      assert.equal(p.x.dataSourceSubscribe(single, 2, 0, 1n), 1, 'Array on single');
      for (const t of [0, 1, 3]) assert.equal(p.x.dataSourceSubscribe(single, t, 0, 1n), 0, `type ${t} on single`);
      for (const t of [0, 1, 2, 3]) assert.equal(p.x.dataSourceSubscribe(arr, t, 0, 1n), 0, `type ${t} on array`);
      assert.ok(p.g.messages('warn').some((m) => m.includes('only array data sources can subscribe to array data')));
    });

    it('without a dataSourceCallback export subscribing fails with 1', async () => {
      const p = await loadProxy({ noCallback: true }, { dataSources: DS });
      assert.equal(p.x.dataSourceSubscribe(p.x.getDataSource(p.str('open')), 1, 0, 1n), 1);
    });

    it('runs guest and host subscribers in stable ascending signed priority order', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('open'));
      const order: string[] = [];
      let seen = 0;
      // Guest callbacks log their cbID in guest memory; every host subscriber first moves new entries to `order`.
      const flushGuest = () => { const cbs = p.callbacks(); for (; seen < cbs.length; seen++) order.push(`guest${cbs[seen].cbID}`); };
      const host = (name: string) => () => { flushGuest(); order.push(name); };
      p.g.inst.subscribe('open', 10, host('host10'));
      assert.equal(p.x.dataSourceSubscribe(ds, 1, 10, 1n), 0); // guest 10, after host10 (registered later)
      assert.equal(p.x.dataSourceSubscribe(ds, 1, -5, 2n), 0); // u32 0xFFFFFFFB = -5: first
      p.g.inst.subscribeAll(50000, host('all50000'));
      assert.equal(p.x.dataSourceSubscribe(ds, 1, 0x7fffffff, 3n), 0);
      p.g.inst.subscribe('open', 10, host('host10b'));
      assert.equal(p.x.dataSourceSubscribe(ds, 3, 10, 4n), 0);
      p.g.inst.subscribe('open', -100, () => flushGuest());
      p.g.inst.subscribe('open', 9, () => { flushGuest(); order.push('host9'); });
      p.g.inst.subscribe('open', 11, () => { flushGuest(); order.push('host11'); });
      p.g.inst.subscribe('open', 49999, () => { flushGuest(); });
      p.g.inst.subscribe('open', 0x7fffffff, () => { flushGuest(); order.push('hostmax'); });
      p.g.inst.emit('open', { pid: 1 });
      flushGuest();
      assert.deepEqual(order, ['guest2', 'host9', 'host10', 'guest1', 'host10b', 'guest4', 'host11', 'all50000', 'guest3', 'hostmax']);
    });

    it('a Data subscription on an array data source gets one callback per element; Array and Packet one per packet', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('batch'));
      const v = p.x.dataSourceGetField(ds, p.str('v'));
      p.x.setCbField(v, 4);
      assert.equal(p.x.dataSourceSubscribe(ds, 1, 0, 11n), 0);
      assert.equal(p.x.dataSourceSubscribe(ds, 2, 1, 22n), 0);
      assert.equal(p.x.dataSourceSubscribe(ds, 3, 2, 33n), 0);
      p.g.inst.emit('batch', [{ v: 5 }, { v: -6 }, { v: 7 }]);
      const cbs = p.callbacks();
      assert.deepEqual(cbs.map((c) => c.cbID), [11n, 11n, 11n, 22n, 33n]);
      assert.deepEqual(cbs.slice(0, 3).map((c) => c.value), [5n, -6n, 7n]);
      assert.ok(cbs.every((c) => c.ds === ds), 'the subscribing data source handle is passed to callbacks');
      assert.equal(p.g.inst.handleCount, 2, 'callback temporaries are released (ds and field remain)');
      p.clearCallbacks();
      p.g.inst.emit('batch', []);
      assert.deepEqual(p.callbacks().map((c) => c.cbID), [22n, 33n], 'empty arrays: no Data callbacks');
    });

    it('subscription type 0 (the seed\'s Data) behaves as Data', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('batch'));
      assert.equal(p.x.dataSourceSubscribe(ds, 0, 0, 9n), 0);
      p.g.inst.emit('batch', [{ v: 1 }, { v: 2 }]);
      assert.deepEqual(p.callbacks().map((c) => c.cbID), [9n, 9n]);
    });

    it('a host subscriber sees one row per element, column-ordered, and the guest\'s changes', async () => {
      const s = new Strings();
      const wat = `(module ${ALL_IG()} (memory (export "memory") 1)
        (global $f (mut i32) (i32.const 0))
        ${VERSION}
        (func (export "gadgetInit") (result i32) (local $ds i32)
          (local.set $ds (call $getDataSource ${s.bp('batch')}))
          (global.set $f (call $dataSourceAddField (local.get $ds) ${s.bp('double')} (i32.const 5)))
          (call $dataSourceSubscribe (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 0)))
        (func (export "dataSourceCallback") (param i64 i32 i32) (local $v i32)
          (local.set $v (i32.wrap_i64 (call $fieldGetScalar (call $dataSourceGetField (local.get 1) ${s.bp('v')}) (local.get 2) (i32.const 4) (i32.const 0))))
          (drop (call $fieldSet (global.get $f) (local.get 2) (i32.const 5) (i64.extend_i32_s (i32.mul (local.get $v) (i32.const 2))))))
        ${s.data()})`;
      const g = await load(wat, { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      const seen: [string[], Value[][]][] = [];
      g.inst.subscribeAll(50000, (info, rows) => { if (info.name === 'batch') seen.push([info.fields.map((f) => f.name), rows.map((x) => [...x])]); });
      g.inst.emit('batch', [{ v: 1 }, { v: -3 }]);
      assert.deepEqual(seen, [[['v', 'double'], [[1, 2n], [-3, -6n]]]]);
      assert.deepEqual(g.errors, []);
    });

    it('subscribeAll reaches data sources created later but skips unreferenced ones', async () => {
      const p = await proxy();
      const seen: string[] = [];
      p.g.inst.subscribeAll(50000, (info) => seen.push(info.name));
      const nds = p.x.newDataSource(p.str('late'), 1);
      p.x.dataSourceAddField(nds, p.str('x'), 8);
      p.g.inst.emit('late', { x: 1 });
      p.x.dataSourceUnreference(p.x.getDataSource(p.str('open')));
      const direct: string[] = [];
      p.g.inst.subscribe('open', 0, (info) => direct.push(info.name));
      p.g.inst.emit('open', { pid: 1 });
      assert.deepEqual(seen, ['late']);
      assert.deepEqual(direct, ['open'], 'explicit subscribers still see unreferenced data sources');
    });
  });

  describe('re-entrant emits and callback errors', () => {
    const nested = (s: Strings, emitInto: string) => `(module ${ALL_IG()} (memory (export "memory") 1)
      (global $in (mut i32) (i32.const 0))
      (global $out (mut i32) (i32.const 0))
      (global $depth (mut i32) (i32.const 0))
      ${VERSION}
      (func (export "gadgetInit") (result i32)
        (global.set $in (call $getDataSource ${s.bp('open')}))
        (global.set $out (call $newDataSource ${s.bp('derived')} (i32.const 1)))
        (drop (call $dataSourceAddField (global.get $out) ${s.bp('n')} (i32.const 8)))
        (drop (call $dataSourceSubscribe (global.get $in) (i32.const 1) (i32.const 0) (i64.const 1)))
        (drop (call $dataSourceSubscribe (global.get $out) (i32.const 1) (i32.const 0) (i64.const 2)))
        (i32.const 0))
      (func (export "dataSourceCallback") (param $cb i64) (param $ds i32) (param $data i32) (local $pkt i32) (local $target i32)
        ;; cb 1 (open): emit a packet into ${emitInto}; cb 2 (derived): count.
        (if (i64.eq (local.get $cb) (i64.const 1)) (then
          (if (i32.lt_u (global.get $depth) (i32.const 3)) (then
            (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
            (local.set $target ${emitInto === 'open' ? '(global.get $in)' : '(global.get $out)'})
            (local.set $pkt (call $dataSourceNewPacketSingle (local.get $target)))
            ${emitInto === 'open' ? '' : '(drop (call $fieldSet (call $dataSourceGetField (global.get $out) ' + s.bp('n') + ') (local.get $pkt) (i32.const 8) (i64.const 99)))'}
            (drop (call $dataSourceEmitAndRelease (local.get $target) (local.get $pkt)))))))
        (if (i64.eq (local.get $cb) (i64.const 2)) (then (call $gadgetLog (i32.const 2) ${s.bp('derived seen')}))))
      ${s.data()})`;

    it('a guest callback can emit into another data source it subscribes to (IG deadlocks here)', async () => {
      const s = new Strings();
      const g = await load(nested(s, 'derived'), { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      const rows: Value[][] = [];
      g.inst.subscribeAll(50000, (info, r) => { if (info.name === 'derived') rows.push(...r.map((x) => [...x])); });
      g.inst.emit('open', { pid: 1 });
      assert.deepEqual(rows, [[99]]);
      assert.deepEqual(g.messages('info'), ['derived seen']);
      assert.deepEqual(g.errors, []);
      assert.equal(g.inst.handleCount, 4, 'in, out, the added field and the one dataSourceGetField in the callback remain');
    });

    it('a guest callback can emit into the data source being delivered (bounded recursion)', async () => {
      const s = new Strings();
      const g = await load(nested(s, 'open'), { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      let n = 0;
      g.inst.subscribe('open', 50000, () => { n++; });
      g.inst.emit('open', { pid: 1 });
      assert.equal(n, 4, 'the host packet plus three nested ones');
      assert.deepEqual(g.errors, []);
    });

    it('a trap in a callback is reported to onCallbackError and delivery goes on', async () => {
      const s = new Strings();
      const wat = `(module ${ALL_IG()} (memory (export "memory") 1) ${VERSION}
        (func (export "gadgetInit") (result i32) (local $ds i32)
          (local.set $ds (call $getDataSource ${s.bp('open')}))
          (drop (call $dataSourceSubscribe (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 1)))
          (drop (call $dataSourceSubscribe (local.get $ds) (i32.const 1) (i32.const 1) (i64.const 2)))
          (i32.const 0))
        (func (export "dataSourceCallback") (param i64 i32 i32)
          (if (i64.eq (local.get 0) (i64.const 1)) (then unreachable))
          (call $gadgetLog (i32.const 2) ${s.bp('second ran')}))
        ${s.data()})`;
      const g = await load(wat, { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      let hostSaw = 0;
      g.inst.subscribe('open', 100, () => { hostSaw++; });
      g.inst.emit('open', { pid: 1 });
      assert.equal(g.errors.length, 1);
      assert.equal(g.errors[0].phase, 'dataSourceCallback');
      assert.match(g.errors[0].message, /unreachable/);
      assert.match(g.errors[0].message, /"open"/);
      assert.deepEqual(g.messages('info'), ['second ran']);
      assert.equal(hostSaw, 1);
      assert.equal(g.inst.handleCount, 1, 'the trapped callback\'s temporary handle is released');
      assert.deepEqual(g.messages('error'), [], 'reported once, to onCallbackError');
      g.inst.onCallbackError = undefined;
      g.inst.emit('open', { pid: 2 });
      assert.equal(g.errors.length, 1);
      assert.equal(g.messages('error').length, 1, 'without a handler the error is logged');
      assert.match(g.messages('error')[0], /^dataSourceCallback: data source "open": wasm trap: unreachable/);
    });

    it('a trap on one element of an array packet does not stop the other elements', async () => {
      const s = new Strings();
      const wat = `(module ${ALL_IG()} (memory (export "memory") 1) ${VERSION}
        (global $f (mut i32) (i32.const 0))
        (global $sum (mut i64) (i64.const 0))
        (func (export "gadgetInit") (result i32) (local $ds i32)
          (local.set $ds (call $getDataSource ${s.bp('batch')}))
          (global.set $f (call $dataSourceGetField (local.get $ds) ${s.bp('v')}))
          (call $dataSourceSubscribe (local.get $ds) (i32.const 1) (i32.const 0) (i64.const 0)))
        (func (export "sum") (result i64) (global.get $sum))
        (func (export "dataSourceCallback") (param i64 i32 i32) (local $v i64)
          (local.set $v (call $fieldGetScalar (global.get $f) (local.get 2) (i32.const 4) (i32.const 0)))
          (if (i64.eq (local.get $v) (i64.const 2)) (then unreachable))
          (global.set $sum (i64.add (global.get $sum) (local.get $v))))
        ${s.data()})`;
      const g = await load(wat, { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      g.inst.emit('batch', [{ v: 1 }, { v: 2 }, { v: 4 }]);
      assert.equal((g.inst.exports as { sum: () => bigint }).sum(), 5n);
      assert.equal(g.errors.length, 1);
      assert.match(g.errors[0].message, /"batch": wasm trap: unreachable/);
    });

    it('flagged element handles die with their array packet', async () => {
      const p = await proxy();
      const ds = p.x.getDataSource(p.str('batch'));
      const v = p.x.dataSourceGetField(ds, p.str('v'));
      const arr = p.x.dataSourceNewPacketArray(ds);
      p.x.dataArrayAppend(arr, p.x.dataArrayNew(arr));
      const el = p.x.dataArrayGet(arr, 0);
      assert.equal(p.x.fieldSet(v, el, 4, 1n), 0);
      assert.equal(p.x.dataSourceRelease(ds, arr), 0);
      assert.equal(p.x.fieldSet(v, el, 4, 1n), 1);
      assert.equal(p.x.fieldGetScalar(v, el, 4, 0), 0n);
    });

    it('a packet being delivered cannot be emitted or released again from its own callback', async () => {
      const s = new Strings();
      const wat = `(module ${ALL_IG()} (memory (export "memory") 1) ${VERSION}
        (func (export "gadgetInit") (result i32)
          (call $dataSourceSubscribe (call $getDataSource ${s.bp('open')}) (i32.const 3) (i32.const 0) (i64.const 1)))
        (func (export "dataSourceCallback") (param i64 i32 i32)
          (i32.store (i32.const 0) (call $dataSourceEmitAndRelease (local.get 1) (local.get 2)))
          (i32.store (i32.const 4) (call $dataSourceRelease (local.get 1) (local.get 2))))
        ${s.data()})`;
      const g = await load(wat, { dataSources: DS });
      g.inst.callPhase('gadgetInit');
      let n = 0;
      g.inst.subscribe('open', 1, (_i, rows) => { n++; assert.deepEqual(rows, [[5, '']]); });
      g.inst.emit('open', { pid: 5 });
      const mem = new DataView((g.inst.exports.memory as { buffer: ArrayBuffer }).buffer);
      assert.equal(mem.getInt32(0, true), 1, 'emit of the packet being delivered fails');
      assert.equal(mem.getInt32(4, true), 1, 'release of the packet being delivered fails');
      assert.equal(n, 1, 'delivered exactly once, intact');
      assert.ok(g.messages('warn').some((m) => m.includes('is being delivered')));
    });
  });

  describe('host-side emit', () => {
    it('rejects unknown data sources, fields, wrong shapes and bad values with clear errors', async () => {
      const p = await proxy();
      const e = (ds: string, data: unknown) => throwsGadgetError(() => p.g.inst.emit(ds, data as never)).message;
      assert.match(e('nope', {}), /unknown data source "nope"/);
      assert.match(e('open', { nope: 1 }), /data source "open" has no field "nope"/);
      assert.match(e('open', [{ pid: 1 }]), /single data source/);
      assert.match(e('batch', { v: 1 }), /array data source/);
      assert.match(e('open', { pid: -1 }), /field "pid": -1 is out of range for uint32/);
      assert.match(e('open', { pid: 1.5 }), /field "pid": expected an integer/);
      assert.match(e('open', { pid: 'x' }), /field "pid": expected an integer/);
      assert.match(e('open', { comm: 5 }), /field "comm": expected a string/);
      assert.match(e('batch', [{ v: 1 }, { v: 2 ** 31 }]), /"batch"\[1\], field "v": 2147483648 is out of range for int32/);
      assert.throws(() => p.g.inst.subscribe('nope', 0, () => undefined), /unknown data source "nope"/);
    });

    it('converts every kind both ways', async () => {
      const kinds = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float32', 'float64', 'string', 'cstring', 'bytes'] as const;
      const p = await loadProxy({}, { dataSources: [{ name: 'all', type: 'single', fields: kinds.map((k) => ({ name: k, kind: k })) }] });
      const rows: Value[][] = [];
      p.g.inst.subscribe('all', 0, (_i, r) => rows.push(...r.map((x) => [...x])));
      const values: Value[] = [true, -8, -16, -32, -(2n ** 63n), 255, 65535, 4294967295, 2n ** 64n - 1n, 1.5, -2.25, 'héllo', 'c', new Uint8Array([0, 1, 255])];
      p.g.inst.emit('all', Object.fromEntries(kinds.map((k, i) => [k, values[i]])));
      p.g.inst.emit('all', {});
      assert.deepEqual(rows[0], values);
      assert.deepEqual(rows[1], [false, 0, 0, 0, 0n, 0, 0, 0, 0n, 0, 0, '', '', new Uint8Array(0)]);
    });
  });
});
