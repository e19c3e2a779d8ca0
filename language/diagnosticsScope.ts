// What a block's checks may consult beyond the block: the document's variable and request names,
// the environments, and what variables expand to (through the shared expander), with what a pass
// remembers so 20,000 requests that share `{{baseUrl}}` resolve it once.

import type { EnvironmentSnapshot } from './context';
import { Expander } from './expander';
import type { UrlProblem } from './diagnosticsUrl';
import { startsWithPlainWebOrigin } from './diagnosticsUrl';
import { documentScripts, hasInlineScripts } from './scripts';
import type { HttpDocument } from './syntax';
import { requestName, variableName, variableValue } from './tableQueries';
import { namesOtherHttpFiles } from './composition';

/** Facts about the whole document and its environments that a block's checks may consult. */
export interface DocumentScope {
  /** What each chunk adds to the scope (see `scopeKeyOf`): equal lists, equal scopes. */
  readonly keys: readonly string[];
  readonly fileVariables: ReadonlyMap<string, string>;
  readonly requestNames: ReadonlySet<string>;
  /** Whether the document imports other `.http` files (`import`, `# @import`): their names are checked on every pass, by `composition.ts`. */
  readonly importsFiles: boolean;
  /** Names scripts set with `client.global.set("name", ...)`: this document's and (from the host) the workspace's. */
  readonly scriptGlobals: ReadonlySet<string>;
  /** Whether a script of this document sets a name that is not a literal: then no name is surely undefined. */
  readonly computedScriptNames: boolean;
  readonly environments: EnvironmentSnapshot;
  /**
   * Expands variables for this pass; remembers each one, as many requests share `{{baseUrl}}`.
   * Only file and environment variables expand here: system and request values exist only when
   * a request is sent, so what refers to them is not judged.
   */
  readonly expander: Expander;
  /**
   * What each variable expanded to in this pass (undefined: cannot be here), literal values
   * included: many requests share `{{baseUrl}}`, and the expander remembers only what it expanded.
   */
  readonly resolved: Map<string, string | undefined>;
  /** URLs already judged in this pass. */
  readonly urlVerdicts: Map<string, UrlProblem | undefined>;
  /** Whether each variable's value starts with a plain web origin (see `startsWithPlainWebOrigin`), as most targets' `{{baseUrl}}` does. */
  readonly plainOrigins: Map<string, boolean>;
}

export function documentScope(documents: readonly HttpDocument[], environments: EnvironmentSnapshot, keys: readonly string[]): DocumentScope {
  const fileVariables = new Map<string, string>();
  const names: string[] = [];
  const scriptGlobals = new Set<string>(environments.scriptGlobals?.keys());
  let computedScriptNames = false;
  let importsFiles = false;
  for (const document of documents) {
    if (namesOtherHttpFiles(document)) importsFiles = true;
    if (hasInlineScripts(document)) {
      const scripts = documentScripts(document);
      for (const set of scripts.sets) if (set.kind !== 'request') scriptGlobals.add(set.name);
      if (scripts.computedSet !== -1) computedScriptNames = true;
    }
    // In document order: a later definition overrides an earlier one.
    const { tables } = document;
    for (let index = 0; index < tables.variables.count; index++) fileVariables.set(variableName(document, index), variableValue(document, index));
    for (let index = 0; index < tables.requests.count; index++) {
      const name = requestName(document, index);
      if (name !== undefined) names.push(name);
    }
  }
  // Built in one call from an array: adding 20,000 names one `add` at a time took 1.5-2 ms more a pass.
  const requestNames = new Set(names);
  const expander = new Expander(
    {
      variable: (name) => fileVariables.get(name) ?? environments.variables.get(name)?.value,
      system: () => undefined,
      request: () => undefined,
    },
    { unresolved: 'fail' },
  );
  return { keys, fileVariables, requestNames, importsFiles, scriptGlobals, computedScriptNames, environments, expander, resolved: new Map(), urlVerdicts: new Map(), plainOrigins: new Map() };
}

/** The names and values a document contributes to the scope, as text: equal keys, equal scopes. */
export function scopeKeyOf(document: HttpDocument): string {
  const { tables } = document;
  let key = '';
  for (let index = 0; index < tables.variables.count; index++) key += `@${variableName(document, index)}=${variableValue(document, index)}\n`;
  for (let index = 0; index < tables.requests.count; index++) {
    const name = requestName(document, index);
    if (name !== undefined) key += `#${name}\n`;
  }
  if (hasInlineScripts(document)) {
    const scripts = documentScripts(document);
    for (const set of scripts.sets) if (set.kind !== 'request') key += `$${set.name}\n`;
    if (scripts.computedSet !== -1) key += '$(computed)\n';
  }
  if (namesOtherHttpFiles(document)) key += 'import\n';
  return key;
}

/** The value of variable `name` fully expanded; undefined when that is not possible here (see `DocumentScope.expander`). */
export function resolvedVariable(name: string, scope: DocumentScope): string | undefined {
  const { resolved } = scope;
  let value = resolved.get(name);
  if (value === undefined && !resolved.has(name)) {
    value = scope.expander.variable(name);
    resolved.set(name, value);
  }
  return value;
}

/** Whether variable `name`'s value starts with a plain web origin; remembered for the pass, since most targets start with the same variable. */
export function hasPlainWebOrigin(name: string, scope: DocumentScope): boolean {
  let verdict = scope.plainOrigins.get(name);
  if (verdict === undefined) {
    verdict = startsWithPlainWebOrigin(resolvedVariable(name, scope));
    scope.plainOrigins.set(name, verdict);
  }
  return verdict;
}
