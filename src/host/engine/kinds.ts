// Field kinds (IG's api.Kind 0..14): names, storage sizes, and the conversions between stored bytes,
// the i64 values of the wasm ABI and the host-side `Value`s.
import { errorMessage } from '../../common/errors';
import { KIND_FLAG_ARRAY, KIND_NAMES, Kind, KindName, Value } from '../api';

/**
 * `Kind` as a const enum, for the hot paths: tsc inlines the numbers, so comparisons and switches need no
 * property loads of the (runtime) Kind object. Same numbers as api.ts's Kind (IG's api.Kind, fixed).
 */
export const enum K {
  Bool = 1, Int8 = 2, Int16 = 3, Int32 = 4, Int64 = 5, Uint8 = 6, Uint16 = 7, Uint32 = 8, Uint64 = 9,
  Float32 = 10, Float64 = 11,
}

const BY_NAME = new Map<string, number>(KIND_NAMES.map((n, i) => [n, i]));
for (let k = Kind.Bool; k <= Kind.Bytes; k++) BY_NAME.set(`arrayof${KIND_NAMES[k]}`, KIND_FLAG_ARRAY | k);

/** Fixed storage size of a scalar kind in bytes; 0 for the dynamic kinds (Invalid, String, CString, Bytes). */
export const KIND_SIZE: readonly number[] = [0, 1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 0, 0, 0];

export function kindName(kind: number): KindName {
  if (isArrayKind(kind)) return `arrayof${KIND_NAMES[kind & ~KIND_FLAG_ARRAY]}` as KindName;
  return KIND_NAMES[kind] ?? 'invalid';
}

/** IG's array kinds (KindFlagArray | a scalar element kind); stored like Bytes, elements packed little-endian. */
export function isArrayKind(kind: number): boolean {
  const e = kind & ~KIND_FLAG_ARRAY;
  return (kind & KIND_FLAG_ARRAY) !== 0 && e >= Kind.Bool && e <= Kind.Bytes;
}

/** Kind number for a lower-case kind name (also accepts IG's capitalised names); undefined if unknown. */
export function kindFromName(name: string): number | undefined {
  return BY_NAME.get(name.toLowerCase());
}

const utf8 = new TextDecoder('utf-8');
const utf8enc = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array): string {
  return bytes.length === 0 ? '' : utf8.decode(bytes);
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8enc.encode(s);
}

/**
 * Reads a scalar of `kind` from `dv` at `off` as the host-side Value (64-bit integers as bigint, Bool as
 * boolean: non-zero is true for display, unlike fieldGetScalar which reads only 1 as true).
 */
export function readScalarValue(dv: DataView, off: number, kind: number): Value {
  switch (kind) {
    case Kind.Bool: return dv.getUint8(off) !== 0;
    case Kind.Int8: return dv.getInt8(off);
    case Kind.Int16: return dv.getInt16(off, true);
    case Kind.Int32: return dv.getInt32(off, true);
    case Kind.Int64: return dv.getBigInt64(off, true);
    case Kind.Uint8: return dv.getUint8(off);
    case Kind.Uint16: return dv.getUint16(off, true);
    case Kind.Uint32: return dv.getUint32(off, true);
    case Kind.Uint64: return dv.getBigUint64(off, true);
    case Kind.Float32: return dv.getFloat32(off, true);
    case Kind.Float64: return dv.getFloat64(off, true);
    default: throw new Error(`kind ${kind} is not a scalar kind`);
  }
}

const INT_RANGE: Record<number, [bigint, bigint]> = {
  [Kind.Int8]: [-128n, 127n],
  [Kind.Int16]: [-32768n, 32767n],
  [Kind.Int32]: [-2147483648n, 2147483647n],
  [Kind.Int64]: [-(1n << 63n), (1n << 63n) - 1n],
  [Kind.Uint8]: [0n, 255n],
  [Kind.Uint16]: [0n, 65535n],
  [Kind.Uint32]: [0n, 4294967295n],
  [Kind.Uint64]: [0n, (1n << 64n) - 1n],
};

/**
 * Writes a host-side value into scalar storage, checking its type and range. Throws an Error whose
 * message says what is wrong (the caller prefixes where). Plain in-range numbers take a fast path that
 * never allocates.
 */
export function writeScalarValue(dv: DataView, off: number, kind: number, v: unknown): void {
  if (typeof v === 'number') {
    switch (kind) {
      case Kind.Uint32: if (v >= 0 && v <= 0xffffffff && v === Math.floor(v)) { dv.setUint32(off, v, true); return; } break;
      case Kind.Int32: if (v >= -0x80000000 && v <= 0x7fffffff && v === Math.floor(v)) { dv.setInt32(off, v, true); return; } break;
      case Kind.Uint16: if (v >= 0 && v <= 0xffff && v === Math.floor(v)) { dv.setUint16(off, v, true); return; } break;
      case Kind.Int16: if (v >= -0x8000 && v <= 0x7fff && v === Math.floor(v)) { dv.setInt16(off, v, true); return; } break;
      case Kind.Uint8: if (v >= 0 && v <= 0xff && v === Math.floor(v)) { dv.setUint8(off, v); return; } break;
      case Kind.Int8: if (v >= -0x80 && v <= 0x7f && v === Math.floor(v)) { dv.setInt8(off, v); return; } break;
      case Kind.Float64: dv.setFloat64(off, v, true); return;
      case Kind.Float32: dv.setFloat32(off, v, true); return;
      default: break;
    }
  }
  writeScalarSlow(dv, off, kind, v);
}

