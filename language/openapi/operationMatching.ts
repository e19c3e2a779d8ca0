// Which operation of a spec a request's URL and method stand for. The URL may still hold
// `{{variables}}`: each counts as a wildcard, and one in front of the path (`{{baseUrl}}/items`)
// may stand for a whole server URL, base path included. A server's URL (with its `{variables}`)
// is taken off the front of the path first; what is left is matched segment by segment against
// the path templates, literal segments before templated ones (`/items/mine` before
// `/items/{id}`), a trailing slash ignored. Pure; the templates of a spec are compiled once.

import type { OpenApiSpec, SpecOperation, SpecServer } from './specModel';

export interface OperationMatch {
  readonly operation: SpecOperation;
  /** Values as written in the URL (percent-decoded, a label's `.` or a matrix's `;name=` taken off); `{{variables}}` stay as written. */
  readonly pathParameters: Readonly<Record<string, string>>;
  /** The server whose URL the request starts with; undefined when a variable stands for it and the spec has several. */
  readonly server: SpecServer | undefined;
}

export interface PathMatch {
  readonly pathTemplate: string;
  /** The operations of that path, whatever their method. */
  readonly operations: readonly SpecOperation[];
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly server: SpecServer | undefined;
}

/** Where a request's path starts, relative to a server of the spec. */
export interface RequestPath {
  /** The path after the server's URL, from its `/` (`/items/1`), without query or fragment. */
  readonly path: string;
  /** Offset of `path` in the URL given. */
  readonly offset: number;
  readonly server: SpecServer | undefined;
  /** Whether the URL's scheme and host are written out and are the server's (not a variable, not a host the spec does not list). */
  readonly hostMatched: boolean;
  /** Whether the server's base path, with a segment written out (`/v1`, not only `/{version}`), was taken off the front of the path. */
  readonly basePathMatched: boolean;
}

/** The operation a method and URL stand for, or undefined when no path or method matches. */
export function matchOperation(spec: OpenApiSpec, method: string, url: string): OperationMatch | undefined {
  const match = matchPath(spec, url);
  const upper = method.toUpperCase();
  const operation = match?.operations.find((candidate) => candidate.method === upper);
  return match && operation ? { operation, pathParameters: match.pathParameters, server: match.server } : undefined;
}

/** The path template a URL stands for, with its operations, whatever the method. */
export function matchPath(spec: OpenApiSpec, url: string): PathMatch | undefined {
  const compiled = compile(spec);
  let best: { score: number[]; match: PathMatch } | undefined;
  for (const candidate of requestPaths(spec, url)) {
    const segments = pathSegments(candidate.path).map((text) => ({ text, decoded: decoded(text), wildcard: isWildcard(text) }));
    for (const template of compiled.bySegmentCount.get(segments.length) ?? []) {
      const result = matchTemplate(template, segments);
      if (!result) continue;
      if (!best || compareScores(result.score, best.score) > 0) {
        best = { score: result.score, match: { pathTemplate: template.pathTemplate, operations: template.operations, pathParameters: result.parameters, server: candidate.server } };
      }
    }
  }
  return best?.match;
}

/**
 * The ways a URL's path can be read against the spec's servers, most likely first: after each
 * server whose URL it starts with, and, when a variable stands in front of the path, the path
 * itself (the variable may hold the base path).
 */
export function requestPaths(spec: OpenApiSpec, url: string): RequestPath[] {
  const target = splitTarget(url);
  const compiled = compile(spec);
  const requestSegments = rawSegments(target.path);
  const paths: RequestPath[] = [];
  const specificity: number[] = [];
  const add = (server: CompiledServer | undefined, lenient: boolean): void => {
    if (server && !lenient && !originCompatible(server, target)) return;
    const rest = server ? stripPrefix(server, requestSegments, target.path) : { path: target.path, offset: 0, literals: 0 };
    if (!rest) return;
    const offset = target.pathOffset + rest.offset;
    const hostMatched = !lenient && server?.origin !== undefined && target.origin !== undefined && !target.originIsVariable;
    const basePathMatched = server !== undefined && server.literalSegments > 0;
    const same = paths.findIndex((path) => path.offset === offset);
    // Two servers' base paths cover the same segments: the one written out (`/api`) beats a variable (`/{version}`).
    if (same < 0) {
      paths.push({ path: rest.path, offset, server: server?.server, hostMatched, basePathMatched });
      specificity.push(rest.literals);
    } else if (rest.literals > specificity[same]) {
      paths[same] = { path: rest.path, offset, server: server?.server, hostMatched, basePathMatched };
      specificity[same] = rest.literals;
    }
  };
  for (const server of compiled.servers) add(server, false);
  // A host the spec does not list (a local server, a staging one) still has the spec's base paths.
  if (paths.length === 0) for (const server of compiled.servers) add(server, true);
  const lone = spec.servers.length === 1 ? spec.servers[0] : undefined;
  const offset = target.pathOffset;
  if (!paths.some((path) => path.offset === offset)) paths.push({ path: target.path, offset, server: target.originIsVariable ? lone : undefined, hostMatched: false, basePathMatched: false });
  return paths;
}

