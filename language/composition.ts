// What a file takes from other files: JetBrains' `import PATH` and `run #Name` / `run PATH`
// lines, httpYac's `# @import PATH`, `# @ref NAME` and `# @forceRef NAME`, for the editor:
// diagnostics (a file that does not exist, a request name that neither this file nor the files it
// imports define, a malformed `(@name=value)`), go to definition, hover and completion of names.
// The other files are read through `LanguageHost.readFile` whenever asked and never cached, as
// `diagnosticsFiles.ts` checks files: they change without this text changing.

import { type CompletionItem, CompletionItemKind, Location, Range, TextEdit } from 'vscode-languageserver-types';
import { Code } from './codes';
import type { FeatureContext } from './context';
import { isLoopPassName } from './data/directivesValues';
import { add, type ProblemList } from './diagnosticsProblems';
import { parse } from './parser';
import { offsetToPosition } from './positions';
import type { HttpDocument, Span } from './syntax';
import { blockTemplates } from './syntaxTables';
import { compositionLines } from './syntaxViews';
import { refExpressionStart, refTargetIndex, refTerminated, templateFirstRef, templateRefCount, blockDirectiveCount, blockEnd, blockFirstDirective, blockStart, directiveNameEnd, directiveNameStart, directiveValueEnd, directiveValueStart } from './tableQueries';

/** The import paths of a document (`import` lines and `# @import`), with their spans. */
export function importedPaths(document: HttpDocument): readonly { readonly path: string; readonly span: Span }[] {
  const found: { path: string; span: Span }[] = [];
  for (const line of compositionLines(document)) if (line.kind === 'import') found.push({ path: line.target.text, span: line.target });
  const { text, tables } = document;
  for (let index = 0; index < tables.directives.count; index++) {
    const valueStart = directiveValueStart(tables, index);
    if (valueStart === -1 || !isDirective(text, tables, index, 'import')) continue;
    const end = directiveValueEnd(tables, index);
    found.push({ path: text.slice(valueStart, end), span: { start: valueStart, end } });
  }
  return found;
}

/** Whether the document names other `.http` files, so its file checks must run on every pass. */
export function namesOtherHttpFiles(document: HttpDocument): boolean {
  return document.tables.compositions.count > 0 || importedPaths(document).length > 0;
}

/** Whether `compositionProblems` has anything to check in the document: it names other files, or sends requests by name (`# @ref`). */
export function hasCompositionChecks(document: HttpDocument): boolean {
  let answer = checksByDocument.get(document);
  if (answer === undefined) {
    answer = namesOtherHttpFiles(document) || /@(?:ref|forceRef)\b/u.test(document.text);
    checksByDocument.set(document, answer);
  }
  return answer;
}

/** Asked for every block of a pass: answered once per parse. */
const checksByDocument = new WeakMap<HttpDocument, boolean>();

/** Request names of the other files, remembered by text: every block of a pass asks. */
const namesByText = new Map<string, ReadonlySet<string>>();

function requestNamesOfText(text: string): ReadonlySet<string> {
  let names = namesByText.get(text);
  if (names === undefined) {
    names = new Set(parse(text).requests.flatMap((request) => (request.name === undefined ? [] : [request.name.text])));
    if (namesByText.size >= 16) namesByText.clear();
    namesByText.set(text, names);
  }
  return names;
}

/**
 * The problems of block `block`'s composition lines and `@import`/`@ref`/`@forceRef` directives.
 * `requestNames` are the names the whole document defines (a chunk of it may not hold them all).
 */
