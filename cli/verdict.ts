// Whether an exchange passed, and the exit code of a run. Every reporter and
// `--bail` use this one judgement, so they can never disagree.

import type { Exchange } from '../engine/model';

export interface Verdict {
  /** A response arrived and none of the request's tests (`client.test`, `??`, its scripts) failed. */
  readonly ok: boolean;
  /** Counts against the run: not ok (a failed test too, with or without `--fail`), or with `--fail` a status >= 400 or a gRPC status other than OK. */
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
  if (exchange.skipped !== undefined) return { ok: true, failed: false, reason: undefined };
  if (response === undefined) {
    return { ok: false, failed: true, reason: error?.message ?? 'no response arrived' };
  }
  const failedTests = exchange.tests?.filter((test) => test.outcome === 'failed').length ?? 0;
  if (failedTests > 0) {
    const total = exchange.tests?.length ?? 0;
    return { ok: false, failed: true, reason: `${failedTests} of ${total} ${total === 1 ? 'test' : 'tests'} failed` };
  }
  if (failOnHttpError && response.status >= 400) {
    const statusLine = `${response.status} ${response.statusText}`.trim();
    return { ok: true, failed: true, reason: `HTTP ${statusLine} (a status >= 400 fails with --fail)` };
  }
  // A gRPC call's HTTP status is 200 whatever happened: its own status is the stream's end.
  const end = response.shape === 'stream' && response.stream.protocol === 'grpc' ? response.stream.end : undefined;
  if (failOnHttpError && end?.reason === 'closed-by-server' && end.code !== undefined && end.code !== 0) {
    return { ok: true, failed: true, reason: `gRPC status ${end.code} ${response.statusText} (a status other than OK fails with --fail)` };
  }
  return { ok: true, failed: false, reason: undefined };
}

/** 1 when any exchange failed, else 0. */
export function exitCodeFor(verdicts: readonly Verdict[]): ExitCode {
  return verdicts.some((verdict) => verdict.failed) ? ExitCode.Failure : ExitCode.Success;
}
