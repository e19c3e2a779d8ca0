// Diagnostics: the parser's problems plus the semantic checks a request needs before it
// can be sent (methods, URLs, headers, bodies, variables, files), with their quick fixes.
//
// Most checks depend only on one block's text and on a few document-wide facts (variable and
// request names, environment values). Those are cached per block text, so re-diagnosing a large
// document after a keystroke redoes only the edited block.

import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, DiagnosticTag, Range, TextEdit } from 'vscode-languageserver-types';
import { Code } from './codes';
import type { FeatureContext } from './context';
import { lookupDirective, suggestDirective } from './data/directives';
import { isSingleValuedHeader } from './data/headers';
import { isKnownMethod, suggestMethod } from './data/methods';
import { isSystemVariable } from './data/systemVariables';
import { parseJson } from './jsonTree';
import { blockReferences, offsetToPosition } from './positions';
import type { Block, BodyPart, Header, HttpDocument, Request, Severity, Span, Template, VariableReference } from './syntax';

/** What a quick fix needs, carried in `Diagnostic.data`. */
export interface DiagnosticFixData {
  /** The replacement a "did you mean" fix writes over the diagnostic's range. */
  readonly suggestion?: string;
}

/** A problem in offsets relative to its block's start, so it survives edits elsewhere. */
interface BlockProblem {
  readonly start: number;
  readonly end: number;
  readonly code: Code | string;
  readonly message: string;
  readonly severity: Severity;
  readonly unnecessary?: boolean;
  readonly suggestion?: string;
  /** Another place the message refers to (a header's first occurrence), relative like the problem. */
  readonly related?: { readonly start: number; readonly end: number; readonly message: string };
}

/** Reuses the problems of blocks whose text and document-wide facts did not change. */
export class DiagnosticsCache {
  private entries = new Map<string, readonly BlockProblem[]>();
  private nextEntries: Map<string, readonly BlockProblem[]> | undefined;
  private scopeKey = '';
  private environments: FeatureContext['environments'] | undefined;

  /** Problems for `block`, computed at most once per block text and scope. */
  blockProblems(text: string, block: Block, scope: DocumentScope): readonly BlockProblem[] {
    const key = text.slice(block.start, block.end);
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.nextEntries?.set(key, cached);
      return cached;
    }
    const problems = checkBlock(block, scope);
    this.nextEntries?.set(key, problems);
    return problems;
  }

  /** Starts a pass; entries of the last pass survive only while their scope is unchanged. */
  begin(scope: DocumentScope, environments: FeatureContext['environments']): void {
    if (scope.key !== this.scopeKey || environments !== this.environments) this.entries = new Map();
    this.scopeKey = scope.key;
    this.environments = environments;
    this.nextEntries = new Map();
  }

  /** Ends a pass, dropping entries for blocks that no longer exist. */
  end(): void {
    if (this.nextEntries !== undefined) this.entries = this.nextEntries;
    this.nextEntries = undefined;
  }
}

/** Facts about the whole document and its environments that a block's checks may consult. */
interface DocumentScope {
  readonly key: string;
  readonly fileVariables: ReadonlyMap<string, string>;
  readonly requestNames: ReadonlySet<string>;
  readonly environments: FeatureContext['environments'];
}

function documentScope(context: FeatureContext): DocumentScope {
  const fileVariables = new Map<string, string>();
  for (const variable of context.document.variables) fileVariables.set(variable.name.text, variable.value.text);
  const requestNames = new Set<string>();
  for (const request of context.document.requests) if (request.name !== undefined) requestNames.add(request.name.text);
  const key = JSON.stringify([[...fileVariables], [...requestNames]]);
  return { key, fileVariables, requestNames, environments: context.environments };
}

