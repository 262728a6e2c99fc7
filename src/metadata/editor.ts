// Editor data for gadget.yaml: hover markdown, completions and the document outline. Hover and outline
// read the parsed YAML; completion reads the lines above the cursor, because the text being typed is
// usually not valid YAML yet.
import { annotationInfo, AnnotationInfo, ANNOTATIONS, TEMPLATES, TYPE_HINTS } from './catalogue';
import { describePath } from './context';
import { keyText, nodeRange, parseGadgetYaml, ParsedGadgetYaml } from './document';
import { SchemaNode, typesOf } from './schema';
import { deref, isMap, isScalar, isSeq, YMap, YNode, YPair } from '../yaml/read';
import { codeList, didYouMean, LineIndex } from './text';
import type { CompletionItem, Hover, OutlineNode, Position, Range } from './types';

// ---------------------------------------------------------------- hover

interface Hit { keys: string[]; pair: YPair; onKey: boolean }

/** The innermost key/value pair under `offset`, with the keys leading to it. */
function pairAt(p: ParsedGadgetYaml, offset: number): Hit | undefined {
  let node: YNode | undefined = p.root ?? undefined;
  const keys: string[] = [];
  let hit: Hit | undefined;
  for (let depth = 0; depth < 64; depth++) {
    node = deref(node);
    let next: YNode | undefined;
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = keyText(pair);
        const kr = nodeRange(pair.key);
        const vr = nodeRange(pair.value);
        if (k === undefined || !kr) continue;
        if (offset >= kr[0] && offset <= kr[1]) return { keys: [...keys, k], pair, onKey: true };
        if (vr && offset >= vr[0] && offset <= vr[1]) {
          keys.push(k);
          hit = { keys: [...keys], pair, onKey: false };
          next = pair.value;
          break;
        }
      }
    } else if (isSeq(node)) {
      next = node.items.find((i) => offset >= i.start && offset <= i.end);
    }
    if (!next || isScalar(next)) return hit;
    node = next;
  }
  return hit;
}

export function hoverAt(text: string, pos: Position): Hover | undefined {
  try {
    const p = parseGadgetYaml(text);
    if (p.skipped || !p.root) return undefined;
    const hit = pairAt(p, p.lines.offset(pos));
    if (!hit) return undefined;
    const markdown = hit.onKey ? keyHover(hit.keys) : valueHover(hit);
    if (!markdown) return undefined;
    const n = hit.onKey ? hit.pair.key : hit.pair.value;
    return { markdown, range: p.lines.range(n.start, n.end) };
  } catch {
    return undefined;
  }
}

function keyHover(keys: string[]): string | undefined {
  const info = describePath(keys);
  const name = keys[keys.length - 1]!;
  if (info.annotationScope) {
    const a = annotationInfo(name);
    if (a) return annotationMarkdown(a);
    const guess = didYouMean(name, ANNOTATIONS.filter((x) => x.scopes.includes(info.annotationScope!)).map((x) => x.name));
    return `**annotation** \`${name}\`\n\n${guess ? `IG reads no such annotation: did you mean \`${guess}\`?` : 'Not read by IG or its operators; kept for other tools.'}`;
  }
  return schemaMarkdown(info.schema, name);
}

function valueHover(hit: Hit): string | undefined {
  const info = describePath(hit.keys);
  const name = hit.keys[hit.keys.length - 1]!;
  const v = deref(hit.pair.value);
  if (!isScalar(v)) return undefined;
  const value = String(v.value);
  if (info.annotationScope) {
    const a = annotationInfo(name);
    if (!a) return undefined;
    if (a.value.kind === 'template') {
      const t = TEMPLATES.find((x) => x.name === value);
      return t ? `**template** \`${t.name}\`\n\nSets: ${t.sets}.` : `Unknown template \`${value}\`. Templates: ${codeList(TEMPLATES.map((x) => x.name))}.`;
    }
    return annotationMarkdown(a);
  }
  return schemaMarkdown(info.schema, name);
}

