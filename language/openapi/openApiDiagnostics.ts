// Checks a document's requests against the workspace's OpenAPI spec, as warnings: a path or method
// the spec does not have (with "did you mean"), a required parameter or body the request does
// not send, a query parameter the operation does not list, and a JSON body that breaks the
// request schema, each violation at its place in the body. A request whose URL is not one of the
// spec's (another host, no base path of the spec's) is left alone. Problems are remembered per
// request text, so a keystroke re-checks only the request it edits.

import { Code } from '../codes';
import { isContentTypeName, mediaType } from '../contentType';
import type { FeatureContext } from '../context';
import { add, type Problem, type ProblemList } from '../diagnosticsProblems';
import { closestName } from '../data/spelling';
import { parseJson, type JsonNode } from '../jsonTree';
import type { Request, Span } from '../syntax';
import { indexOutsideReferences } from './operationMatching';
import { requestOperation, type RequestOperation } from './requestOperations';
import type { SchemaValidator } from './schemaValidation';
import type { OpenApiSpec, SpecMediaType, SpecOperation } from './specModel';

/** The OpenAPI problems of every request of the document; none when the host has no spec. */
export function openApiProblems(context: FeatureContext): Problem[] {
  const specs = context.host.openApi?.specsFor(context.uri);
  if (specs === undefined || specs.length === 0) return [];
  const cache = cacheFor(specs, context);
  const problems: Problem[] = [];
  for (const request of context.document.requests) {
    const text = context.document.text.slice(request.start, request.end);
    const key = `${prefixValue(context, request)}\n${text}`;
    let relative = cache.get(key);
    if (relative === undefined) {
      relative = requestProblems(context, request).map((problem) => ({ ...problem, start: problem.start - request.start, end: problem.end - request.start }));
      if (cache.size > 5000) cache.clear();
      cache.set(key, relative);
    }
    for (const problem of relative) problems.push({ ...problem, start: problem.start + request.start, end: problem.end + request.start });
  }
  return problems;
}

/** Remembered problems by spec list (a new list when a spec changes) and environments. */
const caches = new WeakMap<readonly OpenApiSpec[], WeakMap<object, Map<string, Problem[]>>>();

function cacheFor(specs: readonly OpenApiSpec[], context: FeatureContext): Map<string, Problem[]> {
  let byEnvironment = caches.get(specs);
  if (!byEnvironment) caches.set(specs, (byEnvironment = new WeakMap<object, Map<string, Problem[]>>()));
  let cache = byEnvironment.get(context.environments);
  if (!cache) byEnvironment.set(context.environments, (cache = new Map<string, Problem[]>()));
  return cache;
}

/** What the leading variable of a target stands for may come from the file's variables: part of the key. */
function prefixValue(context: FeatureContext, request: Request): string {
  const leading = /^\{\{\s*([\w.-]+)\s*\}\}/.exec(request.target.text);
  if (!leading) return '';
  for (const variable of context.document.variables) if (variable.name.text === leading[1]) return variable.value.text;
  return '';
}

/** The problems of one request, at offsets in the document. */
export function requestProblems(context: FeatureContext, request: Request): ProblemList {
  const problems: ProblemList = [];
  const found = requestOperation(context, request);
  if (!found) return problems;
  const target = request.target;
  // Offsets into the target's text hold on one line only; a target continued over lines is reported whole.
  const oneLine = target.continuedPieces.length === 0;
  const at = (start: number, end: number): Span => (oneLine ? { start: target.start + start, end: target.start + end } : target);
  const { path, operation } = found;
  if (!path) {
    if (found.targetsSpec) unknownPath(problems, found, at);
    return problems;
  }
  if (!operation) {
    const methods = path.operations.map((candidate) => candidate.method);
    const suggestion = closestName(request.methodName, methods, (name) => name.toUpperCase()) ?? (methods.length === 1 ? methods[0] : undefined);
    add(problems, request.method ?? target, Code.OpenApiUnknownMethod, 'warning',
      `${path.pathTemplate} has no ${request.methodName} operation in ${specName(found.spec)}: it has ${methods.join(', ')}.`,
      request.method && suggestion ? { suggestion } : undefined);
    return problems;
  }
  queryProblems(problems, operation, target.text, at, found.spec);
  headerProblems(problems, request, operation, found.spec);
  bodyProblems(problems, context, request, operation, found.spec);
  return problems;
}

function specName(spec: OpenApiSpec): string {
  return spec.title ? `"${spec.title}"` : 'the OpenAPI spec';
}

