import { strict as assert } from 'node:assert';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findNamedRequest, referencedRequestNames, sendOrder } from '../../../engine/dependencies';
import type { Exchange, PreparedRequest } from '../../../engine/model';
import { Runner, type ExchangeDetails } from '../../../engine/runner';
import { parse } from '../../../language/parser';
import type { HttpDocument } from '../../../language/syntax';

const file = [
  '@auth = Bearer {{login.response.body.$.token}}',
  '',
  '### login',
  'POST https://api.test/login',
  '',
  '{"user": "{{config.response.body.$.user}}"}',
  '',
  '###',
  '# @name config',
  'GET https://api.test/config',
  '',
  '###',
  '# @name items',
  'GET https://api.test/items',
  'Authorization: {{auth}}',
  '',
  '###',
  '# @name item',
  'GET https://api.test/items/{{items.response.body.$[0].id}}?v={{config.response.headers.X-Version}}',
  '',
  '###',
  'GET https://api.test/plain',
  '',
].join('\n');

function named(document: HttpDocument, name: string) {
  const request = findNamedRequest(document, name);
  assert.ok(request, name);
  return request;
}

const names = (requests: readonly { name: { text: string } | undefined }[]): (string | undefined)[] => requests.map((request) => request.name?.text);

describe('request dependencies', () => {
  const document = parse(file);

  test('requests are found by # @name and by ### title', () => {
    assert.equal(named(document, 'login').methodName, 'POST');
    assert.equal(named(document, 'config').target.text, 'https://api.test/config');
    assert.equal(findNamedRequest(document, 'nope'), undefined);
  });

  test('references are found in the target, headers, body and through file variables', () => {
    assert.deepEqual(referencedRequestNames(document, named(document, 'login')), ['config']);
    assert.deepEqual(referencedRequestNames(document, named(document, 'items')), ['login']);
    assert.deepEqual(referencedRequestNames(document, named(document, 'item')), ['items', 'config']);
    assert.deepEqual(referencedRequestNames(document, document.requests[4]), []);
  });

  test('unsent dependencies come first, transitively, each once', () => {
    const order = sendOrder(document, named(document, 'item'), () => false);
    assert.equal(order.kind, 'order');
    assert.deepEqual(names(order.kind === 'order' ? order.requests : []), ['config', 'login', 'items']);
  });

  test('requests already sent are not sent again', () => {
    const order = sendOrder(document, named(document, 'item'), (name) => name === 'items');
    assert.deepEqual(order.kind === 'order' ? names(order.requests) : order, ['config']);
  });

  test('a cycle names every request in it', () => {
    const cyclic = parse('### a\nGET https://x.test/{{b.response.body.*}}\n\n### b\nGET https://x.test/{{c.response.body.*}}\n\n### c\nGET https://x.test/{{a.response.body.*}}\n');
    assert.deepEqual(sendOrder(cyclic, named(cyclic, 'a'), () => false), { kind: 'cycle', names: ['a', 'b', 'c', 'a'] });
  });

  test('a reference to a request the file does not define is reported', () => {
    const missing = parse('### a\nGET https://x.test/{{ghost.response.body.$.id}}\n');
    const order = sendOrder(missing, named(missing, 'a'), () => false);
    assert.equal(order.kind, 'missing');
    assert.equal(order.kind === 'missing' ? order.name : '', 'ghost');
  });

  test("a >> path's reference to another request is a dependency, to its own request is not (it is named after the response)", () => {
    const saving = parse('### a\nGET https://x.test/a\n\n### b\nGET https://x.test/b\n\n>> {{a.response.body.$.id}}-{{b.response.body.$.id}}.json\n');
    assert.deepEqual(referencedRequestNames(saving, named(saving, 'b')), ['a']);
    assert.deepEqual(sendOrder(saving, named(saving, 'b'), () => false), { kind: 'order', requests: [named(saving, 'a')] });
  });

  test('the runner sends a request its >> path reads first, so the file can be named', async () => {
    const text = '### a\nGET https://x.test/a\n\n### b\nGET https://x.test/b\n\n>> out-{{a.response.headers.X-Id}}.json\n';
    const sent: string[] = [];
    const sender = {
      send: (request: PreparedRequest): Promise<Exchange> => {
        sent.push(request.url);
        const body = { size: 0, encodedSize: 0, prefix: new Uint8Array(0), file: undefined, contentType: undefined, charset: 'utf-8' };
        return Promise.resolve({
          request: { method: request.method, url: request.url, headers: request.headers, bodySize: 0 },
          origin: request.origin,
          response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['X-Id', '7']], body },
          redirects: [],
          timings: { total: 0 },
          error: undefined,
          warnings: [],
        });
      },
    };
    const folder = mkdtempSync(join(tmpdir(), 'courier-dependencies-'));
    const saved: ExchangeDetails['saveTo'][] = [];
    await new Runner(sender, {}).run({ path: join(folder, 'api.http'), text }, { kind: 'line', line: 5 }, undefined, (_, details) => saved.push(details.saveTo));
    assert.deepEqual(sent, ['https://x.test/a', 'https://x.test/b']);
    assert.deepEqual(saved.at(-1), { path: join(folder, 'out-7.json'), overwrite: false });
  });
});
