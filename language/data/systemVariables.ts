// System variables: `{{$name args}}` values computed when the request is sent.
// Courier accepts REST Client's forms (`$guid`, `$randomInt 1 10`, `$datetime iso8601`)
// and JetBrains' (`$uuid`, `$random.integer(1, 10)`), so existing files keep working.

export interface SystemVariableInfo {
  /** With the `$`, e.g. `$randomInt`, `$random.integer`. */
  readonly name: string;
  /** Arguments as documented, e.g. `min max` or `(from, to)`; empty when there are none. */
  readonly argumentSyntax: string;
  /** Markdown. */
  readonly description: string;
  readonly example: string;
  /** Snippet (VS Code syntax) inserted between the braces. */
  readonly snippet: string;
  /** Arguments accepted: REST Client's space-separated words, or JetBrains' call syntax. */
  readonly minArguments: number;
  readonly maxArguments: number;
}

const OFFSET_UNITS = '`y` years, `Q` quarters, `M` months, `w` weeks, `d` days, `h` hours, `m` minutes, `s` seconds, `ms` milliseconds';

/** Every known system variable. */
export const SYSTEM_VARIABLES: readonly SystemVariableInfo[] = [
  { name: '$uuid', argumentSyntax: '', description: 'A random RFC 4122 version 4 UUID, new for each reference.', example: '{{$uuid}}', snippet: '\\$uuid', minArguments: 0, maxArguments: 0 },
  { name: '$guid', argumentSyntax: '', description: 'Same as `$uuid` (REST Client\'s name).', example: '{{$guid}}', snippet: '\\$guid', minArguments: 0, maxArguments: 0 },
  {
    name: '$timestamp',
    argumentSyntax: '[offset unit]',
    description: `Seconds since the Unix epoch (UTC), optionally shifted: \`$timestamp -3 d\` is three days ago. Units: ${OFFSET_UNITS}.`,
    example: '{{$timestamp -1 h}}',
    snippet: '\\$timestamp',
    minArguments: 0,
    maxArguments: 2,
  },
  { name: '$isoTimestamp', argumentSyntax: '[offset unit]', description: `The current UTC time in ISO 8601, e.g. \`2024-05-01T12:00:00.000Z\`, optionally shifted. Units: ${OFFSET_UNITS}.`, example: '{{$isoTimestamp -1 d}}', snippet: '\\$isoTimestamp', minArguments: 0, maxArguments: 2 },
  {
    name: '$datetime',
    argumentSyntax: 'rfc1123|iso8601|"format" [offset unit]',
    description: `The current UTC time as \`rfc1123\`, \`iso8601\` or a quoted Day.js format as REST Client reads it (\`"YYYY-MM-DD"\`), or a .NET format as Visual Studio reads it (\`"yyyy-MM-dd"\`: any format with \`yy\`), optionally shifted. Units: ${OFFSET_UNITS}.`,
    example: '{{$datetime iso8601 1 d}}',
    snippet: '\\$datetime ${1|iso8601,rfc1123,"YYYY-MM-DD"|}',
    minArguments: 1,
    maxArguments: 3,
  },
  {
    name: '$localDatetime',
    argumentSyntax: 'rfc1123|iso8601|"format" [offset unit]',
    description: `Like \`$datetime\`, in the machine's local time zone. Units: ${OFFSET_UNITS}.`,
    example: '{{$localDatetime "YYYY-MM-DD HH:mm"}}',
    snippet: '\\$localDatetime ${1|iso8601,rfc1123,"YYYY-MM-DD"|}',
    minArguments: 1,
    maxArguments: 3,
  },
  { name: '$randomInt', argumentSyntax: 'min max', description: 'A random integer `n` with `min <= n < max`.', example: '{{$randomInt 1 100}}', snippet: '\\$randomInt ${1:0} ${2:100}', minArguments: 2, maxArguments: 2 },
  { name: '$processEnv', argumentSyntax: '[%]NAME', description: 'The value of the environment variable `NAME` of the Courier process. With `%`, `NAME` is first looked up as an environment-file variable whose value is the real name.', example: '{{$processEnv HOME}}', snippet: '\\$processEnv ${1:NAME}', minArguments: 1, maxArguments: 1 },
  { name: '$dotenv', argumentSyntax: '[%]NAME', description: 'The value of `NAME` in the `.env` file next to the `.http` file (or in the workspace root). With `%`, `NAME` is resolved through the environment first.', example: '{{$dotenv API_KEY}}', snippet: '\\$dotenv ${1:NAME}', minArguments: 1, maxArguments: 1 },
  { name: '$random.uuid', argumentSyntax: '', description: 'A random version 4 UUID (JetBrains\' name).', example: '{{$random.uuid}}', snippet: '\\$random.uuid', minArguments: 0, maxArguments: 0 },
  { name: '$random.integer', argumentSyntax: '[(from, to)]', description: 'A random integer `n` with `from <= n < to`; `0` to `1000` without arguments.', example: '{{$random.integer(1, 100)}}', snippet: '\\$random.integer(${1:0}, ${2:100})', minArguments: 0, maxArguments: 2 },
  { name: '$random.float', argumentSyntax: '[(from, to)]', description: 'A random number `x` with `from <= x < to`; `0` to `1000` without arguments.', example: '{{$random.float(0, 1)}}', snippet: '\\$random.float(${1:0}, ${2:1})', minArguments: 0, maxArguments: 2 },
  { name: '$random.alphabetic', argumentSyntax: '(length)', description: 'A random string of `length` letters `a-zA-Z`.', example: '{{$random.alphabetic(8)}}', snippet: '\\$random.alphabetic(${1:8})', minArguments: 1, maxArguments: 1 },
  { name: '$random.alphanumeric', argumentSyntax: '(length)', description: 'A random string of `length` letters, digits and `_`.', example: '{{$random.alphanumeric(12)}}', snippet: '\\$random.alphanumeric(${1:12})', minArguments: 1, maxArguments: 1 },
  { name: '$random.hexadecimal', argumentSyntax: '(length)', description: 'A random string of `length` hexadecimal digits.', example: '{{$random.hexadecimal(16)}}', snippet: '\\$random.hexadecimal(${1:16})', minArguments: 1, maxArguments: 1 },
  {
    name: '$oidcAccessToken',
    argumentSyntax: '[new] clientId:ID [callbackPort:PORT] authorizeEndpoint:URL tokenEndpoint:URL [scopes:a,b] [audience:AUD]',
    description: "REST Client's OpenID Connect access token: Courier obtains it when the request is sent, with the Authorization Code grant and PKCE (your browser opens; the redirect comes back to `http://localhost:PORT`, 7777 by default), and keeps it for the session like a `Security.Auth` configuration's. `new` asks for a fresh token.",
    example: '{{$oidcAccessToken clientId:my-app authorizeEndpoint:https://idp.example/authorize tokenEndpoint:https://idp.example/token scopes:openid,profile}}',
    snippet: '\\$oidcAccessToken clientId:${1:client} authorizeEndpoint:${2:https://idp/authorize} tokenEndpoint:${3:https://idp/token}',
    minArguments: 3,
    maxArguments: 7,
  },
  { name: '$random.email', argumentSyntax: '', description: 'A random, well-formed email address.', example: '{{$random.email}}', snippet: '\\$random.email', minArguments: 0, maxArguments: 0 },
];

