// Navigation: go to definition, find references and rename, for file variables (`@name`) and
// named requests (`# @name login`, `### login`) and the `{{ }}` references to them.

import { Location, Range, TextEdit, type WorkspaceEdit } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { type CancellationToken, notCancellable } from './cancellation';
import { compositionDefinition } from './composition';
import { namedRequests, referencesTo, variableDefinitions } from './documentNames';
import { blockAt, offsetToPosition, referenceAt } from './positions';
import { isReferenceableName } from './references';
import type { HttpDocument, Span } from './syntax';

/** What the cursor is on: a name that navigation can follow. */
export interface NamedSymbol {
  readonly kind: 'variable' | 'request' | 'system';
  readonly name: string;
  /** The occurrence of the name under the cursor. */
  readonly span: Span;
}

/** Maps a span in another file (an env file) to a range there; undefined when that file is unknown. */
export type ExternalLocator = (uri: string, span: Span) => Range | undefined;

/** Why a rename cannot happen, in a sentence for the user. */
export interface RenameRejection {
  readonly rejected: string;
}

const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

/** The variable, request or system variable named at `offset`, if any. */
export function symbolAt(document: HttpDocument, offset: number): NamedSymbol | undefined {
  const reference = referenceAt(document, offset);
  if (reference !== undefined && reference.terminated) {
    const target = reference.target;
    if (target.kind === 'variable') return { kind: 'variable', name: target.name, span: { start: reference.expressionStart, end: reference.expressionEnd } };
    if (target.kind === 'request') return { kind: 'request', name: target.requestName, span: target.requestNameSpan };
    if (target.kind === 'system') return { kind: 'system', name: target.name, span: { start: reference.expressionStart, end: reference.expressionEnd } };
    return undefined;
  }
  // A definition's name is in the block the cursor is in.
  const block = blockAt(document, offset);
  for (const variable of block.variables) {
    if (contains(variable.name, offset)) return { kind: 'variable', name: variable.name.text, span: variable.name };
  }
  const request = block.request;
  if (request?.name !== undefined && contains(request.name, offset)) return { kind: 'request', name: request.name.text, span: request.name };
  return undefined;
}

/** Where the name at `offset` is defined: file variable definitions, else its env file entry; the request that bears a name. */
export function definition(context: FeatureContext, offset: number, locateExternal: ExternalLocator = () => undefined): Location[] {
  const { document, uri } = context;
  const composed = compositionDefinition(context, offset);
  if (composed !== undefined) return composed;
  const symbol = symbolAt(document, offset);
  if (symbol === undefined || symbol.kind === 'system') return [];
  const declarations = declarationSpans(document, symbol);
  if (declarations.length > 0) return declarations.map((span) => Location.create(uri, toRange(document, span)));
  if (symbol.kind === 'variable') {
    const location = context.environments.variables.get(symbol.name)?.location;
    const range = location === undefined ? undefined : locateExternal(location.uri, location.span);
    if (location !== undefined && range !== undefined) return [Location.create(location.uri, range)];
  }
  return [];
}

/** Every occurrence of the name at `offset` in the document, declarations first when asked for. */
export function references(context: FeatureContext, offset: number, includeDeclaration: boolean, token: CancellationToken = notCancellable): Location[] {
  const { document, uri } = context;
  const symbol = symbolAt(document, offset);
  if (symbol === undefined || symbol.kind === 'system') return [];
  return occurrences(document, symbol, includeDeclaration, token).map((span) => Location.create(uri, toRange(document, span)));
}

/** The range a rename at `offset` would change, or why it cannot; undefined when nothing renameable is there. */
export function prepareRename(context: FeatureContext, offset: number): { readonly range: Range; readonly placeholder: string } | RenameRejection | undefined {
  const { document } = context;
  const symbol = symbolAt(document, offset);
  if (symbol === undefined) return undefined;
  if (symbol.kind === 'system') return { rejected: `$${symbol.name.replace(/^\$/, '')} is a system variable: it cannot be renamed.` };
  if (declarationSpans(document, symbol).length === 0) {
    if (symbol.kind === 'variable' && context.environments.variables.has(symbol.name)) return { rejected: `'${symbol.name}' is defined in an env file: rename it there.` };
    return { rejected: `'${symbol.name}' is not defined in this file, so there is nothing to rename.` };
  }
  return { range: toRange(document, symbol.span), placeholder: symbol.name };
}

/** Edits renaming the variable or request at `offset` and every reference to it. */
export function rename(context: FeatureContext, offset: number, newName: string, token: CancellationToken = notCancellable): WorkspaceEdit | RenameRejection | undefined {
  const prepared = prepareRename(context, offset);
  if (prepared === undefined || 'rejected' in prepared) return prepared;
  const { document } = context;
  const symbol = symbolAt(document, offset);
  if (symbol === undefined) return undefined;
  const name = newName.trim();
  if (!isReferenceableName(name)) {
    return { rejected: `'${newName}' cannot be referenced as {{${newName}}}: use letters, digits, '_' and '-', starting with a letter or '_'.` };
  }
  const edits = occurrences(document, symbol, true, token).map((span) => TextEdit.replace(toRange(document, span), name));
  return { changes: { [context.uri]: edits } };
}

function declarationSpans(document: HttpDocument, symbol: NamedSymbol): Span[] {
  if (symbol.kind === 'variable') return variableDefinitions(document, symbol.name).map((variable) => variable.nameSpan);
  if (symbol.kind === 'request') return namedRequests(document).flatMap((request) => (request.name === symbol.name ? [request.nameSpan] : []));
  return [];
}

function occurrences(document: HttpDocument, symbol: NamedSymbol, includeDeclaration: boolean, token: CancellationToken): Span[] {
  const declarations = includeDeclaration ? declarationSpans(document, symbol) : [];
  if (symbol.kind === 'system') return declarations;
  return [...declarations, ...referencesTo(document, symbol.kind, symbol.name, token)];
}

function toRange(document: HttpDocument, span: Span): Range {
  return Range.create(offsetToPosition(document, span.start), offsetToPosition(document, span.end));
}
