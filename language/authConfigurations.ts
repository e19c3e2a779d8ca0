// JetBrains' OAuth 2.0 configurations: `Security.Auth` in an environment of the env files,
//
//   { "dev": { "Security": { "Auth": { "my-app": { "Type": "OAuth2", "Grant Type": "Client Credentials", ... } } } } }
//
// read into typed configurations for the engine, with problems at exact spans for the editor
// (an unknown or misspelt key, a key the grant type needs, a value of the wrong kind). One reader
// for both, over `jsonTree.ts` nodes, so what the editor accepts is what a send uses. Values stay
// as written: `{{variables}}` in them are expanded by the engine when it sends.

import { closestName } from './data/spelling';
import { parseJson, type JsonNode } from './jsonTree';
import type { Span } from './syntax';

/** The grant types JetBrains' HTTP Client has, as its env files spell them. */
export const oauthGrantTypes = ['Authorization Code', 'Client Credentials', 'Password', 'Device Authorization', 'Implicit'] as const;
export type OAuthGrantType = (typeof oauthGrantTypes)[number];

/** Where a custom parameter is sent: JetBrains' `Use` (`Everywhere` when not given). */
export type CustomParameterUse = 'Everywhere' | 'In Auth Request' | 'In Token Request';
const customParameterUses: readonly CustomParameterUse[] = ['Everywhere', 'In Auth Request', 'In Token Request'];

/** How the client authenticates at the token endpoint: JetBrains' `Client Credentials`. */
export type ClientAuthentication = 'none' | 'in body' | 'basic';
const clientAuthentications: readonly ClientAuthentication[] = ['none', 'in body', 'basic'];

export interface CustomParameter {
  readonly name: string;
  /** A parameter given as a list is sent once per value. */
  readonly values: readonly string[];
  readonly use: CustomParameterUse;
}

/** PKCE as configured: `true` is S256 with a fresh verifier. */
export interface PkceSettings {
  readonly method: 'S256' | 'plain';
  /** A fixed verifier from the file; a fresh random one per acquisition when undefined. */
  readonly verifier: string | undefined;
}

/** One `Security.Auth` entry, normalised. Strings are as written: `{{...}}` still to expand. */
export interface AuthConfiguration {
  readonly id: string;
  readonly grantType: OAuthGrantType;
  readonly authUrl: string | undefined;
  readonly tokenUrl: string | undefined;
  readonly redirectUrl: string | undefined;
  readonly deviceAuthUrl: string | undefined;
  readonly clientId: string;
  readonly clientSecret: string | undefined;
  readonly clientAuthentication: ClientAuthentication;
  readonly scope: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly pkce: PkceSettings | undefined;
  readonly customParameters: readonly CustomParameter[];
  /** False: a send refreshes a token it has but never starts a new acquisition; the user acquires by command. */
  readonly acquireAutomatically: boolean;
  /** `{{$auth.token("id")}}` gives the ID token instead of the access token. */
  readonly useIdToken: boolean;
}

type KeyKind = 'string' | 'boolean' | 'pkce' | 'custom-parameters' | 'enum';

/** What the editor knows about one key of a configuration: completion, hover and checks read it. */
export interface AuthKeyInfo {
  readonly name: string;
  readonly kind: KeyKind;
  /** The values an `enum` key takes. */
  readonly values?: readonly string[];
  readonly description: string;
  /** Hover never shows the value. */
  readonly secret?: boolean;
  /** Grant types that cannot do without it. */
  readonly requiredFor: readonly OAuthGrantType[];
}

const allGrants = oauthGrantTypes;
const browserGrants: readonly OAuthGrantType[] = ['Authorization Code', 'Implicit'];

