// Data sources, packets, data arrays and subscriptions: the guest's host functions and the emit engine
// shared with host-side emits. Emits are synchronous and re-entrant: a guest callback may emit into any
// data source, including the one being delivered (IG's host deadlocks there).
import { GadgetError, Value } from './api';
import { HostContext, ProcExit } from './context';
import { DATA_ARRAY_FLAG, HType } from './handles';
import type { HostFunctionDef } from './imports';
import { causeOf } from './lifecycle';
import { DataSource, Packet, PacketArray, Rec, Subscription } from './model';

export const enum SubType { Data = 1, Array = 2, Packet = 3 }

/** Runs every subscription of `ds` on `pkt` in priority order. The caller owns `pkt` (and recycles it). */
export function emitPacket(ctx: HostContext, ds: DataSource, pkt: Packet): void {
  ds.emitted++;
  const subs = ds.subscriptions;
  pkt.busy = true;
  try {
    for (let i = 0; i < subs.length; i++) {
      const s = subs[i];
      if (s.host !== undefined) {
        if (s.all && !ds.referenced) continue;
        deliverHost(ctx, ds, pkt, s);
      } else if (s.guestType === SubType.Data && pkt.htype === HType.PacketArray) {
        const els = (pkt as PacketArray).elements;
        for (let j = 0; j < els.length; j++) callGuest(ctx, ds, els[j], s);
      } else {
        callGuest(ctx, ds, pkt, s);
      }
    }
  } finally {
    pkt.busy = false;
  }
}

function deliverHost(ctx: HostContext, ds: DataSource, pkt: Packet, s: Subscription): void {
  const fields = ds.fields;
  let rows: Value[][];
  const isArray = pkt.htype === HType.PacketArray;
  // A single packet's row goes out in the data source's reusable buffers, unless they are lent to a
  // subscriber further up the stack (a subscriber that emits into the same data source).
  const lend = !isArray && !ds.rowsBusy;
  if (lend) {
    ds.rowsBusy = true;
    rows = ds.rowsBuf;
    rows[0] = (pkt as Rec).rowInto(fields, ds.rowBuf);
  } else if (isArray) {
    const els = (pkt as PacketArray).elements;
    rows = new Array(els.length);
    for (let i = 0; i < els.length; i++) rows[i] = els[i].row(fields);
  } else {
    rows = [(pkt as Rec).row(fields)];
  }
  try {
    s.host!(ds.info(), rows, isArray);
  } catch (err) {
    ctx.callbackError(new GadgetError('emit', `host subscriber of data source "${ds.name}" failed: ${message(err)}`));
  } finally {
    if (lend) ds.rowsBusy = false;
  }
}

function callGuest(ctx: HostContext, ds: DataSource, obj: Rec | PacketArray, s: Subscription): void {
  const cb = ctx.exports.dataSourceCallback;
  if (cb === undefined) return;
  const handles = ctx.handles;
  const h = handles.add(obj);
  if (h === 0) {
    ctx.callbackError(new GadgetError('dataSourceCallback', `no free handle to deliver a packet of "${ds.name}" (4096 handles are live)`));
    return;
  }
  try {
    cb(s.cbID, s.dsHandle, h);
  } catch (err) {
    if (err instanceof ProcExit) throw err;
    ctx.callbackError(new GadgetError('dataSourceCallback', `data source "${ds.name}": ${causeOf(err)}`));
  } finally {
    // The guest may have released the temporary itself and the number been reused: only drop our own.
    if (handles.slots[h] === obj) handles.delete(h);
  }
}

export function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The Data record a data handle designates: a single packet, an element, or a flagged array element. */
export function resolveData(ctx: HostContext, h: number): Rec | undefined {
  if (h < 0) { // DATA_ARRAY_FLAG set (i32 arrives signed)
    const arr = ctx.handles.typed<PacketArray>(h & 0xffff, HType.PacketArray);
    return arr?.elements[(h >>> 16) & 0x7fff];
  }
  return ctx.handles.typed<Rec>(h, HType.PacketSingle, HType.Element);
}

function newDataSource(ctx: HostContext, nameBp: bigint, type: number): number {
  const name = ctx.mem.readString(nameBp);
  if (name === null) { ctx.log(1, 'newDataSource: invalid pointer for the name'); return 0; }
  if (type !== 1 && type !== 2) { ctx.log(1, `newDataSource: invalid data source type ${type >>> 0} for "${name}"`); return 0; }
  const ds = new DataSource(name, type === 1 ? 'single' : 'array', 'guest');
  ctx.register(ds);
  return ctx.handles.add(ds);
}

