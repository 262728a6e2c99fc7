// Text files as bytes: gadget.yaml and events files must be UTF-8, as IG's YAML reader requires. A
// lenient decoder would turn a bad byte into U+FFFD and the file would lint clean while IG refuses it;
// here the first bad byte is an error with its line and column. No node or vscode imports: the CLI,
// the extension and the image reader share it.

/** Invalid UTF-8 at a place in the bytes; `line`, `column` are 1-based (column in characters). */
export class TextDecodeError extends Error {
  constructor(readonly reason: string, readonly offset: number, readonly line: number, readonly column: number) {
    super(`line ${line}, column ${column}: ${reason}`);
    this.name = 'TextDecodeError';
  }
}

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/** Decodes UTF-8 (a leading BOM dropped); throws TextDecodeError at the first invalid byte. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strict.decode(bytes);
  } catch {
    const at = firstInvalid(bytes);
    const before = lenient.decode(bytes.subarray(0, at));
    const nl = before.lastIndexOf('\n');
    const line = countNewlines(before) + 1;
    const column = before.length - nl;
    const shown = Array.from(bytes.subarray(at, Math.min(at + 4, bytes.length)), (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
    throw new TextDecodeError(`invalid UTF-8 at byte ${at} (${shown}): the file must be UTF-8 text`, at, line, column);
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) { i++; continue; }
    let n: number, min: number, max = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c === 0xe0) { n = 2; min = 0xa0; }
    else if (c === 0xed) { n = 2; min = 0x80; max = 0x9f; } // no surrogates
    else if (c >= 0xe1 && c <= 0xef) { n = 2; min = 0x80; }
    else if (c === 0xf0) { n = 3; min = 0x90; }
    else if (c === 0xf4) { n = 3; min = 0x80; max = 0x8f; }
    else if (c >= 0xf1 && c <= 0xf3) { n = 3; min = 0x80; }
    else return i;
    if (i + n >= b.length) return i; // cut short by the end of the file
    if (b[i + 1] < min || b[i + 1] > max) return i;
    for (let k = 2; k <= n; k++) if ((b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return b.length;
}
