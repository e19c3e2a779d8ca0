// `courier run` with OAuth 2.0 configurations in the env files, as a whole process: the token is
// obtained, sent, kept in --token-store between runs, redacted from every report, and a grant that
// needs a browser fails at once with --no-interactive.

import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { ensureBuilt, jsonLines, runCli, tempFolder } from './cliHarness';

let server: Server;
let origin = '';
const tokenRequests: URLSearchParams[] = [];
const apiAuthorizations: string[] = [];
let issued = 0;

before(async () => {
  ensureBuilt();
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const json = (status: number, value: unknown): void => void response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(value));
      if (request.url === '/token') {
        const form = new URLSearchParams(body);
        tokenRequests.push(form);
        if (form.get('client_secret') !== 'from-the-private-file') return json(401, { error: 'invalid_client' });
        issued += 1;
        return json(200, { access_token: `sekrit-access-${issued}`, token_type: 'Bearer', expires_in: 3600, refresh_token: `sekrit-refresh-${issued}` });
      }
      apiAuthorizations.push(request.headers.authorization ?? '');
      json(200, { seen: request.headers.authorization ?? null, url: request.url });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => server.close());

beforeEach(() => {
  tokenRequests.length = 0;
  apiAuthorizations.length = 0;
});

async function workspace(): Promise<string> {
  return tempFolder({
    'api.http': '### Profile\nGET {{host}}/profile?check={{$auth.token("service")}}\nAuthorization: Bearer {{$auth.token("service")}}\n',
    'browser.http': 'GET {{host}}/me\nAuthorization: Bearer {{$auth.token("browser")}}\n',
    'http-client.env.json': JSON.stringify({
      dev: {
        host: origin,
        Security: {
          Auth: {
            service: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{host}}/token', 'Client ID': 'courier', 'Client Credentials': 'in body', Scope: 'items:read' },
            browser: { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': '{{host}}/authorize', 'Token URL': '{{host}}/token', 'Client ID': 'courier', PKCE: true },
          },
        },
      },
    }),
    // The secret lives in the private file under the same entry, as JetBrains keeps it.
    'http-client.private.env.json': JSON.stringify({ dev: { Security: { Auth: { service: { 'Client Secret': 'from-the-private-file' } } } } }),
  });
}

