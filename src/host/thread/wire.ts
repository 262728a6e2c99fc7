// The wire format of packet batches between the worker and the caller's thread. Rows of arrays cost a
// structured clone per row; here a batch travels as columns instead: numeric kinds in typed arrays whose
// buffers are transferred (not copied), strings of a column joined into one string. The caller rebuilds
// the column-ordered rows of a PacketBatch from them. About 10× cheaper than cloning rows.
import type { KindName, PacketBatch, Value } from '../api';

/** One column of a batch crossing between the worker and the caller's thread. */
export type ThreadColumn =
  | { t: 'num'; v: Float64Array } // int8…uint32, float32, float64: all exact in a double
  | { t: 'bool'; v: Uint8Array }
  | { t: 'i64'; v: BigInt64Array }
  | { t: 'u64'; v: BigUint64Array }
  | { t: 'str'; v: string } // the column's strings joined with NUL (no value contains one)
  | { t: 'any'; v: Value[] }; // strings with NULs, bytes, anything unexpected

export interface WireBatch {
  datasource: string;
  fields: string[];
  n: number;
  packet: Uint32Array;
  element?: Uint32Array;
  cols: ThreadColumn[];
  /** From the caller: rows sharing a packet number form one array packet. */
  grouped?: boolean;
}

type Store = 'num' | 'bool' | 'i64' | 'u64' | 'str' | 'any';

function storeOf(kind: KindName): Store {
  switch (kind) {
    case 'bool': return 'bool';
    case 'int64': return 'i64';
    case 'uint64': return 'u64';
    case 'string': case 'cstring': return 'str';
    case 'bytes': case 'invalid': return 'any';
    default: return kind.startsWith('arrayof') ? 'any' : 'num';
  }
}

type Typed = Float64Array | Uint8Array | BigInt64Array | BigUint64Array;

function grow<T extends Typed | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  (b as unknown as { set(x: T): void }).set(a);
  return b;
}

/** Accumulates rows of one data source (one field layout) column by column. */
export class BatchBuilder {
  n = 0;
  private packet: Uint32Array;
  private element: Uint32Array | undefined;
  private readonly stores: Store[];
  private readonly typed: (Typed | undefined)[];
  private readonly lists: (Value[] | undefined)[];

  constructor(readonly datasource: string, readonly fields: string[], kinds: KindName[], readonly isArray: boolean, capacity: number) {
    this.packet = new Uint32Array(capacity);
    if (isArray) this.element = new Uint32Array(capacity);
    this.stores = kinds.map(storeOf);
    this.typed = this.stores.map((s) => {
      switch (s) {
        case 'num': return new Float64Array(capacity);
        case 'bool': return new Uint8Array(capacity);
        case 'i64': return new BigInt64Array(capacity);
        case 'u64': return new BigUint64Array(capacity);
        default: return undefined;
      }
    });
    this.lists = this.stores.map((s) => (s === 'str' || s === 'any' ? [] : undefined));
  }

  add(rows: Value[][], packetNo: number): void {
    const need = this.n + rows.length;
    if (need > this.packet.length) {
      this.packet = grow(this.packet, need);
      if (this.element) this.element = grow(this.element, need);
      for (let j = 0; j < this.typed.length; j++) if (this.typed[j]) this.typed[j] = grow(this.typed[j]!, need);
    }
    const cols = this.stores.length;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      const at = this.n++;
      this.packet[at] = packetNo;
      if (this.element) this.element[at] = i;
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        switch (this.stores[j]) {
          case 'num': (this.typed[j] as Float64Array)[at] = v as number; break;
          case 'bool': (this.typed[j] as Uint8Array)[at] = v ? 1 : 0; break;
          case 'i64': (this.typed[j] as BigInt64Array)[at] = v as bigint; break;
          case 'u64': (this.typed[j] as BigUint64Array)[at] = v as bigint; break;
          // Bytes may share memory with the host's packet: copy.
          default: this.lists[j]!.push(v instanceof Uint8Array ? v.slice() : v);
        }
      }
    }
  }

  /** The batch ready to post, and the buffers to transfer with it. */
  finish(): { wire: WireBatch; transfer: ArrayBuffer[] } {
    const n = this.n;
    const transfer: ArrayBuffer[] = [];
    const take = <T extends Typed | Uint32Array>(a: T): T => {
      const s = a.slice(0, n) as T;
      transfer.push(s.buffer as ArrayBuffer);
      return s;
    };
    const cols: ThreadColumn[] = this.stores.map((s, j): ThreadColumn => {
      switch (s) {
        case 'num': return { t: 'num', v: take(this.typed[j] as Float64Array) };
        case 'bool': return { t: 'bool', v: take(this.typed[j] as Uint8Array) };
        case 'i64': return { t: 'i64', v: take(this.typed[j] as BigInt64Array) };
        case 'u64': return { t: 'u64', v: take(this.typed[j] as BigUint64Array) };
        case 'str': {
          const list = this.lists[j] as string[];
          let plain = true;
          for (let i = 0; i < list.length && plain; i++) if (typeof list[i] !== 'string' || list[i].includes('\0')) plain = false;
          return plain ? { t: 'str', v: list.join('\0') } : { t: 'any', v: list };
        }
        default: return { t: 'any', v: this.lists[j]! };
      }
    });
    const wire: WireBatch = { datasource: this.datasource, fields: this.fields, n, packet: take(this.packet), cols };
    if (this.element) wire.element = take(this.element);
    return { wire, transfer };
  }
}