/** Every key JetBrains documents, in the order its template writes them. */
export const authConfigurationKeys: readonly AuthKeyInfo[] = [
  { name: 'Type', kind: 'enum', values: ['OAuth2'], description: 'The kind of configuration: `OAuth2`.', requiredFor: allGrants },
  { name: 'Grant Type', kind: 'enum', values: oauthGrantTypes, description: 'How the token is obtained: `Authorization Code` (browser, with PKCE), `Client Credentials` and `Password` (no user step, fit for CI), `Device Authorization` (a code entered on another device), `Implicit` (browser; legacy).', requiredFor: allGrants },
  { name: 'Auth URL', kind: 'string', description: 'The authorization endpoint the browser opens (Authorization Code, Implicit).', requiredFor: browserGrants },
  { name: 'Token URL', kind: 'string', description: 'The token endpoint: codes, credentials and refresh tokens are exchanged there.', requiredFor: ['Authorization Code', 'Client Credentials', 'Password', 'Device Authorization'] },
  { name: 'Redirect URL', kind: 'string', description: 'Where the provider sends the browser back. `http://127.0.0.1:PORT/any/path` or `http://localhost:PORT/...` is received by Courier itself (RFC 8252); the extension\'s own `vscode://courier.courier-http/oauth/callback` works too. Default: `http://127.0.0.1/callback` on a free port.', requiredFor: [] },
  { name: 'Device Auth URL', kind: 'string', description: 'The device authorization endpoint (Device Authorization).', requiredFor: ['Device Authorization'] },
  { name: 'Client ID', kind: 'string', description: 'The client identifier registered with the provider.', requiredFor: allGrants },
  { name: 'Client Secret', kind: 'string', secret: true, description: 'The client secret of a confidential client. Keep it in `http-client.private.env.json` under the same `Security.Auth` entry.', requiredFor: [] },
  { name: 'Client Credentials', kind: 'enum', values: clientAuthentications, description: 'How the client authenticates at the token endpoint: `basic` (HTTP Basic), `in body` (form parameters) or `none` (a public client). Default: `basic` with a Client Secret, `none` without.', requiredFor: [] },
  { name: 'Scope', kind: 'string', description: 'Space-separated scopes to ask for, e.g. `openid profile`.', requiredFor: [] },
  { name: 'Username', kind: 'string', description: 'The resource owner\'s user name (Password).', requiredFor: ['Password'] },
  { name: 'Password', kind: 'string', secret: true, description: 'The resource owner\'s password (Password). Keep it in the private env file.', requiredFor: ['Password'] },
  { name: 'PKCE', kind: 'pkce', description: 'Proof Key for Code Exchange (RFC 7636): `true` for S256 with a fresh verifier, or `{ "Code Challenge Method": "SHA-256" | "Plain", "Code Verifier": "..." }`.', requiredFor: [] },
  { name: 'Custom Request Parameters', kind: 'custom-parameters', description: 'Extra parameters: `"name": "value"`, `"name": ["v1", "v2"]`, or `"name": { "Value": ..., "Use": "Everywhere" | "In Auth Request" | "In Token Request" }`.', requiredFor: [] },
  { name: 'Acquire Automatically', kind: 'boolean', description: 'Default `true`: a send obtains a token when it has none. With `false` a send only uses or refreshes the token you acquired with "Courier: Acquire OAuth Token".', requiredFor: [] },
  { name: 'Use ID Token', kind: 'boolean', description: 'Default `false`. With `true`, `{{$auth.token("id")}}` gives the ID token instead of the access token.', requiredFor: [] },
];

const keysByName = new Map(authConfigurationKeys.map((key) => [key.name, key]));
const keyNames = authConfigurationKeys.map((key) => key.name);

/** What is wrong with a configuration, at its place in the env file. */
export interface AuthConfigurationProblem extends Span {
  readonly kind: 'unknown-key' | 'missing-key' | 'invalid-value';
  readonly message: string;
  /** The key the file most likely means (a misspelt key), for a quick fix replacing the span. */
  readonly replacement?: string;
}

/** One entry of `Security.Auth`, where it is and what it says. */
export interface AuthConfigurationEntry {
  readonly id: string;
  /** The entry's name in the file, quotes included. */
  readonly idSpan: Span;
  /** The entry's object. */
  readonly span: Span;
  /** The configuration, when it has every key its grant type needs with values of the right kind. */
  readonly configuration: AuthConfiguration | undefined;
  readonly problems: readonly AuthConfigurationProblem[];
  /** Each key as written, for hover. */
  readonly keys: readonly { readonly name: string; readonly span: Span; readonly value: JsonNode }[];
}

/** `Security` of one environment: its `Auth` entries, and problems of the shape around them. */
export interface SecuritySection {
  readonly entries: readonly AuthConfigurationEntry[];
  readonly problems: readonly AuthConfigurationProblem[];
}

const noSection: SecuritySection = { entries: [], problems: [] };

