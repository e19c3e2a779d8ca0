// Completion, hover and checks from an OpenAPI spec, through the language service as the server
// calls it, across the 3.0, 3.1 and 2.0 fixtures.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { CompletionItem, Diagnostic } from 'vscode-languageserver-types';
import { createSchemaValidator } from '../../../../engine/openapi/schemaValidator';
import { loadOpenApiSpec } from '../../../../engine/openapi/specLoader';
import { noEnvironments, type EnvironmentSnapshot, type KnownVariable } from '../../../../language/context';
import type { OpenApiSpec } from '../../../../language/openapi/specModel';
import { positionToOffset } from '../../../../language/positions';
import { createLanguageService, type LanguageService } from '../../../../language/service';
import { cursor } from '../featureContext';

const fixture = (name: string): string => join(__dirname, '..', '..', '..', '..', '..', 'test', 'fixtures', 'openapi', name);
const uri = 'file:///work/api.http';
const validator = createSchemaValidator();

function serviceWith(spec: OpenApiSpec | undefined, environment: Readonly<Record<string, string>> = {}): LanguageService {
  const variables = new Map<string, KnownVariable>(Object.entries(environment).map(([name, value]) => [name, { name, value, source: 'environment', location: undefined, environment: 'dev' }]));
  const snapshot: EnvironmentSnapshot = Object.keys(environment).length === 0 ? noEnvironments : { names: ['dev'], active: 'dev', variables };
  const specs = spec ? [spec] : [];
  return createLanguageService({ fileExists: () => false, environments: () => snapshot, openApi: { specsFor: () => specs, validator } });
}

let version = 0;
const documentOf = (text: string) => ({ uri, version: ++version, getText: () => text });

/** `code text-under-range` for each OpenAPI diagnostic. */
function openApiDiagnostics(service: LanguageService, text: string): string[] {
  const lines = text.split('\n');
  const slice = (diagnostic: Diagnostic): string => {
    const { start, end } = diagnostic.range;
    if (start.line !== end.line) return '<lines>';
    return lines[start.line].slice(start.character, end.character);
  };
  return service.diagnose(documentOf(text)).filter((d) => String(d.code).startsWith('http.openapi.')).map((d) => `${String(d.code).slice('http.openapi.'.length)} ${slice(d)}`);
}

function messages(service: LanguageService, text: string): string[] {
  return service.diagnose(documentOf(text)).filter((d) => String(d.code).startsWith('http.openapi.')).map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
}

function complete(service: LanguageService, marked: string): CompletionItem[] {
  const { text, offset } = cursor(marked);
  const document = documentOf(text);
  const parsed = service.parse(document);
  let line = 0;
  let character = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      character = 0;
    } else {
      character++;
    }
  }
  assert.equal(positionToOffset(parsed, { line, character }), offset);
  return service.complete(document, { line, character }).items;
}

const labels = (items: readonly CompletionItem[]): string[] => items.map((item) => item.label);
const edit = (item: CompletionItem | undefined): string | undefined => (item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined);

