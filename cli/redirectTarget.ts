// Where `>> file` / `>>! file` under a request saves its body: the path's variables
// substituted (--var, file variables, the environment, system variables), then
// resolved against the `.http` file's folder, as editors that support `>>` do.

import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { loadDotenv, loadEnvironment } from '../engine/environments';
import type { Exchange } from '../engine/model';
import { Resolver } from '../engine/variables';
import { lineAt } from '../language/positions';
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

/** The `>>` target of the request that produced `exchange`, or undefined when it has none. Throws with a sentence when its variables do not resolve. */
export function redirectTargetFor(exchange: Exchange, file: HttpFile, context: RedirectContext): RedirectTarget | undefined {
  const { document } = file;
  const request = document.requests.find((candidate) => lineAt(document.lineStarts, candidate.requestLine.start) + 1 === exchange.origin.line);
  const redirect = request?.outputRedirect;
  if (redirect === undefined) return undefined;
  const written = redirect.path.text;
  let path = written;
  if (redirect.path.references.length > 0) {
    try {
      path = resolverFor(file, context).substitute(written);
    } catch (error) {
      const line = lineAt(document.lineStarts, redirect.start) + 1;
      throw new Error(`${file.display}:${line}: cannot name the file of '>> ${written}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
  return { path: resolve(dirname(file.path), path), overwrite: redirect.overwrite };
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
