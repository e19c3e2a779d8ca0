// Checks of a request's method, headers and body: unknown methods, a Content-Length Courier
// computes, repeated single-valued headers, Content-Types that disagree, multipart without a
// boundary, `Authorization: AWS ...` values that cannot be signed, handshake headers a WebSocket
// client writes itself, a body on GET, HEAD or SSE, JSON bodies that do not parse; the messages of
// a WebSocket or gRPC body are diagnosticsMessages.ts's.

import { isAwsAuthorization, parseAwsAuthorization } from './awsAuthorization';
import { Code } from './codes';
import { contentTypeHeaderIndex, mediaType } from './contentType';
import { isSingleValuedHeader } from './data/headers';
import { WEBSOCKET_METHODS } from './data/urlSchemes';
import { isKnownMethod, suggestMethod } from './data/methods';
import { checkMessageScript, checkStraySeparators } from './diagnosticsMessages';
import { add, type ProblemList } from './diagnosticsProblems';
import { findJsonError } from './jsonTree';
import { equalsIgnoringCaseAt } from './scanner';
import { sendsMessageScript } from './streamScript';
import type { HttpDocument } from './syntax';
import { methodNameAt } from './syntaxTables';
import {
  firstHeaderNamedLike,
  headerIsNamed,
  headerNameEnd,
  headerNameStart,
  headerHasColon,
  headerSpan,
  headerValue,
  headerValueCount,
  headerValueSpan,
  requestBodyEnd,
  requestBodyStart,
  requestFirstHeader,
  requestHasGraphql,
  requestHasMultipart,
  requestHeaderCount,
  requestMethodEnd,
  requestMethodStart,
  requestSingleTextBody,
  requestTextParts,
  templateEnd,
  templateStart,
} from './tableQueries';

/** Checks of request `request`'s method. */
export function checkMethod(list: ProblemList, document: HttpDocument, request: number): void {
  const { text, tables } = document;
  const methodStart = requestMethodStart(tables, request);
  if (methodStart === -1) return;
  const methodEnd = requestMethodEnd(tables, request);
  const method = text.slice(methodStart, methodEnd);
  if (isKnownMethod(method)) return;
  const span = { start: methodStart, end: methodEnd };
  const suggestion = suggestMethod(method);
  if (suggestion !== undefined) {
    add(list, span, Code.MethodUnknown, 'warning', `Unknown method '${method}'. Did you mean ${suggestion}?`, { suggestion });
  } else {
    add(list, span, Code.MethodUnknown, 'information', `Unknown method '${method}': servers may reject it.`);
  }
}

