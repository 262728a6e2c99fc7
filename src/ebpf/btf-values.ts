// Values of BTF types as people read and write them: map keys and values decoded for displays (integers,
// enums by name, structs by member, char arrays as text) and encoded from events files (`{a: 42, c: 43}`
// for a struct key). Little-endian objects only matter here: the maps are the host's, in guest byte order.
import { Btf, BtfType, INT_BOOL, INT_CHAR, INT_SIGNED, sizeOf, typeString, underlying } from './btf';

/** A decoded value: JSON-friendly, 64-bit integers as bigint. */
export type BtfValue = number | bigint | boolean | string | BtfValue[] | { [member: string]: BtfValue };

function readInt(b: Uint8Array, off: number, size: number, signed: boolean): number | bigint {
  const dv = new DataView(b.buffer, b.byteOffset);
  switch (size) {
    case 1: return signed ? dv.getInt8(off) : dv.getUint8(off);
    case 2: return signed ? dv.getInt16(off, true) : dv.getUint16(off, true);
    case 4: return signed ? dv.getInt32(off, true) : dv.getUint32(off, true);
    case 8: return signed ? dv.getBigInt64(off, true) : dv.getBigUint64(off, true);
    default: return 0;
  }
}

function isCharArray(btf: Btf, t: BtfType): boolean {
  if (t.kind !== 'array') return false;
  const e = underlying(btf, t.type);
  return e.kind === 'int' && e.size === 1 && ((e.encoding & INT_CHAR) !== 0 || e.name === 'char');
}

/** Decodes the bytes of type `id` at `off`. Bitfield members and unions read as their raw integers. */
export function decodeBtf(btf: Btf, id: number, b: Uint8Array, off = 0, depth = 0): BtfValue {
  const t = underlying(btf, id);
  if (depth > 16) return '…';
  switch (t.kind) {
    case 'int': {
      const v = readInt(b, off, t.size, (t.encoding & INT_SIGNED) !== 0);
      return (t.encoding & INT_BOOL) !== 0 ? v !== 0 && v !== 0n : v;
    }
    case 'enum': case 'enum64': {
      const v = readInt(b, off, t.size, t.kindFlag);
      const hit = t.values.find((e) => e.value === BigInt(v));
      return hit ? hit.name : v;
    }
    case 'ptr': return readInt(b, off, 8, false);
    case 'float': return t.size === 4 ? new DataView(b.buffer, b.byteOffset).getFloat32(off, true) : new DataView(b.buffer, b.byteOffset).getFloat64(off, true);
    case 'array': {
      const es = sizeOf(btf, t.type);
      if (isCharArray(btf, t)) {
        const raw = b.subarray(off, off + t.nelems);
        const end = raw.indexOf(0);
        return new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end));
      }
      return Array.from({ length: t.nelems }, (_, i) => decodeBtf(btf, t.type, b, off + i * es, depth + 1));
    }
    case 'struct': case 'union': {
      const out: Record<string, BtfValue> = {};
      for (const m of t.members) {
        if (m.bitfieldSize) {
          let n = 0;
          for (let i = m.bitfieldSize - 1; i >= 0; i--) {
            const bit = m.bitOffset + i;
            n = n * 2 + ((b[off + (bit >> 3)] >> (bit & 7)) & 1);
          }
          out[m.name] = n;
          continue;
        }
        const v = decodeBtf(btf, m.type, b, off + (m.bitOffset >> 3), depth + 1);
        // Anonymous members (nested anonymous structs/unions) lend their members to the parent.
        if (m.name === '' && v !== null && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, v);
        else out[m.name] = v;
      }
      return out;
    }
    default:
      return Array.from(b.subarray(off, off + safeSize(btf, id)));
  }
}

function safeSize(btf: Btf, id: number): number {
  try { return sizeOf(btf, id); } catch { return 0; }
}

/** A problem encoding a value: `path` names the member (`key.b`). */
export class BtfEncodeError extends Error {}

/** Encodes a plain value (numbers, bigints, strings, lists, mappings by member name) as type `id`. */
export function encodeBtf(btf: Btf, id: number, value: unknown, path = 'value'): Uint8Array {
  const out = new Uint8Array(sizeOf(btf, id));
  write(btf, id, value, out, 0, path);
  return out;
}

function toBig(v: unknown, path: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string' && /^-?(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return BigInt(v.trim());
  throw new BtfEncodeError(`${path}: expected an integer, got ${JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))}`);
}

function write(btf: Btf, id: number, v: unknown, out: Uint8Array, off: number, path: string): void {
  const t = underlying(btf, id);
  const dv = new DataView(out.buffer, out.byteOffset);
  switch (t.kind) {
    case 'int': case 'enum': case 'enum64': case 'ptr': {
      let n: bigint;
      if (typeof v === 'string' && (t.kind === 'enum' || t.kind === 'enum64') && t.values.some((e) => e.name === v)) n = t.values.find((e) => e.name === v)!.value;
      else n = toBig(v, path);
      const size = t.kind === 'ptr' ? 8 : t.size;
      const bits = BigInt(size * 8);
      const signed = t.kind === 'int' ? (t.encoding & INT_SIGNED) !== 0 : t.kindFlag;
      const min = signed ? -(1n << (bits - 1n)) : 0n;
      const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
      if (n < min || n > max) throw new BtfEncodeError(`${path}: ${n} does not fit ${typeString(btf, id)} (${min}..${max})`);
      const u = BigInt.asUintN(size * 8, n);
      for (let i = 0; i < size; i++) out[off + i] = Number((u >> BigInt(i * 8)) & 0xffn);
      return;
    }
    case 'float':
      if (typeof v !== 'number' && typeof v !== 'bigint') throw new BtfEncodeError(`${path}: expected a number`);
      if (t.size === 4) dv.setFloat32(off, Number(v), true); else dv.setFloat64(off, Number(v), true);
      return;
    case 'array': {
      const es = sizeOf(btf, t.type);
      if (typeof v === 'string' && isCharArray(btf, t)) {
        const bytes = new TextEncoder().encode(v);
        if (bytes.length > t.nelems) throw new BtfEncodeError(`${path}: "${v}" is longer than ${t.nelems} bytes`);
        out.set(bytes, off);
        return;
      }
      if (!Array.isArray(v)) throw new BtfEncodeError(`${path}: expected a list for ${typeString(btf, id)}`);
      if (v.length > t.nelems) throw new BtfEncodeError(`${path}: ${v.length} elements for ${typeString(btf, id)}`);
      v.forEach((x, i) => write(btf, t.type, x, out, off + i * es, `${path}[${i}]`));
      return;
    }
    case 'struct': case 'union': {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new BtfEncodeError(`${path}: expected a mapping of ${typeString(btf, id)}'s members`);
      const given = v as Record<string, unknown>;
      const names = new Set(t.members.map((m) => m.name));
      for (const k of Object.keys(given)) {
        if (!names.has(k)) throw new BtfEncodeError(`${path}: ${typeString(btf, id)} has no member '${k}' (members: ${[...names].filter(Boolean).join(', ')})`);
      }
      for (const m of t.members) {
        if (!(m.name in given)) continue;
        if (m.bitfieldSize) throw new BtfEncodeError(`${path}.${m.name}: bitfield members cannot be given by name; give the bytes`);
        write(btf, m.type, given[m.name], out, off + (m.bitOffset >> 3), `${path}.${m.name}`);
      }
      return;
    }
    default:
      throw new BtfEncodeError(`${path}: values of ${typeString(btf, id)} cannot be given by name; give the bytes`);
  }
}
