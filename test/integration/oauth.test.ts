// OAuth in the real VS Code: a Client Credentials configuration of an env file, a token endpoint on
// 127.0.0.1 (client_secret_basic, as the demo provider's courier-confidential client), the
// commands, the token in SecretStorage and never in the history, and the env file's CodeLens.
import * as assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TokenSummaryView } from '../../client/oauth/tokenDescriptions';
import type { ExchangeSummary, HistoryEntrySummary } from '../../client/sentExchanges';
import type { TestRunSummary } from '../../client/testing/testExplorer';
import { listen, type Running } from '../unit/engine/localServer';
import { startDemoApiProcess } from './demoApiProcess';
import { closeAllEditors, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

const clientId = 'courier-confidential';
const clientSecret = 'courier-secret';

/** A token endpoint for the Client Credentials grant: checks the client's Basic credentials and issues a fresh random token each time. */
async function startTokenEndpoint(): Promise<Running<http.Server> & { readonly issued: string[] }> {
  const issued: string[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      response.setHeader('Content-Type', 'application/json');
      response.setHeader('Cache-Control', 'no-store');
      if (request.url !== '/token' || request.method !== 'POST') return void response.writeHead(404).end('{}');
      if (!basicCredentialsMatch(request.headers.authorization)) return void response.writeHead(401).end(JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }));
      if (form.get('grant_type') !== 'client_credentials') return void response.writeHead(400).end(JSON.stringify({ error: 'unsupported_grant_type' }));
      const token = `at-${randomBytes(18).toString('base64url')}`;
      issued.push(token);
      response.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600, scope: form.get('scope') ?? '' }));
    });
  });
  return Object.assign(await listen(server), { issued });
}

/**
 * An authorization endpoint that approves at once (no login page: the user is the test) and a
 * token endpoint for its codes that checks the PKCE verifier against the challenge, as a provider does.
 */
async function startAuthorizationServer(): Promise<Running<http.Server> & { readonly verified: string[] }> {
  const verified: string[] = [];
  const codes = new Map<string, { readonly challenge: string; readonly redirectUri: string }>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        const code = randomBytes(12).toString('base64url');
        codes.set(code, { challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', url.searchParams.get('state') ?? '');
        return void response.writeHead(302, { Location: back.href }).end();
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const issued = codes.get(form.get('code') ?? '');
      response.setHeader('Content-Type', 'application/json');
      const challenge = createHash('sha256').update(form.get('code_verifier') ?? '').digest('base64url');
      if (url.pathname !== '/token' || issued === undefined || issued.challenge !== challenge || issued.redirectUri !== form.get('redirect_uri')) {
        return void response.writeHead(400).end(JSON.stringify({ error: 'invalid_grant', error_description: 'code, verifier or redirect_uri do not match' }));
      }
      codes.delete(form.get('code') ?? '');
      verified.push(challenge);
      response.end(JSON.stringify({ access_token: `at-${randomBytes(18).toString('base64url')}`, token_type: 'Bearer', expires_in: 600, refresh_token: `rt-${randomBytes(18).toString('base64url')}` }));
    });
  });
  return Object.assign(await listen(server), { verified });
}

/** RFC 6749 §2.3.1: the client id and secret form-urlencoded, then joined by `:` and Base64-encoded. */
function basicCredentialsMatch(authorization: string | undefined): boolean {
  if (authorization?.startsWith('Basic ') !== true) return false;
  const [id = '', secret = ''] = Buffer.from(authorization.slice('Basic '.length), 'base64').toString('utf8').split(':');
  const decode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));
  return decode(id) === clientId && decode(secret) === clientSecret;
}

