import * as assert from 'node:assert/strict';
import { DataSourceDecl, KindName, Value } from '../../../../src/host/api';
import { loadProxy, ProxyGuest } from '../guest';

const K = { Invalid: 0, Bool: 1, Int8: 2, Int16: 3, Int32: 4, Int64: 5, Uint8: 6, Uint16: 7, Uint32: 8, Uint64: 9, Float32: 10, Float64: 11, String: 12, CString: 13, Bytes: 14 };
const SCALARS: [KindName, number][] = [
  ['bool', K.Bool], ['int8', K.Int8], ['int16', K.Int16], ['int32', K.Int32], ['int64', K.Int64], ['uint8', K.Uint8],
  ['uint16', K.Uint16], ['uint32', K.Uint32], ['uint64', K.Uint64], ['float32', K.Float32], ['float64', K.Float64],
];
const DS: DataSourceDecl[] = [{
  name: 'e', type: 'single',
  fields: [...SCALARS.map(([k]) => ({ name: k, kind: k })), { name: 'string', kind: 'string' }, { name: 'bytes', kind: 'bytes' }, { name: 'cstring', kind: 'cstring' }],
}];

/** A proxy guest with a single packet of `e` and field handles by name. */
async function packet(opts: Parameters<typeof loadProxy>[0] = {}): Promise<{ p: ProxyGuest; pkt: number; f: (n: string) => number; ds: number }> {
  const p = await loadProxy(opts, { dataSources: DS });
  const ds = p.x.getDataSource(p.str('e'));
  const pkt = p.x.dataSourceNewPacketSingle(ds);
  const cache = new Map<string, number>();
  const f = (n: string) => {
    if (!cache.has(n)) cache.set(n, p.x.dataSourceGetField(ds, p.str(n)));
    return cache.get(n)!;
  };
  return { p, pkt, f, ds };
}

function emitRow(p: ProxyGuest, ds: number, pkt: number): Value[] {
  const rows: Value[][] = [];
  p.g.inst.subscribe('e', 0, (_i, r) => rows.push(...r.map((x) => [...x])));
  assert.equal(p.x.dataSourceEmitAndRelease(ds, pkt), 0);
  return rows[0];
}

const ERR = 0x3000; // errPtr location in the proxy guest's memory

