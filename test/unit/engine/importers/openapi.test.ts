// OpenAPI to `.http` files: one file per tag, a request per operation with its parameters as
// variables and an example body, an env file per server; the output reads back without errors; a
// second import keeps the user's edits and only adds what is new.
import { strict as assert } from 'node:assert';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { exampleOf, importOpenApi } from '../../../../engine/importers/openapi';
import { loadOpenApiSpec } from '../../../../engine/openapi/specLoader';
import { diagnose } from '../../../../language/diagnostics';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../../language/environments';
import { parse } from '../../../../language/parser';
import { specFromDocument } from '../../../../language/openapi/specDocument';
import type { OpenApiSpec } from '../../../../language/openapi/specModel';

let demo: OpenApiSpec;
before(async () => {
  demo = await loadOpenApiSpec(resolve(__dirname, '../../../../../samples/demo-api/openapi.yaml'));
});

function fileOf(files: readonly { path: string; text: string }[], path: string): string {
  const file = files.find((candidate) => candidate.path === path);
  assert.ok(file, `${path} is written (${files.map((candidate) => candidate.path).join(', ')})`);
  return file.text;
}

describe('importing an OpenAPI spec', () => {
  test('a file per tag, a request per operation, each marked and named by its operationId', () => {
    const imported = importOpenApi(demo);
    assert.deepEqual(imported.files.map((file) => file.path), ['items.http', 'login.http', 'echo.http', 'responses.http', 'auth.http', 'graphql.http', 'streams.http', 'http-client.env.json']);
    const items = fileOf(imported.files, 'items.http');
    assert.equal(parse(items).requests.length, 7);
    assert.match(items, /### One item\n# From OpenAPI: GET \/items\/\{id\}\n# @name getItem\n@id = 1\nGET \{\{baseUrl\}\}\/items\/\{\{id\}\}\nAccept: application\/json\n/);
    // Query parameters as variables with their defaults; a variable is defined once per file.
    assert.match(items, /@name = string\n@sort = id\n@limit = 100\nGET \{\{baseUrl\}\}\/items\?name=\{\{name\}\}&sort=\{\{sort\}\}&limit=\{\{limit\}\}/);
    assert.equal((items.match(/^@id = /gm) ?? []).length, 1);
  });

  test('a JSON body from the media type\'s example, else made from the schema (readOnly left out)', () => {
    const items = fileOf(importOpenApi(demo).files, 'items.http');
    assert.match(items, /# @name createItem\nPOST \{\{baseUrl\}\}\/items\nAccept: application\/json\nContent-Type: application\/json\n\n\{\n {2}"name": "Pen",\n {2}"price": 2,\n {2}"tags": \[\n {4}"ink"\n {2}\]\n\}/);
    assert.match(items, /# @name updateItem\n(?:@\w+ = .*\n)*PATCH \{\{baseUrl\}\}\/items\/\{\{id\}\}\nAccept: application\/json\nContent-Type: application\/json\n\n\{\n {2}"name": "string",\n {2}"price": 0,\n {2}"tags": \[\n {4}"string"\n {2}\]\n\}/);
    assert.deepEqual(exampleOf({ type: 'object', properties: { id: { type: 'integer', readOnly: true }, at: { type: 'string', format: 'date-time' }, kind: { enum: ['a', 'b'] } } }), { at: '2024-01-01T12:00:00Z', kind: 'a' });
  });

  test('an environment per server, its variables at their defaults', () => {
    const imported = importOpenApi(demo);
    // A server on this machine is `local` (a long description makes no name).
    assert.deepEqual(JSON.parse(fileOf(imported.files, 'http-client.env.json')), { local: { baseUrl: 'http://localhost:4010' } });
    assert.equal(imported.environmentName, 'local');
  });

  test('every generated file parses without problems and has no diagnostic errors with its environment', () => {
    const imported = importOpenApi(demo);
    const environmentFile = fileOf(imported.files, 'http-client.env.json');
    const environments = buildEnvironmentSnapshot([parseEnvironmentFile({ uri: 'file:///out/http-client.env.json', text: environmentFile })], imported.environmentName);
    for (const file of imported.files.filter((candidate) => candidate.path.endsWith('.http'))) {
      const document = parse(file.text);
      assert.deepEqual(document.problems, [], file.path);
      const errors = diagnose({ uri: `file:///out/${file.path}`, document, environments, host: { fileExists: () => true, readFile: () => '' } }).filter((diagnostic) => diagnostic.severity === 1);
      assert.deepEqual(errors.map((diagnostic) => `${file.path}:${diagnostic.range.start.line + 1}: ${String(diagnostic.code)}`), []);
    }
  });

  test('importing again keeps the user\'s edits, appends only new operations, and adds only missing environments', () => {
    const first = importOpenApi(demo);
    const edited = fileOf(first.files, 'items.http').replace('@id = 1', '@id = 42').replace('# @name listItems', '# @name everything');
    const env = JSON.stringify({ local: { baseUrl: 'http://127.0.0.1:9999', token: 'mine' } });
    const grown = specFromDocument('/specs/demo.yaml', {
      openapi: '3.1.0',
      info: { title: 'Courier demo API', version: '2' },
      servers: [{ url: 'http://localhost:{port}', description: 'the demo API on this machine', variables: { port: { default: '4010' } } }, { url: 'https://staging.example/api' }, { url: 'https://eu.example/api', description: 'Europe' }],
      paths: {
        '/items': { get: { tags: ['items'], operationId: 'listItems', responses: { '200': { description: 'ok' } } } },
        '/items/{id}/reviews': { get: { tags: ['items'], operationId: 'listReviews', summary: 'Reviews of an item', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'ok' } } } },
      },
    });
    const second = importOpenApi(grown, { existing: (path) => (path === 'items.http' ? edited : path === 'http-client.env.json' ? env : undefined) });
    const items = second.files.find((file) => file.path === 'items.http');
    assert.equal(items?.change, 'updated');
    assert.deepEqual(items?.added, ['GET /items/{id}/reviews']);
    assert.ok(items?.text.startsWith(edited.trimEnd()), 'what was there is kept as it was');
    // The renamed request is still found by its marker; `id` is defined already, so not again.
    assert.match(items?.text ?? '', /### Reviews of an item\n# From OpenAPI: GET \/items\/\{id\}\/reviews\n# @name listReviews\nGET \{\{baseUrl\}\}\/items\/\{\{id\}\}\/reviews\n$/);
    const environments = second.files.find((file) => file.path === 'http-client.env.json');
    assert.equal(environments?.change, 'updated');
    assert.deepEqual(JSON.parse(environments?.text ?? ''), { local: { baseUrl: 'http://127.0.0.1:9999', token: 'mine' }, 'staging-example': { baseUrl: 'https://staging.example/api' }, europe: { baseUrl: 'https://eu.example/api' } });
    const third = importOpenApi(grown, { existing: (path) => second.files.find((file) => file.path === path)?.text });
    assert.deepEqual(third.files.map((file) => file.change), ['unchanged', 'unchanged']);
  });

  test('Swagger 2.0 and a relative server: what cannot be generated is a note', () => {
    const swagger = specFromDocument('/specs/swagger.json', {
      swagger: '2.0',
      info: { title: 'Files', version: '1' },
      basePath: '/v1',
      paths: { '/files': { post: { operationId: 'upload', consumes: ['multipart/form-data'], parameters: [{ name: 'file', in: 'formData', type: 'file' }, { name: 'X-Trace-Id', in: 'header', type: 'string', format: 'uuid' }], responses: { '201': { description: 'ok' } } } } },
    });
    const imported = importOpenApi(swagger);
    const text = fileOf(imported.files, 'files.http');
    assert.match(text, /@X_Trace_Id = 3fa85f64-5717-4562-b3fc-2c963f66afa6\nPOST \{\{baseUrl\}\}\/files\nX-Trace-Id: \{\{X_Trace_Id\}\}/);
    assert.ok(imported.notes.some((note) => /relative/.test(note)), imported.notes.join('\n'));
    assert.deepEqual(parse(text).problems, []);
  });
});
