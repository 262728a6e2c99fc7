// Events files: the packets the CLI (and tests) feed a gadget through host-side data sources, i.e. what
// IG's eBPF side would provide. Two formats:
//  - YAML or JSON: `datasources:` (host-declared data sources with typed fields) and `events:` (emitted in
//    order after gadgetStart);
//  - JSON Lines recorded with `ig run -o json`: one event a line (an array line = one array packet), nested
//    objects flattened to dotted field names as IG names them, kinds inferred from the values.
// Parsing keeps raw values and their lines; `convertPacket` converts them by kind once the data source's
// fields are known (guest-created data sources are only known after gadgetInit).
import { errorMessage } from '../common/errors';
import * as path from 'node:path';
import { deref, isMap, isScalar, isSeq, keyText, readYaml, toPlain, YamlDoc, YamlError, YMap, YNode, YPair } from '../yaml/read';
import { dynamicBytes, kindFromName } from '../host/engine/kinds';
import { KERNEL_KEYS, parseKernelSections, type EventsKernel } from './kernel';
import { VALUE_KIND_NAMES as KIND_NAMES, type DataSourceDecl, type DataSourceInfo, type KindName, type PacketData, type Value } from '../host/api';

/** A problem in an events file: `file:line: problem`. The CLI turns it into exit status 2. */
export class EventsFileError extends Error {
  constructor(readonly file: string, readonly line: number, readonly problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'EventsFileError';
  }
}

/** A raw value as read from the file: bigint for integers, number for other numbers. */
export type RawValue = string | number | bigint | boolean | null | RawValue[] | { [k: string]: RawValue };

export interface RawRecord {
  values: Record<string, RawValue>;
  /** Line of each field's value, for error messages. */
  lines: Record<string, number>;
  line: number;
}

export interface RawEvent {
  datasource: string;
  /** A single packet (mapping) or an array packet (list of mappings). */
  data: RawRecord | RawRecord[];
  line: number;
}

export interface EventsFile {
  file: string;
  format: 'yaml' | 'jsonl';
  dataSources: DataSourceDecl[];
  events: RawEvent[];
  /** The kernel side (maps, perf records, kallsyms, mntns filter), when the file has it (kernel.ts). */
  kernel?: EventsKernel;
}

export interface ParseOptions {
  /** Name of the data source a JSON Lines recording feeds (default: the file's base name). */
  datasource?: string;
  format?: 'yaml' | 'jsonl';
  /** Kinds for JSON Lines fields, overriding the inferred ones (recordings carry no kinds). */
  kinds?: Record<string, KindName>;
}

/** Parses an events file; `file` is only used in messages. Throws EventsFileError. */
export function parseEventsFile(text: string, file: string, opts: ParseOptions = {}): EventsFile {
  const format = opts.format ?? detectFormat(text, file);
  return format === 'jsonl'
    ? parseJsonLines(text, file, opts.datasource ?? path.basename(file).replace(/\.[^.]*$/, ''), opts.kinds ?? {})
    : parseYamlEvents(text, file);
}

