// Hover: what the thing under the cursor is and where its value comes from, for
// references (`{{...}}`), header names, authorization schemes, methods, directives and the
// `===` lines that separate the messages of a WebSocket or gRPC request.

import { type Hover, MarkupKind, Range } from 'vscode-languageserver-types';
import { memberChainBefore } from './completionScripts';
import type { FeatureContext } from './context';
import { compositionHover } from './composition';
import { grpcHover } from './grpcRequests';
import { lookupDirective } from './data/directives';
import { headerValues } from './data/headerValues';
import { headerMarkdown, lookupHeader } from './data/headers';
import { lookupMethod, methodExample } from './data/methods';
import { scriptApiMarkdown, scriptApiMember, type ScriptApiDialect } from './data/scriptApi';
import { hasScriptBlocks, scriptBlocksIn } from './httpYacScripts';
import { authTokenMarkdown } from './authTokens';
import { dateFormatReading, isOAuthTokenVariable, lookupSystemVariable } from './data/systemVariables';
import { Expander } from './expander';
import { definedVariables, promptNames, requestLine, requestNamed, variableDefinitions } from './documentNames';
import { blockAt, lineAt, offsetToPosition, referenceAt } from './positions';
import { documentScripts, hasInlineScripts, type ScriptSetKind } from './scripts';
import { isMessageSeparator, sendsMessageScript } from './streamScript';
import { fileName, variableSourceLabel } from './variableSources';
import type { Header, HttpDocument, ReferenceTarget, Request, Span, VariableReference } from './syntax';

/** The hover at `offset`, or null when there is nothing to explain there. */
/** Which reading Courier took of a request line that follows another request without `###`. */
const unseparatedRequestNote =
  'This request line starts a new request without `###`, as httpYac reads a request line that follows a request. ' +
  'REST Client and JetBrains need `###` between requests and would send this line as part of the previous one: add `###` above it to be read the same by every tool.';

export function hover(context: FeatureContext, offset: number): Hover | null {
  const document = context.document;
  const composed = compositionHover(context, offset);
  if (composed !== undefined) return answer(document, composed.span, composed.markdown);
  const reference = referenceAt(document, offset);
  if (reference !== undefined) return answer(document, reference, referenceMarkdown(context, reference));
  const grpc = grpcHover(context, offset);
  if (grpc !== undefined) return grpc;

  const block = blockAt(document, offset);
  for (const directive of block.directives) {
    if (!inside(directive.name, offset)) continue;
    const known = lookupDirective(directive.name.text);
    if (known === undefined) return null;
    const syntax = known.valueSyntax === '' ? `@${known.name}` : `@${known.name} ${known.valueSyntax}`;
    return answer(document, directive.name, `**${syntax}**\n\n${known.description}\n\n\`\`\`http\n${known.example}\n\`\`\``);
  }

  if (hasScriptBlocks(document) && scriptBlocksIn(document, block.start, block.end).some((script) => offset >= script.script.start && offset <= script.script.end)) return scriptHover(document, offset, 'httpyac');
  const request = block.request;
  if (request === undefined) return null;
  const script = [...request.preRequestScripts, ...request.handlers].find((handler) => handler.kind === 'script' && offset >= handler.script.start && offset <= handler.script.end);
  if (script !== undefined) return scriptHover(document, offset);
  if (request.method !== undefined && inside(request.method, offset)) {
    const method = lookupMethod(request.method.text);
    // Only the first block starts at 0 without `###`: a later one was split off by its request line.
    const unseparated = block.separator === undefined && block.start > 0 ? `\n\n${unseparatedRequestNote}` : '';
    if (method === undefined) return null;
    const example = methodExample(method.name);
    return answer(document, request.method, `**${method.name}**\n\n${method.description}${example === undefined ? '' : `\n\n${codeBlock(example, 'http')}`}\n\n[Specification](${method.spec})${unseparated}`);
  }
  const separator = separatorHover(document, request, offset);
  if (separator !== null) return separator;
  const header = headersOf(request).find((candidate) => inside(candidate.name, offset));
  if (header !== undefined) {
    const known = lookupHeader(header.name.text);
    return known === undefined ? null : answer(document, header.name, headerMarkdown(known));
  }
  const valued = headersOf(request).find((candidate) => inside(candidate.value, offset));
  return valued === undefined ? null : schemeHover(document, valued, offset);
}

