// The runner looks for dependencies only in files that reference a named request somewhere:
// wherever that reference is, the named request must still be sent first.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { httpServer, type Running } from './localServer';
import type * as http from 'node:http';

describe('runner: where a dependency is referenced', () => {
  let running: Running<http.Server>;
  let session: Session;
  let folder: string;
  before(async () => {
    running = await httpServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ token: 't-1', path: request.url, authorization: request.headers.authorization ?? null }));
    });
    session = await Session.open({});
    folder = mkdtempSync(join(tmpdir(), 'courier-dependencies-'));
  });
  after(async () => {
    await session.close();
    await running.close();
  });

  /** Runs the request named `use` of `text` and returns the paths the server saw, in order. */
  async function sentPaths(text: string): Promise<(string | undefined)[]> {
    const dir = mkdtempSync(join(folder, 'case-'));
    const path = join(dir, 'api.http');
    writeFileSync(path, text);
    const exchanges = await new Runner(session, {}).run({ path, text }, { kind: 'names', names: ['use'] });
    return exchanges.map((exchange) => exchange.error?.message ?? new URL(exchange.request.url).pathname);
  }

  const login = '# @name login\nGET {{origin}}/login\n';

  test('through a file variable', async () => {
    const text = [`@origin = ${running.url}`, '@token = {{login.response.body.$.token}}', login, '###', '# @name use', 'GET {{origin}}/use?t={{token}}', ''].join('\n');
    assert.deepEqual(await sentPaths(text), ['/login', '/use']);
  });

  test('in a header', async () => {
    const text = [`@origin = ${running.url}`, login, '###', '# @name use', 'GET {{origin}}/use', 'Authorization: Bearer {{login.response.body.$.token}}', ''].join('\n');
    assert.deepEqual(await sentPaths(text), ['/login', '/use']);
  });

  test('in a body', async () => {
    const text = [`@origin = ${running.url}`, login, '###', '# @name use', 'POST {{origin}}/use', 'Content-Type: text/plain', '', 'token={{login.response.body.$.token}}', ''].join('\n');
    assert.deepEqual(await sentPaths(text), ['/login', '/use']);
  });

  test('a file with no request reference sends only what is selected', async () => {
    const text = [`@origin = ${running.url}`, login, '###', '# @name use', 'GET {{origin}}/use', ''].join('\n');
    assert.deepEqual(await sentPaths(text), ['/use']);
  });
});
