// A stream's messages as text for people: the CLI's pretty reporter, the panel's messages table
// and "Save exchange" show a message's data and a stream's end the same way. Pure: no Node, no DOM.

import type { StreamEnd, StreamMessage } from './model';

/** How a message's data is shown: JSON pretty-printed, text as it came, binary summarised. */
export type MessageDataKind = 'json' | 'text' | 'binary';

export interface MessageDataText {
  readonly kind: MessageDataKind;
  /** At most `limit` characters (binary: a size and a hex dump of the first bytes). */
  readonly text: string;
  /** Characters of the data left out by the limit (0 when shown whole; binary: 0). */
  readonly omitted: number;
}

/** Bytes of a binary message shown in hex after its size. */
export const binaryPreviewBytes = 16;

/** `[binary, 5 B] 00 01 02 03 04`: the size and the first bytes. */
export function binarySummary(bytes: Uint8Array, previewBytes = binaryPreviewBytes): string {
  const shown = Array.from(bytes.subarray(0, previewBytes), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
  const more = bytes.length > previewBytes ? ' …' : '';
  return `[binary, ${bytes.length} B]${shown === '' ? '' : ` ${shown}${more}`}`;
}

/**
 * A message's data for people, at most `limit` characters: JSON objects and arrays pretty-printed
 * with two spaces (only when the whole text fits the limit, so a huge message is never parsed),
 * other text as it came, binary data summarised.
 */
export function messageDataText(data: StreamMessage['data'], limit: number): MessageDataText {
  if (typeof data !== 'string') return { kind: 'binary', text: binarySummary(data), omitted: 0 };
  if (data.length <= limit && looksLikeJson(data)) {
    try {
      const pretty = JSON.stringify(JSON.parse(data), null, 2);
      if (pretty.length <= limit) return { kind: 'json', text: pretty, omitted: 0 };
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  if (data.length <= limit) return { kind: 'text', text: data, omitted: 0 };
  return { kind: 'text', text: data.slice(0, limit), omitted: data.length - limit };
}

function looksLikeJson(text: string): boolean {
  const first = text.trimStart().charCodeAt(0);
  return first === 0x7b /* { */ || first === 0x5b /* [ */;
}

const endReasons: Readonly<Record<StreamEnd['reason'], string>> = {
  completed: 'completed',
  'closed-by-server': 'closed by the server',
  stopped: 'stopped',
  timeout: 'timed out',
};

/** `closed by the server (code 1000: bye)`, `completed`. */
export function describeStreamEnd(end: StreamEnd): string {
  const parts = [end.code === undefined ? undefined : `code ${end.code}`, end.detail === undefined || end.detail === '' ? undefined : end.detail].filter((part) => part !== undefined);
  return parts.length === 0 ? endReasons[end.reason] : `${endReasons[end.reason]} (${parts.join(': ')})`;
}

/** `←` for a message received, `→` for one sent. */
export function directionArrow(direction: StreamMessage['direction']): string {
  return direction === 'received' ? '←' : '→';
}

/** Time since the start as the CLI writes durations: `0.4 ms`, `12 ms`, `1.04 s`. */
export function messageTime(ms: number): string {
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `12 ms ← tick #42`: when, which way, what and its id; the time padded to `timeWidth` so a list lines up. */
export function messageHeading(message: Pick<StreamMessage, 'at' | 'direction' | 'type' | 'id'>, timeWidth = 0): string {
  const id = message.id === undefined ? '' : ` #${message.id}`;
  return `${messageTime(message.at).padStart(timeWidth)} ${directionArrow(message.direction)} ${message.type}${id}`;
}

/** The messages of `messages` to show when at most `max` fit: the most recent ones, and how many of `count` in all were left out. */
export function lastMessages<T>(messages: readonly T[], count: number, max: number): { readonly shown: readonly T[]; readonly notShown: number } {
  const shown = messages.length > max ? messages.slice(messages.length - Math.max(0, max)) : messages;
  return { shown, notShown: Math.max(0, count - shown.length) };
}
