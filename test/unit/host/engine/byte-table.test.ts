import * as assert from 'node:assert/strict';
import { ByteTable } from '../../../../src/host/engine/byte-table';

/** Keys of `size` bytes made from n, written at `off` of a buffer (unaligned offsets included). */
function keyAt(buf: Uint8Array, off: number, size: number, n: number): void {
  for (let i = 0; i < size; i++) buf[off + i] = (n >> ((i % 4) * 8)) & 0xff ^ i;
}

describe('host: the byte-keyed hash table of hash maps', () => {
  for (const [size, off] of [[12, 64], [12, 65], [5, 64], [16, 3]] as [number, number][]) {
    it(`finds, grows, deletes and re-inserts ${size}-byte keys at offset ${off}`, () => {
      const t = new ByteTable(size, 4);
      const buf = new Uint8Array(256);
      const w32 = new Int32Array(buf.buffer);
      for (let n = 0; n < 1000; n++) {
        keyAt(buf, off, size, n);
        assert.equal(t.find(buf, off, w32), -1);
        const slot = t.insert(buf, off);
        new DataView(t.values.buffer).setUint32(slot * 4, n, true);
      }
      assert.equal(t.count, 1000);
      for (let n = 0; n < 1000; n += 2) { keyAt(buf, off, size, n); t.remove(t.find(buf, off, w32)); }
      for (let n = 0; n < 1000; n++) {
        keyAt(buf, off, size, n);
        const slot = t.find(buf, off, w32);
        if (n % 2 === 0) assert.equal(slot, -1, `key ${n} was deleted`);
        else assert.equal(new DataView(t.values.buffer).getUint32(slot * 4, true), n);
      }
      keyAt(buf, off, size, 2);
      t.insert(buf, off);
      assert.equal(t.count, 501);
      assert.deepEqual(t.keyAt(t.slots().at(-1)!), buf.slice(off, off + size), 'slots come in stamp order');
    });
  }

  it('the oldest stamp is the least recently touched entry', () => {
    const t = new ByteTable(4, 4);
    const buf = new Uint8Array(16);
    const slots = [1, 2, 3].map((n) => { buf[0] = n; return t.insert(buf, 0); });
    t.touch(slots[0]);
    assert.equal(t.oldest(), slots[1]);
  });
});
