import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { createSchemaValidator } from '../../../../engine/openapi/schemaValidator';
import { loadOpenApiSpec } from '../../../../engine/openapi/specLoader';
import type { JsonSchema, OpenApiSpec } from '../../../../language/openapi/specModel';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'openapi', name);

function bodySchema(spec: OpenApiSpec, operationId: string): JsonSchema {
  const schema = spec.operations.find((operation) => operation.operationId === operationId)?.requestBody?.content['application/json']?.schema;
  assert.ok(schema !== undefined, operationId);
  return schema;
}

describe('createSchemaValidator', () => {
  const validator = createSchemaValidator();
  let specs: Record<'3.0' | '3.1' | '2.0', OpenApiSpec>;
  before(async () => {
    const [v30, v31, v20] = await Promise.all(['petstore-3.0.yaml', 'petstore-3.1.json', 'petstore-2.0.yaml'].map((name) => loadOpenApiSpec(fixture(name))));
    specs = { '3.0': v30, '3.1': v31, '2.0': v20 };
  });
  const check = (version: '3.0' | '3.1' | '2.0', value: unknown) => validator.validate(bodySchema(specs[version], 'createPet'), version, value).map((v) => `${v.pointer} ${v.keyword}${v.property ? ` ${v.property}` : ''}`);

  test('a conforming value has no violations, in each version', () => {
    for (const version of ['3.0', '3.1', '2.0'] as const) assert.deepEqual(check(version, { name: 'Rex', kind: 'dog', age: 3 }), [], version);
  });

  test('violations are placed by JSON pointer, all of them', () => {
    assert.deepEqual(check('3.0', { kind: 'fish', age: -1 }), [' required name', '/kind enum', '/age minimum']);
    assert.deepEqual(check('3.1', { name: 1, kind: 'cat', extra: true }), ['/extra additionalProperties extra', '/name type']);
  });

  test('3.0 nullable and Swagger x-nullable accept null; 3.1 reads type arrays', () => {
    assert.deepEqual(check('3.0', { name: 'a', kind: 'cat', nickname: null }), []);
    assert.deepEqual(check('3.0', { name: 'a', kind: 'cat', age: null }), ['/age type']);
    assert.deepEqual(check('2.0', { name: 'a', kind: 'cat', nickname: null }), []);
    assert.deepEqual(check('3.1', { name: 'a', kind: 'cat', age: null }), []);
  });

  test('a schema with cycles compiles and checks at depth', () => {
    assert.deepEqual(check('3.0', { name: 'a', kind: 'cat', parent: { id: 1, name: 'b', kind: 'dog', friends: [{ id: 'x', name: 'c', kind: 'cat' }] } }), ['/parent/friends/0/id type']);
  });
});
