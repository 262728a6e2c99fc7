// Guest linear memory access for host functions: decoding the i64 bufPtr (`len << 32 | addr`), bounds
// checks against the memory's current size, and writes. Views are cached and refreshed only when the
// buffer changed (growth detaches the old ArrayBuffer, so its length drops to 0).
import { WasmMemory } from './wasm-api';

/** Thrown by host functions for a guest error that IG treats as fatal for the module (e.g. a bad errPtr). */
export class HostTrap extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HostTrap';
  }
}

/** The length half of a bufPtr (`len << 32 | addr`), read before anything is copied. */
export function bpLength(bp: bigint): number {
  return Number(BigInt.asUintN(64, bp) >> 32n);
}

export class GuestMemory {
  private memory: WasmMemory | undefined;
  private u8 = new Uint8Array(0);
  private dv = new DataView(this.u8.buffer);
  private w32 = new Int32Array(0);
  /** Bytes of the memory the views cover (reading a wasm memory view's length is a runtime call in V8). */
  private len = 0;
  /** Scratch for splitting i64 values into 32-bit halves without allocating BigInts (a typed-array store
   *  of a BigInt is far cheaper than DataView.setBigInt64 or BigInt arithmetic). */
  private readonly s64 = new BigInt64Array(1);
  private readonly s32 = new Uint32Array(this.s64.buffer);
  /** Decoded by `split()`. */
  lo = 0;
  hi = 0;

  bind(memory: WasmMemory | undefined): void {
    this.memory = memory;
    this.refresh();
  }

  private refresh(): void {
    if (this.memory && this.memory.buffer !== this.u8.buffer) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.dv = new DataView(this.memory.buffer);
      this.w32 = new Int32Array(this.memory.buffer);
      this.len = this.u8.length;
    }
  }

  /**
   * Current bytes view; call again after anything that may grow memory (guest calls such as malloc).
   * Growth detaches the old buffer, whose views then read `undefined`: an element read tells, where
   * `byteLength` of a view on wasm memory costs a call into V8's runtime on every host call.
   */
  bytes(): Uint8Array {
    if (this.u8[0] === undefined) this.refresh();
    return this.u8;
  }

  /** Length in bytes of the memory `bytes()` last returned. */
  get size(): number {
    return this.len;
  }

  /** The memory `bytes()` last returned, as 32-bit words (aligned reads of keys; wasm is little-endian). */
  get words(): Int32Array {
    return this.w32;
  }

  view(): DataView {
    if (this.u8[0] === undefined) this.refresh();
    return this.dv;
  }

  /** Splits an i64 into `lo` (low 32 bits) and `hi` (high 32 bits), both unsigned. */
  split(v: bigint): void {
    this.s64[0] = v;
    this.lo = this.s32[LO];
    this.hi = this.s32[HI];
  }

  /**
   * Copy of the bytes a bufPtr designates, or null when out of bounds. `zeroIsEmpty`: IG's
   * stringFromStack treats bp 0 as "" without touching memory (bufFromStack has no such case).
   */
  read(bp: bigint, zeroIsEmpty = true): Uint8Array | null {
    if (zeroIsEmpty && bp === 0n) return EMPTY;
    this.split(bp);
    const addr = this.lo, len = this.hi;
    const u8 = this.bytes();
    if (addr + len > u8.length) return null;
    return u8.slice(addr, addr + len);
  }

  /** The bufPtr's target as a JS string (UTF-8, invalid sequences replaced), or null when out of bounds. */
  readString(bp: bigint): string | null {
    if (bp === 0n) return '';
    this.split(bp);
    const addr = this.lo, len = this.hi;
    const u8 = this.bytes();
    if (addr + len > u8.length) return null;
    return len === 0 ? '' : decoder.decode(u8.subarray(addr, addr + len));
  }

  /**
   * Writes `src` into the destination bufPtr: fails (false) if the destination is shorter than `src` or out
   * of bounds. Writes exactly src.length bytes, no terminator (IG's writeToDstBuffer).
   */
  writeToDst(dst: bigint, src: Uint8Array): boolean {
    this.split(dst);
    const addr = this.lo, cap = this.hi;
    if (cap < src.length) return false;
    const u8 = this.bytes();
    if (addr + src.length > u8.length) return false;
    u8.set(src, addr);
    return true;
  }

  /** Writes at a plain address; false if out of bounds. */
  writeAt(addr: number, src: Uint8Array): boolean {
    const u8 = this.bytes();
    if (addr < 0 || addr + src.length > u8.length) return false;
    u8.set(src, addr);
    return true;
  }

  inBounds(addr: number, len: number): boolean {
    return addr >= 0 && addr + len <= this.bytes().length;
  }

  writeU32(addr: number, v: number): boolean {
    if (!this.inBounds(addr, 4)) return false;
    this.dv.setUint32(addr, v, true);
    return true;
  }

  writeU64(addr: number, v: bigint): boolean {
    if (!this.inBounds(addr, 8)) return false;
    this.dv.setBigUint64(addr, v, true);
    return true;
  }

  readU32(addr: number): number {
    return this.view().getUint32(addr, true);
  }
}

const EMPTY = new Uint8Array(0);
/** Indices of the low and high halves of an i64 in a Uint32Array over it (platform byte order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
export const LO = LITTLE_ENDIAN ? 0 : 1;
export const HI = LITTLE_ENDIAN ? 1 : 0;
const decoder = new TextDecoder('utf-8');
