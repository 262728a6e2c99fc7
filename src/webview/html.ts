// The grid page's HTML. Used by GridPanel (with asWebviewUri URIs) and by the browser tests and the
// benchmark (with file: URIs), so the page under test has the very CSP the panel ships.

export interface PageAssets {
  /** The webview's CSP source (`webview.cspSource`). */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  /** Fresh per render; only scripts carrying it run. */
  nonce: string;
  title: string;
  /** Extra script tags (already carrying the nonce) before the page's bundle: test stubs only. */
  extraHead?: string;
  /** Extra CSP directives: the benchmark's driver only (its stand-in extension host runs in a worker). */
  extraCsp?: string[];
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]!));
}

/** A nonce: 32 characters of [A-Za-z0-9] from a cryptographic source. */
export function makeNonce(randomBytes: (n: number) => Uint8Array): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(32), (b) => chars[b % chars.length]).join('');
}

export function gridHtml(a: PageAssets): string {
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${a.nonce}'`,
    `style-src ${a.cspSource}`,
    `font-src ${a.cspSource}`,
    `img-src ${a.cspSource}`,
    ...(a.extraCsp ?? []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(a.codiconUri)}">
<link rel="stylesheet" href="${escapeHtml(a.styleUri)}">
<title>${escapeHtml(a.title)}</title>
${a.extraHead ?? ''}
</head>
<body>
<div id="app" data-title="${escapeHtml(a.title)}"></div>
<script nonce="${a.nonce}" src="${escapeHtml(a.scriptUri)}"></script>
</body>
</html>
`;
}
