// A fast path for the YAML that gadget.yaml files are made of: block mappings and sequences, plain and
// quoted scalars (also over several lines), `|`/`>` block scalars, comments, `{}`/`[]`. It builds the same
// node objects as the `yaml` package (YAMLMap, Pair, Scalar with ranges), several times faster because it
// skips the general tokenizer and composer. Anything else — anchors, tags, flow collections, escapes,
// documents markers, tabs, or any syntax error — returns undefined and the caller uses the `yaml` package,
// which then also reports the problem. A differential test checks both agree on every fixture.
import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

type Node = YAMLMap | YAMLSeq | Scalar;

interface Line {
  /** Offset of the line's first character in the text. */
  start: number;
  /** The line without its line break. */
  text: string;
  /** Column where content starts (may be moved past `- ` for items of a sequence). */
  ind: number;
  /** True for lines with nothing but spaces or a comment. */
  blank: boolean;
}

class Bail extends Error {}
const bail = (): never => { throw new Bail(); };

/** Characters that cannot start a plain scalar (or that start YAML features we leave to the full parser). */
const INDICATOR = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

export function fastParse(text: string): YAMLMap | null | undefined {
  try {
    return new FastParser(text).parse();
  } catch (err) {
    if (err instanceof Bail || err instanceof RangeError) return undefined;
    throw err;
  }
}

class FastParser {
  private readonly lines: Line[] = [];
  private i = 0;

  constructor(src: string) {
    if (src.charCodeAt(0) === 0xfeff) bail();
    let start = 0;
    while (start <= src.length) {
      let end = src.indexOf('\n', start);
      if (end === -1) end = src.length;
      let t = src.slice(start, end);
      if (t.endsWith('\r')) t = t.slice(0, -1);
      if (t.includes('\r')) bail();
      let ind = 0;
      while (ind < t.length && t.charCodeAt(ind) === 32) ind++;
      if (t.charCodeAt(ind) === 9) bail(); // tabs near indentation: leave to the full parser
      const blank = ind === t.length || t.charCodeAt(ind) === 35; // '#'
      if (!blank && ind === 0 && (t.startsWith('---') || t.startsWith('...') || t[0] === '%')) bail();
      this.lines.push({ start, text: t, ind, blank });
      if (end === src.length) break;
      start = end + 1;
    }
  }

  parse(): YAMLMap | null {
    this.skipBlank();
    if (this.i >= this.lines.length) return null;
    const first = this.lines[this.i]!;
    if (first.ind !== 0 || first.text.startsWith('- ') || first.text === '-') bail();
    const root = this.map(0);
    this.skipBlank();
    if (this.i < this.lines.length) bail(); // content the root mapping did not take: a syntax problem
    return root;
  }

  private skipBlank(): void {
    while (this.i < this.lines.length && this.lines[this.i]!.blank) this.i++;
  }

