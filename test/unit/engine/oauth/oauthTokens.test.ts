import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { AuthConfiguration } from '../../../../language/authConfigurations';
import { OAuthTokens, TokenUnavailableError } from '../../../../engine/oauth/oauthTokens';
import { MemoryTokenStore } from '../../../../engine/oauth/tokenStore';
import { authConfiguration, nobodyToAsk } from './oauthFixtures';

/** A token endpoint of its own, to watch what the cache asks for: each grant and refresh is counted. */
interface Endpoint {
  url: string;
  grants: string[];
  revokedRefreshTokens: Set<string>;
  issued: number;
  delayMs: number;
  withRefreshToken: boolean;
}

const endpoint: Endpoint = { url: '', grants: [], revokedRefreshTokens: new Set(), issued: 0, delayMs: 0, withRefreshToken: true };
let server: Server;

before(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const grant = form.get('grant_type') ?? '';
      endpoint.grants.push(grant);
      const json = (status: number, value: unknown): void => {
        setTimeout(() => response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(value)), endpoint.delayMs);
      };
      if (request.headers.authorization !== `Basic ${Buffer.from('client:secret').toString('base64')}`) return json(401, { error: 'invalid_client', error_description: 'client authentication failed' });
      if (grant === 'refresh_token' && endpoint.revokedRefreshTokens.has(form.get('refresh_token') ?? '')) return json(400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
      endpoint.issued += 1;
      json(200, {
        access_token: `access-${endpoint.issued}`,
        token_type: 'Bearer',
        expires_in: 60,
        scope: form.get('scope') ?? 'items:read',
        ...(endpoint.withRefreshToken ? { refresh_token: `refresh-${endpoint.issued}` } : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
});

after(() => server.close());

beforeEach(() => {
  endpoint.grants = [];
  endpoint.revokedRefreshTokens = new Set();
  endpoint.delayMs = 0;
  endpoint.withRefreshToken = true;
});

function configuration(overrides: Partial<AuthConfiguration> = {}): AuthConfiguration {
  return authConfiguration({ id: 'service', tokenUrl: endpoint.url, clientId: 'client', clientSecret: 'secret', clientAuthentication: 'basic', scope: 'items:read', ...overrides });
}

function tokensAt(clock: { now: number }, log: string[] = []): OAuthTokens {
  return new OAuthTokens({ store: new MemoryTokenStore(), interaction: nobodyToAsk, now: () => clock.now, log: (line) => log.push(line) });
}

describe('OAuth tokens as session state', () => {
  test('a valid token is reused; one close to expiry is refreshed with its refresh token', async () => {
    const clock = { now: 1_000_000 };
    const tokens = tokensAt(clock);
    const request = { configuration: configuration(), environment: 'dev' };
    assert.equal(await tokens.token(request, 'token', true), 'access-' + String(endpoint.issued));
    const first = endpoint.issued;
    clock.now += 20_000;
    assert.equal(await tokens.token(request, 'token', true), `access-${first}`, 'still valid: no request');
    assert.deepEqual(endpoint.grants, ['client_credentials']);
    clock.now += 15_000; // 35 s of 60: within the 30 s margin
    assert.equal(await tokens.token(request, 'token', true), `access-${first + 1}`);
    assert.deepEqual(endpoint.grants, ['client_credentials', 'refresh_token']);
  });

  test('a refresh token the provider revoked leads to a new acquisition, logged', async () => {
    const clock = { now: 2_000_000 };
    const log: string[] = [];
    const tokens = tokensAt(clock, log);
    const request = { configuration: configuration(), environment: 'dev' };
    await tokens.token(request, 'token', true);
    endpoint.revokedRefreshTokens.add(`refresh-${endpoint.issued}`);
    clock.now += 61_000;
    const before = endpoint.issued;
    assert.equal(await tokens.token(request, 'token', true), `access-${before + 1}`);
    assert.deepEqual(endpoint.grants, ['client_credentials', 'refresh_token', 'client_credentials']);
    assert.ok(log.some((line) => /refreshing failed .*invalid_grant.*acquiring a new token/.test(line)), log.join('\n'));
  });

  test('concurrent requests for one token share one acquisition', async () => {
    endpoint.delayMs = 50;
    const tokens = tokensAt({ now: 3_000_000 });
    const request = { configuration: configuration(), environment: 'dev' };
    const values = await Promise.all([tokens.token(request, 'token', true), tokens.token(request, 'token', true), tokens.token(request, 'token', true)]);
    assert.equal(new Set(values).size, 1);
    assert.deepEqual(endpoint.grants, ['client_credentials']);
  });

  test('tokens are kept per environment, and a changed configuration does not reuse them', async () => {
    const tokens = tokensAt({ now: 4_000_000 });
    await tokens.token({ configuration: configuration(), environment: 'dev' }, 'token', true);
    await tokens.token({ configuration: configuration(), environment: 'staging' }, 'token', true);
    await tokens.token({ configuration: configuration({ scope: 'items:write' }), environment: 'dev' }, 'token', true);
    assert.deepEqual(endpoint.grants, ['client_credentials', 'client_credentials', 'client_credentials']);
    assert.equal((await tokens.summaries()).length, 2);
  });

  test('a wrong client secret is a clear error naming the configuration and the token endpoint answer', async () => {
    const tokens = tokensAt({ now: 5_000_000 });
    await assert.rejects(tokens.token({ configuration: configuration({ clientSecret: 'wrong' }), environment: 'dev' }, 'token', true), (error: Error) => {
      assert.ok(error instanceof TokenUnavailableError);
      assert.match(error.message, /auth configuration "service" \(environment dev\)/);
      assert.ok(error.message.includes(`the token endpoint ${endpoint.url} answered 401 invalid_client: client authentication failed`), error.message);
      assert.doesNotMatch(error.message, /wrong/, 'the secret is not in the message');
      return true;
    });
  });

  test('with Acquire Automatically false a send never starts an acquisition, but uses and refreshes what was acquired', async () => {
    const clock = { now: 6_000_000 };
    const tokens = tokensAt(clock);
    const request = { configuration: configuration({ acquireAutomatically: false }), environment: 'dev' };
    await assert.rejects(tokens.token(request, 'token', false), /"Acquire Automatically" is false: acquire one with "Courier: Acquire OAuth Token"/);
    assert.deepEqual(endpoint.grants, []);
    await tokens.acquireNow(request);
    clock.now += 45_000;
    await tokens.token(request, 'token', false);
    assert.deepEqual(endpoint.grants, ['client_credentials', 'refresh_token']);
  });

  test('an ID token asked of a configuration that got none says to add openid', async () => {
    const tokens = tokensAt({ now: 7_000_000 });
    await assert.rejects(tokens.token({ configuration: configuration(), environment: '' }, 'idToken', true), /gave no ID token: add openid to its "Scope"/);
  });

  test('every token and secret seen is known for redaction; summaries never carry a token', async () => {
    const tokens = tokensAt({ now: 8_000_000 });
    const value = await tokens.token({ configuration: configuration(), environment: 'dev' }, 'token', true);
    const secrets = tokens.secrets();
    assert.ok(secrets.includes(value));
    assert.ok(secrets.includes('secret'));
    assert.ok(secrets.includes(`refresh-${endpoint.issued}`));
    const summaries = JSON.stringify(await tokens.summaries());
    for (const secret of secrets) assert.ok(!summaries.includes(secret));
    assert.equal(await tokens.clear(), 1);
    assert.deepEqual(await tokens.summaries(), []);
  });

  test('a grant that needs the user fails at once without one', async () => {
    const tokens = tokensAt({ now: 9_000_000 });
    const code = configuration({ grantType: 'Authorization Code', authUrl: 'http://127.0.0.1:1/auth', clientSecret: undefined, clientAuthentication: 'none' });
    await assert.rejects(tokens.token({ configuration: code, environment: 'dev' }, 'token', true), /needs you in a browser, and this run may not ask \(--no-interactive\)/);
  });
});