describe('OpenAPI in the editor', () => {
  let v30: OpenApiSpec;
  let v31: OpenApiSpec;
  let v20: OpenApiSpec;
  before(async () => {
    [v30, v31, v20] = await Promise.all(['petstore-3.0.yaml', 'petstore-3.1.json', 'petstore-2.0.yaml'].map((name) => loadOpenApiSpec(fixture(name))));
  });

  describe('checks', () => {
    test('an unknown path of the spec\'s server, with did you mean and its fix; another host is left alone', () => {
      const service = serviceWith(v30);
      assert.deepEqual(openApiDiagnostics(service, 'GET https://eu.pets.example.com/v1/pet/5\nX-Request-Id: 1\n'), ['unknown-path /pet/5']);
      const [diagnostic] = service.diagnose(documentOf('GET https://eu.pets.example.com/v1/pet/5\n')).filter((d) => d.code === 'http.openapi.unknown-path');
      assert.match(messages(service, 'GET https://eu.pets.example.com/v1/pet/5\n')[0], /did you mean \/pets\/\{petId\}\?/);
      assert.deepEqual(diagnostic.data, { suggestion: '/pets/5' });
      const fix = service.codeActions(documentOf('GET https://eu.pets.example.com/v1/pet/5\n'), diagnostic.range, [diagnostic]);
      assert.equal(fix[0]?.title, "Change to '/pets/5'");
      assert.deepEqual(openApiDiagnostics(service, 'GET https://httpbin.org/anything\n'), [], 'not the spec\'s host');
      assert.deepEqual(openApiDiagnostics(service, 'GET https://eu.pets.example.com/v1/pets/5\n'), []);
    });

    test('an unknown method, with the methods the path has (3.1, base URL from the environment)', () => {
      const service = serviceWith(v31, { baseUrl: 'http://localhost:8080/v2' });
      assert.deepEqual(openApiDiagnostics(service, 'PUT {{baseUrl}}/pets/1\n'), ['unknown-method PUT']);
      assert.match(messages(service, 'PUT {{baseUrl}}/pets/1\n')[0], /\/pets\/\{petId\} has no PUT operation .*: it has GET\./);
      assert.deepEqual(openApiDiagnostics(service, 'GET {{baseUrl}}/pets/1\n'), []);
      assert.deepEqual(openApiDiagnostics(service, 'GET {{baseUrl}}/nothing/here\n'), ['unknown-path /nothing/here']);
    });

    test('a missing required header, and a required one sent', () => {
      const service = serviceWith(v30);
      assert.deepEqual(openApiDiagnostics(service, 'GET /api/pets\n'), ['missing-parameter GET /api/pets']);
      assert.deepEqual(openApiDiagnostics(service, 'GET /api/pets\nX-Request-Id: 7\n'), []);
    });

    test('an unknown query parameter, with did you mean; listed ones pass (2.0)', () => {
      const service = serviceWith(v20);
      assert.deepEqual(openApiDiagnostics(service, 'GET https://pets.example.com/v1/pets?limt=3&status=sold\n'), ['unknown-query-parameter limt']);
      assert.match(messages(service, 'GET https://pets.example.com/v1/pets?limt=3\n')[0], /did you mean "limit"\?/);
      assert.deepEqual(openApiDiagnostics(service, 'GET https://pets.example.com/v1/pets?limit=3&status={{s}}\n'), []);
    });

    test('a missing required body, and a body sent', () => {
      const service = serviceWith(v31);
      assert.deepEqual(openApiDiagnostics(service, 'POST http://localhost:8080/v2/pets\n'), ['missing-body POST http://localhost:8080/v2/pets']);
      assert.deepEqual(openApiDiagnostics(service, 'POST http://localhost:8080/v2/pets\nContent-Type: application/json\n\n{"name": "Rex", "kind": "dog"}\n'), []);
    });

    test('a JSON body against the request schema: each violation at its place, missing properties at the object', () => {
      const service = serviceWith(v30);
      const text = 'POST /api/pets\nContent-Type: application/json\n\n{\n  "kind": "fish",\n  "age": "three",\n  "parent": {"id": "x", "name": "a", "kind": "cat"}\n}\n';
      assert.deepEqual(openApiDiagnostics(service, text), ['missing-property {', 'body-mismatch "fish"', 'body-mismatch "three"', 'body-mismatch "x"']);
      assert.match(messages(service, text)[0], /Missing required property "name"/);
      assert.match(messages(service, text)[1], /\/kind must be one of "cat", "dog", "bird"/);
    });

    test('templates in a body stand for any value; 3.1 additionalProperties points at the key; 2.0 x-nullable', () => {
      assert.deepEqual(openApiDiagnostics(serviceWith(v30), 'POST /api/pets\n\n{"name": {{name}}, "kind": "cat", "age": {{age}}}\n'), []);
      assert.deepEqual(openApiDiagnostics(serviceWith(v31), 'POST http://localhost:1/v2/pets\n\n{"name": "a", "kind": "cat", "colour": "red"}\n'), ['body-mismatch "colour"']);
      assert.deepEqual(openApiDiagnostics(serviceWith(v20), 'POST https://pets.example.com/v1/pets\n\n{"name": "a", "kind": "cat", "nickname": null}\n'), []);
      assert.deepEqual(openApiDiagnostics(serviceWith(v20), 'POST https://pets.example.com/v1/pets\n\n{"name": "a", "kind": "cat", "age": -1}\n'), ['body-mismatch -1']);
    });

    test('without a spec nothing is checked', () => {
      assert.deepEqual(openApiDiagnostics(serviceWith(undefined), 'GET https://eu.pets.example.com/v1/pet/5\n'), []);
    });
  });

  describe('completion', () => {
    test('paths after a base URL variable, with path parameters as placeholders', () => {
      const items = complete(serviceWith(v31), 'GET {{baseUrl}}/p|');
      assert.deepEqual(labels(items).slice(0, 2), ['/pets', '/pets/{petId}']);
      assert.equal(edit(items[1]), '/pets/${1:petId}');
      assert.equal(items[1].detail, 'GET');
    });

    test('paths after a server URL with variables (3.0) and a Swagger host (2.0)', () => {
      assert.ok(labels(complete(serviceWith(v30), 'GET https://eu.pets.example.com/v1/|')).includes('/pets/{petId}/photos/{photoId}.{format}'));
      assert.deepEqual(labels(complete(serviceWith(v20), 'GET https://pets.example.com/v1/pe|')), ['/pets', '/pets/{petId}', '/pets/{petId}/photo']);
      assert.deepEqual(labels(complete(serviceWith(v20), 'GET https://other.example.com/x|')).filter((label) => label.startsWith('/')), [], 'another host: nothing from the spec');
    });

    test('the methods a path has, first', () => {
      const items = complete(serviceWith(v30), 'G| /api/pets/1\n');
      assert.deepEqual(labels(items).slice(0, 2), ['GET', 'DELETE']);
      assert.equal(items[0].detail, 'One pet');
      assert.equal(labels(items).filter((label) => label === 'GET').length, 1, 'listed once');
    });

    test('query parameter names, then their enum values', () => {
      const names = complete(serviceWith(v30), 'GET /api/pets?|');
      assert.deepEqual(labels(names), ['limit', 'status']);
      assert.equal(edit(names[0]), 'limit=');
      assert.deepEqual(labels(complete(serviceWith(v30), 'GET /api/pets?limit=3&|')), ['status']);
      assert.deepEqual(labels(complete(serviceWith(v31), 'GET http://localhost:8080/v2/pets?status=a|')), ['available', 'sold']);
    });

    test('header parameters', () => {
      const items = complete(serviceWith(v30), 'GET /api/pets\nX-|\n');
      assert.equal(items[0].label, 'X-Request-Id');
      assert.equal(items[0].detail, 'string, required');
      assert.equal(edit(items[0]), 'X-Request-Id: ');
    });

    test('body property names, required first, without those present; nested objects; enum values', () => {
      const service = serviceWith(v30);
      const items = complete(service, 'POST /api/pets\nContent-Type: application/json\n\n{\n  "age": 1,\n  |\n}\n');
      assert.deepEqual(labels([...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''))), ['name', 'kind', 'nickname', 'parent']);
      assert.equal(items.find((item) => item.label === 'name')?.detail, 'string, required');
      assert.equal(edit(items.find((item) => item.label === 'name')), '"name": "$1"');
      assert.ok(labels(complete(service, 'POST /api/pets\n\n{"parent": {"|"}}\n')).includes('friends'), 'Pet\'s own properties, through allOf');
      assert.deepEqual(labels(complete(service, 'POST /api/pets\n\n{"kind": |}\n')), ['cat', 'dog', 'bird']);
      assert.deepEqual(labels(complete(serviceWith(v20), 'POST https://pets.example.com/v1/pets\n\n{"na|"}\n')).slice(0, 1), ['name']);
    });
  });

  describe('hover', () => {
    test('the request line shows the operation', () => {
      const service = serviceWith(v30);
      const text = 'GET /api/pets/7\n';
      const hover = service.hover(documentOf(text), { line: 0, character: 6 });
      const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      assert.match(value, /\*\*GET \/pets\/\{petId\}\*\* — One pet/);
      assert.match(value, /Finds a pet by its id\./);
      assert.match(value, /`petId` \* \| path \| integer/);
      assert.match(value, /- `200` The pet \(application\/json\)/);
      assert.equal(service.hover(documentOf('GET /api/cats\n'), { line: 0, character: 6 }), null);
    });

    test('a request body and its properties (2.0)', () => {
      const hover = serviceWith(v20).hover(documentOf('POST https://pets.example.com/v1/pets\n'), { line: 0, character: 2 });
      const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
      assert.match(value, /\*\*Request body\*\* \(required\): `application\/json`/);
      assert.match(value, /- `name` \*: string/);
    });
  });
});
