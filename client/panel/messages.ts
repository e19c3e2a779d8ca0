// The response panel's message protocol, declared once for both sides: the extension
// host (responsePanel.ts) and the script inside the webview (client/webview/main.ts).
// Everything here crosses `postMessage`, so it is plain JSON data: no bytes, no classes.

/** How the webview shows a body; chosen on the host from the Content-Type (bodyKind.ts). */
export type BodyKind = 'json' | 'xml' | 'html' | 'text' | 'image' | 'binary' | 'empty';

/** Colour class of a status line: 1xx..5xx, or `error` when no response arrived. */
export type StatusClass = 'informational' | 'success' | 'redirect' | 'client-error' | 'server-error' | 'error';

export type HeaderList = readonly (readonly [name: string, value: string])[];

/** One bar of the timing waterfall, in ms from the start of the exchange. */
export interface TimingPhase {
  readonly label: 'DNS' | 'Connect' | 'TLS' | 'First byte' | 'Download';
  readonly start: number;
  readonly duration: number;
}

/** What the panel shows about an exchange, apart from the body text that follows in chunks. */
export interface ExchangeView {
  readonly title: string;
  readonly request: {
    readonly method: string;
    readonly url: string;
    readonly headers: HeaderList;
    readonly bodySize: number;
  };
  /** Undefined when no response arrived; `error` then says why. */
  readonly response:
    | {
        readonly status: number;
        readonly statusText: string;
        readonly httpVersion: string;
        readonly statusClass: StatusClass;
        readonly headers: HeaderList;
        /** Bytes of the header block as it would appear on the wire (name: value CRLF). */
        readonly headersSize: number;
      }
    | undefined;
  readonly body: BodyView;
  /** For a response that is a stream of messages (SSE, WebSocket, gRPC); undefined for a single body. */
  readonly stream: StreamView | undefined;
  readonly redirects: readonly { readonly status: number; readonly url: string }[];
  readonly timings: { readonly phases: readonly TimingPhase[]; readonly total: number };
  readonly error: { readonly code: string; readonly message: string } | undefined;
  readonly warnings: readonly string[];
  /** The request's tests (`client.test`, `??` lines, script errors), in the order they ran; empty when it has none. */
  readonly tests: readonly TestView[];
  /** What its scripts logged; the panel shows the section only when there is some. */
  readonly log: LogView;
}

/** One test of the exchange, as text. */
export interface TestView {
  readonly name: string;
  readonly outcome: 'passed' | 'failed' | 'skipped';
  /** `script`: `client.test`; `assertion`: a `??` line; `script-error`: a script that threw or hit a limit. */
  readonly kind: 'script' | 'assertion' | 'script-error' | 'openapi';
  /** Why it failed or was skipped. */
  readonly message: string | undefined;
  readonly expected: string | undefined;
  readonly actual: string | undefined;
  /** Where it is, `file:line`, when the engine said. */
  readonly where: string | undefined;
}

/** The scripts' log: its last lines, bounded, and how many earlier ones were left out. */
export interface LogView {
  readonly lines: readonly string[];
  readonly notShown: number;
}

export interface BodyView {
  readonly kind: BodyKind;
  readonly contentType: string | undefined;
  /** Decoded size in bytes. */
  readonly size: number;
  /** Bytes on the wire, before decompression. */
  readonly encodedSize: number;
  /** True when the panel receives only the first `maxBodyBytesInPanel` bytes. */
  readonly truncated: boolean;
  /** Bytes of the body the panel receives as text chunks (0 for images and binary bodies). */
  readonly bytesInPanel: number;
  /** For `image`: a data URL, or undefined when the image is over the panel's limit. */
  readonly imageDataUrl: string | undefined;
  /** For `binary`: the first bytes as a hex dump, one line per 16 bytes. */
  readonly hexPreview: readonly string[];
}

/** A stream-shaped response as the panel shows it: its most recent messages as a table. */
export interface StreamView {
  /** `sse`, `websocket`, `grpc`, ... */
  readonly protocol: string;
  /** Messages exchanged in all. */
  readonly count: number;
  /** The most recent messages, oldest first. */
  readonly messages: readonly StreamMessageView[];
  /** Messages exchanged but not in `messages`: the earlier ones. */
  readonly notShown: number;
  /** How the stream ended, as a sentence: `closed by the server (code 1000: bye)`. */
  readonly end: string;
  /** The end's reason, for styling: `completed`, `closed-by-server`, `stopped`, `timeout`. */
  readonly endReason: string;
}

