// Checks of `{{ ... }}` references: variables nothing defines, unknown system variables, requests
// no `# @name` declares. Each distinct expression is judged once per pass, whatever the number of
// references to it (a large document repeats the same few thousands of times).

import { Code } from './codes';
import { isSystemVariable } from './data/systemVariables';
import { add, type ProblemList } from './diagnosticsProblems';
import type { DocumentScope } from './diagnosticsScope';
import type { HttpDocument } from './syntax';
import type { ReadonlySyntaxTables, SharedTarget } from './syntaxTables';
import { refExpressionEnd, refExpressionStart, refTargetIndex, refTerminated, templateFirstRef, templateRefCount } from './tableQueries';

/** A target's verdict in one pass (see `Verdict`): by its index in the document's `targets`, as most are checked thousands of times. */
const Verdict = {
  unknown: 0,
  /** Defined, or a system variable Courier knows: nothing to report. */
  known: 1,
  /** Nothing defines it, though a block's `@prompt` may. */
  unknownName: 2,
} as const;

/** Verdicts for the targets of `document`'s references, all unknown. */
export function newVerdicts(document: HttpDocument): Uint8Array {
  return new Uint8Array(document.tables.targets.length);
}

/** The references of the `count` templates from `first`. */
export function checkReferences(
  list: ProblemList,
  tables: ReadonlySyntaxTables,
  first: number,
  count: number,
  scope: DocumentScope,
  verdicts: Uint8Array,
  prompts: ReadonlySet<string> | undefined,
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
      reportReference(list, tables, ref, tables.targets[index], scope, prompts);
    }
  }
}

/** Whether `target` is known in `scope`, whatever the block it is in. */
function judge(target: SharedTarget, scope: DocumentScope): number {
  switch (target.kind) {
    case 'variable':
      return scope.fileVariables.has(target.name) || scope.environments.variables.has(target.name) ? Verdict.known : Verdict.unknownName;
    case 'system':
      return isSystemVariable(target.name) ? Verdict.known : Verdict.unknownName;
    case 'request':
      return scope.requestNames.has(target.requestName) ? Verdict.known : Verdict.unknownName;
    case 'invalid':
      // The parser reported it.
      return Verdict.known;
  }
}

/** The problem with reference `ref`, whose target is not known in `scope`, unless the block prompts for it. */
function reportReference(list: ProblemList, tables: ReadonlySyntaxTables, ref: number, target: SharedTarget, scope: DocumentScope, prompts: ReadonlySet<string> | undefined): void {
  switch (target.kind) {
    case 'variable':
      if (prompts?.has(target.name) === true) return;
      add(list, { start: refExpressionStart(tables, ref), end: refExpressionEnd(tables, ref) }, Code.VariableUndefined, 'warning', undefinedVariableMessage(target.name, scope), { define: target.name });
      return;
    case 'system':
      add(list, { start: refExpressionStart(tables, ref), end: refExpressionEnd(tables, ref) }, Code.VariableUndefined, 'warning', `Unknown system variable $${target.name.replace(/^\$/, '')}: see the completion list after {{$ for the supported ones.`);
      return;
    case 'request': {
      // The target is shared by every reference with this expression: the name's span is this one's.
      const nameStart = refExpressionStart(tables, ref);
      add(list, { start: nameStart, end: nameStart + target.requestName.length }, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file: name one with '# @name ${target.requestName}' or '### ${target.requestName}'.`);
      return;
    }
    case 'invalid':
      return;
  }
}

function undefinedVariableMessage(name: string, scope: DocumentScope): string {
  const where = scope.environments.active === undefined ? 'an env file' : `environment '${scope.environments.active}'`;
  return `Variable '${name}' is not defined: add '@${name} = value' to this file, define it in ${where}, or ask for it with '# @prompt ${name}'.`;
}
