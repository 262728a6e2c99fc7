// gadget.yaml against the gadget's eBPF object. At run time IG silently ignores data sources, fields and
// `params.ebpf` entries the object does not have, so a typo there is lost: each is a warning here, with
// did-you-mean. `ig image build --validate-metadata` refuses `params.ebpf` variables that are not global
// const volatile: errors. What `--update-metadata` would add (data sources, their top-level fields, params)
// is a hint whose fix inserts it as text, keeping the file's comments, order and indentation.
// The object is described by plain facts (built by src/ebpf/facts.ts) so this library stays object-free.
import { keyText, nodeRange, ParsedGadgetYaml } from './document';
import { deref, isMap, isScalar, YMap, YNode, YPair } from '../yaml/read';
import { codeList, didYouMean, LineIndex } from './text';
import type { Diagnostic, Fix, Severity, TextEdit } from './types';

export interface ObjectFacts {
  datasources: {
    name: string;
    /** Every field IG ends up with (struct members and operator outputs), full dotted names. */
    fields: string[];
    /** Top-level struct members `--update-metadata` lists; absent when it does not add this data source. */
    populate?: string[];
  }[];
  /** GADGET_PARAM variables that pass IG's checkParamVar, with their keys. */
  params: { variable: string; key: string }[];
  /** IG's checkParamVar on any variable name: undefined when fine, else IG's reason. */
  checkVar(name: string): string | undefined;
}

const FIELD_TODO = 'TODO: Fill field description';
const PARAM_TODO = 'TODO: Fill parameter description';
const UPDATE_TITLE = 'Add the eBPF object\'s missing data sources, fields and params (as `ig image build --update-metadata`)';

function pairOf(m: YMap, key: string): YPair | undefined {
  return m.items.find((p) => keyText(p) === key) ?? m.items.find((p) => keyText(p)?.toLowerCase() === key.toLowerCase());
}

function entries(m: YMap | undefined): [string, YPair][] {
  if (!m) return [];
  return m.items.flatMap((p) => { const k = keyText(p); return k === undefined ? [] : [[k, p] as [string, YPair]]; });
}

function mapAt(m: YMap | undefined, key: string): { pair?: YPair; map?: YMap } {
  const pair = m && pairOf(m, key);
  const v = pair && deref(pair.value);
  return { pair, map: isMap(v) ? v : undefined };
}

