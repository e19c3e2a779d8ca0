// What a document's inline scripts (`< {% %}` and `> {% %}`) tell the language service: their
// JavaScript syntax errors, and the names they set with `client.global.set("name", ...)` (globals,
// `{{name}}` in later requests) and `request.variables.set("name", ...)` (`{{name}}` in their own
// request). Read once per parse, and only for documents with scripts: the rest pay one pass over
// the handler rows.
//
// Scripts are parsed with acorn as QuickJS runs them: a script, not a module, where `return` and
// `await` may stand outside a function (the sandbox runs a script as a function body).

import { isLuaScript } from './luaScripts';
import type * as Acorn from 'acorn';
import type { HttpDocument, Span } from './syntax';
import { scriptBlockAt } from './httpYacScripts';
import { handlerContentEnd, handlerContentStart, handlerIsScript, handlerTerminated, requestFirstHandler, requestHandlerCount } from './tableQueries';

/** What sets a name: `global` `client.global.set` (or httpYac's `$global.name =`), `request` `request.variables.set`, `export` httpYac's `exports.name =`. */
export type ScriptSetKind = 'global' | 'request' | 'export';

/** A name a script sets with a literal, e.g. `client.global.set("token", ...)`. */
export interface ScriptSetName extends Span {
  readonly name: string;
  readonly kind: ScriptSetKind;
  /** The handler row (both phases) of the script that sets it; -1 for an httpYac `{{` block. */
  readonly handler: number;
  /** The row of the httpYac `{{` block that sets it; -1 for a handler. */
  readonly scriptBlock: number;
}

/** A JavaScript syntax error, in offsets into the document. */
export interface ScriptSyntaxError extends Span {
  readonly message: string;
  /** The handler row (both phases) of the script; -1 for an httpYac `{{` block. */
  readonly handler: number;
  /** The row of the httpYac `{{` block; -1 for a handler. */
  readonly scriptBlock: number;
}

/** `require(...)`, `process`, ... in an httpYac block: they need Node, which the sandbox does not have. */
export interface NodeOnlyUse extends Span {
  readonly name: string;
  readonly scriptBlock: number;
}

/** What a document's inline scripts set and where they do not parse. */
export interface DocumentScripts {
  readonly errors: readonly ScriptSyntaxError[];
  /** Names set with a literal, in document order. */
  readonly sets: readonly ScriptSetName[];
  /** Where the first `set` with a name that is not a literal is (`set(prefix + id, ...)`); -1 when none. */
  readonly computedSet: number;
  /** Uses of Node-only names in httpYac blocks. */
  readonly nodeOnly: readonly NodeOnlyUse[];
  /** kulala's Lua scripts (`-- lua` first), which Courier does not run: their opening line, by handler row. */
  readonly lua: readonly (Span & { readonly handler: number })[];
}

const noScripts: DocumentScripts = { errors: [], sets: [], computedSet: -1, nodeOnly: [], lua: [] };


const analysed = new WeakMap<HttpDocument, DocumentScripts>();

/** What `document`'s scripts set and their syntax errors; worked out on first ask, then kept with the parse. */
export function documentScripts(document: HttpDocument): DocumentScripts {
  let scripts = analysed.get(document);
  if (scripts === undefined) {
    scripts = analyse(document);
    analysed.set(document, scripts);
  }
  return scripts;
}

/** Whether the document has any inline script: the cheap question asked before anything is parsed. */
export function hasInlineScripts(document: HttpDocument): boolean {
  const { tables } = document;
  if (tables.scriptBlocks.count > 0) return true;
  for (let handler = 0; handler < tables.handlers.count; handler++) if (handlerIsScript(tables, handler)) return true;
  return false;
}

/** The names request `request`'s own scripts set with `request.variables.set("name", ...)`. */
export function requestVariablesSet(document: HttpDocument, request: number): string[] {
  const scripts = documentScripts(document);
  if (scripts.sets.length === 0) return [];
  const first = requestFirstHandler(document.tables, request);
  const end = first + requestHandlerCount(document.tables, request);
  return scripts.sets.filter((set) => set.kind === 'request' && set.handler >= first && set.handler < end).map((set) => set.name);
}

