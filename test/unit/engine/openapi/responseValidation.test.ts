// Responses checked against the operation their request matches: the status, the Content-Type and
// the body, for OpenAPI 3.0, 3.1 and Swagger 2.0 specs, each rule with a breaking and a keeping case.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Exchange, TestResult } from '../../../../engine/model';
import { documentedResponse, matchingMediaType, openApiTests } from '../../../../engine/openapi/responseValidation';
import { specFromDocument } from '../../../../language/openapi/specDocument';
import type { OpenApiSpec } from '../../../../language/openapi/specModel';

const itemSchema = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string' }, price: { type: 'number', minimum: 0 }, note: { type: 'string', nullable: true } },
};

function spec30(): OpenApiSpec {
  return specFromDocument('/specs/shop.yaml', {
    openapi: '3.0.3',
    info: { title: 'Shop', version: '1' },
    servers: [{ url: 'https://shop.example/v1' }],
    paths: {
      '/items/{id}': {
        get: {
          responses: {
            '200': { description: 'ok', content: { 'application/json; charset=utf-8': { schema: itemSchema } } },
            '4XX': { description: 'client error', content: { 'application/problem+json': { schema: { type: 'object', required: ['title'] } } } },
          },
        },
        delete: { responses: { '204': { description: 'gone' } } },
      },
      '/report': { get: { responses: { default: { description: 'any', content: { 'text/*': { schema: { type: 'string' } } } } } } },
    },
  });
}

function spec31(): OpenApiSpec {
  return specFromDocument('/specs/shop31.json', {
    openapi: '3.1.0',
    info: { title: 'Shop', version: '1' },
    paths: {
      '/items/{id}': {
        get: {
          responses: {
            '200': {
              description: 'ok',
              content: { 'application/json': { schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, note: { type: ['string', 'null'] }, size: { type: 'number', exclusiveMinimum: 0 } } } } },
            },
          },
        },
      },
    },
  });
}

function spec20(): OpenApiSpec {
  return specFromDocument('/specs/swagger.json', {
    swagger: '2.0',
    info: { title: 'Shop', version: '1' },
    host: 'shop.example',
    basePath: '/v1',
    produces: ['application/json'],
    paths: {
      '/items/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, type: 'integer' }],
          responses: { '200': { description: 'ok', schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, size: { type: 'number', minimum: 0, exclusiveMinimum: true } } } } },
        },
      },
    },
  });
}

function exchange(options: { method?: string; url?: string; status?: number; contentType?: string | undefined; body?: string; file?: string; size?: number; redirected?: boolean } = {}): Exchange {
  const body = new TextEncoder().encode(options.body ?? '{"id": 1, "name": "Pen"}');
  const contentType = 'contentType' in options ? options.contentType : 'application/json';
  return {
    request: { method: options.method ?? 'GET', url: options.url ?? 'https://shop.example/v1/items/1', headers: [], bodySize: 0 },
    origin: { file: '/work/shop.http', line: 4, name: undefined },
    response: {
      status: options.status ?? 200,
      statusText: '',
      httpVersion: '1.1',
      headers: contentType === undefined ? [] : [['Content-Type', contentType]],
      body: { size: options.size ?? body.length, encodedSize: body.length, prefix: body, file: options.file, contentType, charset: 'utf-8' },
    },
    redirects: options.redirected === true ? [{ status: 302, url: 'https://shop.example/v1/old' }] : [],
    timings: { total: 1 },
    error: undefined,
    warnings: [],
  };
}

function summary(tests: readonly TestResult[]): string[] {
  return tests.map((result) => `${result.outcome} ${result.name}${result.message === undefined ? '' : `: ${result.message}`}`);
}

