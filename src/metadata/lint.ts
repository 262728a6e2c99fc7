// lintGadgetYaml: YAML problems, schema errors (ajv, compiled once) with readable messages on the offending
// key or value, and IG-aware warnings (unknown keys and annotations, values IG parses, params) with fixes.
import { TextDecodeError, decodeUtf8 } from '../yaml/decode';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { errorMessage } from '../common/errors';
import { annotationInfo, ANNOTATIONS, ANNOTATION_NAMESPACES, AnnotationScope, OLD_FIELD_KEYS, OLD_FORMAT_KEYS, TEMPLATES, TYPE_HINTS } from './catalogue';
import { goText, keyText, nodeRange, parseGadgetYaml, ParsedGadgetYaml } from './document';
import { deref, isMap, isScalar, isSeq, YMap, YNode, YPair } from '../yaml/read';
import { KIND_WIDTH_VALUE } from './columns';
import { objectDiagnostics, ObjectFacts } from './object';
import { paramDeclProblems } from './params';
import { propertyOf, SCHEMA, schemaAt, SchemaNode } from './schema';
import { codeList, didYouMean, LineIndex } from './text';
import type { Diagnostic, Fix, LintResult, Range, Severity } from './types';

export interface LintOptions {
  /** Drop diagnostics below this severity (default: keep all). */
  minSeverity?: Severity;
  /** The gadget's eBPF object (src/ebpf/facts.ts): cross-checks data sources, fields and params with it. */
  object?: ObjectFacts;
}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  // Compiling costs tens to hundreds of milliseconds, once per process; every later lint reuses it.
  validator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, verbose: true }).compile(SCHEMA);
  return validator;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * A gadget.yaml read as bytes (from disk or an image), as text to lint or as the one error it has:
 * invalid UTF-8 at its first bad byte, since IG's YAML reader refuses such a file. A file with a NUL
 * before the bad byte is binary: its text goes on to the lint, which reports binary-content.
 */
export function decodeGadgetYaml(bytes: Uint8Array): { text: string } | { diagnostics: Diagnostic[] } {
  try {
    return { text: decodeUtf8(bytes) };
  } catch (err) {
    if (!(err instanceof TextDecodeError)) throw err;
    if (bytes.subarray(0, err.offset).includes(0)) return { text: new TextDecoder().decode(bytes) };
    const at = { line: err.line - 1, character: err.column - 1 };
    return { diagnostics: [{ severity: 'error', code: 'invalid-utf8', range: { start: at, end: { line: at.line, character: at.character + 1 } }, message: err.reason }] };
  }
}

/** Lints a gadget.yaml read as bytes (decodeGadgetYaml, then lintGadgetYaml); `text` when it decoded. */
export function lintGadgetYamlBytes(bytes: Uint8Array, opts: LintOptions = {}): LintResult & { text?: string } {
  const d = decodeGadgetYaml(bytes);
  return 'text' in d ? { ...lintGadgetYaml(d.text, opts), text: d.text } : d;
}

