// Postman auth to what Courier sends: `Authorization` lines Courier completes itself (Basic
// credentials in plain text, which it encodes; Digest credentials, with which it answers the
// server's challenge), bearer tokens, API keys as a header or a query parameter, AWS Signature V4
// as `Authorization: AWS <key> <secret> ...` (which Courier signs with), and OAuth 2.0 as a
// JetBrains `Security.Auth` configuration in the env file with `{{$auth.token("id")}}` where the
// token goes. What has no Courier form (Hawk, NTLM, OAuth 1.0...) is said, not dropped silently.
import type { PostmanAuth, PostmanKeyValue } from './postmanModel';
import { authIdFor, UniqueNames } from './postmanNames';

/** Rewrites Postman's `{{var}}` references in a value to Courier's names. */
export type TemplateRewriter = (text: string) => string;

export interface ConvertedAuth {
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
  /** What was not converted, as sentences: written as comments at the request and reported. */
  readonly notConverted: readonly string[];
}

const nothing: ConvertedAuth = { headers: [], query: [], notConverted: [] };

/** Postman's parameters of an auth as a map of key to text (lists and objects as their JSON). */
export function authParameters(auth: PostmanAuth): Map<string, unknown> {
  const parameters = new Map<string, unknown>();
  for (const parameter of auth.parameters()?.all() ?? ([] as PostmanKeyValue[])) {
    if (parameter.key !== null && parameter.disabled !== true) parameters.set(parameter.key, parameter.value);
  }
  return parameters;
}

/** A Postman value as text: lists and objects as their JSON. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

const unsupportedAuth: Readonly<Record<string, string>> = {
  hawk: 'Hawk',
  ntlm: 'NTLM',
  oauth1: 'OAuth 1.0',
  akamai: 'Akamai EdgeGrid',
  edgegrid: 'Akamai EdgeGrid',
  jwt: 'JWT Bearer (signed by Postman)',
  asap: 'ASAP (Atlassian)',
};

/** The auth of a request, already resolved through its folders (see `effectiveAuth`). */
export function convertAuth(auth: PostmanAuth | undefined, owner: string, rewrite: TemplateRewriter, oauth: OAuthConfigurations): ConvertedAuth {
  if (auth === undefined || auth.type === 'noauth' || auth.type === 'inherit') return nothing;
  const parameters = authParameters(auth);
  const value = (key: string): string => rewrite(valueText(parameters.get(key)));
  switch (auth.type) {
    case 'basic': {
      const username = value('username');
      const password = value('password');
      // Courier base64-encodes `user:password` when sending; a literal user with a space would read as `user password`.
      const credentials = /\s/.test(username) && !username.includes('{{') ? Buffer.from(`${username}:${password}`, 'utf8').toString('base64') : `${username}:${password}`;
      return { headers: [['Authorization', `Basic ${credentials}`]], query: [], notConverted: [] };
    }
    case 'bearer':
      return { headers: [['Authorization', `Bearer ${value('token')}`]], query: [], notConverted: [] };
    case 'digest': {
      const notConverted: string[] = [];
      const algorithm = value('algorithm');
      if (algorithm !== '' && !/^(MD5|SHA-256)(-sess)?$/i.test(algorithm)) notConverted.push(`Digest algorithm ${algorithm}: Courier answers MD5 and SHA-256 challenges only`);
      const username = value('username');
      // `Digest user password`: the first word is the user.
      if (/\s/.test(username) || username === '') return { ...nothing, notConverted: [`Digest auth for the user "${username}": Courier's \`Authorization: Digest user password\` needs a user name without spaces`] };
      return { headers: [['Authorization', `Digest ${username} ${value('password')}`]], query: [], notConverted };
    }
    case 'apikey': {
      const key = value('key');
      const keyValue = value('value');
      if (key === '') return { ...nothing, notConverted: ['an API key auth without a key name'] };
      return value('in') === 'query' ? { headers: [], query: [[key, keyValue]], notConverted: [] } : { headers: [[key, keyValue]], query: [], notConverted: [] };
    }
    case 'awsv4':
      return awsAuthorization(value);
    case 'oauth2':
      return oauth.convert(parameters, owner, rewrite);
    default: {
      const name = unsupportedAuth[auth.type] ?? `"${auth.type}"`;
      return { ...nothing, notConverted: [`${name} auth has no Courier equivalent; add its header by hand`] };
    }
  }
}

