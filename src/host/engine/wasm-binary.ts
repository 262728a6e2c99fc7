// A small reader for the parts of a wasm binary the host needs before compiling: the type, import,
// function, memory and export sections. `WebAssembly.Module.imports()` gives no signatures, and JS
// silently adapts host functions to any declared type, so matching API variants needs the real types.
// Also rewrites the memory section's limits to enforce IG's 256-page cap.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export interface FuncType { params: ValType[]; results: ValType[] }

export interface Limits { min: number; max?: number; shared: boolean; memory64: boolean }

export type ImportDesc =
  | { kind: 'function'; type: FuncType }
  | { kind: 'memory'; limits: Limits }
  | { kind: 'table'; limits: Limits; element: ValType }
  | { kind: 'global'; type: ValType; mutable: boolean };

export type ImportEntry = { module: string; name: string } & ImportDesc;

export interface ExportEntry {
  name: string;
  kind: 'function' | 'table' | 'memory' | 'global';
  index: number;
  /** For function exports: the signature. */
  type?: FuncType;
}

export interface ParsedModule {
  imports: ImportEntry[];
  exports: ExportEntry[];
  /** Memories the module defines itself (not imported), with where their limits sit in the bytes. */
  memories: { limits: Limits }[];
  /** Byte range of the whole memory section (id byte through end), if present. */
  memorySection?: { start: number; end: number };
}

export class WasmParseError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'WasmParseError';
  }
}

const VALTYPES: Record<number, ValType> = {
  0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref',
};
const EXTERNAL_KINDS = ['function', 'table', 'memory', 'global'] as const;

class Reader {
  pos: number;
  constructor(readonly b: Uint8Array, start: number, readonly end: number) { this.pos = start; }

  byte(): number {
    if (this.pos >= this.end) throw new WasmParseError('unexpected end of section', this.pos);
    return this.b[this.pos++];
  }

  u32(): number {
    let result = 0, shift = 0;
    for (let i = 0; i < 5; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffff) throw new WasmParseError('u32 LEB128 out of range', this.pos);
        return result;
      }
      shift += 7;
    }
    throw new WasmParseError('u32 LEB128 too long', this.pos);
  }

  u64(): number {
    // Only used for memory64 limits, which we reject anyway; precision loss above 2^53 is harmless.
    let result = 0, shift = 0;
    for (let i = 0; i < 10; i++) {
      const byte = this.byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
    }
    throw new WasmParseError('u64 LEB128 too long', this.pos);
  }

  name(): string {
    const len = this.u32();
    if (this.pos + len > this.end) throw new WasmParseError('name runs past the end of its section', this.pos);
    const s = new TextDecoder('utf-8', { fatal: false }).decode(this.b.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }

  valtype(): ValType {
    const at = this.pos;
    const t = VALTYPES[this.byte()];
    if (!t) throw new WasmParseError(`unknown value type 0x${this.b[at].toString(16)}`, at);
    return t;
  }

  limits(): Limits {
    const at = this.pos;
    const flags = this.byte();
    if (flags > 0x07) throw new WasmParseError(`unknown limits flags 0x${flags.toString(16)}`, at);
    const memory64 = (flags & 0x04) !== 0;
    const min = memory64 ? this.u64() : this.u32();
    const max = flags & 0x01 ? (memory64 ? this.u64() : this.u32()) : undefined;
    return { min, max, shared: (flags & 0x02) !== 0, memory64 };
  }
}

