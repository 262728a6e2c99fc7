import * as assert from 'node:assert/strict';
import type { MapDecl } from '../../../../src/host/api';
import { ProxyGuest, throwsGadgetError } from '../guest';
import { KEY12, kernelProxy, u32s } from './kernel-support';

const HASH = 1, ARRAY = 2, PERF = 4, PERCPU_HASH = 5, PERCPU_ARRAY = 6, LRU = 9, ARRAY_OF_MAPS = 12, HASH_OF_MAPS = 13;

const TEST_MAP: MapDecl = { name: 'test_map', type: HASH, keySize: 12, valueSize: 4, maxEntries: 1 };

async function started(maps: MapDecl[], cpus?: number): Promise<ProxyGuest> {
  const p = await kernelProxy({ kernel: { maps, cpus } });
  p.g.inst.callPhase('gadgetStart');
  return p;
}

describe('host: maps', () => {
  describe('getMap', () => {
    it('fails before gadgetStart (the maps are published in Start), then hands out a new handle per call', async () => {
      const p = await kernelProxy({ kernel: { maps: [TEST_MAP] } });
      p.g.inst.callPhase('gadgetInit');
      assert.equal(p.x.getMap(p.str('test_map')), 0);
      assert.match(p.g.messages('warn').at(-1)!, /no map for name "test_map" yet \(the gadget's maps are published from gadgetStart on\)/);
      p.g.inst.callPhase('gadgetStart');
      const a = p.x.getMap(p.str('test_map'));
      const b = p.x.getMap(p.str('test_map'));
      assert.ok(a > 0 && b > 0 && a !== b);
      assert.equal(p.x.getMap(p.str('nope')), 0);
      assert.equal(p.x.getMap((8n << 32n) | 0x7fffffffn), 0, 'bad pointer');
    });

    it('hands out perf event arrays (for newPerfReader) but refuses element calls on them', async () => {
      const p = await started([{ name: 'events', type: PERF, keySize: 4, valueSize: 4, maxEntries: 0 }]);
      const m = p.x.getMap(p.str('events'));
      assert.ok(m > 0);
      assert.equal(p.x.mapLookup(m, p.str(u32s(0)), p.buf(4)), 1);
      assert.equal(p.x.mapUpdate(m, p.str(u32s(0)), p.str(u32s(1)), 0n), 1);
      assert.equal(p.x.mapDelete(m, p.str(u32s(0))), 1);
      assert.match(p.g.messages('warn').at(-1)!, /FD array maps like "events" are not supported/);
    });
  });

  describe('hash', () => {
    it('runs IG\'s map test sequence: put, lookup, update exist/no-exist, delete, delete again fails', async () => {
      const p = await started([TEST_MAP]);
      const m = p.x.getMap(p.str('test_map'));
      const key = p.str(KEY12);
      const val = p.buf(4);
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(42)), 0n), 0);
      assert.equal(p.x.mapLookup(m, key, val), 0);
      assert.deepEqual(p.read(val), u32s(42));
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(43)), 2n), 0, 'UpdateExist on a present key');
      assert.equal(p.x.mapLookup(m, key, val), 0);
      assert.deepEqual(p.read(val), u32s(43));
      assert.equal(p.x.mapDelete(m, key), 0);
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(43)), 0n), 0);
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(44)), 1n), 1, 'UpdateNoExist on a present key');
      assert.match(p.g.messages('warn').at(-1)!, /key already exists \(EEXIST\)/);
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(44)), 2n), 0);
      assert.equal(p.x.mapDelete(m, key), 0);
      assert.equal(p.x.mapDelete(m, key), 1, 'deleting a missing key fails');
      assert.match(p.g.messages('warn').at(-1)!, /key does not exist \(ENOENT\)/);
      assert.equal(p.x.mapUpdate(m, key, p.str(u32s(1)), 2n), 1, 'UpdateExist on a missing key');
    });

    it('refuses a new key when full, but updates a present one', async () => {
      const p = await started([TEST_MAP]);
      const m = p.x.getMap(p.str('test_map'));
      const other = new Uint8Array(12).fill(7);
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(1)), 0n), 0);
      assert.equal(p.x.mapUpdate(m, p.str(other), p.str(u32s(2)), 0n), 1);
      assert.match(p.g.messages('warn').at(-1)!, /map is full \(E2BIG\)/);
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(3)), 0n), 0);
    });

    it('enforces key and value sizes and the flags (lock accepted, combinations and > 4 refused)', async () => {
      const p = await started([{ ...TEST_MAP, maxEntries: 8 }]);
      const m = p.x.getMap(p.str('test_map'));
      assert.equal(p.x.mapUpdate(m, p.str(KEY12.subarray(0, 9)), p.str(u32s(1)), 0n), 1, '9-byte key (Go struct without padding)');
      assert.match(p.g.messages('warn').at(-1)!, /key is 9 bytes, the map's key size is 12/);
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(new Uint8Array(8)), 0n), 1, '8-byte value');
      assert.equal(p.x.mapLookup(m, p.str(new Uint8Array(4)), p.buf(4)), 1, 'lookup with a wrong key size');
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(1)), 4n), 0, 'BPF_F_LOCK');
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(1)), 3n), 1, 'NOEXIST|EXIST');
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(1)), 5n), 1);
      assert.match(p.g.messages('warn').at(-1)!, /invalid flags values: 5, expected no more than 4/);
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(1)), 1n << 32n), 1, 'flags are 64-bit');
    });

    it('lookup of a missing key returns 0 and leaves the buffer alone (cilium/ebpf\'s LookupBytes, as IG)', async () => {
      const p = await started([TEST_MAP]);
      const m = p.x.getMap(p.str('test_map'));
      const val = p.str(u32s(0xdeadbeef));
      assert.equal(p.x.mapLookup(m, p.str(KEY12), val), 0);
      assert.deepEqual(p.read(val), u32s(0xdeadbeef));
      assert.match(p.g.messages('debug').at(-1)!, /no entry for this key in "test_map": returning 0/, 'said at debug level');
    });

    it('fails a lookup whose buffer cannot hold the value, and bad pointers and handles', async () => {
      const p = await started([TEST_MAP]);
      const m = p.x.getMap(p.str('test_map'));
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), p.str(u32s(9)), 0n), 0);
      assert.equal(p.x.mapLookup(m, p.str(KEY12), p.buf(3)), 1);
      assert.equal(p.x.mapLookup(m, (12n << 32n) | 0x7ffffff0n, p.buf(4)), 1, 'key out of bounds');
      assert.equal(p.x.mapUpdate(m, p.str(KEY12), (4n << 32n) | 0x7ffffff0n, 0n), 1, 'value out of bounds');
      assert.equal(p.x.mapLookup(999, p.str(KEY12), p.buf(4)), 1);
      assert.match(p.g.messages('warn').at(-1)!, /mapLookup: handle 999 not found/);
      const ds = p.x.newDataSource(p.str('ds'), 1);
      assert.equal(p.x.mapUpdate(ds, p.str(KEY12), p.str(u32s(1)), 0n), 1);
      assert.match(p.g.messages('warn').at(-1)!, new RegExp(`mapUpdate: bad handle type for ${ds}`));
      assert.equal(p.x.mapDelete(ds, p.str(KEY12)), 1);
    });

    it('LRU hashes evict the least recently used entry instead of refusing', async () => {
      const p = await started([{ name: 'lru', type: LRU, keySize: 4, valueSize: 4, maxEntries: 2 }]);
      const m = p.x.getMap(p.str('lru'));
      for (const k of [1, 2]) assert.equal(p.x.mapUpdate(m, p.str(u32s(k)), p.str(u32s(k * 10)), 0n), 0);
      assert.equal(p.x.mapLookup(m, p.str(u32s(1)), p.buf(4)), 0, 'touches 1: 2 is now the oldest');
      assert.equal(p.x.mapUpdate(m, p.str(u32s(3)), p.str(u32s(30)), 0n), 0);
      const snap = p.g.inst.maps()[0];
      assert.deepEqual(snap.entries.map((e) => e.key[0]).sort(), [1, 3]);
    });
  });

  describe('arrays', () => {
    it('hold every index, refuse out-of-range keys, no-exist updates and deletes', async () => {
      const p = await started([{ name: 'arr', type: ARRAY, keySize: 4, valueSize: 8, maxEntries: 4 }]);
      const m = p.x.getMap(p.str('arr'));
      const val = p.buf(8);
      assert.equal(p.x.mapLookup(m, p.str(u32s(3)), val), 0);
      assert.deepEqual(p.read(val), new Uint8Array(8), 'zero-initialised');
      assert.equal(p.x.mapUpdate(m, p.str(u32s(3)), p.str(u32s(5, 6)), 2n), 0, 'every element exists');
      assert.equal(p.x.mapLookup(m, p.str(u32s(3)), val), 0);
      assert.deepEqual(p.read(val), u32s(5, 6));
      assert.equal(p.x.mapUpdate(m, p.str(u32s(4)), p.str(u32s(5, 6)), 0n), 1);
      assert.match(p.g.messages('warn').at(-1)!, /index out of range \(E2BIG\)/);
      assert.equal(p.x.mapUpdate(m, p.str(u32s(0)), p.str(u32s(5, 6)), 1n), 1, 'no-exist on an array');
      assert.equal(p.x.mapDelete(m, p.str(u32s(0))), 1);
      assert.match(p.g.messages('warn').at(-1)!, /arrays cannot delete elements/);
    });

    it('per-CPU variants exchange one 8-byte-aligned value per CPU', async () => {
      const p = await started([
        { name: 'pc', type: PERCPU_ARRAY, keySize: 4, valueSize: 4, maxEntries: 1 },
        { name: 'ph', type: PERCPU_HASH, keySize: 4, valueSize: 4, maxEntries: 1 },
      ], 3);
      for (const name of ['pc', 'ph']) {
        const m = p.x.getMap(p.str(name));
        assert.equal(p.x.mapUpdate(m, p.str(u32s(0)), p.str(u32s(1)), 0n), 1, `${name}: one CPU's value is not enough`);
        assert.match(p.g.messages('warn').at(-1)!, /value is 4 bytes, the map's value size is 24 \(3 CPUs × 8\)/);
        const all = u32s(1, 0, 2, 0, 3, 0);
        assert.equal(p.x.mapUpdate(m, p.str(u32s(0)), p.str(all), 0n), 0);
        const val = p.buf(24);
        assert.equal(p.x.mapLookup(m, p.str(u32s(0)), val), 0);
        assert.deepEqual(p.read(val), all);
      }
    });
  });

  describe('newMap and mapRelease', () => {
    it('creates maps the guest owns; mapRelease accepts only those, once', async () => {
      const p = await started([TEST_MAP]);
      const m = p.x.newMap(p.str('mine'), HASH, 4, 4, 2);
      assert.ok(m > 0);
      assert.equal(p.x.mapUpdate(m, p.str(u32s(1)), p.str(u32s(2)), 0n), 0);
      const g = p.x.getMap(p.str('test_map'));
      assert.equal(p.x.mapRelease(g), 1);
      assert.match(p.g.messages('warn').at(-1)!, /was not created by newMap\(\) or was already closed/);
      assert.equal(p.x.mapRelease(m), 0);
      assert.equal(p.x.mapRelease(m), 1);
      assert.equal(p.x.mapLookup(m, p.str(u32s(1)), p.buf(4)), 1, 'the handle is gone');
    });

    it('refuses unknown types, FD arrays, maps of maps without an inner map and sizes the kernel refuses', async () => {
      const p = await started([]);
      assert.equal(p.x.newMap(p.str('x'), 34, 4, 4, 1), 0);
      assert.match(p.g.messages('warn').at(-1)!, /unknown map type 34/);
      assert.equal(p.x.newMap(p.str('x'), PERF, 4, 4, 1), 0);
      assert.equal(p.x.newMap(p.str('x'), HASH_OF_MAPS, 4, 4, 1), 0);
      assert.equal(p.x.newMap(p.str('x'), HASH, 0, 4, 1), 0);
      assert.equal(p.x.newMap(p.str('x'), ARRAY, 8, 4, 1), 0);
      assert.equal(p.x.newMap(p.str('x'), HASH, 4, 4, 0), 0);
      assert.equal(p.x.newMap((4n << 32n) | 0x7ffffff0n, HASH, 4, 4, 1), 0, 'bad name pointer');
      assert.equal(p.x.newMap(p.str('x'), HASH, 513, 4, 1), 0, 'keys over MAX_BPF_STACK');
      assert.match(p.g.messages('warn').at(-1)!, /key size 513 is over 512 bytes \(E2BIG\)/);
      assert.equal(p.x.newMap(p.str('x'), HASH, 4, (4 << 20) + 1, 1), 0, 'values over KMALLOC_MAX_SIZE');
      assert.equal(p.x.newMap(p.str('x'), ARRAY, 4, 1 << 20, 1 << 20), 0, 'an array too big to allocate');
      assert.ok(p.x.newMap(p.str('big'), HASH, 512, 4 << 20, -1) > 0, 'a big hash: its table grows as entries come');
    });
  });

  describe('maps of maps', () => {
    const outer = (type: number): MapDecl => ({
      name: 'map_of_map', type, keySize: type === ARRAY_OF_MAPS ? 4 : 12, valueSize: 4, maxEntries: 2,
      inner: { name: 'map_of_map_inner', type: HASH, keySize: 4, valueSize: 4, maxEntries: 1 },
    });

    it('store the inner map given by handle and hand back a new handle to it on lookup (IG\'s mapofmap test)', async () => {
      const p = await started([outer(HASH_OF_MAPS)]);
      const mom = p.x.getMap(p.str('map_of_map'));
      const inner = p.x.newMap(p.str('test_hash'), HASH, 4, 4, 1);
      const key = p.str(KEY12);
      assert.equal(p.x.mapUpdate(mom, key, p.str(u32s(inner)), 0n), 0);
      const val = p.buf(4);
      assert.equal(p.x.mapLookup(mom, key, val), 0);
      const got = new DataView(p.read(val).buffer).getUint32(0, true);
      assert.ok(got !== 0 && got !== inner);
      assert.equal(p.x.mapUpdate(got, p.str(u32s(42)), p.str(u32s(43)), 0n), 0, 'the handle reaches the inner map');
      assert.equal(p.x.mapLookup(inner, p.str(u32s(42)), val), 0);
      assert.deepEqual(p.read(val), u32s(43));
      assert.equal(p.x.releaseHandle(got), 0);
      assert.equal(p.x.mapDelete(mom, key), 0);
      assert.equal(p.x.mapDelete(mom, key), 1);
      assert.equal(p.x.releaseHandle(mom), 0);
    });

    it('refuse inner maps that do not match the template, and bad handles in the value', async () => {
      const p = await started([outer(ARRAY_OF_MAPS)]);
      const mom = p.x.getMap(p.str('map_of_map'));
      const wrong = p.x.newMap(p.str('w'), HASH, 8, 4, 1);
      assert.equal(p.x.mapUpdate(mom, p.str(u32s(0)), p.str(u32s(wrong)), 0n), 1);
      assert.match(p.g.messages('warn').at(-1)!, /does not match the template/);
      assert.equal(p.x.mapUpdate(mom, p.str(u32s(0)), p.str(u32s(777)), 0n), 1);
      assert.equal(p.x.mapUpdate(mom, p.str(u32s(0)), p.str(new Uint8Array(2)), 0n), 1, 'too short for a handle');
      assert.equal(p.x.mapUpdate(mom, p.str(u32s(5)), p.str(u32s(p.x.newMap(p.str('ok'), HASH, 4, 4, 1))), 0n), 1, 'index out of range');
    });

    it('a lookup of a missing key traps, as IG\'s host panics there', async () => {
      const p = await started([outer(HASH_OF_MAPS)]);
      const mom = p.x.getMap(p.str('map_of_map'));
      assert.throws(() => p.x.mapLookup(mom, p.str(KEY12), p.buf(4)), /no entry for this key in the map of maps "map_of_map" \(IG's host panics here\)/);
    });
  });

  describe('maps from the run options', () => {
    it('preloads entries and refuses entries that do not fit, naming the map and entry', async () => {
      const p = await started([{ ...TEST_MAP, maxEntries: 2, entries: [{ key: KEY12, value: u32s(7) }] }]);
      const val = p.buf(4);
      assert.equal(p.x.mapLookup(p.x.getMap(p.str('test_map')), p.str(KEY12), val), 0);
      assert.deepEqual(p.read(val), u32s(7));
      const err = await kernelProxy({ kernel: { maps: [{ ...TEST_MAP, entries: [{ key: KEY12, value: u32s(1, 2) }] }] } }).catch((e: Error) => e);
      assert.ok(err instanceof Error);
      assert.equal(err.message, 'load: map "test_map", entry 1 (key 2a 00 00 00 2a 00 00 00 2b 00 00 00): value is 8 bytes, the map\'s value size is 4 (EINVAL)');
      assert.equal(throwsGadgetError(() => { throw err; }).phase, 'load');
    });

    it('refuses map specs the kernel would refuse, and the same name twice', async () => {
      for (const [maps, re] of [
        [[{ ...TEST_MAP, keySize: 0 }], /map "test_map": key size, value size and max entries must be non-zero/],
        [[TEST_MAP, TEST_MAP], /map "test_map" is declared twice/],
        [[{ ...TEST_MAP, type: 7 }], /map type 7 is not simulated/],
      ] as [MapDecl[], RegExp][]) {
        await assert.rejects(kernelProxy({ kernel: { maps } }), re);
      }
    });
  });
});
