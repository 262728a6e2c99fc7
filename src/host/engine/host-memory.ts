// The host's own wasm memory, one per instance, invisible to the guest: only the i64 shim module imports it.
// It holds what lets the shim serve the commonest host calls (a scalar fieldGetScalar/fieldSet on a plain
// handle) inside wasm, with no crossing into JS at all:
//  - the high-half cell of split host functions (i64-shim.ts);
//  - a mirror of the handle table for fields and records, kept by HandleTable.add/delete/clear;
//  - the arena the records' fixed bytes live in (model.ts Rec), so wasm and JS read the same bytes.
// The memory never grows (growth would detach the views records hold on it): a record that does not fit
// gets its own ArrayBuffer and no mirror entry, and the shim then passes its calls to the JS function.
import type { Handled, HandleMirror } from './handles';
import { HType, MAX_HANDLES } from './handles';
import { KIND_SIZE } from './kinds';
import type { Field, Rec } from './model';
import { Wasm, type WasmMemory } from './wasm-api';

const FIELD_ENTRY = 16;
const FIELDS = 0;
const RECORDS = (MAX_HANDLES + 1) * FIELD_ENTRY;
const KIND_SIZES = RECORDS + (((MAX_HANDLES + 1) * 4 + 15) & ~15);

/**
 * Byte offsets of the layout. Handle h's field entry is at FIELDS + 16h, its record entry at
 * RECORDS + 4h (h in 1..4096); 0 in the first word of either means "none".
 */
export const HM = {
  /** i32: the high half of an i64 result of a split host function. */
  HI: 0,
  /** Field entries: i32 data source id (0: not a field with fixed storage), index, offset, size. */
  FIELDS,
  /** Record entries: i32 address of the record's block in the arena (0: not a record there). */
  RECORDS,
  /** u8 per kind number 0..15: its storage size (0 for non-scalar kinds). */
  KIND_SIZE: KIND_SIZES,
  ARENA: KIND_SIZES + 16,
  /** A record's block: i32 data source id, i32 field count, then the fixed bytes. */
  RECORD_HEADER: 8,
} as const;

/** 4 MiB: about 3.9 MiB of records (a data source's pool holds up to 64, plus the live ones). */
const PAGES = 64;
const SIZE = PAGES * 65536;

export class HostMemory implements HandleMirror {
  readonly memory: WasmMemory = new Wasm.Memory({ initial: PAGES, maximum: PAGES });
  /** The high-half cell. */
  readonly hi: Int32Array;
  private readonly i32: Int32Array;
  private top: number = HM.ARENA;
  /** Freed arena blocks by size (records of one data source all have the same size). */
  private readonly free = new Map<number, number[]>();
  /** A record dropped without being recycled gives its block back when collected. */
  private readonly reclaim = new FinalizationRegistry<{ at: number; size: number }>((b) => this.release(b.at, b.size));

  constructor() {
    const buf = this.memory.buffer;
    this.hi = new Int32Array(buf, HM.HI, 1);
    this.i32 = new Int32Array(buf);
    new Uint8Array(buf, HM.KIND_SIZE, 16).set(KIND_SIZE);
  }

  get buffer(): ArrayBuffer { return this.memory.buffer; }

  /**
   * The address of an 8-aligned block for a record of data source `dsId` with `nfields` fields and `size`
   * fixed bytes (which start HM.RECORD_HEADER bytes in), or 0 when the arena is full.
   */
  alloc(owner: Rec, dsId: number, nfields: number, size: number): number {
    size = (HM.RECORD_HEADER + size + 7) & ~7;
    let at = this.free.get(size)?.pop();
    if (at !== undefined) {
      this.i32.fill(0, at >> 2, (at + size) >> 2); // a new record starts zeroed, as fresh arena does
    } else {
      if (this.top + size > SIZE) return 0;
      at = this.top;
      this.top += size;
    }
    this.i32[at >> 2] = dsId;
    this.i32[(at >> 2) + 1] = nfields;
    this.reclaim.register(owner, { at, size });
    return at;
  }

  /** Gives a block back (called when its record has been collected). */
  release(at: number, size: number): void {
    const list = this.free.get(size);
    if (list) list.push(at); else this.free.set(size, [at]);
  }

  /** HandleMirror: a field with fixed storage or a record in the arena gets an entry the shim reads. */
  set(h: number, obj: Handled): void {
    const t = obj.htype;
    if (t === HType.Field) {
      const f = obj as Field;
      if (f.offset < 0) return;
      const e = (FIELDS + h * FIELD_ENTRY) >> 2;
      this.i32[e] = f.ds.id; this.i32[e + 1] = f.index; this.i32[e + 2] = f.offset; this.i32[e + 3] = f.size;
    } else if (t === HType.PacketSingle || t === HType.Element) {
      this.i32[(RECORDS >> 2) + h] = (obj as Rec).block;
    }
  }

  /** HandleMirror: handle h no longer designates anything. */
  unset(h: number): void {
    this.i32[(FIELDS + h * FIELD_ENTRY) >> 2] = 0;
    this.i32[(RECORDS >> 2) + h] = 0;
  }

  /** HandleMirror: every handle dropped. */
  unsetAll(): void {
    this.i32.fill(0, 0, KIND_SIZES >> 2);
  }
}
