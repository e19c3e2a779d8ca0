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
    description: 'Abort the request when the whole exchange takes longer than this. A bare number is seconds; `ms`, `s` and `m` suffixes are accepted. A stream (Server-Sent Events, NDJSON, `# @stream`) that has opened ends there as a normal end, keeping what arrived.',
    value: 'required',
    valueSyntax: '<number>[ms|s|m]',
    snippet: 'timeout ${1:30}',
    example: '# @timeout 30s',
  },
  {
    name: 'stream',
    description:
      'Show the response as a stream of lines as they arrive (live in the panel and the CLI), whatever its Content-Type. `text/event-stream` (Server-Sent Events) and NDJSON / JSON Lines responses are streamed without it. End an endless stream with `# @timeout`, Stop or Ctrl+C: a normal end that keeps what arrived.',
    value: 'none',
    valueSyntax: '',
    snippet: 'stream',
    example: '# @stream',
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
  {
    name: 'ref',
    description: 'httpYac: send the named request first, unless it was already sent in this session (its response is then read from there). Requests of files named by `# @import` or `import` can be named.',
    value: 'required',
    valueSyntax: '<request name>',
    snippet: 'ref ${1:login}',
    example: '# @ref login',
  },
  {
    name: 'forceRef',
    description: 'httpYac: send the named request first, every time this request is sent, even when it was already sent in this session.',
    value: 'required',
    valueSyntax: '<request name>',
    snippet: 'forceRef ${1:login}',
    example: '# @forceRef login',
  },
  {
    name: 'import',
    description: 'httpYac: makes the named requests and the `@variables` of another `.http` file available to every request of this file (path relative to this file).',
    value: 'required',
    valueSyntax: '<path.http>',
    snippet: 'import ${1:./shared.http}',
    example: '# @import ./shared/login.http',
  },
  {
    name: 'disabled',
    description: 'httpYac: the request is not sent (reported as skipped). With a JavaScript expression, only when it is truthy, e.g. `# @disabled !isProduction`; the expression sees variables as JavaScript names and runs in the script sandbox.',
    value: 'optional',
    valueSyntax: '[expression]',
    snippet: 'disabled',
    example: '# @disabled',
  },
  {
    name: 'sleep',
    description: 'httpYac: wait this many milliseconds before sending (a number, or a JavaScript expression run in the script sandbox).',
    value: 'required',
    valueSyntax: '<milliseconds>',
    snippet: 'sleep ${1:1000}',
    example: '# @sleep 1000',
  },
  {
    name: 'loop',
    description: 'httpYac: send the request repeatedly. `for N` sends it N times; `for item of EXPR` once per element of the array EXPR evaluates to, with `{{item}}`; `while EXPR` while the expression is truthy (checked before each pass, at most 1,000 passes). `{{$index}}` is the pass (from 0), `request.iteration()` in scripts too. A named request\'s passes are also named `name0`, `name1`, ...',
    value: 'required',
    valueSyntax: 'for <count> | for <variable> of <expression> | while <expression>',
    snippet: 'loop for ${1:3}',
    example: '# @loop for 3',
  },
  {
    name: 'title',
    description: 'httpYac: a title for the request, shown in the outline, in CodeLens and in CLI reports instead of the method and URL.',
    value: 'required',
    valueSyntax: '<text>',
    snippet: 'title ${1:title}',
    example: '# @title Create an item',
  },
  {
    name: 'description',
    description: 'httpYac: a description of the request, shown in hover and the outline.',
    value: 'required',
    valueSyntax: '<text>',
    snippet: 'description ${1:description}',
    example: '# @description Creates an item and returns its id',
  },
  {
    name: 'save',
    description: 'httpYac: save the response body to a file instead of showing it (the editor asks where; the CLI ignores it, as httpYac\'s does). Prefer `>> file` for a fixed path.',
    value: 'none',
    valueSyntax: '',
    snippet: 'save',
    example: '# @save',
  },
  {
    name: 'noLog',
    description: 'httpYac\'s spelling of `@no-log`: keep this request and its response out of the history and out of the CLI\'s verbose output (for secrets).',
    value: 'none',
    valueSyntax: '',
    snippet: 'noLog',
    example: '# @noLog',
  },
  {
    name: 'ratelimit',
    description: 'httpYac: throttle requests. `minIdleTime MS` waits until MS milliseconds passed since the last request of the slot; `max N expire MS` allows at most N requests per MS milliseconds; `slot NAME` gives requests their own budget (one slot by default). Slots last as long as the session.',
    value: 'required',
    valueSyntax: '[slot <name>] [minIdleTime <ms>] [max <n> expire <ms>]',
    snippet: 'ratelimit minIdleTime ${1:100}',
    example: '# @ratelimit minIdleTime 100',
  },
];

const byName = new Map(KNOWN_DIRECTIVES.map((directive) => [directive.name, directive]));
const directiveNames = KNOWN_DIRECTIVES.map((directive) => directive.name);

/** The directive named `name` (without `@`; names are matched as written: httpYac's are camel-case, `forceRef`). */
export function lookupDirective(name: string): DirectiveInfo | undefined {
  return byName.get(name);
}

/** The known directive closest to `word` (case ignored), for "did you mean" fixes. */
export function suggestDirective(word: string): string | undefined {
  return closestName(word, directiveNames, (name) => name.toLowerCase());
}