export function compositionProblems(problems: ProblemList, context: FeatureContext, block: number, requestNames: ReadonlySet<string>): void {
  const { document, host, uri } = context;
  // Most documents take nothing from other files: one answer per parse, not work per block.
  if (!hasCompositionChecks(document)) return;
  const { text, tables } = document;
  const start = blockStart(tables, block);
  const end = blockEnd(tables, block);
  const lines = compositionLines(document).filter((line) => line.start >= start && line.start < end);
  const firstDirective = blockFirstDirective(tables, block);
  const directiveCount = blockDirectiveCount(tables, block);
  const hasImportDirective = Array.from({ length: directiveCount }, (_, offset) => firstDirective + offset).some((index) => isDirective(text, tables, index, 'import'));
  const refs = Array.from({ length: directiveCount }, (_, offset) => firstDirective + offset).filter((index) => isDirective(text, tables, index, 'ref') || isDirective(text, tables, index, 'forceRef'));
  const importing = namesOtherHttpFiles(document);
  if (lines.length === 0 && refs.length === 0 && !hasImportDirective && !importing) return;

  const missing = (path: string): boolean => !host.fileExists(uri, path);
  for (const line of lines) {
    for (const entry of line.malformed) {
      add(problems, entry, Code.RunUnknownRequest, 'warning', `'${entry.text}' is not a variable override: write '@name=value', overrides separated by commas, as in 'run #${line.kind === 'run-request' ? line.target.text : 'Name'} (@id=1, @lang=en)'.`);
    }
    if (line.kind !== 'run-request' && missing(line.target.text)) {
      add(problems, line.target, Code.FileMissing, 'warning', `${line.kind === 'import' ? 'Imported' : 'Run'} file '${line.target.text}' does not exist (paths are relative to this file's folder): fix the path or create the file.`);
    }
  }
  for (let index = firstDirective; index < firstDirective + directiveCount; index++) {
    const valueStart = directiveValueStart(tables, index);
    if (valueStart === -1 || !isDirective(text, tables, index, 'import')) continue;
    const path = text.slice(valueStart, directiveValueEnd(tables, index));
    if (missing(path)) add(problems, { start: valueStart, end: directiveValueEnd(tables, index) }, Code.FileMissing, 'warning', `Imported file '${path}' does not exist (paths are relative to this file's folder): fix the path or create the file.`);
  }

  // Names: this document's, then those of the files it imports (read only when needed).
  let known: Set<string> | undefined;
  let unreadable = false;
  const isKnown = (name: string): boolean => {
    if (requestNames.has(name) || isLoopPassName(name, requestNames)) return true;
    if (known === undefined) {
      known = new Set();
      for (const { path } of importedPaths(document)) {
        const imported = host.readFile?.(uri, path);
        if (imported === undefined) unreadable = true;
        else for (const found of requestNamesOfText(imported)) known.add(found);
      }
    }
    // A host that cannot read files, or an import that is missing (reported above), cannot tell.
    return known.has(name) || unreadable;
  };
  const advice = (name: string): string => `define it with '# @name ${name}' or '### ${name}' in this file, or import the file that defines it with 'import ./file.http' at the top`;
  for (const line of lines) {
    if (line.kind !== 'run-request' || line.target.text === '' || isKnown(line.target.text)) continue;
    add(problems, line.target, Code.RunUnknownRequest, 'warning', `No request is named '${line.target.text}' in this file or the files it imports: ${advice(line.target.text)}.`);
  }
  if (importing) unknownResponseReferences(problems, document, block, isKnown);
  for (const index of refs) {
    const valueStart = directiveValueStart(tables, index);
    if (valueStart === -1) continue;
    const name = text.slice(valueStart, directiveValueEnd(tables, index));
    if (isKnown(name)) continue;
    add(problems, { start: valueStart, end: directiveValueEnd(tables, index) }, Code.RunUnknownRequest, 'warning', `No request is named '${name}' in this file or the files it imports: ${advice(name).replace("with 'import ./file.http' at the top", "with '# @import ./file.http'")}.`);
  }
}

/** `{{name.response...}}` references of block `block` to names neither the document nor its imports define (only asked when it imports: otherwise `diagnosticsReferences.ts` judges them). */
function unknownResponseReferences(problems: ProblemList, document: HttpDocument, block: number, isKnown: (name: string) => boolean): void {
  const { tables } = document;
  const written = blockTemplates(tables, block, templateRanges);
  for (let index = 0; index < written; index += 2) {
    const first = templateRanges[index];
    for (let template = first; template < first + templateRanges[index + 1]; template++) {
      const firstRef = templateFirstRef(tables, template);
      for (let ref = firstRef; ref < firstRef + templateRefCount(tables, template); ref++) {
        if (!refTerminated(tables, ref)) continue;
        const target = tables.targets[refTargetIndex(tables, ref)];
        if (target?.kind !== 'request' || isKnown(target.requestName)) continue;
        const start = refExpressionStart(tables, ref);
        add(problems, { start, end: start + target.requestName.length }, Code.RequestUndefined, 'warning', `No request is named '${target.requestName}' in this file or the files it imports: name one with '# @name ${target.requestName}', or import the file that defines it.`);
      }
    }
  }
}

/** Scratch for `blockTemplates`. */
const templateRanges: number[] = [];

function isDirective(text: string, tables: HttpDocument['tables'], index: number, name: string): boolean {
  const start = directiveNameStart(tables, index);
  return directiveNameEnd(tables, index) - start === name.length && text.startsWith(name, start);
}

/**
 * Go to definition on an `import`/`run` line's path (the file) or `run #Name` (the request, in this
 * file or a file it imports); undefined when `offset` is on no such target.
 */