// URLs ------------------------------------------------------------------------------------------

interface Target {
  /** Scheme and authority (`https://api.example.com`), a variable (`{{baseUrl}}`), or undefined for a bare path. */
  readonly origin: string | undefined;
  readonly originIsVariable: boolean;
  readonly path: string;
  readonly pathOffset: number;
}

/** The index of the first of `stops` outside `{{ }}`, or the text's length. */
export function indexOutsideReferences(text: string, stops: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text.startsWith('{{', i)) {
      const end = text.indexOf('}}', i + 2);
      if (end < 0) return text.length;
      i = end + 1;
      continue;
    }
    if (stops.includes(text[i])) return i;
  }
  return text.length;
}

function splitTarget(url: string): Target {
  const end = indexOutsideReferences(url, '?#');
  const target = url.slice(0, end);
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(target);
  if (scheme) {
    const slash = indexOutsideReferences(target, '/', scheme[0].length);
    return { origin: target.slice(0, slash), originIsVariable: false, path: target.slice(slash) || '/', pathOffset: slash };
  }
  if (target.startsWith('/')) return { origin: undefined, originIsVariable: false, path: target, pathOffset: 0 };
  const slash = indexOutsideReferences(target, '/');
  const origin = target.slice(0, slash);
  return { origin, originIsVariable: origin.startsWith('{{'), path: target.slice(slash) || '/', pathOffset: slash };
}

interface RawSegment {
  readonly text: string;
  /** Offset of the segment's first character in the path. */
  readonly offset: number;
}

function rawSegments(path: string): RawSegment[] {
  const segments: RawSegment[] = [];
  let start = path.startsWith('/') ? 1 : 0;
  while (start <= path.length) {
    const slash = indexOutsideReferences(path, '/', start);
    segments.push({ text: path.slice(start, slash), offset: start });
    start = slash + 1;
  }
  // A trailing slash is not a segment of its own.
  if (segments.length > 1 && segments[segments.length - 1].text === '') segments.pop();
  return segments;
}

function pathSegments(path: string): string[] {
  const segments = rawSegments(path).map((segment) => segment.text);
  return segments.length === 1 && segments[0] === '' ? [] : segments;
}