export function objectDiagnostics(p: ParsedGadgetYaml, root: YMap, facts: ObjectFacts): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (node: YNode, severity: Severity, code: string, message: string, fixes?: Fix[]): void => {
    const r = nodeRange(node) ?? [0, 0];
    const d: Diagnostic = { severity, code, message, range: p.lines.range(r[0], r[1]) };
    if (fixes?.length) d.fixes = fixes.map((f, i) => ({ ...f, preferred: i === 0 }));
    out.push(d);
  };
  const rename = (pair: YPair, to: string): Fix => {
    const r = nodeRange(pair.key)!;
    return { title: `Rename to \`${to}\``, edits: [{ range: p.lines.range(r[0], r[1]), newText: to }] };
  };
  const byName = new Map(facts.datasources.map((d) => [d.name.toLowerCase(), d]));
  const dsNames = facts.datasources.map((d) => d.name);
  const { pair: dsPair, map: dsMap } = mapAt(root, 'datasources');
  for (const [name, pair] of entries(dsMap)) {
    const ds = byName.get(name.toLowerCase());
    if (!ds) {
      const guess = didYouMean(name, dsNames);
      at(pair.key, 'warning', 'object-unknown-datasource', `The eBPF object has no data source \`${name}\`; IG ignores this entry. ${guess ? `Did you mean \`${guess}\`?` : `Its data sources: ${codeList(dsNames) || 'none'}.`}`,
        guess ? [rename(pair, guess)] : undefined);
      continue;
    }
    const v = deref(pair.value);
    for (const [field, fpair] of entries(isMap(v) ? mapAt(v, 'fields').map : undefined)) {
      if (ds.fields.includes(field)) continue;
      const guess = ds.fields.find((f) => f.toLowerCase() === field.toLowerCase()) ?? didYouMean(field, ds.fields);
      at(fpair.key, 'warning', 'object-unknown-field', `Data source \`${ds.name}\` of the eBPF object has no field \`${field}\`; IG ignores this entry.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
        guess ? [rename(fpair, guess)] : undefined);
    }
  }
  const vars = facts.params.map((x) => x.variable);
  const { pair: paramsPair, map: params } = mapAt(root, 'params');
  const { map: ebpf } = mapAt(params, 'ebpf');
  for (const [name, pair] of entries(ebpf)) {
    if (vars.includes(name)) continue;
    const problem = facts.checkVar(name);
    const guess = didYouMean(name, vars);
    const fixes = guess ? [rename(pair, guess)] : undefined;
    const hint = guess ? ` Did you mean \`${guess}\`?` : vars.length ? ` Its params: ${codeList(vars)}.` : '';
    if (problem) at(pair.key, 'error', 'object-param-var', `\`ig image build\` refuses this param (--validate-metadata): ${problem}.${hint}`, fixes);
    else at(pair.key, 'warning', 'object-unknown-param', `\`${name}\` is not declared with GADGET_PARAM in the eBPF object; IG ignores this entry.${hint}`, fixes);
  }

  // Hints: what --update-metadata would add, each carrying the one fix that adds all of it.
  const edits = updateEdits(p, root, facts);
  const fix: Fix[] | undefined = edits.length ? [{ title: UPDATE_TITLE, edits }] : undefined;
  const first = root.items[0]?.key ?? root;
  for (const ds of facts.datasources) {
    if (!ds.populate) continue;
    const pair = dsMap && entries(dsMap).find(([n]) => n === ds.name)?.[1];
    if (!pair) {
      at(dsPair?.key ?? first, 'info', 'object-missing-datasource', `The eBPF object's data source \`${ds.name}\` has no entry here (fields ${codeList(ds.populate)}).`, fix);
      continue;
    }
    const v = deref(pair.value);
    const listed = new Set(entries(isMap(v) ? mapAt(v, 'fields').map : undefined).map(([n]) => n));
    const missing = ds.populate.filter((f) => !listed.has(f));
    if (missing.length) at(pair.key, 'info', 'object-missing-field', `Fields of the eBPF object without annotations here: ${codeList(missing)}.`, fix);
  }
  const listedVars = new Set(entries(ebpf).map(([n]) => n));
  const missingVars = vars.filter((v) => !listedVars.has(v));
  if (missingVars.length) at(paramsPair?.key ?? first, 'info', 'object-missing-param', `eBPF params without an entry under \`params.ebpf\`: ${codeList(missingVars)}.`, fix);
  return out;
}

// ---------------------------------------------------------------- --update-metadata as text edits

type Tree = Map<string, Tree | string>;

function updateTree(root: YMap, facts: ObjectFacts): Tree {
  const tree: Tree = new Map();
  const dsMap = mapAt(root, 'datasources').map;
  const dss: Tree = new Map();
  for (const ds of facts.datasources) {
    if (!ds.populate) continue;
    const existing = dsMap && entries(dsMap).find(([n]) => n === ds.name)?.[1];
    const v = existing && deref(existing.value);
    const listed = new Set(entries(isMap(v) ? mapAt(v, 'fields').map : undefined).map(([n]) => n));
    const fields: Tree = new Map();
    for (const f of ds.populate) if (!listed.has(f)) fields.set(f, new Map([['annotations', new Map([['description', FIELD_TODO]])]]));
    if (fields.size || !existing) dss.set(ds.name, new Map([['fields', fields]]));
  }
  if (dss.size) tree.set('datasources', dss);
  const ebpf = mapAt(mapAt(root, 'params').map, 'ebpf').map;
  const listed = new Set(entries(ebpf).map(([n]) => n));
  const params: Tree = new Map();
  for (const x of facts.params) {
    if (!listed.has(x.variable)) params.set(x.variable, new Map([['key', x.variable], ['description', PARAM_TODO]]));
  }
  if (params.size) tree.set('params', new Map([['ebpf', params]]));
  return tree;
}

