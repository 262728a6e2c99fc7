// Parses gadget.yaml (js-yaml, through src/yaml) with exact ranges: YAML syntax errors, duplicate keys
// (yaml.v3 rejects them), and a plain JS value for schema validation with keys folded to the schema's spelling (viper is case-insensitive)
// and alias expansion bounded, so an alias bomb costs a few milliseconds instead of hanging.
import type { Diagnostic } from './types';
import { childSchema, propertyOf, SCHEMA, SchemaNode } from './schema';
import { LineIndex } from './text';
import { DEFAULT_MAX_DEPTH, isMap, UNCLOSED_QUOTE, isScalar, isSeq, keyText, MAX_ALIAS_NODES, readYaml, YamlDoc, YamlError, YNode, YPair, YScalar } from '../yaml/read';

export { keyText, MAX_ALIAS_NODES };

/** Real gadget.yaml files are a few KB; past this the file is not linted (the YAML parser alone would take seconds). */
export const MAX_LINT_CHARS = 1_000_000;

export interface ParsedGadgetYaml {
  text: string;
  lines: LineIndex;
  /** The root node (a map in a well-formed file); undefined when the text was not parsed. */
  root?: YNode | null;
  /** JS value for schema validation: keys folded to the schema's case, aliases expanded within limits. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** True when the text was too large or binary and nothing else should be checked. */
  skipped: boolean;
}

export function nodeRange(n: YNode | null | undefined): [number, number] | undefined {
  return n ? [n.start, n.end] : undefined;
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

  let doc: YamlDoc;
  try {
    doc = readYaml(text);
  } catch (err) {
    if (!(err instanceof YamlError)) throw err;
    diagnostics.push(syntaxDiagnostic(text, lines, err));
    // Lint reports the syntax error alone; hover, outline and the tree get what the lines before it hold.
    return finish(text, lines, readablePrefix(text, err), diagnostics);
  }
  for (const w of doc.warnings) diagnostics.push({ severity: 'warning', code: 'yaml-warning', range: lines.range(w.start, w.end), message: w.message });
  if (doc.extraDocument !== undefined) {
    const at = doc.extraDocument;
    diagnostics.push({ severity: 'error', code: 'yaml-syntax', range: lines.range(at, lineEnd(text, at)), message: 'gadget.yaml must hold one YAML document; IG reads only the first one.' });
  }
  return finish(text, lines, doc.root, diagnostics);
}

