// Schemas as the loader leaves them (dereferenced, cycles kept as cycles) checked with ajv in each
// version's draft, and violations said as path, expected and actual.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { compiledSchema, jsonPathOf, maxReportedViolations, schemaViolations } from '../../../../engine/openapi/responseSchema';

describe('schema validation', () => {
  test('a recursive schema (a tree whose children are trees) is compiled and checked at any depth', () => {
    const node: Record<string, unknown> = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    (node.properties as Record<string, unknown>).children = { type: 'array', items: node };
    assert.deepEqual(schemaViolations(node, '3.1', { name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] }).violations, []);
    assert.deepEqual(schemaViolations(node, '3.0', { name: 'a', children: [{ name: 'b', children: [{ name: 3 }] }] }).violations, [
      { path: '$.children[0].children[0].name', expected: 'type string', actual: '3 (integer)' },
    ]);
  });

  test('a schema is compiled once per draft, then reused', () => {
    const schema = { type: 'integer' };
    assert.equal(compiledSchema(schema, 'openapi-3.0'), compiledSchema(schema, 'openapi-3.0'));
    assert.notEqual(compiledSchema(schema, 'openapi-3.0'), compiledSchema(schema, 'draft-2020-12'));
  });

  test('a writeOnly property is not required of a response', () => {
    const schema = { type: 'object', required: ['id', 'password'], properties: { id: { type: 'integer' }, password: { type: 'string', writeOnly: true } } };
    assert.deepEqual(schemaViolations(schema, '3.0', { id: 1 }).violations, []);
    assert.deepEqual(schemaViolations(schema, '3.0', {}).violations, [{ path: '$.id', expected: 'required property "id"', actual: 'missing' }]);
  });

  test('enum, additionalProperties, format and oneOf are said plainly; the branches of a failed oneOf are not listed', () => {
    const schema = {
      type: 'object',
      additionalProperties: false,
      properties: { state: { enum: ['open', 'closed'] }, when: { type: 'string', format: 'date-time' }, size: { oneOf: [{ type: 'integer' }, { type: 'string', maxLength: 2 }] } },
    };
    assert.deepEqual(schemaViolations(schema, '3.1', { state: 'lost', when: 'yesterday', size: 'large', colour: 'red' }).violations, [
      { path: '$.colour', expected: 'no property of this name (additionalProperties: false)', actual: '"red"' },
      { path: '$.state', expected: 'one of "open", "closed"', actual: '"lost"' },
      { path: '$.when', expected: 'format date-time', actual: '"yesterday"' },
      { path: '$.size', expected: 'one of the schemas in oneOf', actual: '"large"' },
    ]);
  });

  test('past the first violations, the rest are counted', () => {
    const found = schemaViolations({ type: 'array', items: { type: 'integer' } }, '3.1', Array.from({ length: 25 }, () => 'x'));
    assert.equal(found.violations.length, maxReportedViolations);
    assert.equal(found.more, 25 - maxReportedViolations);
  });

  test('JSON pointers read as JSONPath, keys that are not names quoted', () => {
    assert.equal(jsonPathOf(''), '$');
    assert.equal(jsonPathOf('/items/0/price'), '$.items[0].price');
    assert.equal(jsonPathOf('/a~1b/x y'), '$["a/b"]["x y"]');
  });
});
