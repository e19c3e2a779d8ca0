// The `# @directive` and `// @directive` lines Courier understands. Completion
// offers them, hover explains them and diagnostics suggest one for a typo.

import { closestName } from './spelling';

export interface DirectiveInfo {
  /** Without the `@`. */
  readonly name: string;
  /** Markdown. */
  readonly description: string;
  /** Whether a value follows the name. */
  readonly value: 'none' | 'required' | 'optional';
  /** The value's syntax as shown to users, e.g. `<number>[ms|s|m]`; empty when there is no value. */
  readonly valueSyntax: string;
  /** Snippet (VS Code syntax) inserted after `@`, e.g. `timeout ${1:5000}`. */
  readonly snippet: string;
  readonly example: string;
}

/** Every known directive, the most used first. */
export const KNOWN_DIRECTIVES: readonly DirectiveInfo[] = [
  {
    name: 'name',
    description: 'Names the request so others can read its response: `{{login.response.body.$.token}}`. Also the label in the outline and CLI reports.',
    value: 'required',
    valueSyntax: '<identifier>',
    snippet: 'name ${1:requestName}',
    example: '# @name login',
  },
  {
    name: 'prompt',
    description: 'Asks for a value before sending; use it as `{{variable}}`. Names containing `password`, `secret` or `token` are asked for masked.',
    value: 'required',
    valueSyntax: '<variable> [description]',
    snippet: 'prompt ${1:variable} ${2:description}',
    example: '# @prompt otp One-time code from your authenticator',
  },
  {
    name: 'no-redirect',
    description: 'Do not follow 3xx redirects: the redirect response itself is shown.',
    value: 'none',
    valueSyntax: '',
    snippet: 'no-redirect',
    example: '# @no-redirect',
  },
  {
    name: 'no-cookie-jar',
    description: 'Neither send cookies from the session\'s cookie jar nor store the cookies this response sets.',
    value: 'none',
    valueSyntax: '',
    snippet: 'no-cookie-jar',
    example: '# @no-cookie-jar',
  },
  {
    name: 'timeout',
    description: 'Abort the request when the whole exchange takes longer than this. A bare number is seconds; `ms`, `s` and `m` suffixes are accepted.',
    value: 'required',
    valueSyntax: '<number>[ms|s|m]',
    snippet: 'timeout ${1:30}',
    example: '# @timeout 30s',
  },
  {
    name: 'connection-timeout',
    description: 'Abort when the connection (DNS, TCP and TLS) is not established within this time. A bare number is seconds; `ms`, `s` and `m` suffixes are accepted.',
    value: 'required',
    valueSyntax: '<number>[ms|s|m]',
    snippet: 'connection-timeout ${1:5}',
    example: '# @connection-timeout 2s',
  },
  {
    name: 'note',
    description: 'Ask for confirmation before sending: for requests with side effects, such as deleting production data.',
    value: 'optional',
    valueSyntax: '[message]',
    snippet: 'note',
    example: '# @note',
  },
  {
    name: 'no-log',
    description: 'Keep this request and its response out of the history and logs (for secrets).',
    value: 'none',
    valueSyntax: '',
    snippet: 'no-log',
    example: '# @no-log',
  },
  {
    name: 'insecure',
    description: 'Skip TLS certificate verification for this request only. Courier verifies certificates by default and reports a warning when this is used.',
    value: 'none',
    valueSyntax: '',
    snippet: 'insecure',
    example: '# @insecure',
  },
];

const byName = new Map(KNOWN_DIRECTIVES.map((directive) => [directive.name, directive]));
const directiveNames = KNOWN_DIRECTIVES.map((directive) => directive.name);

/** The directive named `name` (without `@`; directive names are lower-case). */
export function lookupDirective(name: string): DirectiveInfo | undefined {
  return byName.get(name);
}

/** The known directive closest to `word` (case ignored), for "did you mean" fixes. */
export function suggestDirective(word: string): string | undefined {
  return closestName(word, directiveNames, (name) => name.toLowerCase());
}
