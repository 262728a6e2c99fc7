// Output of `ig-wasm run`: `ig run`'s modes (columns, json, jsonpretty, yaml: events only, logs on stderr
// as logrus lines) and `records`, the typed JSON lines other tools parse (logs, data sources, packets,
// config, maps, errors). Writes are buffered and flushed in one `write` per batch of events: a gadget may
// emit millions of rows.
import { KIND_FLAG_ARRAY } from '../host/api';
import { KIND_SIZE, isArrayKind, kindFromName, unpackArray } from '../host/engine/kinds';
import { LOG_LEVELS, type DataSourceInfo, type HostEvent, type KindName, type LogLevel, type MapSnapshot, type PacketBatch, type Phase, type Value } from '../host/api';
import { mapsRecord, mapsTables, type MapDecoder } from '../events/map-view';
import { buildColumns, bytesToHex, cellText, headerText, padCell, type CellValue, type Column } from '../metadata/columns';
import { eventArrayJson, eventYaml, jsonEncoder, jsonTree, type JsonNode, type RowEncoder } from '../metadata/ig-json';
import { Selection, SelectionError } from './select';

/** Where output goes; tests pass collecting sinks. */
export interface Sinks {
  out: (s: string) => void;
  err: (s: string) => void;
}

export interface Printer {
  event(e: HostEvent): void;
  /** An error of the CLI itself (input file, emit), printed the same way as gadget errors. */
  error(phase: Phase | 'input', message: string): void;
  /** Writes whatever is buffered. */
  flush(): void;
  /** Decodes map keys and values by the object's BTF types (set when the run has an eBPF object). */
  mapDecoder: MapDecoder | undefined;
  /** --fields / --filter that do not fit the data sources: the run stops with it (exit 2). */
  readonly selectionError: string | undefined;
}

/** JSON value of a field value: 64-bit integers as numbers when exact, else decimal strings; bytes base64. */
export function jsonValue(v: Value): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v); // NaN, Infinity: not JSON numbers
  return v;
}

const jsonReplacer = (_k: string, v: unknown): unknown =>
  typeof v === 'bigint' || v instanceof Uint8Array ? jsonValue(v) : v;

/** An array kind's packed elements as a JSON list (as IG's json output prints arrays). */
function arrayJson(kind: KindName | undefined, v: Value): unknown {
  const k = kind !== undefined && v instanceof Uint8Array ? kindFromName(kind) : undefined;
  return k !== undefined && isArrayKind(k) && KIND_SIZE[k & ~KIND_FLAG_ARRAY] ? unpackArray(k, v as Uint8Array).map(jsonValue) : jsonValue(v);
}

/** Groups a batch's rows into packets: one object per single packet, one list per array packet. */
export function* packetsOf(batch: PacketBatch, kinds?: ReadonlyMap<string, KindName>): Generator<Record<string, unknown> | Record<string, unknown>[]> {
  const { fields, rows, packet, element } = batch;
  const fieldKinds = fields.map((f) => kinds?.get(f));
  const obj = (row: Value[]): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (let j = 0; j < fields.length; j++) o[fields[j]] = fieldKinds[j]?.startsWith('arrayof') ? arrayJson(fieldKinds[j], row[j]) : jsonValue(row[j]);
    return o;
  };
  for (let i = 0; i < rows.length;) {
    if (!element) { yield obj(rows[i++]); continue; }
    const list: Record<string, unknown>[] = [];
    const no = packet[i];
    while (i < rows.length && packet[i] === no) list.push(obj(rows[i++]));
    yield list;
  }
}

