// What a document names and where it uses those names, read from the parser's tables: file
// variables, named requests, prompts and the references to them. Features that look a name up
// across the whole document read these, so a question about the cursor (hover, completion,
// go to definition) builds the objects of the cursor's block only, not those of a large file.

import { blocksPerCancellationCheck, type CancellationToken, notCancellable, throwIfCancelled } from './cancellation';
import type { HttpDocument, Span } from './syntax';
import { forEachBlockRef, methodNameAt, Ref, targetTextAt } from './syntaxTables';
import {
  directiveNameEnd,
  directiveNameStart,
  directiveValueEnd,
  directiveValueStart,
  requestNameEnd,
  requestNameStart,
  requestStart,
  variableNameEnd,
  variableNameStart,
  variableStart,
  variableValue,
} from './tableQueries';

/** A file variable definition, `@name = value`. */
export interface DefinedVariable {
  readonly name: string;
  readonly nameSpan: Span;
  /** The value as written, before substitution. */
  readonly value: string;
  /** Where the definition starts (its `@`). */
  readonly start: number;
}

/** A request with a name (`# @name x` or `### x`). */
export interface NamedRequest {
  readonly name: string;
  readonly nameSpan: Span;
  /** Where the request line starts. */
  readonly start: number;
  /** Its index in the requests table (see `requestLine`). */
  readonly index: number;
}

/** Every file variable definition, in document order (a later one overrides an earlier one). */
export function definedVariables(document: HttpDocument): DefinedVariable[] {
  const { text, tables } = document;
  const found: DefinedVariable[] = [];
  for (let index = 0; index < tables.variables.count; index++) {
    const nameSpan = { start: variableNameStart(tables, index), end: variableNameEnd(tables, index) };
    found.push({ name: text.slice(nameSpan.start, nameSpan.end), nameSpan, value: variableValue(document, index), start: variableStart(tables, index) });
  }
  return found;
}

/** The definitions of variable `name`, in document order. */
export function variableDefinitions(document: HttpDocument, name: string): DefinedVariable[] {
  return definedVariables(document).filter((variable) => variable.name === name);
}

/** Every request with a name, in document order. */
export function namedRequests(document: HttpDocument): NamedRequest[] {
  const { text, tables } = document;
  const found: NamedRequest[] = [];
  for (let index = 0; index < tables.requests.count; index++) {
    const nameStart = requestNameStart(tables, index);
    if (nameStart === -1) continue;
    const nameSpan = { start: nameStart, end: requestNameEnd(tables, index) };
    found.push({ name: text.slice(nameStart, nameSpan.end), nameSpan, start: requestStart(tables, index), index });
  }
  return found;
}

/** The first request named `name`, found without copying the names of the others. */
export function requestNamed(document: HttpDocument, name: string): NamedRequest | undefined {
  const { text, tables } = document;
  for (let index = 0; index < tables.requests.count; index++) {
    const nameStart = requestNameStart(tables, index);
    const nameEnd = requestNameEnd(tables, index);
    if (nameStart === -1 || nameEnd - nameStart !== name.length || !text.startsWith(name, nameStart)) continue;
    return { name, nameSpan: { start: nameStart, end: nameEnd }, start: requestStart(tables, index), index };
  }
  return undefined;
}

/** `METHOD target` of request `index`, as the outline and hovers show it. */
export function requestLine(document: HttpDocument, index: number): string {
  return `${methodNameAt(document, index)} ${targetTextAt(document, index)}`;
}

/** Names declared with `# @prompt name ...`, once each, in document order. */
export function promptNames(document: HttpDocument): string[] {
  const names = new Set<string>();
  for (let index = 0; index < document.tables.directives.count; index++) {
    const name = promptedName(document, index);
    if (name !== undefined) names.add(name);
  }
  return [...names];
}

/** The variable directive `directive` (an index) prompts for, when it is `# @prompt name ...`. */
export function promptedName({ text, tables }: HttpDocument, directive: number): string | undefined {
  const valueStart = directiveValueStart(tables, directive);
  const nameStart = directiveNameStart(tables, directive);
  if (valueStart === -1 || directiveNameEnd(tables, directive) - nameStart !== 6 || !text.startsWith('prompt', nameStart)) return undefined;
  const name = text.slice(valueStart, directiveValueEnd(tables, directive)).split(/\s/, 1)[0];
  return name === undefined || name === '' ? undefined : name;
}

/**
 * Where the document refers to variable or request `name` with a closed reference, in document
 * order: the expression of `{{name}}`, the request name of `{{name.response...}}`.
 */
export function referencesTo(document: HttpDocument, kind: 'variable' | 'request', name: string, token: CancellationToken = notCancellable): Span[] {
  const { tables } = document;
  const refs = tables.refs.data;
  const spans: Span[] = [];
  for (let block = 0; block < tables.blocks.count; block++) {
    if (block % blocksPerCancellationCheck === 0) throwIfCancelled(token);
    forEachBlockRef(tables, block, (at) => {
      if (refs[at + Ref.terminated] !== 1) return false;
      const target = tables.targets[refs[at + Ref.target]];
      const start = refs[at + Ref.expressionStart];
      if (kind === 'variable' && target.kind === 'variable' && target.name === name) spans.push({ start, end: refs[at + Ref.expressionEnd] });
      if (kind === 'request' && target.kind === 'request' && target.requestName === name) spans.push({ start, end: start + name.length });
      return false;
    });
  }
  return spans;
}
