// `ig run -o json` stdout → the packet events the grid consumes (the same `datasources` and `packets`
// HostEvents the embedded host sends). One line is one event of a single data source or one JSON array =
// one packet of an array data source; nested objects are dotted field names (`k8s.namespace`). Lines carry
// no data source name: with several data sources each line goes to the one whose fields its keys match.
// Kinds come from the gadget's eBPF object where it names the field, else from the first value seen.
import type { DataSourceInfo, DataSourceType, FieldInfo, HostEvent, KindName, PacketBatch, Value } from '../../host/api';
import { flatten, type RawValue } from '../../events/parse';

/** A data source the gadget declares (eBPF object, gadget.yaml): its fields' kinds where known. */
export interface KnownDataSource {
  name: string;
  type?: DataSourceType;
  fields: readonly { name: string; kind?: KindName }[];
}

export interface LineProblem { line: number; message: string }

interface DsState {
  info: DataSourceInfo;
  /** Field name → column. */
  index: Map<string, number>;
  /** Kinds the values are converted to, by column (what `info` says the grid gets). */
  kinds: KindName[];
  /** Packets so far (numbered from 1, as the host numbers them). */
  packets: number;
  /** Columns declared without a kind (gadget.yaml names fields, not kinds): their first value decides. */
  pending: Set<number>;
  /** The current `info.fields` names, shared by the batches made until the next field appears. */
  names: string[];
}

export class JsonEventDecoder {
  private readonly states: DsState[];

  constructor(known: readonly KnownDataSource[], fallbackName = 'events') {
    const list = known.length ? known : [{ name: fallbackName, fields: [] }];
    this.states = list.map((k) => {
      const fields: FieldInfo[] = k.fields.map((f) => ({ name: f.name, kind: deliveredKind(f.kind ?? 'string'), tags: [], origin: 'host' }));
      const pending = new Set<number>();
      k.fields.forEach((f, i) => { if (!f.kind) pending.add(i); });
      return {
        pending,
        info: { name: k.name, type: k.type ?? 'single', fields, origin: 'host' },
        index: new Map(fields.map((f, i) => [f.name, i])),
        kinds: fields.map((f) => f.kind),
        packets: 0,
        names: fields.map((f) => f.name),
      };
    });
  }

  get datasources(): DataSourceInfo[] {
    return this.states.map((s) => ({ ...s.info, fields: [...s.info.fields] }));
  }

