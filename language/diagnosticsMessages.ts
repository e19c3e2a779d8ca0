// Checks of the messages a WebSocket or gRPC request sends, its body read as a script of messages
// separated by `===` lines (streamScript.ts, which the engine splits with too): a line meant as a
// separator that is not one (`=== wait-for-sever`), each message as JSON when the messages are
// JSON, and, in a request of any other kind, separators it would send as body text.

import { Code } from './codes';
import { closestName } from './data/spelling';
import { add, type ProblemList } from './diagnosticsProblems';
import { findJsonError } from './jsonTree';
import { isMessageSeparator, splitMessageScript } from './streamScript';
import type { HttpDocument } from './syntax';
import { requestSingleTextBody, requestTextParts, templateEnd, templateStart } from './tableQueries';

/** Scratch for `requestTextParts`. */
const textParts: number[] = [];

const waitForServer = 'wait-for-server';

/**
 * The `===` lines of request `request`, a `method` request that sends no messages: it sends them as
 * body text. `=== wait-for-server` is certainly meant for a WebSocket (a warning); a bare `===` may
 * be text (a Markdown heading's underline), so it is a hint.
 */
export function checkStraySeparators(list: ProblemList, document: HttpDocument, request: number, method: string): void {
  const { text, tables } = document;
  const count = requestTextParts(tables, request, textParts);
  for (let index = 0; index < count; index++) {
    forEachEqualsLine(text, templateStart(tables, textParts[index]), templateEnd(tables, textParts[index]), (start, end) => {
      const line = text.slice(start, end);
      if (!isMessageSeparator(line)) return;
      const waits = line.includes(waitForServer);
      const what = waits ? `'${line.trim()}'` : 'the line';
      add(list, { start, end }, Code.MessageSeparatorUnexpected, waits ? 'warning' : 'hint',
        `Only a WebSocket or streaming gRPC request sends messages separated by ===: this ${method} request sends ${what} as body text. Write WEBSOCKET (or GRPC) to send messages.`);
    });
  }
}

/**
 * Checks of the message script of request `request`, which sends its body as messages. `json`
 * says why its messages are JSON (`Content-Type is application/json`, or a gRPC call's), or is
 * undefined when they are text.
 */
export function checkMessageScript(list: ProblemList, document: HttpDocument, request: number, json: string | undefined): void {
  const { text, tables } = document;
  const count = requestTextParts(tables, request, textParts);
  for (let index = 0; index < count; index++) {
    forEachEqualsLine(text, templateStart(tables, textParts[index]), templateEnd(tables, textParts[index]), (start, end) => {
      const line = text.slice(start, end);
      if (isMessageSeparator(line)) return;
      const meant = meantSeparator(line);
      if (meant === undefined) return;
      add(list, { start, end }, Code.MessageSeparatorInvalid, 'warning', `'${line.trim()}' is not a message separator, so it is sent as message text: write '${meant}'.`, { suggestion: meant });
    });
  }
  if (json === undefined) return;
  // A body that includes files is read when sent: only inline text is judged.
  const template = requestSingleTextBody(tables, request);
  if (template === -1) return;
  const bodyStart = templateStart(tables, template);
  const { messages } = splitMessageScript(text.slice(bodyStart, templateEnd(tables, template)));
  for (const [index, message] of messages.entries()) {
    const error = findJsonError(message.text, { allowTemplates: true });
    if (error === undefined) continue;
    const errorStart = bodyStart + message.offset + error.start;
    const which = messages.length === 1 ? 'the message' : `message ${index + 1}`;
    add(list, { start: errorStart, end: Math.max(bodyStart + message.offset + error.end, errorStart) }, Code.BodyInvalidJson, 'warning', `Invalid JSON in ${which} (${json}): ${error.message}`);
  }
}

/**
 * The separator a line starting with `===` was probably meant to be: `===` for a longer run of `=`,
 * `=== wait-for-server` for a near spelling (`=== wait for server`, `===WAIT-FOR-SERVER`,
 * `=== wait-for-sever`); undefined for anything else, which may well be message text.
 */
export function meantSeparator(line: string): string | undefined {
  const rest = line.slice(3).replace(/^=+/, '').trim();
  if (rest === '') return '===';
  const normalize = (word: string): string => word.toLowerCase().replace(/[\s_-]+/g, '');
  return closestName(rest, [waitForServer], normalize) === undefined ? undefined : `=== ${waitForServer}`;
}

/**
 * Calls `visit` with the start and end (before the line break) of each line of `[start, end)`
 * that starts with `===`: separators stand at the start of their line. `start` is a line's start.
 */
function forEachEqualsLine(text: string, start: number, end: number, visit: (lineStart: number, lineEnd: number) => void): void {
  // A slice rather than `text.indexOf(..., start)`, which would scan past `end` to the document's end on every body without one.
  const body = text.slice(start, end);
  for (let at = body.indexOf('==='); at !== -1; at = body.indexOf('===', at)) {
    const previous = at === 0 ? 0x0a : body.charCodeAt(at - 1);
    let lineEnd = at + 3;
    while (lineEnd < body.length && body.charCodeAt(lineEnd) !== 0x0a && body.charCodeAt(lineEnd) !== 0x0d) lineEnd++;
    if (previous === 0x0a || previous === 0x0d) visit(start + at, start + lineEnd);
    at = lineEnd;
  }
}
