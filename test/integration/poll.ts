// Waiting with a deadline: integration tests poll the editor until a condition
// holds, instead of sleeping for a fixed time that is either too long or too short.

/** How often a probe is retried. */
const intervalMs = 50;

/**
 * Calls `probe` until it returns a value other than `undefined`, and returns that value.
 * Fails after `timeoutMs` with `what` and the last value seen, so the failure says what never happened.
 */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> {
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
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