/** A `===` or `=== wait-for-server` line of the body under the cursor: what it does in this request. */
function separatorHover(document: HttpDocument, request: Request, offset: number): Hover | null {
  const body = request.body;
  if (body === undefined || offset < body.start || offset > body.end) return null;
  const index = lineAt(document.lineStarts, offset);
  const start = document.lineStarts[index];
  let end = start;
  while (end < document.text.length && document.text[end] !== '\n' && document.text[end] !== '\r') end++;
  const line = document.text.slice(start, end);
  if (!isMessageSeparator(line)) return null;
  const waits = line.includes('wait-for-server');
  const syntax = waits ? '=== wait-for-server' : '===';
  if (!sendsMessageScript(request.methodName)) {
    return answer(document, { start, end }, `**${syntax}**\n\nSent as body text: only a WebSocket request (\`WEBSOCKET\`, \`WS\`) or a streaming gRPC call (\`GRPC\`) reads \`===\` lines as separators between the messages of its body.`);
  }
  const what = waits
    ? 'Ends a message, and waits for the server to send one more message before the next one is sent. Repeat the line to wait for several.'
    : 'Ends a message: the text above it is sent as one message, the text below it as the next.';
  const example = waits ? '{"text": "first"}\n=== wait-for-server\n{"text": "sent once the server has answered"}' : '{"text": "first"}\n===\n{"text": "second"}';
  return answer(document, { start, end }, `**${syntax}**\n\n${what}\n\n${codeBlock(example, 'http')}`);
}

/** The scheme of an `Authorization` value (`Basic`, `AWS`, ...) under the cursor, as completion describes it. */
function schemeHover(document: HttpDocument, header: Header, offset: number): Hover | null {
  const name = header.name.text.toLowerCase();
  if (name !== 'authorization' && name !== 'proxy-authorization') return null;
  const scheme = /^\S+/.exec(header.value.text)?.[0];
  if (scheme === undefined || scheme.includes('{{')) return null;
  const span = { start: header.value.start, end: header.value.start + scheme.length };
  if (!inside(span, offset)) return null;
  const known = headerValues(name)?.values.find((candidate) => candidate.value.toLowerCase() === scheme.toLowerCase());
  if (known === undefined) return null;
  return answer(document, span, `**${known.value}**\n\n${known.description}${known.usage === undefined ? '' : `\n\n${codeBlock(`${header.name.text}: ${known.usage}`)}`}`);
}

function referenceMarkdown(context: FeatureContext, reference: VariableReference): string {
  const target: ReferenceTarget = reference.target;
  switch (target.kind) {
    case 'variable':
      return variableMarkdown(context, target.name);
    case 'system': {
      const known = lookupSystemVariable(target.name);
      if (known === undefined) return isOAuthTokenVariable(target.name) ? authTokenMarkdown(context.environments, target, reference.expression) : `\`${target.name}\` is not a system variable Courier knows.`;
      const syntax = known.argumentSyntax === '' ? known.name : `${known.name} ${known.argumentSyntax}`;
      const reading = dateFormatReading(reference.expression);
      return `**${syntax}** (system variable)\n\n${known.description}\n\nExample: \`${known.example}\`${reading === undefined ? '' : `\n\n${reading}`}`;
    }
    case 'request':
      return requestReferenceMarkdown(context.document, target);
    case 'invalid':
      return `\`{{${reference.expression}}}\` is not a valid reference: write a name like \`{{host}}\`, \`{{$uuid}}\` or \`{{login.response.body.$.token}}\`.`;
  }
}

function variableMarkdown(context: FeatureContext, name: string): string {
  const document = context.document;
  const definitions = variableDefinitions(document, name);
  const environment = context.environments.variables.get(name);
  const definition = definitions.at(-1);
  if (definition !== undefined) {
    const line = offsetToPosition(document, definition.start).line + 1;
    const overrides = definitions.length > 1 ? `\n\nOverrides ${definitions.length - 1} earlier definition${definitions.length > 2 ? 's' : ''} in this file.` : '';
    const shadows = environment === undefined ? '' : `\n\nTakes precedence over the value from the ${variableSourceLabel(environment)}.`;
    return `**${name}** (file variable, line ${line})\n\n${codeBlock(definition.value)}${resolution(context, name, definition.value)}${overrides}${shadows}`;
  }
  if (environment !== undefined) {
    const where = environment.location === undefined ? '' : ` in \`${fileName(environment.location.uri)}\``;
    const value = environment.value === undefined ? 'Asked for when the request is sent.' : codeBlock(environment.value) + resolution(context, name, environment.value);
    return `**${name}** (${variableSourceLabel(environment)}${where})\n\n${value}`;
  }
  const setter = scriptSetter(context, name);
  if (setter !== undefined) {
    const what = setter.kind === 'global' ? 'global' : setter.kind === 'export' ? 'exported by an httpYac script' : 'request variable';
    return `**${name}** (${what}, set by a script at \`${setter.where}\`)\n\nIts value is what the script sets when it runs${setter.kind === 'request' ? '' : ': send that request first'}.`;
  }
  if (promptNames(document).includes(name)) return `**${name}** (prompt)\n\nDeclared with \`# @prompt ${name}\`: asked for when the request is sent.`;
  const active = context.environments.active;
  const scope = active === undefined ? 'in this file or any environment' : `in this file or the ${active} environment`;
  return `**${name}** is not defined ${scope}. Define it with \`@${name} = value\` or in \`http-client.env.json\`.`;
}

