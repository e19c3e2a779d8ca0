// Checks of a request's target: a host to send to, a URL that parses once variables are
// expanded, a scheme Courier can send to, and one that fits the method (`GET ws://` needs
// WEBSOCKET, `WEBSOCKET https://` a ws:// URL: see data/urlSchemes.ts). A gRPC target is no URL.

import { Code } from './codes';
import { opensWebSocket, sendableScheme, type UrlScheme, unsupportedSchemeMessage } from './data/urlSchemes';
import { add, type ProblemList } from './diagnosticsProblems';
import { type DocumentScope, hasPlainWebOrigin, resolvedVariable } from './diagnosticsScope';
import { opensWebSocketAt } from './diagnosticsRequest';
import { urlProblem } from './diagnosticsUrl';
import { isGrpcTargetProblem, parseGrpcTarget } from './grpcTarget';
import { isReferenceableName } from './references';
import { equalsIgnoringCaseAt, startsWithScheme } from './scanner';
import type { HttpDocument, Span } from './syntax';
import { methodNameAt, TargetForm, targetTextAt } from './syntaxTables';
import {
  findHeader,
  headerFirstValue,
  headerValue,
  headerValueCount,
  referenceCount,
  refEnd,
  refStart,
  refTarget,
  refTerminated,
  requestFirstTarget,
  requestHasGraphql,
  requestMethodEnd,
  requestMethodStart,
  requestTargetCount,
  requestTargetForm,
  requestTargetSpan,
  templateEnd,
  templateFirstRef,
  templateRefCount,
  templateStart,
} from './tableQueries';

export function checkTarget(list: ProblemList, document: HttpDocument, request: number, scope: DocumentScope): void {
  const { tables } = document;
  const first = requestFirstTarget(tables, request);
  const count = requestTargetCount(tables, request);
  const form = requestTargetForm(tables, request);
  const span = requestTargetSpan(tables, request);
  // `host:port/package.Service/Method` is no URL: a gRPC target has checks of its own.
  if (methodIs(document, request, 'grpc')) {
    checkGrpcTarget(list, document, request, scope);
    return;
  }
  if ((count === 1 && span.start === span.end) || form === TargetForm.asterisk) return;
  const targetText = targetTextAt(document, request);
  if (targetText === '') return;
  const host = findHeader(document, request, 'host');
  if (form === TargetForm.origin && host === -1) {
    // httpYac sends `GET /path` to the `host` variable's origin: defined (or not expandable here), nothing to report.
    if (scope.fileVariables.has('host') || scope.environments.variables.has('host') || scope.scriptGlobals.has('host')) return;
    add(list, span, Code.HostMissing, 'warning', `'${targetText}' has no host: add a 'Host: example.com' header, define a host variable (@host = https://example.com, as httpYac reads it), or write the absolute URL.`);
    return;
  }
  if (form === TargetForm.absolute && opensWebSocketAt(document.text, requestMethodStart(tables, request), requestMethodEnd(tables, request))) checkWebSocketWrittenAsHttp(list, document, request, span);
  // Most targets are `{{baseUrl}}/...`: when that value alone is a plain web URL up to its path,
  // the whole target is one or does not resolve; either way there is nothing to report, and no
  // URL to build (about -5 ms a pass over 20,000 requests).
  const leading = count === 1 ? leadingVariableOfLine(document, first) : leadingVariable(targetText);
  if (leading !== undefined && hasPlainWebOrigin(leading, scope)) return;
  const path = count === 1 ? expandLine(document, first, scope) : scope.expander.expand(targetText);
  if (path === undefined) return;
  // The method a scheme is judged for: a GraphQL body goes to ws:// as a subscription whatever the method, as the engine sends it.
  const method = requestHasGraphql(tables, request) ? 'GRAPHQL' : methodNameAt(document, request);
  // `{{base}}/x` only shows its form once substituted.
  const hasReferences = referenceCount(tables, first, count) > 0;
  const substitutedForm = !hasReferences ? form : startsWithScheme(path) ? TargetForm.absolute : path.startsWith('/') ? TargetForm.origin : TargetForm.other;
  let url: string;
  if (substitutedForm === TargetForm.absolute) url = path;
  else if (substitutedForm === TargetForm.origin) {
    const hostValue = host === -1 ? undefined : expandHeaderValue(document, host, scope);
    if (hostValue === undefined) return;
    url = `http://${hostValue}${path}`;
    // `localhost:3000/x` goes to ws:// for a WebSocket, as the engine sends it.
  } else url = `${opensWebSocket(method) ? 'ws' : 'http'}://${path}`;
  const problem = urlProblem(url, scope.urlVerdicts, method);
  if (problem === undefined) return;
  const shown = path === targetText ? `'${targetText}'` : `'${targetText}' (= '${path}')`;
  if (problem.kind === 'invalid') {
    add(list, span, Code.UrlInvalid, 'error', `${shown} is not a valid URL; check the scheme, host and port.`);
    return;
  }
  // At the scheme when it is written in the target; a scheme that comes from a variable is the whole target's.
  const schemeLength = problem.protocol.length - 1;
  const written = form === TargetForm.absolute && document.text.slice(span.start, span.start + schemeLength).toLowerCase() === problem.protocol.slice(0, -1);
  const scheme = sendableScheme(problem.protocol);
  if (scheme !== undefined) {
    // Courier sends to this scheme, but not this method: which of the two to change depends on the method.
    checkSchemeFit(list, document, request, { method, scheme, shown, written, span, oneLine: count === 1 });
    return;
  }
  add(list, written ? { start: span.start, end: span.start + schemeLength } : span, Code.UrlSchemeUnsupported, 'error', `${shown}: ${unsupportedSchemeMessage(problem.protocol, method)}`);
}