/** Every problem in the document, as LSP diagnostics with stable codes and `source: 'courier'`. */
export function diagnose(context: FeatureContext, cache: DiagnosticsCache = new DiagnosticsCache()): Diagnostic[] {
  const { document } = context;
  const diagnostics: Diagnostic[] = [];
  for (const problem of document.problems) diagnostics.push(toDiagnostic(context, problem, 0));

  const scope = documentScope(context);
  cache.begin(scope, context.environments);
  for (const block of document.blocks) {
    for (const problem of cache.blockProblems(document.text, block, scope)) diagnostics.push(toDiagnostic(context, problem, block.start));
    for (const problem of missingFiles(context, block)) diagnostics.push(toDiagnostic(context, problem, 0));
  }
  cache.end();
  return diagnostics;
}

function toDiagnostic(context: FeatureContext, problem: Omit<BlockProblem, 'code'> & { readonly code: string }, base: number): Diagnostic {
  const range = spanRange(context.document, base + problem.start, base + problem.end);
  const diagnostic = Diagnostic.create(range, problem.message, severities[problem.severity], problem.code, 'courier');
  if (problem.unnecessary === true) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (problem.suggestion !== undefined) diagnostic.data = { suggestion: problem.suggestion } satisfies DiagnosticFixData;
  if (problem.related !== undefined) {
    const location = { uri: context.uri, range: spanRange(context.document, base + problem.related.start, base + problem.related.end) };
    diagnostic.relatedInformation = [{ location, message: problem.related.message }];
  }
  return diagnostic;
}

function spanRange(document: HttpDocument, start: number, end: number): Range {
  return Range.create(offsetToPosition(document, start), offsetToPosition(document, end));
}

const severities: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Collects problems with offsets relative to the block's start. */
class ProblemList {
  readonly problems: BlockProblem[] = [];
  constructor(private readonly base: number) {}

  add(span: Span, code: Code, severity: Severity, message: string, extra: { readonly unnecessary?: boolean; readonly suggestion?: string; readonly related?: Span & { readonly message: string } } = {}): void {
    const related = extra.related === undefined ? undefined : { start: extra.related.start - this.base, end: extra.related.end - this.base, message: extra.related.message };
    this.problems.push({ start: span.start - this.base, end: span.end - this.base, code, severity, message, ...extra, related });
  }
}

function checkBlock(block: Block, scope: DocumentScope): readonly BlockProblem[] {
  const list = new ProblemList(block.start);
  for (const directive of block.directives) {
    if (lookupDirective(directive.name.text) !== undefined) continue;
    const suggestion = suggestDirective(directive.name.text);
    const hint = suggestion === undefined ? 'Courier ignores it.' : `Did you mean @${suggestion}?`;
    list.add(directive.name, Code.DirectiveUnknown, 'hint', `Unknown directive @${directive.name.text}. ${hint}`, suggestion === undefined ? {} : { suggestion });
  }
  const prompts = new Set<string>();
  for (const directive of block.directives) {
    if (directive.name.text !== 'prompt' || directive.value === undefined) continue;
    const name = directive.value.text.split(/\s/, 1)[0];
    if (name !== undefined && name !== '') prompts.add(name);
  }
  for (const reference of blockReferences(block)) checkReference(list, reference, scope, prompts);
  if (block.request !== undefined) checkRequest(list, block.request, scope);
  return list.problems;
}

