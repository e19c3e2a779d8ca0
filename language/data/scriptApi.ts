// The JetBrains HTTP Client scripting API as scripts inside `{% %}` see it, and httpYac's as its
// `{{` blocks see it, for completion and hover: each global and member with its signature and what it does. It mirrors what the sandbox
// gives a script (engine/scripts/prelude.ts); a member added there is added here.

export type ScriptApiKind = 'object' | 'function' | 'property';

/** One member of the API: a global (`client`), an object member (`client.global`) or a method. */
export interface ScriptApiMember {
  readonly name: string;
  readonly kind: ScriptApiKind;
  /** How it is written, e.g. `client.global.set(name, value)`. */
  readonly signature: string;
  readonly documentation: string;
  /** Members of the object it is (for `object`) or of the object a call returns (for `function`). */
  readonly members?: readonly ScriptApiMember[];
}

function method(signature: string, documentation: string, members?: readonly ScriptApiMember[]): ScriptApiMember {
  const name = /([\w$]+)\(/.exec(signature)?.[1] ?? signature;
  return { name, kind: 'function', signature, documentation, ...(members === undefined ? {} : { members }) };
}

function property(signature: string, documentation: string): ScriptApiMember {
  const name = signature.split('.').at(-1)?.split(':')[0]?.trim() ?? signature;
  return { name, kind: 'property', signature, documentation };
}

function object(signature: string, documentation: string, members: readonly ScriptApiMember[]): ScriptApiMember {
  const name = signature.split('.').at(-1) ?? signature;
  return { name, kind: 'object', signature, documentation, members };
}

const digestResult: readonly ScriptApiMember[] = [
  method('toHex()', 'The digest as lowercase hexadecimal.'),
  method('toBase64(urlSafe?)', 'The digest in Base64; with `true`, URL-safe Base64 without padding.'),
];

/** What `crypto.sha256()` and the other builders answer: feed data, then `digest()`. */
function hashBuilder(keyed: boolean): readonly ScriptApiMember[] {
  // The chainable methods answer the builder itself: their members are this very list, filled below.
  const builder: ScriptApiMember[] = [];
  builder.push(
    method('updateWithText(text, encoding?)', 'Adds text (UTF-8 unless `encoding` says otherwise) to what is hashed; returns the builder.', builder),
    method('updateWithHex(hex)', 'Adds bytes written in hexadecimal; returns the builder.', builder),
    method('updateWithBase64(base64, urlSafe?)', 'Adds bytes written in Base64 (URL-safe with `true`); returns the builder.', builder),
    method('digest()', 'Computes the hash of everything added.', digestResult),
  );
  if (keyed) {
    builder.push(
      method('withTextSecret(text, encoding?)', 'The HMAC key, as text; returns the builder.', builder),
      method('withHexSecret(hex)', 'The HMAC key, in hexadecimal; returns the builder.', builder),
      method('withBase64Secret(base64, urlSafe?)', 'The HMAC key, in Base64; returns the builder.', builder),
    );
  }
  return builder;
}

function hashes(prefix: string, keyed: boolean): ScriptApiMember[] {
  const builder = hashBuilder(keyed);
  return ['sha1', 'sha256', 'sha384', 'sha512', 'md5'].map((algorithm) =>
    method(`${prefix}.${algorithm}()`, keyed ? `An HMAC-${algorithm.toUpperCase()} builder: set the key with \`withTextSecret\`, add data with \`updateWithText\`, then \`digest().toHex()\`.` : `A ${algorithm.toUpperCase()} hash builder: add data with \`updateWithText\`, then \`digest().toHex()\`.`, builder),
  );
}

/** The API's globals, in the order completion lists them. */
export const SCRIPT_API: readonly ScriptApiMember[] = [
  object('client', 'The HTTP client: globals shared by later requests, tests, assertions and the log.', [
    object('client.global', 'Variables kept for the session: a value set here is `{{name}}` in every later request.', [
      method('client.global.set(name, value)', 'Sets the global `name` (as text): later requests read it as `{{name}}`.'),
      method('client.global.get(name)', 'The global `name`, or `null` when it is not set.'),
      method('client.global.isEmpty()', 'Whether no global is set.'),
      method('client.global.clear(name)', 'Removes the global `name`.'),
      method('client.global.clearAll()', 'Removes every global.'),
    ]),
    method('client.test(name, fn)', 'A test named `name`: it passes unless `fn` throws (or its promise rejects). Shown in the CLI, the panel and the Test Explorer.'),
    method('client.assert(condition, message?)', 'Throws `message` when `condition` is false: inside `client.test`, the test fails with it.'),
    method('client.log(...values)', "Writes to the request's log (shown by the CLI and the panel)."),
    method('client.exit()', 'Stops the script here; what it did so far is kept.'),
  ]),
  object('response', 'The response the handler runs on (in `> {% %}` only).', [
    property('response.status', 'The status code, a number.'),
    object('response.body', 'The body: the parsed value for JSON, the text otherwise. For a stream (SSE, NDJSON, `# @stream`, WebSocket, gRPC), a handler that calls `onEachLine` or `onEachMessage` runs while the stream is open.', [
      method(
        'response.body.onEachLine((line, unsubscribe) => ..., onFinish?)',
        'Calls the function with each line of a streamed response as it arrives (an NDJSON line, an SSE event\'s data; JSON objects and arrays parsed), while the stream is open. `unsubscribe()` ends the stream (a normal end); `onFinish()` runs when the stream has ended. Each call has the script time limit.',
      ),
      method(
        'response.body.onEachMessage((message, unsubscribe, output) => ..., onFinish?)',
        'Calls the function with each message as it arrives (WebSocket, gRPC, GraphQL subscription, SSE; JSON objects and arrays parsed). `unsubscribe()` ends the stream; `output(message)` sends a message on a WebSocket; `onFinish()` runs when the stream has ended. Each call has the script time limit.',
      ),
    ]),
    object('response.headers', 'The response headers.', [
      method('response.headers.valueOf(name)', 'The first value of header `name` (any case), or `null`.'),
      method('response.headers.valuesOf(name)', 'Every value of header `name` (any case), as an array.'),
    ]),
    object('response.contentType', 'The Content-Type, in parts.', [
      property('response.contentType.mimeType', 'The media type, lowercase, e.g. `application/json`.'),
      property('response.contentType.charset', 'The charset parameter, e.g. `UTF-8`.'),
    ]),
  ]),
  object('request', 'The request: its variables, environment and what it sends.', [
    object('request.variables', 'Variables of this request only: in a pre-request script, a value set here is `{{name}}` in this request.', [
      method('request.variables.set(name, value)', 'Sets `{{name}}` for this request.'),
      method('request.variables.get(name)', 'The request variable `name`, or `null`.'),
    ]),
    object('request.environment', 'The active environment.', [method('request.environment.get(name)', 'The environment variable `name`, or `null`.')]),
    method('request.iteration()', 'The pass of the request\'s `# @loop`, from 0 (0 without a loop).'),
    property('request.method', 'The method, e.g. `POST`.'),
    object('request.url', 'The request target.', [
      method('request.url.getRaw()', 'The URL as written, `{{variables}}` included.'),
      method('request.url.tryGetSubstituted()', 'The URL with the variables known so far substituted.'),
    ]),
    object('request.body', 'The request body.', [
      method('request.body.getRaw()', 'The body as written.'),
      method('request.body.tryGetSubstituted()', 'The body with the variables known so far substituted.'),
    ]),
    object('request.headers', 'The request headers.', [
      method('request.headers.all()', 'Every header, each with `name`, `getRawValue()` and `tryGetSubstitutedValue()`.'),
      method('request.headers.findByName(name)', 'The first header named `name` (any case), or `null`.'),
    ]),
  ]),
  object('crypto', 'Hashes and HMACs, computed by the host.', [
    ...hashes('crypto', false),
    object('crypto.hmac', 'HMAC builders: `crypto.hmac.sha256().withTextSecret(key).updateWithText(data).digest().toHex()`.', hashes('crypto.hmac', true)),
  ]),
  object('$random', 'Random values, new on each read.', [
    property('$random.uuid', 'A random UUID (version 4).'),
    property('$random.integer', 'A random integer from 0 to 999.'),
    property('$random.float', 'A random number from 0 to 1000.'),
    property('$random.alphabetic', 'Ten random letters.'),
    property('$random.alphanumeric', 'Ten random letters, digits or underscores.'),
    property('$random.hexadecimal', 'Ten random hexadecimal digits.'),
    property('$random.email', 'A random address at example.com.'),
  ]),
  method('jsonPath(value, path)', 'The value at JSONPath `path` in `value` (e.g. `jsonPath(response.body, "$.items[0].id")`).'),
  method('xpath(text, expression)', 'The result of XPath `expression` on the XML `text`.'),
  object('Window', 'Base64 helpers, as in a browser.', [
    method('Window.btoa(text)', 'Base64 of `text`.'),
    method('Window.atob(base64)', 'The text `base64` encodes.'),
  ]),
  method('btoa(text)', 'Base64 of `text`.'),
  method('atob(base64)', 'The text `base64` encodes.'),
  object('console', "The request's log, as `client.log`.", [
    method('console.log(...values)', "Writes to the request's log."),
    method('console.info(...values)', "Writes to the request's log."),
    method('console.warn(...values)', "Writes to the request's log."),
    method('console.error(...values)', "Writes to the request's log."),
    method('console.debug(...values)', "Writes to the request's log."),
  ]),
];

/** The globals an httpYac `{{` block sees besides the sandbox's helpers (prelude.ts's httpYac modules). */
const HTTPYAC_OWN: readonly ScriptApiMember[] = [
  // A function with members of its own (`test.status(200)`): listed as an object, so `test.` completes them.
  {
    name: 'test',
    kind: 'object',
    signature: 'test(name, fn)',
    documentation: 'A test named `name`: it passes unless `fn` throws (a name without a function passes). Shown in the CLI, the panel and the Test Explorer.',
    members: [
      method('test.status(code)', 'The test "response status equals to CODE".'),
      method('test.header(name, value)', 'The test "response header NAME equals VALUE".'),
      method('test.headerContains(name, value)', 'The test "response header NAME contains VALUE".'),
      method('test.responseBody(value)', 'The test "response body equals VALUE" (the body as text).'),
      method('test.hasResponseBody()', 'The test "response body exists".'),
      method('test.hasNoResponseBody()', 'The test "response body does not exists".'),
      method('test.totalTime(ms)', 'The test "total time exceeded MS": passes while the exchange took less.'),
    ],
  },
  object('exports', 'What the script exports: `exports.name = value` makes `{{name}}` a variable of this file for the rest of the session (an exported promise is waited for; `exports.$cancel = true` stops the request).', []),
  object('$global', 'Values shared with `client.global` (kept as text): `$global.name = value`, then `{{name}}` in every later request of the session.', []),
  method('sleep(ms)', 'A promise that resolves after `ms` milliseconds (within the script time limit): `await sleep(100)`.'),
  object('response', 'The response (in scripts that run after it).', [
    property('response.statusCode', 'The status code, e.g. `200`.'),
    property('response.statusMessage', 'The reason phrase, e.g. `OK`.'),
    property('response.httpVersion', 'The HTTP version of the response.'),
    property('response.headers', 'The headers by lower-case name (`response.headers["content-type"]`); `set-cookie` is a list.'),
    property('response.body', 'The body as text.'),
    property('response.parsedBody', 'The body parsed, for JSON responses; `undefined` otherwise.'),
    property('response.contentType', 'The Content-Type: `mimeType`, `charset`, `contentType`.'),
    property('response.timings', 'How long the exchange took: `total`, in milliseconds.'),
  ]),
  object('request', 'The request as it is sent.', [
    property('request.method', 'The method, e.g. `POST`.'),
    property('request.url', 'The URL with its variables substituted.'),
    property('request.headers', 'The headers by name, values substituted.'),
    property('request.body', 'The body as text, variables substituted; `undefined` without a body.'),
  ]),
];

/** The helpers of the sandbox an httpYac block sees as a JetBrains script does. */
const SHARED_HELPERS = new Set(['crypto', '$random', 'jsonPath', 'xpath', 'btoa', 'atob', 'console']);

/** The API of an httpYac `{{` block, in the order completion lists it. */
export const HTTPYAC_SCRIPT_API: readonly ScriptApiMember[] = [...HTTPYAC_OWN, ...SCRIPT_API.filter((member) => SHARED_HELPERS.has(member.name))];

/** Which API a script is written against: JetBrains' `{% %}` or httpYac's `{{` block. */
export type ScriptApiDialect = 'jetbrains' | 'httpyac';

/**
 * The members reachable after `path` (e.g. `['client', 'global']`, `['crypto', 'sha256()']`: a
 * segment ending in `()` is a call, answering what the function returns); the globals for an
 * empty path; undefined when the path leaves the API.
 */
export function scriptApiMembersAfter(path: readonly string[], dialect: ScriptApiDialect = 'jetbrains'): readonly ScriptApiMember[] | undefined {
  let members: readonly ScriptApiMember[] | undefined = dialect === 'httpyac' ? HTTPYAC_SCRIPT_API : SCRIPT_API;
  for (const segment of path) {
    const call = segment.endsWith('()');
    const name = call ? segment.slice(0, -2) : segment;
    const member: ScriptApiMember | undefined = members?.find((candidate) => candidate.name === name);
    if (member === undefined || (member.kind === 'function') !== call) return undefined;
    members = member.members;
  }
  return members;
}

/** The member `path` names (its last segment without `()`), or undefined. */
export function scriptApiMember(path: readonly string[], dialect: ScriptApiDialect = 'jetbrains'): ScriptApiMember | undefined {
  const last = path.at(-1);
  if (last === undefined) return undefined;
  return scriptApiMembersAfter(path.slice(0, -1), dialect)?.find((member) => member.name === last);
}

/** Markdown for a member: its signature, then what it does. */
export function scriptApiMarkdown(member: ScriptApiMember): string {
  return `\`\`\`javascript\n${member.signature}\n\`\`\`\n\n${member.documentation}`;
}
