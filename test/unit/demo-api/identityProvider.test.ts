// The demo API's identity provider, end to end over plain HTTP: discovery, every grant its
// clients have, refresh, revocation, the protected /oauth/profile, and the scripted user that
// tests of OAuth clients stand in for a browser with.
import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import * as oauth from 'oauth4webapi';
import { type DemoOAuthClient, demoOAuthClients } from '../../../samples/demo-api/oauthClients';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';
import { IdentityProviderUser, approveDeviceAsUser, authorizeAsUser } from '../../harness/identityProviderUser';

let api: DemoApi;
/** A second demo API whose access tokens live one second, for expiry and refresh. */
let shortLived: DemoApi;
before(async () => {
  [api, shortLived] = await Promise.all([startDemoApi(0), startDemoApi(0, { accessTokenTtlSeconds: 1 })]);
});
after(async () => {
  await Promise.all([api.close(), shortLived.close()]);
});

const insecure = { [oauth.allowInsecureRequests]: true };
/** Any free-looking port: the provider must accept a loopback redirect URI on any of them. */
const callback = 'http://127.0.0.1:53682/callback';

type Json = Record<string, unknown>;

async function readJson(response: Response): Promise<{ status: number; headers: Headers; body: Json }> {
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

function basic(client: DemoOAuthClient): string {
  return `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret ?? ''}`).toString('base64')}`;
}

/** A form POST to one of the provider's endpoints (`path` after /oidc), optionally with HTTP Basic. */
async function post(path: string, form: Record<string, string>, authorization?: string, target: DemoApi = api): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (authorization !== undefined) headers.Authorization = authorization;
  return readJson(await fetch(`${target.oidcIssuer}${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() }));
}

async function profile(accessToken: string | undefined, target: DemoApi = api): Promise<{ status: number; headers: Headers; body: Json }> {
  return readJson(await fetch(`${target.url}/oauth/profile`, accessToken === undefined ? {} : { headers: { Authorization: `Bearer ${accessToken}` } }));
}

function authorizationUrl(parameters: Record<string, string>, target: DemoApi = api): string {
  return `${target.oidcIssuer}/auth?${new URLSearchParams(parameters).toString()}`;
}

/** Authorization Code with PKCE for `courier-code`, signed in by the scripted user; returns the code and verifier. */
async function codeFlow(redirectUri = callback, target: DemoApi = api): Promise<{ code: string; verifier: string; location: URL }> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const location = new URL(
    await authorizeAsUser(
      authorizationUrl(
        {
          client_id: demoOAuthClients.code.clientId,
          response_type: 'code',
          redirect_uri: redirectUri,
          scope: 'openid profile email items:read',
          state,
          code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        },
        target,
      ),
    ),
  );
  assert.equal(location.searchParams.get('state'), state);
  const code = location.searchParams.get('code');
  assert.ok(code !== null, `no code in ${location.href}`);
  return { code, verifier, location };
}

async function passwordTokens(target: DemoApi = api, scope = 'openid profile items:read'): Promise<Json> {
  const { confidential } = demoOAuthClients;
  const tokens = await post('/token', { grant_type: 'password', username: 'demo', password: 'secret', scope }, basic(confidential), target);
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return tokens.body;
}

