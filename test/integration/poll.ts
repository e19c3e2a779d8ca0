// Waiting with a deadline: integration tests poll the editor until a condition
// holds, instead of sleeping for a fixed time that is either too long or too short.

/** How often a probe is retried. */
const intervalMs = 50;

export interface WaitOptions {
  readonly timeoutMs?: number;
  /** Describes the state at the deadline (e.g. the diagnostics there were), for the failure message. */
  readonly explain?: () => string;
}

/**
 * Calls `probe` until it returns a value other than `undefined`, and returns that value.
 * Fails after the time-out naming `what` never happened, and what there was instead.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, options: WaitOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      const instead = options.explain ? `; instead: ${options.explain()}` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${instead}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
