// samples/demo-api/openapi.yaml is kept true here: every route of the demo API is documented, and a
// request to every documented operation (and to the error answers it documents) is sent through
// Courier's runner with response validation on, so each response is checked against the document.
import { strict as assert } from 'node:assert';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { loadOpenApiSpec } from '../../../engine/openapi/specLoader';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import type { OpenApiSpec } from '../../../language/openapi/specModel';
import { type DemoApi, startDemoApi } from '../../../samples/demo-api/server';

const demoFolder = resolve(__dirname, '../../../../samples/demo-api');
const specFile = join(demoFolder, 'openapi.yaml');

/** Routes the document leaves to others, and why. */
const undocumented: Readonly<Record<string, string>> = {
  '/oidc/*': "oidc-provider's own endpoints, described by its discovery document (/oidc/.well-known/openid-configuration)",
  '/oidc/interaction/{uid}': "the identity provider's sign-in page (HTML for people, not an API)",
  '/oidc/interaction/{uid}/login': "the identity provider's sign-in form (HTML for people, not an API)",
};

/** A request to every operation, and to the error answers the document promises. */
const requests = `
GET {{host}}/items?sort=price&limit=2
###
GET {{host}}/items?sort=colour
###
POST {{host}}/items
Content-Type: application/json

{"name": "Eraser", "price": 0.5}
###
POST {{host}}/items
Content-Type: application/json

{"price": -1}
###
GET {{host}}/items/1
###
GET {{host}}/items/999
###
GET {{host}}/items/abc
###
PUT {{host}}/items/1
Content-Type: application/json

{"name": "Notebook", "price": 5, "tags": ["paper"]}
###
PUT {{host}}/items/77
Content-Type: application/json

{"name": "Created by PUT"}
###
PATCH {{host}}/items/1
Content-Type: application/json

{"tags": []}
###
DELETE {{host}}/items/77
###
DELETE {{host}}/items/77
###
GET {{host}}/xml
###
POST {{host}}/login
Content-Type: application/json

{"username": "demo", "password": "secret"}
###
POST {{host}}/login
Content-Type: application/json

{"username": "demo", "password": "wrong"}
###
GET {{host}}/me
###
POST {{host}}/logout
###
GET {{host}}/me
###
GET {{host}}/get?a=1&a=2&b=3
###
POST {{host}}/post
Content-Type: application/json

{"hello": "world"}
###
GET {{host}}/anything
###
POST {{host}}/anything
Content-Type: text/plain

text
###
PUT {{host}}/anything
###
PATCH {{host}}/anything
###
DELETE {{host}}/anything
###
GET {{host}}/anything/deeper
###
POST {{host}}/anything/deeper
Content-Type: application/octet-stream

binary
###
GET {{host}}/gzip
###
GET {{host}}/cookies
###
GET {{host}}/cookies/set?flavour=oat
###
GET {{host}}/cookies/delete?flavour
###
GET {{host}}/status/418
###
GET {{host}}/status/204
###
# @no-redirect
GET {{host}}/status/301
###
GET {{host}}/status/99
###
# @no-redirect
GET {{host}}/redirect/2
###
GET {{host}}/redirect/0
###
GET {{host}}/slow?ms=0
###
GET {{host}}/slow?ms=-1
###
GET {{host}}/download?mb=0.01
###
GET {{host}}/download?mb=x
###
GET {{host}}/basic-auth/ann/pw
Authorization: Basic ann:pw
###
GET {{host}}/basic-auth/ann/pw
###
GET {{host}}/digest-auth/ann/pw
Authorization: Digest ann pw
###
POST {{host}}/upload
Content-Type: multipart/form-data; boundary=B

--B
Content-Disposition: form-data; name="title"

Notes
--B--
###
PUT {{host}}/upload
Content-Type: text/plain

not multipart
###
GET {{host}}/graphql?query={items{id,name}}
###
POST {{host}}/graphql
Content-Type: application/json

{"query": "{ item(id: 1) { name } }"}
###
POST {{host}}/graphql
Content-Type: application/json

not json
###
GET {{host}}/.well-known/oauth-authorization-server/oidc
###
GET {{host}}/oauth/profile
###
GET {{host}}/sse/countdown?from=2&intervalMs=0
###
# @timeout 300
GET {{host}}/sse/ticks?intervalMs=50
###
POST {{host}}/sse/chat?intervalMs=0
Content-Type: application/json

{"prompt": "Hello"}
###
POST {{host}}/sse/chat
Content-Type: application/json

{"neither": true}
###
GET {{host}}/sse/format?intervalMs=0
###
GET {{host}}/export.ndjson?count=3
`;

let api: DemoApi;
let spec: OpenApiSpec;
before(async () => {
  api = await startDemoApi(0);
  spec = await loadOpenApiSpec(specFile);
});
after(async () => {
  await api.close();
});

describe('the demo API and its OpenAPI document', () => {
  test('documents every route of the demo API (GET / lists them), but those left to others on purpose', async () => {
    const index = (await (await fetch(`${api.url}/`)).json()) as { endpoints: Record<string, string[]> };
    const missing: string[] = [];
    for (const [route, methods] of Object.entries(index.endpoints)) {
      const template = route.replace(/:(\w+)/g, '{$1}');
      if (template in undocumented || route in undocumented) continue;
      // `/anything/*` answers any depth; the document names one segment of it.
      const pathTemplate = template.endsWith('/*') ? `${template.slice(0, -2)}/{path}` : template;
      // HEAD answers as GET does, without a body; `any` routes are documented for GET at least.
      const expected = methods.flatMap((method) => (method === 'HEAD' ? [] : method === 'ANY' ? ['GET'] : [method]));
      for (const method of expected) {
        if (!spec.operations.some((operation) => operation.pathTemplate === pathTemplate && operation.method === method)) missing.push(`${method} ${pathTemplate}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('every response of every documented operation keeps to the document', async () => {
    const session = await Session.open();
    try {
      const runner = new Runner(session, { openapi: { specsFor: () => [spec] } });
      const exchanges = await runner.run({ path: join(demoFolder, 'openapi-check.http'), text: requests.replaceAll('{{host}}', api.url) }, { kind: 'all' });
      const problems: string[] = [];
      const checked = new Set<string>();
      for (const exchange of exchanges) problems.push(...problemsOf(exchange, checked));
      assert.deepEqual(problems, []);
      const operations = spec.operations.map((operation) => `${operation.method} ${operation.pathTemplate}`);
      assert.deepEqual(operations.filter((operation) => !checked.has(operation)), [], 'a request reached every operation');
    } finally {
      await session.close();
    }
  });
});

function problemsOf(exchange: Exchange, checked: Set<string>): string[] {
  const where = `line ${exchange.origin.line}: ${exchange.request.method} ${exchange.request.url.replace(api.url, '')}`;
  if (exchange.error !== undefined) return [`${where}: ${exchange.error.message}`];
  const tests = (exchange.tests ?? []).filter((result) => result.kind === 'openapi');
  if (tests.length !== 1) return [`${where}: ${tests.length} OpenAPI results instead of one passed: ${tests.map((result) => `${result.name}: ${result.message ?? ''}`).join('; ')}`];
  const [result] = tests;
  const operation = /^OpenAPI: (\S+ \S+) \d+$/.exec(result?.name ?? '')?.[1];
  if (result?.outcome !== 'passed' || operation === undefined) return [`${where}: ${result?.name ?? ''}: ${result?.message ?? ''}`];
  checked.add(operation);
  return [];
}
