// CodeLens: "Send Request" above each request line.

import { Command, Range, type CodeLens } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';
import { Req } from './syntaxTables';

/** The command the client registers; arguments are `[uri, { line, character }]` of the request line. */
export const sendRequestCommand = 'courier.sendRequest';

/** One "Send Request" lens per request, on its request line; read from the parser's tables, as `documentSymbols` is. */
export function codeLenses(context: FeatureContext): CodeLens[] {
  const { document } = context;
  const { requests } = document.tables;
  const lenses: CodeLens[] = [];
  for (let request = 0; request < requests.count; request++) {
    const start = offsetToPosition(document, requests.data[request * Req.size + Req.start]);
    const end = offsetToPosition(document, requests.data[request * Req.size + Req.requestLineEnd]);
    const command = Command.create('Send Request', sendRequestCommand, context.uri, { line: start.line, character: start.character });
    lenses.push({ range: Range.create(start, end), command });
  }
  return lenses;
}
