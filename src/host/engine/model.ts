// The data model behind the handles: data sources, their fields, and packet storage. A Rec holds one
// packet's (or one array element's) field values: scalar fields in one fixed byte buffer at per-field
// offsets, dynamic fields (String, CString, Bytes, Invalid) as separate byte arrays that are replaced,
// never mutated, so values handed to host subscribers stay stable. Records are sized for the fields that
// exist when they are created (as in IG); records of a data source are pooled and reused. The fixed bytes
// live in the instance's host memory when there is room (host-memory.ts), where the i64 shim reads and
// writes them without calling into JS.
import { DataSourceInfo, DataSourceType, FieldInfo, Value } from '../api';
import { HType, HandleTable, Handled } from './handles';
import { HM, type HostMemory } from './host-memory';
import { K, KIND_SIZE, dynamicValue, kindName, readScalarValue, zeroValue } from './kinds';

export class Field implements Handled {
  readonly htype = HType.Field;
  readonly tags: string[] = [];
  /** Byte offset in Rec.fixed for scalar kinds, -1 for dynamic kinds. */
  readonly offset: number;
  /** Storage size for scalar kinds (0 for dynamic). */
  readonly size: number;
  /** Index in Rec.dyn for dynamic kinds, -1 for scalar kinds. */
  readonly dynIndex: number;
  /** Host-declared CString from a char[N] of the eBPF struct: host emits keep at most N - 1 bytes (0: no limit). */
  maxBytes = 0;

  constructor(
    readonly ds: DataSource,
    /** Position in ds.fields: a record has the field iff index < rec.nfields. */
    readonly index: number,
    readonly name: string,
    readonly kind: number,
    readonly origin: 'host' | 'guest',
    offset: number,
    dynIndex: number,
  ) {
    this.size = KIND_SIZE[kind] ?? 0;
    this.offset = this.size > 0 ? offset : -1;
    this.dynIndex = this.size > 0 ? -1 : dynIndex;
  }

  info(): FieldInfo {
    return { name: this.name, kind: kindName(this.kind), tags: [...this.tags], origin: this.origin };
  }
}

const NO_BYTES = new Uint8Array(0);

/** One packet's or element's values. htype says what it is to the handle table. */
export class Rec implements Handled {
  htype: HType;
  readonly fixed: Uint8Array;
  readonly dv: DataView;
  readonly dyn: Uint8Array[];
  readonly nfields: number;
  /** Being delivered by an emit: may not be emitted or released again until that returns. */
  busy = false;
  /** Appended to an array packet (an element belongs to at most one). */
  inArray = false;

  /** Where the record's block (HM.RECORD_HEADER, then `fixed`) is in the host memory; 0: its own buffer. */
  readonly block: number;
  /** The same bytes as `fixed`, 8 at a time: zeroing a record is a few stores instead of one per byte. */
  private readonly words: Float64Array;

  constructor(readonly ds: DataSource, htype: HType) {
    this.htype = htype;
    const size = (ds.fixedSize + 7) & ~7;
    this.nfields = ds.fields.length;
    this.block = size > 0 && ds.store ? ds.store.alloc(this, ds.id, this.nfields, size) : 0;
    const buf = this.block > 0 ? ds.store!.buffer : new ArrayBuffer(size);
    const off = this.block > 0 ? this.block + HM.RECORD_HEADER : 0;
    this.fixed = new Uint8Array(buf, off, ds.fixedSize);
    this.words = new Float64Array(buf, off, size >> 3);
    this.dv = new DataView(buf, off, size);
    this.dyn = new Array<Uint8Array>(ds.dynCount).fill(NO_BYTES);
  }

  reset(): void {
    this.inArray = false;
    const words = this.words, dyn = this.dyn;
    for (let i = 0; i < words.length; i++) words[i] = 0;
    for (let i = 0; i < dyn.length; i++) dyn[i] = NO_BYTES;
  }

  /** Current bytes of a field (a view for scalar fields, the payload for dynamic ones). */
  bytesOf(f: Field): Uint8Array {
    return f.offset >= 0 ? this.fixed.subarray(f.offset, f.offset + f.size) : this.dyn[f.dynIndex];
  }

  /** Column-ordered host values; fields added after this record was created read as their zero value. */
  row(fields: readonly Field[]): Value[] {
    return this.rowInto(fields, new Array<Value>(fields.length));
  }

  /** `row` into a caller's array (resized to the field count). */
  rowInto(fields: readonly Field[], out: Value[]): Value[] {
    const n = fields.length;
    if (out.length !== n) out.length = n;
    for (let i = 0; i < n; i++) {
      const f = fields[i];
      if (f.index >= this.nfields) out[i] = zeroValue(f.kind);
      else if (f.kind === K.Uint32) out[i] = this.dv.getUint32(f.offset, true); // the commonest kind, inline
      else out[i] = f.offset >= 0 ? readScalarValue(this.dv, f.offset, f.kind) : dynamicValue(f.kind, this.dyn[f.dynIndex]);
    }
    return out;
  }
}

export class PacketArray implements Handled {
  readonly htype = HType.PacketArray;
  readonly elements: Rec[] = [];
  busy = false;
  constructor(readonly ds: DataSource) {}
}

