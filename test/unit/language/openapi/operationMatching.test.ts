import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { loadOpenApiSpec } from '../../../../engine/openapi/specLoader';
import { matchOperation, matchPath, requestPaths } from '../../../../language/openapi/operationMatching';
import type { OpenApiSpec } from '../../../../language/openapi/specModel';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'openapi', name);

/** `METHOD template {params} @server` for what matched, or undefined. */
function matched(spec: OpenApiSpec, method: string, url: string): string | undefined {
  const match = matchOperation(spec, method, url);
  if (!match) return undefined;
  const parameters = Object.entries(match.pathParameters).map(([name, value]) => `${name}=${value}`).join(',');
  return `${match.operation.method} ${match.operation.pathTemplate}${parameters ? ` {${parameters}}` : ''} @${match.server?.url ?? '-'}`;
}

describe('matchOperation', () => {
  let v30: OpenApiSpec;
  let v31: OpenApiSpec;
  let v20: OpenApiSpec;
  before(async () => {
    [v30, v31, v20] = await Promise.all(['petstore-3.0.yaml', 'petstore-3.1.json', 'petstore-2.0.yaml'].map((name) => loadOpenApiSpec(fixture(name))));
  });

  test('a server URL with variables (enums and free values) is taken off the front', () => {
    assert.equal(matched(v30, 'GET', 'https://eu.pets.example.com/v1/pets'), 'GET /pets @https://{region}.pets.example.com/{version}');
    assert.equal(matched(v30, 'get', 'https://us.pets.example.com/v9/pets/42'), 'GET /pets/{petId} {petId=42} @https://{region}.pets.example.com/{version}');
    assert.equal(matched(v31, 'GET', 'http://localhost:3000/v2/pets?limit=1'), 'GET /pets @http://localhost:{port}/v2');
    assert.equal(matched(v20, 'POST', 'http://pets.example.com/v1/pets'), 'POST /pets @http://pets.example.com/v1');
  });

  test('a relative server URL matches under any host, and a host the spec does not list keeps its base paths', () => {
    assert.equal(matched(v30, 'GET', 'http://localhost:8080/api/pets'), 'GET /pets @/api');
    assert.equal(matched(v20, 'GET', 'http://localhost:8080/v1/pets/7'), 'GET /pets/{petId} {petId=7} @https://pets.example.com/v1');
    assert.equal(matched(v30, 'GET', '/api/pets/mine'), 'GET /pets/mine @/api');
  });

  test('an unresolved variable in front stands for the server, base path included or not', () => {
    assert.equal(matched(v31, 'GET', '{{baseUrl}}/pets/{{id}}'), 'GET /pets/{petId} {petId={{id}}} @http://localhost:{port}/v2');
    assert.equal(matched(v31, 'GET', '{{host}}/v2/pets'), 'GET /pets @http://localhost:{port}/v2');
    assert.equal(matched(v30, 'GET', '{{baseUrl}}/pets'), 'GET /pets @-', 'two servers: which one is unknown');
    assert.equal(matched(v30, 'GET', 'https://{{region}}.pets.example.com/v1/pets'), 'GET /pets @https://{region}.pets.example.com/{version}');
  });

  test('trailing slashes, query strings and fragments do not matter', () => {
    assert.equal(matched(v30, 'GET', '/api/pets/'), 'GET /pets @/api');
    assert.equal(matched(v30, 'GET', '/api/pets/5/?x=1#top'), 'GET /pets/{petId} {petId=5} @/api');
    assert.equal(matched(v30, 'GET', '/api/pets?next={{cursor}}/x'), 'GET /pets @/api', 'a / inside the query is not a segment');
  });

  test('literal segments win over templates; a wildcard prefers a template', () => {
    assert.equal(matched(v30, 'GET', '/api/pets/mine'), 'GET /pets/mine @/api');
    assert.equal(matched(v30, 'GET', '/api/pets/{{mine}}'), 'GET /pets/{petId} {petId={{mine}}} @/api');
    assert.equal(matched(v30, 'GET', '/api/pets/minefield'), 'GET /pets/{petId} {petId=minefield} @/api');
  });

  test('path parameter styles: several in a segment, label, percent-encoding, templates left as written', () => {
    assert.equal(matched(v30, 'GET', '/api/pets/3/photos/a%20b.png'), 'GET /pets/{petId}/photos/{photoId}.{format} {petId=3,photoId=a b,format=png} @/api');
    assert.equal(matched(v30, 'GET', '/api/owners/.ann/pets'), 'GET /owners/{ownerId}/pets {ownerId=ann} @/api');
    assert.equal(matched(v30, 'GET', '/api/pets/{petId}'), 'GET /pets/{petId} {petId={petId}} @/api');
    assert.equal(matched(v30, 'GET', '/api/pets/:petId'), 'GET /pets/{petId} {petId=:petId} @/api');
  });

  test('no match: an unknown path, a method the path lacks, another segment count', () => {
    assert.equal(matched(v30, 'GET', '/api/cats'), undefined);
    assert.equal(matched(v30, 'PUT', '/api/pets/1'), undefined);
    assert.deepEqual(matchPath(v30, '/api/pets/1')?.operations.map((op) => op.method), ['GET', 'DELETE'], 'the path matches whatever the method');
    assert.equal(matched(v30, 'GET', '/api/pets/1/2'), undefined);
    assert.equal(matched(v20, 'GET', 'https://pets.example.com/v2/pets'), undefined, 'another base path');
  });

  test('requestPaths says where the path starts in the URL', () => {
    const url = '{{baseUrl}}/v2/pets';
    assert.deepEqual(requestPaths(v31, url).map((path) => [path.path, url.slice(path.offset)]), [['/pets', '/pets'], ['/v2/pets', '/v2/pets']]);
  });
});