/** Rebuilds the column-ordered rows of a batch on the caller's side. */
export function decodeBatch(w: WireBatch): PacketBatch {
  const n = w.n;
  const cols: ArrayLike<Value>[] = w.cols.map((c) => {
    switch (c.t) {
      case 'bool': return Array.from(c.v, (b) => b === 1);
      case 'str': return n === 0 ? [] : c.v.split('\0');
      default: return c.v;
    }
  });
  const rows = new Array<Value[]>(n);
  const width = cols.length;
  for (let i = 0; i < n; i++) {
    const row = new Array<Value>(width);
    for (let j = 0; j < width; j++) row[j] = cols[j][i];
    rows[i] = row;
  }
  const batch: PacketBatch = { datasource: w.datasource, fields: w.fields, rows, packet: Array.from(w.packet) };
  if (w.element) batch.element = Array.from(w.element);
  return batch;
}

const STORE_TYPE: Record<Store, string> = { num: 'number', bool: 'boolean', i64: 'bigint', u64: 'bigint', str: 'string', any: '' };

/**
 * Encodes packets given by the caller as column-ordered rows (the fast path into the worker). `kinds`
 * are the fields' kinds (unknown fields: 'invalid', sent as they are). Values must have the JS type the
 * host reports for the kind (number, bigint for 64-bit, boolean, string, Uint8Array for bytes): a wrong
 * type throws, naming the row and field. `packet` groups rows into array packets (default: one per row).
 */
export function encodeRows(datasource: string, fields: string[], kinds: KindName[], rows: Value[][], packet?: number[]): { wire: WireBatch; transfer: ArrayBuffer[] } {
  const n = rows.length;
  if (packet && packet.length !== n) throw new RangeError(`emitRows: ${n} rows but ${packet.length} packet numbers`);
  const stores = kinds.map(storeOf);
  const transfer: ArrayBuffer[] = [];
  const cols: ThreadColumn[] = stores.map((s, j): ThreadColumn => {
    const want = STORE_TYPE[s];
    const bad = (i: number): never => {
      const v = rows[i][j];
      throw new TypeError(`emitRows into '${datasource}': row ${i}, field '${fields[j]}' (${kinds[j]}): expected a ${want}, got ${typeof v === 'string' ? JSON.stringify(v) : typeof v}`);
    };
    let typed: Typed | undefined;
    switch (s) {
      case 'num': typed = new Float64Array(n); break;
      case 'bool': typed = new Uint8Array(n); break;
      case 'i64': typed = new BigInt64Array(n); break;
      case 'u64': typed = new BigUint64Array(n); break;
      default: break;
    }
    if (typed) {
      for (let i = 0; i < n; i++) {
        const v = rows[i][j];
        if (typeof v !== want) bad(i);
        (typed as unknown as Value[])[i] = s === 'bool' ? (v ? 1 : 0) : v;
      }
      transfer.push(typed.buffer as ArrayBuffer);
      return { t: s, v: typed } as ThreadColumn;
    }
    const list = new Array<Value>(n);
    let plain = s === 'str';
    for (let i = 0; i < n; i++) {
      const v = rows[i][j];
      if (s === 'str' && typeof v !== 'string') bad(i);
      if (plain && (v as string).includes('\0')) plain = false;
      list[i] = v;
    }
    return plain ? { t: 'str', v: (list as string[]).join('\0') } : { t: 'any', v: list };
  });
  const pk = packet ? Uint32Array.from(packet) : Uint32Array.from({ length: n }, (_, i) => i + 1);
  transfer.push(pk.buffer as ArrayBuffer);
  const wire: WireBatch = { datasource, fields, n, packet: pk, cols };
  if (packet) wire.grouped = true;
  return { wire, transfer };
}