describe('courier run with OAuth 2.0 configurations', () => {
  test('obtains the token once, sends it, and redacts it from the json report', async () => {
    const folder = await workspace();
    const result = await runCli(['run', 'api.http', '--env', 'dev', '--reporter', 'json', '--verbose'], { cwd: folder });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(tokenRequests.length, 1, 'one token request for two references');
    assert.equal(tokenRequests[0]?.get('grant_type'), 'client_credentials');
    assert.equal(tokenRequests[0]?.get('scope'), 'items:read');
    assert.equal(apiAuthorizations[0], `Bearer sekrit-access-${issued}`);
    assert.doesNotMatch(result.stdout, /sekrit/, 'no token in the report');
    assert.doesNotMatch(result.stderr, /sekrit|from-the-private-file/, 'no token or secret in the Auth log');
    assert.match(result.stderr, /auth: auth configuration "service" \(environment dev\): POST .*\/token \(client credentials\) -> 200/);
    const [record] = jsonLines(result.stdout);
    assert.equal((record as { status?: number }).status, 200);
  });

  test('--token-store keeps the token between runs, in a file only its owner can read', async () => {
    const folder = await workspace();
    const store = join(folder, 'tokens.json');
    assert.equal((await runCli(['run', 'api.http', '--env', 'dev', '--token-store', 'tokens.json'], { cwd: folder })).code, 0);
    assert.equal((await runCli(['run', 'api.http', '--env', 'dev', '--token-store', 'tokens.json'], { cwd: folder })).code, 0);
    assert.equal(tokenRequests.length, 1, 'the second run reuses the stored token');
    assert.equal(apiAuthorizations[0], apiAuthorizations[1]);
    assert.equal(statSync(store).mode & 0o777, 0o600);
    assert.match(readFileSync(store, 'utf8'), /"courierTokenStore": 1/);
  });

  test('a wrong client secret fails the request with the configuration and the provider answer', async () => {
    const broken = await tempFolder({
      'api.http': 'GET {{host}}/x\nAuthorization: Bearer {{$auth.token("service")}}\n',
      'http-client.env.json': JSON.stringify({ dev: { host: origin, Security: { Auth: { service: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{host}}/token', 'Client ID': 'courier', 'Client Secret': 'nope', 'Client Credentials': 'in body' } } } } }),
    });
    const failed = await runCli(['run', 'api.http', '--env', 'dev'], { cwd: broken });
    assert.equal(failed.code, 1);
    assert.match(failed.stdout + failed.stderr, /auth configuration "service" \(environment dev\): the token endpoint http:\/\/127\.0\.0\.1:\d+\/token answered 401 invalid_client/);
    assert.doesNotMatch(failed.stdout + failed.stderr, /nope/);
  });

  test('--no-interactive fails a browser grant at once with what to do instead', async () => {
    const folder = await workspace();
    const started = Date.now();
    const result = await runCli(['run', 'browser.http', '--env', 'dev', '--no-interactive'], { cwd: folder });
    assert.equal(result.code, 1);
    assert.match(result.stdout + result.stderr, /Authorization Code grant needs you in a browser, and this run may not ask \(--no-interactive\)/);
    assert.ok(Date.now() - started < 10_000);
    assert.equal(apiAuthorizations.length, 0, 'nothing was sent without its token');
  });

  test('under CI the run does not wait for a browser unless --interactive says so', async () => {
    const folder = await workspace();
    const result = await runCli(['run', 'browser.http', '--env', 'dev'], { cwd: folder, env: { CI: 'true' } });
    assert.equal(result.code, 1);
    assert.match(result.stdout + result.stderr, /needs you in a browser/);
  });

  test('an unknown configuration names the environment and the ones configured', async () => {
    const folder = await tempFolder({
      'api.http': 'GET {{host}}/x\nAuthorization: Bearer {{$auth.token("nope")}}\n',
      'http-client.env.json': JSON.stringify({ dev: { host: origin, Security: { Auth: { service: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'x', 'Client ID': 'c' } } } } }),
    });
    const result = await runCli(['run', 'api.http', '--env', 'dev'], { cwd: folder });
    assert.equal(result.code, 1);
    assert.match(result.stdout + result.stderr, /api\.http:1: no auth configuration "nope" in environment dev \(configured: service\)/);
  });

  test("httpYac's Authorization: oauth2 client_credentials uses the oauth2_* variables and sends a bearer token", async () => {
    const folder = await tempFolder({
      'api.http': 'GET {{host}}/yac\nAuthorization: oauth2 client_credentials\n\n###\nGET {{host}}/yac2\nAuthorization: openid client service\n',
      'http-client.env.json': JSON.stringify({
        dev: {
          host: origin,
          oauth2_tokenEndpoint: '{{host}}/token',
          oauth2_clientId: 'courier',
          oauth2_clientSecret: 'from-the-private-file',
          oauth2_useAuthorizationHeader: 'false',
          service_tokenEndpoint: '{{host}}/token',
          service_clientId: 'other',
          service_clientSecret: 'from-the-private-file',
          service_useAuthorizationHeader: 'false',
          service_scope: 'items:write',
        },
      }),
    });
    const result = await runCli(['run', 'api.http', '--env', 'dev', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(tokenRequests.length, 2, 'one token per prefix');
    assert.equal(tokenRequests[0]?.get('client_id'), 'courier');
    assert.equal(tokenRequests[1]?.get('client_id'), 'other');
    assert.equal(tokenRequests[1]?.get('scope'), 'items:write');
    assert.match(apiAuthorizations[0] ?? '', /^Bearer sekrit-access-\d+$/);
    assert.doesNotMatch(result.stdout, /sekrit/);
  });

  test("REST Client's {{$oidcAccessToken}} is an Authorization Code grant: its arguments are checked, and it needs a browser", async () => {
    const folder = await tempFolder({
      'api.http': `GET ${origin}/rc\nAuthorization: Bearer {{$oidcAccessToken clientId:courier callbackPort:7777 authorizeEndpoint:${origin}/authorize tokenEndpoint:${origin}/token scopes:openid,profile}}\n\n###\nGET ${origin}/rc2\nAuthorization: Bearer {{$oidcAccessToken clientId:courier colour:blue}}\n`,
    });
    const result = await runCli(['run', 'api.http', '--no-interactive', '--reporter', 'json'], { cwd: folder });
    assert.equal(result.code, 1);
    const records = jsonLines(result.stdout) as { error?: string }[];
    assert.match(records[0]?.error ?? '', /Authorization Code grant needs you in a browser/);
    assert.match(records[1]?.error ?? '', /\$oidcAccessToken does not know "colour:blue"/);
    assert.equal(apiAuthorizations.length, 0);
    // An argument whose variable nothing defines fails its request with a sentence, and the run goes on.
    const undefinedVariable = await tempFolder({ 'api.http': `GET ${origin}/rc3\nAuthorization: Bearer {{$oidcAccessToken clientId:{{nobody}}}}\n\n###\nGET ${origin}/after\n` });
    const third = await runCli(['run', 'api.http', '--no-interactive', '--reporter', 'json'], { cwd: undefinedVariable });
    const [failed, after] = jsonLines(third.stdout) as { error?: string; status?: number }[];
    assert.match(failed?.error ?? '', /\$oidcAccessToken/);
    assert.equal(after?.status, 200);
  });
});