/** One message of a stream, its data already text: JSON pretty-printed, binary summarised by the host. */
export interface StreamMessageView {
  /** Milliseconds from the start of the exchange. */
  readonly at: number;
  readonly direction: 'received' | 'sent';
  /** The SSE event, `text` or `binary` for WebSocket, the gRPC method. */
  readonly type: string;
  readonly id: string | undefined;
  readonly dataKind: 'json' | 'text' | 'binary';
  /** Shown as text, never as HTML. */
  readonly data: string;
  /** Characters of the data the panel was not sent. */
  readonly omitted: number;
}

/** A stream that is still open: what the panel offers until it ends. */
export interface LiveStreamView {
  /** `sse`, `websocket`, `grpc`, ... */
  readonly protocol: string;
  /** Whether the user may type messages (WebSocket, client-streaming gRPC): the message box shows. */
  readonly canSend: boolean;
}

/** Host -> webview. */
export type HostMessage =
  /** A request is on its way: show its title and a spinner; the previous response stays dimmed. */
  | { readonly type: 'pending'; readonly title: string }
  /**
   * A new exchange: replaces whatever was shown. Body text follows as `bodyChunk`s with the same `id`.
   * `endsLive`: the exchange is the end of the live stream shown under the same `id`, whose table stays.
   */
  | { readonly type: 'exchange'; readonly id: number; readonly view: ExchangeView; readonly endsLive?: boolean }
  /** A response turned out to be a stream: show its head and an empty live table; messages follow as `streamMessages`. */
  | { readonly type: 'streamOpen'; readonly id: number; readonly view: ExchangeView; readonly live: LiveStreamView }
  /** The next messages of the live stream `id`, oldest first; `count` is how many were exchanged so far (some may have been skipped). */
  | { readonly type: 'streamMessages'; readonly id: number; readonly messages: readonly StreamMessageView[]; readonly count: number }
  /** The next piece of decoded body text; `last` ends the body. */
  | { readonly type: 'bodyChunk'; readonly id: number; readonly text: string; readonly last: boolean };

/** What the user asked for with a button of the panel. */
export type PanelAction = 'copyBody' | 'saveBody' | 'saveExchange' | 'openBody' | 'resend' | 'copyAsCurl' | 'cancel' | 'stopStream' | 'saveStream';

/** Webview -> host. */
export type WebviewMessage =
  /**
   * The script has loaded and listens: the host may post (messages posted earlier are lost). Sent
   * again by each new page of the same panel (its webview reloaded): the host then posts what it shows again.
   */
  | { readonly type: 'ready' }
  /** The exchange with this id is on screen, its body complete. */
  | { readonly type: 'shown'; readonly id: number }
  | { readonly type: 'action'; readonly action: PanelAction }
  /** The page shows `count` messages of the live stream `id` (sent now and then, not per message). */
  | { readonly type: 'streamShown'; readonly id: number; readonly count: number }
  /** The user typed a message for the live stream `id` (WebSocket): send it, as text or as the text's UTF-8 bytes. */
  | { readonly type: 'streamSend'; readonly id: number; readonly data: string; readonly binary: boolean };

export const panelActions: readonly PanelAction[] = ['copyBody', 'saveBody', 'saveExchange', 'openBody', 'resend', 'copyAsCurl', 'cancel', 'stopStream', 'saveStream'];

/** Narrows an unknown message from the webview; anything else is ignored by the host. */
export function isWebviewMessage(value: unknown): value is WebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { type?: unknown; action?: unknown; id?: unknown };
  if (message.type === 'ready') return true;
  if (message.type === 'shown') return typeof message.id === 'number';
  if (message.type === 'streamShown') return typeof message.id === 'number' && typeof (value as { count?: unknown }).count === 'number';
  if (message.type === 'streamSend') {
    const send = value as { data?: unknown; binary?: unknown };
    return typeof message.id === 'number' && typeof send.data === 'string' && typeof send.binary === 'boolean';
  }
  return message.type === 'action' && panelActions.includes(message.action as PanelAction);
}