function analyse(document: HttpDocument): DocumentScripts {
  if (!hasInlineScripts(document)) return noScripts;
  const { text, tables } = document;
  const errors: ScriptSyntaxError[] = [];
  const sets: ScriptSetName[] = [];
  const lua: (Span & { handler: number })[] = [];
  let computedSet = -1;
  for (let handler = 0; handler < tables.handlers.count; handler++) {
    if (!handlerIsScript(tables, handler)) continue;
    const start = handlerContentStart(tables, handler);
    const source = text.slice(start, handlerContentEnd(tables, handler));
    if (isLuaScript(source)) {
      const opening = start + source.search(/\S/);
      lua.push({ start: opening, end: opening + (/^--\s*lua/i.exec(source.slice(opening - start))?.[0].length ?? 0), handler });
      continue;
    }
    const found = scanScript(source);
    // An unclosed script runs to the block's end: the parser's "not closed" says what is wrong, not the JavaScript after it.
    if (found.error !== undefined && handlerTerminated(tables, handler)) errors.push({ start: start + found.error.start, end: start + found.error.end, message: found.error.message, handler, scriptBlock: -1 });
    for (const call of found.calls) {
      if (call.name === undefined) {
        if (computedSet === -1) computedSet = start + call.start;
      } else if (call.kind !== 'export') {
        sets.push({ name: call.name, kind: call.kind, handler, scriptBlock: -1, start: start + call.start, end: start + call.end });
      }
    }
  }
  const nodeOnly: NodeOnlyUse[] = [];
  for (let row = 0; row < tables.scriptBlocks.count; row++) {
    const block = scriptBlockAt(document, row);
    const start = block.script.start;
    const found = scanScript(block.script.text);
    if (found.error !== undefined && block.terminated) errors.push({ start: start + found.error.start, end: start + found.error.end, message: found.error.message, handler: -1, scriptBlock: row });
    for (const call of found.calls) {
      if (call.name === undefined) {
        if (computedSet === -1) computedSet = start + call.start;
      } else if (call.kind !== 'request') {
        sets.push({ name: call.name, kind: call.kind, handler: -1, scriptBlock: row, start: start + call.start, end: start + call.end });
      }
    }
    for (const use of found.nodeOnly) nodeOnly.push({ name: use.name, scriptBlock: row, start: start + use.start, end: start + use.end });
  }
  return { errors, sets, computedSet, nodeOnly, lua };
}

/** A `set` call (or httpYac's `exports.name =` / `$global.name =`): the literal name and its span, or no name when it is computed. */
interface SetCall extends Span {
  readonly kind: ScriptSetKind;
  readonly name: string | undefined;
}

/** What `scanScript` finds in one script: offsets into its source. */
export interface ScriptScan {
  readonly error: (Span & { readonly message: string }) | undefined;
  readonly calls: readonly SetCall[];
  /** `require(...)` calls and reads of `process` and `Buffer`: Node's, not the sandbox's. */
  readonly nodeOnly: readonly (Span & { readonly name: string })[];
}

/** Names a script may use under Node (httpYac) that the sandbox does not have. */
const nodeOnlyNames = new Set(['require', 'process', 'Buffer']);

let acorn: typeof Acorn | undefined;

/**
 * acorn, loaded on the first script: its module takes a few milliseconds to set up, which a
 * session whose documents have no scripts never pays. (A `require` esbuild bundles as a module
 * initialised on first call; an `import` would run it when the server starts.)
 */
function javascriptParser(): typeof Acorn {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use, see above
  return (acorn ??= require('acorn') as typeof Acorn);
}

/**
 * Scans by text: files repeat the same handler (`client.assert(response.status === 200)`) on
 * thousands of requests, and parsing each costs tens of microseconds. Emptied when full.
 */
const scansByText = new Map<string, ScriptScan>();
const maxRememberedScans = 2000;

/** One script's syntax error (offsets into `source`) and `set` calls, remembered by text. */
export function scanScript(source: string): ScriptScan {
  let scan = scansByText.get(source);
  if (scan === undefined) {
    if (scansByText.size >= maxRememberedScans) scansByText.clear();
    scan = parseScript(source);
    scansByText.set(source, scan);
  }
  return scan;
}

function parseScript(source: string): ScriptScan {
  try {
    const program = javascriptParser().parse(source, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true, allowAwaitOutsideFunction: true });
    const calls: SetCall[] = [];
    const nodeOnly: (Span & { name: string })[] = [];
    if (isNode(program)) visit(program, calls, nodeOnly);
    return { error: undefined, calls, nodeOnly };
  } catch (error) {
    // Only acorn's SyntaxError carries `pos`; anything else is a bug to surface, not a diagnostic.
    if (!(error instanceof SyntaxError) || typeof (error as { pos?: unknown }).pos !== 'number') throw error;
    const position = (error as SyntaxError & { pos: number }).pos;
    // At the script's end ("Unexpected token" after the last character) the last character is marked.
    const start = Math.max(0, Math.min(position, source.length - 1));
    const message = error.message.replace(/\s*\(\d+:\d+\)$/, '');
    return { error: { start, end: Math.min(source.length, start + 1), message: `JavaScript syntax error: ${message}.` }, calls: setCallsByPattern(source), nodeOnly: [] };
  }
}

