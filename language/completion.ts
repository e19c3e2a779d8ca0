// Completion: what may be typed at an offset, decided from the syntax tree (which
// request, which section) and the text of the current line (what is being typed).
//
// Every item carries a `textEdit` that replaces the whole word under the cursor, so
// accepting an item in the middle of a word does not leave half of the old one behind.

import {
  type Command,
  type CompletionItem,
  CompletionItemKind,
  type CompletionList,
  InsertTextFormat,
  MarkupKind,
  Range,
  TextEdit,
} from 'vscode-languageserver-types';
import { configuredAuth } from './authTokens';
import { AWS_AUTHORIZATION_OPTION_HELP, AWS_AUTHORIZATION_OPTIONS, isAwsAuthorization } from './awsAuthorization';
import { assertionCompletions, scriptCompletions } from './completionScripts';
import { hasScriptBlocks, scriptBlocksIn } from './httpYacScripts';
import type { FeatureContext, KnownVariable } from './context';
import { KNOWN_DIRECTIVES } from './data/directives';
import { compositionCompletions } from './composition';
import { grpcCompletions } from './grpcRequests';
import { headerValues } from './data/headerValues';
import { type HeaderInfo, headerMarkdown, KNOWN_HEADERS, lookupHeader } from './data/headers';
import { KNOWN_METHODS, methodExample } from './data/methods';
import { SYSTEM_VARIABLES } from './data/systemVariables';
import { fileName, variableSourceLabel } from './variableSources';
import { type JsonNode, parseJson } from './jsonTree';
import { definedVariables, namedRequests, promptNames, requestLine, requestNamed } from './documentNames';
import { blockAt, lineAt, offsetToPosition } from './positions';
import { documentScripts, hasInlineScripts, type ScriptSetKind } from './scripts';
import { sendsMessageScript } from './streamScript';
import type { Block, Header, HttpDocument, MultipartPart, Request } from './syntax';

/** Characters after which the client should ask for completions without a keystroke on a word. */
export const COMPLETION_TRIGGER_CHARACTERS: readonly string[] = ['{', '.', '@', ':', ' ', '$', ',', '(', '"'];

/** Asks the editor to open the list again, after inserting a prefix such as `Accept: ` or `login.`. */
const retrigger: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]*$/;
const HEADER_NAME_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const METHOD_WORD = /^[A-Za-z]*$/;
/** A line of a message body that holds nothing but a separator being typed: ``, `=`, `===`, `=== wait-f`. */
const SEPARATOR_LINE = /^(?:={0,2}|===[ \t]*[a-z-]*)[ \t]*$/;

/** The completions at `offset` in the context's document. */
export function complete(context: FeatureContext, offset: number): CompletionList {
  const document = context.document;
  const at = Math.max(0, Math.min(offset, document.text.length));
  const line = lineAround(document, at);
  const prefix = document.text.slice(line.start, at);
  const items = compositionCompletions(context, at, prefix) ?? grpcCompletions(context, at) ?? completionsAt(context, at, line, prefix);
  return { isIncomplete: false, items };
}

/** One item per environment, for the environment picker; the active one is marked and listed first. */
export function environmentNameCompletions(context: FeatureContext): CompletionItem[] {
  const { names, active } = context.environments;
  return names.map((name, index) => ({
    label: name,
    kind: CompletionItemKind.EnumMember,
    detail: name === active ? 'active environment' : 'environment',
    sortText: `${name === active ? 0 : 1}${String(index).padStart(4, '0')}`,
  }));
}

interface Line {
  readonly start: number;
  /** Before the line break. */
  readonly end: number;
}

