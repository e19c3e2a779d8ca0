// One named step of a harness run: printed when it starts and ends, with its time,
// and failed with a clear message when it exceeds its time-out.

/** An error whose message already says what failed and what to do; printed without a stack. */
export class HarnessError extends Error {}

/** Runs `work`, failing with a HarnessError naming the step if it takes longer than `timeoutMs`. */
export async function timedStep<T>(name: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  console.log(`[harness] ${name}...`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HarnessError(`${name}: timed out after ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
  });
  try {
    const result = await Promise.race([work(), timeout]);
    console.log(`[harness] ${name}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result;
  } finally {
    clearTimeout(timer);
  }
}
