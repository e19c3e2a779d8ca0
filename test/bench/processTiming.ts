// Timing a whole process, as a user runs it: wall time from spawn to exit, and the CPU time the
// process reports of itself (all its threads) through a preloaded exit hook. The CLI and scripts
// benchmarks measure `courier run` (and their peers) this way.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Timing } from './measure';

/** Preloaded into each measured process: reports its own CPU time on stderr as it exits. */
const cpuReporter = `process.on('exit', () => { const usage = process.cpuUsage(); process.stderr.write('\\ncourier-bench-cpu ' + (usage.user + usage.system) / 1000 + '\\n'); });`;

/** Writes the CPU reporter into `folder`; answers the path to preload. */
export function writeCpuReporter(folder: string): string {
  const preload = join(folder, 'cpu.cjs');
  writeFileSync(preload, cpuReporter);
  return preload;
}

export interface ProcessOptions {
  /** Reads stdout and says what is wrong with it (undefined: nothing); without it stdout goes nowhere. */
  readonly check?: (stdout: string) => string | undefined;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Wall and CPU time of `node --require preload ...args`; rejects when it fails or `check` rejects its output. */
export function timeProcess(preload: string, args: readonly string[], options: ProcessOptions = {}): Promise<Timing> {
  const { check, cwd, env } = options;
  const start = performance.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--require', preload, ...args], { cwd, env, stdio: ['ignore', check === undefined ? 'ignore' : 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => {
      const wallMs = performance.now() - start;
      const cpuMs = Number(/courier-bench-cpu ([\d.]+)/.exec(stderr)?.[1]);
      const problem = code === 0 ? check?.(stdout) : `exited ${String(code)}`;
      if (problem === undefined && Number.isFinite(cpuMs)) done({ wallMs, cpuMs });
      else fail(new Error(`node ${args.join(' ')}: ${problem ?? 'no CPU figure'}\n${stderr.slice(-2000)}\n${stdout.slice(-2000)}`));
    });
  });
}
