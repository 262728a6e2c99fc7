// The instance's handle table: one numbering for every object the guest holds (data sources, fields,
// packets, array elements, …). 0 is never a valid handle. At most 4096 are live at once, as in IG.
// Unlike IG (which counts upwards and only wraps at 2^32), freed handles are reused lowest-first-ish (LIFO),
// so live handles stay ≤ 4096 and data-array element handles (which pack the array handle in 16 bits) stay valid.

export const MAX_HANDLES = 4096;
/** Flag bit of data-array element handles: 0x80000000 | index << 16 | arrayHandle. */
export const DATA_ARRAY_FLAG = 0x80000000;

/** Type tags of handle targets; objects in the table carry one in `htype`. */
export const enum HType {
  DataSource = 1,
  Field = 2,
  PacketSingle = 3,
  PacketArray = 4,
  Element = 5,
  Map = 6,
  PerfReader = 7,
}

export interface Handled { readonly htype: HType }

/** Told of every change to the table, to keep a copy the wasm side can read (host-memory.ts). */
export interface HandleMirror {
  set(h: number, obj: Handled): void;
  unset(h: number): void;
  unsetAll(): void;
}

const NO_MIRROR: HandleMirror = { set: () => undefined, unset: () => undefined, unsetAll: () => undefined };

export class HandleTable {
  /** Indexed by handle. Mutate only through add/delete/clear, which keep the mirror in step. */
  readonly slots: (Handled | undefined)[] = [undefined];
  private readonly free: number[] = [];
  private live = 0;
  /** Set when a lookup fails, for the caller's diagnostics: 'not found' | 'bad type'. */
  lastError: '' | 'not found' | 'bad type' = '';

  constructor(private readonly onFull: () => void = () => undefined, private readonly mirror: HandleMirror = NO_MIRROR) {}

  get size(): number { return this.live; }

  /** Allocates a handle; 0 when 4096 are live. */
  add(obj: Handled): number {
    if (this.live >= MAX_HANDLES) {
      this.onFull();
      return 0;
    }
    const h = this.free.length > 0 ? this.free.pop()! : this.slots.length;
    this.slots[h] = obj;
    this.mirror.set(h, obj);
    this.live++;
    return h;
  }

  /** Removes a handle; false if it was not live. */
  delete(h: number): boolean {
    if (h <= 0 || h >= this.slots.length || this.slots[h] === undefined) return false;
    this.slots[h] = undefined;
    this.mirror.unset(h);
    this.free.push(h);
    this.live--;
    return true;
  }

  /** Any live object, untyped. */
  get(h: number): Handled | undefined {
    return h > 0 && h < this.slots.length ? this.slots[h] : undefined;
  }

  /** The object if it exists and its type is one of `a`/`b`; else undefined with lastError set. */
  typed<T extends Handled>(h: number, a: HType, b: HType = a): T | undefined {
    const o = h > 0 && h < this.slots.length ? this.slots[h] : undefined;
    if (o === undefined) { this.lastError = 'not found'; return undefined; }
    if (o.htype !== a && o.htype !== b) { this.lastError = 'bad type'; return undefined; }
    return o as T;
  }

  /** Drops every handle (IG does this after gadgetStop). */
  clear(): void {
    this.slots.length = 1;
    this.mirror.unsetAll();
    this.free.length = 0;
    this.live = 0;
  }
}