function completionsAt(context: FeatureContext, offset: number, line: Line, prefix: string): CompletionItem[] {
  const document = context.document;
  const block = blockAt(document, offset);
  const section = sectionAt(document, block, offset, line);
  if (section === 'separator') return [];
  if (section === 'script') return scriptCompletions(document, line, offset);
  if (insideScriptBlock(document, block, offset)) return scriptCompletions(document, line, offset, 'httpyac');

  const openBraces = unclosedReferenceStart(prefix);
  if (openBraces !== undefined) return referenceCompletions(context, block.request, line, line.start + openBraces + 2, offset);
  // `??` lines may stand anywhere in a request's block: above the request line, among the headers, after the body.
  if (/^\s*\?\?/.test(prefix)) return assertionCompletions(document, line, offset);

  switch (section) {
    case 'preamble': {
      const directive = /^(\s*(?:#|\/\/)\s*@)([\w-]*)$/.exec(prefix);
      if (directive !== null) return directiveCompletions(document, line, line.start + directive[1].length, offset);
      return METHOD_WORD.test(prefix.trimStart()) ? methodCompletions(document, line, offset) : [];
    }
    case 'request-line':
      return METHOD_WORD.test(prefix.trimStart()) ? methodCompletions(document, line, offset) : [];
    case 'headers': {
      const request = block.request;
      return request === undefined ? [] : headerCompletions(document, request.headers, REQUEST_HEADERS, line, prefix, offset);
    }
    case 'body': {
      if (startsNextRequest(document, line, prefix)) return methodCompletions(document, line, offset);
      if (block.request !== undefined && sendsMessageScript(block.request.methodName) && SEPARATOR_LINE.test(document.text.slice(line.start, line.end))) return separatorCompletions(document, line);
      const part = multipartPartHeadersAt(document, block.request, line);
      return part === undefined ? [] : headerCompletions(document, part.headers, PART_HEADERS, line, prefix, offset);
    }
    default:
      return [];
  }
}

/**
 * Whether the word being typed may start the next request: capitals at column 0 after a blank
 * line, where a request line follows a request without `###` (the parser's `nextRequestStart`).
 */
function startsNextRequest(document: HttpDocument, line: Line, prefix: string): boolean {
  if (!/^[A-Z][A-Z-]*$/.test(prefix)) return false;
  const index = lineAt(document.lineStarts, line.start);
  if (index === 0) return false;
  const previousStart = document.lineStarts[index - 1];
  return document.text.slice(previousStart, line.start).trim() === '';
}

// ---------------------------------------------------------------------------
// Where the offset is

type Section = 'preamble' | 'separator' | 'request-line' | 'target' | 'headers' | 'body' | 'script' | 'after';

function lineAround(document: HttpDocument, offset: number): Line {
  const index = lineAt(document.lineStarts, offset);
  const start = document.lineStarts[index];
  let end = index + 1 < document.lineStarts.length ? document.lineStarts[index + 1] : document.text.length;
  while (end > start && (document.text[end - 1] === '\n' || document.text[end - 1] === '\r')) end--;
  return { start, end };
}

/** Whether `offset` is in the script lines of one of the block's httpYac `{{` blocks. */
function insideScriptBlock(document: HttpDocument, block: Block, offset: number): boolean {
  if (!hasScriptBlocks(document)) return false;
  return scriptBlocksIn(document, block.start, block.end).some((script) => offset >= script.script.start && offset <= script.script.end);
}

/** Which part of its block the offset is in; the header section ends at the first blank line. */
function sectionAt(document: HttpDocument, block: Block, offset: number, line: Line): Section {
  if (block.separator !== undefined && offset >= block.separator.start && offset <= block.separator.end) return 'separator';
  const request = block.request;
  for (const script of request?.preRequestScripts ?? []) {
    if (script.kind === 'script' && offset >= script.script.start && offset <= script.script.end) return 'script';
  }
  if (request === undefined || offset < request.start) return 'preamble';
  for (const handler of request.handlers) {
    if (handler.kind === 'script' && offset > handler.start && (offset < handler.end || !handler.terminated)) return 'script';
    if (offset >= handler.start) return 'after';
  }
  if (request.outputRedirect !== undefined && offset >= request.outputRedirect.start) return 'after';
  if (block.pastedResponse !== undefined && offset >= block.pastedResponse.start) return 'after';
  if (offset <= request.requestLineEnd) return 'request-line';
  if (request.body !== undefined && offset >= request.body.start) return 'body';
  const text = document.text;
  const targetEnd = Math.max(request.requestLineEnd, request.target.end);
  if (line.start <= targetEnd) return 'target';
  // Any blank line between the request line and this one ends the headers.
  const between = text.slice(targetEnd, line.start).split(/\r\n|\r|\n/).slice(1, -1);
  return between.some((row) => row.trim() === '') ? 'body' : 'headers';
}

// ---------------------------------------------------------------------------
// Methods, directives, headers

function methodCompletions(document: HttpDocument, line: Line, offset: number): CompletionItem[] {
  const text = document.text;
  const start = line.start + (text.slice(line.start, offset).length - text.slice(line.start, offset).trimStart().length);
  const letters = wordEnd(text, offset, line.end, /[A-Za-z]/);
  // Letters running into `://` or `/` belong to a target written without a method (`|https://x`).
  const end = letters === line.end || /\s/.test(text[letters]) ? letters : offset;
  // Keep exactly one space between the method and whatever follows it.
  const separated = end < line.end && /\s/.test(text[end]);
  const range = rangeOf(document, start, end);
  return KNOWN_METHODS.map((method, index) => ({
    label: method.name,
    kind: CompletionItemKind.Keyword,
    detail: method.description,
    documentation: markdown(`${method.description}${exampleMarkdown(methodExample(method.name))}\n\n[Specification](${method.spec})`),
    sortText: order(index),
    textEdit: TextEdit.replace(range, separated ? method.name : `${method.name} `),
  }));
}

function exampleMarkdown(example: string | undefined): string {
  return example === undefined ? '' : `\n\n\`\`\`http\n${example}\n\`\`\``;
}

/** The message separators of a WebSocket or gRPC body, on a line that holds nothing else: each replaces the line, so `=== wait|` keeps no half word. */
function separatorCompletions(document: HttpDocument, line: Line): CompletionItem[] {
  const range = rangeOf(document, line.start, line.end);
  return [
    {
      label: '===',
      kind: CompletionItemKind.Keyword,
      detail: 'message separator',
      documentation: markdown('Ends a message: the text above it is sent as one message, the text below it as the next.'),
      sortText: order(0),
      textEdit: TextEdit.replace(range, '==='),
    },
    {
      label: '=== wait-for-server',
      kind: CompletionItemKind.Keyword,
      detail: 'message separator: wait for the server',
      documentation: markdown('Ends a message, and waits for the server to send one more message before the next one is sent. Repeat the line to wait for several.'),
      sortText: order(1),
      filterText: '=== wait-for-server',
      textEdit: TextEdit.replace(range, '=== wait-for-server'),
    },
  ];
}

function directiveCompletions(document: HttpDocument, line: Line, start: number, offset: number): CompletionItem[] {
  const text = document.text;
  const end = wordEnd(text, offset, line.end, /[\w-]/);
  const hasValue = text.slice(end, line.end).trim() !== '';
  return KNOWN_DIRECTIVES.map((directive, index) => {
    const snippet = !hasValue && directive.snippet !== directive.name;
    return {
      label: directive.name,
      kind: CompletionItemKind.Keyword,
      detail: directive.valueSyntax === '' ? `@${directive.name}` : `@${directive.name} ${directive.valueSyntax}`,
      documentation: markdown(`${directive.description}\n\n\`\`\`http\n${directive.example}\n\`\`\``),
      sortText: order(index),
      insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      textEdit: TextEdit.replace(rangeOf(document, start, end), snippet ? directive.snippet : directive.name),
    };
  });
}

const REQUEST_HEADERS: readonly HeaderInfo[] = KNOWN_HEADERS.filter((header) => header.usage !== 'response');
// RFC 7578 §4.8: a form-data part carries only these.
const PART_HEADERS: readonly HeaderInfo[] = ['Content-Disposition', 'Content-Type'].map((name) => lookupHeader(name)).filter((header) => header !== undefined);

/** Header names while typing a name, that header's values after its colon. */
function headerCompletions(document: HttpDocument, present: readonly Header[], candidates: readonly HeaderInfo[], line: Line, prefix: string, offset: number): CompletionItem[] {
  const colon = prefix.indexOf(':');
  if (colon === -1) return HEADER_NAME.test(prefix) ? headerNameCompletions(document, present, candidates, line, offset) : [];
  const name = prefix.slice(0, colon).trim();
  return HEADER_NAME.test(name) ? headerValueCompletions(document, name, line, line.start + colon + 1, offset) : [];
}

/** The multipart part whose header lines (from its start to its first blank line) hold `line`. */
function multipartPartHeadersAt(document: HttpDocument, request: Request | undefined, line: Line): MultipartPart | undefined {
  const part = request?.body?.multipart?.parts.findLast((candidate) => candidate.start <= line.start);
  // A part ends before its trailing line break, where the next header is typed; a `--` line is a boundary.
  if (part === undefined || document.text.startsWith('--', line.start)) return undefined;
  const before = document.text.slice(part.start, line.start).split(/\r\n|\r|\n/).slice(0, -1);
  return before.some((row) => row.trim() === '') ? undefined : part;
}

function headerNameCompletions(document: HttpDocument, headers: readonly Header[], candidates: readonly HeaderInfo[], line: Line, offset: number): CompletionItem[] {
  const text = document.text;
  const end = wordEnd(text, offset, line.end, HEADER_NAME_CHAR);
  // Completing the name of an existing `Name: value` line must keep its colon and value.
  const hasColon = /^\s*:/.test(text.slice(end, line.end));
  const present = new Set(headers.filter((header) => header.start !== line.start).map((header) => header.name.text.toLowerCase()));
  const items: CompletionItem[] = [];
  candidates.forEach((header, index) => {
    if (header.singleValued && present.has(header.name.toLowerCase())) return;
    items.push({
      label: header.name,
      kind: CompletionItemKind.Field,
      detail: header.singleValued ? 'header (once per request)' : 'header',
      documentation: markdown(headerMarkdown(header)),
      sortText: order(index),
      textEdit: TextEdit.replace(rangeOf(document, line.start, end), hasColon ? header.name : `${header.name}: `),
      ...(hasColon || headerValues(header.name) === undefined ? {} : { command: retrigger }),
    });
  });
  return items;
}

function headerValueCompletions(document: HttpDocument, headerName: string, line: Line, valueStart: number, offset: number): CompletionItem[] {
  const values = headerValues(headerName);
  if (values === undefined) return [];
  const text = document.text;
  const typed = text.slice(valueStart, offset);
  // In a list (`Accept: a, b`) each item completes on its own.
  const itemOffset = values.list ? typed.lastIndexOf(',') + 1 : 0;
  const leading = typed.slice(itemOffset).length - typed.slice(itemOffset).trimStart().length;
  const start = valueStart + itemOffset + leading;
  const item = text.slice(start, offset);
  // Past the first word (`Bearer |`, `application/json; |`) the value is the user's own, but for the options of an AWS value.
  if (/[\s;]/.test(item)) return headerName.trim().toLowerCase() === 'authorization' ? awsOptionCompletions(document, line, valueStart, offset) : [];
  const end = wordEnd(text, offset, line.end, /[^\s,;]/);
  const range = rangeOf(document, start, end);
  return values.values.map((value, index) => ({
    label: value.value,
    kind: CompletionItemKind.Value,
    detail: `${headerName} value`,
    documentation: markdown(value.description),
    sortText: order(index),
    filterText: value.value,
    insertTextFormat: value.snippet === undefined ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
    textEdit: TextEdit.replace(range, value.snippet ?? value.value),
  }));
}

/** After `AWS <accessKeyId> <secretKey> `: the options not written yet (`token:`, `region:`, `service:`). */
function awsOptionCompletions(document: HttpDocument, line: Line, valueStart: number, offset: number): CompletionItem[] {
  const text = document.text;
  const typed = text.slice(valueStart, offset);
  if (!isAwsAuthorization(typed)) return [];
  const wordStart = valueStart + Math.max(typed.lastIndexOf(' '), typed.lastIndexOf('\t')) + 1;
  // The scheme and both keys come first; a word with a colon is an option's value being typed.
  if (typed.slice(0, wordStart - valueStart).trim().split(/\s+/).length < 3 || text.slice(wordStart, offset).includes(':')) return [];
  const written = new Set([...text.slice(valueStart, line.end).matchAll(/(?:^|\s)([A-Za-z]+):/g)].map((match) => (match[1] ?? '').toLowerCase()));
  const range = rangeOf(document, wordStart, wordEnd(text, offset, line.end, /\S/));
  return AWS_AUTHORIZATION_OPTIONS.filter((option) => !written.has(option)).map((option, index) => ({
    label: `${option}:`,
    kind: CompletionItemKind.Property,
    detail: 'AWS Signature V4 option',
    documentation: markdown(AWS_AUTHORIZATION_OPTION_HELP[option].description),
    sortText: order(index),
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: TextEdit.replace(range, `${option}:\${1:${AWS_AUTHORIZATION_OPTION_HELP[option].placeholder}}`),
  }));
}

// ---------------------------------------------------------------------------
// `{{ ... }}`

/** Index of the last `{{` in `prefix` that no `}}` closes, or undefined. */
function unclosedReferenceStart(prefix: string): number | undefined {
  const open = prefix.lastIndexOf('{{');
  if (open === -1 || prefix.indexOf('}}', open + 2) !== -1) return undefined;
  return open;
}

function referenceCompletions(context: FeatureContext, current: Request | undefined, line: Line, afterBraces: number, offset: number): CompletionItem[] {
  const document = context.document;
  const text = document.text;
  const leading = text.slice(afterBraces, offset).length - text.slice(afterBraces, offset).trimStart().length;
  const expressionStart = afterBraces + leading;
  const typed = text.slice(expressionStart, offset);
  const auth = /^\$auth\.(?:token|idToken)\(\s*(["']?)([^"')]*)$/.exec(typed);
  if (auth !== null) return authIdCompletions(context, line, offset, auth[1], auth[2]);
  // After the name of a system variable come its arguments, which are the user's own.
  if (/\s/.test(typed)) return [];
  const end = wordEnd(text, offset, line.end, /[^\s{}]/);
  const closed = /^\s*\}\}/.test(text.slice(end, line.end));
  // Thousands of items share a few ranges: compute each once.
  const ranges = new Map<number, Range>();
  const edit = (start: number, insert: string, partial: boolean, snippet = false): Pick<CompletionItem, 'textEdit' | 'insertTextFormat' | 'command'> => {
    const body = snippet ? insert : escapeSnippet(insert);
    const newText = closed ? body : partial ? `${body}$0}}` : `${body}}}`;
    let range = ranges.get(start);
    if (range === undefined) {
      range = rangeOf(document, start, end);
      ranges.set(start, range);
    }
    return {
      textEdit: TextEdit.replace(range, newText),
      insertTextFormat: InsertTextFormat.Snippet,
      ...(partial ? { command: retrigger } : {}),
    };
  };

  const path = /^([^.$]+)\.(response|request)\.(body|headers)\.(.*)$/.exec(typed);
  if (path !== null) {
    const pathStart = offset - path[4].length;
    if (path[3] === 'headers') {
      return KNOWN_HEADERS.filter((header) => (path[2] === 'response' ? header.usage !== 'request' : header.usage !== 'response')).map((header, index) => ({
        label: header.name,
        kind: CompletionItemKind.Field,
        detail: `${path[2]} header`,
        documentation: markdown(headerMarkdown(header)),
        sortText: order(index),
        ...edit(pathStart, header.name, false),
      }));
    }
    const member = /^\$((?:\.[^.\s[\]]+)*)\.([^.\s[\]]*)$/.exec(path[4]);
    if (member !== null) {
      // Only the request body is known before sending: complete its JSON keys.
      if (path[2] !== 'request') return [];
      const named = requestNamed(document, path[1]);
      const request = named === undefined ? undefined : blockAt(document, named.start).request;
      const keys = request === undefined ? [] : jsonKeysAt(request, member[1].split('.').slice(1));
      return keys.map((key, index) => ({
        label: key.name,
        kind: CompletionItemKind.Property,
        detail: `${key.kind} in the body of ${path[1]}`,
        sortText: order(index),
        ...edit(offset - member[2].length, key.name, false),
      }));
    }
    return [
      { label: '$.', kind: CompletionItemKind.Operator, detail: 'JSONPath into a JSON body', documentation: markdown(`A JSONPath from the root, e.g. \`{{${path[1]}.${path[2]}.body.$.data.id}}\`.`), sortText: order(0), ...edit(pathStart, '$.', true) },
      { label: '*', kind: CompletionItemKind.Operator, detail: 'the whole body', documentation: markdown('The entire body, as text.'), sortText: order(1), ...edit(pathStart, '*', false) },
      { label: '//', kind: CompletionItemKind.Operator, detail: 'XPath into an XML body', documentation: markdown(`An XPath expression, e.g. \`{{${path[1]}.${path[2]}.body.//id}}\`.`), sortText: order(2), ...edit(pathStart, '//', true) },
    ];
  }

  const part = /^([^.$]+)\.(response|request)\.([A-Za-z]*)$/.exec(typed);
  if (part !== null) {
    const partStart = offset - part[3].length;
    return [
      { label: 'body', kind: CompletionItemKind.Property, detail: `the ${part[2]} body`, documentation: markdown(`\`${part[1]}.${part[2]}.body.$.path\` (JSONPath), \`.body.//path\` (XPath) or \`.body.*\` (all of it).`), sortText: order(0), ...edit(partStart, 'body.', true) },
      { label: 'headers', kind: CompletionItemKind.Property, detail: `the ${part[2]} headers`, documentation: markdown(`\`${part[1]}.${part[2]}.headers.Name\`: the value of one header.`), sortText: order(1), ...edit(partStart, 'headers.', true) },
    ];
  }

  const source = /^([^.$]+)\.([A-Za-z]*)$/.exec(typed);
  if (source !== null) {
    if (requestNamed(document, source[1]) === undefined) return [];
    const sourceStart = offset - source[2].length;
    return [
      { label: 'response', kind: CompletionItemKind.Property, detail: `the last response of ${source[1]}`, documentation: markdown(`Sent first if it has no response yet.`), sortText: order(0), ...edit(sourceStart, 'response.', true) },
      { label: 'request', kind: CompletionItemKind.Property, detail: `the request ${source[1]} sent`, documentation: markdown('As sent, with its variables substituted.'), sortText: order(1), ...edit(sourceStart, 'request.', true) },
    ];
  }

  if (!/^[\w$.-]*$/.test(typed)) return [];
  const items: CompletionItem[] = [];
  // Listed where first defined, with the value of the last definition, which wins when sent.
  const fileVariables = new Map(definedVariables(document).map((variable) => [variable.name, variable]));
  for (const variable of fileVariables.values()) {
    const lineNumber = offsetToPosition(document, variable.start).line + 1;
    items.push({
      label: variable.name,
      kind: CompletionItemKind.Variable,
      detail: `file variable = ${variable.value}`,
      documentation: markdown(`Defined in this file, line ${lineNumber}:\n\n\`\`\`http\n@${variable.name} = ${variable.value}\n\`\`\``),
      sortText: `1${variable.name}`,
      ...edit(expressionStart, variable.name, false),
    });
  }
  for (const variable of context.environments.variables.values()) {
    if (fileVariables.has(variable.name)) continue;
    items.push({
      label: variable.name,
      kind: CompletionItemKind.Variable,
      detail: `${variableSourceLabel(variable)} = ${displayedValue(variable)}`,
      documentation: markdown(environmentVariableDocumentation(variable)),
      sortText: `2${variable.name}`,
      ...edit(expressionStart, variable.name, false),
    });
  }
  for (const name of promptNames(document)) {
    if (fileVariables.has(name) || context.environments.variables.has(name)) continue;
    items.push({
      label: name,
      kind: CompletionItemKind.Variable,
      detail: 'prompt: asked before sending',
      documentation: markdown(`Declared with \`# @prompt ${name}\`: Courier asks for its value when the request is sent.`),
      sortText: `3${name}`,
      ...edit(expressionStart, name, false),
    });
  }
  // Globals scripts set (this file's, then the workspace's), and what this request's own scripts set.
  const listed = new Set([...fileVariables.keys(), ...context.environments.variables.keys(), ...promptNames(document)]);
  for (const script of scriptSetNames(context, current)) {
    if (listed.has(script.name)) continue;
    listed.add(script.name);
    items.push({
      label: script.name,
      kind: CompletionItemKind.Variable,
      detail: `${script.kind === 'global' ? 'global' : script.kind === 'export' ? 'exported' : 'request variable'} set by a script at ${script.where}`,
      documentation: markdown(`Set by \`${script.kind === 'global' ? 'client.global.set' : script.kind === 'export' ? 'exports.' + script.name + ' =' : 'request.variables.set'}${script.kind === 'export' ? '' : `("${script.name}", ...)`}\` at \`${script.where}\`: its value is known once that script has run.`),
      sortText: `3${script.name}`,
      ...edit(expressionStart, script.name, false),
    });
  }
  for (const request of namedRequests(document)) {
    const name = request.name;
    if (request.start === current?.start) continue;
    const lineNumber = offsetToPosition(document, request.start).line + 1;
    items.push({
      label: name,
      kind: CompletionItemKind.Reference,
      detail: `request: ${requestLine(document, request.index)}`,
      documentation: markdown(`The request named \`${name}\` (line ${lineNumber}). Read its response, e.g. \`{{${name}.response.body.$.id}}\`.`),
      sortText: `4${name}`,
      ...edit(expressionStart, `${name}.`, true),
    });
  }
  for (const token of AUTH_TOKEN_VARIABLES) {
    items.push({
      label: token.name,
      kind: CompletionItemKind.Function,
      detail: `system variable: ${token.name}("id")`,
      documentation: markdown(token.description),
      sortText: `5${token.name}`,
      filterText: token.name,
      // The ids come next: the list opens again inside the quotes.
      ...edit(expressionStart, `\\${token.name}("$1")`, false, true),
      command: retrigger,
    });
  }
  for (const variable of SYSTEM_VARIABLES) {
    items.push({
      label: variable.name,
      kind: CompletionItemKind.Function,
      detail: variable.argumentSyntax === '' ? 'system variable' : `system variable: ${variable.name} ${variable.argumentSyntax}`,
      documentation: markdown(`${variable.description}\n\nExample: \`${variable.example}\``),
      sortText: `5${variable.name}`,
      filterText: variable.name,
      ...edit(expressionStart, variable.snippet, false, true),
    });
  }
  return items;
}

/** JetBrains' OAuth token variables, which name a configuration of the env file rather than take arguments. */
const AUTH_TOKEN_VARIABLES: readonly { readonly name: string; readonly description: string }[] = [
  { name: '$auth.token', description: 'The OAuth 2.0 access token of an auth configuration of the env file (`"Security": { "Auth": { "id": { ... } } }`), obtained when the request is sent: `{{$auth.token("id")}}`.' },
  { name: '$auth.idToken', description: 'The OpenID Connect ID token of an auth configuration of the env file, obtained when the request is sent: `{{$auth.idToken("id")}}`.' },
];

/**
 * The configured ids inside `$auth.token(` and `$auth.idToken(`: the active environment's, or
 * every environment's when none is active. Each item writes the id, its quotes and the `)` and
 * `}}` that are not there yet.
 */
function authIdCompletions(context: FeatureContext, line: Line, offset: number, quote: string, typedId: string): CompletionItem[] {
  const document = context.document;
  const text = document.text;
  const start = offset - typedId.length;
  let end = wordEnd(text, offset, line.end, /[^"'(){}\s]/);
  const closingQuote = quote === '' ? '"' : quote;
  if (text[end] === closingQuote) end++;
  if (text[end] === ')') end++;
  const closed = /^\s*\}\}/.test(text.slice(end, line.end));
  const range = rangeOf(document, start, end);
  const active = context.environments.active;
  return configuredAuth(context.environments).map((configured, index) => ({
    label: configured.id,
    kind: CompletionItemKind.Value,
    detail: configured.grantType ?? 'auth configuration',
    documentation: markdown(`Auth configuration \`${configured.id}\` of ${active === undefined ? `environment${configured.environments.length === 1 ? '' : 's'} ${configured.environments.map((name) => `\`${name}\``).join(', ')}` : `environment \`${active}\``}.`),
    sortText: order(index),
    filterText: configured.id,
    textEdit: TextEdit.replace(range, `${quote === '' ? closingQuote : ''}${configured.id}${closingQuote})${closed ? '' : '}}'}`),
  }));
}

/** Names scripts set that `{{name}}` may read here: this file's globals and the current request's variables, then other files' globals. */
function scriptSetNames(context: FeatureContext, current: Request | undefined): { readonly name: string; readonly kind: ScriptSetKind; readonly where: string }[] {
  const { document } = context;
  const found: { name: string; kind: ScriptSetKind; where: string }[] = [];
  if (hasInlineScripts(document)) {
    const block = current === undefined ? undefined : blockAt(document, current.start);
    const inCurrent = (offset: number): boolean => block !== undefined && offset >= block.start && offset < block.end;
    for (const set of documentScripts(document).sets) {
      if (set.kind === 'request' && !inCurrent(set.start)) continue;
      found.push({ name: set.name, kind: set.kind, where: `${fileName(context.uri)}:${offsetToPosition(document, set.start).line + 1}` });
    }
  }
  for (const global of context.environments.scriptGlobals?.values() ?? []) found.push({ name: global.name, kind: 'global', where: `${fileName(global.uri)}:${global.line + 1}` });
  return found;
}

/** The keys of the JSON object at `segments` in the request's inline body, in written order. */
function jsonKeysAt(request: Request, segments: readonly string[]): { readonly name: string; readonly kind: string }[] {
  const text = request.body?.parts.find((part) => part.kind === 'text');
  if (text?.kind !== 'text') return [];
  let node: JsonNode | undefined = parseJson(text.text.text, { allowTemplates: true }).root;
  for (const segment of segments) {
    node = node?.kind === 'object' ? node.properties.find((property) => property.key.value === segment)?.value : undefined;
  }
  if (node?.kind !== 'object') return [];
  return node.properties.map((property) => ({ name: property.key.value, kind: property.value.kind === 'template' ? 'variable' : property.value.kind }));
}

/** Private values stay out of a list that opens while typing; hover shows them on request. */
function displayedValue(variable: KnownVariable): string {
  if (variable.value === undefined) return '(asked when sent)';
  return variable.source === 'private-environment' ? '••••••' : variable.value;
}

function environmentVariableDocumentation(variable: KnownVariable): string {
  const where = variable.location === undefined ? '' : `\n\nDefined in \`${fileName(variable.location.uri)}\`.`;
  const value = variable.source === 'private-environment' ? 'Value hidden (private environment file); hover the reference to see it.' : `\`\`\`\n${variable.value ?? ''}\n\`\`\``;
  return `**${variable.name}** from the ${variableSourceLabel(variable)}${where}\n\n${value}`;
}

// ---------------------------------------------------------------------------
// Small shared pieces

/** The offset where the word containing `offset` ends, `wordCharacter` deciding what belongs to it. */
function wordEnd(text: string, offset: number, lineEnd: number, wordCharacter: RegExp): number {
  let end = offset;
  while (end < lineEnd && wordCharacter.test(text[end])) end++;
  return end;
}

function rangeOf(document: HttpDocument, start: number, end: number): Range {
  return Range.create(offsetToPosition(document, start), offsetToPosition(document, end));
}

function markdown(value: string): { kind: typeof MarkupKind.Markdown; value: string } {
  return { kind: MarkupKind.Markdown, value };
}

/** A sort key that keeps the data tables' order (most used first). */
function order(index: number): string {
  return String(index).padStart(5, '0');
}

/** Escapes text so a snippet inserts it literally. */
function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (character) => `\\${character}`);
}
