// The one list of the templates a request reads when it is sent. The engine substitutes these
// (engine/prepare.ts, and the runner for `>>`), finds the named requests to send first from them
// (engine/dependencies.ts), and the language features check, find and rename the references in
// them (through `blockTemplates`): a template listed here and not there, or the reverse, is a
// reference that is sent unchecked or checked but never sent.
//
// Read from the tables, into the caller's array, so a walk over a large document allocates nothing.

import { Graphql, Hdr, MPart, Multi, Part, Ref, Req, Tpl, Var, type ReadonlySyntaxTables } from './syntaxTables';

/**
 * Writes to `out`, from index `from`, the templates request `request` (an index) reads when it is
 * sent, as `first, count` pairs in document order, and returns the index after the last number
 * written: the target's lines; each header's value lines; the body as the engine builds it (a
 * GraphQL body's query and variables, or each multipart part's header values and contents, or
 * else each part: inline text, or a file's path); the `>>` path. Directive values take no
 * variables, and the file variables a template reaches are the caller's to follow (`fileVariableTemplates`).
 */
export function requestTemplates(tables: ReadonlySyntaxTables, request: number, out: number[], from: number): number {
  const requests = tables.requests.data;
  const req = request * Req.size;
  let written = from;
  out[written++] = requests[req + Req.firstTarget];
  out[written++] = requests[req + Req.targetCount];
  written = headerTemplates(tables, requests[req + Req.firstHeader], requests[req + Req.headerCount], out, written);
  const graphql = requests[req + Req.graphql];
  const multipart = requests[req + Req.multipart];
  if (graphql !== -1) {
    // The query and its variables are all of the body that is sent: parts after the first are not.
    const graphqls = tables.graphqls.data;
    out[written++] = graphqls[graphql * Graphql.size + Graphql.query];
    out[written++] = 1;
    const variables = graphqls[graphql * Graphql.size + Graphql.variables];
    if (variables !== -1) {
      out[written++] = variables;
      out[written++] = 1;
    }
  } else if (multipart !== -1) {
    // Each part as the engine writes it; the delimiter lines and any text before the first are not sent.
    const multiparts = tables.multiparts.data;
    const parts = tables.multipartParts.data;
    const firstPart = multiparts[multipart * Multi.size + Multi.firstPart];
    for (let part = firstPart; part < firstPart + multiparts[multipart * Multi.size + Multi.partCount]; part++) {
      const at = part * MPart.size;
      written = headerTemplates(tables, parts[at + MPart.firstHeader], parts[at + MPart.headerCount], out, written);
      written = partTemplates(tables, parts[at + MPart.firstPart], parts[at + MPart.partCount], out, written);
    }
  } else {
    written = partTemplates(tables, requests[req + Req.firstPart], requests[req + Req.partCount], out, written);
  }
  const redirect = requests[req + Req.redirectPath];
  if (redirect !== -1) {
    out[written++] = redirect;
    out[written++] = 1;
  }
  return written;
}

function headerTemplates(tables: ReadonlySyntaxTables, first: number, count: number, out: number[], from: number): number {
  const headers = tables.headers.data;
  let written = from;
  for (let index = first; index < first + count; index++) {
    out[written++] = headers[index * Hdr.size + Hdr.firstValue];
    out[written++] = headers[index * Hdr.size + Hdr.valueCount];
  }
  return written;
}

function partTemplates(tables: ReadonlySyntaxTables, first: number, count: number, out: number[], from: number): number {
  const parts = tables.parts.data;
  let written = from;
  for (let index = first; index < first + count; index++) {
    out[written++] = parts[index * Part.size + Part.template];
    out[written++] = 1;
  }
  return written;
}

/** The index of the request whose line starts at `start`, or -1: requests are in document order, so a binary search. */
export function requestIndexAt(tables: ReadonlySyntaxTables, start: number): number {
  const requests = tables.requests.data;
  let low = 0;
  let high = tables.requests.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const middleStart = requests[middle * Req.size + Req.start];
    if (middleStart === start) return middle;
    if (middleStart < start) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}

/** Scratch for `forEachRequestRef`. */
const requestRanges: number[] = [];

/**
 * Calls `visit` with where each reference of the templates request `request` reads starts in the
 * refs table (see `requestTemplates`), in the list's order, until it returns true. File variables
 * are not followed.
 */
export function forEachRequestRef(tables: ReadonlySyntaxTables, request: number, visit: (at: number) => boolean | undefined): void {
  // Copied out: `visit` may walk another request.
  const ranges = requestRanges.slice(0, requestTemplates(tables, request, requestRanges, 0));
  forEachRefIn(tables, ranges, visit);
}

/** Calls `visit` for each reference of the templates of `ranges` (`first, count` pairs), until it returns true; true when it did. */
export function forEachRefIn(tables: ReadonlySyntaxTables, ranges: readonly number[], visit: (at: number) => boolean | undefined): boolean {
  const templates = tables.templates.data;
  for (let range = 0; range < ranges.length; range += 2) {
    for (let template = ranges[range]; template < ranges[range] + ranges[range + 1]; template++) {
      const firstRef = templates[template * Tpl.size + Tpl.firstRef];
      for (let ref = firstRef; ref < firstRef + templates[template * Tpl.size + Tpl.refCount]; ref++) {
        if (visit(ref * Ref.size) === true) return true;
      }
    }
  }
  return false;
}

/** Each file variable's name and the value template of its last definition (the one that is sent). */
export function fileVariableTemplates(text: string, tables: ReadonlySyntaxTables): Map<string, number> {
  const variables = tables.variables.data;
  const found = new Map<string, number>();
  for (let index = 0; index < tables.variables.count; index++) {
    const at = index * Var.size;
    found.set(text.slice(variables[at + Var.nameStart], variables[at + Var.nameEnd]), variables[at + Var.value]);
  }
  return found;
}