function detectFormat(text: string, file: string): 'yaml' | 'jsonl' {
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  const first = text.split('\n').find((l) => l.trim() !== '')?.trim();
  if (!first || !/^[[{]/.test(first)) return 'yaml';
  try {
    const v = JSON.parse(first) as unknown;
    // A one-line events file has `events`; a recorded event is a bare object or array.
    return Array.isArray(v) || (typeof v === 'object' && v !== null && !('events' in v)) ? 'jsonl' : 'yaml';
  } catch {
    return 'yaml';
  }
}

// ---- YAML / JSON ---------------------------------------------------------------------------------------

function parseYamlEvents(text: string, file: string): EventsFile {
  let doc: YamlDoc;
  try {
    // yaml.v3 refuses duplicate keys; 64-bit values stay exact as bigint.
    doc = readYaml(text, { bigInt: true, uniqueKeys: true });
  } catch (e) {
    if (e instanceof YamlError) throw new EventsFileError(file, e.line, e.reason);
    throw e;
  }
  const lineOf = (node: YNode | null | undefined): number => (node ? doc.position(node.start).line : 1);
  const err = (node: YNode | null | undefined, problem: string): never => { throw new EventsFileError(file, lineOf(node), problem); };
  if (doc.extraDocument !== undefined) throw new EventsFileError(file, doc.position(doc.extraDocument).line, 'a second YAML document: an events file holds one');
  const root = doc.root;
  if (!isMap(root)) return err(root, 'expected a mapping with `datasources` and `events`');
  const topKeys: readonly string[] = ['datasources', 'events', ...KERNEL_KEYS];
  for (const p of root.items) {
    const k = keyOf(p);
    if (!topKeys.includes(k)) err(p.key, `unknown key '${k}' (expected ${topKeys.join(', ')})`);
  }

  const dataSources: DataSourceDecl[] = [];
  const dsNode = get(root, 'datasources');
  if (dsNode !== undefined && !isNullNode(dsNode)) {
    if (!isMap(dsNode)) return err(dsNode, '`datasources` must be a mapping of data source names');
    for (const p of dsNode.items) dataSources.push(parseDecl(p, err));
  }

  const events: RawEvent[] = [];
  const evNode = get(root, 'events');
  if (evNode !== undefined && !isNullNode(evNode)) {
    if (!isSeq(evNode)) return err(evNode, '`events` must be a list');
    for (const it of evNode.items) {
      const item = deref(it);
      if (!isMap(item)) return err(item, 'an event must be a mapping with `datasource` and `data`');
      for (const p of item.items) {
        const k = keyOf(p);
        if (k !== 'datasource' && k !== 'data') err(p.key, `unknown key '${k}' in event (expected datasource, data)`);
      }
      const ds = get(item, 'datasource');
      if (!isScalar(ds) || typeof ds.value !== 'string' || !ds.value) return err(ds ?? item, 'event without a `datasource` name');
      const data = get(item, 'data');
      if (data === undefined) return err(item, 'event without `data`');
      let parsed: RawRecord | RawRecord[];
      if (isSeq(data)) parsed = data.items.map((el) => record(doc, deref(el)!, err, lineOf));
      else parsed = record(doc, data, err, lineOf);
      events.push({ datasource: ds.value, data: parsed, line: lineOf(item) });
    }
  }
  const kernel = parseKernelSections(doc, root, err);
  return kernel ? { file, format: 'yaml', dataSources, events, kernel } : { file, format: 'yaml', dataSources, events };
}

type ErrFn = (node: YNode | null | undefined, problem: string) => never;

function keyOf(p: YPair): string {
  return keyText(p) ?? String(p.key.kind);
}

function get(m: YMap, key: string): YNode | undefined {
  return deref(m.items.find((p) => keyText(p) === key)?.value);
}

function isNullNode(n: YNode | undefined): boolean {
  return isScalar(n) && n.value === null;
}

function parseDecl(p: YPair, err: ErrFn): DataSourceDecl {
  const name = keyOf(p);
  const v = deref(p.value);
  if (isNullNode(v)) err(p.key, `data source '${name}' needs \`fields\``);
  if (!isMap(v)) return err(v, `data source '${name}' must be a mapping with \`type\` and \`fields\``);
  let type: 'single' | 'array' = 'single';
  const fields: DataSourceDecl['fields'] = [];
  for (const q of v.items) {
    const k = keyOf(q);
    if (k === 'type') {
      const t = isScalar(q.value) ? q.value.value : undefined;
      if (t !== 'single' && t !== 'array') err(q.value, `data source '${name}': type must be single or array, not '${String(t)}'`);
      type = t as 'single' | 'array';
    } else if (k === 'fields') {
      if (isNullNode(q.value)) continue;
      if (!isMap(q.value)) return err(q.value, `data source '${name}': \`fields\` must be a mapping of field name to kind`);
      for (const f of q.value.items) fields.push(parseFieldDecl(name, f, err));
    } else {
      err(q.key, `data source '${name}': unknown key '${k}' (expected type, fields)`);
    }
  }
  return { name, type, fields };
}

function parseFieldDecl(ds: string, f: YPair, err: ErrFn): DataSourceDecl['fields'][number] {
  const name = keyOf(f);
  const kindOf = (node: YNode): KindName => {
    const k = isScalar(node) ? String(node.value).toLowerCase() : undefined;
    if (!k || !(KIND_NAMES as string[]).includes(k)) {
      err(node, `data source '${ds}', field '${name}': unknown kind '${isScalar(node) ? String(node.value) : ''}' (expected one of ${KIND_NAMES.join(', ')})`);
    }
    return k as KindName;
  };
  if (isScalar(f.value)) return { name, kind: kindOf(f.value) };
  if (!isMap(f.value)) return err(f.value, `data source '${ds}', field '${name}': expected a kind name or {kind, tags}`);
  let kind: KindName | undefined;
  let tags: string[] = [];
  for (const q of f.value.items) {
    const k = keyOf(q);
    if (k === 'kind') kind = kindOf(q.value);
    else if (k === 'tags') {
      const list = q.value;
      if (!isSeq(list) || !list.items.every((t) => isScalar(t) && typeof t.value === 'string')) {
        return err(q.value, `data source '${ds}', field '${name}': tags must be a list of strings`);
      }
      tags = list.items.map((t) => String((t as { value: string }).value));
    } else err(q.key, `data source '${ds}', field '${name}': unknown key '${k}' (expected kind, tags)`);
  }
  if (!kind) return err(f.value, `data source '${ds}', field '${name}': missing \`kind\``);
  return { name, kind, tags };
}

function record(doc: YamlDoc, node: YNode, err: ErrFn, lineOf: (n: YNode) => number): RawRecord {
  if (isNullNode(node)) return { values: {}, lines: {}, line: lineOf(node) };
  if (!isMap(node)) return err(node, '`data` must be a mapping (one single packet) or a list of mappings (one array packet)');
  const values: Record<string, RawValue> = {};
  const lines: Record<string, number> = {};
  for (const p of node.items) {
    const k = keyOf(p);
    const v = deref(p.value)!;
    const plain = plainOf(doc, v, err);
    // Nested mappings name fields with dots, as IG prints `k8s.namespace`.
    if (isMap(v)) {
      const flat: Record<string, RawValue> = {};
      flatten(plain as Record<string, RawValue>, `${k}.`, flat);
      for (const [fk, fv] of Object.entries(flat)) { values[fk] = fv; lines[fk] = lineOf(v); }
    } else {
      values[k] = plain;
      lines[k] = lineOf(v);
    }
  }
  return { values, lines, line: lineOf(node) };
}

/** A node's plain value; an alias bomb or cycle is an error on the line where it starts. */
function plainOf(doc: YamlDoc, node: YNode, err: ErrFn): RawValue {
  try {
    return toPlain(doc, node);
  } catch (e) {
    if (e instanceof YamlError) return err(node, e.reason);
    throw e;
  }
}

// ---- JSON Lines (ig run -o json) -------------------------------------------------------------------------

function parseJsonLines(text: string, file: string, datasource: string, kinds: Record<string, KindName>): EventsFile {
  const events: RawEvent[] = [];
  const seen = new Map<string, { kinds: Set<string>; negative: boolean }>();
  let type: 'single' | 'array' | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const src = lines[i].trim();
    if (!src) continue;
    const line = i + 1;
    let v: unknown;
    try {
      // js-yaml reads JSON too (it is YAML), and keeps 64-bit integers exact (JSON.parse would round them).
      const doc = readYaml(src, { bigInt: true, uniqueKeys: true });
      v = toPlain(doc, doc.root);
    } catch (e) {
      if (e instanceof YamlError) throw new EventsFileError(file, line, `not a JSON value: ${e.reason} (column ${e.column})`);
      throw e;
    }
    const lineType = Array.isArray(v) ? 'array' : 'single';
    if (v === null || typeof v !== 'object') throw new EventsFileError(file, line, 'expected a JSON object (one event) or array (one array packet)');
    if (type && type !== lineType) {
      throw new EventsFileError(file, line, `a ${lineType === 'array' ? 'JSON array' : 'JSON object'} after ${type === 'array' ? 'arrays' : 'objects'}: one data source is either single or array`);
    }
    type = lineType;
    const toRecord = (o: unknown): RawRecord => {
      if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new EventsFileError(file, line, 'array packet elements must be JSON objects');
      const values: Record<string, RawValue> = {};
      flatten(o as Record<string, RawValue>, '', values);
      const lns: Record<string, number> = {};
      for (const [k, val] of Object.entries(values)) {
        lns[k] = line;
        let s = seen.get(k);
        if (!s) seen.set(k, (s = { kinds: new Set(), negative: false }));
        if (val === null) continue;
        s.kinds.add(typeof val === 'object' ? 'json' : typeof val);
        if ((typeof val === 'bigint' || typeof val === 'number') && val < 0) s.negative = true;
      }
      return { values, lines: lns, line };
    };
    events.push({ datasource, data: Array.isArray(v) ? v.map(toRecord) : toRecord(v), line });
  }
  if (!events.length) throw new EventsFileError(file, 1, 'no events: the file is empty');
  const fields: DataSourceDecl['fields'] = [];
  for (const [name, s] of seen) fields.push({ name, kind: kinds[name] ?? inferKind(s.kinds, s.negative) });
  for (const name of Object.keys(kinds)) {
    if (!seen.has(name)) throw new EventsFileError(file, 1, `a kind is given for field '${name}', which the recording does not have (fields: ${[...seen.keys()].join(', ')})`);
  }
  return { file, format: 'jsonl', dataSources: [{ name: datasource, type: type ?? 'single', fields }], events };
}

/** Nested objects become dotted names, as IG prints fields like `k8s.namespace` (also used for live `-o json` lines). */
export function flatten(o: Record<string, RawValue>, prefix: string, out: Record<string, RawValue>): void {
  for (const [k, v] of Object.entries(o)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, RawValue>, `${prefix}${k}.`, out);
    else out[prefix + k] = v;
  }
}