function annotationMarkdown(a: AnnotationInfo): string {
  const v = a.value;
  const accepts = v.kind === 'uint' ? 'a non-negative integer' : v.kind === 'int' ? 'an integer' : v.kind === 'bool' ? '`true` or `false`'
    : v.kind === 'enum' ? `one of ${codeList(v.values)}` : v.kind === 'template' ? `a template name: ${codeList(TEMPLATES.map((t) => t.name))}`
      : v.kind === 'list' ? 'a comma-separated list' : 'text';
  const fails = a.failure ? ' IG\'s columns output fails on any other value.' : '';
  return `**annotation** \`${a.name}\` (on ${a.scopes.join(', ')})\n\n${a.description}\n\nValue: ${accepts}.${fails} Read by: ${a.readBy}.`;
}

function schemaMarkdown(s: SchemaNode | undefined, key: string): string | undefined {
  if (!s?.description) return undefined;
  const title = s.title && s.title !== key ? `\`${key}\` — ${s.title}` : `\`${key}\``;
  return `**${title}**${s.deprecated ? ' *(no longer read by IG)*' : ''}\n\n${s.description}`;
}

// ---------------------------------------------------------------- completion

const KEY_LINE = /^(\s*)(?:-\s+)?([^\s:#'"][^:#]*)?$/;
const VALUE_LINE = /^(\s*)(?:-\s+)?([^\s:#'"][^:#]*?|'[^']*'|"[^"]*"):[ \t]+(\S*)$/;
const PARENT_LINE = /^(\s*)(?:-\s+)?([^\s:#'"][^:#]*?|'[^']*'|"[^"]*"):\s*(?:#.*)?$/;

/** Keys of the maps enclosing `line` at indentation `indent`, by looking up the lines above (works on broken YAML). */
function parentKeys(lines: LineIndex, line: number, indent: number): { keys: string[]; siblings: Set<string> } {
  const keys: string[] = [];
  const siblings = new Set<string>();
  const sibling = (t: string): void => {
    const m = /^\s*([^\s:#'"][^:#]*?|'[^']*'|"[^"]*"):/.exec(t);
    if (m) siblings.add(unquote(m[1]!));
  };
  let want = indent;
  let inOwnMap = true;
  for (let l = line - 1; l >= 0; l--) {
    const t = lines.lineText(l);
    if (!t.trim() || t.trimStart().startsWith('#')) continue;
    const ind = t.length - t.trimStart().length;
    if (inOwnMap && ind === indent) sibling(t);
    if (ind < want) {
      inOwnMap = false;
      const m = PARENT_LINE.exec(t);
      if (!m) break;
      keys.unshift(unquote(m[2]!));
      want = ind;
      if (want === 0) break;
    }
  }
  // Siblings below the cursor count too (the user may be inserting in the middle of a map).
  for (let l = line + 1; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    if (!t.trim() || t.trimStart().startsWith('#')) continue;
    const ind = t.length - t.trimStart().length;
    if (ind < indent) break;
    if (ind === indent) sibling(t);
  }
  return { keys, siblings };
}

function unquote(s: string): string {
  return /^(['"]).*\1$/.test(s) ? s.slice(1, -1) : s.trim();
}

export function completionsAt(text: string, pos: Position): CompletionItem[] {
  try {
    if (text.length > 1_000_000 || text.includes('\u0000')) return [];
    const lines = new LineIndex(text);
    const lineText = lines.lineText(pos.line);
    const before = lineText.slice(0, pos.character);
    const v = VALUE_LINE.exec(before);
    if (v) {
      const indent = v[1]!.length;
      const { keys } = parentKeys(lines, pos.line, indent);
      // In a comma-separated list (`cli.supported-output-modes: json,col`) complete the last item.
      const word = v[3]!.slice(v[3]!.lastIndexOf(',') + 1);
      const range: Range = { start: { line: pos.line, character: pos.character - word.length }, end: { line: pos.line, character: pos.character + wordAfter(lineText, pos.character) } };
      return valueCompletions([...keys, unquote(v[2]!)], range).filter((c) => c.label.toLowerCase().startsWith(word.replace(/^['"]/, '').toLowerCase()));
    }
    const k = KEY_LINE.exec(before);
    if (k) {
      const indent = k[1]!.length;
      const word = k[2] ?? '';
      const { keys, siblings } = parentKeys(lines, pos.line, indent);
      const range: Range = { start: { line: pos.line, character: pos.character - word.length }, end: { line: pos.line, character: pos.character + wordAfter(lineText, pos.character) } };
      return keyCompletions(keys, siblings, indent, range).filter((c) => c.label.toLowerCase().includes(word.toLowerCase()));
    }
  } catch {
    // Completion is best effort.
  }
  return [];
}

function wordAfter(line: string, ch: number): number {
  const m = /^[^\s:#,]*/.exec(line.slice(ch));
  return m ? m[0].length : 0;
}

function keyCompletions(parent: string[], siblings: Set<string>, indent: number, range: Range): CompletionItem[] {
  const info = describePath(parent);
  const present = new Set([...siblings].map((s) => s.toLowerCase()));
  if (info.annotationsOf) {
    return ANNOTATIONS.filter((a) => a.scopes.includes(info.annotationsOf!) && !present.has(a.name))
      .map((a) => ({ label: a.name, kind: 'annotation' as const, detail: `${a.readBy} · ${a.value.kind}`, documentation: annotationMarkdown(a), insertText: `${a.name}: `, range }));
  }
  const schema = info.schema;
  const props = schema?.properties ?? {};
  const items: CompletionItem[] = [];
  for (const [name, s] of Object.entries(props)) {
    if (s.deprecated || present.has(name.toLowerCase())) continue;
    // Under params.wasm the type key is typeHint; elsewhere it is type (the schema already says so).
    const isMapValue = typesOf(s).includes('object') || typesOf(s).includes('array');
    const pad = ' '.repeat(indent + 2);
    const insertText = typesOf(s).includes('array') ? `${name}:\n${pad}- ` : isMapValue ? `${name}:\n${pad}` : `${name}: `;
    items.push({ label: name, kind: 'key', detail: s.title && s.title !== name ? s.title : undefined, documentation: s.description, insertText, range });
  }
  return items;
}

function valueCompletions(keys: string[], range: Range): CompletionItem[] {
  const info = describePath(keys);
  const name = keys[keys.length - 1]!;
  const values = (vals: readonly string[], kind: CompletionItem['kind'], doc?: (v: string) => string | undefined): CompletionItem[] =>
    vals.map((v) => ({ label: v || '""', kind, insertText: v || '""', range, ...(doc?.(v) ? { documentation: doc(v) } : {}) }));
  if (info.annotationScope) {
    const a = annotationInfo(name);
    if (!a) return [];
    switch (a.value.kind) {
      case 'bool': return values(['true', 'false'], 'value');
      case 'enum': return values(a.value.values, 'value');
      case 'template': return values(TEMPLATES.map((t) => t.name), 'template', (v) => `Sets: ${TEMPLATES.find((t) => t.name === v)?.sets}.`);
      case 'list': return a.value.values ? values(a.value.values, 'value') : a.suggest ? values(a.suggest, 'value') : [];
      default: return a.suggest ? values(a.suggest, 'value') : [];
    }
  }
  if (info.paramOperator && (name === 'type' || name === 'typeHint')) return values(TYPE_HINTS, 'kind');
  if (typesOf(info.schema).includes('boolean')) return values(['true', 'false'], 'value');
  return [];
}

// ---------------------------------------------------------------- outline

export function outline(text: string): OutlineNode[] {
  try {
    const p = parseGadgetYaml(text);
    if (p.skipped || !isMap(p.root)) return [];
    const root = p.root;
    const nameP = root.items.find((i) => keyText(i) === 'name');
    const name = nameP && isScalar(nameP.value) ? String(nameP.value.value ?? '') : '';
    const whole = nodeRange(root) ?? [0, text.length];
    const children: OutlineNode[] = [];
    for (const pair of root.items) {
      const k = keyText(pair);
      if (k === undefined) continue;
      const lower = k.toLowerCase();
      const v = deref(pair.value);
      if (lower === 'datasources' && isMap(v)) {
        children.push(node(p, 'datasources', k, pair, entries(v, (dsPair, dsName, ds) => datasource(p, dsPair, dsName, ds))));
      } else if (lower === 'params' && isMap(v)) {
        children.push(node(p, 'params', k, pair, entries(v, (opPair, op, ops) => node(p, 'key', op, opPair,
          entries(ops, (pp, pn, pm) => node(p, 'param', pn, pp, [], paramDetail(pm)))))));
      } else if (lower === 'gadgetparams' && isMap(v)) {
        children.push(node(p, 'params', k, pair, entries(v, (pp, pn, pm) => node(p, 'param', pn, pp, [], paramDetail(pm)))));
      } else if (lower === 'annotations' && isMap(v)) {
        children.push(node(p, 'key', k, pair, annotationNodes(p, v)));
      } else {
        children.push(node(p, 'key', k, pair, [], isScalar(v) ? truncate(String(v.value ?? '')) : undefined));
      }
    }
    const nameRange = nameP ? nodeRange(nameP.key) : undefined;
    return [{
      kind: 'gadget', name: name || 'gadget', detail: 'gadget.yaml',
      range: p.lines.range(whole[0], whole[1]),
      selectionRange: nameRange ? p.lines.range(nameRange[0], nameRange[1]) : p.lines.range(whole[0], whole[0]),
      children,
    }];
  } catch {
    return [];
  }
}

function datasource(p: ParsedGadgetYaml, pair: YPair, name: string, m: YMap): OutlineNode {
  const kids: OutlineNode[] = [];
  let nFields = 0;
  for (const item of m.items) {
    const k = keyText(item)?.toLowerCase();
    const v = deref(item.value);
    if (k === 'annotations' && isMap(v)) kids.push(node(p, 'key', keyText(item)!, item, annotationNodes(p, v)));
    if (k === 'fields' && isMap(v)) {
      const fields = entries(v, (fp, fn, fm) => {
        const ann = fm.items.find((i) => keyText(i)?.toLowerCase() === 'annotations');
        const am = ann && deref(ann.value);
        const annNodes = isMap(am) ? annotationNodes(p, am) : [];
        return node(p, 'field', fn, fp, annNodes, fieldDetail(annNodes));
      }, true);
      nFields = fields.length;
      kids.push(node(p, 'fields', keyText(item)!, item, fields));
    }
  }
  return node(p, 'datasource', name, pair, kids, `${nFields} field${nFields === 1 ? '' : 's'}`);
}

function fieldDetail(ann: OutlineNode[]): string | undefined {
  const t = ann.find((a) => a.name === 'template');
  return t?.detail ? `template: ${t.detail}` : ann.find((a) => a.name === 'description')?.detail;
}

function annotationNodes(p: ParsedGadgetYaml, m: YMap): OutlineNode[] {
  return m.items.flatMap((i) => {
    const k = keyText(i);
    const v = deref(i.value);
    return k === undefined ? [] : [node(p, 'annotation', k, i, [], isScalar(v) ? truncate(String(v.value ?? '')) : undefined)];
  });
}

function paramDetail(m: YMap): string | undefined {
  const get = (n: string): string | undefined => {
    const i = m.items.find((x) => keyText(x)?.toLowerCase() === n.toLowerCase());
    return i && isScalar(i.value) && i.value.value !== null ? String(i.value.value) : undefined;
  };
  const key = get('key');
  const type = get('typeHint') ?? get('type');
  return [key && `--${key}`, type].filter(Boolean).join(' · ') || undefined;
}

function entries(m: YMap, fn: (pair: YPair, name: string, value: YMap) => OutlineNode, allowEmpty = false): OutlineNode[] {
  const out: OutlineNode[] = [];
  for (const pair of m.items) {
    const k = keyText(pair);
    const v = deref(pair.value);
    if (k === undefined) continue;
    if (isMap(v)) out.push(fn(pair, k, v));
    else if (allowEmpty) out.push(fn(pair, k, { kind: 'map', flow: false, items: [], start: pair.value.start, end: pair.value.end }));
  }
  return out;
}

function node(p: ParsedGadgetYaml, kind: OutlineNode['kind'], name: string, pair: YPair, children: OutlineNode[], detail?: string): OutlineNode {
  const [start, keyEnd] = [pair.key.start, pair.key.end];
  let end = Math.max(pair.value.end, keyEnd);
  // Block values end where the next key starts; the entry ends at its last character.
  while (end > keyEnd && /\s/.test(p.text[end - 1]!)) end--;
  const n: OutlineNode = { kind, name, range: p.lines.range(start, end), selectionRange: p.lines.range(start, keyEnd), children };
  if (detail) n.detail = detail;
  return n;
}

function truncate(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