/** `file:line` of the first script that sets `name` with `client.global.set` or `request.variables.set`: this file's, else another of the workspace's. */
function scriptSetter(context: FeatureContext, name: string): { readonly where: string; readonly kind: ScriptSetKind } | undefined {
  const { document } = context;
  if (hasInlineScripts(document)) {
    const sets = documentScripts(document).sets.filter((candidate) => candidate.name === name);
    const set = sets.find((candidate) => candidate.kind === 'global') ?? sets[0];
    if (set !== undefined) return { where: `${fileName(context.uri)}:${offsetToPosition(document, set.start).line + 1}`, kind: set.kind };
  }
  const global = context.environments.scriptGlobals?.get(name);
  return global === undefined ? undefined : { where: `${fileName(global.uri)}:${global.line + 1}`, kind: 'global' };
}

/** The scripting API member under the cursor in a script, with its signature and what it does. */
function scriptHover(document: HttpDocument, offset: number, dialect: ScriptApiDialect = 'jetbrains'): Hover | null {
  const { text } = document;
  let start = offset;
  while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[\w$]/.test(text[end])) end++;
  if (start === end) return null;
  const lineStart = document.lineStarts[lineAt(document.lineStarts, offset)];
  const chain = memberChainBefore(text.slice(lineStart, end));
  const member = chain === undefined ? undefined : scriptApiMember([...chain.path, chain.word], dialect);
  return member === undefined ? null : answer(document, { start, end }, scriptApiMarkdown(member));
}

/** A hover is read at a glance; longer values are cut. */
const MAX_RESOLVED_LENGTH = 2000;

/** "Resolves to" when `value` refers to other file or environment variables; empty otherwise. */
function resolution(context: FeatureContext, name: string, value: string): string {
  // The last definition of each name wins, as when sent.
  const fileValues = new Map(definedVariables(context.document).map((variable) => [variable.name, variable.value]));
  // The engine's expander, so what is shown is what is sent. System variables, request values,
  // prompts, unknown names and cycles stay as written: their values exist only when a request is sent.
  const expander = new Expander(
    {
      variable: (variable) => (variable === name ? value : (fileValues.get(variable) ?? context.environments.variables.get(variable)?.value)),
      system: () => undefined,
      request: () => undefined,
    },
    { unresolved: 'keep' },
  );
  const resolved = expander.variable(name) ?? value;
  if (resolved === value) return '';
  const shown = resolved.length > MAX_RESOLVED_LENGTH ? `${resolved.slice(0, MAX_RESOLVED_LENGTH)}…` : resolved;
  return `\n\nResolves to:\n\n${codeBlock(shown)}`;
}

function requestReferenceMarkdown(document: HttpDocument, target: Extract<ReferenceTarget, { kind: 'request' }>): string {
  const source = requestNamed(document, target.requestName);
  const what = `${target.source} ${target.part === 'body' ? 'body' : 'header'}`;
  const path = target.part === 'headers' ? `\`${target.path}\`` : bodyPathDescription(target.path);
  if (source === undefined) return `Reads the ${what} ${path} of request \`${target.requestName}\`, but no request in this file is named \`${target.requestName}\`: add \`# @name ${target.requestName}\` above it.`;
  const line = offsetToPosition(document, source.start).line + 1;
  const timing = target.source === 'response' ? '\n\nIf it has no response yet, Courier sends it first.' : '';
  return `Reads the **${what}** ${path} of request \`${target.requestName}\` (line ${line}):\n\n${codeBlock(requestLine(document, source.index))}${timing}`;
}

function bodyPathDescription(path: string): string {
  if (path === '*') return '(all of it)';
  if (path.startsWith('$')) return `at JSONPath \`${path}\``;
  if (path.startsWith('/')) return `at XPath \`${path}\``;
  return `at \`${path}\``;
}

/** The request's headers and those of its multipart parts. */
function headersOf(request: Request): readonly Header[] {
  const parts = request.body?.multipart?.parts ?? [];
  return parts.length === 0 ? request.headers : [...request.headers, ...parts.flatMap((part) => part.headers)];
}

function inside(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end && span.end > span.start;
}

function codeBlock(text: string, language = ''): string {
  const fence = text.includes('```') ? '````' : '```';
  return `${fence}${language}\n${text}\n${fence}`;
}

function answer(document: HttpDocument, span: Span, value: string): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: Range.create(offsetToPosition(document, span.start), offsetToPosition(document, span.end)),
  };
}
