// The engine's data model: what goes on the wire and what comes back.
//
// `prepare.ts` turns a parsed request plus variables into a `PreparedRequest`;
// `session.ts` sends it and returns an `Exchange`. Everything here is plain data
// (no classes, no streams) except the body, so the CLI, the extension and the
// tests can log, store and compare it.

/** Where a request came from, for messages and reports. */
export interface RequestOrigin {
  /** Absolute path of the `.http` file, or undefined for an unsaved document. */
  readonly file: string | undefined;
  /** 1-based line of the request line. */
  readonly line: number;
  readonly name: string | undefined;
  /** `# @title`: what reports show instead of the method and URL. */
  readonly title?: string;
  /** The pass of a `# @loop`, from 0. */
  readonly iteration?: number;
  /** `# @noLog` / `# @no-log`: kept out of the history and the CLI's verbose output. */
  readonly noLog?: boolean;
  /** `# @save`: the editor asks where to save the body instead of showing it (httpYac's meaning); the CLI ignores it. */
  readonly save?: boolean;
}

/** One piece of a request body: bytes in memory, or a file streamed from disk. */
export type BodyChunk = Uint8Array | { readonly path: string };

/** A request ready to send: variables substituted, URL encoded, body assembled. */
export interface PreparedRequest {
  readonly method: string;
  /** Absolute URL, percent-encoded exactly once. */
  readonly url: string;
  /** Header lines in file order, names as written, values trimmed. The engine adds Content-Length, User-Agent, Cookie. */
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** Body chunks sent in order; undefined for no body. File chunks are streamed, never read whole. */
  readonly body: readonly BodyChunk[] | undefined;
  readonly options: SendOptions;
  readonly origin: RequestOrigin;
  /**
   * The HTTP version the request line asks for: `2` for `HTTP/2` (negotiated by ALPN over TLS),
   * `2-prior-knowledge` for `HTTP/2 (Prior Knowledge)` (cleartext h2 too); undefined for HTTP/1.1.
   */
  readonly httpVersion?: '2' | '2-prior-knowledge' | undefined;
}

/** Per-request control, from directives, settings and CLI flags (directives win). */
export interface SendOptions {
  readonly followRedirects: boolean;
  readonly maxRedirects: number;
  /** False for `# @no-cookie-jar`: no cookies sent or stored. */
  readonly useCookieJar: boolean;
  /** Whole exchange, in ms; undefined for none. */
  readonly timeoutMs: number | undefined;
  readonly connectTimeoutMs: number | undefined;
  /** `# @insecure` or a setting: skip certificate verification (reported as a warning). */
  readonly insecure: boolean;
  /** Retries on connection errors for idempotent methods; 0 disables. */
  readonly retries: number;
  /**
   * The environment's client certificate (JetBrains' `SSLConfiguration`), presented to every
   * host instead of the settings' per-host certificates; in memory only, never stored.
   */
  readonly clientCertificate?: PresentedCertificate;
  /**
   * How to read a response as a stream of messages when its Content-Type does not say: `lines` for
   * `# @stream` (one message per line), `events` for httpYac's `SSE` request line (Server-Sent
   * Events). `text/event-stream` and the NDJSON/JSON Lines types are streams without it.
   */
  readonly stream?: 'lines' | 'events';
  /**
   * WebSocket: how long the server may stay quiet, once the body's messages are sent, before the
   * conversation ends as `completed` (default 1000 ms).
   */
  readonly streamQuietMs?: number;
  /**
   * Set by a front end that lets the user type more messages (the panel, through
   * `RunSettings.defaults`): a WebSocket then never ends for a quiet server, only by Stop, a close
   * from either side or `# @timeout`.
   */
  readonly keepStreamOpen?: boolean;
}

/** A client certificate ready for the TLS handshake: PEM text and an unencrypted PEM key. */
export interface PresentedCertificate {
  readonly cert: string;
  readonly key: string;
}

