import * as assert from 'node:assert/strict';
import { encodeColumn, RowBatcher, toWire } from '../../../../src/extension/grid/batcher';
import { PageChannel } from '../../../../src/extension/grid/channel';
import type { PacketBatch } from '../../../../src/host/api';
import { decodeColumn, rowsMessage, type RowsMessage, type ToPage } from '../../../../src/webview/protocol';
import type { Value } from '../../../../src/host/api';

const batch = (ds: string, from: number, n: number, fields = ['a', 'b']): PacketBatch => ({
  datasource: ds, fields,
  rows: Array.from({ length: n }, (_, i) => [BigInt(from + i), `v${from + i}`]),
  packet: Array.from({ length: n }, (_, i) => from + i + 1),
});

describe('grid RowBatcher (extension side)', () => {
  it('makes values serializable: safe bigints as numbers, big ones as exact text, bytes as hex', () => {
    assert.equal(toWire(42n), 42);
    assert.equal(toWire(2n ** 64n - 1n), '18446744073709551615');
    assert.equal(toWire(-(2n ** 63n)), '-9223372036854775808');
    assert.equal(toWire(new Uint8Array([0, 15, 255])), '000fff');
    assert.equal(toWire(1.5), 1.5);
    assert.equal(toWire(undefined), null);
    // What crosses postMessage survives JSON (VS Code serializes webview messages).
    const out: RowsMessage[] = [];
    const b = new RowBatcher((m) => out.push(m));
    b.push({ datasource: 'd', fields: ['x', 'y'], rows: [[2n ** 63n, new Uint8Array([1])]], packet: [1] });
    b.flush();
    assert.deepEqual(JSON.parse(JSON.stringify(out[0])), { type: 'rows', ds: 'd', fields: ['x', 'y'], count: 1, columns: [['9223372036854775808'], ['01']], packet: [1] });
  });

  it('merges batches of a data source into one message, sent on the timer', async () => {
    const out: RowsMessage[] = [];
    const b = new RowBatcher((m) => out.push(m), { flushMs: 20 });
    b.push(batch('a', 0, 2));
    b.push(batch('a', 2, 3));
    b.push(batch('b', 0, 1));
    assert.equal(out.length, 0);
    assert.equal(b.pendingRows, 6);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(out.map((m) => [m.ds, m.count, m.packet]), [['a', 5, { first: 1 }], ['b', 1, [1]]], 'consecutive packet numbers as a run');
    assert.deepEqual(out[0]!.columns, [[0, 1, 2, 3, 4], ['v0', 'v1', 'v2', 'v3', 'v4']], 'column by column, bigints as numbers');
    assert.equal(b.rowsIn, 6);
    b.dispose();
  });

  it('sends a full message at once and splits big batches', () => {
    const out: RowsMessage[] = [];
    const b = new RowBatcher((m) => out.push(m), { flushMs: 10_000, maxRowsPerMessage: 4 });
    b.push(batch('a', 0, 10));
    assert.deepEqual(out.map((m) => m.packet), [{ first: 1 }, { first: 5 }]);
    b.flush();
    assert.deepEqual(out.map((m) => m.count), [4, 4, 2]);
    assert.equal(b.rowsIn, 10);
    b.dispose();
  });

  it('starts a new message when the field list changes, and keeps element indexes', () => {
    const out: RowsMessage[] = [];
    const b = new RowBatcher((m) => out.push(m), { flushMs: 10_000 });
    b.push(batch('a', 0, 1));
    b.push({ ...batch('a', 1, 1, ['a', 'b', 'c']), rows: [[1n, 'x', true]] });
    b.push({ datasource: 'arr', fields: ['n'], rows: [[1], [2]], packet: [9, 9], element: [0, 1] });
    b.flush();
    assert.deepEqual(out.map((m) => m.fields), [['a', 'b'], ['a', 'b', 'c'], ['n']]);
    assert.deepEqual(out[2]!.element, [0, 1]);
    assert.deepEqual(out[2]!.packet, [9, 9], 'elements of one array packet share its number');
    b.dispose();
  });
});

