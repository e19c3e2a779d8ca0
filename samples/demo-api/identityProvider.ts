// The demo API's OAuth 2.0 / OpenID Connect identity provider: oidc-provider (a certified
// implementation) mounted under /oidc, with the clients of ./oauthClients, the demo user, the
// password grant (not built into oidc-provider) and `GET /oauth/profile`, a resource that accepts
// its access tokens. Keys, cookies' keys and storage are new at every start.
import { generateKeyPair, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import Provider, { errors, type ClientMetadata, type Configuration, type JWK, type TokenEndpointGrantContext } from 'oidc-provider';
import { DemoError, type Route, sendJson } from './exchange';
import { realm } from './httpAuth';
import { interactionPath, interactionRoutes, providerPages } from './identityProviderPages';
import { createStoreAdapter } from './identityProviderStore';
import { demoCredentials } from './login';
import { type DemoOAuthClient, demoOAuthClients, demoOAuthScopes, oidcMountPath } from './oauthClients';

export interface IdentityProviderOptions {
  /** Lifetime of access tokens (all grants); short in tests that exercise refresh. Default 3600. */
  readonly accessTokenTtlSeconds?: number;
}

/** The provider's signing key, made before the server listens (RSA generation takes a moment). */
export async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };
}

const demoAccount = {
  accountId: demoCredentials.username,
  claims: { name: 'Demo User', preferred_username: demoCredentials.username, email: 'demo@example.com', email_verified: true },
} as const;

function clientMetadata(client: DemoOAuthClient): ClientMetadata {
  return {
    client_id: client.clientId,
    ...(client.clientSecret === undefined ? {} : { client_secret: client.clientSecret }),
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: [...client.grantTypes],
    response_types: [...client.responseTypes] as ClientMetadata['response_types'],
    redirect_uris: [...client.redirectUris],
    // Native: loopback redirect URIs match with any port (RFC 8252 §7.3), and http is allowed.
    application_type: 'native',
  };
}

/** Refresh tokens for every grant that has a user, without asking for offline_access. */
function issuesRefreshTokens(client: { grantTypeAllowed(grantType: string): boolean }): boolean {
  return client.grantTypeAllowed('refresh_token');
}

function configuration(signingKey: JWK, accessTokenTtl: number): Configuration {
  const fourteenDays = 14 * 24 * 60 * 60;
  return {
    clients: Object.values(demoOAuthClients).map(clientMetadata),
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    adapter: createStoreAdapter(),
    scopes: [...demoOAuthScopes],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], email: ['email', 'email_verified'] },
    // `token` alone is not offered by oidc-provider: Implicit always includes an ID token.
    responseTypes: ['code', 'id_token token', 'id_token'],
    findAccount: (_ctx, sub) =>
      sub === demoAccount.accountId ? { accountId: sub, claims: () => ({ sub, ...demoAccount.claims }) } : undefined,
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    issueRefreshToken: (_ctx, client) => issuesRefreshTokens(client),
    // PKCE keeps oidc-provider's default: required for public clients (S256 only), optional otherwise.
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: providerPages.userCodeInputSource,
        userCodeConfirmSource: providerPages.userCodeConfirmSource,
        successSource: providerPages.successSource,
      },
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId || client.clientAuthMethod !== 'none' },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
    },
    renderError: providerPages.renderError,
    // No browser application uses the demo provider, so no cross-origin requests are allowed.
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: accessTokenTtl,
      ClientCredentials: accessTokenTtl,
      AuthorizationCode: 60,
      DeviceCode: 600,
      IdToken: 3600,
      Interaction: 3600,
      RefreshToken: fourteenDays,
      Grant: fourteenDays,
      Session: fourteenDays,
    },
  };
}

type PasswordGrantParameters = { readonly username?: string; readonly password?: string };

/**
 * Resource Owner Password Credentials (RFC 6749 §4.3), through oidc-provider's custom grant API:
 * the demo user's name and password buy an access token, a refresh token, and an ID token when
 * the scope has openid.
 */
