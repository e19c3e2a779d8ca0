// Completion inside scripts (`{% %}`, both phases: the scripting API's members after `client.`,
// `response.`, `crypto.sha256().` ...) and on `??` lines (targets, then what may follow each:
// header names, duration phases, operators). Called by completion.ts, which decides where the
// cursor is.

import { type CompletionItem, CompletionItemKind, MarkupKind, Range, TextEdit } from 'vscode-languageserver-types';
import { assertionOperators, assertionTargets, durationPhases, type AssertionOperatorName, type AssertionTargetKind } from './assertions';
import { ASSERTION_OPERATOR_HELP, ASSERTION_TARGET_HELP, DURATION_PHASE_HELP } from './data/assertionHelp';
import { headerMarkdown, KNOWN_HEADERS } from './data/headers';
import { scriptApiMarkdown, scriptApiMembersAfter, type ScriptApiDialect, type ScriptApiKind, type ScriptApiMember } from './data/scriptApi';
import { offsetToPosition } from './positions';
import type { HttpDocument } from './syntax';

/** The line the cursor is on: where it starts and ends (before the line break). */
export interface CursorLine {
  readonly start: number;
  readonly end: number;
}

const IDENTIFIER_CHAR = /[\w$]/;

/**
 * The member chain written just before `offset` on its line, e.g. `client.global.` gives
 * `{ path: ['client', 'global'], word: '' }` and `crypto.hmac.sha256().with` gives
 * `{ path: ['crypto', 'hmac', 'sha256()'], word: 'with' }` (a call's arguments are dropped);
 * undefined inside a string or a comment, or after a member of something else (`foo.client.`).
 */
export function memberChainBefore(linePrefix: string): { readonly path: readonly string[]; readonly word: string } | undefined {
  if (insideStringOrComment(linePrefix)) return undefined;
  const match = /((?:[A-Za-z_$][\w$]*(?:\([^()]*\))?\s*\.\s*)*)([A-Za-z_$][\w$]*)?$/.exec(linePrefix);
  if (match === null) return undefined;
  const before = linePrefix[match.index - 1];
  if (before !== undefined && (before === '.' || IDENTIFIER_CHAR.test(before))) return undefined;
  const path = match[1]
    .split('.')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '')
    .map((segment) => segment.replace(/\([^()]*\)$/, '()'));
  return { path, word: match[2] ?? '' };
}