export function lintGadgetYaml(text: string, opts: LintOptions = {}): LintResult {
  let diagnostics: Diagnostic[];
  try {
    diagnostics = lintParsed(parseGadgetYaml(typeof text === 'string' ? text : String(text)), opts.object);
  } catch (err) {
    // Never throw at the editor or the CLI; a bug here is reported where it can be seen.
    diagnostics = [{ severity: 'error', code: 'internal', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `The gadget.yaml linter failed: ${errorMessage(err)}` }];
  }
  const max = SEVERITY_RANK[opts.minSeverity ?? 'info'];
  // A node reached twice through an alias is reported once.
  const seen = new Set<string>();
  diagnostics = diagnostics.filter((d) => {
    const id = `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}:${d.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return SEVERITY_RANK[d.severity] <= max;
  });
  diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  return { diagnostics };
}

function lintParsed(p: ParsedGadgetYaml, object?: ObjectFacts): Diagnostic[] {
  const out = [...p.diagnostics];
  // After a syntax error the tree holds only the lines before it: report the YAML problems alone rather
  // than a cascade of schema and key warnings (as-you-type, they are transient).
  if (p.skipped || p.diagnostics.some((d) => d.code === 'yaml-syntax')) return out;
  const root = p.root;
  if (!root || (isScalar(root) && root.value === null)) {
    out.push({ severity: 'error', code: 'missing-key', range: p.lines.range(0, 0), message: 'gadget.yaml is empty: `name` is required (`ig image build` fails without it).' });
    return out;
  }
  if (!isMap(root)) return out;
  new Rules(p, out).root(root);
  schemaDiagnostics(p, root, out);
  if (object) out.push(...objectDiagnostics(p, root, object));
  // `Name` beside `name`: the collision warning says it all; renaming `Name` would create a duplicate.
  const collisions = new Set(out.filter((d) => d.code === 'duplicate-key-case').map((d) => `${d.range.start.line}:${d.range.start.character}`));
  return out.filter((d) => d.code !== 'key-case' || !collisions.has(`${d.range.start.line}:${d.range.start.character}`));
}

// ---------------------------------------------------------------- schema (ajv) → readable diagnostics

function schemaDiagnostics(p: ParsedGadgetYaml, root: YMap, out: Diagnostic[]): void {
  const v = validate();
  if (v(p.value)) return;
  const seen = new Set<string>();
  // Keys the IG rules already spoke about (unknown, old format, `typeHint` vs `type`, …).
  const ruled = new Set(out.map((d) => `${d.range.start.line}:${d.range.start.character}`));
  for (const e of v.errors ?? []) {
    const d = e.keyword === 'additionalProperties' ? unknownKey(p, root, e, ruled) : readable(p, root, e);
    if (!d) continue;
    const id = `${d.range.start.line}:${d.range.start.character}:${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(d);
  }
}

/** An unknown key the IG rules do not walk to (e.g. inside `params.custom.<p>.values`): a warning, as IG ignores it. */
function unknownKey(p: ParsedGadgetYaml, root: YMap, e: ErrorObject, ruled: Set<string>): Diagnostic | undefined {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const key = String((e.params as { additionalProperty: string }).additionalProperty);
  const found = locate(root, [...segments, key]);
  const r = found.pair && nodeRange(found.pair.key);
  if (!r) return undefined;
  const range = p.lines.range(r[0], r[1]);
  if (ruled.has(`${range.start.line}:${range.start.character}`)) return undefined;
  const known = Object.keys((e.parentSchema as SchemaNode | undefined)?.properties ?? {});
  const guess = didYouMean(key, known);
  const where = segments.length ? `\`${segments.join('.')}\`` : 'the top level';
  const d: Diagnostic = { severity: 'warning', code: 'unknown-key', range,
    message: `Unknown key \`${key}\` in ${where}; IG ignores it.${guess ? ` Did you mean \`${guess}\`?` : known.length ? ` Known keys: ${codeList(known)}.` : ''}` };
  if (guess) d.fixes = [{ title: `Rename to \`${guess}\``, edits: [{ range, newText: requote(found.pair!.key, guess) }], preferred: true }];
  return d;
}

function readable(p: ParsedGadgetYaml, root: YMap, e: ErrorObject): Diagnostic | undefined {
  const segments = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const found = locate(root, segments);
  const last = segments[segments.length - 1];
  if (e.keyword === 'required') {
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    const r = found.pair ? nodeRange(found.pair.key) : nodeRange(firstKey(root));
    const why = missing === 'name' ? ' (`ig image build` fails without it)' : '';
    return { severity: 'error', code: 'missing-key', range: p.lines.range(r?.[0] ?? 0, r?.[1] ?? 0), message: `Missing required key \`${missing}\`${why}.` };
  }
  const r = valueRange(found.pair) ?? nodeRange(root) ?? [0, 0];
  const range = p.lines.range(r[0], r[1]);
  const where = last === undefined ? 'gadget.yaml' : /^\d+$/.test(last) ? `item ${Number(last) + 1} of \`${segments[segments.length - 2]}\`` : `\`${last}\``;
  if (e.keyword === 'type') {
    const t = (e.params as { type: string | string[] }).type;
    return { severity: 'error', code: 'schema', range, message: `${where} ${expectation(Array.isArray(t) ? t : String(t).split(','))}${got(found.node)}.` };
  }
  return { severity: 'error', code: 'schema', range, message: `${where} ${e.message ?? 'is invalid'}.` };
}

function expectation(types: string[]): string {
  const t = new Set(types.filter((x) => x !== 'null'));
  if (t.size === 1 && t.has('boolean')) return 'must be true or false';
  if (t.size === 1 && t.has('object')) return 'must be a mapping (`key: value` lines)';
  if (t.size === 1 && t.has('array')) return 'must be a list';
  if (t.has('string')) return 'must be a single value (text, number or true/false)';
  return `must be ${[...t].join(' or ')}`;
}

