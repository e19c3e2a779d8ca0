// Every grant against a real OpenID provider: the demo API's (oidc-provider), driven by a scripted
// user for the browser and device steps. The provider checks what matters (PKCE, client
// authentication, refresh token rotation and revocation); these tests check that Courier's client
// gets, keeps and renews tokens the provider accepts.

import { strict as assert } from 'node:assert';
import { after, before, describe, test } from 'node:test';
import type { AuthConfiguration } from '../../../../language/authConfigurations';
import type { AuthInteraction } from '../../../../engine/oauth/browserStep';
import { OAuthTokens, TokenUnavailableError } from '../../../../engine/oauth/oauthTokens';
import { MemoryTokenStore } from '../../../../engine/oauth/tokenStore';
import { demoOAuthClients } from '../../../../samples/demo-api/oauthClients';
import { startDemoApi, type DemoApi } from '../../../../samples/demo-api/server';
import { approveDeviceAsUser, authorizeAsUser } from '../../../harness/identityProviderUser';
import { authConfiguration } from './oauthFixtures';

let api: DemoApi;

before(async () => {
  api = await startDemoApi(0);
});

after(() => api.close());

/** The user, scripted: signs in on the provider's pages and lets the browser come back, as a browser would (fragment included). */
function scriptedUser(seen: { authorizationUrls: string[]; deviceCodes: string[] } = { authorizationUrls: [], deviceCodes: [] }): AuthInteraction {
  return {
    interactive: true,
    timeoutMs: 30_000,
    openBrowser: async (_configuration, url) => {
      seen.authorizationUrls.push(url);
      const location = new URL(await authorizeAsUser(url));
      // What the listener's page does for a fragment: the browser comes back with it as the query.
      const back = location.hash === '' ? location.href : `${location.origin}${location.pathname}?${location.hash.slice(1)}&__courier_fragment=1`;
      // Not awaited by the engine: the browser goes on its own while the grant waits for the listener.
      void fetch(back).then((response) => response.text());
    },
    showDeviceCode: (prompt) => {
      seen.deviceCodes.push(prompt.userCode);
      void approveDeviceAsUser(prompt.verificationUriComplete ?? prompt.verificationUri, prompt.userCode);
      return () => undefined;
    },
  };
}

function configuration(overrides: Partial<AuthConfiguration>): AuthConfiguration {
  return authConfiguration({
    authUrl: `${api.url}/oidc/auth`,
    tokenUrl: `${api.url}/oidc/token`,
    redirectUrl: 'http://127.0.0.1/callback',
    deviceAuthUrl: `${api.url}/oidc/device/auth`,
    clientId: demoOAuthClients.confidential.clientId,
    clientSecret: demoOAuthClients.confidential.clientSecret,
    clientAuthentication: 'basic',
    ...overrides,
  });
}

/** What the provider's resource says about an access token. */
async function profile(accessToken: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}/oauth/profile`, { headers: { Authorization: `Bearer ${accessToken}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function tokens(interaction: AuthInteraction = scriptedUser(), log: string[] = [], clock?: { now: number }, fetchThrough?: typeof fetch): OAuthTokens {
  return new OAuthTokens({
    store: new MemoryTokenStore(),
    interaction,
    log: (line) => log.push(line),
    ...(clock === undefined ? {} : { now: () => clock.now }),
    ...(fetchThrough === undefined ? {} : { fetch: fetchThrough }),
  });
}

