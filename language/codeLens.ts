// CodeLens: "Send Request" above each request line.

import { Command, Range, type CodeLens } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import { compositionLines } from './syntaxViews';
import { requestLineEnd, requestStart } from './tableQueries';

/** The command the client registers; arguments are `[uri, { line, character }]` of the request line. */
export const sendRequestCommand = 'courier.sendRequest';

/** One "Send Request" lens per request, on its request line; read from the parser's tables, as `documentSymbols` is. */
export function codeLenses(context: FeatureContext): CodeLens[] {
  const { document } = context;
  const { tables } = document;
  const lenses: CodeLens[] = [];
  for (let request = 0; request < tables.requests.count; request++) {
    const start = offsetToPosition(document, requestStart(tables, request));
    const end = offsetToPosition(document, requestLineEnd(tables, request));
    const command = Command.create('Send Request', sendRequestCommand, context.uri, { line: start.line, character: start.character });
    lenses.push({ range: Range.create(start, end), command });
  }
  // JetBrains' `run #Name` and `run ./file.http` lines run where they stand: the same command, on their line.
  if (tables.compositions.count > 0) {
    for (const line of compositionLines(document)) {
      if (line.kind === 'import') continue;
      const start = offsetToPosition(document, line.start);
      const command = Command.create(line.kind === 'run-file' ? 'Run File' : 'Run Request', sendRequestCommand, context.uri, { line: start.line, character: start.character });
      lenses.push({ range: Range.create(start, offsetToPosition(document, line.end)), command });
    }
  }
  return lenses;
}
