// Just enough Markdown for checking links: inline links and images outside code spans and fenced blocks,
// and the anchors GitHub gives headings. Not a renderer: reference-style links and raw HTML are left to
// the callers that care about them.

export interface MarkdownLink {
  /** 1-based line of the link. */
  line: number;
  image: boolean;
  target: string;
}

/** The file's lines with those inside fenced code blocks (and the fences) blanked. */
function outsideFences(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const m = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (m) {
      if (!fence) fence = m[1]!;
      else if (m[1]!.startsWith(fence)) fence = undefined;
      return '';
    }
    return fence ? '' : line;
  });
}

const LINK = /(!?)\[((?:[^\][]|\[[^\]]*\]\([^)]*\))*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;

export function markdownLinks(text: string): MarkdownLink[] {
  const out: MarkdownLink[] = [];
  outsideFences(text).forEach((raw, i) => {
    const line = raw.replace(/(`+)[^`]*?\1/g, (s) => ' '.repeat(s.length));
    // `(!)?[text](target "title")`; the text may hold a nested image, as in a linked badge, which is
    // reported before the link that wraps it.
    for (const m of line.matchAll(LINK)) {
      for (const inner of markdownLinks(m[2]!)) out.push({ ...inner, line: i + 1 });
      out.push({ line: i + 1, image: m[1] === '!', target: m[3]! });
    }
  });
  return out;
}

/** The anchors of a file's headings as GitHub makes them: lower case, punctuation dropped, spaces to `-`. */
export function headingSlugs(text: string): Set<string> {
  const seen = new Map<string, number>();
  const slugs = new Set<string>();
  for (const line of outsideFences(text)) {
    const m = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = m[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    slugs.add(n ? `${base}-${n}` : base);
  }
  return slugs;
}
