// Where `>> file` / `>>! file` under a request saves its body: the path's variables
// substituted (--var, file variables, the environment, system variables), then
// resolved against the `.http` file's folder, as editors that support `>>` do.

import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { loadDotenv, loadEnvironment } from '../engine/environments';
import type { Exchange } from '../engine/model';
import { Resolver } from '../engine/variables';
import { lineAt } from '../language/positions';
import type { OutputRedirect } from '../language/syntax';
import type { HttpFile } from './documents';

export interface RedirectTarget {
  readonly path: string;
  readonly overwrite: boolean;
}

export interface RedirectContext {
  readonly overrides: ReadonlyMap<string, string>;
  readonly environment: string | undefined;
  readonly searchRoot: string;
}

/** The `>>` targets of one file's requests, found once by request line so each exchange costs a lookup. */
export class RedirectTargets {
  private byLine: ReadonlyMap<number, OutputRedirect> | undefined;

  constructor(
    private readonly file: HttpFile,
    private readonly context: RedirectContext,
  ) {}

  /** Whether the request that produced `exchange` has a `>>`. */
  has(exchange: Exchange): boolean {
    return this.redirects().has(exchange.origin.line);
  }

  /** Where to save the body of `exchange`, or undefined without a `>>`. Throws with a sentence when its variables do not resolve. */
  targetFor(exchange: Exchange): RedirectTarget | undefined {
    const redirect = this.redirects().get(exchange.origin.line);
    if (redirect === undefined) return undefined;
    const { file } = this;
    const written = redirect.path.text;
    let path = written;
    if (redirect.path.references.length > 0) {
      try {
        path = resolverFor(file, this.context).substitute(written);
      } catch (error) {
        const line = lineAt(file.document.lineStarts, redirect.start) + 1;
        throw new Error(`${file.display}:${line}: cannot name the file of '>> ${written}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    }
    return { path: resolve(dirname(file.path), path), overwrite: redirect.overwrite };
  }

  private redirects(): ReadonlyMap<number, OutputRedirect> {
    const { document } = this.file;
    this.byLine ??= new Map(
      document.requests.flatMap((request) => (request.outputRedirect === undefined ? [] : [[lineAt(document.lineStarts, request.requestLine.start) + 1, request.outputRedirect] as const])),
    );
    return this.byLine;
  }
}

function resolverFor(file: HttpFile, context: RedirectContext): Resolver {
  const fileVariables = new Map<string, string>();
  for (const variable of file.document.variables) fileVariables.set(variable.name.text, variable.value.text);
  let dotenv: ReadonlyMap<string, string> | undefined;
  return new Resolver({
    overrides: context.overrides,
    fileVariables,
    environment: loadEnvironment(file.path, context.environment, context.searchRoot).variables,
    prompted: new Map(),
    sentRequest: () => undefined,
    system: {
      now: () => new Date(),
      random: Math.random,
      uuid: randomUUID,
      processEnv: (name) => process.env[name],
      dotenv: (name) => (dotenv ??= loadDotenv(file.path)).get(name),
    },
  });
}
