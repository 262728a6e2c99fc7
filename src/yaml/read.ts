// Reads YAML with js-yaml into nodes that keep their source ranges, for readers that must point at the text
// (the gadget.yaml linter, hover and outline, events files). js-yaml parses; its event stream carries the
// offsets; this module only assembles the events into a tree, resolves scalars with the YAML 1.2 core
// schema (what IG's yaml.v3 and the `yaml` package do) and expands aliases within limits.
import {
  boolCoreTag, EVENT_ID, floatCoreTag, getScalarValue, intCoreTag, NOT_RESOLVED, nullCoreTag, parseEvents,
  YAMLException,
} from 'js-yaml';
import type { Event, ScalarEvent, ScalarTagDefinition } from 'js-yaml';

export type ScalarValue = string | number | bigint | boolean | null;

interface Span {
  /** Offsets in the text, end exclusive; quotes, `*` and block headers included. */
  start: number;
  end: number;
}
export interface YScalar extends Span {
  kind: 'scalar';
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  /** Resolved by the core schema: `true`, `7`, `~` are a boolean, a number and null when plain. */
  value: ScalarValue;
  /** The decoded text, unresolved: what Go's yaml.v3 puts in a string field (`True` stays "True"). */
  text: string;
}
export interface YPair { key: YNode; value: YNode }
export interface YMap extends Span { kind: 'map'; flow: boolean; items: YPair[] }
export interface YSeq extends Span { kind: 'seq'; flow: boolean; items: YNode[] }
export interface YAlias extends Span { kind: 'alias'; name: string; target: YNode }
export type YNode = YScalar | YMap | YSeq | YAlias;

export const isMap = (n: unknown): n is YMap => (n as YNode | null)?.kind === 'map';
export const isSeq = (n: unknown): n is YSeq => (n as YNode | null)?.kind === 'seq';
export const isScalar = (n: unknown): n is YScalar => (n as YNode | null)?.kind === 'scalar';
export const isAlias = (n: unknown): n is YAlias => (n as YNode | null)?.kind === 'alias';

/** The node an alias stands for (itself for other nodes). */
export function deref(n: YNode | null | undefined): YNode | undefined {
  return n?.kind === 'alias' ? n.target : n ?? undefined;
}

/** A key as text, or undefined for a mapping or list used as a key. Empty and `~` keys are "". */
export function keyText(pair: YPair): string | undefined {
  const k = pair.key;
  if (k.kind !== 'scalar') return undefined;
  return k.value === null ? '' : k.text;
}

/** A YAML problem at a place in the text; `line` and `column` are 1-based. Never carries a parser stack. */
export class YamlError extends Error {
  constructor(readonly reason: string, readonly offset: number, readonly line: number, readonly column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'YamlError';
  }
}

export interface ReadOptions {
  /** Integers as bigint (events files carry 64-bit values that a number would round). */
  bigInt?: boolean;
  /** A repeated key in a mapping is a YamlError (yaml.v3 rejects it); off for the linter, which reports it itself. */
  uniqueKeys?: boolean;
  /** Deepest nesting of collections (default 1000); deeper text is a YamlError, not a stack overflow. */
  maxDepth?: number;
}

export interface YamlDoc {
  text: string;
  /** The first document's content; null for an empty document. */
  root: YNode | null;
  /** Offset where a second document starts, when there is one (IG reads only the first). */
  extraDocument?: number;
  /** Problems that do not stop reading (unknown tags), by offset. */
  warnings: { start: number; end: number; message: string }[];
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number };
}

/** Real gadget.yaml files nest fewer than ten levels; the bound keeps hostile text from overflowing the stack. */
export const DEFAULT_MAX_DEPTH = 1000;
/** The reason of a YamlError at a quote that is never closed. */
export const UNCLOSED_QUOTE = 'a quoted value starting here is never closed';
/** Nodes that expanding aliases may produce before toPlain stops (an alias bomb needs billions). */
export const MAX_ALIAS_NODES = 10_000;

