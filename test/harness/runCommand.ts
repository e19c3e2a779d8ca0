// Runs a command to completion with a time-out, keeping its output for error messages.
import { spawn } from 'node:child_process';
import { HarnessError } from './timedStep';

export interface CommandResult {
  readonly exitCode: number;
  /** stdout and stderr interleaved, as a person would have seen them. */
  readonly output: string;
}

export interface CommandOptions {
  readonly cwd?: string;
  readonly timeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `command args`; rejects with a HarnessError if it cannot start or exceeds the time-out. */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new HarnessError(`\`${command} ${args.join(' ')}\` did not finish within ${options.timeoutMs / 1000} s. Output so far:\n${output}`));
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new HarnessError(`Could not run \`${command}\`: ${error.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ exitCode: code ?? 1, output });
    });
  });
}
