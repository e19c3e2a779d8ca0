// What a document names and where it uses those names, read from the parser's tables: file
// variables, named requests, prompts and the references to them. Features that look a name up
// across the whole document read these, so a question about the cursor (hover, completion,
// go to definition) builds the objects of the cursor's block only, not those of a large file.

import type { HttpDocument, Span } from './syntax';
import { blockTemplates, Dir, methodNameAt, Ref, Req, targetTextAt, Tpl, Var } from './syntaxTables';

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
  /** Its index among the document's requests (`document.requests[index]`). */
  readonly index: number;
}

/** Every file variable definition, in document order (a later one overrides an earlier one). */
export function definedVariables(document: HttpDocument): DefinedVariable[] {
  const { text, tables } = document;
  const variables = tables.variables.data;
  const templates = tables.templates.data;
  const found: DefinedVariable[] = [];
  for (let index = 0; index < tables.variables.count; index++) {
    const at = index * Var.size;
    const nameSpan = { start: variables[at + Var.nameStart], end: variables[at + Var.nameEnd] };
    const value = variables[at + Var.value] * Tpl.size;
    found.push({ name: text.slice(nameSpan.start, nameSpan.end), nameSpan, value: text.slice(templates[value + Tpl.start], templates[value + Tpl.end]), start: variables[at + Var.start] });
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
  const requests = tables.requests.data;
  const found: NamedRequest[] = [];
  for (let index = 0; index < tables.requests.count; index++) {
    const at = index * Req.size;
    const nameStart = requests[at + Req.nameStart];
    if (nameStart === -1) continue;
    const nameSpan = { start: nameStart, end: requests[at + Req.nameEnd] };
    found.push({ name: text.slice(nameStart, nameSpan.end), nameSpan, start: requests[at + Req.start], index });
  }
  return found;
}

/** The first request named `name`, found without copying the names of the others. */
export function requestNamed(document: HttpDocument, name: string): NamedRequest | undefined {
  const { text, tables } = document;
  const requests = tables.requests.data;
  for (let index = 0; index < tables.requests.count; index++) {
    const at = index * Req.size;
    const nameStart = requests[at + Req.nameStart];
    const nameEnd = requests[at + Req.nameEnd];
    if (nameStart === -1 || nameEnd - nameStart !== name.length || !text.startsWith(name, nameStart)) continue;
    return { name, nameSpan: { start: nameStart, end: nameEnd }, start: requests[at + Req.start], index };
  }
  return undefined;
}

/** `METHOD target` of request `index`, as the outline and hovers show it. */
export function requestLine(document: HttpDocument, index: number): string {
  const at = index * Req.size;
  return `${methodNameAt(document, at)} ${targetTextAt(document, at)}`;
}

/** Names declared with `# @prompt name ...`, once each, in document order. */
export function promptNames(document: HttpDocument): string[] {
  const { text, tables } = document;
  const directives = tables.directives.data;
  const names = new Set<string>();
  for (let index = 0; index < tables.directives.count; index++) {
    const at = index * Dir.size;
    const valueStart = directives[at + Dir.valueStart];
    if (valueStart === -1 || text.slice(directives[at + Dir.nameStart], directives[at + Dir.nameEnd]) !== 'prompt') continue;
    const name = text.slice(valueStart, directives[at + Dir.valueEnd]).split(/\s+/, 1)[0];
    if (name !== undefined && name !== '') names.add(name);
  }
  return [...names];
}

/**
 * Where the document refers to variable or request `name` with a closed reference, in document
 * order: the expression of `{{name}}`, the request name of `{{name.response...}}`.
 */
export function referencesTo(document: HttpDocument, kind: 'variable' | 'request', name: string): Span[] {
  const { tables } = document;
  const templates = tables.templates.data;
  const refs = tables.refs.data;
  const ranges: number[] = [];
  const spans: Span[] = [];
  for (let block = 0; block < tables.blocks.count; block++) {
    const written = blockTemplates(tables, block, ranges);
    for (let range = 0; range < written; range += 2) {
      for (let template = ranges[range]; template < ranges[range] + ranges[range + 1]; template++) {
        const firstRef = templates[template * Tpl.size + Tpl.firstRef];
        for (let ref = firstRef; ref < firstRef + templates[template * Tpl.size + Tpl.refCount]; ref++) {
          const at = ref * Ref.size;
          if (refs[at + Ref.terminated] !== 1) continue;
          const target = tables.targets[refs[at + Ref.target]];
          const start = refs[at + Ref.expressionStart];
          if (kind === 'variable' && target.kind === 'variable' && target.name === name) spans.push({ start, end: refs[at + Ref.expressionEnd] });
          if (kind === 'request' && target.kind === 'request' && target.requestName === name) spans.push({ start, end: start + name.length });
        }
      }
    }
  }
  return spans;
}