function got(n: unknown): string {
  if (isMap(n)) return ', not a mapping';
  if (isScalar(n)) {
    const v = n.value;
    return typeof v === 'string' ? `, got the text \`${v.length > 40 ? `${v.slice(0, 40)}…` : v}\`` : `, got \`${String(v)}\``;
  }
  if (n && typeof n === 'object' && 'items' in n) return ', not a list';
  return '';
}

function firstKey(m: YMap): YNode | undefined {
  return m.items[0]?.key;
}

/** The YAML pair and value node at a JSON-pointer path (keys compared like IG: exact, else ignoring case). */
function locate(root: YNode, segments: string[]): { pair?: YPair; node?: unknown } {
  let node: YNode | undefined = root;
  let pair: YPair | undefined;
  for (const seg of segments) {
    node = deref(node);
    if (isMap(node)) {
      const items = node.items;
      pair = items.find((i) => keyText(i) === seg) ?? items.find((i) => keyText(i)?.toLowerCase() === seg.toLowerCase());
      if (!pair) break;
      node = pair.value;
    } else if (isSeq(node) && /^\d+$/.test(seg)) {
      node = node.items[Number(seg)];
      if (node) pair = { key: node, value: node };
    } else break;
  }
  return { pair, node: deref(node) };
}

function valueRange(pair: YPair | undefined): [number, number] | undefined {
  if (!pair) return undefined;
  const v = nodeRange(pair.value);
  if (v && v[1] > v[0]) return v;
  return nodeRange(pair.key);
}

// ---------------------------------------------------------------- IG-aware rules

type Ctx = 'root' | 'datasource' | 'field' | 'param';

class Rules {
  private readonly lines: LineIndex;

  constructor(p: ParsedGadgetYaml, private readonly out: Diagnostic[]) {
    this.lines = p.lines;
  }

  root(m: YMap): void {
    for (const pair of m.items) {
      const k = keyText(pair);
      if (k === undefined) continue;
      const lower = k.toLowerCase();
      if (own(OLD_FORMAT_KEYS, lower)) {
        this.warn(pair.key, 'old-format-key', `\`${k}\` belongs to the old metadata format; IG no longer reads it: ${OLD_FORMAT_KEYS[lower]}.`);
        continue;
      }
      const prop = this.knownKey(pair, SCHEMA, 'the top level', 'root');
      if (!prop) continue;
      const v = deref(pair.value);
      if (!isMap(v)) continue;
      switch (prop) {
        case 'annotations': this.annotations(v, 'gadget'); break;
        case 'datasources': this.eachEntry(v, (ds) => this.datasource(ds)); break;
        case 'params': this.params(v); break;
        case 'gadgetParams': this.eachEntry(v, (param, name) => this.param(param, name, 'gadgetParams')); break;
        default: break;
      }
    }
  }

  private datasource(m: YMap): void {
    const schema = schemaAt(['datasources', '*'])!;
    for (const pair of m.items) {
      const prop = this.knownKey(pair, schema, 'a data source', 'datasource');
      const v = deref(pair.value);
      if (!isMap(v)) continue;
      if (prop === 'annotations') this.annotations(v, 'datasource');
      if (prop === 'fields') this.eachEntry(v, (f) => this.field(f));
    }
  }

  private field(m: YMap): void {
    const schema = schemaAt(['datasources', '*', 'fields', '*'])!;
    for (const pair of m.items) {
      const k = keyText(pair);
      if (k !== undefined && own(OLD_FIELD_KEYS, k.toLowerCase())) {
        this.warn(pair.key, 'old-format-key', `\`${k}\` belongs to the old metadata format; IG no longer reads it: ${OLD_FIELD_KEYS[k.toLowerCase()]}.`);
        continue;
      }
      const prop = this.knownKey(pair, schema, 'a field', 'field');
      const v = deref(pair.value);
      if (prop === 'annotations' && isMap(v)) this.annotations(v, 'field');
    }
    this.widthRange(m);
  }

  private params(m: YMap): void {
    for (const pair of m.items) {
      const op = keyText(pair);
      const v = deref(pair.value);
      if (op === undefined || !isMap(v)) continue;
      this.eachEntry(v, (param, name) => this.param(param, name, op.toLowerCase()));
    }
  }