/** Reads the value of an environment's `Security` variable (a JSON object node of the env file). */
export function readSecuritySection(security: JsonNode): SecuritySection {
  if (security.kind !== 'object') return { entries: [], problems: [invalid(security, '"Security" must be an object, e.g. { "Auth": { "my-app": { "Type": "OAuth2", ... } } }.')] };
  const auth = security.properties.find((property) => property.key.value === 'Auth');
  if (auth === undefined) return noSection;
  if (auth.value.kind !== 'object') return { entries: [], problems: [invalid(auth.value, '"Auth" must be an object of named configurations, e.g. { "my-app": { "Type": "OAuth2", "Grant Type": "Client Credentials", ... } }.')] };
  return { entries: auth.value.properties.map((property) => readEntry(property.key.value, property.key, property.value)), problems: [] };
}

/** The `Security` variable's value as the engine holds it (the JSON text of the merged object). */
export function readSecurityText(text: string): SecuritySection {
  const parsed = parseJson(text);
  return parsed.root === undefined ? noSection : readSecuritySection(parsed.root);
}

function readEntry(id: string, idSpan: Span, node: JsonNode): AuthConfigurationEntry {
  const span = { start: node.start, end: node.end };
  if (node.kind !== 'object') {
    return { id, idSpan, span, configuration: undefined, keys: [], problems: [invalid(node, `Auth configuration "${id}" must be an object, e.g. { "Type": "OAuth2", "Grant Type": "Client Credentials", "Token URL": "...", "Client ID": "..." }.`)] };
  }
  const problems: AuthConfigurationProblem[] = [];
  const keys = node.properties.map((property) => ({ name: property.key.value, span: { start: property.key.start, end: property.key.end }, value: property.value }));
  const values = new Map<string, JsonNode>();
  for (const key of keys) {
    if (keysByName.has(key.name)) {
      values.set(key.name, key.value);
      continue;
    }
    const meant = closestName(key.name, keyNames, (name) => name.toLowerCase().replace(/[\s_-]/g, ''));
    problems.push({
      ...key.span,
      kind: 'unknown-key',
      message: meant === undefined ? `Unknown key "${key.name}" in auth configuration "${id}": the keys are ${keyNames.join(', ')}.` : `Unknown key "${key.name}" in auth configuration "${id}": did you mean "${meant}"?`,
      ...(meant === undefined ? {} : { replacement: `"${meant}"` }),
    });
  }
  const text = (name: string): string | undefined => {
    const value = values.get(name);
    if (value === undefined) return undefined;
    if (value.kind === 'string') return value.value;
    if (value.kind === 'number') return String(value.value);
    problems.push(invalid(value, `"${name}" of auth configuration "${id}" must be a string.`));
    return undefined;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const written = text(name);
    if (written === undefined) return undefined;
    const match = allowed.find((candidate) => candidate.toLowerCase() === written.toLowerCase());
    if (match === undefined) problems.push(invalid(values.get(name) ?? node, `"${name}" of auth configuration "${id}" is "${written}": use ${allowed.map((value) => `"${value}"`).join(', ')}.`));
    return match;
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const value = values.get(name);
    if (value === undefined) return fallback;
    if (value.kind === 'boolean') return value.value;
    if (value.kind === 'string' && /^(true|false)$/i.test(value.value)) return value.value.toLowerCase() === 'true';
    problems.push(invalid(value, `"${name}" of auth configuration "${id}" must be true or false.`));
    return fallback;
  };

  const type = oneOf('Type', ['OAuth2'] as const);
  const grantType = oneOf('Grant Type', oauthGrantTypes);
  for (const key of authConfigurationKeys) {
    if (values.has(key.name)) continue;
    const required = key.name === 'Type' || key.name === 'Grant Type' || (grantType !== undefined && key.requiredFor.includes(grantType));
    if (required) {
      problems.push({
        ...idSpan,
        kind: 'missing-key',
        message: `Auth configuration "${id}"${grantType === undefined || key.name === 'Type' || key.name === 'Grant Type' ? '' : ` (${grantType})`} needs "${key.name}": ${key.description}`,
      });
    }
  }
  // Every value is read, whatever the type: a private file's entry holds only the keys it adds
  // (a Client Secret), and a wrong value there is reported where it is written.
  const clientSecret = text('Client Secret');
  const settings = {
    authUrl: text('Auth URL'),
    tokenUrl: text('Token URL'),
    redirectUrl: text('Redirect URL'),
    deviceAuthUrl: text('Device Auth URL'),
    clientId: text('Client ID') ?? '',
    clientSecret,
    clientAuthentication: oneOf('Client Credentials', clientAuthentications) ?? (clientSecret === undefined || clientSecret === '' ? 'none' : 'basic'),
    scope: text('Scope'),
    username: text('Username'),
    password: text('Password'),
    pkce: readPkce(values.get('PKCE'), id, problems),
    customParameters: readCustomParameters(values.get('Custom Request Parameters'), id, problems),
    acquireAutomatically: flag('Acquire Automatically', true),
    useIdToken: flag('Use ID Token', false),
  };
  const configuration: AuthConfiguration | undefined = type === undefined || grantType === undefined ? undefined : { id, grantType, ...settings };
  const usable = configuration !== undefined && !problems.some((problem) => problem.kind !== 'unknown-key');
  return { id, idSpan, span, configuration: usable ? configuration : undefined, problems, keys };
}