function writeScalarSlow(dv: DataView, off: number, kind: number, v: unknown): void {
  if (kind === Kind.Bool) {
    if (typeof v === 'boolean') { dv.setUint8(off, v ? 1 : 0); return; }
    if (v === 0 || v === 1) { dv.setUint8(off, v); return; }
    throw new Error(`expected a boolean, got ${describe(v)}`);
  }
  if (kind === Kind.Float32 || kind === Kind.Float64) {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number') throw new Error(`expected a number, got ${describe(v)}`);
    if (kind === Kind.Float32) dv.setFloat32(off, n, true); else dv.setFloat64(off, n, true);
    return;
  }
  const range = INT_RANGE[kind];
  if (!range) throw new Error(`kind ${kind} is not a scalar kind`);
  let b: bigint;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`expected an integer, got ${v}`);
    if (!Number.isSafeInteger(v)) throw new Error(`${v} is not exact; pass 64-bit values as bigint or a decimal string`);
    b = BigInt(v);
  } else if (typeof v === 'bigint') {
    b = v;
  } else if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) {
    b = BigInt(v.trim());
  } else {
    throw new Error(`expected an integer, got ${describe(v)}`);
  }
  if (b < range[0] || b > range[1]) throw new Error(`${b} is out of range for ${kindName(kind)}`);
  switch (kind) {
    case Kind.Int8: case Kind.Uint8: dv.setUint8(off, Number(b & 0xffn)); return;
    case Kind.Int16: case Kind.Uint16: dv.setUint16(off, Number(b & 0xffffn), true); return;
    case Kind.Int32: case Kind.Uint32: dv.setUint32(off, Number(b & 0xffffffffn), true); return;
    default: dv.setBigUint64(off, BigInt.asUintN(64, b), true); return;
  }
}

/**
 * Bytes for a dynamic kind (String/CString: a string; Bytes/Invalid: Uint8Array, number[] or string; array
 * kinds: a list of element values, or their packed bytes as a Uint8Array).
 */
export function dynamicBytes(kind: number, v: unknown): Uint8Array {
  if (isArrayKind(kind) && Array.isArray(v) && KIND_SIZE[kind & ~KIND_FLAG_ARRAY]) return packArray(kind & ~KIND_FLAG_ARRAY, v);
  if (typeof v === 'string') return encodeUtf8(v);
  if (kind === Kind.String || kind === Kind.CString) throw new Error(`expected a string, got ${describe(v)}`);
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return Uint8Array.from(v);
  throw new Error(`expected bytes (Uint8Array, byte array or string), got ${describe(v)}`);
}

function packArray(elem: number, list: unknown[]): Uint8Array {
  const size = KIND_SIZE[elem];
  const out = new Uint8Array(size * list.length);
  const dv = new DataView(out.buffer);
  list.forEach((x, i) => {
    try {
      writeScalarValue(dv, i * size, elem, x);
    } catch (err) {
      throw new Error(`element ${i}: ${errorMessage(err)}`, { cause: err });
    }
  });
  return out;
}

/** The elements of an array kind's packed bytes (64-bit integers as bigint); a partial element is dropped. */
export function unpackArray(kind: number, bytes: Uint8Array): Value[] {
  const elem = kind & ~KIND_FLAG_ARRAY;
  const size = KIND_SIZE[elem] ?? 0;
  if (!size) return [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Value[] = [];
  for (let off = 0; off + size <= bytes.length; off += size) out.push(readScalarValue(dv, off, elem));
  return out;
}

/** The host-side value of a field that holds nothing yet. */
export function zeroValue(kind: number): Value {
  switch (kind) {
    case Kind.Bool: return false;
    case Kind.Int64: case Kind.Uint64: return 0n;
    case Kind.String: case Kind.CString: return '';
    case Kind.Invalid: case Kind.Bytes: return new Uint8Array(0);
    default: return 0;
  }
}

/** Host-side Value of a dynamic field's payload. */
export function dynamicValue(kind: number, bytes: Uint8Array): Value {
  return kind === Kind.String || kind === Kind.CString ? decodeUtf8(bytes) : bytes;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' || typeof v === 'function' ? `an ${typeof v}` : `${typeof v} ${String(v as number | boolean | bigint | symbol | undefined)}`;
}
