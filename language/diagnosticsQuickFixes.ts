// Quick fixes for diagnostics: "did you mean" replacements (a method, a directive, a message
// separator, the method or scheme a URL needs), defining an undefined variable, selecting an
// environment that defines a variable, removing a needless Content-Length or WebSocket handshake
// header; in env files, a misspelt key of an auth configuration. What a fix needs travels in
// `Diagnostic.data`.

import { CodeAction, CodeActionKind, Range, TextEdit, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from './codes';
import type { FeatureContext } from './context';
import { positionToOffset } from './positions';

/** What a quick fix needs, carried in `Diagnostic.data`. */
export interface DiagnosticFixData {
  /** The replacement a "did you mean" fix writes over the diagnostic's range. */
  readonly suggestion?: string;
  /** An undefined variable that a fix may define at the top of the file. */
  readonly define?: string;
  /** Environments that define a variable when none is selected: a fix selects one (`courier.switchEnvironment` with its name). */
  readonly environments?: readonly string[];
}

/** The codes whose fix writes `suggestion` over the diagnostic's range. */
const replaceableCodes: ReadonlySet<string> = new Set<string>([
  Code.MethodUnknown,
  Code.DirectiveUnknown,
  Code.MultipartNoBoundary,
  Code.AwsAuthorizationUnknownOption,
  Code.AuthUnknownConfiguration,
  Code.MessageSeparatorInvalid,
  Code.UrlSchemeMethodMismatch,
]);

/** The extension's command that makes an environment active; its argument is the name. */
export const selectEnvironmentCommand = 'courier.switchEnvironment';

export function codeActions(context: FeatureContext, _range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const suggestion = (diagnostic.data as DiagnosticFixData | undefined)?.suggestion;
    const fixable = typeof diagnostic.code === 'string' && replaceableCodes.has(diagnostic.code);
    if (fixable && typeof suggestion === 'string') {
      const action = CodeAction.create(`Change to '${suggestion}'`, { changes: { [context.uri]: [TextEdit.replace(diagnostic.range, suggestion)] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    const define = (diagnostic.data as DiagnosticFixData | undefined)?.define;
    if (diagnostic.code === Code.VariableUndefined && typeof define === 'string') {
      const action = CodeAction.create(`Define @${define} at the top of this file`, { changes: { [context.uri]: [TextEdit.insert({ line: 0, character: 0 }, `@${define} = \n`)] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
    const environments = (diagnostic.data as DiagnosticFixData | undefined)?.environments;
    if ((diagnostic.code === Code.VariableNeedsEnvironment || diagnostic.code === Code.AuthUnknownConfiguration) && Array.isArray(environments)) {
      for (const [index, environment] of environments.entries()) {
        if (typeof environment !== 'string') continue;
        const action = CodeAction.create(`Select environment '${environment}'`, { title: `Select environment '${environment}'`, command: selectEnvironmentCommand, arguments: [environment] }, CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        // The first environment is the one the message suggests.
        if (index === 0) action.isPreferred = true;
        actions.push(action);
      }
    }
    if (diagnostic.code === Code.ContentLengthComputed || diagnostic.code === Code.HeaderWebSocketHandshake) {
      const line = diagnostic.range.start.line;
      const name = diagnostic.code === Code.ContentLengthComputed ? 'Content-Length' : headerNameAt(context, diagnostic.range);
      const action = CodeAction.create(`Remove ${name} header`, { changes: { [context.uri]: [TextEdit.del(Range.create(line, 0, line + 1, 0))] } }, CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      actions.push(action);
    }
  }
  return actions;
}

/** The name of the header whose line `range` starts at, as written. */
function headerNameAt(context: FeatureContext, range: Range): string {
  const start = positionToOffset(context.document, range.start);
  const text = context.document.text;
  let end = start;
  while (end < text.length && text[end] !== ':' && text[end] !== '\n') end++;
  return text.slice(start, end).trim();
}

/**
 * Fixes for the diagnostics of an env file, which the client does not sync: each reads only the
 * diagnostic, whose range and `data` the server published from the file on disk.
 */
export function environmentFileCodeActions(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const suggestion = (diagnostic.data as DiagnosticFixData | undefined)?.suggestion;
    if (diagnostic.code !== Code.EnvironmentAuthUnknownKey || typeof suggestion !== 'string') continue;
    // The suggestion is a JSON key, quotes included, as the range covers the key with its quotes.
    const action = CodeAction.create(`Change to ${suggestion}`, { changes: { [uri]: [TextEdit.replace(diagnostic.range, suggestion)] } }, CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    actions.push(action);
  }
  return actions;
}
