// The one list of the templates a request reads when it is sent. The engine substitutes these
// (engine/prepare.ts, and the runner for `>>`), finds the named requests to send first from them
// (engine/dependencies.ts), and the language features check, find and rename the references in
// them (through `blockTemplates`): a template listed here and not there, or the reverse, is a
// reference that is sent unchecked or checked but never sent.
//
// Read from the tables, into the caller's array, so a walk over a large document allocates nothing.

import { scanReferences } from './references';
import type { HttpDocument } from './syntax';
import { Graphql, Hdr, MPart, Multi, Part, Ref, Req, Tpl, Var, type ReadonlySyntaxTables, type SharedTarget } from './syntaxTables';

/**
 * Writes to `out`, from index `from`, the templates request `request` (an index) reads when it is
 * sent, as `first, count` pairs in document order, and returns the index after the last number
 * written: the target's lines; each header's value lines; the body as the engine builds it (a
 * GraphQL body's query and variables, or each multipart part's header values and contents, or
 * else each part: inline text, or a file's path); the `>>` path. Directive values take no
 * variables, and the file variables a template reaches are followed by `forEachReadTarget`.
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
function fileVariableTemplates(text: string, tables: ReadonlySyntaxTables): Map<string, number> {
  const variables = tables.variables.data;
  const found = new Map<string, number>();
  for (let index = 0; index < tables.variables.count; index++) {
    const at = index * Var.size;
    found.set(text.slice(variables[at + Var.nameStart], variables[at + Var.nameEnd]), variables[at + Var.value]);
  }
  return found;
}

/**
 * Calls `visit` with what each reference request `request` (an index) reads names, in the list's
 * order, and with those of the values they reach: a file variable's last definition, else
 * `environmentValue`'s answer (each name followed once, where it is first met, so cycles end).
 * `afterResponse` is true for what only its `>>` path reads: the path is named once the response
 * has arrived, so it may read the request's own response.
 */
export function forEachReadTarget(
  { text, tables }: HttpDocument,
  request: number,
  visit: (target: SharedTarget, afterResponse: boolean) => void,
  environmentValue: (name: string) => string | undefined = noEnvironment,
): void {
  const definitions = fileVariableTemplates(text, tables);
  const refs = tables.refs.data;
  const followed = new Set<string>();
  let afterResponse = false;
  const visitTarget = (target: SharedTarget): void => {
    visit(target, afterResponse);
    if (target.kind !== 'variable' || followed.has(target.name)) return;
    followed.add(target.name);
    const value = definitions.get(target.name);
    if (value !== undefined) {
      forEachRefIn(tables, [value, 1], visitRef);
      return;
    }
    const environment = environmentValue(target.name);
    if (environment?.includes('{{') === true) for (const reference of scanReferences(environment, 0, environment.length, [])) visitTarget(reference.target);
  };
  const visitRef = (at: number): boolean => {
    visitTarget(tables.targets[refs[at + Ref.target]]);
    return false;
  };
  const ranges: number[] = [];
  const written = requestTemplates(tables, request, ranges, 0);
  // The `>>` path is the list's last template.
  const redirected = tables.requests.data[request * Req.size + Req.redirectPath] !== -1;
  forEachRefIn(tables, redirected ? ranges.slice(0, written - 2) : ranges, visitRef);
  afterResponse = true;
  if (redirected) forEachRefIn(tables, ranges.slice(written - 2, written), visitRef);
}

const noEnvironment = (): undefined => undefined;

/** Whether a file variable's value or a template some request reads references a named request (`{{login.response...}}`). */
export function referencesNamedRequests(tables: ReadonlySyntaxTables): boolean {
  const refs = tables.refs.data;
  const isRequest = (at: number): boolean => tables.targets[refs[at + Ref.target]].kind === 'request';
  const ranges: number[] = [];
  for (let variable = 0; variable < tables.variables.count; variable++) {
    ranges[0] = tables.variables.data[variable * Var.size + Var.value];
    ranges[1] = 1;
    if (forEachRefIn(tables, ranges, isRequest)) return true;
  }
  for (let request = 0; request < tables.requests.count; request++) {
    ranges.length = requestTemplates(tables, request, ranges, 0);
    if (forEachRefIn(tables, ranges, isRequest)) return true;
  }
  return false;
}