/** Postman's AWS Signature V4 as REST Client's and httpYac's value: space-separated words, so none may hold a space. */
function awsAuthorization(value: (key: string) => string): ConvertedAuth {
  if (value('addAuthDataToQuery') === 'true') return { ...nothing, notConverted: ['AWS Signature V4 in the query (a presigned URL): Courier signs the Authorization header only'] };
  const words = [value('accessKey'), value('secretKey')];
  const options = [['token', value('sessionToken')], ['region', value('region')], ['service', value('service')]].filter(([, text]) => text !== '');
  const hasSpace = (text: string): boolean => /\s/.test(text.replace(/\{\{.*?\}\}/g, ''));
  if (words.some((word) => word === '' || hasSpace(word)) || options.some(([, text]) => hasSpace(text ?? ''))) {
    return { ...nothing, notConverted: ["AWS Signature V4 auth: Courier's `Authorization: AWS <accessKeyId> <secretKey>` needs both keys, and each value without spaces"] };
  }
  return { headers: [['Authorization', ['AWS', ...words, ...options.map(([name, text]) => `${name}:${text}`)].join(' ')]], query: [], notConverted: [] };
}

const grantTypes: Readonly<Record<string, string>> = {
  authorization_code: 'Authorization Code',
  authorization_code_with_pkce: 'Authorization Code',
  implicit: 'Implicit',
  password_credentials: 'Password',
  client_credentials: 'Client Credentials',
};

/** Postman keys that hold a secret: written to the private env file, the configuration names the variable. */
const secretKeys: Readonly<Record<string, string>> = { clientSecret: 'Client Secret', password: 'Password' };

/** Postman keys with a direct JetBrains equivalent. */
const plainKeys: Readonly<Record<string, string>> = {
  authUrl: 'Auth URL',
  accessTokenUrl: 'Token URL',
  redirect_uri: 'Redirect URL',
  clientId: 'Client ID',
  scope: 'Scope',
  username: 'Username',
};

/** Postman keys read by the conversion below, or that only hold Postman's own state (a token it got). */
const handledKeys = new Set([
  'grant_type', 'client_authentication', 'addTokenTo', 'headerPrefix', 'challengeAlgorithm', 'code_verifier', 'authRequestParams', 'tokenRequestParams',
  'accessToken', 'tokenType', 'tokenName', 'useBrowser', 'state', 'refreshToken', 'id_token', 'expires_in', 'timestamp', 'refreshTokenUrl',
  'refreshRequestParams', 'tokenId', 'grantType',
]);

interface CustomParameter {
  readonly key?: unknown;
  readonly value?: unknown;
  readonly enabled?: unknown;
  readonly send_as?: unknown;
}

/**
 * The OAuth 2.0 configurations of one import, for `Security.Auth` in the env file: one per
 * distinct Postman configuration, named after the collection, folder or request that holds it.
 */
export class OAuthConfigurations {
  /** Configuration id to its JetBrains keys. */
  readonly configurations = new Map<string, Record<string, unknown>>();
  /** Variables for the private env file: literal secrets the configurations refer to. */
  readonly secrets = new Map<string, string>();
  private readonly idsByConfiguration = new Map<string, string>();
  private readonly ids = new UniqueNames();