/** Text edits adding `tree` into the document: inside existing block maps, new keys after their last entry. */
export function updateEdits(p: ParsedGadgetYaml, root: YMap, facts: ObjectFacts): TextEdit[] {
  if (root.flow) return [];
  const tree = updateTree(root, facts);
  if (!tree.size) return [];
  const ins = new Inserter(p.lines, indentStep(p.lines, root));
  ins.merge(root, 0, tree);
  return ins.edits();
}

function emit(tree: Tree, indent: number, step: number, out: string[]): void {
  for (const [k, v] of tree) {
    const pad = ' '.repeat(indent);
    if (typeof v === 'string') out.push(`${pad}${yamlKey(k)}: ${yamlKey(v)}`);
    else if (v.size === 0) out.push(`${pad}${yamlKey(k)}: {}`);
    else { out.push(`${pad}${yamlKey(k)}:`); emit(v, indent + step, step, out); }
  }
}

/** Plain when YAML reads it back as the same string, else double-quoted. */
function yamlKey(k: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(k) && !/^(null|true|false|yes|no|on|off|y|n)$/i.test(k) ? k : JSON.stringify(k);
}

/** The file's indentation step: the first nested block map's indent relative to its parent (default 2). */
function indentStep(lines: LineIndex, root: YMap): number {
  const base = lines.position(root.items[0]?.key.start ?? 0).character;
  for (const pair of root.items) {
    const v = deref(pair.value);
    if (isMap(v) && !v.flow && v.items.length) {
      const d = lines.position(v.items[0].key.start).character - base;
      if (d > 0) return d;
    }
  }
  return 2;
}

class Inserter {
  /** Insertions by offset; texts at one offset are kept in the order made (inner before outer). */
  private readonly at = new Map<number, string[]>();

  constructor(private readonly lines: LineIndex, private readonly step: number) {}

  merge(m: YMap, indent: number, tree: Tree): void {
    const fresh: Tree = new Map();
    for (const [k, sub] of tree) {
      const pair = m.items.find((x) => keyText(x) === k);
      if (!pair) { fresh.set(k, sub); continue; }
      if (typeof sub === 'string') continue;
      const v = deref(pair.value);
      if (isMap(v) && !v.flow && v.items.length) {
        this.merge(v, this.lines.position(v.items[0].key.start).character, sub);
      } else if (!v || (isScalar(v) && v.value === null && pair.value.kind !== 'alias')) {
        // `key:` with nothing after it: the entries go on the lines below it.
        const out: string[] = [];
        emit(sub, this.lines.position(pair.key.start).character + this.step, this.step, out);
        this.insertAfter(pair.key.end, out);
      }
      // A flow map or an alias is left alone: rewriting it would lose its form.
    }
    if (!fresh.size) return;
    const out: string[] = [];
    emit(fresh, indent, this.step, out);
    const last = m.items[m.items.length - 1];
    const lastV = last ? deref(last.value) : undefined;
    const end = last ? Math.max(last.key.end, lastV && last.value.kind !== 'alias' ? lastV.end : last.value.end) : m.end;
    this.insertAfter(end, out);
  }

  /** After the line holding offset `end - 1` (the end of a node; its trailing comment stays with it). */
  private insertAfter(end: number, lines: string[]): void {
    const next = this.lines.position(Math.max(0, end - 1)).line + 1;
    const off = next >= this.lines.lineCount ? this.lines.text.length : this.lines.offset({ line: next, character: 0 });
    const list = this.at.get(off) ?? [];
    list.push(lines.join('\n') + '\n');
    this.at.set(off, list);
  }

  edits(): TextEdit[] {
    const text = this.lines.text;
    return [...this.at].sort((a, b) => a[0] - b[0]).map(([off, texts]) => {
      const pos = this.lines.position(off);
      // At the end of a file without a final newline, the first new line needs one.
      const lead = off === text.length && text.length && !text.endsWith('\n') ? '\n' : '';
      return { range: { start: pos, end: pos }, newText: lead + texts.join('') };
    });
  }
}
