// Field access: today's fieldGetScalar (errPtr) and fieldGetBuffer, the seed's fieldGet (strings and bytes
// returned in guest memory allocated with the guest's exported malloc), fieldSet (with or without a
// result) and fieldAddTag. The access kind need not equal the field's kind: scalar access works whenever
// the stored size equals the access kind's size, as in IG.
import { Kind } from '../api';
import { HostContext, mallocCopy } from '../engine/context';
import { HType } from '../engine/handles';
import { KIND_SIZE } from '../engine/kinds';
import { HI, HostTrap, LO, bpLength } from '../engine/memory';
import { MAX_TAGS_PER_FIELD, MAX_TAG_BYTES, MAX_VALUE_BYTES } from '../engine/limits';
import { Field, Rec, resolveData } from '../engine/model';
import { noGuard, withAndWithoutStatus, type HostFunctionDef, type SlowGuard } from './define';
import { fieldGetScalarInline, fieldSetInline } from './fields-wasm';

const scratch = new DataView(new ArrayBuffer(8));
const scratchU8 = new Uint8Array(scratch.buffer);
// i64 values are split and joined through a typed array: no BigInt arithmetic.
const s64 = new BigInt64Array(1);
const s32 = new Uint32Array(s64.buffer);

/**
 * Whether a packet holds the field: it must be of the field's own data source (IG's accessors belong to
 * one data source; a field of another one would read or overwrite unrelated bytes) and not be newer
 * than the packet. Logs why not.
 */
function fieldInRec(ctx: HostContext, fn: string, f: Field, rec: Rec): boolean {
  if (f.ds !== rec.ds) { ctx.log(1, `${fn}: field "${f.name}" belongs to data source "${f.ds.name}", not to "${rec.ds.name}" of this packet`); return false; }
  if (f.index >= rec.nfields) { ctx.log(1, `${fn}: field "${f.name}" was added after this packet was created`); return false; }
  return true;
}

/**
 * Reads a scalar as the i64 the ABI returns (signed kinds sign-extended, floats as raw bits, Bool 1 iff
 * the byte is 1), or undefined when the access is invalid.
 */
function getScalar(ctx: HostContext, fn: string, fieldH: number, dataH: number, kind: number): bigint | undefined {
  const f = ctx.handles.typed<Field>(fieldH, HType.Field);
  if (f === undefined) { ctx.badHandle(fn, fieldH); return undefined; }
  const rec = resolveData(ctx.handles, dataH);
  if (rec === undefined) { ctx.badHandle(fn, dataH); return undefined; }
  if (kind < Kind.Bool || kind > Kind.Float64) { ctx.log(1, `${fn}: kind ${kind >>> 0} is not a scalar kind`); return undefined; }
  if (!fieldInRec(ctx, fn, f, rec)) return undefined;
  const size = KIND_SIZE[kind];
  let dv: DataView, off: number;
  if (f.offset >= 0) {
    if (f.size !== size) { ctx.log(1, `${fn}: field "${f.name}" has ${f.size} bytes, kind ${kind} reads ${size}`); return undefined; }
    dv = rec.dv; off = f.offset;
  } else {
    const b = rec.dyn[f.dynIndex];
    if (b.length !== size) { ctx.log(1, `${fn}: field "${f.name}" has ${b.length} bytes, kind ${kind} reads ${size}`); return undefined; }
    scratchU8.set(b); dv = scratch; off = 0;
  }
  switch (kind) {
    case Kind.Bool: return dv.getUint8(off) === 1 ? 1n : 0n;
    case Kind.Int8: return BigInt(dv.getInt8(off));
    case Kind.Int16: return BigInt(dv.getInt16(off, true));
    case Kind.Int32: return BigInt(dv.getInt32(off, true));
    case Kind.Int64: return dv.getBigInt64(off, true);
    case Kind.Uint8: return BigInt(dv.getUint8(off));
    case Kind.Uint16: return BigInt(dv.getUint16(off, true));
    case Kind.Uint32: case Kind.Float32: return BigInt(dv.getUint32(off, true));
    default: return dv.getBigUint64(off, true); // Uint64, Float64
  }
}

