// Parses gadget.yaml with exact ranges: YAML syntax errors, duplicate keys (yaml.v3 rejects them), and a
// plain JS value for schema validation with keys folded to the schema's spelling (viper is case-insensitive)
// and alias expansion bounded, so an alias bomb costs a few milliseconds instead of hanging.
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, parseDocument, Scalar, YAMLMap } from 'yaml';
import type { Diagnostic } from './types';
import { childSchema, propertyOf, SCHEMA, SchemaNode } from './schema';
import { fastParse } from './fastyaml';
import { LineIndex } from './text';

/** Real gadget.yaml files are a few KB; past this the file is not linted (the YAML parser alone would take seconds). */
export const MAX_LINT_CHARS = 1_000_000;
/** Nodes that may be produced by expanding aliases before we stop (an alias bomb needs billions). */
export const MAX_ALIAS_NODES = 10_000;

export interface ParsedGadgetYaml {
  text: string;
  lines: LineIndex;
  /** Undefined when the text was not parsed (binary or too large). */
  doc?: Document.Parsed;
  /** The root node (a map in a well-formed file). */
  root?: Node | null;
  /** JS value for schema validation: keys folded to the schema's case, aliases expanded within limits. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** True when the text was too large or binary and nothing else should be checked. */
  skipped: boolean;
}

export function keyText(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? '' : String(k.value);
  return undefined;
}

export function nodeRange(n: { range?: [number, number, number] | null } | null | undefined): [number, number] | undefined {
  const r = n?.range;
  return r ? [r[0], r[1]] : undefined;
}

let cache: { text: string; parsed: ParsedGadgetYaml } | undefined;

/** Parses (cached for the last text: the extension asks for lint, hover and outline of the same text). */
export function parseGadgetYaml(text: string): ParsedGadgetYaml {
  if (cache && cache.text === text) return cache.parsed;
  const parsed = parseUncached(text);
  cache = { text, parsed };
  return parsed;
}

function parseUncached(text: string): ParsedGadgetYaml {
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const base = { text, lines, value: undefined, diagnostics };

  const nul = binaryOffset(text);
  if (nul >= 0) {
    diagnostics.push({
      severity: 'error', code: 'binary-content', range: lines.range(nul, nul + 1),
      message: `This is not a text file: it contains a control character (U+${text.charCodeAt(nul).toString(16).padStart(4, '0').toUpperCase()}) at this position. gadget.yaml must be UTF-8 YAML text.`,
    });
    return { ...base, skipped: true };
  }
  if (text.length > MAX_LINT_CHARS) {
    diagnostics.push({
      severity: 'warning', code: 'file-too-large', range: lines.range(0, 0),
      message: `gadget.yaml is ${(text.length / 1e6).toFixed(1)} MB; files over ${MAX_LINT_CHARS / 1e6} MB are not linted (real metadata files are a few KB).`,
    });
    return { ...base, skipped: true };
  }

  // Most gadget.yaml files are plain block YAML: the fast path reads them several times faster; anything
  // it does not handle (including every syntax error) goes to the full parser.
  const fast = fastParse(text);
  if (fast !== undefined) return finish(text, lines, undefined, fast, diagnostics);

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, keepSourceTokens: false, strict: true });
  } catch (err) {
    // The parser reports problems as doc.errors; this is a defensive net so lint never throws.
    diagnostics.push({ severity: 'error', code: 'yaml-syntax', range: lines.range(0, 0), message: `YAML parser failed: ${String(err)}` });
    return { ...base, skipped: true };
  }
  for (const e of doc.errors) {
    let [start, end] = [e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)];
    const quote = e.code === 'MISSING_CHAR' ? /closing (["'])/.exec(e.message)?.[1] : undefined;
    if (quote) {
      // The parser points past the end of the file; the author needs the quote that was never closed.
      const open = unclosedQuote(text, start, quote);
      if (open >= 0) [start, end] = [open, lineEnd(text, open)];
    }
    diagnostics.push({ severity: 'error', code: 'yaml-syntax', range: lines.range(start, end), message: yamlMessage(e.code, e.message) });
  }
  for (const w of doc.warnings) {
    diagnostics.push({ severity: 'warning', code: 'yaml-warning', range: lines.range(w.pos[0], Math.max(w.pos[1], w.pos[0] + 1)), message: yamlMessage(w.code, w.message) });
  }
  return finish(text, lines, doc, doc.contents, diagnostics);
}

