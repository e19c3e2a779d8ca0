// The semantic checks of one block, in the order they read it: directives, references, then the
// request's method, headers, target and body, then its scripts and `??` lines. Each family of
// checks is a module of its own.

import { Code } from './codes';
import { lookupDirective, suggestDirective } from './data/directives';
import { directiveValueProblem, loopVariableNames } from './data/directivesValues';
import { add, type ProblemList } from './diagnosticsProblems';
import { checkReferences } from './diagnosticsReferences';
import { checkBody, checkHeaders, checkMethod } from './diagnosticsRequest';
import type { DocumentScope } from './diagnosticsScope';
import { checkAssertions, checkScriptBlocks, checkScripts } from './diagnosticsScripts';
import { checkTarget } from './diagnosticsTarget';
import { promptedName } from './documentNames';
import { requestVariablesSet } from './scripts';
import type { HttpDocument } from './syntax';
import { blockTemplates } from './syntaxTables';
import { blockDirectiveCount, blockEnd, blockFirstDirective, blockRequest, blockStart, directiveNameEnd, directiveNameStart, directiveValueEnd, directiveValueStart, requestAssertionCount, requestHandlerCount } from './tableQueries';

/** Scratch for `blockTemplates`, reused for every block. */
const templateRanges: number[] = [];

/**
 * Appends the semantic problems of block `block` (an index in the document's tables) to `list`.
 * The checks read the parser's tables, not the object tree: a first pass over a large document
 * then costs no object per node. Indexed loops throughout: every block of a large document comes through.
 */
export function checkBlock(list: ProblemList, document: HttpDocument, block: number, scope: DocumentScope, verdicts: Uint8Array): void {
  const { text, tables } = document;
  // What the block defines for itself: its prompts, and the request variables its scripts set.
  let blockNames: Set<string> | undefined;
  const request = blockRequest(tables, block);
  const hasHandlers = request !== -1 && requestHandlerCount(tables, request) > 0;
  if (hasHandlers) for (const name of requestVariablesSet(document, request)) (blockNames ??= new Set()).add(name);
  const firstDirective = blockFirstDirective(tables, block);
  const directiveEnd = firstDirective + blockDirectiveCount(tables, block);
  for (let index = firstDirective; index < directiveEnd; index++) {
    const nameStart = directiveNameStart(tables, index);
    const nameEnd = directiveNameEnd(tables, index);
    // `@name` on nearly every request: known without a copy of its text.
    if (nameEnd - nameStart === 4 && text.startsWith('name', nameStart)) continue;
    const prompted = promptedName(document, index);
    if (prompted !== undefined) (blockNames ??= new Set()).add(prompted);
    const name = text.slice(nameStart, nameEnd);
    if (lookupDirective(name) !== undefined) {
      checkDirectiveValue(list, document, index, name, (loopNames) => {
        for (const loopName of loopNames) (blockNames ??= new Set()).add(loopName);
      });
      continue;
    }
    const suggestion = suggestDirective(name);
    const hint = suggestion === undefined ? 'Courier ignores it.' : `Did you mean @${suggestion}?`;
    add(list, { start: nameStart, end: nameEnd }, Code.DirectiveUnknown, 'hint', `Unknown directive @${name}. ${hint}`, suggestion === undefined ? {} : { suggestion });
  }
  const written = blockTemplates(tables, block, templateRanges);
  for (let index = 0; index < written; index += 2) checkReferences(list, tables, templateRanges[index], templateRanges[index + 1], scope, verdicts, blockNames);
  if (tables.scriptBlocks.count > 0) checkScriptBlocks(list, document, blockStart(tables, block), blockEnd(tables, block));
  if (request === -1) return;
  checkMethod(list, document, request);
  checkHeaders(list, document, request);
  checkTarget(list, document, request, scope);
  checkBody(list, document, request);
  if (hasHandlers) checkScripts(list, document, request);
  if (requestAssertionCount(tables, request) > 0) checkAssertions(list, document, request, scope, blockNames);
}

/** httpYac metadata with a syntax of its own (`@loop`, `@ratelimit`, `@sleep`, `@ref`...): a value that cannot be read is an error; a loop's names are the block's. */
function checkDirectiveValue(list: ProblemList, document: HttpDocument, index: number, name: string, addLoopNames: (names: readonly string[]) => void): void {
  const { text, tables } = document;
  const valueStart = directiveValueStart(tables, index);
  const value = valueStart === -1 ? undefined : text.slice(valueStart, directiveValueEnd(tables, index));
  const problem = directiveValueProblem(name, value);
  const end = valueStart === -1 ? directiveNameEnd(tables, index) : directiveValueEnd(tables, index);
  if (problem !== undefined) add(list, { start: directiveNameStart(tables, index) - 1, end }, Code.DirectiveInvalidValue, 'error', problem);
  if (name === 'loop') addLoopNames(loopVariableNames(value));
}