function readPkce(node: JsonNode | undefined, id: string, problems: AuthConfigurationProblem[]): PkceSettings | undefined {
  if (node === undefined) return undefined;
  if (node.kind === 'boolean') return node.value ? { method: 'S256', verifier: undefined } : undefined;
  if (node.kind !== 'object') {
    problems.push(invalid(node, `"PKCE" of auth configuration "${id}" must be true, false or { "Code Challenge Method": "SHA-256", "Code Verifier": "..." }.`));
    return undefined;
  }
  let method: PkceSettings['method'] = 'S256';
  let verifier: string | undefined;
  for (const property of node.properties) {
    const value = property.value;
    if (property.key.value === 'Code Challenge Method') {
      const written = value.kind === 'string' ? value.value.toLowerCase() : '';
      if (written === 'sha-256' || written === 's256') method = 'S256';
      else if (written === 'plain') method = 'plain';
      else problems.push(invalid(value, `"Code Challenge Method" of auth configuration "${id}" must be "SHA-256" or "Plain".`));
    } else if (property.key.value === 'Code Verifier') {
      if (value.kind === 'string') verifier = value.value;
      else problems.push(invalid(value, `"Code Verifier" of auth configuration "${id}" must be a string of 43 to 128 characters.`));
    } else {
      problems.push({ start: property.key.start, end: property.key.end, kind: 'unknown-key', message: `Unknown key "${property.key.value}" in "PKCE": the keys are "Code Challenge Method" and "Code Verifier".` });
    }
  }
  return { method, verifier };
}

function readCustomParameters(node: JsonNode | undefined, id: string, problems: AuthConfigurationProblem[]): CustomParameter[] {
  if (node === undefined) return [];
  if (node.kind !== 'object') {
    problems.push(invalid(node, `"Custom Request Parameters" of auth configuration "${id}" must be an object, e.g. { "audience": "https://api.example" }.`));
    return [];
  }
  const parameters: CustomParameter[] = [];
  for (const property of node.properties) {
    const name = property.key.value;
    const value = property.value;
    if (value.kind === 'object') {
      let values: string[] | undefined;
      let use: CustomParameterUse = 'Everywhere';
      for (const inner of value.properties) {
        if (inner.key.value === 'Value') values = parameterValues(inner.value, name, id, problems);
        else if (inner.key.value === 'Use') {
          const written = inner.value.kind === 'string' ? inner.value.value : '';
          const match = customParameterUses.find((candidate) => candidate.toLowerCase() === written.toLowerCase());
          if (match === undefined) problems.push(invalid(inner.value, `"Use" of custom parameter "${name}" must be "Everywhere", "In Auth Request" or "In Token Request".`));
          else use = match;
        } else problems.push({ start: inner.key.start, end: inner.key.end, kind: 'unknown-key', message: `Unknown key "${inner.key.value}" in custom parameter "${name}": the keys are "Value" and "Use".` });
      }
      if (values === undefined) problems.push(invalid(value, `Custom parameter "${name}" of auth configuration "${id}" needs a "Value".`));
      else parameters.push({ name, values, use });
      continue;
    }
    const values = parameterValues(value, name, id, problems);
    if (values !== undefined) parameters.push({ name, values, use: 'Everywhere' });
  }
  return parameters;
}