function finish(text: string, lines: LineIndex, root: YNode | null, diagnostics: Diagnostic[]): ParsedGadgetYaml {
  checkKeys(root, lines, diagnostics);
  const budget = { nodes: 0, exceeded: false };
  const value = toValue(root, SCHEMA, budget, new Set(), lines, diagnostics);
  if (root && !isMap(root) && !(isScalar(root) && root.value === null) && !diagnostics.some((d) => d.code === 'yaml-syntax')) {
    diagnostics.push({ severity: 'error', code: 'schema', range: lines.range(root.start, root.end), message: 'gadget.yaml must be a mapping of keys (`name:`, `datasources:`, …) at the top level.' });
  }
  return { text, lines, root, value, diagnostics, skipped: false };
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

/**
 * After a syntax error, the root read from the longest run of whole lines before it that js-yaml accepts
 * (while the author types, the rest of the file stays usable); null when a few shorter cuts all fail.
 */
function readablePrefix(text: string, err: YamlError): YNode | null {
  let end = text.length;
  let e = err;
  for (let tries = 0; tries < 5; tries++) {
    let cut = e.offset - e.column + 1; // start of the error's line
    if (cut >= end) cut = text.lastIndexOf('\n', cut - 2) + 1; // the error is at the cut: one line more
    if (cut <= 0) return null;
    end = cut;
    try {
      return readYaml(text.slice(0, end)).root;
    } catch (next) {
      if (!(next instanceof YamlError)) return null;
      e = next;
    }
  }
  return null;
}

/** A js-yaml syntax error as the author needs it: tabs and indentation named as such. */
function syntaxDiagnostic(text: string, lines: LineIndex, e: YamlError): Diagnostic {
  const r = e.reason;
  if (r === UNCLOSED_QUOTE) {
    return { severity: 'error', code: 'yaml-syntax', range: lines.range(e.offset, lineEnd(text, e.offset)), message: 'This quoted value is never closed: add the closing quote.' };
  }
  const message = /tab characters/.test(r) ? 'YAML does not allow tabs for indentation; use spaces.'
    : /bad indentation of a mapping entry/.test(r) ? 'Bad indentation: this key is not in the column of the other keys of its mapping (or a value holds `: `: quote it).'
      : e.offset >= text.trimEnd().length ? `The file ends before this YAML is complete (${r}): is a \`[\` or \`{\` never closed?`
        : /deficient indentation/.test(r) ? 'Bad indentation: this line is indented less than the block it belongs to.'
          : /maxDepth/.test(r) ? `gadget.yaml nests more than ${DEFAULT_MAX_DEPTH} levels deep; real files nest fewer than ten.`
            : `YAML syntax error: ${r}.`;
  return { severity: 'error', code: 'yaml-syntax', range: lines.range(e.offset, Math.min(e.offset + 1, text.length)), message };
}

function lineEnd(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

/** Duplicate keys (an error: yaml.v3 refuses the file) and keys differing only in case (one silently wins). */
function checkKeys(node: YNode | null, lines: LineIndex, out: Diagnostic[]): void {
  const stack: (YNode | null)[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Map<string, YPair>();
      const seenLower = new Map<string, YPair>();
      for (const item of n.items) {
        const k = keyText(item);
        const kr = nodeRange(item.key);
        if (k === undefined) {
          if (kr) out.push({ severity: 'error', code: 'bad-key', range: lines.range(kr[0], kr[1]), message: 'Keys in gadget.yaml must be plain strings, not mappings or lists.' });
        } else if (kr) {
          const first = seen.get(k);
          const firstLower = seenLower.get(k.toLowerCase());
          if (first) {
            const fr = nodeRange(first.key)!;
            out.push({ severity: 'error', code: 'duplicate-key', range: lines.range(kr[0], kr[1]),
              message: `Duplicate key \`${k}\` (first defined on line ${lines.position(fr[0]).line + 1}); IG's YAML decoder rejects the file.` });
          } else if (firstLower) {
            const fr = nodeRange(firstLower.key)!;
            out.push({ severity: 'warning', code: 'duplicate-key-case', range: lines.range(kr[0], kr[1]),
              message: `\`${k}\` and \`${keyText(firstLower)}\` (line ${lines.position(fr[0]).line + 1}) are the same key to IG, which reads gadget.yaml case-insensitively; one silently overrides the other.` });
          }
          if (!first) seen.set(k, item);
          if (!firstLower) seenLower.set(k.toLowerCase(), item);
        }
        stack.push(item.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) stack.push(item);
    }
  }
}

/**
 * The string Go's yaml.v3 puts in a `string` field for this scalar: the text as written for a plain scalar
 * (`True` stays "True", `0x10` stays "0x10"; multi-line ones folded), the value of quoted and block
 * scalars; null for an empty value.
 */
export function goText(s: YScalar): string | null {
  return s.value === null ? null : s.text;
}

const goValues = new WeakMap<ParsedGadgetYaml, unknown>();

/** Like `value`, with every scalar as the string Go sees (for readers of annotations and param texts). */
export function goValueOf(p: ParsedGadgetYaml): unknown {
  if (p.skipped) return undefined;
  if (!goValues.has(p)) {
    goValues.set(p, toValue(p.root, SCHEMA, { nodes: 0, exceeded: false }, new Set(), p.lines, [], false, goText));
  }
  return goValues.get(p);
}

function toValue(node: YNode | null | undefined, schema: SchemaNode | undefined, budget: { nodes: number; exceeded: boolean },
  active: Set<YNode>, lines: LineIndex, out: Diagnostic[], viaAlias = false, scalar: (s: YScalar) => unknown = (s) => s.value): unknown {
  if (node === null || node === undefined) return null;
  if (viaAlias && ++budget.nodes > MAX_ALIAS_NODES) {
    return null;
  }
  if (node.kind === 'alias') {
    const target = node.target;
    if (active.has(target)) {
      out.push({ severity: 'error', code: 'alias-cycle', range: lines.range(node.start, node.end), message: `Alias \`*${node.name}\` refers to a node that contains it; IG cannot decode a recursive document.` });
      return null;
    }
    const before = budget.exceeded;
    const v = toValue(target, schema, budget, active, lines, out, true, scalar);
    if (budget.nodes > MAX_ALIAS_NODES && !before) {
      budget.exceeded = true;
      out.push({ severity: 'error', code: 'alias-limit', range: lines.range(node.start, node.end),
        message: `Expanding aliases here yields more than ${MAX_ALIAS_NODES} nodes (an "alias bomb"); expansion stopped. gadget.yaml needs no aliases this large.` });
    }
    return v;
  }
  if (budget.exceeded) return null;
  if (node.kind === 'scalar') return scalar(node);
  if (isSeq(node)) {
    active.add(node);
    const arr = node.items.map((i) => toValue(i, schema?.items, budget, active, lines, out, viaAlias, scalar));
    active.delete(node);
    return arr;
  }
  active.add(node);
  const obj = Object.create(null) as Record<string, unknown>; // no prototype: `__proto__` is just a key
  for (const item of node.items) {
    const raw = keyText(item);
    if (raw === undefined) continue;
    // Fold the key to the schema's spelling so `dataSources` is validated like `datasources` (as IG does).
    const key = propertyOf(schema, raw)?.name ?? raw;
    if (Object.prototype.hasOwnProperty.call(obj, key)) continue; // duplicates are reported by checkKeys
    obj[key] = toValue(item.value, childSchema(schema, key), budget, active, lines, out, viaAlias, scalar);
  }
  active.delete(node);
  return obj;
}