const byName = new Map(SYSTEM_VARIABLES.map((variable) => [variable.name, variable]));
// Visual Studio writes `$dotEnv` and `$timeStamp` in its documentation and reads names in any case.
const byLowerCaseName = new Map(SYSTEM_VARIABLES.map((variable) => [variable.name.toLowerCase(), variable]));

/**
 * The system variable `name` refers to. Accepts it with or without the `$` and with
 * call arguments attached (`$random.integer(1, 10)`), however the parser split them.
 */
export function lookupSystemVariable(name: string): SystemVariableInfo | undefined {
  // The parser hands over names as written (`$uuid`): found as they are, without the copies below.
  const exact = byName.get(name);
  if (exact !== undefined) return exact;
  const trimmed = name.trim();
  const bare = trimmed.split(/[\s(]/, 1)[0];
  const dollared = bare.startsWith('$') ? bare : `$${bare}`;
  return byName.get(dollared) ?? byLowerCaseName.get(dollared.toLowerCase());
}

/** Whether `name` is a known system variable (see `lookupSystemVariable` for the forms accepted). */
export function isSystemVariable(name: string): boolean {
  return lookupSystemVariable(name) !== undefined;
}

/** JetBrains' `{{$auth.token("id")}}` and `{{$auth.idToken("id")}}`: OAuth tokens from the env file's `Security.Auth` section. */
export function isOAuthTokenVariable(name: string): boolean {
  return name.startsWith('$auth.token(') || name.startsWith('$auth.idToken(') || name === '$auth.token' || name === '$auth.idToken';
}

/** Why `{{$auth.token("id")}}` has no value yet, and what sending it does. */
export function oauthTokenMessage(name: string): string {
  const kind = name.startsWith('$auth.idToken') ? 'ID token' : 'access token';
  return `${name} is the OAuth 2.0 ${kind} of a Security.Auth configuration of the env file, obtained only when the request is sent: write the configuration's id in quotes, e.g. {{$auth.token("my-app")}}`;
}

/**
 * Whether a custom `$datetime` format is Visual Studio's (.NET's `"dd-MM-yyyy"`) rather than REST
 * Client's Day.js (`"DD-MM-YYYY"`): Day.js has no `y` token, so a `yy` outside `[literal]` text
 * can only be .NET's year. The two readings differ for `dd` (weekday or day of month), so the file
 * says which tool wrote it.
 */
export function isDotNetDatePattern(pattern: string): boolean {
  return /yy/.test(pattern.replace(/\[[^\]]*\]/g, ''));
}

/** For hover: how the custom format of a `$datetime` / `$localDatetime` expression is read; undefined when it has none. */
export function dateFormatReading(expression: string): string | undefined {
  const format = /^\s*\$(?:local)?datetime\s+(?:"([^"]*)"|'([^']*)')/i.exec(expression);
  const pattern = format?.[1] ?? format?.[2];
  if (pattern === undefined) return undefined;
  return isDotNetDatePattern(pattern)
    ? `The format \`${pattern}\` is read with .NET's tokens, as Visual Studio does (\`dd\` day of month, \`yyyy\` year, \`fff\` milliseconds, \`tt\` AM/PM), because it has \`yy\`, which Day.js does not know.`
    : `The format \`${pattern}\` is read with Day.js tokens, as REST Client does (\`DD\` day of month, \`dd\` weekday, \`YYYY\` year); a format with \`yyyy\` is read as .NET's, as Visual Studio does.`;
}
