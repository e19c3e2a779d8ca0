// `courier import curl [--out FILE] [--] [CURL ARGUMENTS...]`: a curl command becomes a `.http`
// request, through the importer the editor's Import cURL uses. The command is the arguments after
// `curl` (as the shell already split them), or, with none or `-`, the text on standard input (a
// copied command, quotes and line continuations included). What a `.http` file cannot say goes to
// stderr as warnings. Exit codes: 0 imported exactly, 1 imported with warnings, 2 bad usage or a
// command that cannot be read.

import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { writeFileAtomically } from '../engine/atomicFile';
import { importCurl, importCurlArguments, type CurlImportOptions, type CurlImportResult } from '../engine/importers/curlImport';
import { importCurlHelp } from './usage';
import { ExitCode } from './verdict';

export interface ImportIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly cwd: string;
}

/** Runs `courier import curl` with the words after `curl`; resolves to the exit code. */
export async function importCurlCommand(argv: readonly string[], io: ImportIo): Promise<number> {
  let out: string | undefined;
  let index = 0;
  // Courier's own options come first; from the first other word on, every word is curl's.
  for (; index < argv.length; index++) {
    const word = argv[index];
    if (word === '--help' || word === '-h') {
      io.stdout.write(importCurlHelp);
      return ExitCode.Success;
    }
    if (word === '--out') {
      out = argv[index + 1];
      if (out === undefined || out === '') return usage(io, '--out needs a file name, e.g. --out request.http');
      index++;
      continue;
    }
    if (word === '--') index++;
    break;
  }
  const curlWords = argv.slice(index);
  const options = curlFileOptions(io.cwd, out);
  let result: CurlImportResult;
  if (curlWords.length === 0 || (curlWords.length === 1 && curlWords[0] === '-')) {
    const text = await readAll(io.stdin);
    if (text.trim() === '') return usage(io, 'no curl command: pass its arguments (courier import curl -X POST https://...) or pipe it on standard input');
    // A pasted command starts with `curl`; bare arguments are accepted too.
    result = importCurl(/^\s*(?:\$\s+)?(?:\S*[\\/])?curl(?:\.exe)?(?:\s|$)/i.test(text) ? text : `curl ${text}`, options);
  } else {
    result = importCurlArguments(curlWords, options);
  }
  if ('error' in result) return usage(io, result.error);
  for (const warning of result.warnings) io.stderr.write(`courier: warning: ${warning}\n`);
  if (out === undefined) io.stdout.write(result.text);
  else {
    try {
      await writeFileAtomically(resolve(io.cwd, out), result.text);
    } catch (error) {
      return usage(io, `cannot write ${out}: ${(error as Error).message}`);
    }
  }
  return result.warnings.length === 0 ? ExitCode.Success : ExitCode.Failure;
}

/**
 * curl reads files from the current directory; the `.http` file reads them from its own folder,
 * so with --out their paths are rewritten relative to it.
 */
export function curlFileOptions(cwd: string, out: string | undefined): CurlImportOptions {
  return {
    readFile: (path) => {
      try {
        return readFileSync(resolve(cwd, path));
      } catch {
        return undefined;
      }
    },
    modifiedTime: (path) => {
      try {
        return statSync(resolve(cwd, path)).mtime;
      } catch {
        return undefined;
      }
    },
    filePath: (path) => (out === undefined || isAbsolute(path) ? path : relative(dirname(resolve(cwd, out)), resolve(cwd, path)).split(sep).join('/')),
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function usage(io: ImportIo, message: string): number {
  io.stderr.write(`courier: ${message}\n`);
  return ExitCode.Usage;
}
