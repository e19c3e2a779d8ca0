// What every reporter is handed. A run calls `exchange` once per request sent,
// in the order they complete, then `finish` once.

import type { Exchange, RequestOrigin, StreamMessage, StreamProtocol } from '../../engine/model';
import type { Verdict } from '../verdict';

/** Writes text to the reporter's stream (stdout in the CLI, a buffer in tests). */
export type Write = (text: string) => void;

export interface ReportedExchange {
  readonly exchange: Exchange;
  readonly verdict: Verdict;
  /** The `.http` file as shown to the user: relative to the current directory when inside it. */
  readonly file: string;
  /** Files the response body was saved to (`>>`, `--output`), in order. */
  readonly savedTo: readonly string[];
}

export interface RunSummary {
  readonly results: readonly ReportedExchange[];
  readonly durationMs: number;
  /**
   * Why the run ended before every request was sent: `--bail`, Ctrl+C, or Ctrl+C while a stream
   * was open (`stream-stopped`: the stream ended as stopped and was reported; nothing after it was sent).
   */
  readonly stoppedBy: 'bail' | 'interrupt' | 'stream-stopped' | undefined;
}

/** The request a stream's messages belong to, named as its report will name it. */
export interface LiveRequest {
  /** The `.http` file as shown to the user. */
  readonly file: string;
  readonly origin: RequestOrigin;
  readonly method: string;
  readonly url: string;
}

export interface Reporter {
  exchange(result: ReportedExchange): void;
  finish(summary: RunSummary): void;
  /** A stream-shaped response opened: its messages follow through `message`, then its `exchange`. */
  streamOpened?(request: LiveRequest, protocol: StreamProtocol): void;
  /** A message of an open stream, as it arrives (written through the reporter's live writer). */
  message?(request: LiveRequest, message: StreamMessage): void;
}
