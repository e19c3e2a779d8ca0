// Which header gives a request its Content-Type, for the parser (is the body multipart?),
// diagnostics (is it JSON?) and the engine (is it a form?) alike.
//
// When a request has several Content-Type headers, the first one counts. All of them are sent,
// and what a server makes of the repeat decides what it parses: Node's HTTP server keeps the
// first and drops the rest, as Go's `Header.Get` and most frameworks read the first. Diagnostics
// warn when they disagree (`http.header.content-type-conflict`).

import { equalsIgnoringCase } from './scanner';

/** Whether `name` is `Content-Type`, any case. */
export function isContentTypeName(name: string): boolean {
  return equalsIgnoringCase(name, 'content-type');
}

/**
 * The index, among a request's `count` headers, of the one that gives its Content-Type:
 * the first for which `isContentType` holds; -1 when none does.
 */
export function contentTypeHeaderIndex(count: number, isContentType: (index: number) => boolean): number {
  for (let index = 0; index < count; index++) if (isContentType(index)) return index;
  return -1;
}

/** The media type of a Content-Type value, lower case, without parameters: `application/json`. */
export function mediaType(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}