abstract class Buffered implements Printer {
  /** Decodes map keys and values by the object's BTF types (set when the run has an eBPF object). */
  mapDecoder: MapDecoder | undefined;
  selectionError: string | undefined;
  private out: string[] = [];
  private outLen = 0;
  constructor(protected readonly sinks: Sinks, protected readonly level: LogLevel, protected readonly selection = new Selection(undefined, undefined)) {}
  private scheduled = false;
  protected write(s: string): void {
    this.out.push(s);
    this.outLen += s.length;
    if (this.outLen > 1 << 16) this.flush();
    else if (!this.scheduled) {
      // Everything printed while handling one batch from the worker goes out in one write, right after.
      this.scheduled = true;
      setImmediate(() => { this.scheduled = false; this.flush(); });
    }
  }
  protected writeErr(s: string): void {
    this.flush(); // keep stdout and stderr in order on a terminal
    this.sinks.err(s);
  }
  protected shows(level: LogLevel): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }
  flush(): void {
    if (!this.out.length) return;
    const s = this.out.join('');
    this.out = [];
    this.outLen = 0;
    this.sinks.out(s);
  }
  /** One dispatch for both printers: each says how it shows a kind of event, not which kinds exist. */
  event(e: HostEvent): void {
    switch (e.type) {
      case 'log':
        if (this.shows(e.level)) this.log(e.level, e.message, e.stream);
        return;
      case 'datasources':
        try {
          this.selection.bind(e.datasources);
        } catch (err) {
          if (!(err instanceof SelectionError)) throw err;
          this.selectionError = err.message;
        }
        this.datasources(e.datasources);
        return;
      case 'packets':
        // With a bad --fields or --filter the run is being stopped: nothing half-selected is printed.
        if (this.selectionError === undefined) this.packets(this.selection.filter(e.batch, this.kinds.get(e.batch.datasource)));
        return;
      case 'config':
        this.config(e.config);
        return;
      case 'maps':
        this.maps(e.maps);
        return;
      case 'error':
        this.error(e.phase, e.message);
        return;
      case 'phase':
        return;
    }
  }
  /** Field kinds per data source, as the last `datasources` event reported them. */
  protected readonly kinds = new Map<string, Map<string, KindName>>();
  protected noteKinds(datasources: readonly DataSourceInfo[]): void {
    for (const d of datasources) this.kinds.set(d.name, new Map(d.fields.map((f) => [f.name, f.kind])));
  }
  protected abstract log(level: LogLevel, message: string, stream?: 'stdout' | 'stderr'): void;
  protected abstract datasources(datasources: readonly DataSourceInfo[]): void;
  protected abstract packets(batch: PacketBatch): void;
  protected abstract config(config: Record<string, unknown>): void;
  protected abstract maps(maps: MapSnapshot[]): void;
  abstract error(phase: Phase | 'input', message: string): void;
}

/** `-o records`: one typed JSON object a line, the stream tests and tools parse. */
export class RecordsPrinter extends Buffered {
  protected log(level: LogLevel, message: string, stream?: 'stdout' | 'stderr'): void {
    this.write(JSON.stringify(stream ? { type: 'log', level, message, stream } : { type: 'log', level, message }) + '\n');
  }
  protected datasources(datasources: readonly DataSourceInfo[]): void {
    this.noteKinds(datasources);
    this.write(JSON.stringify({
      type: 'datasources',
      datasources: datasources.map((d) => ({ name: d.name, type: d.type, fields: d.fields.map((f) => ({ name: f.name, kind: f.kind, tags: f.tags })) })),
    }) + '\n');
  }
  protected packets(batch: PacketBatch): void {
    for (const data of packetsOf(batch, this.kinds.get(batch.datasource))) this.write(JSON.stringify({ type: 'packet', datasource: batch.datasource, data }) + '\n');
  }
  protected config(config: Record<string, unknown>): void {
    this.write(JSON.stringify({ type: 'config', config }, jsonReplacer) + '\n');
  }
  protected maps(maps: MapSnapshot[]): void {
    this.write(JSON.stringify(mapsRecord(maps, this.mapDecoder), jsonReplacer) + '\n');
  }
  error(phase: Phase | 'input', message: string): void {
    this.write(JSON.stringify({ type: 'error', phase, message }) + '\n');
  }
}

/** gadget.yaml's field annotations per data source, per field name (names lower-cased, values as text). */
export type ColumnAnnotations = Record<string, Record<string, Readonly<Record<string, string>>>>;

const LOGRUS: Record<LogLevel, string> = { error: 'ERRO', warn: 'WARN', info: 'INFO', debug: 'DEBU', trace: 'TRAC' };

/** `ig run`'s modes: events on stdout, the guest's logs and errors on stderr as logrus lines. */
abstract class IgPrinter extends Buffered {
  private readonly t0 = Date.now();

  constructor(sinks: Sinks, level: LogLevel, protected readonly annotations: ColumnAnnotations, selection?: Selection) {
    super(sinks, level, selection);
  }

  protected log(level: LogLevel, message: string): void {
    this.writeErr(`${LOGRUS[level]}[${this.clock()}] ${message}\n`);
  }
  protected datasources(datasources: readonly DataSourceInfo[]): void {
    this.noteKinds(datasources);
  }
  error(phase: Phase | 'input', message: string): void {
    this.writeErr(`${LOGRUS.error}[${this.clock()}] ${phase === 'input' ? '' : `${phase}: `}${message}\n`);
  }

  private clock(): string {
    return String(Math.floor((Date.now() - this.t0) / 1000)).padStart(4, '0');
  }
}

/** `-o json`, `-o jsonpretty`, `-o yaml`: each event as IG prints it (./ig-json.ts). A single packet is
 *  one object; an array packet one JSON array (in yaml, one document per element). */
export class IgJsonPrinter extends IgPrinter {
  /** Per data source layout: the key tree and the encoder of one event (of one array element). */
  private readonly layouts = new Map<string, { tree: JsonNode[]; encode: RowEncoder }>();

  constructor(sinks: Sinks, level: LogLevel, private readonly mode: 'json' | 'jsonpretty' | 'yaml', annotations: ColumnAnnotations, selection?: Selection) {
    super(sinks, level, annotations, selection);
  }