/** Stores `value` (an i64: a scalar, or a bufPtr for String/Bytes) into a field; 0 ok, 1 error. */
function setField(ctx: HostContext, fieldH: number, dataH: number, kind: number, value: bigint): number {
  const f = ctx.handles.typed<Field>(fieldH, HType.Field);
  if (f === undefined) { ctx.badHandle('fieldSet', fieldH); return 1; }
  const rec = resolveData(ctx.handles, dataH);
  if (rec === undefined) { ctx.badHandle('fieldSet', dataH); return 1; }
  if (!fieldInRec(ctx, 'fieldSet', f, rec)) return 1;
  if (kind >= Kind.Bool && kind <= Kind.Float64) {
    const size = KIND_SIZE[kind];
    s64[0] = value;
    let lo = s32[LO];
    const hi = s32[HI];
    if (kind === Kind.Bool) lo = lo !== 0 || hi !== 0 ? 1 : 0;
    let dv: DataView, off: number;
    if (f.offset >= 0) {
      if (f.size !== size) { ctx.log(1, `fieldSet: field "${f.name}" has ${f.size} bytes, kind ${kind} writes ${size}`); return 1; }
      dv = rec.dv; off = f.offset;
    } else {
      // A dynamic field of exactly this size: replace its payload (payloads are never mutated in place).
      if (rec.dyn[f.dynIndex].length !== size) { ctx.log(1, `fieldSet: field "${f.name}" has ${rec.dyn[f.dynIndex].length} bytes, kind ${kind} writes ${size}`); return 1; }
      const b = new Uint8Array(size);
      rec.dyn[f.dynIndex] = b;
      dv = new DataView(b.buffer); off = 0;
    }
    switch (size) {
      case 1: dv.setUint8(off, lo & 0xff); break;
      case 2: dv.setUint16(off, lo & 0xffff, true); break;
      case 4: dv.setUint32(off, lo, true); break;
      default: dv.setUint32(off, lo, true); dv.setUint32(off + 4, hi, true); break;
    }
    return 0;
  }
  if (kind === Kind.String || kind === Kind.Bytes) {
    // Copied out of guest memory (IG's Go host aliases Bytes to guest memory; we never do).
    if (!ctx.within('fieldSet', `a value for "${f.name}" of bytes`, bpLength(value), MAX_VALUE_BYTES)) return 1;
    const bytes = ctx.mem.read(value, true);
    if (bytes === null) { ctx.log(1, `fieldSet: invalid pointer for the value of "${f.name}"`); return 1; }
    return storeBytes(ctx, 'fieldSet', f, rec, bytes);
  }
  ctx.log(1, `fieldSet: kind ${kind >>> 0} cannot be set`);
  return 1;
}

function storeBytes(ctx: HostContext, fn: string, f: Field, rec: Rec, bytes: Uint8Array): number {
  if (f.offset >= 0) {
    if (bytes.length !== f.size) { ctx.log(1, `${fn}: field "${f.name}" has ${f.size} bytes, got ${bytes.length}`); return 1; }
    rec.fixed.set(bytes, f.offset);
    return 0;
  }
  rec.dyn[f.dynIndex] = bytes;
  return 0;
}

/** The current bytes of a field for String/Bytes access, or undefined. */
function getBytes(ctx: HostContext, fn: string, fieldH: number, dataH: number): Uint8Array | undefined {
  const f = ctx.handles.typed<Field>(fieldH, HType.Field);
  if (f === undefined) { ctx.badHandle(fn, fieldH); return undefined; }
  const rec = resolveData(ctx.handles, dataH);
  if (rec === undefined) { ctx.badHandle(fn, dataH); return undefined; }
  if (!fieldInRec(ctx, fn, f, rec)) return undefined;
  return rec.bytesOf(f);
}

/**
 * fieldGetScalar in the split calling convention (see engine/i64-shim.ts): returns the low half, stores the high
 * half in the instance's cell. The calls that cannot fail are served before this, in wasm (fields-wasm.ts).
 */
function getScalarSplit(ctx: HostContext, guardSlow: SlowGuard = noGuard): (fieldH: number, dataH: number, kind: number, errPtr: number) => number {
  const hi = ctx.hostMem.hi;
  return guardSlow((fieldH: number, dataH: number, kind: number, errPtr: number): number => {
    let v = getScalar(ctx, 'fieldGetScalar', fieldH, dataH, kind);
    if (v === undefined) {
      // IG writes 1 at errPtr on error and never writes 0; an unwritable errPtr is fatal there too.
      if (errPtr !== 0 && !ctx.mem.writeU32(errPtr >>> 0, 1)) {
        throw new HostTrap(`fieldGetScalar: errPtr 0x${(errPtr >>> 0).toString(16)} is out of bounds`);
      }
      v = 0n;
    }
    s64[0] = v;
    hi[0] = s32[HI];
    return s32[LO];
  });
}

