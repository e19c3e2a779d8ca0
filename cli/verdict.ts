// Whether an exchange passed, and the exit code of a run. Every reporter and
// `--bail` use this one judgement, so they can never disagree.

import type { Exchange } from '../engine/model';

export interface Verdict {
  /** A response arrived (and every assertion passed; there are none yet). */
  readonly ok: boolean;
  /** Counts against the run: not ok, or with `--fail` a status >= 400. */
  readonly failed: boolean;
  /** Why it failed, as a sentence; undefined when it did not. */
  readonly reason: string | undefined;
}

/** 130 is the shell's convention for a process ended by Ctrl+C (128 + SIGINT). */
export const ExitCode = { Success: 0, Failure: 1, Usage: 2, Interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Judges one exchange; `failOnHttpError` is `--fail`. */
export function judge(exchange: Exchange, failOnHttpError: boolean): Verdict {
  const { response, error } = exchange;
  if (response === undefined) {
    return { ok: false, failed: true, reason: error?.message ?? 'no response arrived' };
  }
  if (failOnHttpError && response.status >= 400) {
    const statusLine = `${response.status} ${response.statusText}`.trim();
    return { ok: true, failed: true, reason: `HTTP ${statusLine} (a status >= 400 fails with --fail)` };
  }
  return { ok: true, failed: false, reason: undefined };
}

/** 1 when any exchange failed, else 0. */
export function exitCodeFor(verdicts: readonly Verdict[]): ExitCode {
  return verdicts.some((verdict) => verdict.failed) ? ExitCode.Failure : ExitCode.Success;
}
