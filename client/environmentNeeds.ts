// Which environment a send without one needs: the variables the requests to send read (with the
// named requests they read, sent first) that only environments define, and each environment that
// defines some of them. Pure, free of `vscode`: the sender asks with it (environmentPicker.ts).
import { findNamedRequest } from '../engine/dependencies';
import { readReferences } from '../engine/variableSources';
import type { HttpDocument, Request } from '../language/syntax';

/** An environment that could answer the question, with what of the needed variables it defines. */
export interface EnvironmentCandidate {
  readonly name: string;
  readonly defines: readonly string[];
  readonly lacks: readonly string[];
}

/** What a send without an environment needs: the variables, and the environments to offer, best first. */
export interface EnvironmentNeed {
  readonly variables: readonly string[];
  /** Those defining every variable first (in the environments' order), then those defining most. */
  readonly candidates: readonly EnvironmentCandidate[];
}

/** What is known about the environments when none is chosen. */
export interface UnchosenScope {
  /** Every environment's name, env files' first, in the order the picker lists them. */
  readonly names: readonly string[];
  /** Per variable only environments define (env files and settings): those environments. */
  readonly definedIn: ReadonlyMap<string, readonly string[]>;
  /** Values that apply without an environment (`$shared`), followed for the names they read. */
  readonly shared: ReadonlyMap<string, string>;
  /** Whether the send defines `name` without an environment: the file, `$shared`, a script's global. */
  readonly definedWithout: (name: string) => boolean;
}

/** What `requests` of `document` need an environment for; undefined when they need none (or none would help). */
export function environmentNeed(document: HttpDocument, requests: readonly Request[], scope: UnchosenScope): EnvironmentNeed | undefined {
  const variables: string[] = [];
  const visited = new Set<Request>();
  const pending = [...requests];
  for (let request = pending.pop(); request !== undefined; request = pending.pop()) {
    if (visited.has(request)) continue;
    visited.add(request);
    const reads = readReferences(document, request, scope.shared);
    for (const name of reads.variableNames) {
      if (!variables.includes(name) && !scope.definedWithout(name) && (scope.definedIn.get(name)?.length ?? 0) > 0) variables.push(name);
    }
    for (const name of reads.requestNames) {
      const dependency = findNamedRequest(document, name);
      if (dependency !== undefined) pending.push(dependency);
    }
  }
  if (variables.length === 0) return undefined;
  variables.sort();
  const candidates = scope.names.map((name) => {
    const defines = variables.filter((variable) => scope.definedIn.get(variable)?.includes(name) === true);
    return { name, defines, lacks: variables.filter((variable) => !defines.includes(variable)) };
  }).filter((candidate) => candidate.defines.length > 0);
  // A stable sort: environments that define as much keep their order.
  candidates.sort((a, b) => a.lacks.length - b.lacks.length);
  return { variables, candidates };
}