/** fieldSet in the split calling convention: the i64 value arrives as its low and high halves. */
function fieldSetSplit(ctx: HostContext, guardSlow: SlowGuard = noGuard): (fieldH: number, dataH: number, kind: number, lo: number, hi: number) => number {
  return guardSlow((fieldH: number, dataH: number, kind: number, lo: number, hi: number): number => {
    s32[LO] = lo;
    s32[HI] = hi;
    return setField(ctx, fieldH, dataH, kind, s64[0]);
  });
}

export const fieldFunctions: HostFunctionDef[] = [
  {
    name: 'fieldGetScalar', params: { field: 'i32', data: 'i32', kind: 'i32', errPtr: 'i32' }, results: ['i64'], revision: 'current',
    make: (ctx) => {
      const get = getScalarSplit(ctx), hi = ctx.hostMem.hi;
      return (fieldH: number, dataH: number, kind: number, errPtr: number): bigint => {
        s32[LO] = get(fieldH, dataH, kind, errPtr);
        s32[HI] = hi[0];
        return s64[0];
      };
    },
    makeSplit: getScalarSplit,
    inline: fieldGetScalarInline,
  },
  {
    name: 'fieldGetBuffer', params: { field: 'i32', data: 'i32', kind: 'i32', dst: 'i64' }, results: ['i32'], revision: 'current',
    make: (ctx) => (fieldH: number, dataH: number, kind: number, dst: bigint): number => {
      if (kind !== Kind.String && kind !== Kind.Bytes) {
        // Checked after the handles in IG; the result is the same.
        if (getBytes(ctx, 'fieldGetBuffer', fieldH, dataH) !== undefined) ctx.log(1, `fieldGetBuffer: kind ${kind >>> 0} is not String or Bytes`);
        return -1;
      }
      const bytes = getBytes(ctx, 'fieldGetBuffer', fieldH, dataH);
      if (bytes === undefined) return -1;
      if (!ctx.mem.writeToDst(dst, bytes)) {
        ctx.log(1, `fieldGetBuffer: destination too small or out of bounds for ${bytes.length} bytes`);
        return -1;
      }
      return bytes.length;
    },
  },
  {
    // Seed revision: scalars as fieldGetScalar (0 on error); String/CString/Bytes copied into a buffer
    // from the guest's malloc and returned as a bufPtr, which the guest frees.
    name: 'fieldGet', params: { field: 'i32', data: 'i32', kind: 'i32' }, results: ['i64'], revision: 'seed',
    make: (ctx) => (fieldH: number, dataH: number, kind: number): bigint => {
      if (kind !== Kind.String && kind !== Kind.CString && kind !== Kind.Bytes) {
        return getScalar(ctx, 'fieldGet', fieldH, dataH, kind) ?? 0n;
      }
      const bytes = getBytes(ctx, 'fieldGet', fieldH, dataH);
      if (bytes === undefined) return 0n;
      return mallocCopy(ctx, 'fieldGet', bytes);
    },
  },
  ...withAndWithoutStatus({
    name: 'fieldSet', params: { field: 'i32', data: 'i32', kind: 'i32', value: 'i64' },
    make: (ctx) => {
      const set = fieldSetSplit(ctx);
      return (fieldH: number, dataH: number, kind: number, value: bigint): number => {
        s64[0] = value;
        return set(fieldH, dataH, kind, s32[LO], s32[HI]);
      };
    },
    makeSplit: fieldSetSplit,
    inline: fieldSetInline,
  }),
  ...withAndWithoutStatus({
    name: 'fieldAddTag', params: { field: 'i32', tag: 'i64' },
    make: (ctx) => (fieldH: number, tagBp: bigint): number => {
      const f = ctx.handles.typed<Field>(fieldH, HType.Field);
      if (f === undefined) { ctx.badHandle('fieldAddTag', fieldH); return 1; }
      const len = bpLength(tagBp);
      if (!ctx.within('fieldAddTag', 'a tag of bytes', len, MAX_TAG_BYTES)) return 1;
      if (!ctx.within('fieldAddTag', `a count of tags on field "${f.name}"`, f.tags.length + 1, MAX_TAGS_PER_FIELD)) return 1;
      const tag = ctx.mem.readString(tagBp);
      if (tag === null) { ctx.log(1, 'fieldAddTag: invalid pointer for the tag'); return 1; }
      if (!ctx.keepMetadata('fieldAddTag', len)) return 1;
      f.tags.push(tag);
      f.ds.fieldsChanged();
      return 0;
    },
  }),
];
