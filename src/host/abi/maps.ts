// IG's map functions (pkg/operators/wasm/maps.go) on the simulated kernel's maps (engine/maps.ts): newMap,
// getMap, mapLookup, mapUpdate, mapDelete, mapRelease. Checks happen in IG's order with its failure values
// (0 for handles, 1 for statuses). Keys and values are bufPtrs read without the "0 is empty" rule
// (IG's bufFromStack). Lookup and update also come in the split calling convention (engine/i64-shim.ts):
// they are the per-event calls of gadgets that keep state in maps.
import type { HostContext } from '../engine/context';
import { HType } from '../engine/handles';
import { HostTrap } from '../engine/memory';
import { BpfMap, MT, MapRef, UPDATE_LOCK, copy, createMap } from '../engine/maps';
import type { HostFunctionDef } from './define';

/** BPF map types IG's host knows (up to Arena); newer ones could carry FDs into the guest. */
const LAST_KNOWN_TYPE = MT.Arena;
const isFdArray = (t: number): boolean => t === MT.ProgramArray || t === MT.PerfEventArray || t === MT.CGroupArray;

/** The map behind a handle, or undefined after logging why (IG's getHandle[*ebpf.Map]). */
export function mapOf(ctx: HostContext, fn: string, h: number): BpfMap | undefined {
  const ref = ctx.handles.typed<MapRef>(h, HType.Map);
  if (!ref) { ctx.badHandle(fn, h); return undefined; }
  return ref.map;
}

function lookup(ctx: HostContext, h: number, kAddr: number, kLen: number, vAddr: number, vLen: number): number {
  const m = mapOf(ctx, 'mapLookup', h);
  if (!m) return 1;
  if (isFdArray(m.type)) { ctx.log(1, `mapLookup: FD array maps like "${m.name}" are not supported`); return 1; }
  const u8 = ctx.mem.bytes();
  if (kAddr + kLen > ctx.mem.size) { ctx.log(1, 'mapLookup: getting a buf for key pointer: invalid pointer'); return 1; }
  if (m.isMapOfMaps) return lookupInner(ctx, m, u8, kAddr, kLen, vAddr, vLen);
  const slot = m.find(u8, kAddr, kLen, ctx.mem.words);
  if (slot === -2) { ctx.log(1, `mapLookup: getting value from "${m.name}": ${m.error}`); return 1; }
  if (slot === -1) {
    // cilium/ebpf's LookupBytes answers a missing key with no value and no error: IG returns 0.
    if (ctx.shouldLog(3)) ctx.log(3, `mapLookup: no entry for this key in "${m.name}": returning 0 and leaving the value buffer as it was, as IG does`);
    return 0;
  }
  const n = m.fullValueSize;
  if (vLen < n || vAddr + n > ctx.mem.size) {
    ctx.log(1, `mapLookup: writing back value to stack: the buffer (${vLen} bytes) cannot hold the ${n}-byte value or is out of bounds`);
    return 1;
  }
  copy(u8, vAddr, m.values, slot * n, n, ctx.mem.words, m.values32);
  return 0;
}

/** Maps of maps: the inner map comes back as a new handle the guest must release (releaseHandle). */
function lookupInner(ctx: HostContext, m: BpfMap, u8: Uint8Array, kAddr: number, kLen: number, vAddr: number, vLen: number): number {
  const inner = m.lookupMap(u8, kAddr, kLen);
  if (typeof inner === 'string') { ctx.log(1, `mapLookup: getting value from "${m.name}": ${inner}`); return 1; }
  // IG's host reads the missing value's first 4 bytes and panics: the guest's call traps there too.
  if (inner === null) throw new HostTrap(`mapLookup: no entry for this key in the map of maps "${m.name}" (IG's host panics here)`);
  const h = ctx.handles.add(new MapRef(inner));
  if (h === 0) return 1;
  if (vLen < 4 || !ctx.mem.writeU32(vAddr, h)) {
    ctx.handles.delete(h);
    ctx.log(1, 'mapLookup: writing back value to stack: the buffer cannot hold a 4-byte map handle or is out of bounds');
    return 1;
  }
  return 0;
}

function update(ctx: HostContext, h: number, kAddr: number, kLen: number, vAddr: number, vLen: number, flagsLo: number, flagsHi: number): number {
  if (flagsHi !== 0 || flagsLo >>> 0 > UPDATE_LOCK) {
    ctx.log(1, `mapUpdate: invalid flags values: ${((BigInt(flagsHi >>> 0) << 32n) | BigInt(flagsLo >>> 0)).toString()}, expected no more than ${UPDATE_LOCK}`);
    return 1;
  }
  const m = mapOf(ctx, 'mapUpdate', h);
  if (!m) return 1;
  if (isFdArray(m.type)) { ctx.log(1, `mapUpdate: FD array maps like "${m.name}" are not supported`); return 1; }
  const u8 = ctx.mem.bytes();
  if (kAddr + kLen > ctx.mem.size) { ctx.log(1, 'mapUpdate: getting a buf for key pointer: invalid pointer'); return 1; }
  if (vAddr + vLen > ctx.mem.size) { ctx.log(1, 'mapUpdate: getting a buf for value pointer: invalid pointer'); return 1; }
  let err: string;
  if (m.isMapOfMaps) {
    // The guest gives an inner map's handle where the kernel takes its FD.
    if (vLen < 4) { ctx.log(1, `mapUpdate: the value for the map of maps "${m.name}" must hold a 4-byte map handle`); return 1; }
    const innerH = ctx.mem.readU32(vAddr);
    const inner = mapOf(ctx, 'mapUpdate', innerH);
    if (!inner) return 1;
    err = m.updateMap(u8, kAddr, kLen, inner, flagsLo);
  } else {
    err = m.update(u8, kAddr, kLen, u8, vAddr, vLen, flagsLo, ctx.mem.words, ctx.mem.words);
  }
  if (err) { ctx.log(1, `mapUpdate: updating value in "${m.name}": ${err}`); return 1; }
  return 0;
}

