// Checks of a request's target: a host to send to, a URL that parses once variables are
// expanded, and a scheme Courier can send to (see data/urlSchemes.ts).

import { Code } from './codes';
import { unsupportedSchemeMessage } from './data/urlSchemes';
import { add, type ProblemList } from './diagnosticsProblems';
import { type DocumentScope, hasPlainWebOrigin, resolvedVariable } from './diagnosticsScope';
import { urlProblem } from './diagnosticsUrl';
import { isReferenceableName } from './references';
import { startsWithScheme } from './scanner';
import type { HttpDocument } from './syntax';
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
  // Most targets are `{{baseUrl}}/...`: when that value alone is a plain web URL up to its path,
  // the whole target is one or does not resolve; either way there is nothing to report, and no
  // URL to build (about -5 ms a pass over 20,000 requests).
  const leading = count === 1 ? leadingVariableOfLine(document, first) : leadingVariable(targetText);
  if (leading !== undefined && hasPlainWebOrigin(leading, scope)) return;
  const path = count === 1 ? expandLine(document, first, scope) : scope.expander.expand(targetText);
  if (path === undefined) return;
  // `{{base}}/x` only shows its form once substituted.
  const hasReferences = referenceCount(tables, first, count) > 0;
  const substitutedForm = !hasReferences ? form : startsWithScheme(path) ? TargetForm.absolute : path.startsWith('/') ? TargetForm.origin : TargetForm.other;
  let url: string;
  if (substitutedForm === TargetForm.absolute) url = path;
  else if (substitutedForm === TargetForm.origin) {
    const hostValue = host === -1 ? undefined : expandHeaderValue(document, host, scope);
    if (hostValue === undefined) return;
    url = `http://${hostValue}${path}`;
  } else url = `http://${path}`;
  const method = methodNameAt(document, request);
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
  add(list, written ? { start: span.start, end: span.start + schemeLength } : span, Code.UrlSchemeUnsupported, 'error', `${shown}: ${unsupportedSchemeMessage(problem.protocol, method)}`);
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
