// What every reporter is handed. A run calls `exchange` once per request sent,
// in the order they complete, then `finish` once.

import type { Exchange } from '../../engine/model';
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
  /** Why the run ended before every request was sent: `--bail`, or Ctrl+C. */
  readonly stoppedBy: 'bail' | 'interrupt' | undefined;
}

export interface Reporter {
  exchange(result: ReportedExchange): void;
  finish(summary: RunSummary): void;
}
