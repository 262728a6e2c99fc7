// Hand-built eBPF objects for the edge cases clang will not produce (refusals, corrupt BTF): a BTF type
// builder and a minimal ELF64 writer (sections + symbol table), little-endian.

type Raw = { info: number; nameOff: number; sizeOrType: number; extra: number[] };

export class BtfBuilder {
  private types: Raw[] = [];
  private strs: number[] = [0];
  private strIndex = new Map<string, number>([['', 0]]);

  str(s: string): number {
    let o = this.strIndex.get(s);
    if (o === undefined) {
      o = this.strs.length;
      this.strs.push(...Buffer.from(s, 'latin1'), 0);
      this.strIndex.set(s, o);
    }
    return o;
  }
  private add(kind: number, name: string, vlen: number, sizeOrType: number, extra: number[] = [], kflag = false): number {
    this.types.push({ info: ((kflag ? 1 : 0) << 31) | (kind << 24) | vlen, nameOff: this.str(name), sizeOrType, extra });
    return this.types.length;
  }
  int(name: string, size: number, encoding = 0): number { return this.add(1, name, 0, size, [(encoding << 24) | (size * 8)]); }
  ptr(type: number): number { return this.add(2, '', 0, type); }
  array(elem: number, n: number, index: number): number { return this.add(3, '', 0, 0, [elem, index, n]); }
  struct(name: string, size: number, members: [string, number, number][]): number {
    return this.add(4, name, members.length, size, members.flatMap(([n, t, bitOff]) => [this.str(n), t, bitOff]));
  }
  typedef(name: string, type: number): number { return this.add(8, name, 0, type); }
  const(type: number): number { return this.add(10, '', 0, type); }
  volatile(type: number): number { return this.add(9, '', 0, type); }
  var(name: string, type: number, linkage = 1): number { return this.add(14, name, 0, type, [linkage]); }
  datasec(name: string, vars: [number, number, number][]): number { return this.add(15, name, vars.length, 0, vars.flat()); }
  /** A raw type of any kind number (for unknown-kind tests). */
  raw(kind: number, name: string): number { return this.add(kind, name, 0, 0); }

  /** `__uint(name, n)`: pointer to int[n]. */
  uintMember(intType: number, n: number): number { return this.ptr(this.array(intType, n, intType)); }

  build(): Uint8Array {
    const typeBytes: number[] = [];
    const u32 = (v: number): void => { typeBytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff); };
    for (const t of this.types) { u32(t.nameOff); u32(t.info); u32(t.sizeOrType); t.extra.forEach(u32); }
    const hdr = Buffer.alloc(24);
    hdr.writeUInt16LE(0xeb9f, 0); hdr[2] = 1; hdr[3] = 0; hdr.writeUInt32LE(24, 4);
    hdr.writeUInt32LE(0, 8); hdr.writeUInt32LE(typeBytes.length, 12);
    hdr.writeUInt32LE(typeBytes.length, 16); hdr.writeUInt32LE(this.strs.length, 20);
    return new Uint8Array(Buffer.concat([hdr, Buffer.from(typeBytes), Buffer.from(this.strs)]));
  }
}

export interface SectionSpec { name: string; type?: number; flags?: number; data: Uint8Array; size?: number }
export interface SymbolSpec { name: string; section: string; value?: number; size?: number; type?: number; bind?: number }

/** An ELF64 little-endian EM_BPF relocatable with the given sections and symbols. */
export function buildElf(sections: SectionSpec[], symbols: SymbolSpec[] = []): Uint8Array {
  const names: number[] = [0];
  const nameOf = (s: string): number => { const o = names.length; names.push(...Buffer.from(s), 0); return o; };
  const all = [...sections];
  const strtab: number[] = [0];
  const symBytes = Buffer.alloc(24 * (symbols.length + 1));
  symbols.forEach((s, i) => {
    const o = 24 * (i + 1);
    symBytes.writeUInt32LE(strtab.length, o);
    strtab.push(...Buffer.from(s.name), 0);
    symBytes[o + 4] = ((s.bind ?? 1) << 4) | (s.type ?? 1);
    symBytes.writeUInt16LE(all.findIndex((x) => x.name === s.section) + 1, o + 6);
    symBytes.writeBigUInt64LE(BigInt(s.value ?? 0), o + 8);
    symBytes.writeBigUInt64LE(BigInt(s.size ?? 0), o + 16);
  });
  all.push({ name: '.strtab', type: 3, data: new Uint8Array(strtab) });
  all.push({ name: '.symtab', type: 2, data: new Uint8Array(symBytes) });
  const shstrName = '.shstrtab';
  const nameOffs = all.map((s) => nameOf(s.name));
  const shstrOff = nameOf(shstrName);
  all.push({ name: shstrName, type: 3, data: new Uint8Array(names) });
  nameOffs.push(shstrOff);
  const chunks: Buffer[] = [Buffer.alloc(64)];
  let off = 64;
  const offsets = all.map((s) => { const o = off; chunks.push(Buffer.from(s.data)); off += s.data.length; return o; });
  const shoff = off;
  const sh = Buffer.alloc(64 * (all.length + 1));
  all.forEach((s, i) => {
    const h = 64 * (i + 1);
    sh.writeUInt32LE(nameOffs[i], h);
    sh.writeUInt32LE(s.type ?? 1, h + 4);
    sh.writeBigUInt64LE(BigInt(s.flags ?? 0), h + 8);
    sh.writeBigUInt64LE(BigInt(offsets[i]), h + 24);
    sh.writeBigUInt64LE(BigInt(s.size ?? s.data.length), h + 32);
    if (s.name === '.symtab') { sh.writeUInt32LE(all.findIndex((x) => x.name === '.strtab') + 1, h + 40); sh.writeBigUInt64LE(24n, h + 56); }
  });
  chunks.push(sh);
  const head = chunks[0];
  head.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1], 0);
  head.writeUInt16LE(1, 16); head.writeUInt16LE(247, 18); head.writeUInt32LE(1, 20);
  head.writeBigUInt64LE(BigInt(shoff), 40); head.writeUInt16LE(64, 52); head.writeUInt16LE(64, 58);
  head.writeUInt16LE(all.length + 1, 60); head.writeUInt16LE(all.length, 62);
  return new Uint8Array(Buffer.concat(chunks));
}
