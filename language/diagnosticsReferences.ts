// Checks of `{{ ... }}` references: variables nothing defines, unknown system variables, requests
// no `# @name` declares. Each distinct expression is judged once per pass, whatever the number of
// references to it (a large document repeats the same few thousands of times).

import { Code } from './codes';
import { isLoopPassName } from './data/directivesValues';
import { authReferenceProblem } from './authTokens';
import { isOAuthTokenVariable, isSystemVariable } from './data/systemVariables';
import { add, type ProblemList } from './diagnosticsProblems';
import type { DocumentScope } from './diagnosticsScope';
import type { HttpDocument, Span, VariableReference } from './syntax';
import type { ReadonlySyntaxTables, SharedTarget } from './syntaxTables';
import { refExpressionEnd, refExpressionStart, refTargetIndex, refTerminated, templateFirstRef, templateRefCount } from './tableQueries';

/** A target's verdict in one pass (see `Verdict`): by its index in the document's `targets`, as most are checked thousands of times. */
const Verdict = {
  unknown: 0,
  /** Defined, or a system variable Courier knows: nothing to report. */
  known: 1,
  /** Nothing defines it, though a block's `@prompt` or its own scripts may. */
  unknownName: 2,
  /** Only environments define it, and none is selected: sending it asks for one. */
  needsEnvironment: 3,
} as const;

/** Verdicts for the targets of `document`'s references, all unknown. */
export function newVerdicts(document: HttpDocument): Uint8Array {
  return new Uint8Array(document.tables.targets.length);
}

/**
 * The references of the `count` templates from `first`. `blockNames` are the names the block
 * defines for itself: its `@prompt`s and what its own scripts set with `request.variables.set`.
 */
export function checkReferences(
  list: ProblemList,
  tables: ReadonlySyntaxTables,
  first: number,
  count: number,
  scope: DocumentScope,
  verdicts: Uint8Array,
  blockNames: ReadonlySet<string> | undefined,
): void {
  for (let template = first; template < first + count; template++) {
    const firstRef = templateFirstRef(tables, template);
    const end = firstRef + templateRefCount(tables, template);
    for (let ref = firstRef; ref < end; ref++) {
      if (!refTerminated(tables, ref)) continue;
      const index = refTargetIndex(tables, ref);
      let verdict = verdicts[index];
      if (verdict === Verdict.unknown) verdicts[index] = verdict = judge(tables.targets[index], scope);
      if (verdict === Verdict.known) continue;
      const expression = { start: refExpressionStart(tables, ref), end: refExpressionEnd(tables, ref) };
      reportReference(list, expression, tables.targets[index], scope, blockNames);
    }
  }
}

/** Whether `target` is known in `scope`, whatever the block it is in. */
function judge(target: SharedTarget, scope: DocumentScope): number {
  switch (target.kind) {
    case 'variable':
      if (!isDefinedVariable(target.name, scope)) return Verdict.unknownName;
      return environmentsNeededFor(target.name, scope) === undefined ? Verdict.known : Verdict.needsEnvironment;
    case 'system':
      if (isSystemVariable(target.name)) return Verdict.known;
      return isOAuthTokenVariable(target.name) && authReferenceProblem(scope.environments, target) === undefined ? Verdict.known : Verdict.unknownName;
    case 'request':
      return scope.requestNames.has(target.requestName) || isLoopPassName(target.requestName, scope.requestNames) ? Verdict.known : Verdict.unknownName;
    case 'invalid':
      // The parser reported it.
      return Verdict.known;
  }
}

/** Whether variable `name` is defined for every block: by the file, an environment or a script's global. */
export function isDefinedVariable(name: string, scope: DocumentScope): boolean {
  return scope.fileVariables.has(name) || scope.environments.variables.has(name) || scope.scriptGlobals.has(name);
}

/**
 * With no environment selected, the environments that define variable `name` when only they do
 * (not the file, `$shared` or a script's global); undefined when sending it needs no choice.
 */
export function environmentsNeededFor(name: string, scope: DocumentScope): readonly string[] | undefined {
  const { environments } = scope;
  if (environments.active !== undefined || scope.fileVariables.has(name) || scope.scriptGlobals.has(name)) return undefined;
  const defining = environments.definedInEnvironments?.get(name);
  return defining === undefined || defining.length === 0 ? undefined : defining;
}

/**
 * The references of a text the parser does not read for references (the expected value of a
 * `??` line), judged as those of templates are.
 */
export function checkReferenceList(list: ProblemList, references: readonly VariableReference[], scope: DocumentScope, blockNames: ReadonlySet<string> | undefined): void {
  for (const reference of references) {
    if (!reference.terminated || judge(reference.target, scope) === Verdict.known) continue;
    reportReference(list, { start: reference.expressionStart, end: reference.expressionEnd }, reference.target, scope, blockNames);
  }
}

/** The problem with the reference whose expression is `expression` and whose target is not known in `scope`, unless the block defines it. */
function reportReference(list: ProblemList, expression: Span, target: SharedTarget, scope: DocumentScope, blockNames: ReadonlySet<string> | undefined): void {
  switch (target.kind) {
    case 'variable': {
      if (blockNames?.has(target.name) === true) return;
      const environments = environmentsNeededFor(target.name, scope);
      if (environments !== undefined) {
        add(list, expression, Code.VariableNeedsEnvironment, 'warning', needsEnvironmentMessage(target.name, environments), { environments });
        return;
      }
      // A script that sets computed names may set this one: say so, a level lower.
      add(list, expression, Code.VariableUndefined, scope.computedScriptNames ? 'information' : 'warning', undefinedVariableMessage(target.name, scope), { define: target.name });
      return;
    }
    case 'system':
      // `{{$index}}` under `# @loop`.
      if (blockNames?.has(target.name) === true) return;
      if (isOAuthTokenVariable(target.name)) {
        const problem = authReferenceProblem(scope.environments, target);
        if (problem !== undefined) add(list, expression, Code.AuthUnknownConfiguration, 'error', problem.message, { suggestion: problem.suggestion, environments: problem.environments });
        return;
      }
      add(list, expression, Code.VariableUndefined, 'warning', `Unknown system variable $${target.name.replace(/^\$/, '')}: see the completion list after {{$ for the supported ones.`);
      return;
    case 'request': {
      // Imported files may define it: `composition.ts` reads them on every pass.
      if (scope.importsFiles) return;
      // The target is shared by every reference with this expression: the name's span is this one's.
      const nameStart = expression.start;
      add(list, { start: nameStart, end: nameStart + target.requestName.length }, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file: name one with '# @name ${target.requestName}' or '### ${target.requestName}'.`);
      return;
    }
    case 'invalid':
      return;
  }
}

function needsEnvironmentMessage(name: string, environments: readonly string[]): string {
  const where = environments.length === 1 ? `environment '${environments[0]}'` : `environments ${environments.map((environment) => `'${environment}'`).join(', ')}`;
  return `Variable '${name}' is defined only in ${where}, and no environment is selected: select one with the environment in the status bar or 'Courier: Switch Environment' (sending asks which).`;
}

function undefinedVariableMessage(name: string, scope: DocumentScope): string {
  const where = scope.environments.active === undefined ? 'an env file' : `environment '${scope.environments.active}'`;
  const computed = scope.computedScriptNames ? " A script in this file sets variables whose names are computed: if it sets this one, ignore this." : '';
  return `Variable '${name}' is not defined: add '@${name} = value' to this file, define it in ${where}, set it in a script with client.global.set('${name}', ...), or ask for it with '# @prompt ${name}'.${computed}`;
}