describe('response validation: status', () => {
  test('a documented status passes, as one test named for the operation and status, at the request line', async () => {
    const tests = await openApiTests([spec30()], exchange());
    assert.deepEqual(summary(tests), ['passed OpenAPI: GET /items/{id} 200']);
    assert.deepEqual(tests[0]?.location, { file: '/work/shop.http', line: 4 });
    assert.equal(tests[0]?.kind, 'openapi');
  });

  test('a status in a documented range (4XX) passes; one outside every documented status fails, naming those documented', async () => {
    assert.deepEqual(summary(await openApiTests([spec30()], exchange({ status: 404, contentType: 'application/problem+json', body: '{"title": "no"}' }))), ['passed OpenAPI: GET /items/{id} 404']);
    const tests = await openApiTests([spec30()], exchange({ status: 500 }));
    assert.deepEqual(summary(tests), ['failed OpenAPI: GET /items/{id} 500 status: status 500 is not documented for GET /items/{id} in shop.yaml (documented: 200, 4XX)']);
    assert.equal(tests[0]?.expected, '200, 4XX');
    assert.equal(tests[0]?.actual, '500');
  });

  test('`default` documents every status', async () => {
    assert.deepEqual(summary(await openApiTests([spec30()], exchange({ url: 'https://shop.example/v1/report', status: 503, contentType: 'text/plain', body: 'down' }))), ['passed OpenAPI: GET /report 503']);
  });

  test('the documented response is the exact status, then the range, then default', () => {
    const operation = { method: 'GET', pathTemplate: '/', tags: [], parameters: [], responses: { default: { description: 'd', content: {} }, '2XX': { description: 'r', content: {} }, '201': { description: 'e', content: {} } } };
    assert.equal(documentedResponse(operation, 201)?.key, '201');
    assert.equal(documentedResponse(operation, 200)?.key, '2XX');
    assert.equal(documentedResponse(operation, 500)?.key, 'default');
  });
});

describe('response validation: content type', () => {
  test('parameters are ignored and ranges match; the closest listed type wins', () => {
    assert.equal(matchingMediaType(['application/json; charset=utf-8'], 'application/json'), 'application/json; charset=utf-8');
    assert.equal(matchingMediaType(['*/*', 'text/*', 'text/csv'], 'text/csv; header=present'), 'text/csv');
    assert.equal(matchingMediaType(['*/*', 'text/*'], 'TEXT/plain'), 'text/*');
    assert.equal(matchingMediaType(['*/*'], 'image/png'), '*/*');
    assert.equal(matchingMediaType(['application/json'], 'application/xml'), undefined);
  });

  test('a Content-Type the response does not list fails with the listed ones; a missing one with a body fails too', async () => {
    const xml = await openApiTests([spec30()], exchange({ contentType: 'application/xml', body: '<item/>' }));
    assert.deepEqual(summary(xml), ["failed OpenAPI: GET /items/{id} 200 content type: Content-Type application/xml is not one the 200 response of GET /items/{id} lists (shop.yaml: application/json; charset=utf-8)"]);
    const none = await openApiTests([spec30()], exchange({ contentType: undefined }));
    assert.match(none[0]?.message ?? '', /the response has a body but no Content-Type/);
    assert.equal(none[0]?.actual, 'none');
  });

  test('a response documented without content, and a HEAD response, are not held to a Content-Type', async () => {
    assert.deepEqual(summary(await openApiTests([spec30()], exchange({ method: 'DELETE', status: 204, contentType: undefined, body: '' }))), ['passed OpenAPI: DELETE /items/{id} 204']);
  });
});