  convert(parameters: ReadonlyMap<string, unknown>, owner: string, rewrite: TemplateRewriter): ConvertedAuth {
    const notConverted: string[] = [];
    const value = (key: string): string => rewrite(valueText(parameters.get(key)));
    const grant = value('grant_type') || 'authorization_code';
    const grantType = grantTypes[grant];
    if (grantType === undefined) return { ...nothing, notConverted: [`OAuth 2.0 grant type "${grant}" has no JetBrains equivalent`] };

    const configuration: Record<string, unknown> = { Type: 'OAuth2', 'Grant Type': grantType };
    for (const [postmanKey, jetbrainsKey] of Object.entries(plainKeys)) {
      if (value(postmanKey) !== '') configuration[jetbrainsKey] = value(postmanKey);
    }
    if (grant === 'authorization_code_with_pkce') {
      const method = value('challengeAlgorithm') || 'S256';
      const verifier = value('code_verifier');
      configuration.PKCE = verifier === '' && method === 'S256' ? true : { 'Code Challenge Method': method === 'S256' ? 'SHA-256' : 'Plain', ...(verifier === '' ? {} : { 'Code Verifier': verifier }) };
    }
    // Postman sends client credentials in a Basic header unless told "body".
    configuration['Client Credentials'] = value('client_authentication') === 'body' ? 'in body' : 'basic';
    const custom = this.customParameters(parameters, rewrite, notConverted);
    if (Object.keys(custom).length > 0) configuration['Custom Request Parameters'] = custom;
    if (value('useBrowser') === 'true') notConverted.push("OAuth 2.0 \"Authorize using browser\" uses Postman's own callback page; set \"Redirect URL\" in the env file to a loopback address (http://127.0.0.1:PORT/callback) registered with your provider");
    for (const key of parameters.keys()) {
      if (!(key in plainKeys) && !(key in secretKeys) && !handledKeys.has(key)) notConverted.push(`OAuth 2.0 setting "${key}"`);
    }

    const id = this.register(configuration, owner, (secretKey) => value(secretKey));
    const token = `{{$auth.token("${id}")}}`;
    if (value('addTokenTo') === 'queryParams') return { headers: [], query: [['access_token', token]], notConverted };
    return { headers: [['Authorization', `${value('headerPrefix') || 'Bearer'} ${token}`]], query: [], notConverted };
  }

  /** Stores `configuration` (with its secrets as variables) under a new id, or finds the same one stored before. */
  private register(configuration: Record<string, unknown>, owner: string, secret: (postmanKey: string) => string): string {
    const secrets = Object.entries(secretKeys).filter(([postmanKey]) => secret(postmanKey) !== '');
    const identity = JSON.stringify([configuration, secrets.map(([postmanKey]) => secret(postmanKey))]);
    const known = this.idsByConfiguration.get(identity);
    if (known !== undefined) return known;
    const id = this.ids.nameFor(identity, authIdFor(owner));
    for (const [postmanKey, jetbrainsKey] of secrets) {
      const written = secret(postmanKey);
      if (/^\{\{[^{}]+\}\}$/.test(written)) {
        configuration[jetbrainsKey] = written;
      } else {
        // A literal secret stays out of the shared env file.
        const variable = `${id}-${jetbrainsKey.toLowerCase().replace(/\s+/g, '-')}`;
        this.secrets.set(variable, written);
        configuration[jetbrainsKey] = `{{${variable}}}`;
      }
    }
    this.configurations.set(id, configuration);
    this.idsByConfiguration.set(identity, id);
    return id;
  }

  /** Postman's extra parameters of the authorization and token requests, as JetBrains' `Custom Request Parameters`. */
  private customParameters(parameters: ReadonlyMap<string, unknown>, rewrite: TemplateRewriter, notConverted: string[]): Record<string, unknown> {
    const uses = new Map<string, { value: string; uses: Set<string> }>();
    for (const [postmanKey, use] of [['authRequestParams', 'In Auth Request'], ['tokenRequestParams', 'In Token Request']] as const) {
      const list = parameters.get(postmanKey);
      if (!Array.isArray(list)) continue;
      for (const entry of list as CustomParameter[]) {
        if (entry.enabled === false || typeof entry.key !== 'string' || entry.key === '') continue;
        if (entry.send_as === 'request_header') {
          notConverted.push(`OAuth 2.0 parameter "${entry.key}" sent as a header`);
          continue;
        }
        const value = rewrite(valueText(entry.value));
        const known = uses.get(entry.key);
        if (known === undefined) uses.set(entry.key, { value, uses: new Set([use]) });
        else if (known.value === value) known.uses.add(use);
        else notConverted.push(`OAuth 2.0 parameter "${entry.key}" with different values for the authorization and token requests`);
      }
    }
    const custom: Record<string, unknown> = {};
    for (const [key, { value, uses: where }] of uses) custom[key] = { Value: value, Use: where.size > 1 ? 'Everywhere' : [...where][0] };
    return custom;
  }
}