/** Parses the sections the host needs. Throws WasmParseError for a malformed binary. */
export function parseModule(bytes: Uint8Array): ParsedModule {
  if (bytes.length < 8 || bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new WasmParseError('not a wasm module (missing \\0asm magic)', 0);
  }
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw new WasmParseError('unsupported wasm binary version (only version 1 is supported)', 4);
  }
  const types: FuncType[] = [];
  const funcTypeIndices: number[] = []; // function index space: imports first, then defined functions
  const out: ParsedModule = { imports: [], exports: [], memories: [] };
  const top = new Reader(bytes, 8, bytes.length);
  while (top.pos < bytes.length) {
    const start = top.pos;
    const id = top.byte();
    const size = top.u32();
    const body = top.pos;
    const end = body + size;
    if (end > bytes.length) throw new WasmParseError(`section ${id} runs past the end of the module`, start);
    const r = new Reader(bytes, body, end);
    switch (id) {
      case 1: { // type
        for (let n = r.u32(), i = 0; i < n; i++) {
          const at = r.pos;
          const form = r.byte();
          if (form !== 0x60) throw new WasmParseError(`unsupported type form 0x${form.toString(16)}`, at);
          const params = Array.from({ length: r.u32() }, () => r.valtype());
          const results = Array.from({ length: r.u32() }, () => r.valtype());
          types.push({ params, results });
        }
        break;
      }
      case 2: { // import
        for (let n = r.u32(), i = 0; i < n; i++) {
          const module = r.name();
          const name = r.name();
          const at = r.pos;
          const kind = r.byte();
          if (kind === 0) {
            const ti = r.u32();
            const type = types[ti];
            if (!type) throw new WasmParseError(`import ${module}.${name} uses unknown type ${ti}`, at);
            funcTypeIndices.push(ti);
            out.imports.push({ module, name, kind: 'function', type });
          } else if (kind === 1) {
            const element = r.valtype();
            out.imports.push({ module, name, kind: 'table', element, limits: r.limits() });
          } else if (kind === 2) {
            out.imports.push({ module, name, kind: 'memory', limits: r.limits() });
          } else if (kind === 3) {
            const type = r.valtype();
            out.imports.push({ module, name, kind: 'global', type, mutable: r.byte() === 1 });
          } else {
            throw new WasmParseError(`unknown import kind ${kind} for ${module}.${name}`, at);
          }
        }
        break;
      }
      case 3: // function
        for (let n = r.u32(), i = 0; i < n; i++) funcTypeIndices.push(r.u32());
        break;
      case 5: // memory
        out.memorySection = { start, end };
        for (let n = r.u32(), i = 0; i < n; i++) out.memories.push({ limits: r.limits() });
        break;
      case 7: // export
        for (let n = r.u32(), i = 0; i < n; i++) {
          const name = r.name();
          const at = r.pos;
          const kind = EXTERNAL_KINDS[r.byte()];
          if (!kind) throw new WasmParseError(`unknown export kind for ${name}`, at);
          const index = r.u32();
          out.exports.push({ name, kind, index });
        }
        break;
      default:
        break; // custom sections and code are not needed
    }
    top.pos = end;
  }
  for (const e of out.exports) {
    if (e.kind === 'function') e.type = types[funcTypeIndices[e.index]];
  }
  return out;
}

export function formatSignature(t: FuncType): string {
  return `(${t.params.join(', ')}) -> (${t.results.join(', ')})`;
}

export function sameSignature(a: FuncType, b: FuncType): boolean {
  return a.params.length === b.params.length && a.results.length === b.results.length &&
    a.params.every((p, i) => p === b.params[i]) && a.results.every((p, i) => p === b.results[i]);
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/**
 * Returns the module with every defined memory's maximum clamped to `maxPages` (set when absent), so that
 * `memory.grow` past the cap returns -1 as in IG (wazero's WithMemoryLimitPages). Unchanged bytes are
 * returned as is. The caller checks minimums first.
 */
export function clampMemoryMax(bytes: Uint8Array, parsed: ParsedModule, maxPages: number): Uint8Array {
  const sec = parsed.memorySection;
  if (!sec || parsed.memories.every((m) => m.limits.max !== undefined && m.limits.max <= maxPages)) return bytes;
  const content: number[] = [...leb(parsed.memories.length)];
  for (const { limits } of parsed.memories) {
    const max = Math.min(limits.max ?? maxPages, maxPages);
    content.push(0x01 | (limits.shared ? 0x02 : 0), ...leb(limits.min), ...leb(max));
  }
  const header = [5, ...leb(content.length)];
  const out = new Uint8Array(bytes.length - (sec.end - sec.start) + header.length + content.length);
  out.set(bytes.subarray(0, sec.start), 0);
  out.set(header, sec.start);
  out.set(content, sec.start + header.length);
  out.set(bytes.subarray(sec.end), sec.start + header.length + content.length);
  return out;
}
