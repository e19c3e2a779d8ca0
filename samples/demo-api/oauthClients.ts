// The demo identity provider's fixed clients, scopes and paths, in one table that the provider,
// the tests and the samples read (so none of them copies an id or a redirect URI).
// Nothing here imports the provider: reading the table costs nothing.

/** Where the provider is mounted on the demo API; the issuer is `<demo url>/oidc`. */
export const oidcMountPath = '/oidc';

/**
 * Loopback redirect URIs are registered without a port: the clients are native, so the provider
 * accepts them with any port (RFC 8252 §7.3), as a listener on a free port needs.
 */
export const demoRedirectUris = ['http://127.0.0.1/callback', 'http://localhost/callback', 'vscode://courier.courier-http/oauth/callback'] as const;

/** `items:read` is the demo API's own scope; the others are OpenID Connect's. */
export const demoOAuthScopes = ['openid', 'profile', 'email', 'offline_access', 'items:read'] as const;

export const deviceCodeGrantType = 'urn:ietf:params:oauth:grant-type:device_code';

export interface DemoOAuthClient {
  readonly clientId: string;
  /** Absent for public clients. */
  readonly clientSecret?: string;
  readonly tokenEndpointAuthMethod: 'none' | 'client_secret_basic' | 'client_secret_post';
  readonly grantTypes: readonly string[];
  readonly responseTypes: readonly string[];
  readonly redirectUris: readonly string[];
}

const confidentialGrants = ['authorization_code', 'refresh_token', 'client_credentials', 'password'];

export const demoOAuthClients = {
  /** Authorization Code for a public native client: PKCE (S256) required. */
  code: {
    clientId: 'courier-code',
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['authorization_code', 'refresh_token'],
    responseTypes: ['code'],
    redirectUris: demoRedirectUris,
  },
  /** Every grant a confidential client may use, authenticated with HTTP Basic; PKCE optional. */
  confidential: {
    clientId: 'courier-confidential',
    clientSecret: 'courier-secret',
    tokenEndpointAuthMethod: 'client_secret_basic',
    grantTypes: confidentialGrants,
    responseTypes: ['code'],
    redirectUris: demoRedirectUris,
  },
  /** The same, with the secret in the form body. */
  confidentialPost: {
    clientId: 'courier-confidential-post',
    clientSecret: 'courier-secret',
    tokenEndpointAuthMethod: 'client_secret_post',
    grantTypes: confidentialGrants,
    responseTypes: ['code'],
    redirectUris: demoRedirectUris,
  },
  /** Device Authorization (RFC 8628) for a public client. */
  device: {
    clientId: 'courier-device',
    tokenEndpointAuthMethod: 'none',
    grantTypes: [deviceCodeGrantType, 'refresh_token'],
    responseTypes: [],
    redirectUris: [],
  },
  /**
   * Implicit: oidc-provider offers it only with an ID token (`id_token token`, or `id_token`
   * alone), so requests need `openid` in scope and a `nonce`; a bare `response_type=token` is refused.
   */
  implicit: {
    clientId: 'courier-implicit',
    tokenEndpointAuthMethod: 'none',
    grantTypes: ['implicit'],
    responseTypes: ['id_token token', 'id_token'],
    redirectUris: demoRedirectUris,
  },
} as const satisfies Record<string, DemoOAuthClient>;