/** Parses `text`; throws YamlError for a syntax error (with js-yaml's mark), an undefined alias or a duplicate key. */
export function readYaml(text: string, opts: ReadOptions = {}): YamlDoc {
  const doc = newDoc(text);
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH });
  } catch (err) {
    if (err instanceof YAMLException && err.mark) {
      // js-yaml notices an unclosed quote only where the text stops fitting ("deficient indentation"
      // lines later): point at the quote instead.
      const open = unclosedQuote(text, err.mark.position);
      throw open >= 0 ? errorAt(doc, UNCLOSED_QUOTE, open) : errorAt(doc, err.reason, err.mark.position);
    }
    // js-yaml documents that any exception may come out of a load; give it a place all the same.
    throw errorAt(doc, err instanceof Error ? err.message : String(err), 0);
  }
  new Builder(doc, opts).run(events);
  return doc;
}

/** Offset of a quote opening a value before `before` that is not closed before it, or -1. */
function unclosedQuote(text: string, before: number): number {
  // A quote opens a value at a line's start, after `key: `, `- `, `[`, `{` or `,`.
  const re = /(?:^|[\n[{,]|[:-][ \t])[ \t]*(["'])/g;
  let open = -1;
  for (let m = re.exec(text); m && m.index < before; m = re.exec(text)) {
    const q = m.index + m[0].length - 1;
    if (q < before) open = q;
  }
  if (open < 0) return -1;
  const quote = text[open];
  for (let i = open + 1; i < before; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return -1;
    }
  }
  return open;
}

function newDoc(text: string): YamlDoc {
  let starts: number[] | undefined;
  return {
    text, root: null, warnings: [],
    position(offset: number) {
      if (!starts) {
        starts = [0];
        for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      }
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid; else hi = mid - 1;
      }
      return { line: lo + 1, column: offset - starts[lo]! + 1 };
    },
  };
}

function errorAt(doc: YamlDoc, reason: string, offset: number): YamlError {
  const o = Math.max(0, Math.min(offset, doc.text.length));
  const p = doc.position(o);
  return new YamlError(reason, o, p.line, p.column);
}

const STYLES = ['plain', 'plain', 'single', 'double', 'literal', 'folded'] as const;
/** Implicit resolution order of the core schema: `1` is an int before it is a float. */
const IMPLICIT: readonly ScalarTagDefinition[] = [nullCoreTag, boolCoreTag, intCoreTag, floatCoreTag];
/** The implicit tags that may match a scalar starting with a given character (most text starts with none). */
const IMPLICIT_BY_FIRST = new Map<string, ScalarTagDefinition[]>();
const IMPLICIT_ANY = IMPLICIT.filter((d) => !d.implicitFirstChars);
for (const def of IMPLICIT) {
  for (const c of def.implicitFirstChars ?? []) if (!IMPLICIT_BY_FIRST.has(c)) IMPLICIT_BY_FIRST.set(c, IMPLICIT.filter((d) => !d.implicitFirstChars || d.implicitFirstChars.includes(c)));
}
const CORE = new Map<string, ScalarTagDefinition | undefined>([
  ['tag:yaml.org,2002:str', undefined], ['tag:yaml.org,2002:null', nullCoreTag], ['tag:yaml.org,2002:bool', boolCoreTag],
  ['tag:yaml.org,2002:int', intCoreTag], ['tag:yaml.org,2002:float', floatCoreTag],
]);
const COLLECTION_TAGS = new Set(['tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

type Open = { node: YMap | YSeq; key?: YNode; keys?: Set<string> };

class Builder {
  private readonly stack: Open[] = [];
  private readonly anchors = new Map<string, YNode>();
  /** Where the text read so far ends: empty scalars sit here, closing brackets are looked for after it. */
  private last = 0;
  private documents = 0;

  constructor(private readonly doc: YamlDoc, private readonly opts: ReadOptions) {}

  run(events: Event[]): void {
    const text = this.doc.text;
    for (const e of events) {
      switch (e.type) {
        case EVENT_ID.DOCUMENT:
          if (++this.documents === 2) {
            // The event has no offset: the second document starts at its `---` marker.
            const m = /^---/m.exec(text.slice(this.last));
            this.doc.extraDocument = m ? this.last + m.index : this.last;
            return;
          }
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const flow = e.style === 2;
          const span = { start: e.start, end: e.start + 1 };
          const node: YMap | YSeq = e.type === EVENT_ID.MAPPING ? { kind: 'map', flow, items: [], ...span } : { kind: 'seq', flow, items: [], ...span };
          this.props(node, e.anchorStart, e.anchorEnd, e.tagStart, e.tagEnd, true);
          this.stack.push(this.opts.uniqueKeys && node.kind === 'map' ? { node, keys: new Set() } : { node });
          this.last = flow ? e.start + 1 : e.start;
          break;
        }
        case EVENT_ID.POP: {
          const open = this.stack.pop();
          if (!open) break; // the document's end
          const n = open.node;
          n.end = Math.max(n.end, this.last);
          if (n.flow) n.end = this.last = closingBracket(text, this.last, n.kind === 'map' ? '}' : ']') ?? n.end;
          this.add(n);
          break;
        }
        case EVENT_ID.SCALAR:
          this.add(this.scalar(e));
          break;
        case EVENT_ID.ALIAS: {
          const name = text.slice(e.anchorStart, e.anchorEnd);
          const target = this.anchors.get(name);
          if (!target) throw errorAt(this.doc, `alias *${name} refers to no anchor &${name} defined above it`, e.anchorStart - 1);
          this.last = e.anchorEnd;
          this.add({ kind: 'alias', name, target, start: e.anchorStart - 1, end: e.anchorEnd });
          break;
        }
        default:
          break;
      }
    }
  }

  private add(n: YNode): void {
    const open = this.stack[this.stack.length - 1];
    if (!open) { this.doc.root = n; return; }
    if (open.node.kind === 'seq') { open.node.items.push(n); return; }
    if (open.key === undefined) { open.key = n; return; }
    const pair = { key: open.key, value: n };
    open.key = undefined;
    if (open.keys) {
      const k = keyText(pair);
      if (k !== undefined && open.keys.has(k)) throw errorAt(this.doc, `duplicate key '${k}' (keys in a mapping must be unique)`, pair.key.start);
      if (k !== undefined) open.keys.add(k);
    }
    open.node.items.push(pair);
  }

  private scalar(e: ScalarEvent): YScalar {
    const text = this.doc.text;
    const style = STYLES[e.style]!;
    let start: number;
    let end: number;
    if (e.valueStart < 0) {
      start = end = this.last;
    } else if (style === 'single' || style === 'double') {
      [start, end] = [e.valueStart - 1, e.valueEnd + 1];
    } else if (style === 'plain') {
      [start, end] = [e.valueStart, e.valueEnd];
    } else {
      // Block scalars: the range starts at the `|`/`>` header, as editors select it.
      const from = Math.max(this.last, e.anchorEnd, e.tagEnd);
      const h = text.slice(from, e.valueStart).search(/[|>]/);
      [start, end] = [h >= 0 ? from + h : e.valueStart, e.valueEnd];
    }
    this.last = Math.max(this.last, end);
    // Plain scalars that need no folding are their own text (most of them); the rest js-yaml decodes.
    const decoded = e.valueStart < 0 ? '' : e.fast && style === 'plain' ? text.slice(e.valueStart, e.valueEnd) : getScalarValue(text, e);
    const node: YScalar = { kind: 'scalar', style, value: decoded, text: decoded, start, end };
    const tag = this.props(node, e.anchorStart, e.anchorEnd, e.tagStart, e.tagEnd, false);
    if (tag !== undefined) node.value = this.explicit(node, tag, e.tagStart, text.slice(e.tagStart, e.tagEnd));
    else if (style === 'plain') node.value = this.implicit(decoded);
    return node;
  }

  /** Registers the node's anchor and returns its tag, resolved to a full name (undefined when untagged). */
  private props(n: YNode, anchorStart: number, anchorEnd: number, tagStart: number, tagEnd: number, collection: boolean): string | undefined {
    if (anchorStart >= 0) this.anchors.set(this.doc.text.slice(anchorStart, anchorEnd), n);
    if (tagStart < 0) return undefined;
    const raw = this.doc.text.slice(tagStart, tagEnd);
    const tag = raw.startsWith('!!') ? `tag:yaml.org,2002:${raw.slice(2)}` : raw.startsWith('!<') ? raw.slice(2, -1) : raw;
    if (collection && !COLLECTION_TAGS.has(tag)) this.warn(tagStart, tagEnd, `Unknown tag \`${raw}\` on a collection; IG's YAML decoder does not know it.`);
    return tag;
  }

  private explicit(n: YScalar, tag: string, tagStart: number, raw: string): ScalarValue {
    if (tag === '!' || tag === 'tag:yaml.org,2002:str') return n.text;
    if (!CORE.has(tag)) {
      this.warn(tagStart, n.end, `Unknown tag \`${raw}\`; IG's YAML decoder does not know it, the value is read as text.`);
      return n.text;
    }
    const def = CORE.get(tag)!;
    const v = def.resolve(n.text, true, def.tagName);
    if (v === NOT_RESOLVED) {
      this.warn(tagStart, n.end, `\`${n.text}\` is not a valid ${tag.slice(tag.lastIndexOf(':') + 1)}; IG's YAML decoder rejects it.`);
      return n.text;
    }
    return this.int(def, n.text, v as ScalarValue);
  }

  private implicit(s: string): ScalarValue {
    if (s === '') return null;
    for (const def of IMPLICIT_BY_FIRST.get(s[0]!) ?? IMPLICIT_ANY) {
      const v = def.resolve(s, false, def.tagName);
      if (v !== NOT_RESOLVED) return this.int(def, s, v as ScalarValue);
    }
    return s;
  }

  private int(def: ScalarTagDefinition, s: string, v: ScalarValue): ScalarValue {
    // BigInt reads the core schema's int forms (`-12`, `+7`, `0x1F`, `0o17`) exactly.
    return this.opts.bigInt && def === intCoreTag ? BigInt(s) : v;
  }

  private warn(start: number, end: number, message: string): void {
    this.doc.warnings.push({ start, end, message });
  }
}

/** Offset after the `}`/`]` closing a flow collection whose content ended at `from` (spaces, commas and comments may sit between). */
function closingBracket(text: string, from: number, close: string): number | undefined {
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (c === close) return i + 1;
    if (c === '#') { const nl = text.indexOf('\n', i); if (nl < 0) return undefined; i = nl; continue; }
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== ',' && c !== ':' && c !== '?') return undefined;
  }
  return undefined;
}

export type Plain = ScalarValue | Plain[] | { [k: string]: Plain };

/**
 * The plain JS value of a node (maps as objects, aliases expanded). Expansion is bounded: past
 * MAX_ALIAS_NODES nodes produced through aliases, or on an alias inside what it names, a YamlError.
 */
export function toPlain(doc: YamlDoc, node: YNode | null): Plain {
  const budget = { nodes: 0 };
  const active = new Set<YNode>();
  const walk = (n: YNode, viaAlias: boolean): Plain => {
    if (viaAlias && ++budget.nodes > MAX_ALIAS_NODES) throw errorAt(doc, `aliases expand to more than ${MAX_ALIAS_NODES} nodes`, n.start);
    switch (n.kind) {
      case 'scalar': return n.value;
      case 'alias':
        if (active.has(n.target)) throw errorAt(doc, `alias *${n.name} is inside the node it refers to`, n.start);
        return walk(n.target, true);
      case 'seq': {
        active.add(n);
        const out = n.items.map((i) => walk(i, viaAlias));
        active.delete(n);
        return out;
      }
      default: {
        active.add(n);
        const out: { [k: string]: Plain } = {};
        for (const p of n.items) {
          const k = p.key.kind === 'scalar' ? keyText(p) ?? '' : JSON.stringify(walk(p.key, viaAlias), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
          // `__proto__` is an ordinary key here, never the object's prototype.
          Object.defineProperty(out, k, { value: walk(p.value, viaAlias), enumerable: true, writable: true, configurable: true });
        }
        active.delete(n);
        return out;
      }
    }
  };
  return node ? walk(node, false) : null;
}
