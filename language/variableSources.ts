// How a variable's origin is named to the user, shared by hover and completion.

import type { KnownVariable } from './context';

/** `dev environment`, `private dev environment`, `shared environment`, `dev environment in the \`courier.environments\` setting`, `file variable`, `prompt`. */
export function variableSourceLabel(variable: KnownVariable): string {
  const environment = variable.environment === undefined || variable.environment === '$shared' ? '' : `${variable.environment} `;
  switch (variable.source) {
    case 'file':
      return 'file variable';
    case 'environment':
      return `${environment}environment`;
    case 'private-environment':
      return `private ${environment}environment`;
    case 'shared-environment':
      return 'shared environment';
    case 'settings':
      return `${variable.environment === '$shared' ? 'shared ' : environment}environment in the \`courier.environments\` setting`;
    case 'prompt':
      return 'prompt';
  }
}

/** The last segment of a URI or path (`http-client.env.json`), for messages. */
export function fileName(uri: string): string {
  const trimmed = uri.replace(/[/\\]+$/, '');
  const last = trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