function parameterValues(node: JsonNode, name: string, id: string, problems: AuthConfigurationProblem[]): string[] | undefined {
  const scalar = (item: JsonNode): string | undefined => (item.kind === 'string' ? item.value : item.kind === 'number' || item.kind === 'boolean' ? String(item.value) : undefined);
  if (node.kind === 'array') {
    const values = node.items.map(scalar);
    if (values.every((value): value is string => value !== undefined)) return values;
  } else {
    const value = scalar(node);
    if (value !== undefined) return [value];
  }
  problems.push(invalid(node, `Custom parameter "${name}" of auth configuration "${id}" must be a string, a list of strings or { "Value": ..., "Use": ... }.`));
  return undefined;
}

function invalid(span: Span, message: string): AuthConfigurationProblem {
  return { start: span.start, end: span.end, kind: 'invalid-value', message };
}

/** The token a `{{$auth.token("id")}}` reference names, read from its parsed target (the parser splits `$auth.idToken( "b" )` into words). */
export function authTokenReferenceOfTarget(target: { readonly name: string; readonly args: readonly string[] }): { readonly kind: 'token' | 'idToken'; readonly id: string } | undefined {
  if (!target.name.startsWith('$auth.')) return undefined;
  const written = [target.name, ...target.args].join(' ');
  const match = /^\$auth\.(token|idToken)\s*\(\s*["']?([^"')]*?)["']?\s*\)$/.exec(written);
  if (match === null) return undefined;
  return { kind: match[1] === 'idToken' ? 'idToken' : 'token', id: match[2] ?? '' };
}

/** One spelling of a token reference, whatever the quotes and spaces: the key its value is passed under. */
export function authTokenValueKey(reference: { readonly kind: 'token' | 'idToken'; readonly id: string }): string {
  return `$auth.${reference.kind}(${JSON.stringify(reference.id)})`;
}

/**
 * httpYac's `Authorization: oauth2 [flow] [prefix]` (or `openid`): the grant and the prefix of the
 * variables that configure it (`oauth2_tokenEndpoint`, `oauth2_clientId`, ...). Undefined for
 * other header values.
 */
export function parseHttpYacOAuthHeader(value: string): { readonly grantType: OAuthGrantType | 'hybrid'; readonly prefix: string } | undefined {
  const match = /^\s*(?:openid|oauth2)(?:\s+(client(?:_credentials)?|(?:authorization_)?code|device(?:_code)?|password|implicit|hybrid))?(?:\s+([^\s]+))?\s*$/i.exec(value);
  if (match === null) return undefined;
  const flow = (match[1] ?? 'client_credentials').toLowerCase();
  const grantType: OAuthGrantType | 'hybrid' = flow.startsWith('client') ? 'Client Credentials' : flow.endsWith('code') && !flow.startsWith('device') ? 'Authorization Code' : flow.startsWith('device') ? 'Device Authorization' : flow === 'password' ? 'Password' : flow === 'implicit' ? 'Implicit' : 'hybrid';
  return { grantType, prefix: match[2] ?? 'oauth2' };
}

/** The key under which the token of an httpYac `Authorization: oauth2 ...` header is passed to preparation. */
export function httpYacOAuthValueKey(header: { readonly grantType: string; readonly prefix: string }): string {
  return `$auth.httpYac(${header.grantType}, ${header.prefix})`;
}

/**
 * httpYac's variables for one prefix as a configuration: `PREFIX_tokenEndpoint`,
 * `PREFIX_authorizationEndpoint`, `PREFIX_deviceCodeEndpoint`, `PREFIX_clientId`,
 * `PREFIX_clientSecret`, `PREFIX_scope`, `PREFIX_username`, `PREFIX_password`,
 * `PREFIX_redirectUri` (httpYac's default `http://localhost:3000/callback`), `PREFIX_usePkce`,
 * `PREFIX_useAuthorizationHeader` (default true: Basic; false: in the body), `PREFIX_audience`,
 * `PREFIX_resource`. `variable` gives a variable's value, expanded.
 */
