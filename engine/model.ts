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

export interface ResponseSummary {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly headers: readonly (readonly [name: string, value: string])[];
  readonly body: ResponseBody;
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
    /** Headers as sent, including those the engine added. */
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
}
