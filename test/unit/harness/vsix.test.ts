// The VSIX reader the E2E package checks rely on, against zips written here byte by byte (stored and
// deflated entries), and the committed marketplace icon.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { deflateRawSync, inflateSync } from 'node:zlib';
import { Vsix } from '../../support/vsix';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');

/** A minimal zip: local headers + data, central directory, end record (CRCs are not checked by the reader). */
function zip(entries: { name: string; data: Buffer; deflate?: boolean }[], comment = ''): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, cd, end, Buffer.from(comment)]);
}

describe('harness: VSIX reader', () => {
  const manifest = Buffer.from(JSON.stringify({ name: 'x', publisher: 'p' }));
  const big = Buffer.from('dist/extension.js '.repeat(500));

  it('lists entries and reads stored and deflated ones', () => {
    const v = new Vsix(zip([{ name: 'extension/package.json', data: manifest }, { name: 'extension/dist/extension.js', data: big, deflate: true }], 'a comment'));
    assert.deepEqual(v.names(), ['extension/package.json', 'extension/dist/extension.js']);
    assert.deepEqual(v.read('extension/package.json'), manifest);
    assert.deepEqual(v.read('extension/dist/extension.js'), big);
    assert.equal(v.entries[1]!.size, big.length);
    assert.ok(v.entries[1]!.compressedSize < big.length);
  });

  it('says what is wrong with a file that is not a zip', () => {
    assert.throws(() => new Vsix(Buffer.from('not a zip at all, just text that is long enough'), 'x.vsix'), /x\.vsix: not a zip file/);
    assert.throws(() => new Vsix(Buffer.alloc(0), 'empty.vsix'), /empty\.vsix: not a zip file/);
  });

  it('reports a corrupt central directory and a missing entry by name', () => {
    const good = zip([{ name: 'a.txt', data: Buffer.from('a') }]);
    const bad = Buffer.from(good);
    bad.writeUInt32LE(0xdeadbeef, 30 + 5 + 1); // the central record right after the only local entry
    assert.throws(() => new Vsix(bad, 'bad.vsix'), /bad\.vsix: corrupt central directory/);
    assert.throws(() => new Vsix(good, 'g.vsix').read('b.txt'), /g\.vsix: no entry b\.txt/);
  });
});

describe('harness: marketplace icon', () => {
  it('media/icon.png is a valid 128×128 RGBA PNG', () => {
    const png = fs.readFileSync(path.join(repoRoot, 'media', 'icon.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(png.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]], [128, 128, 8, 6]);
    // The image data inflates to 128 rows of (filter byte + 128 RGBA pixels).
    const idat = png.indexOf('IDAT');
    const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
    assert.equal(raw.length, 128 * (1 + 128 * 4));
  });
});