export function compositionDefinition(context: FeatureContext, offset: number): Location[] | undefined {
  const { document, host, uri } = context;
  if (document.tables.compositions.count === 0) return undefined;
  const line = compositionLines(document).find((candidate) => offset >= candidate.target.start && offset <= candidate.target.end);
  if (line === undefined) return undefined;
  const fileUri = (path: string): string | undefined => {
    try {
      return new URL(path, uri).href;
    } catch {
      return undefined;
    }
  };
  if (line.kind !== 'run-request') {
    const target = fileUri(line.target.text);
    return target === undefined || !host.fileExists(uri, line.target.text) ? [] : [Location.create(target, Range.create(0, 0, 0, 0))];
  }
  const requestLocation = (found: HttpDocument, foundUri: string): Location[] | undefined => {
    const request = found.requests.find((candidate) => candidate.name?.text === line.target.text);
    return request === undefined ? undefined : [Location.create(foundUri, Range.create(offsetToPosition(found, request.start), offsetToPosition(found, request.requestLineEnd)))];
  };
  const own = requestLocation(document, uri);
  if (own !== undefined) return own;
  for (const { path } of importedPaths(document)) {
    const text = host.readFile?.(uri, path);
    const target = fileUri(path);
    if (text === undefined || target === undefined) continue;
    const found = requestLocation(parse(text), target);
    if (found !== undefined) return found;
  }
  return [];
}

/** What a hover on an `import`/`run` line's target says (markdown), with the target's span; undefined elsewhere. */
export function compositionHover(context: FeatureContext, offset: number): { readonly span: Span; readonly markdown: string } | undefined {
  const { document, host, uri } = context;
  if (document.tables.compositions.count === 0) return undefined;
  const line = compositionLines(document).find((candidate) => offset >= candidate.start && offset <= candidate.end);
  if (line === undefined) return undefined;
  const path = line.target.text;
  const overrides = line.overrides.length === 0 ? '' : `, with ${line.overrides.map((entry) => `\`${entry.name.text}\` = \`${entry.value.text}\``).join(', ')} over its variables`;
  const namesIn = (text: string | undefined): string => {
    if (text === undefined) return host.fileExists(uri, path) ? '' : '\n\nThe file does not exist.';
    const names = [...requestNamesOfText(text)];
    return names.length === 0 ? '\n\nIt names no request.' : `\n\nNamed requests: ${names.map((name) => `\`${name}\``).join(', ')}.`;
  };
  switch (line.kind) {
    case 'import':
      return { span: line, markdown: `**import** (JetBrains): the named requests and \`@variables\` of \`${path}\` can be run and read in this file.${namesIn(host.readFile?.(uri, path))}` };
    case 'run-file':
      return { span: line, markdown: `**run** (JetBrains): sends every request of \`${path}\`, in order, here${overrides}.${namesIn(host.readFile?.(uri, path))}` };
    case 'run-request': {
      const own = document.requests.find((request) => request.name?.text === path);
      let sends = own === undefined ? undefined : `\`${own.methodName} ${own.target.text}\` of this file`;
      for (const imported of own === undefined ? importedPaths(document) : []) {
        const text = host.readFile?.(uri, imported.path);
        const request = text === undefined ? undefined : parse(text).requests.find((candidate) => candidate.name?.text === path);
        if (request !== undefined) {
          sends = `\`${request.methodName} ${request.target.text}\` of \`${imported.path}\``;
          break;
        }
      }
      return { span: line, markdown: `**run #${path}** (JetBrains): sends ${sends ?? 'the request of that name (not found in this file or its imports)'} here, every time${overrides}.` };
    }
  }
}

/**
 * Request names after `run #` and after `# @ref ` / `# @forceRef `: this file's, then those of the
 * files it imports. `prefix` is the line up to `offset`; undefined when it is neither.
 */
export function compositionCompletions(context: FeatureContext, offset: number, prefix: string): CompletionItem[] | undefined {
  const match = /^\s*(?:run\s+#\s*|(?:#|\/\/)\s*@(?:ref|forceRef)\s+)(.*)$/u.exec(prefix);
  if (match === null) return undefined;
  const { document, host, uri } = context;
  const typed = match[1] ?? '';
  const range = Range.create(offsetToPosition(document, offset - typed.length), offsetToPosition(document, offset));
  const items: CompletionItem[] = [];
  const seen = new Set<string>();
  const addNames = (names: Iterable<string>, detail: string): void => {
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      items.push({ label: name, kind: CompletionItemKind.Reference, detail, textEdit: TextEdit.replace(range, name) });
    }
  };
  addNames(document.requests.flatMap((request) => (request.name === undefined ? [] : [request.name.text])), 'request in this file');
  for (const { path } of importedPaths(document)) {
    const text = host.readFile?.(uri, path);
    if (text !== undefined) addNames(requestNamesOfText(text), `request in ${path}`);
  }
  return items;
}