describe('host: fields', () => {
  describe('fieldSet + fieldGetScalar round trips', () => {
    const cases: [KindName, number, bigint, bigint, Value][] = [
      // kind name, kind, value set, value read back (i64, as the guest sees it), host Value
      ['bool', K.Bool, 5n, 1n, true],
      ['int8', K.Int8, -1n, -1n, -1],
      ['int8', K.Int8, 0x1ffn, -1n, -1], // truncated to the field size, then sign-extended
      ['int16', K.Int16, -300n, -300n, -300],
      ['int32', K.Int32, -70000n, -70000n, -70000],
      ['int64', K.Int64, -(2n ** 62n), -(2n ** 62n), -(2n ** 62n)],
      ['uint8', K.Uint8, 255n, 255n, 255],
      ['uint16', K.Uint16, 0x12345n, 0x2345n, 0x2345],
      ['uint32', K.Uint32, 0xfffffffen, 0xfffffffen, 0xfffffffe],
      ['uint64', K.Uint64, -1n, -1n, 2n ** 64n - 1n], // u64 max travels as i64 -1
      ['float32', K.Float32, 0x3fc00000n, 0x3fc00000n, 1.5], // raw IEEE bits, zero-extended
      ['float64', K.Float64, 0xc002000000000000n - 2n ** 64n, 0xc002000000000000n - 2n ** 64n, -2.25],
    ];
    for (const [name, kind, set, get, value] of cases) {
      it(`${name}: set ${set}, read ${get}, host sees ${String(value)}`, async () => {
        const { p, pkt, f, ds } = await packet();
        assert.equal(p.x.fieldSet(f(name), pkt, kind, set), 0);
        assert.equal(p.x.fieldGetScalar(f(name), pkt, kind, 0), get);
        const row = emitRow(p, ds, pkt);
        assert.deepEqual(row[SCALARS.findIndex(([n]) => n === name)], value);
      });
    }

    it('Bool reads 1 only for the byte 1 (another non-zero byte reads 0)', async () => {
      const { p, pkt, f } = await packet();
      assert.equal(p.x.fieldSet(f('uint8'), pkt, K.Uint8, 2n), 0);
      assert.equal(p.x.fieldGetScalar(f('uint8'), pkt, K.Bool, 0), 0n, 'access kind Bool on a 1-byte field');
      assert.equal(p.x.fieldSet(f('uint8'), pkt, K.Uint8, 1n), 0);
      assert.equal(p.x.fieldGetScalar(f('uint8'), pkt, K.Bool, 0), 1n);
    });

    it('access kinds of the same size work across field kinds; other sizes fail', async () => {
      const { p, pkt, f } = await packet();
      assert.equal(p.x.fieldSet(f('uint32'), pkt, K.Int32, -1n), 0);
      assert.equal(p.x.fieldGetScalar(f('uint32'), pkt, K.Uint32, 0), 0xffffffffn);
      assert.equal(p.x.fieldGetScalar(f('uint32'), pkt, K.Int32, 0), -1n);
      assert.equal(p.x.fieldGetScalar(f('uint32'), pkt, K.Float32, 0), 0xffffffffn);
      p.mem.fill(0, ERR, ERR + 4);
      assert.equal(p.x.fieldGetScalar(f('uint32'), pkt, K.Uint64, ERR), 0n);
      assert.equal(new DataView(p.mem.buffer).getUint32(ERR, true), 1);
      assert.equal(p.x.fieldSet(f('uint32'), pkt, K.Uint16, 1n), 1);
      assert.equal(p.x.fieldSet(f('uint32'), pkt, K.Uint64, 1n), 1);
    });
  });

  describe('fieldGetScalar errors', () => {
    it('writes 1 at errPtr for bad field, bad data, and String/CString/Bytes/Invalid/unknown kinds; never writes 0', async () => {
      const { p, pkt, f, ds } = await packet();
      const dv = () => new DataView(p.mem.buffer);
      const bad: [number, number, number][] = [
        [0, pkt, K.Uint32], [9999, pkt, K.Uint32], [ds, pkt, K.Uint32], [f('uint32'), 0, K.Uint32], [f('uint32'), ds, K.Uint32],
        [f('uint32'), pkt, K.String], [f('uint32'), pkt, K.CString], [f('uint32'), pkt, K.Bytes], [f('uint32'), pkt, K.Invalid],
        [f('uint32'), pkt, 15], [f('uint32'), pkt, -1],
      ];
      for (const [fh, dh, kind] of bad) {
        dv().setUint32(ERR, 0, true);
        assert.equal(p.x.fieldGetScalar(fh, dh, kind, ERR), 0n);
        assert.equal(dv().getUint32(ERR, true), 1, `errPtr for (${fh}, ${dh}, ${kind})`);
      }
      dv().setUint32(ERR, 7, true);
      p.x.fieldGetScalar(f('uint32'), pkt, K.Uint32, ERR);
      assert.equal(dv().getUint32(ERR, true), 7, 'success leaves errPtr untouched');
      assert.equal(p.x.fieldGetScalar(0, pkt, K.Uint32, 0), 0n, 'errPtr 0: nothing written');
    });

    it('an out-of-bounds errPtr traps the calling guest function', async () => {
      const { p, pkt } = await packet();
      assert.throws(() => p.x.fieldGetScalar(0, pkt, K.Uint32, 0x7ffffff0), /errPtr 0x7ffffff0 is out of bounds/);
    });

    it('fields added after a packet was created are not in it', async () => {
      const { p, pkt, ds } = await packet();
      const late = p.x.dataSourceAddField(ds, p.str('late'), K.Uint32);
      assert.notEqual(late, 0);
      assert.equal(p.x.fieldSet(late, pkt, K.Uint32, 1n), 1);
      assert.equal(p.x.fieldGetScalar(late, pkt, K.Uint32, ERR), 0n);
      const pkt2 = p.x.dataSourceNewPacketSingle(ds);
      assert.equal(p.x.fieldSet(late, pkt2, K.Uint32, 1n), 0);
      const row = emitRow(p, ds, pkt);
      assert.equal(row.length, 15);
      assert.equal(row[14], 0, 'the older packet shows the zero value for the new field');
    });
  });

  describe('strings and bytes', () => {
    it('fieldSet String/Bytes copies out of guest memory (later guest writes do not change the field)', async () => {
      const { p, pkt, f, ds } = await packet();
      const sp = p.str('hello');
      const bp = p.str(new Uint8Array([1, 2, 3]));
      assert.equal(p.x.fieldSet(f('string'), pkt, K.String, sp), 0);
      assert.equal(p.x.fieldSet(f('bytes'), pkt, K.Bytes, bp), 0);
      p.str('HELLO', Number(sp & 0xffffffffn));
      p.str(new Uint8Array([9, 9, 9]), Number(bp & 0xffffffffn));
      const row = emitRow(p, ds, pkt);
      assert.equal(row[11], 'hello');
      assert.deepEqual(row[12], new Uint8Array([1, 2, 3]));
    });

    it('fieldSet String with bufPtr 0 stores ""; replaces the payload; CString, Invalid and bad pointers fail', async () => {
      const { p, pkt, f } = await packet();
      assert.equal(p.x.fieldSet(f('string'), pkt, K.String, p.str('long value')), 0);
      assert.equal(p.x.fieldSet(f('string'), pkt, K.String, 0n), 0);
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.String, p.buf(16)), 0);
      assert.equal(p.x.fieldSet(f('cstring'), pkt, K.CString, p.str('x')), 1);
      assert.equal(p.x.fieldSet(f('string'), pkt, K.Invalid, 0n), 1);
      assert.equal(p.x.fieldSet(f('string'), pkt, K.String, (4n << 32n) | 0x3fffffn), 1, 'past the end of memory');
    });

    it('fieldGetBuffer copies the full value, returns its length, -1 when the buffer is short or the kind wrong', async () => {
      const { p, pkt, f } = await packet();
      p.x.fieldSet(f('string'), pkt, K.String, p.str('abcdef'));
      const dst = p.buf(10);
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.String, dst), 6);
      assert.equal(p.text(dst, 7), 'abcdef\0', 'no terminator written, the rest stays zero');
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.Bytes, p.buf(6)), 6);
      const short = p.buf(5);
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.String, short), -1);
      assert.deepEqual(p.read(short), new Uint8Array(5), 'no partial copy');
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.CString, p.buf(10)), -1);
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.Uint32, p.buf(10)), -1);
      assert.equal(p.x.fieldGetBuffer(0, pkt, K.String, p.buf(10)), -1);
      assert.equal(p.x.fieldGetBuffer(f('string'), 0, K.String, p.buf(10)), -1);
      assert.equal(p.x.fieldGetBuffer(f('string'), pkt, K.String, (10n << 32n) | 0x3ffffcn), -1, 'out of bounds');
      p.x.fieldSet(f('uint16'), pkt, K.Uint16, 0x0201n);
      const sc = p.buf(8);
      assert.equal(p.x.fieldGetBuffer(f('uint16'), pkt, K.Bytes, sc), 2, 'scalars copy their bytes');
      assert.deepEqual(p.read(sc, 2), new Uint8Array([1, 2]));
    });

    it('a String field of exactly 4 bytes can be read as a Uint32 (size rule), a longer one cannot', async () => {
      const { p, pkt, f } = await packet();
      p.x.fieldSet(f('string'), pkt, K.String, p.str('\u0001\u0000\u0000\u0000'));
      assert.equal(p.x.fieldGetScalar(f('string'), pkt, K.Uint32, 0), 1n);
      p.x.fieldSet(f('string'), pkt, K.String, p.str('12345'));
      assert.equal(p.x.fieldGetScalar(f('string'), pkt, K.Uint32, ERR), 0n);
    });
  });

  describe('the seed fieldGet', () => {
    const SEED = {
      getDataSource: '(param i64) (result i32)', dataSourceGetField: '(param i32 i64) (result i32)',
      dataSourceNewPacketSingle: '(param i32) (result i32)', fieldGet: '(param i32 i32 i32) (result i64)',
      fieldSet: '(param i32 i32 i32 i64)', dataSourceEmitAndRelease: '(param i32 i32) (result i32)',
    };

    it('returns scalars, and strings/bytes in memory from the guest\'s malloc', async () => {
      const { p, pkt, f } = await packet({ module: 'env', sigs: SEED });
      assert.equal(p.x.fieldSet(f('int16'), pkt, K.Int16, -2n), undefined, 'seed fieldSet has no result');
      assert.equal(p.x.fieldGet(f('int16'), pkt, K.Int16), -2n);
      p.x.fieldSet(f('string'), pkt, K.String, p.str('from host'));
      const got: bigint = p.x.fieldGet(f('string'), pkt, K.String);
      assert.equal(Number(got >> 32n), 9);
      assert.ok(Number(got & 0xffffffffn) >= 0x10000, 'allocated by the guest\'s malloc (heap starts at 0x10000)');
      assert.equal(p.text(got), 'from host');
      const again: bigint = p.x.fieldGet(f('string'), pkt, K.String);
      assert.notEqual(again & 0xffffffffn, got & 0xffffffffn, 'a fresh allocation per call');
      p.x.fieldSet(f('bytes'), pkt, K.Bytes, p.str(new Uint8Array([7, 8])));
      assert.deepEqual(p.read(p.x.fieldGet(f('bytes'), pkt, K.Bytes)), new Uint8Array([7, 8]));
      assert.equal(p.x.fieldGet(f('cstring'), pkt, K.String), 0n, 'empty value: 0, no allocation');
      assert.equal(p.x.fieldGet(0, pkt, K.Uint32), 0n, 'errors return 0');
    });

    it('without a malloc export strings come back empty, with a warning', async () => {
      const { p, pkt, f } = await packet({ module: 'env', sigs: SEED, noMalloc: true });
      p.x.fieldSet(f('string'), pkt, K.String, p.str('x'));
      assert.equal(p.x.fieldGet(f('string'), pkt, K.String), 0n);
      assert.equal(p.x.fieldGet(f('string'), pkt, K.String), 0n);
      assert.deepEqual(p.g.messages('warn').filter((m) => m.includes('does not export malloc')).length, 1, 'warned once');
    });
  });

  describe('fieldAddTag', () => {
    it('appends tags (duplicates allowed) visible in dataSources(); bad handles and pointers fail', async () => {
      const { p, f } = await packet();
      assert.equal(p.x.fieldAddTag(f('uint32'), p.str('a')), 0);
      assert.equal(p.x.fieldAddTag(f('uint32'), p.str('a')), 0);
      assert.equal(p.x.fieldAddTag(0, p.str('a')), 1);
      assert.equal(p.x.fieldAddTag(f('uint32'), (1n << 32n) | 0x7ffffffn), 1);
      const info = p.g.inst.dataSources()[0];
      assert.deepEqual(info.fields.find((x) => x.name === 'uint32')?.tags, ['a', 'a']);
    });
  });
});