function checkReference(list: ProblemList, reference: VariableReference, scope: DocumentScope, prompts: ReadonlySet<string>): void {
  if (!reference.terminated) return;
  const target = reference.target;
  switch (target.kind) {
    case 'variable':
      if (scope.fileVariables.has(target.name) || scope.environments.variables.has(target.name) || prompts.has(target.name)) return;
      list.add(reference.expressionSpan, Code.VariableUndefined, 'warning', undefinedVariableMessage(target.name, scope));
      return;
    case 'system':
      if (isSystemVariable(target.name)) return;
      list.add(reference.expressionSpan, Code.VariableUndefined, 'warning', `Unknown system variable $${target.name}: see the completion list after {{$ for the supported ones.`);
      return;
    case 'request':
      if (scope.requestNames.has(target.requestName)) return;
      list.add(target.requestNameSpan, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file: name one with '# @name ${target.requestName}' or '### ${target.requestName}'.`);
      return;
    case 'invalid':
      return;
  }
}

function undefinedVariableMessage(name: string, scope: DocumentScope): string {
  const where = scope.environments.active === undefined ? 'an env file' : `environment '${scope.environments.active}'`;
  return `Variable '${name}' is not defined: add '@${name} = value' to this file, define it in ${where}, or ask for it with '# @prompt ${name}'.`;
}

function checkRequest(list: ProblemList, request: Request, scope: DocumentScope): void {
  if (request.method !== undefined && !isKnownMethod(request.method.text)) {
    const suggestion = suggestMethod(request.method.text);
    if (suggestion !== undefined) {
      list.add(request.method, Code.MethodUnknown, 'warning', `Unknown method '${request.method.text}'. Did you mean ${suggestion}?`, { suggestion });
    } else {
      list.add(request.method, Code.MethodUnknown, 'information', `Unknown method '${request.method.text}': servers may reject it.`);
    }
  }
  checkHeaders(list, request.headers);
  checkTarget(list, request, scope);
  checkBody(list, request);
}

function checkHeaders(list: ProblemList, headers: readonly Header[]): void {
  const seen = new Map<string, Header>();
  for (const header of headers) {
    if (header.colon === undefined || header.name.text === '') continue;
    const lower = header.name.text.toLowerCase();
    if (lower === 'content-length') {
      list.add(header, Code.ContentLengthComputed, 'hint', 'Courier computes Content-Length from the body; remove this header so it never disagrees.', { unnecessary: true });
    }
    const first = seen.get(lower);
    if (first !== undefined && isSingleValuedHeader(header.name.text)) {
      list.add(header.name, Code.HeaderDuplicate, 'warning', `${header.name.text} may appear only once per request: servers reject or ignore the repeat. Keep one.`, {
        related: { start: first.name.start, end: first.name.end, message: `first ${first.name.text}` },
      });
    }
    if (first === undefined) seen.set(lower, header);
    if (lower === 'content-type') {
      const value = header.value.text;
      if (/^\s*multipart\//i.test(value) && !/;\s*boundary\s*=/i.test(value)) {
        list.add(header.value, Code.MultipartNoBoundary, 'error', `Multipart Content-Type needs a boundary parameter, e.g. '${mediaType(value)}; boundary=----CourierBoundary', matching the '--' lines of the body.`);
      }
    }
  }
}

function findHeader(request: Request, lowerName: string): Header | undefined {
  return request.headers.find((header) => header.colon !== undefined && header.name.text.toLowerCase() === lowerName);
}

function mediaType(contentType: string): string {
  return (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
}

function checkTarget(list: ProblemList, request: Request, scope: DocumentScope): void {
  const target = request.target;
  if (target.text === '' || target.form === 'asterisk') return;
  const host = findHeader(request, 'host');
  if (target.form === 'origin' && host === undefined) {
    list.add(target, Code.HostMissing, 'warning', `'${target.text}' has no host: add a 'Host: example.com' header or write the absolute URL.`);
    return;
  }
  const path = substitute(target, scope);
  if (path === undefined) return;
  let url: string;
  if (target.form === 'absolute') url = path;
  else if (target.form === 'origin') {
    const hostValue = host === undefined ? undefined : substitute(host.value, scope);
    if (hostValue === undefined) return;
    url = `http://${hostValue}${path}`;
  } else url = `http://${path}`;
  let problem: string | undefined;
  try {
    const parsed = new URL(url);
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol)) problem = `unsupported scheme '${parsed.protocol}' (use http or https)`;
  } catch {
    problem = 'not a valid URL';
  }
  if (problem !== undefined) {
    const shown = path === target.text ? `'${target.text}'` : `'${target.text}' (= '${path}')`;
    list.add(target, Code.UrlInvalid, 'error', `${shown} is ${problem}; check the scheme, host and port.`);
  }
}

