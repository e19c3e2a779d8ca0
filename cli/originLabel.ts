// How reports name a request: its `# @title`, else its name, with the pass of a `# @loop`
// (`page [pass 2]`, counted from 0 like `{{$index}}`).

import type { RequestOrigin } from '../engine/model';

/** The request's label in reports; undefined when it has neither title nor name nor loop pass. */
export function originLabel(origin: RequestOrigin): string | undefined {
  const label = origin.title ?? origin.name;
  if (origin.iteration === undefined) return label;
  return `${label ?? 'loop'} [pass ${origin.iteration}]`;
}
