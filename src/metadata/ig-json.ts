// `ig run -o json|jsonpretty|yaml` as IG's CLI operator prints events (IG's json formatter, then its
// JSON-to-YAML conversion): dotted field names nest (`k8s.namespace` → {"k8s":{"namespace":…}}), the
// keys of each object sorted by name, every field shown (hidden ones too) except `json.skip: "true"`
// ones, 64-bit integers exact, bytes and non-numeric arrays as hex, strings escaped as Go's encoder does.
// Used by `ig-wasm run -o json…` on host values and by the grid's JSON Lines export and details pane on
// the values the page holds (64-bit integers as decimal text, bytes as hex): one writer, the same output.
import { KIND_FLAG_ARRAY, type KindName, type Value } from '../host/api';
import { KIND_SIZE, isArrayKind, kindFromName, unpackArray } from '../host/engine/kinds';
import { bytesToHex } from './columns';

/** One key of an event object: a field's value, or an object of the fields under a dotted prefix. */
export interface JsonNode {
  name: string;
  /** Index of the field in the batch's rows (leaves). */
  index: number;
  kind: KindName;
  children?: JsonNode[];
}

/** A value as the host reports it, or as the grid's page holds it (null: none). */
export type JsonValue = Value | null;

/** The key tree of a data source's fields (`json.skip: "true"` fields left out), sorted as IG sorts;
 *  each field's value is at its position in a row. */
export function jsonTree(fields: readonly { name: string; kind: KindName; annotations?: Readonly<Record<string, string>> }[]): JsonNode[] {
  const root: JsonNode = { name: '', index: -1, kind: 'invalid', children: [] };
  fields.forEach((f, index) => {
    if (f.annotations?.['json.skip'] === 'true') return;
    const parts = f.name.split('.');
    let node = root;
    for (let p = 0; p < parts.length; p++) {
      const children = node.children ??= [];
      let next = children.find((c) => c.name === parts[p]);
      if (!next) children.push(next = { name: parts[p]!, index: -1, kind: 'invalid' });
      node = next;
    }
    node.index = index;
    node.kind = f.kind;
  });
  const sort = (nodes: JsonNode[]): JsonNode[] => {
    nodes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const n of nodes) if (n.children) sort(n.children);
    return nodes;
  };
  return sort(root.children!);
}

const ESCAPES: Record<number, string> = { 0x22: '\\"', 0x5c: '\\\\', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t' };

/** A JSON string as Go's encoder writes it: `\u00XX` for control bytes, U+2028/2029 escaped, no HTML escaping. */
export function goString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x2028 && c !== 0x2029) continue;
    out += s.slice(start, i) + (ESCAPES[c] ?? `\\u${c.toString(16).padStart(4, '0')}`);
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** A float as Go's JSON encoder writes it (ES6 number formatting); float32 values in their shortest form. */
export function goFloat(v: number, bits: 32 | 64): string {
  // IG's encoder refuses non-finite floats; null keeps the line valid JSON.
  if (!Number.isFinite(v)) return 'null';
  if (Object.is(v, -0)) return '-0';
  if (bits === 32) {
    for (let p = 1; p < 9; p++) {
      const short = Number(v.toPrecision(p));
      if (Math.fround(short) === v) return String(short);
    }
  }
  return String(v);
}

