// A field handle used on a packet of another data source (issue 11 §1): IG's accessors belong to one data
// source, so every field access refuses it with the function's error value and the guest goes on. Before
// the check, reads threw RangeError/TypeError out of the host and writes overwrote the other packet's bytes.
import * as assert from 'node:assert/strict';
import { DataSourceDecl, Value } from '../../../../src/host/api';
import { loadProxy, ProxyGuest } from '../guest';

const K = { Uint32: 8, Uint64: 9, String: 12, Bytes: 14 };
const ERR = 0x3000;
// `a` has a wide layout (a string first, then a uint64); `b` a single small uint32: offsets of a's fields
// fall outside b's storage, and a's string is a dynamic field b does not have.
const DS: DataSourceDecl[] = [
  { name: 'a', type: 'single', fields: [{ name: 's', kind: 'string' }, { name: 'x', kind: 'uint32' }, { name: 'big', kind: 'uint64' }] },
  { name: 'b', type: 'single', fields: [{ name: 'u', kind: 'uint32' }] },
  { name: 'arr', type: 'array', fields: [{ name: 'v', kind: 'uint32' }] },
];

interface Setup { p: ProxyGuest; a: number; b: number; fa: (n: string) => number; fu: number; pb: number }

async function setup(): Promise<Setup> {
  const p = await loadProxy({}, { dataSources: DS });
  const a = p.x.getDataSource(p.str('a'));
  const b = p.x.getDataSource(p.str('b'));
  const fa = (n: string): number => p.x.dataSourceGetField(a, p.str(n));
  const fu = p.x.dataSourceGetField(b, p.str('u'));
  const pb = p.x.dataSourceNewPacketSingle(b);
  assert.equal(p.x.fieldSet(fu, pb, K.Uint32, 42n), 0);
  return { p, a, b, fa, fu, pb };
}

function emitted(p: ProxyGuest, ds: number, pkt: number, name: string): Value[] {
  const rows: Value[][] = [];
  p.g.inst.subscribe(name, 0, (_i, r) => rows.push(...r.map((x) => [...x])));
  assert.equal(p.x.dataSourceEmitAndRelease(ds, pkt), 0);
  return rows[0];
}

const errAt = (p: ProxyGuest): number => new DataView(p.mem.buffer).getUint32(ERR, true);

describe('host: a field of one data source on a packet of another', () => {
  for (const [field, kind] of [['big', K.Uint64], ['x', K.Uint32], ['s', K.Uint32]] as const) {
    it(`fieldGetScalar of a's "${field}" on b's packet sets *errPtr = 1, returns 0, and logs why`, async () => {
      const { p, fa, pb } = await setup();
      new DataView(p.mem.buffer).setUint32(ERR, 0, true);
      assert.equal(p.x.fieldGetScalar(fa(field), pb, kind, ERR), 0n);
      assert.equal(errAt(p), 1);
      assert.ok(p.g.messages('warn').some((m) => m.includes(`field "${field}" belongs to data source "a", not to "b"`)), p.g.messages().join('\n'));
    });
  }

  it('fieldSet of a\'s fields into b\'s packet returns 1 and leaves b\'s values alone', async () => {
    const { p, b, fa, pb } = await setup();
    assert.equal(p.x.fieldSet(fa('x'), pb, K.Uint32, 7n), 1);
    assert.equal(p.x.fieldSet(fa('big'), pb, K.Uint64, 7n), 1);
    assert.equal(p.x.fieldSet(fa('s'), pb, K.String, p.str('zz')), 1);
    assert.deepEqual(emitted(p, b, pb, 'b'), [42]);
  });

  it('fieldGetBuffer of a\'s string on b\'s packet returns -1', async () => {
    const { p, fa, pb } = await setup();
    assert.equal(p.x.fieldGetBuffer(fa('s'), pb, K.String, p.buf(16)), -1);
  });

  it('the guest goes on: the same handles work on their own data source\'s packet', async () => {
    const { p, a, fa, pb, fu } = await setup();
    assert.equal(p.x.fieldGetScalar(fa('big'), pb, K.Uint64, ERR), 0n);
    const pa = p.x.dataSourceNewPacketSingle(a);
    assert.equal(p.x.fieldSet(fa('big'), pa, K.Uint64, 7n), 0);
    assert.equal(p.x.fieldGetScalar(fa('big'), pa, K.Uint64, 0), 7n);
    assert.equal(p.x.fieldGetScalar(fu, pb, K.Uint32, 0), 42n);
  });

  it('array elements are checked too: a field of `b` on an element of `arr` (plain and flagged handles)', async () => {
    const { p, fu } = await setup();
    const arrDs = p.x.getDataSource(p.str('arr'));
    const arr = p.x.dataSourceNewPacketArray(arrDs);
    const el = p.x.dataArrayNew(arr);
    assert.equal(p.x.fieldSet(fu, el, K.Uint32, 9n), 1);
    assert.equal(p.x.dataArrayAppend(arr, el), 0);
    const flagged = p.x.dataArrayGet(arr, 0);
    assert.equal(p.x.fieldSet(fu, flagged, K.Uint32, 9n), 1);
    new DataView(p.mem.buffer).setUint32(ERR, 0, true);
    p.x.fieldGetScalar(fu, flagged, K.Uint32, ERR);
    assert.equal(errAt(p), 1);
  });
});
