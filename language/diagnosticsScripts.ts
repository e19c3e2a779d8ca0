// Checks of a request's scripts and `??` assertion lines: JavaScript that does not parse, and
// assertion lines that are not assertions, each at its place; `{{references}}` in an assertion's
// expected value are judged as the request's own are.

import { parseAssertionLine } from './assertions';
import { Code } from './codes';
import { add, type ProblemList } from './diagnosticsProblems';
import { checkReferenceList } from './diagnosticsReferences';
import type { DocumentScope } from './diagnosticsScope';
import { scanReferences } from './references';
import { scriptBlockAt, scriptBlockRowsIn, unsupportedEventReason } from './httpYacScripts';
import { documentScripts } from './scripts';
import type { HttpDocument, SyntaxProblem } from './syntax';
import { assertionEnd, assertionStart, requestAssertionCount, requestFirstAssertion, requestFirstHandler, requestHandlerCount } from './tableQueries';

/** The syntax errors of request `request`'s inline scripts, both phases, and its Lua scripts (the caller knows it has handler rows). */
export function checkScripts(list: ProblemList, document: HttpDocument, request: number): void {
  const { errors, lua } = documentScripts(document);
  if (errors.length === 0 && lua.length === 0) return;
  const first = requestFirstHandler(document.tables, request);
  const end = first + requestHandlerCount(document.tables, request);
  for (const error of errors) {
    if (error.handler >= first && error.handler < end) add(list, error, Code.ScriptSyntaxError, 'error', error.message);
  }
  for (const script of lua) {
    if (script.handler >= first && script.handler < end) add(list, script, Code.ScriptLua, 'warning', "A Lua script (kulala's): Courier runs JavaScript scripts only, so this one is skipped when the request is sent (its tests show as skipped). Write it in JavaScript with the same client and response API to run it.");
  }
}

/**
 * httpYac `{{` blocks in `[start, end)` (a block's span): JavaScript that does not parse, events
 * Courier does not run, and names only Node has (`require`, `process`), each saying what to do.
 */
export function checkScriptBlocks(list: ProblemList, document: HttpDocument, start: number, end: number): void {
  const rows = scriptBlockRowsIn(document, start, end);
  if (rows.first === rows.end) return;
  const { errors, nodeOnly } = documentScripts(document);
  const inRows = (row: number): boolean => row >= rows.first && row < rows.end;
  for (const error of errors) if (inRows(error.scriptBlock)) add(list, error, Code.ScriptSyntaxError, 'error', error.message);
  for (let row = rows.first; row < rows.end; row++) {
    const block = scriptBlockAt(document, row);
    const reason = unsupportedEventReason(block.event);
    if (reason !== undefined) {
      const lineEnd = document.text.indexOf('\n', block.start);
      add(list, { start: block.start, end: lineEnd === -1 ? block.script.start : Math.min(lineEnd, block.script.start) }, Code.ScriptBlockEventUnsupported, 'warning', `Courier does not run this script: ${reason}.`);
    }
  }
  for (const use of nodeOnly) {
    if (!inRows(use.scriptBlock)) continue;
    const what = use.name === 'require' ? 'require(...) is not available' : `${use.name} is not available`;
    add(list, use, Code.ScriptNodeOnly, 'warning', `${what} in Courier's script sandbox: scripts run without Node and its modules. Use the sandbox's helpers (crypto, jsonPath, btoa/atob, test) or a ?? line; the script fails here when it runs.`);
  }
}

/** Unparsable `??` lines of request `request`, and undefined references in their expected values (the caller knows it has some). */
export function checkAssertions(list: ProblemList, document: HttpDocument, request: number, scope: DocumentScope, blockNames: ReadonlySet<string> | undefined): void {
  const { text, tables } = document;
  const first = requestFirstAssertion(tables, request);
  for (let assertion = first; assertion < first + requestAssertionCount(tables, request); assertion++) {
    const start = assertionStart(tables, assertion);
    const parsed = parseAssertionLine(text.slice(start, assertionEnd(tables, assertion)));
    if (parsed.problem !== undefined) {
      const { problem } = parsed;
      add(list, { start: start + problem.start, end: start + Math.max(problem.end, problem.start + 1) }, problem.code, 'error', sentence(problem.message));
      continue;
    }
    const expected = parsed.assertion.expected;
    if (expected === undefined) continue;
    // The parser's problems with these (an unclosed `{{`) are not reported: the value is compared as written.
    const ignored: SyntaxProblem[] = [];
    checkReferenceList(list, scanReferences(text, start + expected.span.start, start + expected.span.end, ignored), scope, blockNames);
  }
}

/** Variables and requests the expected values of `document`'s `??` lines refer to, for the incremental pass's signatures. */
export function assertionReferenceNames(document: HttpDocument, variables: Set<string>, requests: Set<string>): void {
  const { text, tables } = document;
  const ignored: SyntaxProblem[] = [];
  for (let assertion = 0; assertion < tables.assertions.count; assertion++) {
    const start = assertionStart(tables, assertion);
    const expected = parseAssertionLine(text.slice(start, assertionEnd(tables, assertion))).assertion?.expected;
    if (expected === undefined) continue;
    for (const reference of scanReferences(text, start + expected.span.start, start + expected.span.end, ignored)) {
      if (reference.target.kind === 'variable') variables.add(reference.target.name);
      else if (reference.target.kind === 'request') requests.add(reference.target.requestName);
    }
  }
}

/** assertions.ts writes messages as clauses ("write ..."); a diagnostic reads as a sentence. */
function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
