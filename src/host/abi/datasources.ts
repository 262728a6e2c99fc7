// Data sources, packets, data arrays and subscriptions: the guest's host functions for them. Emitting
// itself is the engine's (engine/emit.ts), shared with host-side emits.
import { HostContext } from '../engine/context';
import { emitPacket, recyclePacket } from '../engine/emit';
import { DATA_ARRAY_FLAG, HType } from '../engine/handles';
import { DataSource, Packet, PacketArray, Rec, SubType, Subscription } from '../engine/model';
import { MAX_ARRAY_ELEMENTS, MAX_DATA_SOURCES, MAX_FIELDS_PER_DATA_SOURCE, MAX_NAME_BYTES } from '../engine/limits';
import { bpLength } from '../engine/memory';
import { withAndWithoutStatus, type HostFunctionDef } from './define';

function newDataSource(ctx: HostContext, nameBp: bigint, type: number): number {
  const len = bpLength(nameBp);
  if (!ctx.within('newDataSource', 'a name of bytes', len, MAX_NAME_BYTES)) return 0;
  const name = ctx.mem.readString(nameBp);
  if (name === null) { ctx.log(1, 'newDataSource: invalid pointer for the name'); return 0; }
  if (type !== 1 && type !== 2) { ctx.log(1, `newDataSource: invalid data source type ${type >>> 0} for "${name}"`); return 0; }
  if (!ctx.registry.has(name) && !ctx.within('newDataSource', 'a count of data sources', ctx.registry.size + 1, MAX_DATA_SOURCES)) return 0;
  if (!ctx.keepMetadata('newDataSource', len)) return 0;
  const ds = new DataSource(name, type === 1 ? 'single' : 'array', 'guest', ctx.hostMem);
  ctx.register(ds);
  return ctx.handles.add(ds);
}

