import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { OpenApiSpecError, loadOpenApiSpec } from '../../../../engine/openapi/specLoader';
import type { JsonSchema, SpecOperation } from '../../../../language/openapi/specModel';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'openapi', name);

function operation(operations: readonly SpecOperation[], id: string): SpecOperation {
  const found = operations.find((candidate) => candidate.operationId === id);
  assert.ok(found, `operation ${id}`);
  return found;
}

function properties(schema: JsonSchema | undefined): Record<string, unknown> {
  assert.ok(typeof schema === 'object');
  return schema.properties as Record<string, unknown>;
}

async function loadError(name: string): Promise<OpenApiSpecError> {
  try {
    await loadOpenApiSpec(fixture(name));
  } catch (error) {
    assert.ok(error instanceof OpenApiSpecError, String(error));
    return error;
  }
  assert.fail(`${name} loaded`);
}

describe('loadOpenApiSpec', () => {
  test('reads OpenAPI 3.0 YAML: servers with variables, merged parameters, refs across files and cycles', async () => {
    const spec = await loadOpenApiSpec(fixture('petstore-3.0.yaml'));
    assert.equal(spec.version, '3.0');
    assert.equal(spec.title, 'Pet store (3.0)');
    assert.deepEqual(spec.servers.map((server) => server.url), ['https://{region}.pets.example.com/{version}', '/api']);
    assert.deepEqual(spec.servers[0].variables.region, { default: 'eu', enum: ['eu', 'us'] });
    assert.deepEqual(spec.operations.map((op) => `${op.method} ${op.pathTemplate}`).slice(0, 4), ['GET /pets', 'POST /pets', 'GET /pets/mine', 'GET /pets/{petId}']);
    const getPet = operation(spec.operations, 'getPet');
    assert.deepEqual(getPet.parameters.map((p) => [p.name, p.in, p.required]), [['petId', 'path', true]], 'the path-level parameter is merged in');
    const create = operation(spec.operations, 'createPet');
    assert.equal(create.requestBody?.required, true);
    const newPet = create.requestBody?.content['application/json']?.schema;
    assert.deepEqual(Object.keys(properties(newPet)), ['name', 'kind', 'age', 'nickname', 'parent']);
    const error = create.responses.default?.content['application/json']?.schema;
    assert.deepEqual(Object.keys(properties(error)), ['message'], 'a $ref into common.yaml is resolved');
    // Pet.friends.items is Pet again: a cycle of objects, not a $ref left behind.
    const pet = getPet.responses['200']?.content['application/json']?.schema as { allOf: { properties?: { friends?: { items: unknown } } }[] };
    assert.equal(pet.allOf[1].properties!.friends!.items, pet);
  });

  test('reads OpenAPI 3.1 JSON', async () => {
    const spec = await loadOpenApiSpec(fixture('petstore-3.1.json'));
    assert.equal(spec.version, '3.1');
    assert.deepEqual(spec.servers, [{ url: 'http://localhost:{port}/v2', variables: { port: { default: '8080' } } }]);
    assert.equal(spec.operations.length, 3);
  });

  test('reads Swagger 2.0 in the 3.0 shape: servers from host, body and form parameters as request bodies, x-nullable', async () => {
    const spec = await loadOpenApiSpec(fixture('petstore-2.0.yaml'));
    assert.equal(spec.version, '2.0');
    assert.deepEqual(spec.servers.map((server) => server.url), ['https://pets.example.com/v1', 'http://pets.example.com/v1']);
    const list = operation(spec.operations, 'listPets');
    assert.deepEqual(list.parameters.map((p) => [p.name, p.in, p.schema]), [['limit', 'query', { type: 'integer' }], ['status', 'query', { type: 'string', enum: ['available', 'sold'] }]]);
    const create = operation(spec.operations, 'createPet');
    assert.equal(create.requestBody?.required, true);
    assert.deepEqual(Object.keys(create.requestBody?.content ?? {}), ['application/json']);
    assert.deepEqual(properties(create.requestBody?.content['application/json']?.schema).nickname, { type: 'string', nullable: true });
    assert.deepEqual(Object.keys(create.responses['201']?.content ?? {}), ['application/json']);
    const upload = operation(spec.operations, 'uploadPhoto');
    assert.deepEqual(upload.requestBody?.content['multipart/form-data']?.schema, {
      type: 'object', properties: { file: { type: 'string' }, caption: { type: 'string' } }, required: ['file'],
    });
  });

  test('a syntax error names the file and line', async () => {
    const error = await loadError('broken-syntax.yaml');
    assert.equal(error.file, fixture('broken-syntax.yaml'));
    assert.equal(error.line, 8);
    assert.match(error.message, /^Not valid JSON or YAML: /);
  });

  test('a $ref to nothing names the line of the $ref', async () => {
    const error = await loadError('missing-ref.yaml');
    assert.equal(error.line, 14);
    assert.match(error.message, /#\/components\/schemas\/Nope.*point the \$ref at a definition that exists/);
  });

  test('an unsupported version and a missing file are errors that say so', async () => {
    const version = await loadError('unsupported-version.yaml');
    assert.equal(version.line, 1);
    assert.match(version.message, /Unsupported OpenAPI version "4\.2\.0"/);
    const missing = await loadError('no-such-spec.yaml');
    assert.equal(missing.line, undefined);
    assert.match(missing.message, /no such file/);
    assert.match(missing.describe(), /no-such-spec\.yaml: Cannot read/);
  });
});
