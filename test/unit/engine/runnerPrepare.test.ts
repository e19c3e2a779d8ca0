// Runner.prepare: the request at a line with the responses the runner already remembers, for
// "Copy as cURL" after a send; nothing is ever sent by it.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { toCurl } from '../../../engine/curl';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { httpServer, type Running } from './localServer';

describe('Runner.prepare', () => {
  let running: Running<http.Server>;
  let session: Session;
  const seen: string[] = [];
  let path: string;
  let text: string;
  before(async () => {
    running = await httpServer((request, response) => {
      seen.push(request.url ?? '');
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ token: 'tok-42' }));
    });
    session = await Session.open({});
    path = join(mkdtempSync(join(tmpdir(), 'courier-prepare-')), 'api.http');
    // Line 5 is `GET .../me`, which reads login's token.
    text = [`@origin = ${running.url}`, '# @name login', 'POST {{origin}}/login', '###', 'GET {{origin}}/me', 'Authorization: Bearer {{login.response.body.$.token}}', ''].join('\n');
    writeFileSync(path, text);
  });
  after(async () => {
    await session.close();
    await running.close();
  });

  test('before the dependency was sent, it names the request to send first and sends nothing', async () => {
    const runner = new Runner(session, {});
    const before = seen.length;
    const result = await runner.prepare({ path, text }, 5);
    assert.ok('problem' in result);
    assert.equal(result.problem, `${path}:5: this request reads the response of login, which was not sent in this session yet: send login first`);
    assert.equal(seen.length, before, 'prepare sent nothing');
  });

  test('after login was sent through the runner, the token is in the cURL command', async () => {
    const runner = new Runner(session, {});
    const [login] = await runner.run({ path, text }, { kind: 'names', names: ['login'] });
    assert.equal(login?.response?.status, 200, login?.error?.message);
    const before = seen.length;
    const result = await runner.prepare({ path, text }, 5);
    assert.ok('prepared' in result, 'problem' in result ? result.problem : '');
    assert.match(toCurl(result.prepared), /-H 'Authorization: Bearer tok-42'/);
    assert.match(toCurl(result.prepared), new RegExp(`${running.url}/me$`));
    assert.equal(seen.length, before, 'prepare sent nothing');
  });

  test('a runner that forgot its responses asks for login again', async () => {
    const runner = new Runner(session, {});
    await runner.run({ path, text }, { kind: 'names', names: ['login'] });
    runner.forget();
    assert.match(((await runner.prepare({ path, text }, 5)) as { problem: string }).problem, /send login first$/);
  });

  test('a request without dependencies is prepared from its text alone', async () => {
    const result = await new Runner(session, {}).prepare({ path, text }, 3);
    assert.ok('prepared' in result);
    assert.equal(result.prepared.method, 'POST');
    assert.equal(result.prepared.url, `${running.url}/login`);
  });

  test('no request at the line, a cycle, a missing name and an unanswered prompt each say what to do', async () => {
    const runner = new Runner(session, {});
    assert.deepEqual(await runner.prepare({ path, text: '@a = 1\n' }, 1), { problem: `${path}:1: there is no request at this line` });
    const cycle = ['# @name a', 'GET http://127.0.0.1:9/{{b.response.body.$.x}}', '###', '# @name b', 'GET http://127.0.0.1:9/{{a.response.body.$.x}}', ''].join('\n');
    assert.match(((await runner.prepare({ path, text: cycle }, 2)) as { problem: string }).problem, /depend on each other in a cycle: a -> b -> a$/);
    const missing = 'GET http://127.0.0.1:9/{{nobody.response.body.$.x}}\n';
    assert.match(((await runner.prepare({ path, text: missing }, 1)) as { problem: string }).problem, /no request in this file is named nobody: add # @name nobody/);
    const prompt = '# @prompt otp One-time code\nGET http://127.0.0.1:9/?otp={{otp}}\n';
    assert.equal(((await runner.prepare({ path, text: prompt }, 2)) as { problem: string }).problem, `${path}:1: otp is asked by @prompt only when the request is sent: define otp in the file or the environment to prepare it without sending`);
    const answered = await new Runner(session, { overrides: new Map([['otp', '123']]) }).prepare({ path, text: prompt }, 2);
    assert.ok('prepared' in answered);
    assert.equal(answered.prepared.url, 'http://127.0.0.1:9/?otp=123');
  });
});