/** Phases of one exchange in ms, measured from the start; absent phases did not happen (a reused connection has no DNS). */
export interface Timings {
  readonly dns?: number;
  readonly connect?: number;
  readonly tls?: number;
  readonly firstByte?: number;
  readonly download?: number;
  readonly total: number;
}

/** The body of a response: a bounded prefix in memory and, when larger, the whole body in a temp file. */
export interface ResponseBody {
  /** Decoded (decompressed) size in bytes. */
  readonly size: number;
  /** Bytes received on the wire, before decompression. */
  readonly encodedSize: number;
  /** Up to the engine's in-memory limit: the whole body when `file` is undefined. */
  readonly prefix: Uint8Array;
  /** Temp file holding the whole decoded body when it exceeded the in-memory limit. */
  readonly file: string | undefined;
  readonly contentType: string | undefined;
  /** From the Content-Type charset, or sniffed; `utf-8` by default. */
  readonly charset: string;
}

/** The status line and headers of a response, whatever its shape. */
export interface ResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** As the connection spoke it: `1.1`, `2`, ... */
  readonly httpVersion: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
}

/** A response that is one body, complete when the exchange ends. */
export interface BodyResponse extends ResponseHead {
  /** Absent on older values (history written before streams existed): a body response. */
  readonly shape?: 'body';
  readonly body: ResponseBody;
}

/**
 * A response that is a stream of messages: Server-Sent Events, NDJSON lines, WebSocket frames,
 * gRPC messages. `body` holds the bytes received as they came (empty for framed protocols), so
 * request variables, Save and history work as for any response.
 */
export interface StreamResponse extends ResponseHead {
  readonly shape: 'stream';
  readonly body: ResponseBody;
  readonly stream: MessageStream;
}

/** What came back: switch on `shape`. */
export type ResponseSummary = BodyResponse | StreamResponse;

/** The protocols whose responses are streams of messages. */
export type StreamProtocol = 'sse' | 'ndjson' | 'websocket' | 'graphql-ws' | 'grpc';

/** One message of a stream, in either direction. */
export interface StreamMessage {
  /** Milliseconds from the start of the exchange. */
  readonly at: number;
  readonly direction: 'received' | 'sent';
  /** What the protocol calls it: the SSE `event` (`message` by default), `text` or `binary` for WebSocket, the gRPC method. */
  readonly type: string;
  /** The SSE `id`, the GraphQL operation id, ...; undefined when the protocol gives none. */
  readonly id: string | undefined;
  /** Text, or bytes for binary frames. */
  readonly data: string | Uint8Array;
}

/** Why a stream ended. `stopped` and `timeout` are normal ends the user asked for, not errors. */
export interface StreamEnd {
  readonly reason: 'completed' | 'closed-by-server' | 'stopped' | 'timeout';
  /** WebSocket close code or gRPC status code, when the protocol gives one. */
  readonly code?: number;
  /** The close reason or status message, when there is one. */
  readonly detail?: string;
}

/** The messages of a stream: the last ones in memory, all of them in a file when they did not fit. */
export interface MessageStream {
  readonly protocol: StreamProtocol;
  /** The messages kept in memory, oldest first: all of them, or the most recent when there were more. */
  readonly messages: readonly StreamMessage[];
  /** How many messages were exchanged in all, kept in memory or not. */
  readonly count: number;
  /** One JSON object per line for every message, when not all of them are in `messages`; deleted with the session. */
  readonly file: string | undefined;
  readonly end: StreamEnd;
}

/**
 * What a front end (the panel's Stop and message box, a handler's `unsubscribe()`) may do with a
 * stream while it is open. Aborting the exchange's signal once the stream is open also ends it as
 * `stopped` (or `timeout` for `# @timeout`): a normal end with the response kept, not an error.
 */
export interface StreamControl {
  readonly protocol: StreamProtocol;
  /** Whether `send` may be called: WebSocket, and gRPC calls that stream from the client. */
  readonly canSend: boolean;
  /** Sends one more message; it is recorded (and observed) as `sent`. Ignored once the stream has ended. */
  send(data: string | Uint8Array): void;
  /** Ends the stream as the user asked (`stopped`); a WebSocket closes with `code` (1000 by default). */
  stop(code?: number, reason?: string): void;
}

