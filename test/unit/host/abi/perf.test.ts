import * as assert from 'node:assert/strict';
import type { MapDecl } from '../../../../src/host/api';
import { recordFootprint } from '../../../../src/host/engine/perf';
import { ProxyGuest } from '../guest';
import { kernelProxy, u32s } from './kernel-support';

/** IG's perf test record: struct { u32 a; u32 b; u8 c; u8 unused[247]; } = {42, 42, 43}. */
const EVENT = new Uint8Array(256);
EVENT.set([42, 0, 0, 0, 42, 0, 0, 0, 43]);

const events = (records: Uint8Array[]): MapDecl => ({ name: 'events', type: 4, keySize: 4, valueSize: 4, maxEntries: 0, records });

async function withRecords(records: Uint8Array[], sigs: Record<string, string> = {}): Promise<{ p: ProxyGuest; m: number }> {
  const p = await kernelProxy({ kernel: { maps: [events(records), { name: 'h', type: 1, keySize: 4, valueSize: 4, maxEntries: 1 }] } }, sigs);
  p.g.inst.callPhase('gadgetStart');
  return { p, m: p.x.getMap(p.str('events')) };
}

describe('host: perf readers', () => {
  it('runs IG\'s perf test: an overwritable reader must be paused to read, then gives the record', async () => {
    const { p, m } = await withRecords(Array.from({ length: 10 }, () => EVENT));
    const r = p.x.newPerfReader(m, 4096, 1);
    assert.ok(r > 0);
    const dst = p.buf(4096);
    assert.equal(p.x.perfReaderRead(r, dst), 1);
    assert.match(p.g.messages('warn').at(-1)!, /must have been paused before reading overwritable buffer/);
    assert.equal(p.x.perfReaderPause(r), 0);
    assert.equal(p.x.perfReaderRead(r, dst), 0);
    assert.deepEqual(p.read(dst, 256), EVENT);
    assert.equal(p.x.perfReaderResume(r), 0);
    assert.equal(p.x.perfReaderClose(r), 0);
    assert.equal(p.x.perfReaderClose(r), 1, 'closed readers are gone');
  });

  it('an overwritable ring keeps the newest records that fit and reads them newest first, then answers 2', async () => {
    // 4096-byte ring; a 2000-byte record takes 2016 bytes: two fit.
    const recs = [1, 2, 3].map((n) => new Uint8Array(2000).fill(n));
    assert.equal(recordFootprint(2000), 2016);
    const { p, m } = await withRecords(recs);
    const r = p.x.newPerfReader(m, 100, 1);
    p.x.perfReaderPause(r);
    const dst = p.buf(2000);
    const firsts: number[] = [];
    for (let i = 0; i < 2; i++) { assert.equal(p.x.perfReaderRead(r, dst), 0); firsts.push(p.read(dst)[0]); }
    assert.deepEqual(firsts, [3, 2]);
    assert.equal(p.x.perfReaderRead(r, dst), 2, 'deadline exceeded: the ring is exhausted');
  });

  it('a normal ring reads oldest first, reports what did not fit as lost (0 bytes), and answers 2 when empty', async () => {
    const recs = [1, 2, 3].map((n) => new Uint8Array(2000).fill(n));
    const { p, m } = await withRecords(recs);
    const r = p.x.newPerfReader(m, 4096, 0);
    const dst = p.buf(2000);
    const got: number[] = [];
    for (let i = 0; i < 3; i++) {
      p.mem.fill(0xee, Number(dst & 0xffffffffn), Number(dst & 0xffffffffn) + 2000);
      assert.equal(p.x.perfReaderRead(r, dst), 0);
      got.push(p.read(dst)[0]);
    }
    assert.deepEqual(got, [1, 2, 0xee], 'the third read is the lost-samples record: nothing copied');
    assert.equal(p.x.perfReaderRead(r, dst), 2);
    assert.match(p.g.messages('warn').join('\n'), /IG's host would wait for the next record/);
  });

  it('fails a read into a buffer smaller than the record, and on bad handles', async () => {
    const { p, m } = await withRecords([EVENT]);
    const r = p.x.newPerfReader(m, 4096, 0);
    assert.equal(p.x.perfReaderRead(r, p.buf(100)), 1);
    assert.match(p.g.messages('warn').at(-1)!, /too small for the 256-byte record/);
    for (const fn of ['perfReaderPause', 'perfReaderResume', 'perfReaderClose']) assert.equal(p.x[fn](999), 1, fn);
    assert.equal(p.x.perfReaderRead(m, p.buf(300)), 1, 'a map is not a reader');
    assert.match(p.g.messages('warn').at(-1)!, new RegExp(`bad handle type for ${m}`));
  });

  it('newPerfReader: 0 for a map that is not a perf event array or a zero size, 1 for a bad handle (as IG)', async () => {
    const { p, m } = await withRecords([]);
    assert.equal(p.x.newPerfReader(p.x.getMap(p.str('h')), 4096, 0), 0);
    assert.match(p.g.messages('warn').at(-1)!, /map "h" is not a PerfEventArray/);
    assert.equal(p.x.newPerfReader(m, 0, 0), 0);
    assert.equal(p.x.newPerfReader(999, 4096, 0), 1);
  });

  it('records reach the first reader opened on the array', async () => {
    const { p, m } = await withRecords([u32s(1)]);
    const a = p.x.newPerfReader(m, 4096, 0);
    const b = p.x.newPerfReader(m, 4096, 0);
    assert.equal(p.x.perfReaderRead(b, p.buf(4)), 2);
    assert.equal(p.x.perfReaderRead(a, p.buf(4)), 0);
  });

  it('the older revision: read stores the bufPtr of a malloc\'d copy at an address; perfReaderSetDeadline', async () => {
    const { p, m } = await withRecords([EVENT], {
      perfReaderRead: '(param i32 i32) (result i32)', perfReaderSetDeadline: '(param i32 i64) (result i32)',
    });
    const r = p.x.newPerfReader(m, 4096, 0);
    assert.equal(p.x.perfReaderSetDeadline(r, 0n), 0);
    assert.equal(p.x.perfReaderSetDeadline(999, 0n), 1);
    const at = Number(p.buf(8) & 0xffffffffn);
    assert.equal(p.x.perfReaderRead(r, at), 0);
    const bp = new DataView(p.mem.buffer).getBigUint64(at, true);
    assert.equal(bp >> 32n, 256n);
    assert.deepEqual(p.read(bp), EVENT);
    assert.equal(p.x.perfReaderRead(r, at), 2);
    assert.equal(p.x.perfReaderRead(999, at), 1);
  });
});