suite('OAuth tokens in the editor', () => {
  const api = suiteWithLocalApi();
  let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>> | undefined;
  let folder = '';
  const tokenEndpoint = (): NonNullable<typeof endpoint> => {
    if (endpoint === undefined) throw new Error('the token endpoint starts in suiteSetup');
    return endpoint;
  };
  const file = (name: string): vscode.Uri => vscode.Uri.file(join(folder, name));
  const service = { environment: 'dev', id: 'service' };

  suiteSetup(async () => {
    endpoint = await startTokenEndpoint();
    folder = mkdtempSync(join(tmpdir(), 'courier-oauth-'));
    const configuration = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{idp}}/token', 'Client ID': clientId, Scope: 'items:read' };
    writeFileSync(file('http-client.env.json').fsPath, JSON.stringify({ dev: { base: api().url, idp: endpoint.url, Security: { Auth: { service: configuration } } } }, undefined, 2));
    writeFileSync(file('http-client.private.env.json').fsPath, JSON.stringify({ dev: { Security: { Auth: { service: { 'Client Secret': clientSecret } } } } }, undefined, 2));
    // The token in the query too: the local API echoes the path, so it would reach the URL and the body the history stores.
    writeFileSync(file('api.http').fsPath, 'GET {{base}}/me?access={{$auth.token("service")}}\nAuthorization: Bearer {{$auth.token("service")}}\n');
    assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', 'dev'), 'dev');
    await vscode.commands.executeCommand('courier.clearAllOAuthTokens');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('courier.clearAllOAuthTokens');
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    await closeAllEditors();
    await endpoint?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });

  test('Acquire OAuth Token gets a token with the client secret of the private env file and keeps it in secret storage', async () => {
    await vscode.window.showTextDocument(file('api.http'));
    const acquired = await vscode.commands.executeCommand<TokenSummaryView | undefined>('courier.acquireOAuthToken', file('api.http'), service);
    assert.equal(tokenEndpoint().issued.length, 1, 'one request to the token endpoint');
    assert.ok(acquired, 'the command answers with what it stored');
    assert.equal(acquired.grantType, 'Client Credentials');
    assert.equal(acquired.scope, 'items:read');
    assert.equal(acquired.hasRefreshToken, false);
    assert.ok(Date.parse(acquired.expiresAt ?? '') > Date.now() + 3_000_000, `expires in an hour: ${acquired.expiresAt}`);
    assert.ok(!JSON.stringify(acquired).includes(tokenEndpoint().issued[0] ?? '-'), 'the command never answers with the token');
    const listed = await vscode.commands.executeCommand<readonly TokenSummaryView[]>('courier.showOAuthTokens');
    assert.deepEqual(listed.map(({ environment, id }) => ({ environment, id })), [service]);
    assert.ok(!JSON.stringify(listed).includes(tokenEndpoint().issued[0] ?? '-'), 'Show OAuth Tokens lists no token');
  });

  test('a send reads the stored token without asking the provider again, and the history never keeps it', async () => {
    const before = tokenEndpoint().issued.length;
    const token = tokenEndpoint().issued.at(-1);
    assert.ok(token, 'a token was acquired by the previous case');
    const editor = await vscode.window.showTextDocument(file('api.http'));
    const [exchange] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
    assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
    assert.equal(api().seen.at(-1)?.headers.authorization, `Bearer ${token}`);
    assert.equal(tokenEndpoint().issued.length, before, 'the token came from secret storage, not from a new request');
    const entry = await waitFor('the history entry', async () => {
      const shown = await vscode.commands.executeCommand<HistoryEntrySummary | undefined>('courier.showHistory', 0);
      return shown?.request.url.includes('/me?access=') === true ? shown : undefined;
    });
    assert.equal(api().seen.at(-1)?.path, `/me?access=${token}`);
    assert.equal(entry.request.url, `${api().url}/me?access=<redacted>`);
    assert.match(entry.response?.body.start ?? '', /"path":"\/me\?access=<redacted>"/);
    assert.deepEqual(entry.requestHeaders.find(([name]) => name === 'Authorization'), ['Authorization', '<redacted>']);
    assert.ok(!JSON.stringify(entry).includes(token), 'no token in the stored entry');
  });

  test('with courier.history.keepSecrets the history keeps credential headers but still not the token', async () => {
    const token = tokenEndpoint().issued.at(-1) ?? '-';
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('history.keepSecrets', true, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get('history.keepSecrets') === true ? true : undefined));
      const editor = await vscode.window.showTextDocument(file('api.http'));
      const [exchange] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
      assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
      const entry = await waitFor('the history entry kept with its headers', async () => {
        const shown = await vscode.commands.executeCommand<HistoryEntrySummary | undefined>('courier.showHistory', 0);
        const authorization = shown?.requestHeaders.find(([name]) => name === 'Authorization');
        return authorization?.[1].startsWith('Bearer ') === true ? shown : undefined;
      });
      assert.deepEqual(entry.requestHeaders.find(([name]) => name === 'Authorization'), ['Authorization', 'Bearer <redacted>']);
      assert.ok(!JSON.stringify(entry).includes(token), 'no token in the stored entry');
    } finally {
      await configuration.update('history.keepSecrets', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('the env files show Acquire token above each Security.Auth entry, and its validity and Clear while a token is stored', async () => {
    for (const name of ['http-client.env.json', 'http-client.private.env.json']) {
      const editor = await vscode.window.showTextDocument(file(name));
      const titles = await waitFor(`the auth CodeLens of ${name}`, async () => {
        const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
        const found = lenses.map((lens) => lens.command?.title ?? '');
        return found.includes('Acquire token') && found.includes('Clear') ? { found, lenses } : undefined;
      });
      // Past midnight the lens names the day too.
      assert.ok(titles.found.some((title) => /^Token valid until (\d{4}-\d\d-\d\d )?\d\d:\d\d$/.test(title)), titles.found.join(', '));
      const acquire = titles.lenses.find((lens) => lens.command?.title === 'Acquire token');
      assert.equal(acquire?.command?.command, 'courier.acquireOAuthToken');
      assert.deepEqual(acquire?.command?.arguments?.[1], service);
      // The lens sits on the entry's name.
      assert.equal(editor.document.getText(acquire?.range), '"service"');
    }
  });

  test('the CodeLens acquires anew from the env file; Clear OAuth Token and Clear All forget tokens and the lens follows', async () => {
    const editor = await vscode.window.showTextDocument(file('http-client.env.json'));
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
    const acquire = lenses.find((lens) => lens.command?.title === 'Acquire token')?.command;
    assert.ok(acquire, 'an Acquire token lens');
    const before = tokenEndpoint().issued.length;
    const acquired = await vscode.commands.executeCommand<TokenSummaryView | undefined>(acquire.command, ...((acquire.arguments ?? []) as unknown[]));
    assert.equal(acquired?.id, 'service');
    assert.equal(tokenEndpoint().issued.length, before + 1, 'Acquire token always asks the provider');

    assert.equal(await vscode.commands.executeCommand('courier.clearOAuthToken', service), 1);
    assert.deepEqual(await vscode.commands.executeCommand('courier.showOAuthTokens'), []);
    await waitFor('the lens to drop the stored token', async () => {
      const now = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10);
      const titles = now.map((lens) => lens.command?.title);
      return titles.includes('Acquire token') && !titles.includes('Clear') ? true : undefined;
    });

    await vscode.commands.executeCommand('courier.acquireOAuthToken', file('api.http'), service);
    assert.equal(await vscode.commands.executeCommand('courier.clearAllOAuthTokens'), 1);
    assert.deepEqual(await vscode.commands.executeCommand('courier.showOAuthTokens'), []);
  });

  test('Authorization Code with PKCE: the page opens in the browser, which comes back to the loopback Redirect URL', async () => {
    const authorization = await startAuthorizationServer();
    const publicFile = file('http-client.env.json').fsPath;
    const written = JSON.parse(readFileSync(publicFile, 'utf8')) as { dev: { Security: { Auth: Record<string, unknown> } } };
    written.dev.Security.Auth.browser = { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': `${authorization.url}/authorize`, 'Token URL': `${authorization.url}/token`, 'Redirect URL': 'http://127.0.0.1/callback', 'Client ID': 'courier-code', PKCE: true };
    writeFileSync(publicFile, JSON.stringify(written, undefined, 2));
    try {
      const acquired = await vscode.commands.executeCommand<TokenSummaryView | undefined>('courier.acquireOAuthToken', file('api.http'), { environment: 'dev', id: 'browser' });
      assert.equal(acquired?.grantType, 'Authorization Code');
      assert.equal(acquired.hasRefreshToken, true);
      assert.equal(authorization.verified.length, 1, 'the token endpoint checked the PKCE verifier once');
    } finally {
      await vscode.commands.executeCommand('courier.clearOAuthToken', { environment: 'dev', id: 'browser' });
      await authorization.close();
    }
  });

  test('against the demo identity provider: Client Credentials with client_secret_basic, and a send its resource accepts', async () => {
    const demo = await startDemoApiProcess();
    const demoFolder = mkdtempSync(join(tmpdir(), 'courier-oauth-demo-'));
    try {
      const configuration = { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{baseUrl}}/oidc/token', 'Client ID': clientId, Scope: 'items:read', 'Client Credentials': 'basic' };
      writeFileSync(join(demoFolder, 'http-client.env.json'), JSON.stringify({ dev: { baseUrl: demo.url, Security: { Auth: { 'demo-service': configuration } } } }));
      writeFileSync(join(demoFolder, 'http-client.private.env.json'), JSON.stringify({ dev: { Security: { Auth: { 'demo-service': { 'Client Secret': clientSecret } } } } }));
      writeFileSync(join(demoFolder, 'profile.http'), 'GET {{baseUrl}}/oauth/profile\nAuthorization: Bearer {{$auth.token("demo-service")}}\n');
      const profile = vscode.Uri.file(join(demoFolder, 'profile.http'));
      const acquired = await vscode.commands.executeCommand<TokenSummaryView | undefined>('courier.acquireOAuthToken', profile, { environment: 'dev', id: 'demo-service' });
      assert.equal(acquired?.grantType, 'Client Credentials');
      assert.equal(acquired.scope, 'items:read');
      const editor = await vscode.window.showTextDocument(profile);
      const [exchange] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
      assert.equal(exchange?.response?.status, 200, exchange?.error?.message ?? exchange?.response?.body.start);
      assert.match(exchange.response.body.start, /"client_id":\s*"courier-confidential"/);
    } finally {
      await vscode.commands.executeCommand('courier.clearOAuthToken', { environment: 'dev', id: 'demo-service' });
      await demo.close();
      rmSync(demoFolder, { recursive: true, force: true });
    }
  });

  test('a test result whose actual value carries the token shows it redacted in the Test Explorer', async () => {
    writeFileSync(file('tested.http').fsPath, 'GET {{base}}/me?access={{$auth.token("service")}}\n\n?? body path == /elsewhere\n');
    const summary = await vscode.commands.executeCommand<TestRunSummary | undefined>('courier.runTests', file('tested.http'));
    const token = tokenEndpoint().issued.at(-1) ?? '-';
    assert.equal(api().seen.at(-1)?.path, `/me?access=${token}`, 'the token was sent');
    const failed = summary?.tests.find((test) => test.state === 'failed');
    assert.equal(failed?.actual, '/me?access=<redacted>', JSON.stringify(summary));
    assert.ok(!JSON.stringify(summary).includes(token), 'no token in the test results');
  });

  test('a wrong client secret is an error naming the configuration and the endpoint\'s answer, and stores nothing', async () => {
    writeFileSync(file('http-client.private.env.json').fsPath, JSON.stringify({ dev: { Security: { Auth: { service: { 'Client Secret': 'not-the-secret' } } } } }));
    // No stored token to fall back on: the send must ask the provider.
    await vscode.commands.executeCommand('courier.clearAllOAuthTokens');
    try {
      const editor = await vscode.window.showTextDocument(file('api.http'));
      const [exchange] = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
      assert.equal(exchange?.response, undefined);
      assert.equal(exchange?.error?.code, 'auth');
      assert.match(exchange?.error?.message ?? '', /auth configuration "service" \(environment dev\).*401 invalid_client/);
      assert.ok(!(exchange?.error?.message ?? '').includes('not-the-secret'), 'the secret is not in the message');
      assert.deepEqual(await vscode.commands.executeCommand('courier.showOAuthTokens'), []);
    } finally {
      writeFileSync(file('http-client.private.env.json').fsPath, JSON.stringify({ dev: { Security: { Auth: { service: { 'Client Secret': clientSecret } } } } }, undefined, 2));
    }
  });
});