describe('identity provider: discovery', () => {
  test('publishes its metadata at <issuer>/.well-known/openid-configuration with every endpoint under /oidc', async () => {
    assert.equal(api.oidcIssuer, `${api.url}/oidc`);
    const issuer = new URL(api.oidcIssuer);
    const metadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure }));
    assert.equal(metadata.issuer, api.oidcIssuer);
    assert.deepEqual(
      {
        authorization: metadata.authorization_endpoint,
        token: metadata.token_endpoint,
        device: metadata.device_authorization_endpoint,
        revocation: metadata.revocation_endpoint,
        introspection: metadata.introspection_endpoint,
        userinfo: metadata.userinfo_endpoint,
        jwks: metadata.jwks_uri,
      },
      {
        authorization: `${api.oidcIssuer}/auth`,
        token: `${api.oidcIssuer}/token`,
        device: `${api.oidcIssuer}/device/auth`,
        revocation: `${api.oidcIssuer}/token/revocation`,
        introspection: `${api.oidcIssuer}/token/introspection`,
        userinfo: `${api.oidcIssuer}/me`,
        jwks: `${api.oidcIssuer}/jwks`,
      },
    );
    for (const grant of ['authorization_code', 'refresh_token', 'client_credentials', 'password', 'implicit', 'urn:ietf:params:oauth:grant-type:device_code']) {
      assert.ok(metadata.grant_types_supported?.includes(grant), `grant ${grant} missing`);
    }
    assert.deepEqual(metadata.scopes_supported, ['openid', 'profile', 'email', 'offline_access', 'items:read']);
    assert.deepEqual(metadata.code_challenge_methods_supported, ['S256']);
  });

  test('answers RFC 8414 metadata requests for the same issuer, and the route index lists the provider', async () => {
    const issuer = new URL(api.oidcIssuer);
    const metadata = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }));
    assert.equal(metadata.token_endpoint, `${api.oidcIssuer}/token`);
    const index = (await readJson(await fetch(`${api.url}/`))).body.endpoints as Record<string, string[]>;
    assert.deepEqual(index['/oauth/profile'], ['GET', 'HEAD']);
    assert.deepEqual(index['/oidc/*'], ['ANY']);
  });

  test('each start has its own signing key and issuer', async () => {
    const keys = async (target: DemoApi): Promise<string[]> => ((await readJson(await fetch(`${target.oidcIssuer}/jwks`))).body.keys as { kid: string }[]).map((key) => key.kid);
    const [first, second] = [await keys(api), await keys(shortLived)];
    assert.equal(first.length, 1);
    assert.notDeepEqual(first, second);
    assert.notEqual(api.oidcIssuer, shortLived.oidcIssuer);
  });

  test('refuses an access token lifetime that is not a positive integer', async () => {
    await assert.rejects(startDemoApi(0, { accessTokenTtlSeconds: 0 }), /accessTokenTtlSeconds must be a positive integer, got 0/);
  });
});

describe('identity provider: authorization code', () => {
  test('courier-code: the scripted user signs in, the code is exchanged with its PKCE verifier for access, refresh and ID tokens', async () => {
    const { location, verifier } = await codeFlow();
    assert.equal(`${location.origin}${location.pathname}`, callback);
    assert.equal(location.searchParams.get('iss'), api.oidcIssuer);
    const issuer = new URL(api.oidcIssuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const client: oauth.Client = { client_id: demoOAuthClients.code.clientId };
    const parameters = oauth.validateAuthResponse(as, client, location, location.searchParams.get('state') ?? oauth.skipStateCheck);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), parameters, callback, verifier, insecure);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
    assert.equal(tokens.token_type, 'bearer');
    assert.ok(tokens.refresh_token, 'no refresh token without offline_access');
    assert.equal(tokens.expires_in, 3600);
    assert.deepEqual(new Set(tokens.scope?.split(' ')), new Set(['openid', 'profile', 'email', 'items:read']));
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.equal(claims?.sub, 'demo');
    assert.equal(claims?.iss, api.oidcIssuer);
    const me = await readJson(await fetch(`${api.oidcIssuer}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } }));
    assert.deepEqual(me.body, { sub: 'demo', name: 'Demo User', preferred_username: 'demo', email: 'demo@example.com', email_verified: true });
  });

  test('a wrong PKCE verifier is refused with invalid_grant', async () => {
    const { code } = await codeFlow();
    const wrong = await post('/token', { grant_type: 'authorization_code', client_id: demoOAuthClients.code.clientId, code, redirect_uri: callback, code_verifier: oauth.generateRandomCodeVerifier() });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error, 'invalid_grant');
  });

  test('a public client without PKCE, or with the plain method, is sent back with an error', async () => {
    const base = { client_id: demoOAuthClients.code.clientId, response_type: 'code', redirect_uri: callback, scope: 'openid', state: 'abc' };
    const withoutPkce = new URL(await authorizeAsUser(authorizationUrl(base)));
    assert.equal(withoutPkce.searchParams.get('error'), 'invalid_request');
    assert.match(withoutPkce.searchParams.get('error_description') ?? '', /requires PKCE/);
    const plain = new URL(await authorizeAsUser(authorizationUrl({ ...base, code_challenge: oauth.generateRandomCodeVerifier(), code_challenge_method: 'plain' })));
    assert.equal(plain.searchParams.get('error'), 'invalid_request');
  });

  test('loopback redirect URIs match on any port, localhost included, and the vscode:// URI is accepted; others are refused', async () => {
    for (const redirectUri of ['http://localhost:8123/callback', 'http://127.0.0.1/callback', 'vscode://courier.courier-http/oauth/callback']) {
      const { location } = await codeFlow(redirectUri);
      assert.equal(`${location.protocol}//${location.host}${location.pathname}`, redirectUri);
    }
    const refused = await fetch(authorizationUrl({ client_id: demoOAuthClients.code.clientId, response_type: 'code', redirect_uri: 'http://127.0.0.1:8123/elsewhere', scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }), { redirect: 'manual' });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /redirect_uri did not match/);
  });

  test('a user already signed in is not asked again: a wider scope is consented at once, and a device is approved without the form', async () => {
    const { confidential, device } = demoOAuthClients;
    const user = new IdentityProviderUser();
    const ask = (scope: string): string => authorizationUrl({ client_id: confidential.clientId, response_type: 'code', redirect_uri: callback, scope, state: scope });
    await user.authorize(ask('openid'));
    const wider = new URL(await user.authorize(ask('openid profile items:read')));
    assert.equal(user.signIns, 1);
    const tokens = await post('/token', { grant_type: 'authorization_code', code: wider.searchParams.get('code') ?? '', redirect_uri: callback }, basic(confidential));
    assert.deepEqual(new Set((tokens.body.scope as string).split(' ')), new Set(['openid', 'profile', 'items:read']));
    const started = await post('/device/auth', { client_id: device.clientId, scope: 'openid' });
    await user.approveDevice(started.body.verification_uri as string, started.body.user_code as string);
    assert.equal(user.signIns, 1);
  });

  test('courier-confidential exchanges a code without PKCE, authenticated with HTTP Basic', async () => {
    const { confidential } = demoOAuthClients;
    const location = new URL(await authorizeAsUser(authorizationUrl({ client_id: confidential.clientId, response_type: 'code', redirect_uri: callback, scope: 'openid items:read', state: 's1' })));
    const tokens = await post('/token', { grant_type: 'authorization_code', code: location.searchParams.get('code') ?? '', redirect_uri: callback }, basic(confidential));
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(typeof tokens.body.id_token, 'string');
    assert.equal(typeof tokens.body.refresh_token, 'string');
  });
});