  /** A block mapping whose keys sit at column `indent`, starting at the current line. */
  private map(indent: number): YAMLMap {
    const m = new YAMLMap();
    let first = -1;
    let last = -1;
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.ind < indent) break;
      if (line.ind > indent) bail();
      const t = line.text;
      if (t[indent] === '-' && (t.length === indent + 1 || t[indent + 1] === ' ')) break; // a sequence at this level
      const { key, colon } = this.key(line, indent);
      if (first < 0) first = line.start + indent;
      const value = this.value(line, colon + 1, indent);
      m.items.push(new Pair(key, value));
      last = endOf(value) ?? key.range![1];
    }
    if (first < 0) bail();
    m.range = [first, last, last];
    return m;
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private seq(indent: number): YAMLSeq {
    const s = new YAMLSeq();
    let first = -1;
    let last = -1;
    for (;;) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.ind !== indent) { if (line && line.ind > indent) bail(); break; }
      const t = line.text;
      if (!(t[indent] === '-' && (t.length === indent + 1 || t[indent + 1] === ' '))) break;
      if (first < 0) first = line.start + indent;
      let col = indent + 1;
      while (col < t.length && t[col] === ' ') col++;
      let item: Node | null;
      if (col >= t.length || t[col] === '#') {
        // `-` alone: the item is the block below, or null.
        this.i++;
        item = this.nested(indent) ?? nullAt(line.start + indent + 1);
      } else if (this.looksLikeKey(t, col)) {
        // `- key: value`: a mapping whose keys sit at this column.
        line.ind = col;
        item = this.map(col);
      } else {
        item = this.value(line, col - 1, indent);
      }
      s.items.push(item);
      last = endOf(item) ?? line.start + t.length;
    }
    s.range = [first, last, last];
    return s;
  }

  private looksLikeKey(t: string, col: number): boolean {
    if (t[col] === "'" || t[col] === '"') {
      const close = t.indexOf(t[col]!, col + 1);
      return close > 0 && /^\s*:(\s|$)/.test(t.slice(close + 1));
    }
    const c = t.indexOf(':', col);
    return c > 0 && (c + 1 === t.length || t[c + 1] === ' ') && !t.slice(col, c).includes(' #');
  }

  /** Parses the key at `indent` on `line`; returns it and the index of its colon. */
  private key(line: Line, indent: number): { key: Scalar; colon: number } {
    const t = line.text;
    const q = t[indent];
    if (q === "'" || q === '"') {
      const { value, end } = quotedOneLine(t, indent);
      let c = end;
      while (t[c] === ' ') c++;
      if (t[c] !== ':' || !(c + 1 === t.length || t[c + 1] === ' ')) bail();
      const k = new Scalar(value);
      k.type = q === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
      k.range = [line.start + indent, line.start + end, line.start + end];
      return { key: k, colon: c };
    }
    if (INDICATOR.has(q!)) bail();
    let c = t.indexOf(':', indent);
    while (c !== -1 && !(c + 1 === t.length || t[c + 1] === ' ')) c = t.indexOf(':', c + 1);
    if (c === -1) bail();
    const raw = t.slice(indent, c);
    if (raw.includes(' #') || raw.includes('\t')) bail();
    const trimmed = raw.trimEnd();
    const k = new Scalar(resolvePlain(trimmed));
    k.type = Scalar.PLAIN;
    k.range = [line.start + indent, line.start + indent + trimmed.length, line.start + indent + trimmed.length];
    return { key: k, colon: c };
  }

  /** The value after a `key:` (or `-`) ending at column `after` on `line`; `parentIndent` is the key's column. */
  private value(line: Line, after: number, parentIndent: number): Node {
    const t = line.text;
    let col = after;
    while (col < t.length && t[col] === ' ') col++;
    const ch = t[col];
    if (col >= t.length || ch === '#') {
      this.i++;
      return this.nested(parentIndent, true) ?? nullAt(line.start + col);
    }
    if (ch === '|' || ch === '>') return this.blockScalar(line, col, parentIndent);
    if (ch === "'" || ch === '"') return this.quoted(line, col, parentIndent);
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      if (t[col + 1] !== close || !restIsComment(t, col + 2)) bail();
      const n = ch === '{' ? new YAMLMap() : new YAMLSeq();
      (n as { flow?: boolean }).flow = true;
      n.range = [line.start + col, line.start + col + 2, line.start + col + 2];
      this.i++;
      return n;
    }
    if (INDICATOR.has(ch!) && !((ch === '-' || ch === '?' || ch === ':') && t[col + 1] !== undefined && t[col + 1] !== ' ')) bail();
    return this.plain(line, col, parentIndent);
  }

  /** The block under a key with no inline value: a deeper mapping or sequence, or a sequence at the same column. */
  private nested(parentIndent: number, allowSameIndentSeq = false): Node | undefined {
    this.skipBlank();
    const next = this.lines[this.i];
    if (!next) return undefined;
    const t = next.text;
    const isSeq = t[next.ind] === '-' && (t.length === next.ind + 1 || t[next.ind + 1] === ' ');
    if (next.ind > parentIndent) return isSeq ? this.seq(next.ind) : this.map(next.ind);
    if (allowSameIndentSeq && isSeq && next.ind === parentIndent) return this.seq(next.ind);
    return undefined;
  }

  private plain(line: Line, col: number, parentIndent: number): Scalar {
    const t = line.text;
    const first = cutComment(t, col);
    let text = first.text;
    if (first.text.includes(': ') || first.text.endsWith(':')) bail();
    let end = line.start + col + text.length;
    this.i++;
    if (!first.comment) {
      // Continuation lines, more indented than the key, fold into the scalar with single spaces.
      for (;;) {
        const next = this.lines[this.i];
        if (!next || next.ind <= parentIndent) break;
        if (next.blank) {
          if (next.ind === next.text.length) {
            // An empty line inside a multi-line plain scalar (a newline): rare, leave it to the full parser.
            const after = this.lines.slice(this.i).find((l) => !l.blank);
            if (after && after.ind > parentIndent) bail();
          }
          break;
        }
        const c = cutComment(next.text, next.ind);
        if (c.text.includes(': ') || c.text.endsWith(':') || next.text[next.ind] === '-' && next.text[next.ind + 1] === ' ') bail();
        text += ` ${c.text}`;
        end = next.start + next.ind + c.text.length;
        this.i++;
        if (c.comment) break;
      }
    }
    const s = new Scalar(resolvePlain(text));
    s.type = Scalar.PLAIN;
    s.range = [line.start + col, end, end];
    return s;
  }

  private quoted(line: Line, col: number, parentIndent: number): Scalar {
    const q = line.text[col]!;
    let value = '';
    let li = this.i;
    let pos = col + 1;
    let pendingBreaks = -1; // -1: not after a line break
    for (;;) {
      const l = this.lines[li];
      if (!l) bail();
      const t = l!.text;
      if (li !== this.i && l!.ind <= parentIndent && l!.ind < t.length) bail();
      if (pendingBreaks >= 0) {
        // Folding: one line break becomes a space, each further (empty) line a newline.
        let p = 0;
        while (p < t.length && (t[p] === ' ' || t[p] === '\t')) p++;
        if (p === t.length) { pendingBreaks++; li++; continue; }
        value = value.replace(/[ \t]+$/, '') + (pendingBreaks === 0 ? ' ' : '\n'.repeat(pendingBreaks));
        pos = p;
        pendingBreaks = -1;
      }
      let j = pos;
      let closed = -1;
      while (j < t.length) {
        const c = t[j];
        if (q === '"' && c === '\\') bail();
        if (c === q) {
          if (q === "'" && t[j + 1] === "'") { value += "'"; j += 2; continue; }
          closed = j;
          break;
        }
        value += c;
        j++;
      }
      if (closed >= 0) {
        if (!restIsComment(t, closed + 1)) bail();
        const s = new Scalar(value);
        s.type = q === "'" ? Scalar.QUOTE_SINGLE : Scalar.QUOTE_DOUBLE;
        const end = l!.start + closed + 1;
        s.range = [line.start + col, end, end];
        this.i = li + 1;
        return s;
      }
      pendingBreaks = 0;
      li++;
    }
  }

  private blockScalar(line: Line, col: number, parentIndent: number): Scalar {
    const t = line.text;
    const literal = t[col] === '|';
    let h = col + 1;
    let chomp: 'clip' | 'strip' | 'keep' = 'clip';
    if (t[h] === '-') { chomp = 'strip'; h++; } else if (t[h] === '+') { chomp = 'keep'; h++; }
    if (chomp === 'keep' || !restIsComment(t, h) || (t[h] !== undefined && t[h] !== ' ')) bail();
    this.i++;
    // Content indentation: that of the first non-empty line, which must be deeper than the key.
    let contentIndent = -1;
    for (let k = this.i; k < this.lines.length; k++) {
      const l = this.lines[k]!;
      if (l.ind === l.text.length) continue;
      contentIndent = l.ind;
      break;
    }
    const parts: string[] = [];
    let lastContent = this.i - 1;
    // `stop`: the first line that is not part of the scalar (trailing empty lines belong to it).
    let stop = this.i;
    for (; stop < this.lines.length; stop++) {
      const l = this.lines[stop]!;
      if (l.ind === l.text.length) {
        if (contentIndent > parentIndent && l.text.length > contentIndent) bail();
        parts.push('');
        continue;
      }
      if (contentIndent <= parentIndent || l.ind < contentIndent) break;
      if (l.ind > contentIndent && !literal) bail(); // more-indented lines in folded scalars: subtle rules
      parts.push(l.text.slice(contentIndent));
      lastContent = stop;
    }
    const used = lastContent - this.i + 1;
    const contentLines = parts.slice(0, Math.max(0, used));
    if (lastContent === this.lines.length - 1) bail(); // no line break after the last line: leave that edge case to the full parser
    let value: string;
    if (literal) value = contentLines.join('\n');
    else {
      value = '';
      let prevText = false;
      for (const p of contentLines) {
        if (p === '') { value += '\n'; prevText = false; } else { value += prevText ? ` ${p}` : p; prevText = true; }
      }
    }
    if (contentLines.length && chomp === 'clip') value += '\n';
    const s = new Scalar(value);
    s.type = literal ? Scalar.BLOCK_LITERAL : Scalar.BLOCK_FOLDED;
    // Like the yaml package: a scalar with content ends after its last content line; an empty one takes the empty lines.
    const lastLine = this.lines[this.lines.length - 1]!;
    const end = contentLines.length ? this.lines[lastContent + 1]!.start
      : stop < this.lines.length ? this.lines[stop]!.start : lastLine.start + lastLine.text.length;
    s.range = [line.start + col, end, end];
    this.i = stop;
    return s;
  }
}