describe('grid column encoding (extension side)', () => {
  const roundTrip = (raw: Value[]) => decodeColumn(JSON.parse(JSON.stringify(encodeColumn(raw))), raw.length);

  it('sends repeated strings as a dictionary and unique ones as they are', () => {
    const comms = Array.from({ length: 100 }, (_, i) => ['bash', 'cat', 'sleep'][i % 3]!);
    const enc = encodeColumn(comms);
    assert.deepEqual(enc, { dict: ['bash', 'cat', 'sleep'], idx: comms.map((_, i) => i % 3) });
    const unique = Array.from({ length: 100 }, (_, i) => `/proc/${i}`);
    assert.ok(Array.isArray(encodeColumn(unique)), 'a dictionary of unique strings would only add');
    assert.deepEqual(roundTrip(comms), comms);
    assert.deepEqual(roundTrip(['a', null as unknown as Value, 'a', 'a']), ['a', null, 'a', 'a'], 'mixed columns stay plain');
  });

  it('sends nanosecond timestamps as base + offsets, exactly, and safe 64-bit values as numbers', () => {
    const ts = Array.from({ length: 50 }, (_, i) => 1_700_000_000_123_456_789n + BigInt(i * 1_000_003));
    const enc = encodeColumn(ts);
    assert.deepEqual(enc, { base: '1700000000123456789', delta: ts.map((_, i) => i * 1_000_003) });
    assert.deepEqual(roundTrip(ts), ts.map((v) => v.toString()));
    assert.deepEqual(encodeColumn([1n, 4026531840n, 2n ** 53n - 1n]), [1, 4026531840, 2 ** 53 - 1]);
    // Too far apart for offsets that are exact doubles: exact text per value.
    const far = [0n, 2n ** 64n - 1n, 2n ** 63n];
    assert.deepEqual(encodeColumn(far), [0, '18446744073709551615', '9223372036854775808']);
    const mixed: Value[] = [2n ** 60n, null as unknown as Value, 2n ** 60n + 1n];
    assert.deepEqual(roundTrip(mixed), ['1152921504606846976', null, '1152921504606846977']);
  });

  it('decodes to what toWire gives for every value (random columns)', () => {
    let seed = 7;
    const rnd = () => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed; };
    for (let t = 0; t < 200; t++) {
      const n = 1 + (rnd() % 40);
      const kind = rnd() % 4;
      const base = BigInt(rnd()) << BigInt(rnd() % 40);
      const raw: Value[] = Array.from({ length: n }, () => kind === 0 ? `s${rnd() % 5}` : kind === 1 ? base + BigInt(rnd() % 1000) - 500n : kind === 2 ? -base - BigInt(rnd() % 3) : rnd() % 100);
      assert.deepEqual(roundTrip(raw), raw.map(toWire), `column ${t}: ${raw.map(String).join(',')}`);
    }
  });
});

describe('grid PageChannel (extension side)', () => {
  it('holds messages until the page is ready, then delivers them in order', async () => {
    const sent: ToPage[] = [];
    const c = new PageChannel((m) => { sent.push(m); return true; }, 100);
    c.post({ type: 'init', title: 't', maxRows: 100 });
    c.post({ type: 'runEnded', ok: true, packets: 0 });
    assert.equal(sent.length, 0);
    c.onReady();
    await c.ready;
    assert.deepEqual(sent.map((m) => m.type), ['init', 'runEnded']);
  });

  it('drops the oldest rows beyond the ring size before ready and reports them as lost', () => {
    const sent: ToPage[] = [];
    const c = new PageChannel((m) => { sent.push(m); return true; }, 5);
    const rows = (n: number): ToPage => rowsMessage('d', ['a'], Array.from({ length: n }, () => [1]), Array.from({ length: n }, () => 1));
    c.post(rows(3));
    c.post(rows(3));
    c.post(rows(2));
    c.onReady();
    assert.deepEqual(sent.map((m) => (m.type === 'rows' ? `rows ${m.count}` : m.type === 'lost' ? `lost ${m.rows}` : m.type)), ['lost 3', 'rows 3', 'rows 2']);
  });

  it('matches replies to requests by id, and rejects errors and timeouts', async () => {
    const sent: ToPage[] = [];
    const c = new PageChannel((m) => { sent.push(m); return true; }, 5);
    c.onReady();
    const p = c.request('stats', {});
    const req = sent[0] as Extract<ToPage, { type: 'request' }>;
    c.onResponse({ type: 'response', id: req.id, result: [{ datasource: 'd', received: 1, shown: 1, dropped: 0 }] });
    assert.deepEqual(await p, [{ datasource: 'd', received: 1, shown: 1, dropped: 0 }]);
    const q = c.request('stats', {});
    c.onResponse({ type: 'response', id: (sent[1] as { id: number }).id, error: 'boom' });
    await assert.rejects(q, /boom/);
    await assert.rejects(c.request('stats', {}, 20), /did not answer "stats" within 20 ms/);
  });
});
