// Reads the grid page's rendered rows back into cells, as drawn (padding included). Runs inside the page:
// pass it to Playwright's $$eval / evaluateAll, so it must stay self-contained (no imports, no closures).
// A row of printable ASCII is one line of text on the character grid (src/webview/ui/table.ts), cut here
// at the column widths the table body publishes in data-cols; other rows have one element per cell.

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a DOM element; the Node tsconfig has no DOM types
type El = any;

export function readGridRows(rows: El[]): string[][] {
  return rows.map((r: El) => {
    const cols = String(r.parentElement?.dataset.cols ?? '').split(',').filter((x: string) => x).map(Number);
    const [num, ...rest] = Array.from(r.children) as El[];
    const out: string[] = [num?.textContent ?? ''];
    if (rest.length === 1 && rest[0].classList.contains('grid-line')) {
      const line: string = rest[0].textContent ?? '';
      let at = 0;
      for (const w of cols) { out.push(line.slice(at, at + w)); at += w; }
    } else for (const c of rest) out.push(c.textContent ?? '');
    return out;
  });
}