  protected packets(batch: PacketBatch): void {
    const key = `${batch.datasource}\0${batch.fields.length}`;
    const indent = this.mode === 'jsonpretty' ? '  ' : '';
    let layout = this.layouts.get(key);
    if (!layout) {
      const kinds = this.kinds.get(batch.datasource);
      const annotations = this.annotations[batch.datasource] ?? {};
      const tree = jsonTree(batch.fields.map((name) => ({ name, kind: kinds?.get(name) ?? 'string', annotations: annotations[name] })));
      layout = { tree, encode: jsonEncoder(tree, indent, batch.element ? indent : '') };
      this.layouts.set(key, layout);
    }
    const { rows, packet, element } = batch;
    if (this.mode === 'yaml') { for (const row of rows) this.write(eventYaml(layout.tree, row)); return; }
    if (!element) { for (const row of rows) this.write(layout.encode(row) + '\n'); return; }
    for (let i = 0; i < rows.length;) {
      const start = i;
      while (i < rows.length && packet[i] === packet[start]) i++;
      this.write(eventArrayJson(layout.encode, rows.slice(start, i), indent) + '\n');
    }
  }
  // IG's CLI prints events only: the config and the maps are in `-o columns` and `-o records`.
  protected config(): void {}
  protected maps(): void {}
}

/** `ig run`'s default output: per data source a header of upper-cased field names, then one row per
 *  event (per element for array packets), fixed-width columns. */
export class ColumnsPrinter extends IgPrinter {
  private readonly layouts = new Map<string, Column[]>();
  private lastDs: string | undefined;
  private initialConfig: Record<string, unknown> | undefined;

  constructor(sinks: Sinks, level: LogLevel, annotations: ColumnAnnotations, initialConfig?: Record<string, unknown>, selection?: Selection) {
    super(sinks, level, annotations, selection);
    this.initialConfig = initialConfig;
  }

  protected packets(batch: PacketBatch): void {
    this.rows(batch);
  }

  private layout(batch: PacketBatch): Column[] {
    const key = `${batch.datasource}\0${batch.fields.length}`;
    let cols = this.layouts.get(key);
    if (cols) return cols;
    const annotations = this.annotations[batch.datasource] ?? {};
    const kinds = this.kinds.get(batch.datasource);
    // The same column rules as the grid: widths, alignment, ellipsis, hex, hidden (src/metadata/columns.ts).
    // --fields picks and orders them (hidden ones too); else the visible ones.
    cols = this.selection.columns(batch.datasource, buildColumns(batch.fields.map((name) => ({ name, kind: kinds?.get(name) ?? 'string', annotations: annotations[name] ?? {} }))));
    this.layouts.set(key, cols);
    return cols;
  }

  private rows(batch: PacketBatch): void {
    const cols = this.layout(batch);
    if (this.lastDs !== batch.datasource) {
      // A new table when the data source changes: each data source has its own columns.
      if (this.lastDs !== undefined) this.write('\n');
      this.write(cols.map(headerText).join(' ') + '\n');
      this.lastDs = batch.datasource;
    }
    for (const row of batch.rows) {
      let line = '';
      for (let i = 0; i < cols.length; i++) {
        const c = cols[i]!;
        if (i > 0) line += ' ';
        line += padCell(cellText(cellValue(row[c.index]), c, c.width), c.width, c.alignment);
      }
      this.write(line + '\n');
    }
  }

  protected maps(maps: MapSnapshot[]): void {
    this.write(mapsTables(maps, this.mapDecoder));
  }

  protected config(config: Record<string, unknown>): void {
    // Only what the gadget changed: the rest is gadget.yaml, which the user already has.
    const before = flat(this.initialConfig ?? {});
    const changed = Object.entries(flat(config)).filter(([k, v]) => before[k] !== v);
    if (!changed.length) return;
    const w = Math.max(...changed.map(([k]) => k.length), 'CONFIG'.length);
    this.write(`\n${'CONFIG'.padEnd(w)} VALUE\n`);
    for (const [k, v] of changed) this.write(`${k.padEnd(w)} ${v}\n`);
  }
}

/** A host value as the column rules take it: bytes as hex (as in the grid), line breaks and tabs as spaces
 *  so a row stays one terminal line. */
function cellValue(v: Value | undefined): CellValue {
  if (v instanceof Uint8Array) return bytesToHex(v);
  if (typeof v === 'string' && /[\n\r\t]/.test(v)) return v.replace(/[\n\r\t]/g, ' ');
  return v;
}

function flat(o: Record<string, unknown>, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flat(v as Record<string, unknown>, `${prefix}${k}.`, out);
    else out[prefix + k] = typeof v === 'string' ? v : JSON.stringify(v, jsonReplacer);
  }
  return out;
}
