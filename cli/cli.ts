// The `courier` command-line runner: `courier run <file.http...> [options]`, and
// `courier import <curl|postman|openapi> ...` (each importer reads its own arguments).
// Exit codes: 0 all requests answered, 1 a request failed, 2 bad usage or input
// (see usage.ts). Nothing escapes as a stack trace: every error becomes a message.

import { parseCommand, UsageError, type Command } from './arguments';
import { generalHelp, runHelp } from './usage';
import { ExitCode } from './verdict';

const version = process.env.COURIER_VERSION ?? '0.0.0-dev';

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'import') return runImport(argv[1], argv.slice(2));
  let command: Command;
  try {
    command = parseCommand(argv, process.env);
  } catch (error) {
    if (error instanceof UsageError) return fail(`${error.message}`, ExitCode.Usage);
    throw error;
  }
  switch (command.kind) {
    case 'help':
      process.stdout.write(command.topic === 'run' ? runHelp : generalHelp);
      return ExitCode.Success;
    case 'version':
      process.stdout.write(`courier ${version}\n`);
      return ExitCode.Success;
    case 'run': {
      // The engine is loaded only for `run` (from a bundle of its own, see esbuild.mjs), so `--help`
      // and usage errors answer at once; InputError comes with it, so `instanceof` sees one class.
      const { runRequests, InputError } = await import('./run');
      try {
        return await runRequests(command.options, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), stdin: process.stdin });
      } catch (error) {
        if (error instanceof InputError) return fail(error.message, ExitCode.Usage);
        throw error;
      }
    }
  }
}

/**
 * `courier import <format> ...`: the importer's words are its own (curl's options are not Courier's).
 * Postman's and OpenAPI's importers are bundles of their own (see esbuild.mjs): their libraries are large.
 */
async function runImport(format: string | undefined, argv: readonly string[]): Promise<number> {
  switch (format) {
    case 'curl': {
      const { importCurlCommand } = await import('./importCurl');
      return importCurlCommand(argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() });
    }
    case 'postman': {
      const { importPostman } = await import('./importPostman');
      return importPostman(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
    }
    case 'openapi': {
      const { importOpenApiCommand } = await import('./importOpenApi');
      return importOpenApiCommand(argv, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() });
    }
    default: {
      const problem = format === undefined ? '`courier import` needs a format' : `unknown import format '${format}'`;
      return fail(`${problem}: \`courier import curl ...\`, \`courier import postman COLLECTION.json\` or \`courier import openapi SPEC\` (see \`courier --help\`)`, ExitCode.Usage);
    }
  }
}

function fail(message: string, code: number): number {
  process.stderr.write(`courier: ${message}\n`);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // A bug, not bad input: say so plainly, with the stack for the report.
    process.stderr.write(`courier: internal error, please report it: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = ExitCode.Usage;
  },
);