describe('response validation: body', () => {
  test('OpenAPI 3.0: a body that breaks the schema fails once per violation, with the field path, expected and actual', async () => {
    const tests = await openApiTests([spec30()], exchange({ body: '{"id": "7", "price": -1}' }));
    assert.deepEqual(summary(tests), [
      "failed OpenAPI: GET /items/{id} 200 body: body at $.name: expected required property \"name\", actual missing (the 200 response's application/json; charset=utf-8 schema of GET /items/{id}, shop.yaml)",
      "failed OpenAPI: GET /items/{id} 200 body: body at $.id: expected type integer, actual \"7\" (string) (the 200 response's application/json; charset=utf-8 schema of GET /items/{id}, shop.yaml)",
      "failed OpenAPI: GET /items/{id} 200 body: body at $.price: expected >= 0, actual -1 (the 200 response's application/json; charset=utf-8 schema of GET /items/{id}, shop.yaml)",
    ]);
    assert.equal(tests[1]?.expected, '$.id: type integer');
    assert.equal(tests[1]?.actual, '"7" (string)');
  });

  test('OpenAPI 3.0: `nullable` allows null, and only where it is written', async () => {
    assert.equal((await openApiTests([spec30()], exchange({ body: '{"id": 1, "name": "Pen", "note": null}' })))[0]?.outcome, 'passed');
    const tests = await openApiTests([spec30()], exchange({ body: '{"id": 1, "name": null}' }));
    assert.match(tests[0]?.message ?? '', /body at \$\.name: expected type string, actual null \(null\)/);
  });

  test('OpenAPI 3.1: JSON Schema 2020-12 (type lists, numeric exclusiveMinimum)', async () => {
    assert.equal((await openApiTests([spec31()], exchange({ url: '/items/1', body: '{"id": 1, "note": null, "size": 1}' })))[0]?.outcome, 'passed');
    const tests = await openApiTests([spec31()], exchange({ url: '/items/1', body: '{"id": 1, "size": 0}' }));
    assert.deepEqual(summary(tests), ["failed OpenAPI: GET /items/{id} 200 body: body at $.size: expected > 0, actual 0 (the 200 response's application/json schema of GET /items/{id}, shop31.json)"]);
  });

  test('Swagger 2.0: draft-04 bounds (exclusiveMinimum: true beside minimum)', async () => {
    assert.equal((await openApiTests([spec20()], exchange({ body: '{"id": 1, "size": 0.5}' })))[0]?.outcome, 'passed');
    const tests = await openApiTests([spec20()], exchange({ body: '{"id": 1, "size": 0}' }));
    assert.match(tests[0]?.message ?? '', /body at \$\.size: expected > 0, actual 0 \(the 200 response's application\/json schema of GET \/items\/\{id\}, swagger\.json\)/);
  });

  test('a body that is not JSON where the schema describes JSON fails and says so', async () => {
    const tests = await openApiTests([spec30()], exchange({ body: '{"id": ' }));
    assert.equal(tests[0]?.outcome, 'failed');
    assert.match(tests[0]?.message ?? '', /^the body is not JSON \(.+\), but the 200 response's application\/json; charset=utf-8 schema/);
  });

  test('a body spilled to a file is read from it; one over the limit is a skipped test that says why', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-openapi-'));
    const file = join(folder, 'body');
    writeFileSync(file, '{"id": 1, "name": 2}');
    const spilled = await openApiTests([spec30()], exchange({ body: '{"id"', file, size: 20 }));
    assert.match(spilled[0]?.message ?? '', /body at \$\.name: expected type string, actual 2/);
    const large = await openApiTests([spec30()], exchange({ size: 50 }), 10);
    assert.deepEqual(summary(large), ["skipped OpenAPI: GET /items/{id} 200 body: the body (50 bytes) is larger than the 10 bytes Courier validates against the 200 response's application/json; charset=utf-8 schema of GET /items/{id}"]);
  });

  test('a text body is held to its Content-Type only, not to a schema', async () => {
    assert.deepEqual(summary(await openApiTests([spec30()], exchange({ url: 'https://shop.example/v1/report', contentType: 'text/csv', body: 'a,b' }))), ['passed OpenAPI: GET /report 200']);
  });
});

describe('response validation: which requests', () => {
  test('a request no spec has an operation for gets no test; the first spec that has it checks it', async () => {
    assert.deepEqual(await openApiTests([spec30()], exchange({ url: 'https://shop.example/v1/nowhere' })), []);
    assert.deepEqual(await openApiTests([spec30()], exchange({ method: 'POST' })), []);
    // shop31.json has no servers: /v1/items/1 is not one of its paths, so shop.yaml checks it (and wants a name).
    const second = await openApiTests([spec31(), spec30()], exchange({ body: '{"id": 1}' }));
    assert.match(second[0]?.message ?? '', /required property "name".*shop\.yaml/);
    assert.deepEqual(summary(await openApiTests([spec31(), spec30()], exchange({ url: 'https://shop.example/items/1', body: '{"id": 1}' }))), ['passed OpenAPI: GET /items/{id} 200']);
  });

  test('a response that came after redirects is not checked against the first URL\'s operation', async () => {
    assert.deepEqual(await openApiTests([spec30()], exchange({ redirected: true, status: 500 })), []);
  });
});
