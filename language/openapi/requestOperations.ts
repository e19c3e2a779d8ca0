// Which spec and operation a request of a document stands for: the one reader the OpenAPI
// completion, hover and checks share. A `{{variable}}` in front of the URL is read from the file's
// variables and the environments when its value is plain text, so `{{baseUrl}}/pets` with
// `baseUrl = https://api.example.com/v1` finds the server; otherwise it stays a wildcard.

import type { FeatureContext } from '../context';
import type { Request } from '../syntax';
import { matchPath, requestPaths, type PathMatch, type RequestPath } from './operationMatching';
import type { OpenApiSpec, SpecOperation } from './specModel';

export interface RequestOperation {
  readonly spec: OpenApiSpec;
  /** The path the URL matched, with all its operations; undefined when none did. */
  readonly path: PathMatch | undefined;
  /** The operation of the request's method on that path. */
  readonly operation: SpecOperation | undefined;
  /** Where the request's path starts in the target's text (an offset into `request.target.text`), as the spec's servers read it. */
  readonly requestPath: RequestPath;
  /** Whether the URL is surely one of the spec's (its host or base path is), so an unknown path is worth a warning. */
  readonly targetsSpec: boolean;
}

/** The specs the host has for this document; none without an OpenAPI host. */
export function specsOf(context: FeatureContext): readonly OpenApiSpec[] {
  return context.host.openApi?.specsFor(context.uri) ?? [];
}

/** The target with a leading `{{name}}` replaced by its plain value, and how much longer that made it. */
export function expandLeadingVariable(context: FeatureContext, target: string): { readonly url: string; readonly shift: number } {
  const leading = /^\{\{\s*([\w.-]+)\s*\}\}/.exec(target);
  if (!leading) return { url: target, shift: 0 };
  const name = leading[1];
  let value: string | undefined;
  for (const variable of context.document.variables) if (variable.name.text === name) value = variable.value.text;
  value ??= context.environments.variables.get(name)?.value;
  if (value === undefined || value.includes('{{')) return { url: target, shift: 0 };
  const trimmed = value.replace(/\/+$/, '');
  return { url: trimmed + target.slice(leading[0].length), shift: trimmed.length - leading[0].length };
}

/** The spec and operation `request` stands for: the first spec whose paths match a URL of its own, else the first whose paths match, else the first it targets, else the first. */
export function requestOperation(context: FeatureContext, request: Request, target = request.target.text): RequestOperation | undefined {
  const specs = specsOf(context);
  if (specs.length === 0) return undefined;
  const { url, shift } = expandLeadingVariable(context, target);
  let fallback: RequestOperation | undefined;
  let first: RequestOperation | undefined;
  for (const spec of specs) {
    const path = matchPath(spec, url);
    const candidates = requestPaths(spec, url);
    const nearest = candidates[0];
    const requestPath = { ...nearest, offset: Math.max(0, nearest.offset - shift) };
    const targetsSpec = targets(spec, url);
    const operation = path?.operations.find((candidate) => candidate.method === request.methodName.toUpperCase());
    const found: RequestOperation = { spec, path, operation, requestPath, targetsSpec };
    if (path && targetsSpec) return found;
    if (path) fallback ??= found;
    else if (targetsSpec) fallback ??= found;
    first ??= found;
  }
  // Nothing matched: the first spec still says where a path would start (for completion).
  return fallback ?? first;
}

/**
 * Whether a URL is one of the spec's: its scheme and host are a server's, or a server's base path
 * (other than `/`) starts its path. A request to another API should not hear about this spec.
 */
function targets(spec: OpenApiSpec, url: string): boolean {
  return requestPaths(spec, url).some((candidate) => candidate.hostMatched || candidate.basePathMatched);
}