export type Packet = Rec | PacketArray;

/** The Data record a data handle designates: a single packet, an element, or a flagged array element. */
export function resolveData(handles: HandleTable, h: number): Rec | undefined {
  if (h < 0) { // DATA_ARRAY_FLAG set (i32 arrives signed)
    const arr = handles.typed<PacketArray>(h & 0xffff, HType.PacketArray);
    return arr?.elements[(h >>> 16) & 0x7fff];
  }
  return handles.typed<Rec>(h, HType.PacketSingle, HType.Element);
}

/** What a guest subscription receives (dataSourceSubscribe's type; the seed's 0 is Data). */
export const enum SubType { Data = 1, Array = 2, Packet = 3 }

/**
 * A subscription in a data source's priority-ordered list: the guest's or a host-side one. A class with
 * every property always set keeps the emit loop's property accesses monomorphic.
 */
export class Subscription {
  constructor(
    readonly priority: number,
    /** Registration order, instance-wide: ties keep it (IG sorts stably). */
    readonly seq: number,
    /** Guest: 1 Data, 2 Array, 3 Packet; 0 for host subscribers. */
    readonly guestType: number,
    /** Guest: the opaque callback id. */
    readonly cbID: bigint,
    /** Guest: the data source handle used to subscribe, passed back to the callback. */
    readonly dsHandle: number,
    /** Host subscriber, or undefined for the guest's. */
    readonly host: ((info: DataSourceInfo, rows: Value[][], isArray: boolean) => void) | undefined,
    /** Host subscriber added via subscribeAll: skipped while the data source is unreferenced. */
    readonly all: boolean,
    /** A host operator (IG's formatters): changes each record (every element of an array packet). */
    readonly op: ((rec: Rec) => void) | undefined = undefined,
  ) {}
}

const POOL_MAX = 64;
let lastId = 0;

export class DataSource implements Handled {
  readonly htype = HType.DataSource;
  /** Tells data sources apart in the host memory's field and record entries (never 0). */
  readonly id = ++lastId;
  readonly fields: Field[] = [];
  readonly byName = new Map<string, Field>();
  /** Sorted by (priority, seq); replaced (copy-on-write) when changed so an emit in progress is unaffected. */
  subscriptions: Subscription[] = [];
  referenced = true;
  fixedSize = 0;
  dynCount = 0;
  /** Emitted packets so far (numbering for embedders). */
  emitted = 0;
  private readonly pool: Rec[] = [];
  /** Host emits: the field each key position of the last mapping resolved to (mappings mostly repeat). */
  readonly keyCache: string[] = [];
  readonly fieldCache: Field[] = [];
  private infoCache: DataSourceInfo | undefined;
  /** Host subscribers' rows for single packets, reused (rows are valid only during the call); busy while lent. */
  readonly rowBuf: Value[] = [];
  readonly rowsBuf: Value[][] = [this.rowBuf];
  rowsBusy = false;

  constructor(
    readonly name: string, readonly type: DataSourceType, readonly origin: 'host' | 'guest',
    /** Where records keep their fixed bytes; without it each has its own buffer. */
    readonly store?: HostMemory,
  ) {}

  /** Case-sensitive match first, then case-insensitive (IG's GetField). */
  field(name: string): Field | undefined {
    const f = this.byName.get(name);
    if (f) return f;
    const lower = name.toLowerCase();
    for (const g of this.fields) if (g.name.toLowerCase() === lower) return g;
    return undefined;
  }

  /** Adds a field; undefined if the name exists. */
  addField(name: string, kind: number, origin: 'host' | 'guest'): Field | undefined {
    if (this.byName.has(name)) return undefined;
    const size = KIND_SIZE[kind] ?? 0;
    const f = new Field(this, this.fields.length, name, kind, origin, this.fixedSize, this.dynCount);
    if (size > 0) this.fixedSize += size; else this.dynCount++;
    this.fields.push(f);
    this.byName.set(name, f);
    this.pool.length = 0; // pooled records lack the new field
    this.keyCache.length = 0;
    this.fieldCache.length = 0;
    this.infoCache = undefined;
    return f;
  }

  fieldsChanged(): void { this.infoCache = undefined; }

  info(): DataSourceInfo {
    this.infoCache ??= { name: this.name, type: this.type, fields: this.fields.map((f) => f.info()), origin: this.origin };
    return this.infoCache;
  }

  newRec(htype: HType): Rec {
    const r = this.pool.pop();
    if (r) { r.htype = htype; return r; }
    return new Rec(this, htype);
  }

  /** Returns a record to the pool once nothing can reach it any more. */
  recycle(r: Rec): void {
    if (r.nfields === this.fields.length && this.pool.length < POOL_MAX) {
      r.reset();
      this.pool.push(r);
    }
  }

  addSubscription(s: Subscription): void {
    const list = this.subscriptions.slice();
    let i = list.length;
    while (i > 0 && (list[i - 1].priority > s.priority || (list[i - 1].priority === s.priority && list[i - 1].seq > s.seq))) i--;
    list.splice(i, 0, s);
    this.subscriptions = list;
  }
}