/** A request's segment that stands for any value: a `{{variable}}` in it, or a template's `{name}` or `:name` left as written. */
function isWildcard(segment: string): boolean {
  return segment.includes('{{') || /^\{[^{}]+\}$/.test(segment) || /^:[A-Za-z_]\w*$/.test(segment);
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// Compiled specs --------------------------------------------------------------------------------

interface CompiledServer {
  readonly server: SpecServer;
  /** Scheme and authority as a pattern, undefined for a relative server URL. */
  readonly origin: RegExp | undefined;
  /** The base path's segments, each a pattern (a variable may stand for a segment). */
  readonly pathSegments: readonly RegExp[];
  /** How many of those segments have no variable. */
  readonly literalSegments: number;
}

interface CompiledSegment {
  readonly literal: string | undefined;
  readonly pattern: RegExp | undefined;
  /** The parameters the pattern's groups capture, in order. */
  readonly names: readonly string[];
}

interface CompiledTemplate {
  readonly pathTemplate: string;
  readonly operations: readonly SpecOperation[];
  readonly segments: readonly CompiledSegment[];
  /** Path parameters' styles by name (`label`, `matrix`), for reading their values. */
  readonly styles: ReadonlyMap<string, string>;
}

interface CompiledSpec {
  readonly servers: readonly CompiledServer[];
  readonly bySegmentCount: ReadonlyMap<number, readonly CompiledTemplate[]>;
}

const compiledSpecs = new WeakMap<OpenApiSpec, CompiledSpec>();

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A server URL's text with its `{variables}` as patterns: an enum's values, or anything within the part. */
function serverPattern(text: string, server: SpecServer, anything: string): string {
  return text.split(/(\{[^{}]+\})/).map((part) => {
    const variable = /^\{([^{}]+)\}$/.exec(part);
    if (!variable) return escapeRegExp(part);
    const values = server.variables[variable[1]]?.enum;
    return values && values.length > 0 ? `(?:${values.map(escapeRegExp).join('|')})` : anything;
  }).join('');
}

function compileServer(server: SpecServer): CompiledServer {
  const scheme = /^(?:[a-z][a-z0-9+.-]*:|\{[^{}]+\}:)?\/\//i.exec(server.url);
  let originText: string | undefined;
  let path = server.url;
  if (scheme) {
    const slash = server.url.indexOf('/', scheme[0].length);
    originText = slash < 0 ? server.url : server.url.slice(0, slash);
    path = slash < 0 ? '' : server.url.slice(slash);
  }
  const segments = pathSegments(path.replace(/\/+$/, ''));
  return {
    server,
    origin: originText === undefined ? undefined : new RegExp(`^${serverPattern(originText, server, '[^/]*')}$`, 'i'),
    pathSegments: segments.map((segment) => new RegExp(`^${serverPattern(segment, server, '[^/]*')}$`)),
    literalSegments: segments.filter((segment) => !segment.includes('{')).length,
  };
}

function compileSegment(segment: string): CompiledSegment {
  if (!segment.includes('{')) return { literal: segment, pattern: undefined, names: [] };
  const names: string[] = [];
  const source = segment.split(/(\{[^{}]+\})/).map((part) => {
    const parameter = /^\{([^{}]+)\}$/.exec(part);
    if (!parameter) return escapeRegExp(part);
    names.push(parameter[1]);
    return '(.+?)';
  }).join('');
  return { literal: undefined, pattern: new RegExp(`^${source}$`), names };
}

function compile(spec: OpenApiSpec): CompiledSpec {
  const cached = compiledSpecs.get(spec);
  if (cached) return cached;
  const byTemplate = new Map<string, SpecOperation[]>();
  for (const operation of spec.operations) {
    const list = byTemplate.get(operation.pathTemplate);
    if (list) list.push(operation);
    else byTemplate.set(operation.pathTemplate, [operation]);
  }
  const bySegmentCount = new Map<number, CompiledTemplate[]>();
  for (const [pathTemplate, operations] of byTemplate) {
    const segments = pathSegments(pathTemplate).map(compileSegment);
    const styles = new Map<string, string>();
    for (const operation of operations) {
      for (const parameter of operation.parameters) {
        if (parameter.in === 'path' && parameter.style) styles.set(parameter.name, parameter.style);
      }
    }
    const list = bySegmentCount.get(segments.length);
    const template = { pathTemplate, operations, segments, styles };
    if (list) list.push(template);
    else bySegmentCount.set(segments.length, [template]);
  }
  const result = { servers: spec.servers.map(compileServer), bySegmentCount };
  compiledSpecs.set(spec, result);
  return result;
}

// Matching --------------------------------------------------------------------------------------

function originCompatible(server: CompiledServer, target: Target): boolean {
  if (server.origin === undefined || target.origin === undefined || target.originIsVariable) return true;
  if (target.origin.includes('{{')) return true;
  return server.origin.test(target.origin);
}

/** The request path after a server's base path (and how many of its segments are literal), or undefined when it does not start with it. */
function stripPrefix(server: CompiledServer, segments: readonly RawSegment[], path: string): { path: string; offset: number; literals: number } | undefined {
  const prefix = server.pathSegments;
  if (prefix.length === 0) return { path, offset: 0, literals: 0 };
  if (segments.length < prefix.length) return undefined;
  for (let i = 0; i < prefix.length; i++) {
    const segment = segments[i].text;
    if (!isWildcard(segment) && !prefix[i].test(decoded(segment))) return undefined;
  }
  const last = segments[prefix.length - 1];
  const offset = last.offset + last.text.length;
  return { path: path.slice(offset) || '/', offset, literals: server.literalSegments };
}

/** A parameter's value as the URL writes it, in the parameter's style. */
function parameterValue(value: string, name: string, style: string | undefined): string {
  if (value.includes('{{')) return value;
  if (style === 'label' && value.startsWith('.')) return decoded(value.slice(1));
  if (style === 'matrix' && value.startsWith(`;${name}=`)) return decoded(value.slice(name.length + 2));
  return decoded(value);
}

interface RequestSegment {
  readonly text: string;
  readonly decoded: string;
  readonly wildcard: boolean;
}

function matchTemplate(template: CompiledTemplate, segments: readonly RequestSegment[]): { score: number[]; parameters: Record<string, string> } | undefined {
  // Literal segments first: most templates fail on one, before any array is made.
  for (let i = 0; i < segments.length; i++) {
    const literal = template.segments[i].literal;
    const segment = segments[i];
    if (literal !== undefined && !segment.wildcard && segment.decoded !== literal && segment.text !== literal) return undefined;
  }
  const score: number[] = [];
  const parameters: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    const compiled = template.segments[i];
    if (compiled.literal !== undefined) {
      score.push(segment.wildcard ? 1 : 3);
      continue;
    }
    if (segment.wildcard) {
      score.push(2);
      if (compiled.names.length === 1) parameters[compiled.names[0]] = segment.text;
      continue;
    }
    const groups = compiled.pattern!.exec(segment.text);
    if (!groups) return undefined;
    score.push(1);
    compiled.names.forEach((name, index) => { parameters[name] = parameterValue(groups[index + 1], name, template.styles.get(name)); });
  }
  return { score, parameters };
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
