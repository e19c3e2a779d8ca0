// What the runner hands its listener besides the exchange, and the parsed-document form of a file.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { Runner, type ExchangeDetails } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { parse } from '../../../language/parser';
import { httpServer, type Running } from './localServer';
import type * as http from 'node:http';

describe('runner: parsed documents and >> targets', () => {
  let running: Running<http.Server>;
  let session: Session;
  let folder: string;
  before(async () => {
    running = await httpServer((request, response) => {
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ id: 'item-7', path: request.url }));
    });
    session = await Session.open({});
    folder = mkdtempSync(join(tmpdir(), 'courier-save-target-'));
  });
  after(async () => {
    await session.close();
    await running.close();
  });

  /** Runs `text` (written to `api.http` in a fresh folder) and collects what the listener receives. */
  async function run(text: string, runner = new Runner(session, {})): Promise<{ path: string; heard: [Exchange, ExchangeDetails][] }> {
    const dir = mkdtempSync(join(folder, 'case-'));
    const path = join(dir, 'api.http');
    writeFileSync(path, text);
    const heard: [Exchange, ExchangeDetails][] = [];
    await runner.run({ path, text }, { kind: 'all' }, undefined, (exchange, details) => heard.push([exchange, details]));
    return { path: dir, heard };
  }

  test('a parsed document runs as it is: the runner uses its tree and needs no text', async () => {
    const dir = mkdtempSync(join(folder, 'parsed-'));
    const document = parse(`GET ${running.url}/one\n\n###\nGET ${running.url}/two\n`);
    const exchanges = await new Runner(session, {}).run({ path: join(dir, 'api.http'), document }, { kind: 'all' });
    assert.deepEqual(
      exchanges.map((exchange) => exchange.request.url),
      [`${running.url}/one`, `${running.url}/two`],
    );
  });

  test('>> names its file with file variables, --var and the request\'s own response, from the file\'s folder', async () => {
    const text = ['@folder = saved', '# @name item', `GET ${running.url}/item`, '', '>> {{folder}}/{{kind}}-{{item.response.body.$.id}}.json', ''].join('\n');
    const { path, heard } = await run(text, new Runner(session, { overrides: new Map([['kind', 'widget']]) }));
    assert.equal(heard.length, 1);
    assert.deepEqual(heard[0]?.[1].saveTo, { path: join(path, 'saved', 'widget-item-7.json'), overwrite: false });
  });

  test('>>! overwrites; a request without >> has no target', async () => {
    const { path, heard } = await run(`GET ${running.url}/a\n\n>>! /absolute/a.json\n\n###\nGET ${running.url}/b\n`);
    assert.deepEqual(
      heard.map(([, details]) => details.saveTo),
      [{ path: '/absolute/a.json', overwrite: true }, undefined],
    );
    assert.ok(path.length > 0);
  });

  test('a >> path that cannot be named is a problem with the file and line; the exchange itself succeeded', async () => {
    const { path, heard } = await run(`GET ${running.url}/a\n\n>> {{nowhere}}.json\n`);
    const [exchange, details] = heard[0] ?? [];
    assert.equal(exchange?.response?.status, 200);
    const saveTo = details?.saveTo;
    assert.ok(saveTo !== undefined && 'problem' in saveTo, JSON.stringify(saveTo));
    assert.match(saveTo.problem, new RegExp(`^${join(path, 'api.http').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: cannot name the file of '>> \\{\\{nowhere\\}\\}\\.json': variable nowhere is not defined`));
  });

  test('no target is given for an exchange without a response', async () => {
    const { heard } = await run('GET http://127.0.0.1:1/refused\n\n>> body.json\n');
    assert.equal(heard[0]?.[0].response, undefined);
    assert.equal(heard[0]?.[1].saveTo, undefined);
  });
});