  /** One param: keys per operator (`typeHint` only under wasm, `type` elsewhere), then its values. */
  private param(m: YMap, name: string, op: string): void {
    const schema = schemaAt(op === 'gadgetParams' ? ['gadgetParams', '*'] : ['params', op, '*'])!;
    const where = op === 'gadgetParams' ? 'gadgetParams' : `params.${op}`;
    const found: Record<string, YPair> = {};
    for (const pair of m.items) {
      const k = keyText(pair);
      if (k === undefined) continue;
      if (op !== 'wasm' && k.toLowerCase() === 'typehint') {
        this.warn(pair.key, 'param-type-key', `IG reads \`type\` for params under \`${where}\`, not \`typeHint\` (that is the wasm API's name, used only under \`params.wasm\`); this type hint is ignored.`,
          [this.renameFix(pair, 'type')]);
        found.type = pair;
        continue;
      }
      if (op === 'wasm' && k.toLowerCase() === 'type') {
        this.warn(pair.key, 'param-type-key', 'Under `params.wasm` IG decodes params into the wasm API\'s `Param`, whose type field is `typeHint`, not `type`; this type hint is ignored.',
          [this.renameFix(pair, 'typeHint')]);
        found.typeHint = pair;
        continue;
      }
      const prop = this.knownKey(pair, schema, `a param under \`${where}\``, 'param');
      if (prop) found[prop] = pair;
    }
    this.paramValues(found, name, op);
  }

