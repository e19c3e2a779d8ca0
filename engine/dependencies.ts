// Dependencies between requests: `{{login.response.body.$.token}}` in a request (or in a file
// variable it uses) means `login` must be sent first. Computed from the tree alone, over the
// templates the request reads when sent (`language/requestTemplates.ts`).

import { forEachReadTarget, requestIndexAt } from '../language/requestTemplates';
import type { HttpDocument, Request } from '../language/syntax';

/** The request called `name` (by `# @name` or a `###` title); the first one when several share it. */
export function findNamedRequest(document: HttpDocument, name: string): Request | undefined {
  return document.requests.find((request) => request.name?.text === name);
}

/**
 * Names of the requests `request` references, directly or through file variables, in order of
 * first use. Its own name in its `>>` path is not one: that path is named after its response.
 */
export function referencedRequestNames(document: HttpDocument, request: Request): string[] {
  const index = requestIndexAt(document.tables, request.start);
  const names: string[] = [];
  if (index === -1) return names;
  const ownName = request.name?.text;
  forEachReadTarget(document, index, (target, afterResponse) => {
    if (target.kind === 'request' && !names.includes(target.requestName) && !(afterResponse && target.requestName === ownName)) names.push(target.requestName);
  });
  return names;
}

/** What must be sent before a request: its unsent dependencies, dependencies first; or why that cannot be done. */
export type SendOrder =
  | { readonly kind: 'order'; readonly requests: readonly Request[] }
  | { readonly kind: 'cycle'; readonly names: readonly string[] }
  | { readonly kind: 'missing'; readonly name: string; readonly by: Request };

/** The unsent named requests `request` needs, transitively, in an order where each comes after its own dependencies. */
export function sendOrder(document: HttpDocument, request: Request, isSent: (name: string) => boolean): SendOrder {
  const order: Request[] = [];
  const path: Request[] = [request];
  let problem: SendOrder | undefined;
  const visit = (current: Request): void => {
    for (const name of referencedRequestNames(document, current)) {
      if (problem !== undefined) return;
      if (isSent(name)) continue;
      const dependency = findNamedRequest(document, name);
      if (dependency === undefined) {
        problem = { kind: 'missing', name, by: current };
        return;
      }
      if (path.includes(dependency)) {
        const names = [...path.slice(path.indexOf(dependency)), dependency].map((step) => step.name?.text ?? `line ${document.text.slice(0, step.start).split('\n').length}`);
        problem = { kind: 'cycle', names };
        return;
      }
      if (order.includes(dependency)) continue;
      path.push(dependency);
      visit(dependency);
      path.pop();
      order.push(dependency);
    }
  };
  visit(request);
  return problem ?? { kind: 'order', requests: order };
}