  /**
   * Decodes consecutive stdout lines (numbered from `firstLine`) into events in order: rows of one data
   * source are gathered in one batch; a new field ends the batch and re-announces the data sources.
   */
  decode(lines: readonly string[], firstLine: number): { events: HostEvent[]; problems: LineProblem[] } {
    const events: HostEvent[] = [];
    const problems: LineProblem[] = [];
    let batch: PacketBatch | undefined;
    let batchState: DsState | undefined;
    const close = (): void => {
      if (batch) events.push({ type: 'packets', batch });
      batch = undefined;
      batchState = undefined;
    };
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i].trim();
      if (!text) continue;
      const line = firstLine + i;
      let v: unknown;
      try {
        v = parseJsonLine(text);
      } catch (e) {
        problems.push({ line, message: `not a JSON event: ${(e as Error).message}` });
        continue;
      }
      const elements = Array.isArray(v) ? v : [v];
      if (!elements.every(isObject)) {
        problems.push({ line, message: 'expected a JSON object (one event) or an array of objects (one array packet)' });
        continue;
      }
      const records = elements.map((o) => { const out: Record<string, RawValue> = {}; flatten(o as Record<string, RawValue>, '', out); return out; });
      const st = this.pick(records, Array.isArray(v));
      if (this.addFields(st, records)) {
        close();
        events.push({ type: 'datasources', datasources: this.datasources });
      }
      if (batchState !== st) {
        close();
        batchState = st;
        batch = { datasource: st.info.name, fields: st.names, rows: [], packet: [] };
        if (st.info.type === 'array') batch.element = [];
      }
      const packet = ++st.packets;
      for (let e = 0; e < records.length; e++) {
        batch!.rows.push(this.row(st, records[e]));
        batch!.packet.push(packet);
        batch!.element?.push(e);
      }
    }
    close();
    return { events, problems };
  }

  /** The data source of a line: the one whose fields its keys match most (ties: the first, arrays for arrays). */
  private pick(records: Record<string, RawValue>[], isArray: boolean): DsState {
    const candidates = this.states.filter((s) => (s.info.type === 'array') === isArray);
    const pool = candidates.length ? candidates : this.states;
    if (pool.length === 1) return pool[0];
    const keys = Object.keys(records[0] ?? {});
    let best = pool[0];
    let bestScore = -1;
    for (const s of pool) {
      let score = 0;
      for (const k of keys) if (s.index.has(k)) score++;
      if (score > bestScore) { best = s; bestScore = score; }
    }
    return best;
  }

  /** Adds the fields the records have that the data source lacks, and kinds still unknown; true when it changed. */
  private addFields(st: DsState, records: Record<string, RawValue>[]): boolean {
    let added = false;
    let changed = false;
    for (const r of records) {
      for (const [k, raw] of Object.entries(r)) {
        const known = st.index.get(k);
        if (known !== undefined) {
          if (st.pending.has(known) && raw !== null) {
            st.pending.delete(known);
            st.kinds[known] = st.info.fields[known].kind = inferKind(raw);
            changed = true;
          }
          continue;
        }
        const kind = inferKind(raw);
        st.index.set(k, st.info.fields.length);
        st.info.fields.push({ name: k, kind, tags: [], origin: 'host' });
        st.kinds.push(kind);
        added = true;
      }
    }
    if (added) st.names = st.info.fields.map((f) => f.name);
    return added || changed;
  }

  private row(st: DsState, r: Record<string, RawValue>): Value[] {
    const out = new Array<Value>(st.kinds.length);
    for (let c = 0; c < st.kinds.length; c++) out[c] = toKind(st.kinds[c], r[st.names[c]]);
    return out;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The kind a value reaches the grid as: arrays and bytes are shown as their JSON text. */
export function deliveredKind(kind: KindName): KindName {
  return kind === 'bytes' || kind.startsWith('arrayof') ? 'string' : kind;
}

function inferKind(raw: RawValue): KindName {
  switch (typeof raw) {
    case 'boolean': return 'bool';
    case 'bigint': return raw < 0n ? 'int64' : 'uint64';
    case 'number': return Number.isInteger(raw) ? (raw < 0 ? 'int64' : 'uint64') : 'float64';
    default: return 'string';
  }
}

/** A JSON value as the column's kind; absent values are the kind's zero value, as IG's fields always have one. */
function toKind(kind: KindName, raw: RawValue | undefined): Value {
  if (raw === undefined || raw === null) return kind === 'bool' ? false : kind === 'string' || kind === 'cstring' ? '' : 0;
  switch (typeof raw) {
    case 'string': return raw;
    case 'number': case 'bigint': case 'boolean':
      return kind === 'string' || kind === 'cstring' ? String(raw) : raw;
    default:
      return JSON.stringify(raw, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
}

const BIG = /\d{16}/;

/**
 * JSON.parse, except that integers beyond 2^53 stay exact as bigint (IG prints 64-bit fields — inode ids,
 * timestamps — as bare numbers). Lines without a 16-digit run take the plain path; the others have their
 * long integers quoted with a mark, parsed, and the marked strings turned back into numbers.
 */
export function parseJsonLine(text: string): unknown {
  if (!BIG.test(text)) return JSON.parse(text);
  const marked = markBigIntegers(text);
  const v = JSON.parse(marked) as unknown;
  return marked === text ? v : unmark(v);
}

function unmark(v: unknown): unknown {
  if (typeof v === 'string') {
    if (v.charCodeAt(0) !== 0) return v;
    const n = BigInt(v.slice(1));
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = unmark(v[i]);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) o[k] = unmark(o[k]);
  }
  return v;
}

/** Quotes integer tokens of 16+ digits outside strings, marked with a leading U+0000. */
function markBigIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) { inString = true; continue; }
    if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let j = i + 1;
      let digitsOnly = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 48 && d <= 57) continue;
        if (d === 46 || d === 101 || d === 69 || d === 43 || d === 45) { digitsOnly = false; continue; } // . e E + -
        break;
      }
      const digits = j - i - (c === 45 ? 1 : 0);
      if (digitsOnly && digits >= 16) {
        out += `${text.slice(last, i)}"\\u0000${text.slice(i, j)}"`;
        last = j;
      }
      i = j - 1;
    }
  }
  return last === 0 ? text : out + text.slice(last);
}