  private paramValues(f: Record<string, YPair>, name: string, op: string): void {
    const scalar = (pair: YPair | undefined): string | undefined => {
      const v = pair && deref(pair.value);
      return isScalar(v) ? goText(v) ?? undefined : undefined;
    };
    const hintPair = f.typeHint ?? f.type;
    const pv = f.possibleValues && deref(f.possibleValues.value);
    const mandatory = f.isMandatory && deref(f.isMandatory.value);
    // The rules are params.ts's; here they are put on the keys they concern, with fixes.
    const problems = paramDeclProblems(name, op, {
      key: scalar(f.key),
      typeHint: scalar(hintPair),
      defaultValue: scalar(f.defaultValue),
      possibleValues: isSeq(pv) ? pv.items.map((i) => (isScalar(i) ? goText(i) ?? '' : '')) : undefined,
      isMandatory: isScalar(mandatory) && mandatory.value === true,
    });
    for (const d of problems) {
      switch (d.on) {
        case 'typeHint': {
          const hint = scalar(hintPair)!;
          const guess = didYouMean(hint, TYPE_HINTS);
          this.warn(hintPair!.value, d.code, `${d.message} Known hints: ${codeList(TYPE_HINTS)}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
            guess ? [this.replaceValueFix(hintPair!, guess)] : undefined);
          break;
        }
        case 'defaultValue': this.warn(f.defaultValue!.value, d.code, d.message); break;
        case 'isMandatory': this.warn(f.isMandatory!.key, d.code, d.message); break;
        case 'key': this.warn(f.key!.value, d.code, d.message, [this.replaceValueFix(f.key!, name)]); break;
      }
    }
  }

  // ---------------------------------------------------------------- annotations

  private annotations(m: YMap, scope: AnnotationScope): void {
    for (const pair of m.items) {
      const name = keyText(pair);
      if (name === undefined) continue;
      this.annotation(pair, name, scope);
    }
  }

  private annotation(pair: YPair, name: string, scope: AnnotationScope): void {
    const stripped = name.replace(/:+\s*$/, '');
    if (stripped !== name || name.includes('::')) {
      const fixed = stripped.replace(/:+/g, ':');
      this.warn(pair.key, 'annotation-stray-colon', `Annotation \`${name}\` has a stray colon, so IG sees a different name and ignores it. Did you mean \`${fixed}\`?`,
        [this.renameFix(pair, fixed)]);
      return;
    }
    const info = annotationInfo(name);
    if (info) {
      if (info.name !== name) {
        this.warn(pair.key, 'key-case', `\`${name}\` works only because IG reads gadget.yaml case-insensitively (viper lower-cases keys); the annotation is \`${info.name}\`.`,
          [this.renameFix(pair, info.name)]);
      }
      if (!info.scopes.includes(scope)) {
        this.warn(pair.key, 'annotation-scope', `\`${info.name}\` is read on ${info.scopes.map(scopeName).join(' and ')}, not on ${scopeName(scope)}; here it has no effect.`);
        return;
      }
      this.annotationValue(pair, info.name);
      return;
    }
    const inScope = ANNOTATIONS.filter((a) => a.scopes.includes(scope)).map((a) => a.name);
    const guess = didYouMean(name, inScope);
    if (guess) {
      this.warn(pair.key, 'unknown-annotation', `IG reads no annotation \`${name}\`; did you mean \`${guess}\`?`, [this.renameFix(pair, guess)]);
      return;
    }
    const ns = ANNOTATION_NAMESPACES.find((n) => name.toLowerCase().startsWith(n));
    if (ns) {
      const known = inScope.filter((a) => a.startsWith(ns));
      this.warn(pair.key, 'unknown-annotation', `IG reads no annotation \`${name}\`${known.length ? `; known \`${ns}*\` annotations on ${scopeName(scope)}: ${codeList(known)}` : ''}.`);
    }
    // Other names are free-form annotations for other tools: fine.
  }

  private annotationValue(pair: YPair, name: string): void {
    const info = annotationInfo(name)!;
    const node = deref(pair.value);
    if (!isScalar(node)) return;
    // An empty value is "" to IG: harmless unless IG parses the annotation strictly.
    if (node.value === null && !info.failure) return;
    // Check the string IG gets: `columns.width: 0x10` is 16 to YAML but "0x10" to Go's strconv.Atoi.
    const s = goText(node) ?? '';
    const v = info.value;
    // Where IG fails on a bad value (its columns output stops with an error) it is an error here too.
    const report = (message: string, fixes?: Fix[]): void => {
      if (info.failure) this.error(node.value === null ? pair.key : pair.value, 'annotation-value', `${message} IG's columns output fails on it ("${info.failure} …").`, fixes);
      else this.warn(pair.value, 'annotation-value', message, fixes);
    };
    switch (v.kind) {
      case 'int':
        // Widths also take IG's `type` (the widest value of an integer or bool field's kind).
        if (s === KIND_WIDTH_VALUE && name.startsWith('columns.')) break;
        if (!/^[+-]?\d+$/.test(s)) report(`\`${name}\` must be an integer; got \`${s}\`.`);
        else if (s.startsWith('-')) this.warn(pair.value, 'annotation-value', `\`${name}\` is negative.`);
        break;
      case 'uint':
        if (!/^\d+$/.test(s.trim())) report(`\`${name}\` must be a non-negative integer; \`${s}\` is ignored.`);
        break;
      case 'bool':
        if (s !== 'true' && s !== 'false') {
          const fix = /^(true|false)$/i.test(s) ? s.toLowerCase() : undefined;
          report(`\`${name}\` must be \`true\` or \`false\` (IG readers compare the text exactly); got \`${s}\`.${fix ? ` Did you mean \`${fix}\`?` : ''}`,
            fix ? [this.replaceValueFix(pair, fix)] : undefined);
        }
        break;
      case 'enum':
        if (!v.values.includes(s)) {
          const guess = s === 'none' && v.values.includes('') ? '' : v.values.find((x) => x === s.toLowerCase()) ?? didYouMean(s, v.values.filter((x) => x));
          report(`\`${name}\` must be one of ${codeList(v.values)}; got \`${s}\`.${guess !== undefined ? ` Did you mean ${codeList([guess])}?` : ''}`,
            guess !== undefined ? [this.replaceValueFix(pair, guess)] : undefined);
        }
        break;
      case 'template':
        if (!TEMPLATES.some((t) => t.name === s)) {
          const guess = didYouMean(s, TEMPLATES.map((t) => t.name));
          this.warn(pair.value, 'unknown-template', `IG has no column template \`${s}\`. Templates: ${codeList(TEMPLATES.map((t) => t.name))}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
            guess ? [this.replaceValueFix(pair, guess)] : undefined);
        }
        break;
      case 'list':
        if (v.values) {
          const bad = s.split(',').map((x) => x.trim()).filter((x) => x && !v.values!.includes(x));
          if (bad.length) this.warn(pair.value, 'annotation-value', `\`${name}\`: unknown ${codeList(bad)}; expected ${codeList(v.values)}.`);
        }
        break;
      default:
        break;
    }
  }

  /** columns.minwidth > columns.maxwidth or width outside [min, max] makes the columns formatter clamp silently. */
  private widthRange(field: YMap): void {
    const ann = (field.items).find((i) => keyText(i)?.toLowerCase() === 'annotations');
    const m = ann && deref(ann.value);
    if (!isMap(m)) return;
    const num = (n: string): { pair: YPair; v: number } | undefined => {
      const pair = (m.items).find((i) => keyText(i)?.toLowerCase() === n);
      const v = pair && deref(pair.value);
      return pair && isScalar(v) && /^\d+$/.test(String(v.value)) ? { pair, v: Number(v.value) } : undefined;
    };
    const min = num('columns.minwidth');
    const max = num('columns.maxwidth');
    if (min && max && min.v > max.v) {
      this.warn(min.pair.value, 'column-width-range', `\`columns.minwidth\` (${min.v}) is larger than \`columns.maxwidth\` (${max.v}).`);
    }
  }

  // ---------------------------------------------------------------- helpers

  /** Checks a key against the schema at this level; returns the schema's spelling when known. */
  private knownKey(pair: YPair, schema: SchemaNode, where: string, ctx: Ctx): string | undefined {
    const k = keyText(pair);
    if (k === undefined) return undefined;
    const prop = propertyOf(schema, k);
    if (prop) {
      if (prop.name !== k) {
        this.warn(pair.key, 'key-case', `\`${k}\` works only because IG reads gadget.yaml case-insensitively (viper lower-cases keys); the documented key is \`${prop.name}\`.`,
          [this.renameFix(pair, prop.name)]);
      }
      return prop.name;
    }
    if (schema.additionalProperties !== false) return undefined;
    const names = Object.keys(schema.properties ?? {}).filter((n) => !schema.properties![n]!.deprecated);
    const guess = didYouMean(k, names);
    let hint = guess ? ` Did you mean \`${guess}\`?` : ` Known keys: ${codeList(names)}.`;
    if (ctx === 'field' && annotationInfo(k)) hint = ` \`${k}\` is an annotation: put it under \`annotations:\`.`;
    this.warn(pair.key, 'unknown-key', `Unknown key \`${k}\` in ${where}; IG ignores it.${hint}`, guess ? [this.renameFix(pair, guess)] : undefined);
    return undefined;
  }

  private eachEntry(m: YMap, fn: (value: YMap, name: string) => void): void {
    for (const pair of m.items) {
      const name = keyText(pair);
      const v = deref(pair.value);
      if (name !== undefined && isMap(v)) fn(v, name);
    }
  }

  private warn(node: unknown, code: string, message: string, fixes?: Fix[], severity: Severity = 'warning'): void {
    const r = nodeRange(node as YNode) ?? [0, 0];
    const d: Diagnostic = { severity, code, message, range: this.lines.range(r[0], r[1]) };
    if (fixes?.length) d.fixes = fixes.map((f, i) => ({ ...f, preferred: i === 0 }));
    this.out.push(d);
  }

  private error(node: unknown, code: string, message: string, fixes?: Fix[]): void {
    this.warn(node, code, message, fixes, 'error');
  }

  /** Rename a key in place, keeping its quoting (and so every comment around it). */
  private renameFix(pair: YPair, to: string): Fix {
    return { title: `Rename to \`${to}\``, edits: [{ range: this.range(pair.key), newText: requote(pair.key, to) }] };
  }

  private replaceValueFix(pair: YPair, to: string): Fix {
    return { title: `Change to \`${to}\``, edits: [{ range: this.range(pair.value), newText: requote(pair.value, to) }] };
  }

  private range(node: unknown): Range {
    const r = nodeRange(node as YNode) ?? [0, 0];
    return this.lines.range(r[0], r[1]);
  }
}

function own(o: Record<string, string>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function scopeName(s: AnnotationScope): string {
  return s === 'gadget' ? 'the gadget' : s === 'datasource' ? 'data sources' : 'fields';
}

function requote(node: unknown, text: string): string {
  const style = isScalar(node) ? node.style : undefined;
  if (style === 'double') return JSON.stringify(text);
  if (style === 'single') return `'${text.replace(/'/g, "''")}'`;
  // A plain scalar that YAML would read as something else (or that has `: `) needs quotes.
  // (`true`/`false` stay plain: IG reads annotation values and these keys as text either way.)
  return /^[\w./-][\w./ -]*$/.test(text) && !/^(null|~|\d.*)$/i.test(text) ? text : JSON.stringify(text);
}