/** What `checkSchemeFit` is told about a target whose scheme Courier sends to, but not with its method. */
interface SchemeMisfit {
  /** The method as judged (GRAPHQL for a GraphQL body). */
  readonly method: string;
  readonly scheme: UrlScheme;
  /** The target as written, and what it expands to when it holds variables, quoted for messages. */
  readonly shown: string;
  /** Whether the scheme is written at the target's start (else it comes from a variable). */
  readonly written: boolean;
  readonly span: Span;
  /** Whether the target is one line: a fix may rewrite it whole. */
  readonly oneLine: boolean;
}

/**
 * A WebSocket URL with a method that sends no WebSocket (`data/urlSchemes.ts`), with the fix that
 * makes them fit: `GET ws://` is meant as `WEBSOCKET ws://`, so the method changes; SSE reads an
 * event stream over HTTP, so its scheme does (TLS kept: wss becomes https).
 */
function checkSchemeFit(list: ProblemList, document: HttpDocument, request: number, misfit: SchemeMisfit): void {
  const { text, tables } = document;
  const { method, scheme, shown, written, span } = misfit;
  const upper = method.toUpperCase();
  if (upper === 'SSE') {
    const wanted = scheme.secure ? 'https' : 'http';
    // `wss://` as written, with its `://`, which the fix replaces whole.
    const schemeSpan = written && text.startsWith('://', span.start + scheme.name.length) ? { start: span.start, end: span.start + scheme.name.length + 3 } : undefined;
    const message = `${shown}: SSE reads an event stream over HTTP: write ${wanted}:// instead of ${scheme.name}://, or WEBSOCKET to open a WebSocket.`;
    add(list, schemeSpan ?? span, Code.UrlSchemeMethodMismatch, 'error', message, schemeSpan === undefined ? {} : { suggestion: `${wanted}://` });
    return;
  }
  const message = `${shown}: a WebSocket URL needs WEBSOCKET (or WS), or GRAPHQL for a subscription: ${upper} would send an HTTP request, which cannot go to ${scheme.name}://.`;
  const methodStart = requestMethodStart(tables, request);
  if (methodStart !== -1) {
    add(list, { start: methodStart, end: requestMethodEnd(tables, request) }, Code.UrlSchemeMethodMismatch, 'error', message, { suggestion: 'WEBSOCKET' });
  } else if (misfit.oneLine) {
    // No method written (GET implied): the fix writes one before the target.
    add(list, span, Code.UrlSchemeMethodMismatch, 'error', message, { suggestion: `WEBSOCKET ${text.slice(span.start, span.end)}` });
  } else add(list, span, Code.UrlSchemeMethodMismatch, 'error', message);
}

/**
 * `WEBSOCKET https://...` as written: the engine sends it as wss:// (as `{{baseUrl}}/socket` is
 * often written, which is not reported), so only a hint with the fix that writes what is sent.
 */