function endOf(n: Node | null): number | undefined {
  return n?.range?.[1];
}

function nullAt(offset: number): Scalar {
  const s = new Scalar(null);
  s.type = Scalar.PLAIN;
  s.range = [offset, offset, offset];
  return s;
}

function restIsComment(t: string, from: number): boolean {
  let p = from;
  while (p < t.length && t[p] === ' ') p++;
  return p === t.length || (t[p] === '#' && (p === from ? p === 0 || t[p - 1] === ' ' : true));
}

/** The scalar text from `col` up to a ` #` comment, without trailing spaces. */
function cutComment(t: string, col: number): { text: string; comment: boolean } {
  let end = t.length;
  let comment = false;
  const hash = t.indexOf(' #', col);
  if (hash !== -1) { end = hash; comment = true; }
  if (t.slice(col, end).includes('\t')) bail();
  return { text: t.slice(col, end).trimEnd(), comment };
}

function quotedOneLine(t: string, col: number): { value: string; end: number } {
  const q = t[col]!;
  let value = '';
  for (let j = col + 1; j < t.length; j++) {
    const c = t[j]!;
    if (q === '"' && c === '\\') bail();
    if (c === q) {
      if (q === "'" && t[j + 1] === "'") { value += "'"; j++; continue; }
      return { value, end: j + 1 };
    }
    value += c;
  }
  return bail();
}

/** YAML 1.2 core schema resolution of a plain scalar (what the `yaml` package does by default). */
export function resolvePlain(s: string): string | number | boolean | null {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  const c = s.charCodeAt(0);
  // Only text starting like a number can be one.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return s;
  if (/^[-+]?[0-9]+$/.test(s)) {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) bail(); // the yaml package has its own rules for big integers
    return n;
  }
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return Number(s);
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return NaN;
  return s;
}
