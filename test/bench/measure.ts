// What every benchmark measures with: wall and CPU time of a piece of work, and the statistics
// reported over repeated runs. CPU time counts every thread of this process (GC helpers too),
// so it is steadier than wall time on a busy machine; reports print both.

export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** The value below which `fraction` of `values` lie (the upper one of two middles for the median). */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

export function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}

/** Wall and CPU time of one synchronous run. */
export function measureOnce(work: () => unknown): Timing {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  work();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Wall and CPU time of one run that may be asynchronous. */
export async function measure(work: () => Promise<void> | void): Promise<Timing> {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Median wall and CPU time of `run` over `measuredRuns`, after `warmupRuns` so the JIT has optimised it. */
export function medianTiming(run: () => unknown, options: { readonly warmupRuns: number; readonly measuredRuns: number; readonly beforeEach?: () => void }): Timing {
  for (let index = 0; index < options.warmupRuns; index++) run();
  const timings: Timing[] = [];
  for (let index = 0; index < options.measuredRuns; index++) {
    options.beforeEach?.();
    timings.push(measureOnce(run));
  }
  return { wallMs: median(timings.map((timing) => timing.wallMs)), cpuMs: median(timings.map((timing) => timing.cpuMs)) };
}