/** Told about an exchange while it happens; a stream's messages arrive here as they come. */
export interface ExchangeObserver {
  /** The response's status line and headers arrived (once per hop that answers). */
  readonly onResponseHead?: (head: ResponseHead) => void;
  /** A stream-shaped response started: what may be done with it until it ends. */
  readonly onStreamOpen?: (control: StreamControl) => void;
  /** A message of a stream-shaped response was sent or received. */
  readonly onMessage?: (message: StreamMessage) => void;
}

/** Why an exchange produced no response. Codes are stable: reporters and tests match on them. */
export type EngineErrorCode =
  | 'dns'
  | 'refused'
  | 'reset'
  | 'tls'
  | 'timeout'
  | 'too-many-redirects'
  | 'invalid-response'
  | 'body-too-large'
  | 'aborted'
  | 'variable'
  | 'file'
  | 'proxy'
  /** The server does not speak the protocol the request asks for (e.g. HTTP/2). */
  | 'protocol'
  /** No OAuth token could be obtained for a `{{$auth.token("id")}}` the request reads, so it was not sent. */
  | 'auth'
  /** A pre-request script failed, so the request was not sent. */
  | 'script'
  | 'other';

export interface EngineError {
  readonly code: EngineErrorCode;
  /** A sentence a user can act on, naming the host, file or variable involved. */
  readonly message: string;
}

/** The outcome of sending one request: always a value, never a thrown error. */
export interface Exchange {
  readonly request: {
    readonly method: string;
    readonly url: string;
    /** Headers as sent, including those the engine added; an AWS session token (X-Amz-Security-Token) reads `<redacted>`. */
    readonly headers: readonly (readonly [name: string, value: string])[];
    readonly bodySize: number;
  };
  readonly origin: RequestOrigin;
  /** Undefined when no response arrived; then `error` says why. */
  readonly response: ResponseSummary | undefined;
  /** Each redirect followed, in order. */
  readonly redirects: readonly { readonly status: number; readonly url: string }[];
  readonly timings: Timings;
  readonly error: EngineError | undefined;
  /** Things the user should see even on success, e.g. "certificate verification disabled". */
  readonly warnings: readonly string[];
  /** The request's tests (`client.test`, `??` lines, scripts that failed), in the order they ran; absent when it has none. */
  readonly tests?: readonly TestResult[];
  /** Set when the request was not sent on purpose (`# @disabled`): why. Then there is neither response nor error. */
  readonly skipped?: string;
  /** What its scripts logged (`client.log`, `console.log`), in order; absent when nothing was logged. */
  readonly log?: readonly string[];
}

/** Where a test is, 1-based: the `??` line, or the line in the `.http` or `.js` file where a script's test failed. */
export interface TestLocation {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
}

/** One test of a request. */
export interface TestResult {
  /** `client.test`'s name, the `??` line as written (`status == 200`), or which script failed. */
  readonly name: string;
  /** `skipped`: the scripts did not run (an untrusted workspace); `message` says why. */
  readonly outcome: 'passed' | 'failed' | 'skipped';
  /** `script`: a `client.test`; `assertion`: a `??` line; `script-error`: a script that threw or hit a limit. */
  readonly kind: 'script' | 'assertion' | 'script-error';
  /** Why it failed or was skipped. */
  readonly message?: string;
  /** For `??` lines: the expected value (after `{{ }}`) and what the response had, as text. */
  readonly expected?: string;
  readonly actual?: string;
  readonly location?: TestLocation;
}

/** Whether every test of the exchange passed or was skipped (true without tests). */
export function testsPassed(exchange: Pick<Exchange, 'tests'>): boolean {
  return exchange.tests === undefined || exchange.tests.every((test) => test.outcome !== 'failed');
}