function unknownPath(problems: ProblemList, found: RequestOperation, at: (start: number, end: number) => Span): void {
  const written = found.requestPath.path;
  const query = written.search(/[?#]/);
  const path = query < 0 ? written : written.slice(0, query);
  const templates = [...new Set(found.spec.operations.map((operation) => operation.pathTemplate))];
  const suggestion = closestPath(path, templates);
  const start = found.requestPath.offset;
  add(problems, at(start, start + path.length), Code.OpenApiUnknownPath, 'warning',
    `No path of ${specName(found.spec)} matches ${path}${suggestion ? `: did you mean ${suggestion.template}?` : '.'}`,
    suggestion ? { suggestion: suggestion.text } : undefined);
}

/**
 * The template nearest a path, segment by segment, when near enough to be a slip, with the path
 * it suggests: the request's own values where the template has parameters.
 */
function closestPath(path: string, templates: readonly string[]): { template: string; text: string } | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  let best: { template: string; text: string } | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const template of templates) {
    const parts = template.split('/').filter((part) => part !== '');
    if (Math.abs(parts.length - segments.length) > 1) continue;
    let distance = Math.abs(parts.length - segments.length) * 2;
    for (let i = 0; i < Math.min(parts.length, segments.length); i++) {
      const part = parts[i];
      const segment = segments[i];
      if (part.includes('{') || segment.includes('{{')) continue;
      if (segment === part) continue;
      distance += closestName(segment, [part], (name) => name.toLowerCase()) === part ? 1 : 4;
    }
    if (distance < bestDistance) {
      bestDistance = distance;
      const text = parts.map((part, i) => (part.includes('{') ? segments[i] ?? part.replace(/\{([^{}]+)\}/g, '{{$1}}') : part)).join('/');
      best = { template, text: `/${text}${path.endsWith('/') && text !== '' ? '/' : ''}` };
    }
  }
  return bestDistance <= 2 && bestDistance > 0 ? best : undefined;
}

interface QueryParameter {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The query's parameter names with their offsets in the target's text. */
export function queryParameters(target: string): QueryParameter[] {
  const question = indexOutsideReferences(target, '?', 0);
  if (question >= target.length) return [];
  const hash = indexOutsideReferences(target, '#', question);
  const parameters: QueryParameter[] = [];
  let start = question + 1;
  while (start <= hash) {
    const amp = Math.min(indexOutsideReferences(target, '&', start), hash);
    const pair = target.slice(start, amp);
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (name !== '') parameters.push({ name: safeDecode(name), start, end: start + name.length });
    start = amp + 1;
  }
  return parameters;
}


function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function queryProblems(problems: ProblemList, operation: SpecOperation, target: string, at: (start: number, end: number) => Span, spec: OpenApiSpec): void {
  const listed = operation.parameters.filter((parameter) => parameter.in === 'query');
  const sent = queryParameters(target);
  const names = new Set(sent.map((parameter) => parameter.name));
  for (const parameter of listed) {
    if (parameter.required && !names.has(parameter.name)) {
      add(problems, at(0, target.length), Code.OpenApiMissingParameter, 'warning', `${operationName(operation)} requires the query parameter "${parameter.name}"${parameter.description ? ` (${firstSentence(parameter.description)})` : ''}.`);
    }
  }
  if (listed.length === 0) return;
  const known = listed.map((parameter) => parameter.name);
  for (const parameter of sent) {
    if (known.includes(parameter.name) || parameter.name.includes('{{')) continue;
    const suggestion = closestName(parameter.name, known, (name) => name.toLowerCase());
    add(problems, at(parameter.start, parameter.end), Code.OpenApiUnknownQueryParameter, 'warning',
      `${operationName(operation)} has no query parameter "${parameter.name}" in ${specName(spec)}${suggestion ? `: did you mean "${suggestion}"?` : `; it takes ${known.map((name) => `"${name}"`).join(', ')}.`}`,
      suggestion ? { suggestion } : undefined);
  }
}

/** Headers a client or Courier sets itself, which specs list but a request need not write. */
const impliedHeaders = new Set(['content-type', 'accept', 'content-length', 'authorization', 'user-agent', 'host']);

function headerProblems(problems: ProblemList, request: Request, operation: SpecOperation, _spec: OpenApiSpec): void {
  const sent = new Set(request.headers.map((header) => header.name.text.toLowerCase()));
  for (const parameter of operation.parameters) {
    if (parameter.in !== 'header' || !parameter.required) continue;
    const name = parameter.name.toLowerCase();
    if (sent.has(name) || impliedHeaders.has(name)) continue;
    add(problems, { start: request.start, end: request.requestLineEnd }, Code.OpenApiMissingParameter, 'warning', `${operationName(operation)} requires the header "${parameter.name}"${parameter.description ? ` (${firstSentence(parameter.description)})` : ''}.`);
  }
}

function operationName(operation: SpecOperation): string {
  return operation.operationId ?? `${operation.method} ${operation.pathTemplate}`;
}

function firstSentence(text: string): string {
  const line = text.split('\n')[0].trim();
  return line.length > 100 ? `${line.slice(0, 97)}...` : line.replace(/\.$/, '');
}

/** The request's Content-Type (its first), lower case without parameters, or undefined. */
export function requestContentType(request: Request): string | undefined {
  const header = request.headers.find((candidate) => isContentTypeName(candidate.name.text));
  return header === undefined ? undefined : mediaType(header.value.text);
}

/** The media type of the operation's request body that a request's JSON body is checked against. */
export function jsonMediaType(operation: SpecOperation, contentType: string | undefined): SpecMediaType | undefined {
  const content = operation.requestBody?.content ?? {};
  if (contentType !== undefined && content[contentType]) return /json/i.test(contentType) ? content[contentType] : undefined;
  if (contentType !== undefined && !/json/i.test(contentType)) return undefined;
  const key = Object.keys(content).find((type) => type === 'application/json') ?? Object.keys(content).find((type) => /json/i.test(type) || type === '*/*');
  return key === undefined ? undefined : content[key];
}

/** The body's one inline text part, where a JSON body is written. */
export function inlineBody(request: Request): { readonly text: string; readonly start: number } | undefined {
  const body = request.body;
  if (!body || body.multipart || body.graphql || body.parts.length !== 1) return undefined;
  const part = body.parts[0];
  return part.kind === 'text' ? { text: part.text.text, start: part.text.start } : undefined;
}

function bodyProblems(problems: ProblemList, context: FeatureContext, request: Request, operation: SpecOperation, spec: OpenApiSpec): void {
  const requestBody = operation.requestBody;
  const hasBody = request.body !== undefined && request.body.parts.length > 0;
  if (!hasBody) {
    if (requestBody?.required) add(problems, { start: request.start, end: request.requestLineEnd }, Code.OpenApiMissingBody, 'warning', `${operationName(operation)} requires a body (${Object.keys(requestBody.content).join(', ') || 'any type'}).`);
    return;
  }
  const validator = context.host.openApi?.validator;
  const body = inlineBody(request);
  const media = requestBody && jsonMediaType(operation, requestContentType(request));
  if (!validator || !body || media?.schema === undefined) return;
  const trimmed = body.text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return;
  const { root, error } = parseJson(body.text, { allowTemplates: true });
  // Broken JSON is http.body.invalid-json's to report.
  if (!root || error) return;
  schemaProblems(problems, validator, media.schema, spec, root, body.start, operationName(operation));
}

/** A body's value for the validator; a `{{template}}` stands for anything, so what it breaks is dropped. */
const templateValue = Symbol('template');

function valueOf(node: JsonNode): unknown {
  switch (node.kind) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const property of node.properties) value[property.key.value] = valueOf(property.value);
      return value;
    }
    case 'array':
      return node.items.map(valueOf);
    case 'null':
      return null;
    case 'template':
      return templateValue;
    default:
      return node.value;
  }
}

