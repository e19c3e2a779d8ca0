// Completion from the workspace's OpenAPI spec: paths after a base URL variable or a server's URL
// (path parameters as snippet placeholders), the methods a path has, query parameter names and
// their enum values, header parameters, and JSON body properties at the cursor (required first,
// with types and enums). Answers undefined where the spec has nothing to say, so the other
// completions stand alone.

import { type CompletionItem, CompletionItemKind, InsertTextFormat, MarkupKind, Range, TextEdit } from 'vscode-languageserver-types';
import type { FeatureContext } from '../context';
import { blockAt, lineAt, offsetToPosition } from '../positions';
import type { Request } from '../syntax';
import { inlineBody, jsonMediaType, queryParameters, requestContentType } from './openApiDiagnostics';
import { indexOutsideReferences } from './operationMatching';
import { describeSchema, enumValues, propertiesOf, schemaAt, typeLabel } from './schemaNavigation';
import { requestOperation } from './requestOperations';
import type { JsonSchema, SpecOperation, SpecParameter } from './specModel';

/** Items from the spec at `offset`, or undefined when the spec has none there. */
export function openApiCompletions(context: FeatureContext, offset: number): CompletionItem[] | undefined {
  if ((context.host.openApi?.specsFor(context.uri).length ?? 0) === 0) return undefined;
  const request = blockAt(context.document, offset).request;
  if (!request) return undefined;
  if (request.method && offset >= request.method.start && offset <= request.method.end) return methodItems(context, request);
  const target = request.target;
  if (offset >= target.start && offset <= target.end && target.continuedPieces.length === 0 && offset <= request.requestLineEnd) return targetItems(context, request, offset - target.start);
  const body = request.body;
  if (body && offset >= body.start) return bodyItems(context, request, offset);
  if (offset > request.requestLineEnd) return headerItems(context, request, offset);
  return undefined;
}

function range(context: FeatureContext, start: number, end: number): Range {
  return Range.create(offsetToPosition(context.document, start), offsetToPosition(context.document, end));
}

function markdown(value: string): { kind: typeof MarkupKind.Markdown; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

function methodItems(context: FeatureContext, request: Request): CompletionItem[] | undefined {
  const found = requestOperation(context, request);
  if (!found?.path) return undefined;
  const method = request.method!;
  return found.path.operations.map((operation, index) => ({
    label: operation.method,
    kind: CompletionItemKind.Keyword,
    detail: operation.summary ?? operation.operationId ?? `${operation.method} ${operation.pathTemplate}`,
    sortText: `0${index}`,
    textEdit: TextEdit.replace(range(context, method.start, method.end), operation.method),
  }));
}

function targetItems(context: FeatureContext, request: Request, cursor: number): CompletionItem[] | undefined {
  const text = request.target.text;
  const before = text.slice(0, cursor);
  const question = indexOutsideReferences(before, '?', 0);
  if (question < before.length) return queryItems(context, request, cursor, question);
  const found = requestOperation(context, request, before);
  if (!found) return undefined;
  const { requestPath } = found;
  // Only after a server's URL or a variable standing for one: not while the host is typed.
  if (requestPath.offset > cursor || !(found.targetsSpec || before.startsWith('{{') || requestPath.server !== undefined)) return undefined;
  const pathEnd = indexOutsideReferences(text, '?#', requestPath.offset);
  const replace = range(context, request.target.start + requestPath.offset, request.target.start + pathEnd);
  const byTemplate = new Map<string, SpecOperation[]>();
  for (const operation of found.spec.operations) {
    const list = byTemplate.get(operation.pathTemplate);
    if (list) list.push(operation);
    else byTemplate.set(operation.pathTemplate, [operation]);
  }
  const items: CompletionItem[] = [];
  for (const [template, operations] of byTemplate) {
    let placeholder = 0;
    const snippet = template.replace(/[$\\]/g, '\\$&').replace(/\{([^{}]+)\}/g, (_whole, name: string) => `\${${++placeholder}:${name}}`);
    items.push({
      label: template,
      kind: CompletionItemKind.Value,
      detail: operations.map((operation) => operation.method).join(' '),
      // Summaries only: a large spec lists hundreds of paths, and every item crosses the wire.
      documentation: operations.map((operation) => `${operation.method} ${operation.summary ?? operation.operationId ?? ''}`).join('\n'),
      filterText: template,
      insertTextFormat: placeholder > 0 ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: TextEdit.replace(replace, placeholder > 0 ? snippet : template),
    });
  }
  return items;
}

function queryItems(context: FeatureContext, request: Request, cursor: number, question: number): CompletionItem[] | undefined {
  const text = request.target.text;
  const found = requestOperation(context, request, text.slice(0, question));
  if (!found?.operation) return undefined;
  const query = found.operation.parameters.filter((parameter) => parameter.in === 'query');
  if (query.length === 0) return undefined;
  const pieceStart = Math.max(text.lastIndexOf('&', cursor - 1), question) + 1;
  const piece = text.slice(pieceStart, cursor);
  const equals = piece.indexOf('=');
  const targetStart = request.target.start;
  if (equals >= 0) {
    const parameter = query.find((candidate) => candidate.name === piece.slice(0, equals));
    const valueEnd = indexOutsideReferences(text, '&#', pieceStart + equals + 1);
    return parameter && valueItems(context, parameter.schema, targetStart + pieceStart + equals + 1, targetStart + valueEnd, (value) => encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value)));
  }
  const sent = new Set(queryParameters(text).map((parameter) => parameter.name));
  const nameEnd = indexOutsideReferences(text, '=&#', pieceStart);
  return query.filter((parameter) => !sent.has(parameter.name) || parameter.name === piece).map((parameter) => ({
    label: parameter.name,
    kind: CompletionItemKind.Field,
    detail: parameterDetail(parameter),
    documentation: parameter.description ? markdown(parameter.description) : undefined,
    sortText: `${parameter.required ? 0 : 1}${parameter.name}`,
    textEdit: TextEdit.replace(range(context, targetStart + pieceStart, targetStart + nameEnd), `${parameter.name}=`),
    command: { title: 'values', command: 'editor.action.triggerSuggest' },
  }));
}