async function passwordGrant(ctx: TokenEndpointGrantContext<PasswordGrantParameters>): Promise<void> {
  const { provider, client, params } = ctx.oidc;
  if (typeof params.username !== 'string' || typeof params.password !== 'string') throw new errors.InvalidRequest('username and password are required');
  if (params.username !== demoCredentials.username || params.password !== demoCredentials.password) throw new errors.InvalidGrant('wrong username or password');
  const requested = (params.scope ?? '').split(' ').filter((scope) => scope !== '');
  const unknown = requested.filter((scope) => !(demoOAuthScopes as readonly string[]).includes(scope));
  if (unknown.length > 0) throw new errors.InvalidScope('requested scope is not supported', unknown.join(' '));
  const scope = requested.join(' ');

  const grant = new provider.Grant({ accountId: demoAccount.accountId, clientId: client.clientId });
  if (scope !== '') grant.addOIDCScope(scope);
  const grantId = await grant.save();
  const source = { accountId: demoAccount.accountId, client, grantId, gty: 'password', scope };

  const accessToken = new provider.AccessToken(source);
  const accessTokenValue = await accessToken.save();
  const refreshTokenValue = issuesRefreshTokens(client)
    ? await new provider.RefreshToken({ ...source, rotations: 0, authTime: Math.floor(Date.now() / 1000) }).save()
    : undefined;
  let idToken: string | undefined;
  if (requested.includes('openid')) {
    const token = new provider.IdToken({ sub: demoAccount.accountId, ...demoAccount.claims }, { ctx });
    // The scope picks the claims the token carries, as oidc-provider's own grants set it (its types omit the field).
    Object.assign(token, { scope });
    idToken = await token.issue({ use: 'idtoken' });
  }
  ctx.body = {
    access_token: accessTokenValue,
    token_type: accessToken.tokenType,
    expires_in: accessToken.expiration,
    ...(scope === '' ? {} : { scope }),
    ...(refreshTokenValue === undefined ? {} : { refresh_token: refreshTokenValue }),
    ...(idToken === undefined ? {} : { id_token: idToken }),
  };
}

/** The access token lifetime the options ask for, checked before anything starts. */
export function accessTokenTtlOf(options: IdentityProviderOptions): number {
  const seconds = options.accessTokenTtlSeconds ?? 3600;
  if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError(`accessTokenTtlSeconds must be a positive integer, got ${seconds}`);
  return seconds;
}

/** oidc-provider for `issuer` (`<demo url>/oidc`), with the password grant registered. */
export function createIdentityProvider(issuer: string, signingKey: JWK, accessTokenTtl: number): Provider {
  const provider = new Provider(issuer, configuration(signingKey, accessTokenTtl));
  provider.registerGrantType('password', passwordGrant, ['username', 'password', 'scope']);
  return provider;
}

function bearerToken(request: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

type ProviderHandler = ReturnType<Provider['callback']>;
const handlers = new WeakMap<Provider, ProviderHandler>();

/** Hands a request to oidc-provider as if it were mounted at /oidc (`path` is the part after it). */
async function forward(provider: Provider, request: IncomingMessage & { baseUrl?: string }, response: Parameters<ProviderHandler>[1], path: string): Promise<void> {
  let handler = handlers.get(provider);
  if (handler === undefined) handlers.set(provider, (handler = provider.callback()));
  // oidc-provider builds its endpoints' URLs from the mount path it finds in `baseUrl` (Express's name for it).
  request.url = path;
  request.baseUrl = oidcMountPath;
  await handler(request, response);
}

/** The provider's own routes under /oidc, its sign-in pages, and `GET /oauth/profile`. */
export function identityProviderRoutes(getProvider: () => Provider): readonly Route[] {
  return [
    ...interactionRoutes(getProvider),
    {
      methods: 'any',
      path: `${oidcMountPath}/*`,
      handler: ({ request, response }) => forward(getProvider(), request, response, (request.url ?? '/').slice(oidcMountPath.length) || '/'),
    },
    {
      // RFC 8414's metadata location for an issuer with a path, for OAuth 2.0 clients that look there.
      methods: ['GET'],
      path: `/.well-known/oauth-authorization-server${oidcMountPath}`,
      handler: ({ request, response }) => forward(getProvider(), request, response, '/.well-known/openid-configuration'),
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/oauth/profile',
      handler: async ({ request, response }) => {
        const provider = getProvider();
        const value = bearerToken(request);
        if (value === undefined) {
          throw new DemoError(401, 'send "Authorization: Bearer <access token>" with a token from the demo identity provider (/oidc)', undefined, {
            'WWW-Authenticate': `Bearer realm="${realm}"`,
          });
        }
        const token = (await provider.AccessToken.find(value)) ?? (await provider.ClientCredentials.find(value));
        if (token === undefined) {
          throw new DemoError(401, 'the access token is unknown, expired or revoked', undefined, {
            'WWW-Authenticate': `Bearer realm="${realm}", error="invalid_token", error_description="the access token is unknown, expired or revoked"`,
          });
        }
        const sub = 'accountId' in token ? token.accountId : undefined;
        sendJson(response, 200, { ...(sub === undefined ? {} : { sub }), client_id: token.clientId, scope: token.scope ?? '' });
      },
    },
  ];
}
