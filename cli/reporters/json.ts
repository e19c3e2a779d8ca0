// `--reporter json`: one JSON object per line per request sent, written as soon
// as it completes, so a consumer can stream it (`| jq`). Field names are a contract.
// A stream's messages come first, one line each as they arrive (`{ file, name, line, message }`),
// then its request's record as for any request.

import type { MessageStream, StreamEnd, StreamMessage, StreamProtocol, TestResult, Timings } from '../../engine/model';
import type { LiveRequest, ReportedExchange, Reporter, Write } from './reporter';

/** One line of the json reporter. */
export interface JsonRecord {
  readonly file: string;
  readonly name: string | null;
  /** `# @title`, when the request has one. */
  readonly title?: string;
  /** The pass of a `# @loop`, from 0. */
  readonly iteration?: number;
  /** Why the request was not sent (`# @disabled`). */
  readonly skipped?: string;
  /** 1-based line of the request line. */
  readonly line: number;
  readonly method: string;
  /** After variables. */
  readonly url: string;
  readonly status: number | null;
  readonly statusText: string | null;
  /** The HTTP version the connection spoke (`1.1`, `2`); null without a response. */
  readonly httpVersion: string | null;
  /** A response arrived and every assertion passed. */
  readonly ok: boolean;
  /** Counts against the exit code (not ok, or with --fail a status >= 400); `error` then says why. */
  readonly failed: boolean;
  readonly error: string | null;
  /** The engine's stable error code (`refused`, `timeout`, `tls`, ...). */
  readonly errorCode: string | null;
  readonly timings: Timings;
  /** Decoded body bytes; 0 without a response. */
  readonly size: number;
  readonly redirects: number;
  readonly warnings: readonly string[];
  /** Files the body was saved to. */
  readonly savedTo: readonly string[];
  /** Its `client.test`s and `??` lines, and its scripts that failed, in the order they ran. */
  readonly tests: readonly JsonTest[];
  /** What its scripts logged. */
  readonly log: readonly string[];
  /** Only for a response that is a stream of messages (SSE, WebSocket, gRPC); absent for a single body. */
  readonly stream?: JsonStream;
}

/** One test of a request. */
export interface JsonTest {
  readonly name: string;
  /** Passed (a skipped test is neither ok nor a failure: see `skipped`). */
  readonly ok: boolean;
  /** Why it failed; null when it did not. */
  readonly error: string | null;
  /** Why it did not run (scripts in an untrusted workspace); absent when it ran. */
  readonly skipped?: string;
  /** `??` lines that failed: the expected value after `{{ }}` and what the response had. */
  readonly expected?: string;
  readonly actual?: string;
  /** Where: the `??` line, or where a script's test failed (the .http file, or a `.js` handler's file). */
  readonly location?: { readonly file: string; readonly line: number; readonly column?: number };
}

function jsonTest(test: TestResult): JsonTest {
  return {
    name: test.name,
    ok: test.outcome === 'passed',
    error: test.outcome === 'failed' ? (test.message ?? 'failed') : null,
    ...(test.outcome === 'skipped' ? { skipped: test.message ?? 'not run' } : {}),
    ...(test.expected === undefined ? {} : { expected: test.expected }),
    ...(test.actual === undefined ? {} : { actual: test.actual }),
    ...(test.location === undefined ? {} : { location: test.location }),
  };
}

/** A stream-shaped response in the json reporter. */
export interface JsonStream {
  readonly protocol: StreamProtocol;
  /** Messages exchanged in all; `messages` holds the most recent ones the engine kept. */
  readonly count: number;
  readonly messages: readonly JsonStreamMessage[];
  /** One JSON object per line for every message, when not all of them are in `messages`; else null. */
  readonly file: string | null;
  readonly end: StreamEnd;
}

export interface JsonStreamMessage {
  /** Milliseconds from the start of the exchange. */
  readonly at: number;
  readonly direction: 'received' | 'sent';
  readonly type: string;
  readonly id: string | null;
  /** The text, or the bytes in Base64 when `encoding` says so. */
  readonly data: string;
  readonly encoding: 'text' | 'base64';
}

function jsonMessage(message: StreamMessage): JsonStreamMessage {
  return {
    at: message.at,
    direction: message.direction,
    type: message.type,
    id: message.id ?? null,
    data: typeof message.data === 'string' ? message.data : Buffer.from(message.data.buffer, message.data.byteOffset, message.data.byteLength).toString('base64'),
    encoding: typeof message.data === 'string' ? 'text' : 'base64',
  };
}

function jsonStream(stream: MessageStream): JsonStream {
  return {
    protocol: stream.protocol,
    count: stream.count,
    messages: stream.messages.map(jsonMessage),
    file: stream.file ?? null,
    end: stream.end,
  };
}

/**
 * A line written as a stream's message arrives, before its request's record: the request as the
 * record will name it, and the message under `message` (a key no request record has).
 */
export interface JsonLiveMessage {
  readonly file: string;
  readonly name: string | null;
  readonly line: number;
  /** The pass of a `# @loop`, from 0. */
  readonly iteration?: number;
  readonly message: JsonStreamMessage;
}

export function toJsonLiveMessage(request: LiveRequest, message: StreamMessage): JsonLiveMessage {
  const { origin } = request;
  return {
    file: request.file,
    name: origin.name ?? null,
    line: origin.line,
    ...(origin.iteration === undefined ? {} : { iteration: origin.iteration }),
    message: jsonMessage(message),
  };
}

export function toJsonRecord({ exchange, verdict, file, savedTo }: ReportedExchange): JsonRecord {
  const { response, request, origin, error } = exchange;
  return {
    file,
    name: origin.name ?? null,
    ...(origin.title === undefined ? {} : { title: origin.title }),
    ...(origin.iteration === undefined ? {} : { iteration: origin.iteration }),
    ...(exchange.skipped === undefined ? {} : { skipped: exchange.skipped }),
    line: origin.line,
    method: request.method,
    url: request.url,
    status: response?.status ?? null,
    statusText: response?.statusText ?? null,
    httpVersion: response?.httpVersion ?? null,
    ok: verdict.ok,
    failed: verdict.failed,
    error: verdict.reason ?? null,
    errorCode: error?.code ?? null,
    timings: exchange.timings,
    size: response?.body.size ?? 0,
    redirects: exchange.redirects.length,
    warnings: exchange.warnings,
    savedTo,
    tests: (exchange.tests ?? []).map(jsonTest),
    log: exchange.log ?? [],
    // Absent, not null, for a body: every line written before streams existed stays the same.
    ...(response?.shape === 'stream' ? { stream: jsonStream(response.stream) } : {}),
  };
}

/** `writeLive` takes the lines of messages as they arrive (batched per turn of the loop in the CLI). */
export function createJsonReporter(write: Write, writeLive: Write = write): Reporter {
  return {
    exchange(result) {
      write(`${JSON.stringify(toJsonRecord(result))}\n`);
    },
    message(request, message) {
      writeLive(`${JSON.stringify(toJsonLiveMessage(request, message))}\n`);
    },
    finish() {
      // Every record was written as it came; a summary line would break `one object per request`.
    },
  };
}
