// Problems of the `Security.Auth` entries of env files, for the editor. An unknown key or a value
// of the wrong kind is reported where it is written; a key the grant type needs is judged on what
// a send sees, the entry merged over `$shared` and the folder's other env files, because
// JetBrains keeps the `Client Secret` (or a user's `Password`) in the private file under the
// public file's entry, and neither file alone is complete.

import { readSecurityText, type AuthConfigurationProblem, type SecuritySection } from './authConfigurations';
import { Code } from './codes';
import { environmentSecurity, inPrecedenceOrder, sharedEnvironmentName, type EnvironmentFile } from './environments';
import type { Span } from './syntax';

export type EnvironmentAuthCode = Code.EnvironmentAuthUnknownKey | Code.EnvironmentAuthMissingKey | Code.EnvironmentAuthInvalidValue;

/** One problem of an env file's auth configurations, at its span in that file. */
export interface EnvironmentAuthProblem extends Span {
  readonly code: EnvironmentAuthCode;
  readonly severity: 'warning' | 'error';
  readonly message: string;
  /** For a misspelt key: the key it means, quotes included, to write over the span. */
  readonly replacement?: string;
}

/** The auth problems of `file`, judged with `files`: the env files of its folder, `file` among them. */
export function environmentAuthProblems(file: EnvironmentFile, files: readonly EnvironmentFile[]): EnvironmentAuthProblem[] {
  const problems: EnvironmentAuthProblem[] = [];
  const merged = new MergedSections(files);
  for (const environment of file.environments) {
    const section = environment.security;
    if (section === undefined) continue;
    for (const problem of section.problems) problems.push(asWritten(problem));
    for (const entry of section.entries) {
      for (const problem of entry.problems) if (problem.kind !== 'missing-key') problems.push(asWritten(problem));
      // Once per environment: in the first file that writes the entry (the public one when both do).
      if (merged.firstFileWriting(environment.name, entry.id) !== file.uri) continue;
      for (const missing of merged.missingKeys(environment.name, entry.id)) problems.push({ start: entry.idSpan.start, end: entry.idSpan.end, code: Code.EnvironmentAuthMissingKey, severity: 'error', message: missing });
    }
  }
  return problems;
}

function asWritten(problem: AuthConfigurationProblem): EnvironmentAuthProblem {
  const at = { start: problem.start, end: problem.end };
  if (problem.kind === 'unknown-key') {
    return problem.replacement === undefined
      ? { ...at, code: Code.EnvironmentAuthUnknownKey, severity: 'warning', message: problem.message }
      : { ...at, code: Code.EnvironmentAuthUnknownKey, severity: 'warning', message: problem.message, replacement: problem.replacement };
  }
  return { ...at, code: problem.kind === 'missing-key' ? Code.EnvironmentAuthMissingKey : Code.EnvironmentAuthInvalidValue, severity: 'error', message: problem.message };
}

/** Each environment's `Security` as a send sees it, read once per environment. */
class MergedSections {
  private readonly sections = new Map<string, SecuritySection>();
  private readonly ordered: readonly EnvironmentFile[];
  /** The environments other than `$shared`, which inherit its entries. */
  private readonly names: readonly string[];

  constructor(files: readonly EnvironmentFile[]) {
    this.ordered = inPrecedenceOrder(files);
    this.names = [...new Set(this.ordered.flatMap((file) => file.environments.map((environment) => environment.name)).filter((name) => name !== sharedEnvironmentName))];
  }

  firstFileWriting(environment: string, id: string): string | undefined {
    return this.ordered.find((file) => file.environments.some((candidate) => candidate.name === environment && candidate.security?.entries.some((entry) => entry.id === id) === true))?.uri;
  }

  /**
   * The "needs" messages of entry `id` as `environment` sees it merged. An entry of `$shared` lacks
   * a key only when every environment's merged entry lacks it: each may give it for itself.
   */
  missingKeys(environment: string, id: string): string[] {
    if (environment !== sharedEnvironmentName || this.names.length === 0) return this.missingIn(environment, id);
    let missing: string[] | undefined;
    for (const name of this.names) {
      const inName = this.missingIn(name, id);
      missing = missing === undefined ? inName : missing.filter((message) => inName.includes(message));
    }
    return missing ?? [];
  }

  private missingIn(environment: string, id: string): string[] {
    const entry = this.section(environment).entries.find((candidate) => candidate.id === id);
    return entry === undefined ? [] : entry.problems.filter((problem) => problem.kind === 'missing-key').map((problem) => problem.message);
  }

  private section(environment: string): SecuritySection {
    let section = this.sections.get(environment);
    if (section === undefined) {
      const text = environmentSecurity(this.ordered, environment)?.text;
      section = text === undefined ? { entries: [], problems: [] } : readSecurityText(text);
      this.sections.set(environment, section);
    }
    return section;
  }
}
