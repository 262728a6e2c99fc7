// A reader for the parts of an ELF64 eBPF object that IG's loader (cilium/ebpf) uses: the section headers,
// their names and bytes, and the symbol table. Views into the caller's bytes, no copies. Both byte orders
// are read (bpfel and bpfeb objects); only 64-bit ELF exists for BPF.
import { EbpfError } from './errors';

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;
export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const EM_BPF = 247;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  /** The section's bytes (empty for NOBITS sections such as .bss). */
  data: Uint8Array;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_* */
  type: number;
  /** STB_* */
  bind: number;
  /** Section index the symbol is defined in (0 = undefined, ≥ 0xff00 special). */
  shndx: number;
}

export interface ElfFile {
  littleEndian: boolean;
  machine: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
  /** First section of that name. */
  section(name: string): ElfSection | undefined;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
}

const latin1 = new TextDecoder('latin1');

/** NUL-terminated string at `off` of a string table. */
export function cstr(table: Uint8Array, off: number): string {
  if (off >= table.length) return '';
  let end = off;
  while (end < table.length && table[end] !== 0) end++;
  return latin1.decode(table.subarray(off, end));
}

export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) throw new EbpfError('elf', 'not an ELF file (bad magic)');
  if (bytes.length < 64) throw new EbpfError('elf', `file too short for an ELF header (${bytes.length} bytes)`);
  if (bytes[4] !== 2) throw new EbpfError('elf', `ELF class ${bytes[4]} is not ELF64 (eBPF objects are 64-bit)`);
  const le = bytes[5] === 1;
  if (!le && bytes[5] !== 2) throw new EbpfError('elf', `unknown ELF data encoding ${bytes[5]}`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number): number => dv.getUint16(o, le);
  const u32 = (o: number): number => dv.getUint32(o, le);
  const u64 = (o: number): number => Number(dv.getBigUint64(o, le));
  const machine = u16(18);
  const shoff = u64(40);
  const shentsize = u16(58);
  const shnum = u16(60);
  const shstrndx = u16(62);
  if (shnum && shentsize < 64) throw new EbpfError('elf', `section header size ${shentsize} < 64`);
  if (shoff + shnum * shentsize > bytes.length) {
    throw new EbpfError('elf', `section headers (offset ${shoff}, ${shnum} × ${shentsize} bytes) run past the end of the file (${bytes.length} bytes)`);
  }
  const raw: Omit<ElfSection, 'name' | 'data'>[] = [];
  const nameOffs: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const h = shoff + i * shentsize;
    nameOffs.push(u32(h));
    raw.push({
      index: i, type: u32(h + 4), flags: u64(h + 8), offset: u64(h + 24), size: u64(h + 32),
      link: u32(h + 40), info: u32(h + 44), entsize: u64(h + 56),
    });
  }
  const dataOf = (s: Omit<ElfSection, 'name' | 'data'>): Uint8Array => {
    if (s.type === SHT_NOBITS || s.type === 0) return new Uint8Array(0);
    if (s.offset + s.size > bytes.length) {
      throw new EbpfError('elf', `section ${s.index} (offset ${s.offset}, ${s.size} bytes) runs past the end of the file`);
    }
    return bytes.subarray(s.offset, s.offset + s.size);
  };
  const shstr = shstrndx < raw.length ? dataOf(raw[shstrndx]) : new Uint8Array(0);
  const sections: ElfSection[] = raw.map((s, i) => ({ ...s, name: cstr(shstr, nameOffs[i]), data: dataOf(s) }));

  const symbols: ElfSymbol[] = [];
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab) {
    const strtab = sections[symtab.link]?.data ?? new Uint8Array(0);
    const ent = symtab.entsize || 24;
    const d = symtab.data;
    const sdv = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let o = ent; o + 24 <= d.length; o += ent) { // entry 0 is the null symbol
      const info = d[o + 4];
      symbols.push({
        name: cstr(strtab, sdv.getUint32(o, le)),
        type: info & 0xf,
        bind: info >> 4,
        shndx: sdv.getUint16(o + 6, le),
        value: Number(sdv.getBigUint64(o + 8, le)),
        size: Number(sdv.getBigUint64(o + 16, le)),
      });
    }
  }
  const byName = new Map<string, ElfSection>();
  for (const s of sections) if (!byName.has(s.name)) byName.set(s.name, s);
  return { littleEndian: le, machine, sections, symbols, section: (n) => byName.get(n) };
}