/** A number as go-yaml prints a float64 (strconv 'g', shortest): exponent form below 1e-4 and from 1e6. */
function goYamlFloat(v: number): string {
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return String(v); // JSON without a fraction: a YAML int
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

type Scalar = { t: 'n'; text: string; float?: number } | { t: 's'; s: string } | { t: 'b'; b: boolean } | { t: 'null' };

function scalar(kind: KindName, v: JsonValue | undefined): Scalar {
  if (v === undefined || v === null) return { t: 'null' };
  switch (kind) {
    case 'bool': return { t: 'b', b: v === true };
    case 'string': case 'cstring': return { t: 's', s: typeof v === 'string' ? v : String(v) };
    case 'float32': case 'float64': return typeof v === 'number' ? { t: 'n', text: goFloat(v, kind === 'float32' ? 32 : 64), float: v } : { t: 'null' };
    default:
      if (typeof v === 'bigint' || typeof v === 'number') return { t: 'n', text: String(v) };
      if (v instanceof Uint8Array) return { t: 's', s: bytesToHex(v) };
      return { t: 's', s: String(v) };
  }
}

/** Elements of a numeric array field as YAML reads them. */
function numericArray(kind: KindName, v: JsonValue | undefined): Scalar[] | undefined {
  const arr = numericElements(kind);
  const bytes = arr && arrayBytes(v);
  return arr && bytes ? unpackArray(arr.k, bytes).map((x) => scalar(arr.elem, x)) : undefined;
}

/** Encodes one row: built once per data source layout, as IG builds its formatter's functions. */
export type RowEncoder = (row: readonly JsonValue[]) => string;

/** The kind of a numeric array field's elements and its kind number (IG lists those; others are hex). */
function numericElements(kind: KindName): { k: number; elem: KindName } | undefined {
  if (!kind.startsWith('arrayof')) return undefined;
  const k = kindFromName(kind);
  const elem = kind.slice('arrayof'.length) as KindName;
  if (k === undefined || !isArrayKind(k) || elem === 'bool' || !KIND_SIZE[k & ~KIND_FLAG_ARRAY]) return undefined;
  return { k, elem };
}

function jsonNumber(v: JsonValue | undefined, bits: 0 | 32 | 64): string {
  if (typeof v === 'number') return bits ? goFloat(v, bits) : String(v);
  return typeof v === 'bigint' ? v.toString() : 'null';
}

/** An array field's bytes: as the host reports them, or the grid's hex text of them. */
function arrayBytes(v: JsonValue | undefined): Uint8Array | undefined {
  if (v instanceof Uint8Array) return v;
  if (typeof v !== 'string' || v.length % 2 || !/^[\da-f]*$/i.test(v)) return undefined;
  const b = new Uint8Array(v.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(v.slice(2 * i, 2 * i + 2), 16);
  return b;
}

const INTEGER_KINDS = new Set<KindName>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);
const DECIMAL = /^-?\d+$/;

function jsonLeaf(kind: KindName, index: number, ind: string, indent: string): RowEncoder {
  const arr = numericElements(kind);
  if (arr) {
    const bits = arr.elem === 'float32' ? 32 : arr.elem === 'float64' ? 64 : 0;
    const [open, sep, close] = indent ? [`[\n${ind}${indent}`, `,\n${ind}${indent}`, `\n${ind}]`] : ['[', ',', ']'];
    return (row) => {
      const v = arrayBytes(row[index]);
      if (!v) return 'null';
      const xs = unpackArray(arr.k, v);
      if (!xs.length) return indent ? `[\n\n${ind}]` : '[]'; // as IG writes an empty one
      return open + xs.map((x) => jsonNumber(x, bits)).join(sep) + close;
    };
  }
  switch (kind) {
    case 'bool': return (row) => (row[index] === true ? 'true' : 'false');
    case 'string': case 'cstring': return (row) => {
      const v = row[index];
      return typeof v === 'string' ? goString(v) : v === undefined || v === null ? 'null' : goString(String(v));
    };
    case 'float32': case 'float64': { const bits = kind === 'float32' ? 32 : 64; return (row) => jsonNumber(row[index], bits); }
    default: if (INTEGER_KINDS.has(kind)) return (row) => {
      const v = row[index];
      if (typeof v === 'number' || typeof v === 'bigint') return String(v);
      // The grid holds 64-bit integers beyond 2^53 as their decimal text.
      if (typeof v === 'string') return DECIMAL.test(v) ? v : goString(v);
      return v === undefined || v === null ? 'null' : goString(String(v));
    };
    return (row) => {
      const v = row[index];
      if (typeof v === 'number' || typeof v === 'bigint') return String(v);
      if (v instanceof Uint8Array) return goString(bytesToHex(v));
      return v === undefined || v === null ? 'null' : goString(String(v));
    };
  }
}

/** The members of an object at indentation `ind` (`indent` '' for compact output). */
function jsonMembers(nodes: readonly JsonNode[], ind: string, indent: string): RowEncoder {
  const parts = nodes.map((n, i) => ({
    key: (i > 0 ? (indent ? ',\n' : ',') : '') + (indent ? `${ind}"${n.name}": ` : `"${n.name}":`),
    enc: n.children ? jsonObject(n.children, ind, indent) : jsonLeaf(n.kind, n.index, ind, indent),
  }));
  return (row) => {
    let out = '';
    for (const p of parts) out += p.key + p.enc(row);
    return out;
  };
}

/** An object whose key sits at indentation `ind`: its members one level deeper. */
function jsonObject(nodes: readonly JsonNode[], ind: string, indent: string): RowEncoder {
  const body = jsonMembers(nodes, ind + indent, indent);
  const [open, close] = indent ? ['{\n', `\n${ind}}`] : ['{', '}'];
  return (row) => open + body(row) + close;
}

/** The encoder of one event for `-o json` (indent '') or `-o jsonpretty` (indent '  '; `base`: the
 *  indentation of an array's elements). */
export function jsonEncoder(tree: readonly JsonNode[], indent: string, base = ''): RowEncoder {
  const obj = jsonObject(tree, base, indent);
  return (row) => base + obj(row);
}

/** An array packet: one JSON array of its elements (`[]` when empty, pretty or not); `element` is
 *  jsonEncoder(tree, indent, indent) for pretty output. */
export function eventArrayJson(element: RowEncoder, rows: readonly (readonly JsonValue[])[], indent: string): string {
  if (!rows.length) return '[]';
  return indent ? `[\n${rows.map(element).join(',\n')}\n]` : `[${rows.map(element).join(',')}]`;
}

// YAML 1.1 plain scalars that would read back as another type, and characters that rule out a plain scalar.
const NOT_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:0|[1-9][\d_]*|0x[\da-fA-F_]+|0o?[0-7_]+|0b[01_]+)|[-+]?(?:\d[\d_]*)?\.\d*(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|\d+(?::[0-5]?\d)+(?:\.\d*)?)$/;
const NOT_PLAIN = /^[\s\-?:,[\]{}#&*!|>'"%@`]|\s$|: |:$| #/;

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 0x20 || c === 0x7f) return true; }
  return false;
}

