// The webview's HTML shell. It holds no response data at all: the exchange and its body
// arrive by postMessage and are rendered as DOM text, so nothing from a server is ever parsed as HTML.

export interface PanelHtmlSources {
  /** `webview.cspSource`: the origin VS Code serves local resources from. */
  readonly cspSource: string;
  /** URIs (from `webview.asWebviewUri`) of dist/webview.js and dist/webview.css. */
  readonly scriptUri: string;
  readonly styleUri: string;
  /** Fresh per page: only scripts carrying it run. */
  readonly nonce: string;
}

/** A random nonce of 32 base64url characters. */
export function createNonce(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/**
 * Nothing loads but Courier's own script and stylesheet; images only as data URLs (response images).
 * No `frame-src`: the HTML preview is a `srcdoc` frame, which needs none (about:srcdoc is not fetched),
 * inherits this policy and is sandboxed without `allow-scripts`; any other frame is refused.
 */
export function contentSecurityPolicy(sources: Pick<PanelHtmlSources, 'cspSource' | 'nonce'>): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${sources.nonce}'`,
    `style-src ${sources.cspSource} 'nonce-${sources.nonce}'`,
    `img-src ${sources.cspSource} data:`,
    `font-src ${sources.cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The page the panel loads once; later exchanges reuse it through messages. */
export function panelHtml(sources: PanelHtmlSources): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(contentSecurityPolicy(sources))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${escapeAttribute(sources.styleUri)}" nonce="${escapeAttribute(sources.nonce)}">
<title>Courier response</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="placeholder">Waiting for a response…</p></main>
<script nonce="${escapeAttribute(sources.nonce)}" src="${escapeAttribute(sources.scriptUri)}"></script>
</body>
</html>
`;
}