/** Integers → int64/uint64 (IG's recordings carry no kinds: the wide kinds lose nothing), other numbers →
 *  float64, anything mixed or structured → string. */
function inferKind(kinds: Set<string>, negative: boolean): KindName {
  if (kinds.size === 1 && kinds.has('boolean')) return 'bool';
  if (kinds.size === 1 && kinds.has('bigint')) return negative ? 'int64' : 'uint64';
  if (kinds.size && [...kinds].every((k) => k === 'bigint' || k === 'number')) return 'float64';
  return 'string';
}

// ---- Conversion by kind -----------------------------------------------------------------------------------

const INT_RANGE: Partial<Record<KindName, [bigint, bigint]>> = {
  int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n], uint16: [0n, 65535n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
};

/** Converts one raw value to the field's kind (64-bit → bigint, bytes from base64). Throws a message. */
export function toValue(kind: KindName, raw: RawValue): Value {
  const range = INT_RANGE[kind];
  if (range) {
    let n: bigint;
    if (typeof raw === 'bigint') n = raw;
    else if (typeof raw === 'number' && Number.isInteger(raw)) n = BigInt(raw);
    else if (typeof raw === 'string' && /^-?\d+$/.test(raw.trim())) n = BigInt(raw.trim());
    else if (typeof raw === 'string' && /^0x[0-9a-f]+$/i.test(raw.trim())) n = BigInt(raw.trim());
    else throw new Error(`expected an integer for kind ${kind}, got ${describe(raw)}`);
    if (n < range[0] || n > range[1]) throw new Error(`${n} is out of range for kind ${kind} (${range[0]}..${range[1]})`);
    return kind === 'int64' || kind === 'uint64' ? n : Number(n);
  }
  switch (kind) {
    case 'bool':
      if (typeof raw === 'boolean') return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new Error(`expected true or false for kind bool, got ${describe(raw)}`);
    case 'float32':
    case 'float64':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'bigint') return Number(raw);
      if (typeof raw === 'string' && raw.trim() !== '' && !Number.isNaN(Number(raw))) return Number(raw);
      if (raw === 'NaN' || raw === '.nan') return NaN;
      throw new Error(`expected a number for kind ${kind}, got ${describe(raw)}`);
    case 'string':
    case 'cstring':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
      if (raw === null) return '';
      return JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    case 'bytes':
      if (typeof raw === 'string') {
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 === 1) throw new Error('expected base64 for kind bytes');
        return new Uint8Array(Buffer.from(raw, 'base64'));
      }
      if (Array.isArray(raw) && raw.every((b) => (typeof b === 'bigint' || typeof b === 'number') && b >= 0 && b <= 255)) {
        return Uint8Array.from(raw.map((b) => Number(b)));
      }
      throw new Error(`expected base64 text or a list of byte values for kind bytes, got ${describe(raw)}`);
    default:
      if (kind === 'arrayofstring' || kind === 'arrayofcstring' || kind === 'arrayofbytes') return toValue('bytes', raw);
      if (kind.startsWith('arrayof')) {
        if (!Array.isArray(raw)) throw new Error(`expected a list for kind ${kind}, got ${describe(raw)}`);
        const elem = kind.slice('arrayof'.length) as KindName;
        const values = raw.map((x, i) => {
          try { return toValue(elem, x); } catch (e) { throw new Error(`element ${i}: ${errorMessage(e)}`, { cause: e }); }
        });
        return dynamicBytes(kindFromName(kind)!, values);
      }
      throw new Error(`kind ${kind} cannot carry values`);
  }
}

