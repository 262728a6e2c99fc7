// Draws the marketplace icon media/icon.png (128×128 RGBA) with no image tools: shapes are rendered as
// signed-distance tests with 4×4 supersampling, and the PNG is encoded by hand (zlib + CRC-32).
// Run `node scripts/make-icon.mjs` after changing the drawing; the PNG is committed.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const SS = 4; // samples per axis per pixel
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'media', 'icon.png');

// Shapes, back to front: [inside(x, y) → boolean, [r, g, b]]. Coordinates in pixels, origin top left.
const roundedRect = (x0, y0, x1, y1, r) => (x, y) => {
  const dx = Math.max(x0 + r - x, 0, x - (x1 - r));
  const dy = Math.max(y0 + r - y, 0, y - (y1 - r));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= r * r;
};
const ring = (cx, cy, r0, r1) => (x, y) => { const d = Math.hypot(x - cx, y - cy); return d >= r0 && d <= r1; };
const disc = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) <= r;
// A thick segment from (ax, ay) to (bx, by) with round caps.
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const vx = bx - ax, vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy)) <= w / 2;
};

const NAVY = [19, 38, 66];
const TEAL = [38, 198, 190];
const WHITE = [240, 246, 252];
const AMBER = [255, 183, 77];
const shapes = [
  [roundedRect(4, 4, 124, 124, 22), NAVY],
  // The lens of a magnifier looking at rows of packets: three bars of a grid inside it.
  [disc(54, 54, 32), [28, 58, 96]],
  [roundedRect(34, 38, 74, 45, 3), WHITE],
  [roundedRect(34, 51, 66, 58, 3), TEAL],
  [roundedRect(34, 64, 70, 71, 3), WHITE],
  [ring(54, 54, 32, 41), TEAL],
  [segment(84, 84, 108, 108, 15), AMBER],
];

function colorAt(x, y) {
  for (let i = shapes.length - 1; i >= 0; i--) if (shapes[i][0](x, y)) return shapes[i][1];
  return null;
}

// RGBA scanlines, each prefixed with filter type 0.
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let py = 0; py < SIZE; py++) {
  const row = py * (SIZE * 4 + 1);
  raw[row] = 0;
  for (let px = 0; px < SIZE; px++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = colorAt(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS);
        if (c) { r += c[0]; g += c[1]; b += c[2]; a++; }
      }
    }
    const o = row + 1 + px * 4;
    // Colour averaged over covered samples (no dark fringes), coverage as alpha.
    if (a) { raw[o] = Math.round(r / a); raw[o + 1] = Math.round(g / a); raw[o + 2] = Math.round(b / a); }
    raw[o + 3] = Math.round((255 * a) / (SS * SS));
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0); ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; ihdr[9] = 6; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // 8-bit RGBA, no interlace

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes, ${SIZE}×${SIZE})`);