describe('grants against the demo identity provider', () => {
  test('Client Credentials with the secret in Basic and in the body', async () => {
    const basic = await tokens().token({ configuration: configuration({ scope: 'items:read' }), environment: 'local' }, 'token', true);
    assert.deepEqual((await profile(basic)).body, { client_id: 'courier-confidential', scope: 'items:read' });
    const post = await tokens().token({ configuration: configuration({ clientId: demoOAuthClients.confidentialPost.clientId, clientAuthentication: 'in body' }), environment: 'local' }, 'token', true);
    assert.equal((await profile(post)).body.client_id, 'courier-confidential-post');
  });

  test('a wrong client secret names the configuration and the token endpoint answer', async () => {
    await assert.rejects(tokens().token({ configuration: configuration({ clientSecret: 'not-the-secret' }), environment: 'local' }, 'token', true), (error: Error) => {
      assert.ok(error instanceof TokenUnavailableError);
      assert.match(error.message, /^auth configuration "demo" \(environment local\): the token endpoint http:\/\/127\.0\.0\.1:\d+\/oidc\/token answered 401 invalid_client/);
      assert.doesNotMatch(error.message, /not-the-secret/);
      return true;
    });
  });

  test('Password gives the user an access token and, with openid, an ID token for this client', async () => {
    const source = tokens();
    const request = { configuration: configuration({ grantType: 'Password', username: 'demo', password: 'secret', scope: 'openid profile' }), environment: 'local' };
    const access = await source.token(request, 'token', true);
    assert.equal((await profile(access)).body.sub, 'demo');
    const idToken = await source.token(request, 'idToken', true);
    const claims = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string; aud: string };
    assert.equal(claims.sub, 'demo');
    assert.equal(claims.aud, 'courier-confidential');
    await assert.rejects(tokens().token({ configuration: configuration({ grantType: 'Password', username: 'demo', password: 'wrong' }), environment: 'local' }, 'token', true), /answered 400 invalid_grant/);
  });

  test('Authorization Code with PKCE: the browser step through the loopback listener, the code exchanged with its verifier', async () => {
    const seen = { authorizationUrls: [] as string[], deviceCodes: [] as string[] };
    const request = {
      configuration: configuration({ grantType: 'Authorization Code', clientId: demoOAuthClients.code.clientId, clientSecret: undefined, clientAuthentication: 'none', pkce: { method: 'S256', verifier: undefined }, scope: 'openid profile', customParameters: [{ name: 'ui_locales', values: ['en'], use: 'In Auth Request' }] }),
      environment: 'local',
    };
    const access = await tokens(scriptedUser(seen)).token(request, 'token', true);
    assert.equal((await profile(access)).body.sub, 'demo');
    const sent = new URL(seen.authorizationUrls[0] ?? '');
    assert.equal(sent.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(sent.searchParams.get('ui_locales'), 'en', 'an In Auth Request parameter goes in the authorization URL');
    assert.match(sent.searchParams.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/, 'a free port on the written path');
  });

  test('PKCE is checked by the provider: a public client without it is refused, a tampered verifier too', async () => {
    const base = { grantType: 'Authorization Code' as const, clientId: demoOAuthClients.code.clientId, clientSecret: undefined, clientAuthentication: 'none' as const };
    await assert.rejects(tokens().token({ configuration: configuration(base), environment: 'local' }, 'token', true), /PKCE|code_challenge/i);
    // The token request leaves with another verifier than the challenge was made from.
    const tampering: typeof fetch = (input, init) => {
      const body = init?.body;
      if (body instanceof URLSearchParams && body.has('code_verifier')) body.set('code_verifier', 'x'.repeat(43));
      return fetch(input, init);
    };
    await assert.rejects(tokens(scriptedUser(), [], undefined, tampering).token({ configuration: configuration({ ...base, scope: 'openid', pkce: { method: 'S256', verifier: undefined } }), environment: 'local' }, 'token', true), /answered 400 invalid_grant/);
  });

  test('a token is refreshed before it expires, and a revoked refresh token leads to a new acquisition', async () => {
    const clock = { now: Date.now() };
    const log: string[] = [];
    const source = tokens(scriptedUser(), log, clock);
    const request = { configuration: configuration({ grantType: 'Password', username: 'demo', password: 'secret', scope: 'openid' }), environment: 'local' };
    const first = await source.token(request, 'token', true);
    const stored = await source.storedTokens({ environment: 'local', id: 'demo' });
    assert.ok(stored?.refreshToken !== undefined && stored.expiresAt !== undefined, 'the provider issued a refresh token and an expiry');
    // Within 30 s of the expiry, as the engine's clock sees it.
    clock.now = (stored.expiresAt ?? 0) - 10_000;
    const refreshed = await source.token(request, 'token', true);
    assert.notEqual(refreshed, first);
    assert.equal((await profile(refreshed)).status, 200);
    assert.ok(log.some((line) => /POST .*\/oidc\/token \(refresh\) -> 200/.test(line)), log.join('\n'));

    const current = await source.storedTokens({ environment: 'local', id: 'demo' });
    const revoked = await fetch(`${api.url}/oidc/token/revocation`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from('courier-confidential:courier-secret').toString('base64')}` },
      body: new URLSearchParams({ token: current?.refreshToken ?? '', token_type_hint: 'refresh_token' }),
    });
    assert.equal(revoked.status, 200);
    clock.now = (current?.expiresAt ?? 0) + 1000;
    const renewed = await source.token(request, 'token', true);
    assert.notEqual(renewed, refreshed);
    assert.equal((await profile(renewed)).status, 200);
    assert.ok(log.some((line) => /refreshing failed .*invalid_grant.*acquiring a new token/.test(line)), log.join('\n'));
    for (const secret of source.secrets()) assert.ok(!log.join('\n').includes(secret), 'no token or secret in the Auth log');
  });

  test('Device Authorization: the code shown, approved on the other device, polled until the token comes', { timeout: 60_000 }, async () => {
    const seen = { authorizationUrls: [] as string[], deviceCodes: [] as string[] };
    const access = await tokens(scriptedUser(seen)).token({ configuration: configuration({ grantType: 'Device Authorization', clientId: demoOAuthClients.device.clientId, clientSecret: undefined, clientAuthentication: 'none', scope: 'openid' }), environment: 'local' }, 'token', true);
    assert.equal(seen.deviceCodes.length, 1);
    assert.equal((await profile(access)).body.sub, 'demo');
  });

  test('Implicit: the token comes back in the URL fragment, with an ID token carrying the nonce', async () => {
    const source = tokens();
    const request = { configuration: configuration({ grantType: 'Implicit', clientId: demoOAuthClients.implicit.clientId, clientSecret: undefined, clientAuthentication: 'none', scope: 'openid' }), environment: 'local' };
    const access = await source.token(request, 'token', true);
    assert.equal((await profile(access)).body.sub, 'demo');
    assert.match(await source.token(request, 'idToken', true), /^[\w-]+\.[\w-]+\.[\w-]+$/);
  });
});