export const dataSourceFunctions: HostFunctionDef[] = [
  {
    // Seed revision: one parameter, always a single data source.
    name: 'newDataSource', params: { name: 'i64' }, results: ['i32'], revision: 'seed',
    make: (ctx) => (name: bigint): number => newDataSource(ctx, name, 1),
  },
  {
    name: 'newDataSource', params: { name: 'i64', type: 'i32' }, results: ['i32'], revision: 'current',
    make: (ctx) => (name: bigint, type: number): number => newDataSource(ctx, name, type),
  },
  {
    name: 'getDataSource', params: { name: 'i64' }, results: ['i32'], revision: 'both',
    make: (ctx) => (nameBp: bigint): number => {
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'getDataSource: invalid pointer for the name'); return 0; }
      const ds = ctx.registry.get(name);
      if (!ds || !ds.referenced) { ctx.log(1, `getDataSource: data source "${name}" not found`); return 0; }
      return ctx.handles.add(ds);
    },
  },
  {
    name: 'dataSourceSubscribe', params: { ds: 'i32', type: 'i32', priority: 'i32', cbID: 'i64' }, results: ['i32'], revision: 'both',
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
    name: 'dataSourceGetField', params: { ds: 'i32', name: 'i64' }, results: ['i32'], revision: 'both',
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
    name: 'dataSourceAddField', params: { ds: 'i32', name: 'i64', kind: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, nameBp: bigint, kind: number): number => {
      if (kind >>> 0 > 14) { ctx.log(1, `dataSourceAddField: invalid kind ${kind >>> 0}`); return 0; }
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceAddField', dsH); return 0; }
      const len = bpLength(nameBp);
      if (!ctx.within('dataSourceAddField', 'a name of bytes', len, MAX_NAME_BYTES)) return 0;
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'dataSourceAddField: invalid pointer for the name'); return 0; }
      if (ds.byName.has(name)) { ctx.log(1, `dataSourceAddField: field "${name}" already exists in data source "${ds.name}"`); return 0; }
      if (!ctx.within('dataSourceAddField', `a count of fields in data source "${ds.name}"`, ds.fields.length + 1, MAX_FIELDS_PER_DATA_SOURCE)) return 0;
      if (!ctx.keepMetadata('dataSourceAddField', len)) return 0;
      const f = ds.addField(name, kind, 'guest')!;
      return ctx.handles.add(f);
    },
  },
  {
    name: 'dataSourceNewPacketSingle', params: { ds: 'i32' }, results: ['i32'], revision: 'both',
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
    name: 'dataSourceNewPacketArray', params: { ds: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceNewPacketArray', dsH); return 0; }
      if (ds.type !== 'array') { ctx.log(1, `dataSourceNewPacketArray: data source "${ds.name}" is a single data source`); return 0; }
      return ctx.handles.add(new PacketArray(ds));
    },
  },
  {
    name: 'dataSourceEmitAndRelease', params: { ds: 'i32', packet: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (dsH: number, pktH: number): number => {
      const pkt = packetOf(ctx, 'dataSourceEmitAndRelease', dsH, pktH);
      if (!pkt) return 1;
      ctx.handles.delete(pktH);
      emitPacket(ctx, pkt.ds, pkt);
      recyclePacket(pkt);
      return 0;
    },
  },
  ...withAndWithoutStatus({
    // The seed documents no result; today it returns 0/1.
    name: 'dataSourceRelease', params: { ds: 'i32', packet: 'i32' },
    make: (ctx) => (dsH: number, pktH: number): number => {
      const pkt = packetOf(ctx, 'dataSourceRelease', dsH, pktH);
      if (!pkt) return 1;
      ctx.handles.delete(pktH);
      recyclePacket(pkt);
      return 0;
    },
  }),
  {
    name: 'dataSourceUnreference', params: { ds: 'i32' }, results: ['i32'], revision: 'current',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceUnreference', dsH); return 1; }
      ds.referenced = false;
      return 0;
    },
  },
  {
    name: 'dataSourceIsReferenced', params: { ds: 'i32' }, results: ['i32'], revision: 'current',
    make: (ctx) => (dsH: number): number => {
      const ds = ctx.handles.typed<DataSource>(dsH, HType.DataSource);
      if (!ds) { ctx.badHandle('dataSourceIsReferenced', dsH); return 2; }
      return ds.referenced ? 1 : 0;
    },
  },
  {
    name: 'dataArrayNew', params: { array: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayNew', arrH); return 0; }
      return ctx.handles.add(arr.ds.newRec(HType.Element));
    },
  },
  ...withAndWithoutStatus({
    name: 'dataArrayAppend', params: { array: 'i32', data: 'i32' },
    make: (ctx) => (arrH: number, dataH: number): number => {
      const [arr, el] = arrayAndData(ctx, 'dataArrayAppend', arrH, dataH);
      if (!arr || !el) return 1;
      // IG's Go host panics on a single packet here; refusing is kinder.
      if (el.htype !== HType.Element) { ctx.log(1, `dataArrayAppend: handle ${dataH} is a single packet, not an array element`); return 1; }
      if (el.ds !== arr.ds) { ctx.log(1, `dataArrayAppend: element of "${el.ds.name}" appended to an array of "${arr.ds.name}"`); return 1; }
      if (el.inArray) { ctx.log(1, `dataArrayAppend: element ${dataH} is already in an array`); return 1; }
      if (!ctx.within('dataArrayAppend', 'a count of array elements', arr.elements.length + 1, MAX_ARRAY_ELEMENTS)) return 1;
      el.inArray = true;
      arr.elements.push(el);
      ctx.handles.delete(dataH);
      return 0;
    },
  }),
  ...withAndWithoutStatus({
    name: 'dataArrayRelease', params: { array: 'i32', data: 'i32' },
    make: (ctx) => (arrH: number, dataH: number): number => {
      const [arr, el] = arrayAndData(ctx, 'dataArrayRelease', arrH, dataH);
      if (!arr || !el) return 1;
      ctx.handles.delete(dataH);
      return 0;
    },
  }),
  {
    name: 'dataArrayLen', params: { array: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayLen', arrH); return 0; }
      return arr.elements.length;
    },
  },
  {
    name: 'dataArrayGet', params: { array: 'i32', index: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (arrH: number, idx: number): number => {
      const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
      if (!arr) { ctx.badHandle('dataArrayGet', arrH); return 0; }
      if (idx < 0 || idx >= arr.elements.length) { ctx.log(1, `dataArrayGet: index ${idx} out of range (length ${arr.elements.length})`); return 0; }
      if (idx > 0x7fff || arrH > 0xffff) { ctx.log(1, `dataArrayGet: index ${idx} cannot be encoded in an element handle`); return 0; }
      return (DATA_ARRAY_FLAG | (idx << 16) | arrH) | 0;
    },
  },
  {
    name: 'releaseHandle', params: { handle: 'i32' }, results: ['i32'], revision: 'current',
    make: (ctx) => (h: number): number => (ctx.handles.delete(h) ? 0 : 1),
  },
];

/** The array and the data record of (array, data) handle pairs; logs what is wrong with either. */
function arrayAndData(ctx: HostContext, fn: string, arrH: number, dataH: number): [PacketArray?, Rec?] {
  const arr = ctx.handles.typed<PacketArray>(arrH, HType.PacketArray);
  if (!arr) { ctx.badHandle(fn, arrH); return []; }
  const el = ctx.handles.typed<Rec>(dataH, HType.Element, HType.PacketSingle);
  if (!el) { ctx.badHandle(fn, dataH); return []; }
  return [arr, el];
}

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