export const dataSourceFunctions: HostFunctionDef[] = [
  {
    // Seed revision: one parameter, always a single data source.
    name: 'newDataSource', params: ['i64'], results: ['i32'], revision: 'seed',
    make: (ctx) => (name: bigint): number => newDataSource(ctx, name, 1),
  },
  {
    name: 'newDataSource', params: ['i64', 'i32'], results: ['i32'], revision: 'current',
    make: (ctx) => (name: bigint, type: number): number => newDataSource(ctx, name, type),
  },
  {
    name: 'getDataSource', params: ['i64'], results: ['i32'], revision: 'both',
    make: (ctx) => (nameBp: bigint): number => {
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'getDataSource: invalid pointer for the name'); return 0; }
      const ds = ctx.registry.get(name);
      if (!ds || !ds.referenced) { ctx.log(1, `getDataSource: data source "${name}" not found`); return 0; }
      return ctx.handles.add(ds);
    },
  },
  {
    name: 'dataSourceSubscribe', params: ['i32', 'i32', 'i32', 'i64'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, type: number, prio: number, cbID: bigint): number => {
      if (!ctx.exports.dataSourceCallback) { ctx.log(1, 'dataSourceSubscribe: the module does not export dataSourceCallback'); return 1; }
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceSubscribe', dsH); return 1; }
      // 0 is the seed's "Data"; today 1 Data, 2 Array, 3 Packet.
      const t = type === 0 ? SubType.Data : type;
      if (t !== SubType.Data && t !== SubType.Array && t !== SubType.Packet) {
        ctx.log(1, `dataSourceSubscribe: unknown subscription type ${type >>> 0}`); return 1;
      }
      if (t === SubType.Array && ds.type !== 'array') {
        ctx.log(1, `dataSourceSubscribe: only array data sources can subscribe to array data ("${ds.name}" is single)`); return 1;
      }
      ds.addSubscription(new Subscription(prio | 0, ctx.nextSeq(), t, cbID, dsH, undefined, false));
      return 0;
    },
  },
  {
    name: 'dataSourceGetField', params: ['i32', 'i64'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, nameBp: bigint): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceGetField', dsH); return 0; }
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'dataSourceGetField: invalid pointer for the name'); return 0; }
      const f = ds.field(name);
      if (!f) { ctx.log(1, `dataSourceGetField: field "${name}" not found in data source "${ds.name}"`); return 0; }
      return ctx.handles.add(f);
    },
  },
  {
    name: 'dataSourceAddField', params: ['i32', 'i64', 'i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, nameBp: bigint, kind: number): number => {
      if (kind >>> 0 > 14) { ctx.log(1, `dataSourceAddField: invalid kind ${kind >>> 0}`); return 0; }
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceAddField', dsH); return 0; }
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'dataSourceAddField: invalid pointer for the name'); return 0; }
      const f = ds.addField(name, kind, 'guest');
      if (!f) { ctx.log(1, `dataSourceAddField: field "${name}" already exists in data source "${ds.name}"`); return 0; }
      return ctx.handles.add(f);
    },
  },
  {
    name: 'dataSourceNewPacketSingle', params: ['i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceNewPacketSingle', dsH); return 0; }
      if (ds.type !== 'single') { ctx.log(1, `dataSourceNewPacketSingle: data source "${ds.name}" is an array data source`); return 0; }
      const rec = ds.newRec(HType.PacketSingle);
      const h = ctx.handles.add(rec);
      if (h === 0) ds.recycle(rec);
      return h;
    },
  },
  {
    name: 'dataSourceNewPacketArray', params: ['i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceNewPacketArray', dsH); return 0; }
      if (ds.type !== 'array') { ctx.log(1, `dataSourceNewPacketArray: data source "${ds.name}" is a single data source`); return 0; }
      return ctx.handles.add(new PacketArray(ds));
    },
  },
  {
    name: 'dataSourceEmitAndRelease', params: ['i32', 'i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, pktH: number): number => {
      const pkt = packetOf(ctx, 'dataSourceEmitAndRelease', dsH, pktH);
      if (!pkt) return 1;
      ctx.handles.delete(pktH);
      emitPacket(ctx, pkt.ds, pkt);
      recyclePacket(pkt);
      return 0;
    },
  },
  ...(['i32', 'none'] as const).map((r): HostFunctionDef => ({
    // The seed documents no result; today it returns 0/1.
    name: 'dataSourceRelease', params: ['i32', 'i32'], results: r === 'i32' ? ['i32'] : [], revision: r === 'i32' ? 'current' : 'seed',
    make: (ctx) => (dsH: number, pktH: number): number => {
      const pkt = packetOf(ctx, 'dataSourceRelease', dsH, pktH);
      if (!pkt) return 1;
      ctx.handles.delete(pktH);
      recyclePacket(pkt);
      return 0;
    },
  })),
  {
    name: 'dataSourceUnreference', params: ['i32'], results: ['i32'], revision: 'current',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceUnreference', dsH); return 1; }
      ds.referenced = false;
      return 0;
    },
  },
  {
    name: 'dataSourceIsReferenced', params: ['i32'], results: ['i32'], revision: 'current',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceIsReferenced', dsH); return 2; }
      return ds.referenced ? 1 : 0;
    },
  },
  {
    name: 'dataArrayNew', params: ['i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayNew', arrH); return 0; }
      return ctx.handles.add(arr.ds.newRec(HType.Element));
    },
  },
  ...(['i32', 'none'] as const).map((r): HostFunctionDef => ({
    name: 'dataArrayAppend', params: ['i32', 'i32'], results: r === 'i32' ? ['i32'] : [], revision: r === 'i32' ? 'current' : 'seed',
    make: (ctx) => (arrH: number, dataH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayAppend', arrH); return 1; }
      const el = ctx.handles.typed<Rec>(dataH, HType.Element, HType.PacketSingle);
      if (!el) { ctx.badHandle('dataArrayAppend', dataH); return 1; }
      // IG's Go host panics on a single packet here; refusing is kinder.
      if (el.htype !== HType.Element) { ctx.log(1, `dataArrayAppend: handle ${dataH} is a single packet, not an array element`); return 1; }
      if (el.ds !== arr.ds) { ctx.log(1, `dataArrayAppend: element of "${el.ds.name}" appended to an array of "${arr.ds.name}"`); return 1; }
      if (el.inArray) { ctx.log(1, `dataArrayAppend: element ${dataH} is already in an array`); return 1; }
      el.inArray = true;
      arr.elements.push(el);
      ctx.handles.delete(dataH);
      return 0;
    },
  })),
  ...(['i32', 'none'] as const).map((r): HostFunctionDef => ({
    name: 'dataArrayRelease', params: ['i32', 'i32'], results: r === 'i32' ? ['i32'] : [], revision: r === 'i32' ? 'current' : 'seed',
    make: (ctx) => (arrH: number, dataH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayRelease', arrH); return 1; }
      const el = ctx.handles.typed<Rec>(dataH, HType.Element, HType.PacketSingle);
      if (!el) { ctx.badHandle('dataArrayRelease', dataH); return 1; }
      ctx.handles.delete(dataH);
      return 0;
    },
  })),
  {
    name: 'dataArrayLen', params: ['i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayLen', arrH); return 0; }
      return arr.elements.length;
    },
  },
  {
    name: 'dataArrayGet', params: ['i32', 'i32'], results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number, idx: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayGet', arrH); return 0; }
      if (idx < 0 || idx >= arr.elements.length) { ctx.log(1, `dataArrayGet: index ${idx} out of range (length ${arr.elements.length})`); return 0; }
      if (idx > 0x7fff || arrH > 0xffff) { ctx.log(1, `dataArrayGet: index ${idx} cannot be encoded in an element handle`); return 0; }
      return (DATA_ARRAY_FLAG | (idx << 16) | arrH) | 0;
    },
  },
  {
    name: 'releaseHandle', params: ['i32'], results: ['i32'], revision: 'current',
    make: (ctx) => (h: number): number => (ctx.handles.delete(h) ? 0 : 1),
  },
];

/** The packet for (ds, packet) handle pairs, checking both and that they belong together. */
function packetOf(ctx: HostContext, fn: string, dsH: number, pktH: number): Packet | undefined {
  const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
  if (!ds) { ctx.badHandle(fn, dsH); return undefined; }
  const pkt = ctx.handles.typed<Packet>(pktH, HType.PacketSingle, HType.PacketArray);
  if (!pkt) { ctx.badHandle(fn, pktH); return undefined; }
  if (pkt.ds !== ds) { ctx.log(1, `${fn}: packet ${pktH} belongs to data source "${pkt.ds.name}", not "${ds.name}"`); return undefined; }
  if (pkt.busy) { ctx.log(1, `${fn}: packet ${pktH} is being delivered; it is released by the host when delivery ends`); return undefined; }
  return pkt;
}

/** Returns a finished packet's records to the pool (nothing can reach them after emit/release). */
export function recyclePacket(pkt: Packet): void {
  if (pkt.htype === HType.PacketArray) {
    const arr = pkt as PacketArray;
    for (const el of arr.elements) arr.ds.recycle(el);
    arr.elements.length = 0;
  } else {
    pkt.ds.recycle(pkt as Rec);
  }
}