/** A rough look at quotes and `//` on the line: enough not to offer API members inside a string or a comment. */
function insideStringOrComment(linePrefix: string): boolean {
  let quote: string | undefined;
  for (let index = 0; index < linePrefix.length; index++) {
    const character = linePrefix[index];
    if (quote !== undefined) {
      if (character === '\\') index++;
      else if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'" || character === '`') {
      quote = character;
    } else if (character === '/' && linePrefix[index + 1] === '/') {
      return true;
    }
  }
  return quote !== undefined;
}

const memberKinds: Readonly<Record<ScriptApiKind, CompletionItemKind>> = {
  object: CompletionItemKind.Module,
  function: CompletionItemKind.Method,
  property: CompletionItemKind.Property,
};

/** The scripting API's members that may follow the text before `offset` in a script. */
export function scriptCompletions(document: HttpDocument, line: CursorLine, offset: number, dialect: ScriptApiDialect = 'jetbrains'): CompletionItem[] {
  const text = document.text;
  const chain = memberChainBefore(text.slice(line.start, offset));
  if (chain === undefined) return [];
  // A bare word lists the globals only once something is typed: a space triggers completion too.
  if (chain.path.length === 0 && chain.word === '') return [];
  const members = scriptApiMembersAfter(chain.path, dialect);
  if (members === undefined) return [];
  let end = offset;
  while (end < line.end && IDENTIFIER_CHAR.test(text[end])) end++;
  const range = rangeOf(document, offset - chain.word.length, end);
  return members.map((member: ScriptApiMember, index) => ({
    label: member.name,
    kind: member.kind === 'function' && chain.path.length === 0 ? CompletionItemKind.Function : memberKinds[member.kind],
    detail: member.signature,
    documentation: { kind: MarkupKind.Markdown, value: scriptApiMarkdown(member) },
    sortText: String(index).padStart(5, '0'),
    textEdit: TextEdit.replace(range, member.name),
  }));
}

/** What may be typed at `offset` on a `??` line: the target, its argument, then the operator. */
export function assertionCompletions(document: HttpDocument, line: CursorLine, offset: number): CompletionItem[] {
  const text = document.text;
  const prefix = text.slice(line.start, offset);
  const marker = prefix.indexOf('??');
  const words = prefix.slice(marker + 2).trimStart().split(/\s+/);
  const word = words[words.length - 1];
  let end = offset;
  while (end < line.end && !/\s/.test(text[end])) end++;
  const range = rangeOf(document, offset - word.length, end);
  const index = words.length - 1;
  if (index === 0) return targetItems(range);
  const target = words[0] as AssertionTargetKind;
  if (!(assertionTargets as readonly string[]).includes(target)) return [];
  // Past the operator comes the expected value, the user's own.
  const written = words.slice(1, index);
  if (target !== 'js' && target !== 'xpath' && written.some(isOperatorWord)) return [];
  switch (target) {
    case 'status':
      return index === 1 ? operatorItems(range) : [];
    case 'header':
      if (index === 1) return headerItems(range);
      return index === 2 ? operatorItems(range) : [];
    case 'body':
      return index <= 2 ? operatorItems(range) : [];
    case 'duration':
      if (index === 1) return [...phaseItems(range), ...operatorItems(range)];
      return index === 2 ? operatorItems(range) : [];
    case 'js':
    case 'xpath':
      // The expression is free text; an operator ends it.
      return operatorItems(range);
  }
}

function isOperatorWord(word: string): boolean {
  return (assertionOperators as readonly string[]).includes(word) || /^(===?|!==?|[<>]=?)/.test(word) || word === 'equals';
}

function targetItems(range: Range): CompletionItem[] {
  return assertionTargets.map((target, index) => ({
    label: target,
    kind: CompletionItemKind.Keyword,
    detail: `?? ${ASSERTION_TARGET_HELP[target].syntax}`,
    documentation: { kind: MarkupKind.Markdown, value: ASSERTION_TARGET_HELP[target].description },
    sortText: String(index).padStart(5, '0'),
    textEdit: TextEdit.replace(range, `${target} `),
    command: { title: 'Suggest', command: 'editor.action.triggerSuggest' },
  }));
}

function operatorItems(range: Range): CompletionItem[] {
  return assertionOperators.map((operator: AssertionOperatorName, index) => ({
    label: operator,
    kind: CompletionItemKind.Operator,
    detail: 'assertion operator',
    documentation: { kind: MarkupKind.Markdown, value: ASSERTION_OPERATOR_HELP[operator] },
    sortText: `1${String(index).padStart(5, '0')}`,
    textEdit: TextEdit.replace(range, operator),
  }));
}

function phaseItems(range: Range): CompletionItem[] {
  return durationPhases.map((phase, index) => ({
    label: phase,
    kind: CompletionItemKind.EnumMember,
    detail: 'duration phase',
    documentation: { kind: MarkupKind.Markdown, value: DURATION_PHASE_HELP[phase] ?? '' },
    sortText: `0${String(index).padStart(5, '0')}`,
    textEdit: TextEdit.replace(range, phase),
  }));
}

function headerItems(range: Range): CompletionItem[] {
  return KNOWN_HEADERS.filter((header) => header.usage !== 'request').map((header, index) => ({
    label: header.name,
    kind: CompletionItemKind.Field,
    detail: 'response header',
    documentation: { kind: MarkupKind.Markdown, value: headerMarkdown(header) },
    sortText: String(index).padStart(5, '0'),
    textEdit: TextEdit.replace(range, header.name),
  }));
}

function rangeOf(document: HttpDocument, start: number, end: number): Range {
  return Range.create(offsetToPosition(document, start), offsetToPosition(document, end));
}