export function checkHeaders(list: ProblemList, document: HttpDocument, request: number): void {
  const { text, tables } = document;
  const firstHeader = requestFirstHeader(tables, request);
  const headerCount = requestHeaderCount(tables, request);
  if (headerCount === 0) return;
  const end = firstHeader + headerCount;
  const webSocket = opensWebSocketAt(text, requestMethodStart(tables, request), requestMethodEnd(tables, request));
  for (let index = firstHeader; index < end; index++) {
    const nameStart = headerNameStart(tables, index);
    const nameEnd = headerNameEnd(tables, index);
    if (!headerHasColon(tables, index) || nameEnd === nameStart) continue;
    if (equalsIgnoringCaseAt(text, nameStart, nameEnd, 'content-length')) {
      add(list, headerSpan(tables, index), Code.ContentLengthComputed, 'hint', 'Courier computes Content-Length from the body; remove this header so it never disagrees.', { unnecessary: true });
    }
    if (webSocket) checkHandshakeHeader(list, text, headerSpan(tables, index), nameStart, nameEnd);
    const isContentType = equalsIgnoringCaseAt(text, nameStart, nameEnd, 'content-type');
    // Requests have a handful of headers: a scan back finds the first of a name without a map or lower-cased copies.
    const first = firstHeaderNamedLike(document, firstHeader, index, nameStart, nameEnd);
    if (first !== -1) {
      const name = text.slice(nameStart, nameEnd);
      const firstStart = headerNameStart(tables, first);
      const firstEnd = headerNameEnd(tables, first);
      const firstValue = isContentType ? headerValue(document, first) : '';
      if (isContentType && normalizedContentType(firstValue) !== normalizedContentType(headerValue(document, index))) {
        add(list, { start: nameStart, end: nameEnd }, Code.ContentTypeConflict, 'warning', `A second Content-Type that disagrees with the first: Courier and most servers read the first ('${firstValue.trim()}'). Keep one.`, {
          related: { start: firstStart, end: firstEnd, message: `the ${text.slice(firstStart, firstEnd)} that counts` },
        });
      } else if (isSingleValuedHeader(name)) {
        add(list, { start: nameStart, end: nameEnd }, Code.HeaderDuplicate, 'warning', `${name} may appear only once per request: servers reject or ignore the repeat. Keep one.`, {
          related: { start: firstStart, end: firstEnd, message: `first ${text.slice(firstStart, firstEnd)}` },
        });
      }
    }
    if (isContentType) {
      const value = headerValue(document, index);
      if (/^\s*multipart\//i.test(value) && !/;\s*boundary\s*=/i.test(value)) {
        const written = boundaryInBody(document, request);
        const example = `${mediaType(value)}; boundary=${written ?? '----CourierBoundary'}`;
        const message = `Multipart Content-Type needs a boundary parameter matching the body's '--' lines, e.g. '${example}'.`;
        add(list, headerValueSpan(tables, index), Code.MultipartNoBoundary, 'error', message, written === undefined ? {} : { suggestion: `${value.trim()}; boundary=${written}` });
      }
    }
    // A value folded over continuation lines is left to the engine: its offsets are not one span.
    if (equalsIgnoringCaseAt(text, nameStart, nameEnd, 'authorization') && headerValueCount(tables, index) === 1) checkAwsAuthorization(list, text, headerValueSpan(tables, index));
  }
}

/** The headers of a WebSocket handshake that its client writes itself: a value written here is replaced. */
const handshakeHeaders: readonly string[] = ['upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version'];

/** A header of a WebSocket request that the handshake writes itself (a hint, like Content-Length). */
function checkHandshakeHeader(list: ProblemList, text: string, span: { readonly start: number; readonly end: number }, nameStart: number, nameEnd: number): void {
  if (!handshakeHeaders.some((name) => equalsIgnoringCaseAt(text, nameStart, nameEnd, name))) return;
  const name = text.slice(nameStart, nameEnd);
  add(list, span, Code.HeaderWebSocketHandshake, 'hint', `The WebSocket client writes ${name} itself for the handshake: the value written here is not sent. Remove this header.`, { unnecessary: true });
}

const webSocketMethods: readonly string[] = WEBSOCKET_METHODS.map((method) => method.toLowerCase());

/** Whether the method at `[start, end)` (-1: none) opens a WebSocket (`opensWebSocket`, compared in place: every request asks). */
export function opensWebSocketAt(text: string, start: number, end: number): boolean {
  if (start === -1) return false;
  for (const method of webSocketMethods) if (equalsIgnoringCaseAt(text, start, end, method)) return true;
  return false;
}

/** `AWS <accessKeyId> <secretKey> [token:] [region:] [service:]`: what the engine would refuse to sign, where it is. */
function checkAwsAuthorization(list: ProblemList, text: string, span: { readonly start: number; readonly end: number }): void {
  const value = text.slice(span.start, span.end);
  if (!isAwsAuthorization(value)) return;
  // `AWS {{credentials}}` may expand to both keys: only what is written is judged.
  const hasReferences = value.includes('{{');
  for (const problem of parseAwsAuthorization(value).problems) {
    if (problem.kind === 'missing-credentials' && hasReferences) continue;
    const code = problem.kind === 'unknown-option' ? Code.AwsAuthorizationUnknownOption : Code.AwsAuthorizationInvalid;
    add(list, { start: span.start + problem.start, end: span.start + problem.end }, code, 'error', problem.message, problem.suggestion === undefined ? {} : { suggestion: problem.suggestion });
  }
}

