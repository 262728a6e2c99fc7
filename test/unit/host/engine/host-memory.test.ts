// The host memory and the wasm side of fieldGetScalar/fieldSet (abi/fields-wasm.ts): the calls the shim
// answers inside wasm must give exactly what the JS functions give, and every other call must reach JS.
// Differential: each call goes once through the real shim (inline code + the split JS function, counted)
// and once to the table's BigInt implementation alone, over every access kind, field kind, handle kind.
import * as assert from 'node:assert/strict';
import { Kind } from '../../../../src/host/api';
import { IG_FUNCTIONS, implement, signatureOf, type HostFunctionDef } from '../../../../src/host/abi/table';
import { HostContext } from '../../../../src/host/engine/context';
import { HType } from '../../../../src/host/engine/handles';
import { instantiateShims } from '../../../../src/host/engine/i64-shim';
import { DataSource, Rec } from '../../../../src/host/engine/model';

const def = (name: string, results: string[]): HostFunctionDef => IG_FUNCTIONS.find((d) => d.name === name && d.results.join() === results.join())!;
const SCALARS = [Kind.Bool, Kind.Int8, Kind.Int16, Kind.Int32, Kind.Int64, Kind.Uint8, Kind.Uint16, Kind.Uint32, Kind.Uint64, Kind.Float32, Kind.Float64];
const ACCESS_KINDS = [-1, 0, ...SCALARS, Kind.String, Kind.CString, Kind.Bytes, 15, 16, 0x10008];
const SIZE = [0, 1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8];
/** Whether fields.ts accepts the access: fixed storage of the access kind's size (IG's rule). */
const valid = (f: { offset: number; size: number }, kind: number) => f.offset >= 0 && f.size === SIZE[kind];

type Fn = (...a: unknown[]) => unknown;

interface Setup {
  ctx: HostContext;
  /** Through the shim, and how often it called into JS. */
  shim: { get: Fn; set: Fn; setSeed: Fn };
  calls: { n: number };
  /** The table's own implementations (BigInt convention, no shim): the reference. */
  ref: { get: Fn; set: Fn };
  ds: DataSource;
}

function setup(): Setup {
  const ctx = new HostContext(() => undefined, 'debug', {}, {}, () => undefined);
  const calls = { n: 0 };
  const defs = [def('fieldGetScalar', ['i64']), def('fieldSet', ['i32']), def('fieldSet', [])];
  const fns = instantiateShims(ctx.hostMem, defs.map((d) => {
    const split = implement(d, ctx, true) as (...a: number[]) => number;
    const type = signatureOf(d);
    return { type, fn: (...a: number[]) => { calls.n++; return split(...a); }, inline: d.inline!(type) };
  }));
  const ds = new DataSource('e', 'single', 'host', ctx.hostMem);
  for (const k of SCALARS) ds.addField(`k${k}`, k, 'host');
  ds.addField('s', Kind.String, 'host');
  return {
    ctx, calls, ds,
    shim: { get: fns[0], set: fns[1], setSeed: fns[2] },
    ref: { get: implement(defs[0], ctx, false) as Fn, set: implement(defs[1], ctx, false) as Fn },
  };
}

function fill(rec: Rec, seed: number): void {
  for (let i = 0; i < rec.fixed.length; i++) rec.fixed[i] = (seed * 31 + i * 77 + (i % 3 === 0 ? 0x80 : 0)) & 0xff;
  rec.fixed[0] = 1; // the Bool field: a 1 byte reads 1
}

