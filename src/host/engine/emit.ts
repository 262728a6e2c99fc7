// The emit path: delivering one packet to every subscription of its data source, in priority order —
// host subscribers (rows of host Values) and the guest's dataSourceCallback (a temporary handle per
// packet or element) — and building host-side packets. Used by the guest's dataSourceEmitAndRelease and
// by host-side emits alike. Emits
// are synchronous and re-entrant: a callback may emit into any data source, including the one being
// delivered (IG's host deadlocks there).
import { GadgetError, PacketData, Value } from '../api';
import { errorMessage } from '../../common/errors';
import { HostContext, ProcExit, causeOf } from './context';
import { HType } from './handles';
import { dynamicBytes, writeScalarValue } from './kinds';
import { DataSource, Packet, PacketArray, Rec, SubType, Subscription } from './model';

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
      } else if (s.op !== undefined) {
        runOperator(ctx, ds, pkt, s.op);
      } else if (s.guestType === SubType.Data && pkt.htype === HType.PacketArray) {
        const els = (pkt as PacketArray).elements;
        for (let j = 0; j < els.length; j++) deliverGuest(ctx, ds, els[j], s);
      } else {
        deliverGuest(ctx, ds, pkt, s);
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
    rows = new Array<Value[]>(els.length);
    for (let i = 0; i < els.length; i++) rows[i] = els[i].row(fields);
  } else {
    rows = [(pkt as Rec).row(fields)];
  }
  try {
    s.host!(ds.info(), rows, isArray);
  } catch (err) {
    ctx.callbackError(new GadgetError('emit', `host subscriber of data source "${ds.name}" failed: ${errorMessage(err)}`));
  } finally {
    if (lend) ds.rowsBusy = false;
  }
}

function runOperator(ctx: HostContext, ds: DataSource, pkt: Packet, op: (rec: Rec) => void): void {
  try {
    if (pkt.htype === HType.PacketArray) for (const el of (pkt as PacketArray).elements) op(el);
    else op(pkt as Rec);
  } catch (err) {
    ctx.callbackError(new GadgetError('emit', `formatter of data source "${ds.name}" failed: ${errorMessage(err)}`));
  }
}

function deliverGuest(ctx: HostContext, ds: DataSource, obj: Rec | PacketArray, s: Subscription): void {
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
    ctx.stdio?.flush(); // what the guest wrote before it trapped, ahead of the error
    ctx.callbackError(new GadgetError('dataSourceCallback', `data source "${ds.name}": ${causeOf(err)}`));
  } finally {
    // The guest may have released the temporary itself and the number been reused: only drop our own.
    if (handles.slots[h] === obj) handles.delete(h);
  }
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

/** A host-side packet from mappings (one for a single data source, a list for an array one). Throws GadgetError('emit'). */
export function buildPacket(ds: DataSource, data: PacketData): Packet {
  if (ds.type === 'array') {
    if (!Array.isArray(data)) throw new GadgetError('emit', `data source "${ds.name}" is an array data source: pass a list of mappings`);
    const arr = new PacketArray(ds);
    for (let i = 0; i < data.length; i++) {
      const rec = ds.newRec(HType.Element);
      rec.inArray = true;
      arr.elements.push(rec);
      fill(ds, rec, data[i], `[${i}]`);
    }
    return arr;
  }
  if (Array.isArray(data) || data === null || typeof data !== 'object') {
    throw new GadgetError('emit', `data source "${ds.name}" is a single data source: pass one mapping`);
  }
  const rec = ds.newRec(HType.PacketSingle);
  try {
    fill(ds, rec, data, '');
  } catch (err) {
    ds.recycle(rec);
    throw err;
  }
  return rec;
}

function fill(ds: DataSource, rec: Rec, data: Record<string, Value>, at: string): void {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new GadgetError('emit', `data source "${ds.name}"${at}: expected a mapping of field names to values`);
  }
  const keys = ds.keyCache, cached = ds.fieldCache;
  let i = 0;
  for (const key in data) {
    const v = data[key];
    let f = keys[i] === key ? cached[i] : undefined;
    if (f === undefined) {
      f = ds.field(key);
      if (!f) throw new GadgetError('emit', `data source "${ds.name}"${at} has no field "${key}"`);
      keys[i] = key;
      cached[i] = f;
    }
    i++;
    if (v === undefined || v === null) continue;
    try {
      if (f.offset >= 0) writeScalarValue(rec.dv, f.offset, f.kind, v);
      else {
        const b = dynamicBytes(f.kind, v);
        rec.dyn[f.dynIndex] = f.maxBytes > 0 && b.length > f.maxBytes ? b.subarray(0, f.maxBytes) : b;
      }
    } catch (err) {
      throw new GadgetError('emit', `data source "${ds.name}"${at}, field "${f.name}": ${errorMessage(err)}`);
    }
  }
}
