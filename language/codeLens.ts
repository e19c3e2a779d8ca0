// CodeLens: "Send Request" above each request line.

import { Command, Range, type CodeLens } from 'vscode-languageserver-types';
import type { FeatureContext } from './context';
import { offsetToPosition } from './positions';

/** The command the client registers; arguments are `[uri, { line, character }]` of the request line. */
export const sendRequestCommand = 'courier.sendRequest';

/** One "Send Request" lens per request, on its request line. */
export function codeLenses(context: FeatureContext): CodeLens[] {
  const { document } = context;
  return document.requests.map((request) => {
    const start = offsetToPosition(document, request.start);
    const end = offsetToPosition(document, request.requestLineEnd);
    const command = Command.create('Send Request', sendRequestCommand, context.uri, { line: start.line, character: start.character });
    const lens: CodeLens = { range: Range.create(start, end), command };
    return lens;
  });
}