/** The template's text with known variables substituted; undefined when any reference cannot be resolved here. */
function substitute(template: Template, scope: DocumentScope, depth = 0): string | undefined {
  if (template.references.length === 0) return template.text;
  return substituteText(template.text, scope, depth);
}

function substituteText(text: string, scope: DocumentScope, depth: number): string | undefined {
  if (depth > 8) return undefined;
  let unresolved = false;
  const result = text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_match, name: string) => {
    const value = scope.fileVariables.get(name) ?? scope.environments.variables.get(name)?.value;
    const resolved = value === undefined ? undefined : substituteText(value, scope, depth + 1);
    if (resolved === undefined) unresolved = true;
    return resolved ?? '';
  });
  return unresolved || result.includes('{{') ? undefined : result;
}

function checkBody(list: ProblemList, request: Request): void {
  const body = request.body;
  if (body === undefined || body.parts.length === 0) return;
  const method = request.methodName.toUpperCase();
  if (method === 'GET' || method === 'HEAD') {
    list.add(body, Code.BodyOnGetOrHead, 'warning', `A ${method} request with a body: many servers and proxies drop or reject it. Use POST, or move the data into the query string.`);
  }
  const contentType = findHeader(request, 'content-type');
  if (contentType === undefined || body.graphql !== undefined || body.multipart !== undefined) return;
  const type = mediaType(contentType.value.text);
  if (type !== 'application/json' && !type.endsWith('+json')) return;
  if (body.parts.length !== 1 || body.parts[0]?.kind !== 'text') return;
  const text = body.parts[0].text;
  const { error } = parseJson(text.text, { allowTemplates: true });
  if (error === undefined) return;
  const start = text.start + error.start;
  list.add({ start, end: Math.max(text.start + error.end, start) }, Code.BodyInvalidJson, 'warning', `Invalid JSON body (Content-Type is ${type}): ${error.message}`);
}

/** Files named in bodies and handlers that do not exist; never cached, the file system changes. */
function missingFiles(context: FeatureContext, block: Block): BlockProblem[] {
  const request = block.request;
  if (request?.body === undefined && (request?.handlers.length ?? 0) === 0) return [];
  const problems: BlockProblem[] = [];
  const check = (path: Template | { readonly text: string; readonly start: number; readonly end: number; readonly references?: undefined }, what: string): void => {
    const name = path.text.trim();
    if (name === '' || (path.references?.length ?? 0) > 0) return;
    if (context.host.fileExists(context.uri, name)) return;
    problems.push({ start: path.start, end: path.end, code: Code.FileMissing, severity: 'warning', message: `${what} '${name}' does not exist (paths are relative to this file's folder).` });
  };
  const checkParts = (parts: readonly BodyPart[]): void => {
    for (const part of parts) if (part.kind === 'file') check(part.path, 'Body file');
  };
  if (request?.body !== undefined) {
    checkParts(request.body.parts);
    for (const part of request.body.multipart?.parts ?? []) checkParts(part.content);
  }
  for (const handler of request?.handlers ?? []) if (handler.kind === 'file') check(handler.path, 'Response handler');
  return problems;
}

/** Quick fixes for the given diagnostics: "did you mean" replacements and removing a needless Content-Length. */
export function codeActions(context: FeatureContext, _range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const suggestion = (diagnostic.data as DiagnosticFixData | undefined)?.suggestion;
    if ((diagnostic.code === Code.MethodUnknown || diagnostic.code === Code.DirectiveUnknown) && typeof suggestion === 'string') {
      const action = CodeAction.create(`Change to '${suggestion}'`, { changes: { [context.uri]: [TextEdit.replace(diagnostic.range, suggestion)] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    if (diagnostic.code === Code.ContentLengthComputed) {
      const line = diagnostic.range.start.line;
      const action = CodeAction.create('Remove Content-Length header', { changes: { [context.uri]: [TextEdit.del(Range.create(line, 0, line + 1, 0))] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
  }
  return actions;
}
