// Resolution is one asynchronous step before preparation: sources run in the documented order,
// see what the request reads (through file and environment values), and their values reach the
// wire; an error from any of them stops that request with nothing sent.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type * as http from 'node:http';
import { Runner, type SourceContext, type VariableSource } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { parse } from '../../../language/parser';
import { readReferences } from '../../../engine/variableSources';
import { httpServer, type Running } from './localServer';

describe('asynchronous variable sources', () => {
  let running: Running<http.Server>;
  let session: Session;
  const seen: { url: string | undefined; authorization: string | undefined }[] = [];
  before(async () => {
    running = await httpServer((request, response) => {
      seen.push({ url: request.url, authorization: request.headers.authorization });
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ token: 'from-login' }));
    });
    session = await Session.open({ environment: {} });
  });
  after(async () => {
    await session.close();
    await running.close();
  });

  function file(text: string, env?: object): { path: string; text: string } {
    const dir = mkdtempSync(join(tmpdir(), 'courier-sources-'));
    if (env !== undefined) writeFileSync(join(dir, 'http-client.env.json'), JSON.stringify(env));
    const path = join(dir, 'api.http');
    writeFileSync(path, text);
    return { path, text };
  }

  /** A source that answers later, like a token endpoint, and records what it was told. */
  function slowSource(values: Record<string, string>, told: SourceContext[] = []): VariableSource {
    return {
      resolve: async (context) => {
        told.push(context);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { values: new Map(Object.entries(values)) };
      },
    };
  }

  test('an added source resolves before preparation and its value is sent', async () => {
    seen.length = 0;
    const runner = new Runner(session, { variableSources: [slowSource({ token: 'abc' })] });
    const [exchange] = await runner.run(file(`GET ${running.url}/me\nAuthorization: Bearer {{token}}\n`), { kind: 'all' });
    assert.equal(exchange?.error, undefined, exchange?.error?.message);
    assert.deepEqual(seen, [{ url: '/me', authorization: 'Bearer abc' }]);
  });

  test('sources come after --var, the file and the environment, in the documented order', async () => {
    seen.length = 0;
    const told: SourceContext[] = [];
    const runner = new Runner(session, { environment: 'dev', overrides: new Map([['a', 'override']]), variableSources: [slowSource({ a: 'source', b: 'source', c: 'source', d: 'source' }, told)] });
    const text = `@b = file\nGET ${running.url}/{{a}}/{{b}}/{{c}}/{{d}}\n`;
    await runner.run(file(text, { dev: { c: 'environment' } }), { kind: 'all' });
    assert.deepEqual(seen.map((request) => request.url), ['/override/file/environment/source']);
    const context = told[0];
    assert.ok(context !== undefined);
    assert.equal(context.definedEarlier('a') && context.definedEarlier('b') && context.definedEarlier('c'), true);
    assert.equal(context.definedEarlier('d'), false);
  });

  test('a source error stops that request with its message, nothing is sent, and the run goes on', async () => {
    seen.length = 0;
    const failing: VariableSource = { resolve: (context) => ({ error: { code: 'variable', message: `${context.where(context.request)}: the token could not be acquired` } }) };
    const runner = new Runner(session, { variableSources: [failing] });
    const exchanges = await runner.run(file(`GET ${running.url}/a\n###\nGET ${running.url}/b\n`), { kind: 'all' });
    assert.deepEqual(
      exchanges.map((exchange) => exchange.error?.message.replace(/^.*api\.http/, 'api.http')),
      ['api.http:1: the token could not be acquired', 'api.http:3: the token could not be acquired'],
    );
    assert.equal(seen.length, 0);
  });

  test('preparing without sending tells sources they may not act', async () => {
    const told: SourceContext[] = [];
    const runner = new Runner(session, { variableSources: [slowSource({ token: 'abc' }, told)] });
    const result = await runner.prepare(file(`GET ${running.url}/me\nAuthorization: Bearer {{token}}\n`), 1);
    assert.ok('prepared' in result, 'problem' in result ? result.problem : '');
    assert.deepEqual(result.prepared.headers, [['Authorization', 'Bearer abc']]);
    assert.equal(told[0]?.mayAct, false);
  });

  test('a named request reached only through an environment value is sent before preparing, then the request', async () => {
    seen.length = 0;
    const env = { dev: { auth: 'Bearer {{login.response.body.$.token}}' } };
    const text = `# @name login\nPOST ${running.url}/login\n###\n# @name me\nGET ${running.url}/me\nAuthorization: {{auth}}\n`;
    const exchanges = await new Runner(session, { environment: 'dev' }).run(file(text, env), { kind: 'names', names: ['me'] });
    assert.deepEqual(exchanges.map((exchange) => exchange.origin.name), ['login', 'me']);
    assert.deepEqual(seen, [
      { url: '/login', authorization: undefined },
      { url: '/me', authorization: 'Bearer from-login' },
    ]);
  });

  test('a request whose confirmation is refused sends none of its dependencies', async () => {
    seen.length = 0;
    const text = `# @name login\nPOST ${running.url}/login\n###\n# @note Really?\nGET ${running.url}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n`;
    const exchanges = await new Runner(session, { confirm: () => Promise.resolve(false) }).run(file(text), { kind: 'line', line: 5 });
    assert.deepEqual(exchanges.map((exchange) => exchange.error?.code), ['aborted']);
    assert.equal(seen.length, 0);
  });

  test('readReferences follows file and environment values once each, cycles included', () => {
    const document = parse('@a = {{b}}/{{x.response.body.$.id}}\n@b = {{a}}{{c}}\nGET https://h/{{a}}\nX: {{d}}\n');
    const request = document.requests[0];
    assert.ok(request !== undefined);
    const reads = readReferences(document, request, new Map([['c', '{{y.response.headers.Location}}'], ['d', 'plain']]));
    // In expansion order: a's value reads b first, whose c reads y; then x.
    assert.deepEqual(reads.requestNames, ['y', 'x']);
    assert.deepEqual([...reads.variableNames].sort(), ['a', 'b', 'c', 'd']);
  });
});
