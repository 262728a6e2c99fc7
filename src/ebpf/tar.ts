// A minimal reader for POSIX/GNU tar archives (what `ig image export` writes): regular files by path,
// with PAX `path` and GNU long-name records honoured. Entries are views into the archive's bytes.
import { cstr } from './elf';
import { EbpfError } from './errors';

export interface TarEntry { path: string; data: Uint8Array }

/** ustar magic at offset 257 ("ustar\0" or GNU "ustar  "). */
export function isTar(bytes: Uint8Array): boolean {
  return bytes.length >= 512 && bytes[257] === 0x75 && bytes[258] === 0x73 && bytes[259] === 0x74 && bytes[260] === 0x61 && bytes[261] === 0x72;
}

function octal(b: Uint8Array, off: number, len: number): number {
  // GNU base-256 for large sizes: high bit set on the first byte.
  if (b[off] & 0x80) {
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + b[off + i];
    return v;
  }
  const s = cstr(b, off).slice(0, len).trim();
  return s ? parseInt(s, 8) : 0;
}

function paxPath(data: Uint8Array): string | undefined {
  // Records: "<len> key=value\n"
  const text = new TextDecoder().decode(data);
  let i = 0;
  let path: string | undefined;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = parseInt(text.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (rec.slice(0, eq) === 'path') path = rec.slice(eq + 1);
    i += len;
  }
  return path;
}

export function readTar(bytes: Uint8Array): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= bytes.length) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = octal(h, 148, 8);
    if (stored !== sum) throw new EbpfError('tar', `bad header checksum at byte ${off} (not a tar archive, or corrupt)`);
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156] || 0x30);
    const start = off + 512;
    if (start + size > bytes.length) throw new EbpfError('tar', `entry at byte ${off} (${size} bytes) runs past the end of the archive`);
    const data = bytes.subarray(start, start + size);
    const prefix = cstr(h, 345).slice(0, 155);
    let name = cstr(h, 0).slice(0, 100);
    if (prefix) name = `${prefix}/${name}`;
    off = start + Math.ceil(size / 512) * 512;
    if (type === 'L') { longName = cstr(data, 0); continue; }
    if (type === 'x') { longName = paxPath(data) ?? longName; continue; }
    if (type === 'g') continue;
    if (longName !== undefined) { name = longName; longName = undefined; }
    if (type === '0' || type === '\0' || type === '7') out.push({ path: name.replace(/^\.\//, ''), data });
  }
  return out;
}
