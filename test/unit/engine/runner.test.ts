import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { Runner, type PromptQuestion, type RunSettings } from '../../../engine/runner';
import { Session } from '../../../engine/session';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** A real local API: POST /login gives a token, GET /me wants it, everything is recorded. */
function startServer(seen: Seen[]): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const json = (status: number, value: unknown): void => {
        response.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Url': request.url ?? '' });
        response.end(JSON.stringify(value));
      };
      if (request.url === '/login' && request.method === 'POST') {
        const user = (JSON.parse(body) as { user: string }).user;
        json(200, { token: `token-of-${user}` });
      } else if (request.url === '/me') {
        const authorization = request.headers.authorization;
        if (authorization?.startsWith('Bearer token-of-') === true) json(200, { user: authorization.slice('Bearer token-of-'.length) });
        else json(401, { error: 'no token' });
      } else {
        json(200, { path: request.url });
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
  });
}

/** A port nothing listens on: a server that was closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function statuses(exchanges: readonly Exchange[]): (number | string)[] {
  return exchanges.map((exchange) => exchange.response?.status ?? `error:${exchange.error?.code ?? '?'}`);
}

function bodyOf(exchange: Exchange | undefined): unknown {
  assert.ok(exchange?.response, exchange?.error?.message ?? 'no exchange');
  return JSON.parse(new TextDecoder().decode(exchange.response.body.prefix));
}

describe('runner against a local server', () => {
  const seen: Seen[] = [];
  let server: Server;
  let origin: string;
  let session: Session;
  let folder: string;

  before(async () => {
    ({ server, origin } = await startServer(seen));
    session = await Session.open({});
    folder = mkdtempSync(join(tmpdir(), 'courier-runner-'));
  });

  after(async () => {
    await session.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Writes `text` as an .http file in a fresh folder (with optional extra files) and returns it. */
  function httpFile(text: string, extra: Readonly<Record<string, string>> = {}): { path: string; text: string } {
    const dir = mkdtempSync(join(folder, 'case-'));
    for (const [name, content] of Object.entries(extra)) writeFileSync(join(dir, name), content);
    const path = join(dir, 'api.http');
    writeFileSync(path, text);
    return { path, text };
  }

  const chain = (host: string): string =>
    [
      `@host = ${host}`,
      '',
      '### login',
      'POST {{host}}/login',
      'Content-Type: application/json',
      '',
      '{"user": "{{user}}"}',
      '',
      '###',
      '# @name me',
      'GET {{host}}/me',
      'Authorization: Bearer {{login.response.body.$.token}}',
      '',
    ].join('\n');

  test('a chained run: login sets a token, the next request uses it', async () => {
    seen.length = 0;
    const runner = new Runner(session, { overrides: new Map([['user', 'ann']]) });
    const exchanges = await runner.run(httpFile(chain(origin)), { kind: 'all' });
    assert.deepEqual(statuses(exchanges), [200, 200]);
    assert.deepEqual(bodyOf(exchanges[1]), { user: 'ann' });
    assert.equal(seen[1]?.headers.authorization, 'Bearer token-of-ann');
    assert.deepEqual(exchanges.map((exchange) => exchange.origin.name), ['login', 'me']);
  });

  test('a dependency is sent first, once, and remembered for later runs', async () => {
    seen.length = 0;
    const runner = new Runner(session, { overrides: new Map([['user', 'bob']]) });
    const file = httpFile(chain(origin));
    const first = await runner.run(file, { kind: 'names', names: ['me'] });
    assert.deepEqual(first.map((exchange) => exchange.origin.name), ['login', 'me']);
    assert.deepEqual(bodyOf(first[1]), { user: 'bob' });
    const second = await runner.run(file, { kind: 'line', line: 11 });
    assert.deepEqual(second.map((exchange) => exchange.origin.name), ['me']);
    assert.deepEqual(seen.map((request) => request.url), ['/login', '/me', '/me']);
  });

  test('a dependency reached only through an environment value is sent when preparing finds it', async () => {
    seen.length = 0;
    const env = JSON.stringify({ dev: { auth: 'Bearer {{login.response.body.$.token}}', user: 'eve' } });
    const text = chain(origin).replace('Authorization: Bearer {{login.response.body.$.token}}', 'Authorization: {{auth}}');
    const exchanges = await new Runner(session, { environment: 'dev' }).run(httpFile(text, { 'http-client.env.json': env }), { kind: 'names', names: ['me'] });
    assert.deepEqual(exchanges.map((exchange) => exchange.origin.name), ['login', 'me']);
    assert.deepEqual(bodyOf(exchanges[1]), { user: 'eve' });
  });

  test('--var overrides win over file variables', async () => {
    seen.length = 0;
    const runner = new Runner(session, { overrides: new Map([['path', 'from-cli']]) });
    const exchanges = await runner.run(httpFile(`@path = from-file\nGET ${origin}/{{path}}\n`), { kind: 'all' });
    assert.deepEqual(bodyOf(exchanges[0]), { path: '/from-cli' });
  });

  test('with no environment chosen, a variable only environments define names them and how to choose one', async () => {
    seen.length = 0;
    const env = JSON.stringify({ $shared: { version: 'v1' }, local: { baseUrl: origin }, staging: { baseUrl: 'https://staging.test' }, prod: { token: 't' } });
    const file = httpFile('GET {{baseUrl}}/{{version}}\n', { 'http-client.env.json': env });
    const [cli] = await new Runner(session, {}).run(file, { kind: 'all' });
    assert.equal(cli?.error?.code, 'variable');
    assert.match(cli?.error?.message ?? '', /api\.http:1: variable baseUrl is not defined; it is defined in environments local, staging: pass --env local$/);
    const [editor] = await new Runner(session, { environmentAdvice: (name) => `select ${name} in the status bar` }).run(file, { kind: 'all' });
    assert.match(editor?.error?.message ?? '', /it is defined in environments local, staging: select local in the status bar$/);
    const [single] = await new Runner(session, {}).run(httpFile('GET {{token}}\n', { 'http-client.env.json': env }), { kind: 'all' });
    assert.match(single?.error?.message ?? '', /variable token is not defined; it is defined in environment prod: pass --env prod$/);
    const [nowhere] = await new Runner(session, {}).run(httpFile('GET {{missing}}\n', { 'http-client.env.json': env }), { kind: 'all' });
    assert.match(nowhere?.error?.message ?? '', /variable missing is not defined: define it with @missing = value/);
    assert.equal(seen.length, 0, 'nothing was sent');
    const [chosen] = await new Runner(session, { environment: 'local' }).run(file, { kind: 'all' });
    assert.deepEqual(bodyOf(chosen), { path: '/v1' });
  });

  test('the selected environment supplies variables, $shared under it, private over public', async () => {
    seen.length = 0;
    const env = JSON.stringify({ $shared: { base: origin, tag: 'shared' }, dev: { tag: 'dev' }, prod: { tag: 'prod', secret: 'public' } });
    const privateEnv = JSON.stringify({ prod: { secret: 'private' } });
    const file = httpFile('GET {{base}}/{{tag}}?s={{secret}}\n', { 'http-client.env.json': env, 'http-client.private.env.json': privateEnv });
    const prod = await new Runner(session, { environment: 'prod' }).run(file, { kind: 'all' });
    assert.deepEqual(bodyOf(prod[0]), { path: '/prod?s=private' });
    const unknown = await new Runner(session, { environment: 'stage' }).run(file, { kind: 'all' });
    assert.equal(unknown[0]?.error?.code, 'variable');
    assert.match(unknown[0]?.error?.message ?? '', /environment stage is not defined .*\(defined: dev, prod\)/);
    assert.equal(seen.length, 1, 'nothing sent with an unknown environment');
  });

  test('an undefined variable is an error with its line, nothing is sent, and the run goes on', async () => {
    seen.length = 0;
    const file = httpFile(`GET ${origin}/first\n\n###\nGET ${origin}/second\nX-Token: {{missing}}\n\n###\nGET ${origin}/third\n`);
    const exchanges = await new Runner(session, {}).run(file, { kind: 'all' });
    assert.deepEqual(statuses(exchanges), [200, 'error:variable', 200]);
    assert.match(exchanges[1]?.error?.message ?? '', /api\.http:5: variable missing is not defined/);
    assert.equal(exchanges[1]?.origin.line, 4);
    assert.deepEqual(seen.map((request) => request.url), ['/first', '/third']);
  });

  test('a failing request does not stop the run', async () => {
    seen.length = 0;
    const port = await closedPort();
    const exchanges = await new Runner(session, {}).run(httpFile(`GET http://127.0.0.1:${port}/down\n\n###\nGET ${origin}/up\n`), { kind: 'all' });
    assert.deepEqual(statuses(exchanges), ['error:refused', 200]);
  });

  test('a dependency on a request the file does not name is an error before sending', async () => {
    seen.length = 0;
    const exchanges = await new Runner(session, {}).run(httpFile(`GET ${origin}/x?t={{ghost.response.body.$.t}}\n`), { kind: 'all' });
    assert.match(exchanges[0]?.error?.message ?? '', /api\.http:1: no request in this file is named ghost/);
    assert.equal(seen.length, 0);
  });

  test('prompts are asked, masked for secrets, and skipped when a value is given', async () => {
    seen.length = 0;
    const questions: PromptQuestion[] = [];
    const settings: RunSettings = {
      overrides: new Map([['user', 'given']]),
      prompt: (question) => {
        questions.push(question);
        return Promise.resolve(`answer-${question.name}`);
      },
    };
    const file = httpFile(`# @prompt user Who are you\n# @prompt password Your password\n# @prompt city\nGET ${origin}/p?u={{user}}&p={{password}}&c={{city}}\n`);
    const exchanges = await new Runner(session, settings).run(file, { kind: 'all' });
    assert.deepEqual(bodyOf(exchanges[0]), { path: '/p?u=given&p=answer-password&c=answer-city' });
    assert.deepEqual(questions, [{ name: 'password', description: 'Your password', secret: true }, { name: 'city', description: undefined, secret: false }]);
    const unanswered = await new Runner(session, { prompt: () => Promise.resolve(undefined) }).run(file, { kind: 'all' });
    assert.equal(unanswered[0]?.error?.code, 'aborted');
    const nobody = await new Runner(session, {}).run(file, { kind: 'all' });
    assert.match(nobody[0]?.error?.message ?? '', /variable user is asked by @prompt, but nobody can answer here: pass --var user=value/);
  });

  test('a @note request asks for confirmation and is not sent when refused', async () => {
    seen.length = 0;
    const notes: string[] = [];
    const file = httpFile(`# @note Deletes everything\nDELETE ${origin}/all\n`);
    const exchanges = await new Runner(session, { confirm: (note) => (notes.push(note), Promise.resolve(false)) }).run(file, { kind: 'all' });
    assert.deepEqual(notes, ['Deletes everything']);
    assert.equal(exchanges[0]?.error?.code, 'aborted');
    assert.equal(seen.length, 0);
  });

  test('system variables and .env values reach the wire; unknown names and lines are reported', async () => {
    seen.length = 0;
    const runner = new Runner(session, { system: { now: () => new Date('2030-01-01T00:00:00Z'), uuid: () => 'fixed-uuid' } });
    const file = httpFile(`GET ${origin}/s?t={{$timestamp}}&u={{$uuid}}&k={{$dotenv KEY}}\n`, { '.env': 'KEY=dot value\n' });
    assert.deepEqual(bodyOf((await runner.run(file, { kind: 'all' }))[0]), { path: '/s?t=1893456000&u=fixed-uuid&k=dot%20value' });
    const missing = await runner.run(file, { kind: 'names', names: ['nope'] });
    assert.match(missing[0]?.error?.message ?? '', /no request is named nope \(named: none\)/);
    const noLine = await runner.run(file, { kind: 'line', line: 40 });
    assert.match(noLine[0]?.error?.message ?? '', /api\.http:40: there is no request at this line/);
  });

  test('an aborted run stops before sending more', async () => {
    seen.length = 0;
    const controller = new AbortController();
    const file = httpFile(`GET ${origin}/one\n\n###\nGET ${origin}/two\n`);
    const exchanges = await new Runner(session, {}).run(file, { kind: 'all' }, controller.signal, () => controller.abort());
    assert.equal(exchanges.length, 1);
    assert.deepEqual(seen.map((request) => request.url), ['/one']);
  });
});