function checkWebSocketWrittenAsHttp(list: ProblemList, document: HttpDocument, request: number, span: Span): void {
  const { text, tables } = document;
  const secure = equalsIgnoringCaseAt(text, span.start, Math.min(span.end, span.start + 8), 'https://');
  if (!secure && !equalsIgnoringCaseAt(text, span.start, Math.min(span.end, span.start + 7), 'http://')) return;
  const written = secure ? 'https://' : 'http://';
  const sent = secure ? 'wss://' : 'ws://';
  const method = text.slice(requestMethodStart(tables, request), requestMethodEnd(tables, request));
  add(list, { start: span.start, end: span.start + written.length }, Code.UrlSchemeMethodMismatch, 'hint', `${method} opens a WebSocket: ${written} is sent as ${sent}. Write ${sent} to say so.`, { suggestion: sent });
}

/** Whether request `request`'s method is written and is `lower` in any case, as httpYac reads its forms (`grpc`). Compared in place: every request asks. */
function methodIs(document: HttpDocument, request: number, lower: string): boolean {
  const start = requestMethodStart(document.tables, request);
  return start !== -1 && equalsIgnoringCaseAt(document.text, start, requestMethodEnd(document.tables, request), lower);
}

/**
 * A `GRPC` target must read as `host:port/package.Service/Method`: reported at the part that does
 * not, or on the whole target when variables made it (then with what they expanded to).
 */
function checkGrpcTarget(list: ProblemList, document: HttpDocument, request: number, scope: DocumentScope): void {
  const { tables } = document;
  const span = requestTargetSpan(tables, request);
  const targetText = targetTextAt(document, request);
  if (targetText === '') return;
  const first = requestFirstTarget(tables, request);
  const count = requestTargetCount(tables, request);
  const hasReferences = referenceCount(tables, first, count) > 0;
  const expanded = !hasReferences ? targetText : count === 1 ? expandLine(document, first, scope) : undefined;
  if (expanded === undefined) return;
  const parsed = parseGrpcTarget(expanded);
  if (!isGrpcTargetProblem(parsed)) return;
  const exact = !hasReferences && count === 1 && document.text.startsWith(targetText, span.start);
  const at = exact ? { start: span.start + parsed.start, end: span.start + Math.max(parsed.end, parsed.start + 1) } : span;
  add(list, at, Code.GrpcInvalidTarget, 'error', hasReferences ? `'${targetText}' (= '${expanded}'): ${parsed.message}.` : `${parsed.message}.`);
}

/**
 * The variable whose value the one-line template `template` starts with, when its text starts
 * with a reference to one; undefined otherwise.
 */
function leadingVariableOfLine(document: HttpDocument, template: number): string | undefined {
  const { text, tables } = document;
  const start = templateStart(tables, template);
  if (!text.startsWith('{{', start) || templateEnd(tables, template) - start < 2 || templateRefCount(tables, template) === 0) return undefined;
  const ref = templateFirstRef(tables, template);
  const target = refTarget(tables, ref);
  return refStart(tables, ref) === start && refTerminated(tables, ref) && target.kind === 'variable' ? target.name : undefined;
}

/** `leadingVariableOfLine` for a text joined from several lines: a reference ends at the first `}}`, as the scanner reads it. */
function leadingVariable(text: string): string | undefined {
  if (!text.startsWith('{{')) return undefined;
  const close = text.indexOf('}}', 2);
  if (close === -1) return undefined;
  const name = text.slice(2, close).trim();
  return isReferenceableName(name) ? name : undefined;
}

/** The one-line template's text with file and environment variables expanded; undefined when any reference cannot be here. */
function expandLine(document: HttpDocument, template: number, scope: DocumentScope): string | undefined {
  const { text, tables } = document;
  const start = templateStart(tables, template);
  const end = templateEnd(tables, template);
  const firstRef = templateFirstRef(tables, template);
  const refCount = templateRefCount(tables, template);
  if (refCount === 0) return text.slice(start, end);
  // The text is its source, so references are spliced by offset, as `Expander.expandTemplate` does with a tree's template.
  let result = '';
  let from = start;
  for (let ref = firstRef; ref < firstRef + refCount; ref++) {
    const target = refTarget(tables, ref);
    if (target.kind !== 'variable' || !refTerminated(tables, ref)) return undefined;
    const value = resolvedVariable(target.name, scope);
    if (value === undefined) return undefined;
    result += text.slice(from, refStart(tables, ref)) + value;
    from = refEnd(tables, ref);
  }
  return result + text.slice(from, end);
}

/** Header `header`'s value with file and environment variables expanded; undefined when that is not possible here. */
function expandHeaderValue(document: HttpDocument, header: number, scope: DocumentScope): string | undefined {
  if (headerValueCount(document.tables, header) === 1) return expandLine(document, headerFirstValue(document.tables, header), scope);
  return scope.expander.expand(headerValue(document, header));
}