function schemaProblems(problems: ProblemList, validator: SchemaValidator, schema: NonNullable<SpecMediaType['schema']>, spec: OpenApiSpec, root: JsonNode, offset: number, operation: string): void {
  // Templates are left out of the value (a property whose value is `{{x}}` is present but unchecked).
  const value = withoutTemplates(valueOf(root));
  for (const violation of validator.validate(schema, spec.version, value)) {
    const place = nodeAt(root, violation.pointer);
    if (!place || place.node.kind === 'template' || place.underTemplate) continue;
    if (violation.keyword === 'required') {
      const brace = { start: offset + place.node.start, end: offset + place.node.start + 1 };
      add(problems, brace, Code.OpenApiMissingProperty, 'warning', `${violation.message.replace(/\.$/, '')}: ${operation}'s request body requires it.`);
      continue;
    }
    const span = violation.keyword === 'additionalProperties' ? place.key ?? place.node : place.node;
    add(problems, { start: offset + span.start, end: offset + span.end }, Code.OpenApiBodyMismatch, 'warning', violation.message);
  }
}

/** A template's slot is kept (as null), so `required` holds; what the validator says of it is dropped by position. */
function withoutTemplates(value: unknown): unknown {
  if (value === templateValue) return undefined;
  if (Array.isArray(value)) return value.map((item) => (item === templateValue ? null : withoutTemplates(item)));
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = item === templateValue ? templatePlaceholder : withoutTemplates(item);
    return copy;
  }
  return value;
}

/** What a `{{template}}` property's value is replaced with: its violations are dropped by position. */
const templatePlaceholder = null;

/** The node a JSON pointer names, with the key it sits under; `underTemplate` when the path goes through a template. */
function nodeAt(root: JsonNode, pointer: string): { node: JsonNode; key: Span | undefined; underTemplate: boolean } | undefined {
  let node = root;
  let key: Span | undefined;
  if (pointer === '') return { node, key, underTemplate: false };
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (node.kind === 'object') {
      const property = node.properties.find((candidate) => candidate.key.value === segment);
      if (!property) return { node, key: undefined, underTemplate: false };
      node = property.value;
      key = property.key;
    } else if (node.kind === 'array') {
      const item = node.items[Number(segment)];
      if (!item) return undefined;
      node = item;
      key = undefined;
    } else {
      return { node, key, underTemplate: node.kind === 'template' };
    }
  }
  return { node, key, underTemplate: false };
}
