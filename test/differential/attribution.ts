// Which request of which document each recorded request came from, for the report. Generated
// URLs carry their request's id (`/d3/r1/...`); the samples' requests are matched, in order,
// against the CLI's json report (method and path), and a request that matches none is a further
// hop (redirect, Digest answer) of the last one matched.

import type { GeneratedDocument } from './generator';
import type { ReportedRequest } from './processes';
import type { RecordedRequest } from './recorder';

/** `/d3/r1/...` to `d3/r1`; undefined for a path without an id. */
export function generatedRequestId(requestLine: string): string | undefined {
  const target = requestLine.split(' ')[1] ?? '';
  const match = /^(?:[a-z]+:\/\/[^/]*)?\/(d\d+\/r\d+)\//i.exec(target);
  return match?.[1];
}

/** The document index of a generated request id (`d3/r1` -> 3). */
export function documentIndexOf(id: string): number {
  return Number(/^d(\d+)/.exec(id)?.[1]);
}

/** `d003.http:12`, with `(hop n)` for the n-th further request of the same request. */
export function generatedOrigins(recorded: readonly RecordedRequest[], documents: readonly GeneratedDocument[]): string[] {
  const seen = new Map<string, number>();
  return recorded.map((request) => {
    const id = generatedRequestId(request.requestLine);
    if (id === undefined) return 'no request id in the URL';
    const document = documents[documentIndexOf(id)];
    const line = document?.requests.find((candidate) => candidate.id === id)?.line;
    const hop = seen.get(id) ?? 0;
    seen.set(id, hop + 1);
    return `${document?.fileName ?? id}:${line ?? '?'}${hop === 0 ? '' : ` (hop ${hop + 1})`}`;
  });
}

/**
 * `01-basics.http:6`, matched against the json reporter's lines in order: a recorded request starts
 * the next reported one when it has its method and path and the current one has had all its
 * redirects; otherwise it is a further hop of the current one (a redirect, a Digest answer).
 */
export function sampleOrigins(recorded: readonly RecordedRequest[], reported: readonly ReportedRequest[]): string[] {
  let current = -1;
  let hop = 0;
  return recorded.map((request) => {
    const [method = '', target = ''] = request.requestLine.split(' ');
    const next = reported[current + 1];
    const redirectsLeft = current >= 0 && hop < (reported[current]?.redirects ?? 0);
    if (next !== undefined && !redirectsLeft && next.method === method && pathOf(next.url) === target) {
      current++;
      hop = 0;
    } else {
      hop++;
    }
    const origin = reported[current];
    if (origin === undefined) return 'before any reported request';
    return `${origin.file}:${origin.line}${hop === 0 ? '' : ` (hop ${hop + 1})`}`;
  });
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}