type AstNode = Readonly<Record<string, unknown>> & { readonly type: string; readonly start: number; readonly end: number };

function isNode(value: unknown): value is AstNode {
  // acorn's nodes are plain objects with a `type`: read here through their fields, by name.
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** Every `client.global.set(...)`, `request.variables.set(...)`, `exports.x = ` and `$global.x = ` under `node`, and each use of a Node-only name, in source order. */
function visit(node: AstNode, calls: SetCall[], nodeOnly: (Span & { name: string })[]): void {
  if (node.type === 'CallExpression') {
    const call = setCallOf(node);
    if (call !== undefined) calls.push(call);
  } else if (node.type === 'AssignmentExpression') {
    const assigned = assignedNameOf(node.left);
    if (assigned !== undefined) calls.push(assigned);
  } else if (node.type === 'Identifier' && nodeOnlyNames.has(node.name as string)) {
    nodeOnly.push({ name: node.name as string, start: node.start, end: node.end });
  }
  for (const key in node) {
    // `x.process` and `{ process: 1 }` name a property, not the global.
    if ((key === 'property' && node.type === 'MemberExpression' && node.computed !== true) || (key === 'key' && node.type === 'Property')) continue;
    const child = node[key];
    if (Array.isArray(child)) {
      for (const item of child) if (isNode(item)) visit(item, calls, nodeOnly);
    } else if (isNode(child)) {
      visit(child, calls, nodeOnly);
    }
  }
}

/** httpYac's `exports.name = ...` (or `module.exports.name`, `exports["name"]`) and `$global.name = ...`. */
function assignedNameOf(target: unknown): SetCall | undefined {
  if (!isNode(target) || target.type !== 'MemberExpression') return undefined;
  const owner = memberNames(target.object)?.join('.');
  const kind = owner === 'exports' || owner === 'module.exports' ? 'export' : owner === '$global' ? 'global' : undefined;
  if (kind === undefined || !isNode(target.property)) return undefined;
  const property = target.property;
  if (target.computed !== true && property.type === 'Identifier') return { kind, name: property.name as string, start: property.start, end: property.end };
  if (property.type === 'Literal' && typeof property.value === 'string') return { kind, name: property.value, start: property.start + 1, end: property.end - 1 };
  return { kind, name: undefined, start: property.start, end: property.end };
}

/** `object.property` written with a dot, as names: `['client', 'global']`; undefined for anything else. */
function memberNames(node: unknown): string[] | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'Identifier') return [node.name as string];
  if (node.type !== 'MemberExpression' || node.computed === true || !isNode(node.property) || node.property.type !== 'Identifier') return undefined;
  const object = memberNames(node.object);
  return object === undefined ? undefined : [...object, node.property.name as string];
}

function setCallOf(node: AstNode): SetCall | undefined {
  const callee = memberNames(node.callee)?.join('.');
  const kind = callee === 'client.global.set' ? 'global' : callee === 'request.variables.set' ? 'request' : undefined;
  if (kind === undefined) return undefined;
  const [first] = node.arguments as unknown[];
  if (!isNode(first)) return { kind, name: undefined, start: node.start, end: node.end };
  if (first.type === 'Literal' && typeof first.value === 'string') return { kind, name: first.value, start: first.start + 1, end: first.end - 1 };
  const quasis = first.quasis as readonly AstNode[] | undefined;
  if (first.type === 'TemplateLiteral' && (first.expressions as unknown[]).length === 0 && quasis?.length === 1) {
    const cooked = (quasis[0].value as { cooked?: string | null }).cooked;
    if (typeof cooked === 'string') return { kind, name: cooked, start: first.start + 1, end: first.end - 1 };
  }
  return { kind, name: undefined, start: first.start, end: first.end };
}

/**
 * The `set` calls with a literal name of a script that does not parse, by their shape: while one
 * line is being typed, the names the rest of the script sets still count (and a call still being
 * typed is not taken for a computed name).
 */
function setCallsByPattern(source: string): SetCall[] {
  const calls: SetCall[] = [];
  const pattern = /\b(client\s*\.\s*global|request\s*\.\s*variables)\s*\.\s*set\s*\(\s*(?:(["'`])([^"'`\\\n$]*)\2\s*[,)])?/g;
  for (let match = pattern.exec(source); match !== null; match = pattern.exec(source)) {
    const name = match[3];
    if (name === undefined) continue;
    const start = match.index + match[0].indexOf(match[2]) + 1;
    calls.push({ kind: match[1].startsWith('client') ? 'global' : 'request', name, start, end: start + name.length });
  }
  return calls;
}
