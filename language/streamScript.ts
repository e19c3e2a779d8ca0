// The body of a request that opens a conversation (a WebSocket, a client- or bidirectionally
// streaming gRPC call) is a script of messages, in JetBrains' syntax: lines `===` separate
// messages, and `=== wait-for-server` (repeatable) separates them too and makes the client wait
// for one more message from the server before it sends the next. A body without such lines is one
// message. Pure: the engine splits what it sends with it and diagnostics read the same offsets.

import { WEBSOCKET_METHODS } from './data/urlSchemes';

/** One message of the script. */
export interface ScriptedMessage {
  /** The message as written: the lines between two separators, without the blank lines around them. */
  readonly text: string;
  /** Offset of the message's first character in the body text. */
  readonly offset: number;
  /** Messages from the server to wait for before this one is sent. */
  readonly waitForServer: number;
}

/** One separator line. */
export interface MessageSeparator {
  /** Offset of the line's first character in the body text. */
  readonly offset: number;
  readonly length: number;
  readonly waitsForServer: boolean;
}

export interface MessageScript {
  readonly messages: readonly ScriptedMessage[];
  /** Server messages to wait for after the last message (`=== wait-for-server` at the end). */
  readonly trailingWaits: number;
  readonly separators: readonly MessageSeparator[];
}

const separatorLine = /^===[ \t]*(wait-for-server)?[ \t]*$/;

/** Whether `line` (without its line break) separates messages. */
export function isMessageSeparator(line: string): boolean {
  return separatorLine.test(line);
}

/** Splits a body into its scripted messages; empty pieces between separators are not messages. */
export function splitMessageScript(body: string): MessageScript {
  const messages: ScriptedMessage[] = [];
  const separators: MessageSeparator[] = [];
  let waits = 0;
  let pieceStart = 0;
  let lineStart = 0;
  const closePiece = (end: number): void => {
    const piece = body.slice(pieceStart, end);
    const leading = /^(?:[ \t]*\r?\n)*/.exec(piece)?.[0].length ?? 0;
    const text = piece.slice(leading).replace(/(?:\r?\n[ \t]*)*$/, '');
    if (text.trim() === '') return;
    messages.push({ text, offset: pieceStart + leading, waitForServer: waits });
    waits = 0;
  };
  while (lineStart <= body.length) {
    const newline = body.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? body.length : newline;
    const line = body.slice(lineStart, lineEnd).replace(/\r$/, '');
    const match = separatorLine.exec(line);
    if (match !== null) {
      closePiece(lineStart);
      const waitsForServer = match[1] !== undefined;
      separators.push({ offset: lineStart, length: line.length, waitsForServer });
      if (waitsForServer) waits++;
      pieceStart = newline === -1 ? body.length : newline + 1;
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  closePiece(body.length);
  return { messages, trailingWaits: waits, separators };
}

/** Methods whose body is a script of messages: a WebSocket's (JetBrains' WEBSOCKET, httpYac's WS) and a gRPC call's. */
const messageScriptMethods: readonly string[] = [...WEBSOCKET_METHODS, 'GRPC'];
const messageScriptLengths: ReadonlySet<number> = new Set(messageScriptMethods.map((method) => method.length));

/**
 * Whether a request with `method` (any case, as httpYac reads these forms) sends its body as a
 * script of messages. A unary or server-streaming gRPC call sends one message, so its body has no
 * separators; which a method is needs its proto, and is left to the gRPC checks.
 */
export function sendsMessageScript(method: string): boolean {
  // Every request's body asks: most methods are ruled out by their length without a copy.
  return messageScriptLengths.has(method.length) && messageScriptMethods.includes(method.toUpperCase());
}