function describe(v: RawValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  return String(v);
}

/** Converts one event's data by the data source's field kinds. Unknown fields and type mismatches
 *  (a list for a single data source…) are EventsFileErrors naming the line. */
export function convertPacket(file: string, ev: RawEvent, ds: DataSourceDecl | DataSourceInfo): PacketData {
  const kinds = new Map(ds.fields.map((f) => [f.name, f.kind] as const));
  const conv = (r: RawRecord): Record<string, Value> => {
    const out: Record<string, Value> = {};
    for (const [name, raw] of Object.entries(r.values)) {
      const kind = kinds.get(name);
      const line = r.lines[name] ?? r.line;
      if (!kind) throw new EventsFileError(file, line, `data source '${ds.name}' has no field '${name}' (fields: ${[...kinds.keys()].join(', ') || 'none'})`);
      if (raw === null) continue; // absent value: the field keeps its zero value
      try {
        out[name] = toValue(kind, raw);
      } catch (e) {
        throw new EventsFileError(file, line, `field '${name}': ${(e as Error).message}`);
      }
    }
    return out;
  };
  if (Array.isArray(ev.data)) {
    if (ds.type !== 'array') throw new EventsFileError(file, ev.line, `data source '${ds.name}' is single: \`data\` must be a mapping, not a list`);
    return ev.data.map(conv);
  }
  if (ds.type === 'array') throw new EventsFileError(file, ev.line, `data source '${ds.name}' is an array data source: \`data\` must be a list of mappings`);
  return conv(ev.data);
}
