// What commands give back about exchanges (`courier.sendRequest`, `courier.showHistory`, ...):
// small plain summaries, the same in the extension host and through JSON, never the engine's
// exchanges. A body's bytes (megabytes as a JSON array of numbers) once blocked the extension host
// for seconds when a CodeLens click sent the result to the workbench. Free of `vscode`: unit-tested in Node.
import type { EngineErrorCode, Exchange, StreamEnd, StreamProtocol } from '../engine/model';

/** How much of a response body a summary shows as text: enough to glance at, never a download. */
export const summaryBodyBytes = 1024;

/** One exchange as a command returns it; shaped like an `Exchange` so `result.response?.status` or `.body.file` read the same. */
export interface ExchangeSummary {
  readonly request: { readonly method: string; readonly url: string };
  /** Undefined when no response arrived; then `error` says why. */
  readonly response:
    | {
        readonly status: number;
        readonly statusText: string;
        /** The HTTP version the connection spoke: `1.1`, `2`. */
        readonly httpVersion: string;
        readonly body: {
          /** The whole decoded body's size in bytes. */
          readonly size: number;
          readonly contentType: string | undefined;
          /** The temp file holding the whole body when it was too large to keep in memory. */
          readonly file: string | undefined;
          /** The body's first `summaryBodyBytes` bytes, decoded as text. */
          readonly start: string;
        };
        /** Only for a response that is a stream of messages: what it was and how it ended, never the messages. */
        readonly stream?: { readonly protocol: StreamProtocol; readonly count: number; readonly end: StreamEnd };
      }
    | undefined;
  readonly error: { readonly code: EngineErrorCode; readonly message: string } | undefined;
  readonly durationMs: number;
}

/** A history entry as `courier.showHistory` returns it: its summary, and the request headers as stored (redacted unless secrets are kept). */
export interface HistoryEntrySummary extends ExchangeSummary {
  readonly id: string;
  readonly time: string;
  readonly environment: string | undefined;
  readonly requestHeaders: readonly (readonly [name: string, value: string])[];
}

/** The summary of one exchange. */
export function summarizeExchange(exchange: Exchange): ExchangeSummary {
  const response = exchange.response;
  return {
    request: { method: exchange.request.method, url: exchange.request.url },
    response:
      response === undefined
        ? undefined
        : {
            status: response.status,
            statusText: response.statusText,
            httpVersion: response.httpVersion,
            body: { size: response.body.size, contentType: response.body.contentType, file: response.body.file, start: bodyStart(response.body.prefix, response.body.charset) },
            ...(response.shape === 'stream' ? { stream: { protocol: response.stream.protocol, count: response.stream.count, end: response.stream.end } } : {}),
          },
    error: exchange.error === undefined ? undefined : { code: exchange.error.code, message: exchange.error.message },
    durationMs: Math.round(exchange.timings.total),
  };
}

/** The summaries of exchanges, in order. */
export function summarizeExchanges(exchanges: readonly Exchange[]): readonly ExchangeSummary[] {
  return exchanges.map(summarizeExchange);
}

/** The summary of a history entry's exchange. */
export function summarizeHistoryEntry(entry: { readonly id: string; readonly time: string; readonly environment: string | undefined }, exchange: Exchange): HistoryEntrySummary {
  return { ...summarizeExchange(exchange), id: entry.id, time: entry.time, environment: entry.environment, requestHeaders: exchange.request.headers.map(([name, value]) => [name, value] as const) };
}

function bodyStart(prefix: Uint8Array, charset: string): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset);
  } catch {
    // A charset TextDecoder does not know: UTF-8 shows most of it.
    decoder = new TextDecoder();
  }
  // Streaming leaves out a character cut in half at the end instead of showing U+FFFD.
  return decoder.decode(prefix.subarray(0, summaryBodyBytes), { stream: true });
}