describe('identity provider: client credentials and password', () => {
  test('client credentials with HTTP Basic and with the secret in the body; /oauth/profile has no sub for them', async () => {
    const { confidential, confidentialPost } = demoOAuthClients;
    const viaBasic = await post('/token', { grant_type: 'client_credentials', scope: 'items:read' }, basic(confidential));
    assert.equal(viaBasic.status, 200, JSON.stringify(viaBasic.body));
    assert.equal(viaBasic.body.scope, 'items:read');
    assert.equal(viaBasic.body.refresh_token, undefined);
    assert.deepEqual((await profile(viaBasic.body.access_token as string)).body, { client_id: confidential.clientId, scope: 'items:read' });
    const viaPost = await post('/token', { grant_type: 'client_credentials', client_id: confidentialPost.clientId, client_secret: confidentialPost.clientSecret, scope: 'items:read' });
    assert.equal(viaPost.status, 200, JSON.stringify(viaPost.body));
    assert.equal((await profile(viaPost.body.access_token as string)).body.client_id, confidentialPost.clientId);
  });

  test('a wrong client secret is refused with invalid_client, in the header and in the body', async () => {
    const { confidential, confidentialPost } = demoOAuthClients;
    const wrongBasic = await post('/token', { grant_type: 'client_credentials' }, basic({ ...confidential, clientSecret: 'not-the-secret' }));
    assert.deepEqual({ status: wrongBasic.status, error: wrongBasic.body.error }, { status: 401, error: 'invalid_client' });
    const wrongPost = await post('/token', { grant_type: 'client_credentials', client_id: confidentialPost.clientId, client_secret: 'not-the-secret' });
    assert.deepEqual({ status: wrongPost.status, error: wrongPost.body.error }, { status: 401, error: 'invalid_client' });
  });

  test('the password grant gives access, refresh and a valid ID token for the demo user', async () => {
    const { confidentialPost } = demoOAuthClients;
    const issuer = new URL(api.oidcIssuer);
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
    const client: oauth.Client = { client_id: confidentialPost.clientId };
    const response = await oauth.genericTokenEndpointRequest(as, client, oauth.ClientSecretPost(confidentialPost.clientSecret), 'password', { username: 'demo', password: 'secret', scope: 'openid profile items:read' }, insecure);
    const tokens = await oauth.processGenericTokenEndpointResponse(as, client, response);
    assert.equal(tokens.scope, 'openid profile items:read');
    assert.ok(tokens.refresh_token);
    const claims = oauth.getValidatedIdTokenClaims(tokens);
    assert.deepEqual({ sub: claims?.sub, name: claims?.name, email: claims?.email }, { sub: 'demo', name: 'Demo User', email: undefined });
    assert.deepEqual((await profile(tokens.access_token)).body, { sub: 'demo', client_id: confidentialPost.clientId, scope: 'openid profile items:read' });
    const me = await readJson(await fetch(`${api.oidcIssuer}/me`, { headers: { Authorization: `Bearer ${tokens.access_token}` } }));
    assert.equal(me.body.preferred_username, 'demo');
  });

  test('the password grant without openid has no ID token; wrong password, unknown scope and public clients are refused', async () => {
    const withoutOpenid = await passwordTokens(api, 'items:read');
    assert.equal(withoutOpenid.id_token, undefined);
    const { confidential, code } = demoOAuthClients;
    const wrongPassword = await post('/token', { grant_type: 'password', username: 'demo', password: 'wrong' }, basic(confidential));
    assert.deepEqual({ status: wrongPassword.status, error: wrongPassword.body.error }, { status: 400, error: 'invalid_grant' });
    const missing = await post('/token', { grant_type: 'password', username: 'demo' }, basic(confidential));
    assert.equal(missing.body.error, 'invalid_request');
    const unknownScope = await post('/token', { grant_type: 'password', username: 'demo', password: 'secret', scope: 'items:write' }, basic(confidential));
    assert.equal(unknownScope.body.error, 'invalid_scope');
    const publicClient = await post('/token', { grant_type: 'password', client_id: code.clientId, username: 'demo', password: 'secret' });
    assert.deepEqual(publicClient.body, { error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  });
});

describe('identity provider: device authorization', () => {
  test('courier-device polls (authorization_pending), the scripted user approves, then access and refresh tokens come', async () => {
    const { device } = demoOAuthClients;
    const started = await post('/device/auth', { client_id: device.clientId, scope: 'openid items:read' });
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.verification_uri, `${api.oidcIssuer}/device`);
    assert.match(started.body.user_code as string, /^[A-Z]{4}-[A-Z]{4}$/);
    const poll = (): ReturnType<typeof post> => post('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: device.clientId, device_code: started.body.device_code as string });
    assert.equal((await poll()).body.error, 'authorization_pending');
    await approveDeviceAsUser(started.body.verification_uri, started.body.user_code as string);
    const tokens = await poll();
    assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
    assert.equal(typeof tokens.body.refresh_token, 'string');
    assert.equal(typeof tokens.body.id_token, 'string');
    assert.equal((await profile(tokens.body.access_token as string)).body.sub, 'demo');
    assert.equal((await poll()).body.error, 'invalid_grant', 'a device code is used once');
  });

  test('the scripted user also approves through verification_uri_complete', async () => {
    const { device } = demoOAuthClients;
    const started = await post('/device/auth', { client_id: device.clientId, scope: 'items:read' });
    assert.equal(started.body.verification_uri_complete, `${api.oidcIssuer}/device?user_code=${started.body.user_code as string}`);
    await approveDeviceAsUser(started.body.verification_uri_complete, started.body.user_code as string);
    const tokens = await post('/token', { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: device.clientId, device_code: started.body.device_code as string });
    assert.equal(tokens.body.scope, 'items:read');
  });

  test('a wrong user code is reported by the scripted user', async () => {
    await assert.rejects(approveDeviceAsUser(`${api.oidcIssuer}/device`, 'BCDF-GHJK'), /refused the user code BCDF-GHJK: That code is wrong, expired or already used/);
  });
});

describe('identity provider: refresh and revocation', () => {
  test('an expired access token is refused by /oauth/profile; the refresh token buys a new one', async () => {
    const tokens = await passwordTokens(shortLived);
    assert.equal(tokens.expires_in, 1);
    assert.equal((await profile(tokens.access_token as string, shortLived)).status, 200);
    const deadline = Date.now() + 5000;
    let expired = await profile(tokens.access_token as string, shortLived);
    while (expired.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      expired = await profile(tokens.access_token as string, shortLived);
    }
    assert.equal(expired.status, 401);
    const refreshed = await post('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }, basic(demoOAuthClients.confidential), shortLived);
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.notEqual(refreshed.body.access_token, tokens.access_token);
    assert.equal(typeof refreshed.body.id_token, 'string');
    assert.deepEqual((await profile(refreshed.body.access_token as string, shortLived)).body, { sub: 'demo', client_id: demoOAuthClients.confidential.clientId, scope: 'openid profile items:read' });
  });

  test("a public client's refresh token rotates: the new one works, the used one is refused", async () => {
    const { code, verifier } = await codeFlow();
    const clientId = demoOAuthClients.code.clientId;
    const first = await post('/token', { grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: callback, code_verifier: verifier });
    const second = await post('/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: first.body.refresh_token as string });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    assert.notEqual(second.body.refresh_token, first.body.refresh_token);
    const reused = await post('/token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: first.body.refresh_token as string });
    assert.equal(reused.body.error, 'invalid_grant');
  });

  test('a revoked refresh token cannot be refreshed', async () => {
    const { confidential } = demoOAuthClients;
    const tokens = await passwordTokens();
    const revoked = await fetch(`${api.oidcIssuer}/token/revocation`, {
      method: 'POST',
      headers: { Authorization: basic(confidential), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token as string, token_type_hint: 'refresh_token' }).toString(),
    });
    assert.equal(revoked.status, 200);
    const refreshed = await post('/token', { grant_type: 'refresh_token', refresh_token: tokens.refresh_token as string }, basic(confidential));
    assert.deepEqual({ status: refreshed.status, error: refreshed.body.error }, { status: 400, error: 'invalid_grant' });
  });

  test('introspection reports an active token to its client and an inactive one once revoked', async () => {
    const { confidential } = demoOAuthClients;
    const tokens = await passwordTokens();
    const before = await post('/token/introspection', { token: tokens.access_token as string }, basic(confidential));
    assert.deepEqual({ active: before.body.active, sub: before.body.sub, client_id: before.body.client_id }, { active: true, sub: 'demo', client_id: confidential.clientId });
    await post('/token/revocation', { token: tokens.access_token as string }, basic(confidential));
    assert.equal((await post('/token/introspection', { token: tokens.access_token as string }, basic(confidential))).body.active, false);
    assert.equal((await profile(tokens.access_token as string)).status, 401);
  });
});

describe('identity provider: implicit', () => {
  test('courier-implicit gets an access token and an ID token in the fragment (response_type "id_token token")', async () => {
    const nonce = oauth.generateRandomNonce();
    const location = new URL(
      await authorizeAsUser(authorizationUrl({ client_id: demoOAuthClients.implicit.clientId, response_type: 'id_token token', redirect_uri: callback, scope: 'openid items:read', state: 'i1', nonce })),
    );
    assert.equal(location.search, '');
    const fragment = new URLSearchParams(location.hash.slice(1));
    assert.equal(fragment.get('state'), 'i1');
    assert.ok(fragment.get('id_token'));
    assert.equal((await profile(fragment.get('access_token') ?? '')).body.sub, 'demo');
  });

  test('a bare response_type=token is refused: oidc-provider offers Implicit only with an ID token', async () => {
    const refused = new URL(await authorizeAsUser(authorizationUrl({ client_id: demoOAuthClients.implicit.clientId, response_type: 'token', redirect_uri: callback, scope: 'openid', state: 'i2' })));
    assert.equal(refused.searchParams.get('error') ?? new URLSearchParams(refused.hash.slice(1)).get('error'), 'unsupported_response_type');
  });
});

describe('identity provider: /oauth/profile and the sign-in page', () => {
  test('/oauth/profile answers 401 with a Bearer challenge without a token, and invalid_token with an unknown one', async () => {
    const missing = await profile(undefined);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="courier-demo"');
    const unknown = await profile('not-a-token');
    assert.equal(unknown.status, 401);
    assert.match(unknown.headers.get('www-authenticate') ?? '', /^Bearer realm="courier-demo", error="invalid_token"/);
  });

  test('the sign-in page is a plain form with username, password and one submit button', async () => {
    const first = await fetch(authorizationUrl({ client_id: demoOAuthClients.confidential.clientId, response_type: 'code', redirect_uri: callback, scope: 'openid' }), { redirect: 'manual' });
    assert.equal(first.status, 303);
    const cookies = first.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
    const page = await fetch(new URL(first.headers.get('location') ?? '', api.url), { headers: { Cookie: cookies } });
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await page.text();
    assert.equal(html.match(/<input[^>]*name="username"/g)?.length, 1);
    assert.equal(html.match(/<input[^>]*name="password"[^>]*type="password"|<input[^>]*type="password"[^>]*name="password"/g)?.length, 1);
    assert.equal(html.match(/<button[^>]*type="submit"/g)?.length, 1);
    assert.match(html, /courier-confidential/);
  });

  test('a wrong password shows the form again with an error, which the scripted user reports', async () => {
    await assert.rejects(
      authorizeAsUser(authorizationUrl({ client_id: demoOAuthClients.confidential.clientId, response_type: 'code', redirect_uri: callback, scope: 'openid' }), { username: 'demo', password: 'wrong' }),
      /refused to sign in demo: Wrong username or password\./,
    );
  });

  test('an expired or foreign sign-in link says so', async () => {
    const page = await fetch(`${api.oidcIssuer}/interaction/unknown-uid`);
    assert.equal(page.status, 400);
    assert.match(await page.text(), /This sign-in has expired or its cookie is missing/);
  });
});