describe('host: the host memory and fieldGetScalar/fieldSet served in wasm', () => {
  it('records keep their fixed bytes in the host memory; the shim answers valid reads without JS, as JS would', () => {
    const s = setup();
    const rec = s.ds.newRec(HType.PacketSingle);
    assert.ok(rec.block > 0, 'the record is in the arena');
    fill(rec, 1);
    const dataH = s.ctx.handles.add(rec);
    for (const f of s.ds.fields) {
      const fieldH = s.ctx.handles.add(f);
      for (const kind of ACCESS_KINDS) {
        const before = s.calls.n;
        const got = s.shim.get(fieldH, dataH, kind, 0);
        const inWasm = s.calls.n === before;
        assert.equal(got, s.ref.get(fieldH, dataH, kind, 0), `field ${f.name}, kind ${kind}`);
        // Exactly the valid scalar accesses stay in wasm.
        assert.equal(inWasm, valid(f, kind), `field ${f.name}, kind ${kind}: in wasm ${inWasm}`);
      }
    }
  });

  it('writes through the shim change the same bytes as JS writes, for every kind and value shape', () => {
    const s = setup();
    const [a, b] = [s.ds.newRec(HType.PacketSingle), s.ds.newRec(HType.PacketSingle)];
    const [ha, hb] = [s.ctx.handles.add(a), s.ctx.handles.add(b)];
    const values = [0n, 1n, 2n, -1n, 0x1ffn, 0x12345678n, -(2n ** 63n), 2n ** 32n, 0x3fc00000n];
    let wasmWrites = 0, validWrites = 0;
    for (const f of s.ds.fields) {
      const fieldH = s.ctx.handles.add(f);
      for (const kind of ACCESS_KINDS) {
        for (const v of values) {
          fill(a, 3); fill(b, 3);
          const before = s.calls.n;
          const r = s.shim.set(fieldH, ha, kind, v);
          if (s.calls.n === before) wasmWrites++;
          if (valid(f, kind)) validWrites++;
          assert.equal(r, s.ref.set(fieldH, hb, kind, v), `field ${f.name}, kind ${kind}, value ${v}`);
          assert.deepEqual(a.fixed, b.fixed, `field ${f.name}, kind ${kind}, value ${v}`);
          assert.deepEqual(a.dyn, b.dyn);
          fill(a, 3);
          assert.equal(s.shim.setSeed(fieldH, ha, kind, v), undefined);
          assert.deepEqual(a.fixed, b.fixed, `seed variant: field ${f.name}, kind ${kind}, value ${v}`);
        }
      }
    }
    assert.equal(wasmWrites, validWrites, 'exactly the valid writes stay in wasm');
    assert.equal(validWrites, 31 * values.length); // 1-byte fields × 3 kinds … 8-byte × 3 (sizes rule, not kinds)
  });

  it('everything else reaches the JS function: foreign, newer and released handles, flagged elements, own buffers', () => {
    const s = setup();
    const f = s.ds.fields[7]; // uint32
    const rec = s.ds.newRec(HType.PacketSingle);
    fill(rec, 5);
    const fieldH = s.ctx.handles.add(f), dataH = s.ctx.handles.add(rec);
    const valid = s.ref.get(fieldH, dataH, Kind.Uint32, 0);
    const other = new DataSource('o', 'single', 'host', s.ctx.hostMem);
    other.addField('k8', Kind.Uint32, 'host');
    const foreign = s.ctx.handles.add(other.newRec(HType.PacketSingle));
    const ownBuffer = new DataSource('e', 'single', 'host');
    for (const k of SCALARS) ownBuffer.addField(`k${k}`, k, 'host');
    const plain = ownBuffer.newRec(HType.PacketSingle);
    assert.equal(plain.block, 0);
    const plainH = s.ctx.handles.add(plain);
    const late = s.ds.newRec(HType.PacketSingle); // created before the field below
    const lateH = s.ctx.handles.add(late);
    const newer = s.ctx.handles.add(s.ds.addField('newer', Kind.Uint32, 'host')!);
    const released = s.ctx.handles.add(s.ds.newRec(HType.PacketSingle));
    s.ctx.handles.delete(released);
    const cases: [string, number, number][] = [
      ['a field of another data source', fieldH, foreign], ['a record outside the host memory', fieldH, plainH],
      ['a field newer than the record', newer, lateH], ['a released record', fieldH, released],
      ['a flagged element handle', fieldH, 0x80000000 | dataH], ['handle 0', 0, dataH], ['a handle past the table', fieldH, 4097],
      ['the data handle as field', dataH, dataH], ['the field handle as data', fieldH, fieldH],
    ];
    for (const [what, fh, dh] of cases) {
      const before = s.calls.n;
      assert.equal(s.shim.get(fh, dh, Kind.Uint32, 0), s.ref.get(fh, dh, Kind.Uint32, 0), what);
      assert.equal(s.shim.set(fh, dh, Kind.Uint32, 7n), s.ref.set(fh, dh, Kind.Uint32, 7n), what);
      assert.equal(s.calls.n, before + 2, `${what}: served by JS`);
    }
    // Handles dropped all at once (after gadgetStop) are gone for the wasm side too.
    assert.equal(s.shim.get(fieldH, dataH, Kind.Uint32, 0), valid);
    s.ctx.handles.clear();
    const before = s.calls.n;
    assert.equal(s.shim.get(fieldH, dataH, Kind.Uint32, 0), 0n);
    assert.equal(s.calls.n, before + 1);
  });

  it('a block given back is reused, zeroed, for the next record of its size', () => {
    const s = setup();
    const a = s.ds.newRec(HType.PacketSingle);
    a.fixed.fill(0xab);
    const size = (8 + s.ds.fixedSize + 7) & ~7;
    s.ctx.hostMem.release(a.block, size); // as when `a` is collected
    const b = s.ds.newRec(HType.PacketSingle);
    assert.equal(b.block, a.block);
    assert.ok(b.fixed.every((x) => x === 0), 'no bytes of the old record');
    const fh = s.ctx.handles.add(s.ds.fields[7]), bh = s.ctx.handles.add(b);
    const before = s.calls.n;
    assert.equal(s.shim.get(fh, bh, Kind.Uint32, 0), 0n);
    assert.equal(s.calls.n, before, 'its header is the new record\'s');
  });

  it('a full arena gives records their own buffers; they work the same, through JS', () => {
    const s = setup();
    const big = new DataSource('big', 'single', 'host', s.ctx.hostMem);
    for (let i = 0; i < 1024; i++) big.addField(`f${i}`, Kind.Uint64, 'host');
    const recs: Rec[] = [];
    while (recs.length < 1000 && (recs.length === 0 || recs[recs.length - 1].block > 0)) recs.push(big.newRec(HType.PacketSingle));
    const last = recs[recs.length - 1];
    assert.equal(last.block, 0, 'the arena filled up');
    assert.ok(recs.length > 100, `${recs.length} records of 8 KiB fitted`);
    const fh = s.ctx.handles.add(big.fields[1023]);
    for (const r of [recs[0], last]) {
      const h = s.ctx.handles.add(r);
      const before = s.calls.n;
      assert.equal(s.shim.set(fh, h, Kind.Int64, -5n), 0);
      assert.equal(s.shim.get(fh, h, Kind.Int64, 0), -5n);
      assert.equal(r.dv.getBigInt64(1023 * 8, true), -5n);
      assert.equal(s.calls.n - before, r === last ? 2 : 0);
    }
  });
});