function finish(text: string, lines: LineIndex, doc: Document.Parsed | undefined, root: Node | null, diagnostics: Diagnostic[]): ParsedGadgetYaml {
  checkKeys(root, lines, diagnostics);
  const budget = { nodes: 0, exceeded: false };
  const value = toValue(root, doc, SCHEMA, budget, new Set(), lines, diagnostics);
  if (root && !isMap(root) && !(isScalar(root) && root.value === null) && !(doc && doc.errors.length)) {
    const r = nodeRange(root) ?? [0, 0];
    diagnostics.push({ severity: 'error', code: 'schema', range: lines.range(r[0], r[1]), message: 'gadget.yaml must be a mapping of keys (`name:`, `datasources:`, …) at the top level.' });
  }
  return { text, lines, doc, root, value, diagnostics, skipped: false };
}

/** Index of the first character no text file has (NUL and other C0 controls except tab/CR/LF/FF), or -1. */
function binaryOffset(text: string): number {
  const n = Math.min(text.length, 1 << 16);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) return i;
  }
  return text.indexOf('\u0000', n);
}

/** Offset of the opening quote of the quoted scalar still open at `before`, or -1. */
function unclosedQuote(text: string, before: number, quote: string): number {
  const re = quote === '"' ? /(^|[:\-[{,]\s*|\s)"/g : /(^|[:\-[{,]\s*|\s)'/g;
  let found = -1;
  for (let m = re.exec(text); m && m.index < before; m = re.exec(text)) found = m.index + m[0].length - 1;
  return found;
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (code) {
    case 'TAB_AS_INDENT': return 'YAML does not allow tabs for indentation; use spaces.';
    case 'BAD_INDENT': return `Bad indentation: ${first}`;
    case 'MISSING_CHAR': return /quote/.test(first) ? 'This quoted value is never closed: add the closing quote.' : `YAML syntax error: ${first}`;
    case 'MULTIPLE_DOCS': return 'gadget.yaml must hold one YAML document; IG reads only the first one.';
    default: return `YAML syntax error: ${first}`;
  }
}

/** Duplicate keys (an error: yaml.v3 refuses the file) and keys differing only in case (one silently wins). */
function checkKeys(node: Node | null, lines: LineIndex, out: Diagnostic[]): void {
  const stack: (Node | null)[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Map<string, Pair>();
      const seenLower = new Map<string, Pair>();
      for (const item of (n as YAMLMap).items) {
        if (!isPair(item)) continue;
        const k = keyText(item);
        const kr = nodeRange(item.key as Node);
        if (k === undefined) {
          if (kr) out.push({ severity: 'error', code: 'bad-key', range: lines.range(kr[0], kr[1]), message: 'Keys in gadget.yaml must be plain strings, not mappings or lists.' });
        } else if (kr) {
          const first = seen.get(k);
          const firstLower = seenLower.get(k.toLowerCase());
          if (first) {
            const fr = nodeRange(first.key as Node)!;
            out.push({ severity: 'error', code: 'duplicate-key', range: lines.range(kr[0], kr[1]),
              message: `Duplicate key \`${k}\` (first defined on line ${lines.position(fr[0]).line + 1}); IG's YAML decoder rejects the file.` });
          } else if (firstLower) {
            const fr = nodeRange(firstLower.key as Node)!;
            out.push({ severity: 'warning', code: 'duplicate-key-case', range: lines.range(kr[0], kr[1]),
              message: `\`${k}\` and \`${keyText(firstLower)}\` (line ${lines.position(fr[0]).line + 1}) are the same key to IG, which reads gadget.yaml case-insensitively; one silently overrides the other.` });
          }
          if (!first) seen.set(k, item);
          if (!firstLower) seenLower.set(k.toLowerCase(), item);
        }
        stack.push(item.value as Node | null);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) stack.push(item as Node | null);
    }
  }
}

/**
 * The string Go's yaml.v3 puts in a `string` field for this scalar: the source text of a plain scalar
 * (`True` stays "True", `0x10` stays "0x10"), the value of quoted and block scalars; null for an empty value.
 */
export function goText(s: Scalar, text: string): string | null {
  if (s.value === null || s.value === undefined) return null;
  if (s.type === Scalar.PLAIN && s.range) {
    const raw = text.slice(s.range[0], s.range[1]);
    if (!raw.includes('\n')) return raw; // multi-line plain scalars are folded: their value is what Go sees
  }
  return String(s.value);
}

const goValues = new WeakMap<ParsedGadgetYaml, unknown>();

/** Like `value`, with every scalar as the string Go sees (for readers of annotations and param texts). */
export function goValueOf(p: ParsedGadgetYaml): unknown {
  if (p.skipped) return undefined;
  if (!goValues.has(p)) {
    const scalar = (s: Scalar): unknown => goText(s, p.text);
    goValues.set(p, toValue(p.root, p.doc, SCHEMA, { nodes: 0, exceeded: false }, new Set(), p.lines, [], false, scalar));
  }
  return goValues.get(p);
}

function toValue(node: unknown, doc: Document.Parsed | undefined, schema: SchemaNode | undefined, budget: { nodes: number; exceeded: boolean },
  active: Set<Node>, lines: LineIndex, out: Diagnostic[], viaAlias = false, scalar: (s: Scalar) => unknown = (s) => s.value ?? null): unknown {
  if (node === null || node === undefined) return null;
  if (viaAlias && ++budget.nodes > MAX_ALIAS_NODES) {
    return null;
  }
  if (isAlias(node)) {
    const target = doc ? node.resolve(doc) : undefined;
    const r = nodeRange(node);
    if (!target) return null;
    if (active.has(target)) {
      if (r) out.push({ severity: 'error', code: 'alias-cycle', range: lines.range(r[0], r[1]), message: `Alias \`*${node.source}\` refers to a node that contains it; IG cannot decode a recursive document.` });
      return null;
    }
    const before = budget.exceeded;
    const v = toValue(target, doc, schema, budget, active, lines, out, true, scalar);
    if (budget.nodes > MAX_ALIAS_NODES && !before) {
      budget.exceeded = true;
      if (r) out.push({ severity: 'error', code: 'alias-limit', range: lines.range(r[0], r[1]),
        message: `Expanding aliases here yields more than ${MAX_ALIAS_NODES} nodes (an "alias bomb"); expansion stopped. gadget.yaml needs no aliases this large.` });
    }
    return v;
  }
  if (budget.exceeded) return null;
  if (isScalar(node)) return scalar(node as Scalar);
  if (isSeq(node)) {
    active.add(node);
    const arr = node.items.map((i) => toValue(i, doc, schema?.items, budget, active, lines, out, viaAlias, scalar));
    active.delete(node);
    return arr;
  }
  if (isMap(node)) {
    active.add(node);
    const obj = Object.create(null) as Record<string, unknown>; // no prototype: `__proto__` is just a key
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const raw = keyText(item);
      if (raw === undefined) continue;
      // Fold the key to the schema's spelling so `dataSources` is validated like `datasources` (as IG does).
      const key = propertyOf(schema, raw)?.name ?? raw;
      if (Object.prototype.hasOwnProperty.call(obj, key)) continue; // duplicates are reported by checkKeys
      obj[key] = toValue(item.value, doc, childSchema(schema, key), budget, active, lines, out, viaAlias, scalar);
    }
    active.delete(node);
    return obj;
  }
  return null;
}