export function httpYacConfiguration(grantType: OAuthGrantType, prefix: string, variable: (name: string) => string | undefined): AuthConfiguration {
  const value = (key: string): string | undefined => {
    const found = variable(`${prefix}_${key}`);
    return found === undefined || found === '' ? undefined : found;
  };
  const flag = (key: string, fallback: boolean): boolean => {
    const written = value(key);
    return written === undefined ? fallback : written.toLowerCase() === 'true';
  };
  const clientSecret = value('clientSecret');
  const extra = (['audience', 'resource'] as const).flatMap((name): CustomParameter[] => {
    const written = value(name);
    return written === undefined ? [] : [{ name, values: [written], use: 'Everywhere' }];
  });
  return {
    id: `${prefix} (httpYac ${grantType})`,
    grantType,
    authUrl: value('authorizationEndpoint'),
    tokenUrl: value('tokenEndpoint'),
    redirectUrl: value('redirectUri') ?? 'http://localhost:3000/callback',
    deviceAuthUrl: value('deviceCodeEndpoint'),
    clientId: value('clientId') ?? '',
    clientSecret,
    clientAuthentication: clientSecret === undefined ? 'none' : flag('useAuthorizationHeader', true) ? 'basic' : 'in body',
    scope: value('scope'),
    username: value('username'),
    password: value('password'),
    pkce: flag('usePkce', false) ? { method: 'S256', verifier: undefined } : undefined,
    customParameters: extra,
    acquireAutomatically: true,
    useIdToken: false,
  };
}

/**
 * REST Client's `{{$oidcAccessToken [new] clientId:ID callbackPort:PORT authorizeEndpoint:URL
 * tokenEndpoint:URL scopes:a,b audience:AUD}}` as a configuration: Authorization Code with PKCE
 * for a public client, redirected to `http://localhost:PORT` (7777 by default), `audience` sent as
 * `resource` as REST Client does. Undefined with a reason when an argument cannot be read.
 */
export function restClientOidcConfiguration(args: readonly string[]): { readonly configuration: AuthConfiguration; readonly forceNew: boolean } | { readonly problem: string } {
  const values = new Map<string, string>();
  let forceNew = false;
  for (const argument of args) {
    if (argument === 'new') {
      forceNew = true;
      continue;
    }
    const colon = argument.indexOf(':');
    const key = colon === -1 ? '' : argument.slice(0, colon);
    if (!['clientId', 'callbackPort', 'authorizeEndpoint', 'tokenEndpoint', 'scopes', 'audience'].includes(key)) {
      return { problem: `$oidcAccessToken does not know "${argument}": write clientId:ID callbackPort:PORT authorizeEndpoint:URL tokenEndpoint:URL scopes:a,b audience:AUD` };
    }
    values.set(key, argument.slice(colon + 1));
  }
  for (const required of ['clientId', 'authorizeEndpoint', 'tokenEndpoint']) {
    if (!values.has(required)) return { problem: `$oidcAccessToken needs ${required}:..., e.g. {{$oidcAccessToken clientId:my-app authorizeEndpoint:https://idp/authorize tokenEndpoint:https://idp/token}}` };
  }
  const port = values.get('callbackPort') ?? '7777';
  if (!/^\d{1,5}$/.test(port)) return { problem: `$oidcAccessToken callbackPort:${port} is not a port number` };
  const audience = values.get('audience');
  return {
    forceNew,
    configuration: {
      id: `$oidcAccessToken ${values.get('clientId') ?? ''}`,
      grantType: 'Authorization Code',
      authUrl: values.get('authorizeEndpoint'),
      tokenUrl: values.get('tokenEndpoint'),
      redirectUrl: `http://localhost:${port}/`,
      deviceAuthUrl: undefined,
      clientId: values.get('clientId') ?? '',
      clientSecret: undefined,
      clientAuthentication: 'none',
      scope: (values.get('scopes') ?? 'openid,profile').split(',').filter((scope) => scope !== '').join(' '),
      username: undefined,
      password: undefined,
      pkce: { method: 'S256', verifier: undefined },
      customParameters: audience === undefined ? [] : [{ name: 'resource', values: [audience], use: 'Everywhere' }],
      acquireAutomatically: true,
      useIdToken: false,
    },
  };
}

/** The key under which a `$oidcAccessToken` reference's token is passed to the expander. */
export function restClientOidcValueKey(args: readonly string[]): string {
  return ['$oidcAccessToken', ...args].join(' ');
}