function yamlString(s: string): string {
  if (s === '' || NOT_STRING.test(s) || hasControl(s)) return JSON.stringify(s);
  if (NOT_PLAIN.test(s)) return `'${s.replace(/'/g, "''")}'`;
  return s;
}

function yamlScalar(s: Scalar): string {
  switch (s.t) {
    case 'n': return s.float !== undefined ? goYamlFloat(s.float) : s.text;
    case 's': return yamlString(s.s);
    case 'b': return s.b ? 'true' : 'false';
    default: return 'null';
  }
}

/** One event as `-o yaml` prints it: a `---` line, then the keys (sorted, 2-space nesting, lists unindented). */
export function eventYaml(tree: readonly JsonNode[], row: readonly JsonValue[]): string {
  const lines = ['---'];
  const object = (nodes: readonly JsonNode[], ind: string): void => {
    for (const n of nodes) {
      const key = `${ind}${yamlString(n.name)}:`;
      if (n.children) {
        if (n.children.length) { lines.push(key); object(n.children, ind + '  '); } else lines.push(`${key} {}`);
        continue;
      }
      const list = numericArray(n.kind, row[n.index]);
      if (!list) lines.push(`${key} ${yamlScalar(scalar(n.kind, row[n.index]))}`);
      else if (!list.length) lines.push(`${key} []`);
      else { lines.push(key); for (const x of list) lines.push(`${ind}- ${yamlScalar(x)}`); }
    }
  };
  if (tree.length) object(tree, '');
  else lines.push('{}');
  return lines.join('\n') + '\n';
}
