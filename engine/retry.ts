// Retries for requests that never got an answer: only idempotent methods, only when the
// connection failed (refused or reset before any response), with exponential backoff.
// HTTP statuses are answers, never retried.
import { setTimeout as sleep } from 'node:timers/promises';
import { errorCode } from './errors';

const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** True for methods that may be sent twice without changing the outcome (RFC 9110 9.2.2). */
export function isIdempotent(method: string): boolean {
  return idempotentMethods.has(method.toUpperCase());
}

/** True when the connection failed before any response, so sending again is safe for idempotent methods. */
export function isConnectionFailure(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

/** How to retry one request. */
export interface RetryPolicy {
  readonly method: string;
  readonly retries: number;
  /** Delay before the first retry; each further retry waits twice as long. */
  readonly baseDelayMs: number;
  readonly signal: AbortSignal;
}

/** Runs `attempt`, retrying connection failures of idempotent requests; `attempt` gets the retry number (0 first). */
export async function withRetries<T>(policy: RetryPolicy, attempt: (retry: number) => Promise<T>): Promise<T> {
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (error) {
      const mayRetry = retry < policy.retries && isIdempotent(policy.method) && isConnectionFailure(error) && !policy.signal.aborted;
      if (!mayRetry) throw error;
      await sleep(policy.baseDelayMs * 2 ** retry, undefined, { signal: policy.signal }).catch(() => {
        throw error;
      });
    }
  }
}
