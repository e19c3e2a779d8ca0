// The differences the differential run allows: the bugs issue 12 fixes and the scripts issue 13
// adds, each by id. A difference
// is expected when the request that shows it carries the tag (generated documents tag the
// requests that exercise a fixed bug, see generator.ts); anything else fails the run.
//
// Not listed, because the server cannot see them: "env files read once per send" (the values
// sent are the same), `>> file` in the extension, temp-file clean-up, the client refactors.

import type { RequestTag } from './generator';

export interface ExpectedDifference {
  readonly id: string;
  readonly tag: RequestTag;
  /** The item of issue 12 that changes what is sent, and how. */
  readonly why: string;
  /**
   * Only the transport may change: a request sent by both must have the same fields (method,
   * target, header fields, body), or the difference is unexpected.
   */
  readonly sameFields?: boolean;
}

export const expectedDifferences: readonly ExpectedDifference[] = [
  {
    id: 'content-type-rule',
    tag: 'duplicate-content-type',
    why: 'item 5: one Content-Type rule; with two Content-Type headers the base prepared the body by the first and the parser read the last',
  },
  {
    id: 'http2',
    tag: 'http2',
    why: 'item 1: a request line that says HTTP/2 goes over HTTP/2 (or fails clearly); the base sent it over HTTP/1.1',
    sameFields: true,
  },
  {
    id: 'scripts',
    tag: 'scripts',
    why: 'issue 13: pre-request scripts, response handlers and ?? lines run; the base ignored them, so requests reading what scripts set were not sent, and a failed test now fails the run',
  },
  {
    id: 'new-syntax',
    tag: 'new-syntax',
    why: "issue 14: a sample written in another tool's syntax (no ###, /* */, {{ }} script blocks, run lines, ...) that the base could not read (exit 2): only the head sends it",
  },
  {
    id: 'ws-scheme',
    tag: 'ws-scheme',
    why: 'item 5: ws:/wss: URLs handled consistently; the base refused them in prepare',
  },
];

/** The expected difference a request's tags allow, if any; `sameFields` when both sides sent it with the same fields (or there is no pair). */
export function expectedFor(tags: readonly RequestTag[], sameFields = true): ExpectedDifference | undefined {
  return expectedDifferences.find((expected) => tags.includes(expected.tag) && (sameFields || expected.sameFields !== true));
}