function newMap(ctx: HostContext, nameBp: bigint, type: number, keySize: number, valueSize: number, maxEntries: number): number {
  type >>>= 0;
  if (type > LAST_KNOWN_TYPE) { ctx.log(1, `newMap: unknown map type ${type}`); return 0; }
  if (isFdArray(type)) { ctx.log(1, `newMap: FD array maps like type ${type} are not supported`); return 0; }
  const name = ctx.mem.readString(nameBp);
  if (name === null) { ctx.log(1, 'newMap: reading string from stack: invalid pointer'); return 0; }
  const m = createMap({ name, type, keySize: keySize >>> 0, valueSize: valueSize >>> 0, maxEntries: maxEntries >>> 0 }, ctx.kernel.cpus);
  if (typeof m === 'string') { ctx.log(1, `newMap: creating map "${name}": ${m}`); return 0; }
  const ref = new MapRef(m);
  const h = ctx.handles.add(ref);
  if (h !== 0) ctx.kernel.created.add(ref);
  return h;
}

const lo = (v: bigint): number => Number(v & 0xffffffffn);
const hi = (v: bigint): number => Number((v >> 32n) & 0xffffffffn);

export const mapFunctions: HostFunctionDef[] = [
  {
    name: 'newMap', params: { name: 'i64', type: 'i32', keySize: 'i32', valueSize: 'i32', maxEntries: 'i32' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (name: bigint, type: number, k: number, v: number, max: number): number => newMap(ctx, name, type, k, v, max),
  },
  {
    name: 'getMap', params: { name: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (nameBp: bigint): number => {
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'getMap: reading string from stack: invalid pointer'); return 0; }
      const m = ctx.kernel.published ? ctx.kernel.maps.get(name) : undefined;
      if (!m) {
        const why = ctx.kernel.maps.has(name) ? ' yet (the gadget\'s maps are published from gadgetStart on)' : '';
        ctx.log(1, `getMap: no map for name "${name}"${why}`);
        return 0;
      }
      return ctx.handles.add(new MapRef(m));
    },
  },
  {
    name: 'mapLookup', params: { map: 'i32', key: 'i64', value: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (h: number, key: bigint, value: bigint): number => lookup(ctx, h, lo(key), hi(key), lo(value), hi(value)),
    // Guarded whole: unlike the field functions, these have no fast path that cannot throw.
    makeSplit: (ctx, guardAll) => guardAll((h: number, kLo: number, kHi: number, vLo: number, vHi: number): number => lookup(ctx, h, kLo >>> 0, kHi >>> 0, vLo >>> 0, vHi >>> 0)),
  },
  {
    name: 'mapUpdate', params: { map: 'i32', key: 'i64', value: 'i64', flags: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (h: number, key: bigint, value: bigint, flags: bigint): number =>
      update(ctx, h, lo(key), hi(key), lo(value), hi(value), lo(flags), hi(flags)),
    makeSplit: (ctx, guardAll) => guardAll((h: number, kLo: number, kHi: number, vLo: number, vHi: number, fLo: number, fHi: number): number =>
      update(ctx, h, kLo >>> 0, kHi >>> 0, vLo >>> 0, vHi >>> 0, fLo >>> 0, fHi >>> 0)),
  },
  {
    name: 'mapDelete', params: { map: 'i32', key: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (h: number, key: bigint): number => {
      const m = mapOf(ctx, 'mapDelete', h);
      if (!m) return 1;
      if (isFdArray(m.type)) { ctx.log(1, `mapDelete: FD array maps like "${m.name}" are not supported`); return 1; }
      const kAddr = lo(key), kLen = hi(key);
      if (kAddr + kLen > ctx.mem.bytes().length) { ctx.log(1, 'mapDelete: getting a buf for key pointer: invalid pointer'); return 1; }
      const err = m.delete(ctx.mem.bytes(), kAddr, kLen);
      if (err) { ctx.log(1, `mapDelete: deleting value from "${m.name}": ${err}`); return 1; }
      return 0;
    },
  },
  {
    name: 'mapRelease', params: { map: 'i32' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (h: number): number => {
      const ref = ctx.handles.typed<MapRef>(h, HType.Map);
      if (!ref) { ctx.badHandle('mapRelease', h); return 1; }
      if (!ctx.kernel.created.delete(ref)) {
        ctx.log(1, `mapRelease: map ${h} was not created by newMap() or was already closed`);
        return 1;
      }
      ctx.handles.delete(h);
      return 0;
    },
  },
];
