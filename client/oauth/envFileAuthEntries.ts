// Where an env file (`http-client.env.json`, `http-client.private.env.json`) names its OAuth
// configurations: each `Security.Auth` entry of each environment, at its id, for the CodeLens above
// it. Read with the reader the engine and diagnostics use. Free of `vscode`.

import { readSecuritySection } from '../../language/authConfigurations';
import { parseJson } from '../../language/jsonTree';

/** One `Security.Auth` entry of an env file. */
export interface EnvFileAuthEntry {
  /** The environment as the file names it (`$shared` included). */
  readonly environment: string;
  readonly id: string;
  /** Offsets of the entry's name, quotes included. */
  readonly start: number;
  readonly end: number;
}

/** The env file names whose `Security.Auth` entries get a CodeLens. */
export const authEnvFileNames: readonly string[] = ['http-client.env.json', 'http-client.private.env.json'];

/** Every `Security.Auth` entry of an env file's text, in file order; none when the text is not a JSON object. */
export function envFileAuthEntries(text: string): EnvFileAuthEntry[] {
  const root = parseJson(text).root;
  if (root?.kind !== 'object') return [];
  const entries: EnvFileAuthEntry[] = [];
  for (const environment of root.properties) {
    if (environment.value.kind !== 'object') continue;
    const security = environment.value.properties.find((property) => property.key.value === 'Security');
    if (security === undefined) continue;
    for (const entry of readSecuritySection(security.value).entries) entries.push({ environment: environment.key.value, id: entry.id, start: entry.idSpan.start, end: entry.idSpan.end });
  }
  return entries;
}