function parameterDetail(parameter: SpecParameter): string {
  return [typeLabel(parameter.schema), parameter.required ? 'required' : '', parameter.deprecated ? 'deprecated' : ''].filter((part) => part !== '').join(', ');
}

function valueItems(context: FeatureContext, schema: JsonSchema | undefined, start: number, end: number, write: (value: unknown) => string): CompletionItem[] | undefined {
  const values = enumValues(schema);
  if (values.length === 0) return undefined;
  return values.map((value, index) => ({
    label: typeof value === 'string' ? value : JSON.stringify(value),
    kind: CompletionItemKind.EnumMember,
    sortText: String(index).padStart(4, '0'),
    textEdit: TextEdit.replace(range(context, start, end), write(value)),
  }));
}

function headerItems(context: FeatureContext, request: Request, offset: number): CompletionItem[] | undefined {
  const document = context.document;
  const lineStart = document.lineStarts[lineAt(document.lineStarts, offset)];
  const prefix = document.text.slice(lineStart, offset);
  if (/^\s*(#|\/\/|\?\?|<|>)/.test(prefix)) return undefined;
  const found = requestOperation(context, request);
  if (!found?.operation) return undefined;
  const headers = found.operation.parameters.filter((parameter) => parameter.in === 'header');
  if (headers.length === 0) return undefined;
  const colon = prefix.indexOf(':');
  if (colon >= 0) {
    const parameter = headers.find((candidate) => candidate.name.toLowerCase() === prefix.slice(0, colon).trim().toLowerCase());
    const valueStart = lineStart + colon + 1 + (prefix.slice(colon + 1).length - prefix.slice(colon + 1).trimStart().length);
    const lineEnd = document.text.indexOf('\n', offset);
    return parameter && valueItems(context, parameter.schema, valueStart, lineEnd < 0 ? document.text.length : lineEnd, (value) => (typeof value === 'string' ? value : JSON.stringify(value)));
  }
  if (!/^[\w-]*$/.test(prefix)) return undefined;
  const sent = new Set(request.headers.map((header) => header.name.text.toLowerCase()));
  return headers.filter((parameter) => !sent.has(parameter.name.toLowerCase()) || parameter.name.toLowerCase() === prefix.toLowerCase()).map((parameter) => ({
    label: parameter.name,
    kind: CompletionItemKind.Field,
    detail: parameterDetail(parameter),
    documentation: parameter.description ? markdown(parameter.description) : undefined,
    sortText: `0${parameter.required ? 0 : 1}${parameter.name}`,
    textEdit: TextEdit.replace(range(context, lineStart, offset), `${parameter.name}: `),
  }));
}

function bodyItems(context: FeatureContext, request: Request, offset: number): CompletionItem[] | undefined {
  const body = inlineBody(request);
  if (!body || offset < body.start) return undefined;
  const found = requestOperation(context, request);
  const schema = found?.operation && jsonMediaType(found.operation, requestContentType(request))?.schema;
  if (schema === undefined) return undefined;
  const place = jsonPlaceAt(body.text, offset - body.start);
  if (!place) return undefined;
  const start = body.start + place.start;
  const end = body.start + place.end;
  if (place.kind === 'value') {
    return valueItems(context, schemaAt(schema, place.path), start, end, (value) => JSON.stringify(value));
  }
  const properties = propertiesOf(schemaAt(schema, place.path));
  return properties.filter((property) => !place.present.has(property.name)).map((property, index) => {
    const type = typeLabel(property.schema);
    return {
      label: property.name,
      kind: CompletionItemKind.Property,
      detail: [type, property.required ? 'required' : ''].filter((part) => part !== '').join(', '),
      documentation: describeSchema(property.schema) ? markdown(describeSchema(property.schema)!) : undefined,
      sortText: `${property.required ? 0 : 1}${String(index).padStart(4, '0')}`,
      filterText: `"${property.name}"`,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: TextEdit.replace(range(context, start, end), `"${property.name}": ${valueSnippet(property.schema)}`),
    };
  });
}

function valueSnippet(schema: JsonSchema): string {
  const type = typeLabel(schema);
  if (type.startsWith('string')) return '"$1"';
  if (type.startsWith('object')) return '{$1}';
  if (type.startsWith('array')) return '[$1]';
  return '$1';
}

/** Where the cursor is in a JSON text that may be half written: at a key of an object, or at a value. */
export interface JsonPlace {
  readonly kind: 'key' | 'value';
  /** Keys and indexes from the root to the object (for a key) or to the value. */
  readonly path: readonly (string | number)[];
  /** What a completion replaces: the key or value under the cursor, quotes included. */
  readonly start: number;
  readonly end: number;
  /** The keys the object already has (for a key). */
  readonly present: ReadonlySet<string>;
}

interface Container {
  readonly kind: 'object' | 'array';
  key: string | undefined;
  index: number;
  expecting: 'key' | 'colon' | 'value' | 'comma';
  readonly keys: Set<string>;
}

/** The place at `cursor` in `text`, or undefined inside a string value or outside any container. */
export function jsonPlaceAt(text: string, cursor: number): JsonPlace | undefined {
  const stack: Container[] = [];
  const pathTo = (withTop: boolean): (string | number)[] => {
    const containers = withTop ? stack : stack.slice(0, -1);
    return containers.map((container) => (container.kind === 'object' ? container.key ?? '' : container.index));
  };
  const tokenEnd = (from: number): number => {
    let end = from;
    while (end < text.length && !/[\s,:{}[\]]/.test(text[end])) end++;
    return end;
  };
  let i = 0;
  while (i < cursor) {
    const c = text[i];
    const top = stack[stack.length - 1];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2);
      if (close < 0 || close + 2 > cursor) return undefined;
      if (top) top.expecting = 'comma';
      i = close + 2;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const closed = j < text.length && text[j] === '"';
      if (!closed || j >= cursor) {
        // The cursor is inside this string.
        const end = closed ? j + 1 : j;
        if (top?.kind === 'object' && top.expecting === 'key') return { kind: 'key', start: i, end, present: top.keys, path: keyPath(stack) };
        if (top && top.expecting === 'value') return { kind: 'value', path: pathTo(true), start: i, end, present: new Set() };
        return undefined;
      }
      const value = JSON.parse(text.slice(i, j + 1)) as string;
      if (top?.kind === 'object' && top.expecting === 'key') {
        top.key = value;
        top.keys.add(value);
        top.expecting = 'colon';
      } else if (top) {
        top.expecting = 'comma';
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push({ kind: c === '{' ? 'object' : 'array', key: undefined, index: 0, expecting: c === '{' ? 'key' : 'value', keys: new Set() });
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      const parent = stack[stack.length - 1];
      if (parent) parent.expecting = 'comma';
      i++;
      continue;
    }
    if (c === ':') {
      if (top) top.expecting = 'value';
      i++;
      continue;
    }
    if (c === ',') {
      if (top?.kind === 'object') {
        top.expecting = 'key';
        top.key = undefined;
      } else if (top) {
        top.index++;
        top.expecting = 'value';
      }
      i++;
      continue;
    }
    // A number, a literal, or a key typed without quotes yet.
    const end = tokenEnd(i);
    if (end >= cursor) {
      if (top?.kind === 'object' && top.expecting === 'key') return { kind: 'key', start: i, end, present: top.keys, path: keyPath(stack) };
      if (top?.expecting === 'value') return { kind: 'value', path: pathTo(true), start: i, end, present: new Set() };
      return undefined;
    }
    if (top) top.expecting = 'comma';
    i = end;
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  // Nothing typed yet at the cursor: what the cursor may start.
  const rest = text.slice(cursor);
  const quoted = rest.startsWith('"') ? rest.indexOf('"', 1) + 1 : 0;
  if (top.kind === 'object' && top.expecting === 'key') return { kind: 'key', start: cursor, end: cursor + Math.max(quoted, 0), present: top.keys, path: keyPath(stack) };
  if (top.expecting === 'value') return { kind: 'value', path: pathTo(true), start: cursor, end: cursor, present: new Set() };
  return undefined;
}

/** For a key: the path to the object that holds it (the keys of the containers around it). */
function keyPath(stack: readonly Container[]): (string | number)[] {
  return stack.slice(0, -1).map((container) => (container.kind === 'object' ? container.key ?? '' : container.index));
}
