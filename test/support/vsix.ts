// Reads a VSIX (a zip file) without dependencies: the central directory lists every entry, and an entry's
// bytes are stored or raw-deflated. Enough to check what the package ships and read its manifest.
import * as fs from 'node:fs';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  size: number;
  compressedSize: number;
  method: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

export class Vsix {
  readonly entries: ZipEntry[];
  readonly byteLength: number;

  constructor(private readonly data: Buffer, private readonly label = 'vsix') {
    this.byteLength = data.length;
    this.entries = this.readCentralDirectory();
  }

  static open(file: string): Vsix {
    return new Vsix(fs.readFileSync(file), file);
  }

  private readCentralDirectory(): ZipEntry[] {
    const d = this.data;
    // The end-of-central-directory record is in the last 22 + 65535 (comment) bytes.
    let eocd = -1;
    for (let i = d.length - 22; i >= Math.max(0, d.length - 22 - 0xffff); i--) {
      if (d.readUInt32LE(i) === EOCD) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error(`${this.label}: not a zip file (no end-of-central-directory record)`);
    const count = d.readUInt16LE(eocd + 10);
    let p = d.readUInt32LE(eocd + 16);
    const out: ZipEntry[] = [];
    for (let n = 0; n < count; n++) {
      if (p + 46 > d.length || d.readUInt32LE(p) !== CENTRAL) throw new Error(`${this.label}: corrupt central directory at byte ${p}`);
      const nameLen = d.readUInt16LE(p + 28);
      out.push({
        method: d.readUInt16LE(p + 10),
        compressedSize: d.readUInt32LE(p + 20),
        size: d.readUInt32LE(p + 24),
        localHeaderOffset: d.readUInt32LE(p + 42),
        name: d.toString('utf8', p + 46, p + 46 + nameLen),
      });
      p += 46 + nameLen + d.readUInt16LE(p + 30) + d.readUInt16LE(p + 32);
    }
    return out;
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  read(name: string): Buffer {
    const e = this.entries.find((x) => x.name === name);
    if (!e) throw new Error(`${this.label}: no entry ${name}`);
    const d = this.data;
    const p = e.localHeaderOffset;
    if (d.readUInt32LE(p) !== LOCAL) throw new Error(`${this.label}: corrupt local header for ${name}`);
    const start = p + 30 + d.readUInt16LE(p + 26) + d.readUInt16LE(p + 28);
    const raw = d.subarray(start, start + e.compressedSize);
    if (e.method === 0) return Buffer.from(raw);
    if (e.method === 8) return inflateRawSync(raw);
    throw new Error(`${this.label}: ${name} uses unsupported compression method ${e.method}`);
  }
}