/** A Content-Type value as compared for a conflict: `application/json; charset=utf-8` and `Application/JSON;charset=UTF-8` agree. */
function normalizedContentType(value: string): string {
  return value.toLowerCase().replace(/\s+/g, '');
}

/** The header of request `request` that gives its Content-Type (see contentType.ts), or -1. */
export function contentTypeHeader(document: HttpDocument, request: number): number {
  const first = requestFirstHeader(document.tables, request);
  const index = contentTypeHeaderIndex(requestHeaderCount(document.tables, request), (header) => headerIsNamed(document, first + header, 'content-type'));
  return index === -1 ? -1 : first + index;
}

/** Scratch for `boundaryInBody`. */
const textParts: number[] = [];

/** The boundary the body's first `--boundary` line uses, if it has one. */
function boundaryInBody(document: HttpDocument, request: number): string | undefined {
  const { text, tables } = document;
  const count = requestTextParts(tables, request, textParts);
  for (let index = 0; index < count; index++) {
    const template = textParts[index];
    const match = /^--([^\s]+?)(?:--)?[ \t]*$/m.exec(text.slice(templateStart(tables, template), templateEnd(tables, template)));
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function isJsonMediaType(type: string): boolean {
  return type === 'application/json' || type.endsWith('+json');
}

/** Why the messages of a request that sends them are JSON (a gRPC call's always are), or undefined when they are text. */
function messagesJson(document: HttpDocument, request: number, method: string): string | undefined {
  if (method === 'GRPC') return 'a gRPC message is JSON';
  const contentType = contentTypeHeader(document, request);
  if (contentType === -1) return undefined;
  const type = bodyMediaType(headerValue(document, contentType));
  return isJsonMediaType(type) ? `Content-Type is ${type}` : undefined;
}

/** `mediaType(contentType)`, without its three copies for the usual `application/json[;...]`: every body with a Content-Type asks. */
function bodyMediaType(contentType: string): string {
  const json = 'application/json';
  if (contentType.startsWith(json) && (contentType.length === json.length || contentType.charCodeAt(json.length) === 0x3b /* ; */)) return json;
  return mediaType(contentType);
}

export function checkBody(list: ProblemList, document: HttpDocument, request: number): void {
  const { text, tables } = document;
  const bodyStart = requestBodyStart(tables, request);
  if (bodyStart === -1) return;
  const method = methodNameAt(document, request).toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    add(list, { start: bodyStart, end: requestBodyEnd(tables, request) }, Code.BodyOnGetOrHead, 'warning', `A ${method} request with a body: many servers and proxies drop or reject it. Use POST, or move the data into the query string.`);
  } else if (method === 'SSE') {
    add(list, { start: bodyStart, end: requestBodyEnd(tables, request) }, Code.BodyOnGetOrHead, 'warning', 'An SSE request with a body: the event stream is opened with a GET, which sends none. To stream the answer to a body, POST it: Courier shows a text/event-stream answer live.');
  }
  if (sendsMessageScript(method)) {
    checkMessageScript(list, document, request, messagesJson(document, request, method));
    return;
  }
  checkStraySeparators(list, document, request, method);
  if (requestHasGraphql(tables, request) || requestHasMultipart(tables, request)) return;
  const contentType = contentTypeHeader(document, request);
  if (contentType === -1) return;
  const type = bodyMediaType(headerValue(document, contentType));
  if (!isJsonMediaType(type)) return;
  const template = requestSingleTextBody(tables, request);
  if (template === -1) return;
  const start = templateStart(tables, template);
  const error = findJsonError(text.slice(start, templateEnd(tables, template)), { allowTemplates: true });
  if (error === undefined) return;
  const errorStart = start + error.start;
  add(list, { start: errorStart, end: Math.max(start + error.end, errorStart) }, Code.BodyInvalidJson, 'warning', `Invalid JSON body (Content-Type is ${type}): ${error.message}`);
}
