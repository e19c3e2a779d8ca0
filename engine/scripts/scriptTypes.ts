// What crosses between the host, the script worker and the guest: plain data only (structured
// clone to the worker, JSON into QuickJS), never a host object a script could reach through.

/** Limits one script runs under. */
export interface ScriptLimits {
  /** Wall-clock milliseconds for the script and the promises it starts (`courier.scripts.timeout`). */
  readonly timeoutMs: number;
  /** Bytes the script's QuickJS runtime may allocate. */
  readonly memoryBytes: number;
  /** Bytes of QuickJS stack: deep recursion ends as a stack overflow, not a crash. */
  readonly stackBytes: number;
}

export const defaultScriptLimits: ScriptLimits = { timeoutMs: 5_000, memoryBytes: 64 * 1024 * 1024, stackBytes: 512 * 1024 };

/** The request as a script sees it (`request.*`). */
export interface ScriptRequest {
  readonly method: string;
  /** The URL as written, `{{...}}` included, and as sent. */
  readonly url: { readonly raw: string; readonly substituted: string };
  /** The body as written and as sent; absent without a body. */
  readonly body?: { readonly raw: string; readonly substituted: string };
  /** Headers in order, names as written: the value as written and as sent. */
  readonly headers: readonly ScriptRequestHeader[];
}

export interface ScriptRequestHeader {
  readonly name: string;
  readonly raw: string;
  readonly substituted: string;
}

/** The response a handler reads (`response.*`). */
export interface ScriptResponse {
  readonly status: number;
  readonly headers: readonly (readonly [name: string, value: string])[];
  /** The body decoded as text; `response.body` parses it when the content type is JSON. */
  readonly body: string;
  /** httpYac's `response.statusMessage`, `response.httpVersion` and `response.timings.total` (ms). */
  readonly statusMessage?: string;
  readonly httpVersion?: string;
  readonly totalMs?: number;
  /** Set for a handler that watches the stream as it arrives: `response.body` is then JetBrains' TextStreamResponse. */
  readonly stream?: { readonly canSend: boolean };
}

/**
 * Which API a script is written against: JetBrains' (`client`, `request.variables`, the default)
 * or httpYac's `{{` blocks (`exports`, `test`, `$global`, `response.parsedBody`, variables as globals).
 */
export type ScriptDialect = 'jetbrains' | 'httpyac';

/** One script to run and everything it may read. */
export interface ScriptInput {
  readonly source: string;
  /** Where the script is, for messages: the `.http` file (inline `{% %}`) or the `.js` file. */
  readonly fileName: string;
  /** 0-based line of the file on which the script's first character is. */
  readonly lineOffset: number;
  /** 0-based column of the script's first character on that line (only line 1 of a script is shifted). */
  readonly columnOffset: number;
  /** `client.global` before the script runs. */
  readonly globals: Readonly<Record<string, string>>;
  /** `request.environment.get`: the active environment's values. */
  readonly environment: Readonly<Record<string, string>>;
  /** `request.variables.get`: request variables already set (by pre-request scripts). */
  readonly requestVariables: Readonly<Record<string, string>>;
  readonly request?: ScriptRequest;
  /** Absent in pre-request scripts. */
  readonly response?: ScriptResponse;
  /** The API the script sees; JetBrains' when absent. */
  readonly dialect?: ScriptDialect;
  /** httpYac: the variables defined so far (environment, file variables, earlier exports), each a global of the script. */
  readonly variables?: Readonly<Record<string, unknown>>;
  /** `request.iteration()`: the `# @loop` pass, from 0. */
  readonly iteration?: number;
  /** `?? js EXPRESSION`: `source` is one expression, and its value (awaited when a promise) is the result's `value`. */
  readonly expression?: boolean;
}

/** A place in the file named by `ScriptInput.fileName`, 1-based. */
export interface ScriptPosition {
  readonly line: number;
  readonly column: number;
}

export interface ScriptTestResult {
  readonly name: string;
  readonly ok: boolean;
  /** Why it failed: the assertion's message or the error thrown. */
  readonly error?: string;
  /** Where the failure was raised in the script, when known. */
  readonly position?: ScriptPosition;
}

/** A change to `client.global`, in the order the script made them. */
export type GlobalChange =
  | { readonly kind: 'set'; readonly name: string; readonly value: string }
  | { readonly kind: 'clear'; readonly name: string }
  | { readonly kind: 'clearAll' };

/** Which limit stopped a script, or `script` for an error the script threw itself. */
export type ScriptErrorKind = 'script' | 'timeout' | 'memory' | 'stack' | 'unsettled' | 'sandbox';

export interface ScriptError {
  readonly kind: ScriptErrorKind;
  /** A sentence naming the file, the limit or error, the position and what to do. */
  readonly message: string;
  readonly position?: ScriptPosition;
}

/** Everything a script did, for the caller to apply (globals, variables) and report (tests, log). */
export interface ScriptResult {
  readonly tests: readonly ScriptTestResult[];
  readonly log: readonly string[];
  readonly globalChanges: readonly GlobalChange[];
  /** `request.variables.set` calls, last value per name. */
  readonly requestVariables: Readonly<Record<string, string>>;
  /** `client.exit()` was called: the script stopped there, without an error. */
  readonly exited: boolean;
  /** httpYac: what the script exported (`exports.x = ...`, promises awaited), as JSON data. */
  readonly exports?: Readonly<Record<string, unknown>>;
  /** For `expression` input: the expression's value as JSON data (functions and symbols as undefined). */
  readonly value?: unknown;
  readonly error?: ScriptError;
}

/** What one step of a handler watching a live stream did: its top level, or one message to its subscribers. */
export interface StreamStep {
  /** `unsubscribe()` was called (or `client.exit()`): the stream is to end now. */
  readonly unsubscribed: boolean;
  /** What the subscribers passed to `output(...)`, in order: messages to send on the stream. */
  readonly outputs: readonly string[];
  /** The step failed (the script's error, or a limit): the stream is to end, and `end` reports it. */
  readonly error?: ScriptError;
}
