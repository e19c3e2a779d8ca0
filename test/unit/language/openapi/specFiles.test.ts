// Which spec files apply to an `.http` file when none is named: the nearest folder with one.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { foldersUpFrom, isSpecFileName, specFilesFor } from '../../../../language/openapi/specFiles';

test('spec file names: openapi.*, swagger.*, *.openapi.* and *.swagger.* in JSON or YAML', () => {
  for (const name of ['openapi.yaml', 'openapi.yml', 'OpenAPI.json', 'swagger.json', 'orders.openapi.yaml', 'legacy.swagger.yml']) assert.ok(isSpecFileName(name), name);
  for (const name of ['openapi.http', 'my-openapi.yaml', 'openapi.yaml.bak', 'package.json', 'openapi']) assert.ok(!isSpecFileName(name), name);
});

test('the nearest folder with a spec wins, up to the root and no higher', () => {
  const specs = ['/repo/openapi.yaml', '/repo/services/orders/orders.openapi.yaml', '/repo/services/orders/swagger.json', '/repo/services/users/openapi.json', '/repo/services/orders/README.md'];
  assert.deepEqual(specFilesFor('/repo/services/orders/requests/list.http', specs, '/repo'), ['/repo/services/orders/orders.openapi.yaml', '/repo/services/orders/swagger.json']);
  assert.deepEqual(specFilesFor('/repo/services/users/users.http', specs, '/repo'), ['/repo/services/users/openapi.json']);
  assert.deepEqual(specFilesFor('/repo/tools/smoke.http', specs, '/repo'), ['/repo/openapi.yaml']);
  assert.deepEqual(specFilesFor('/repo/tools/smoke.http', specs, '/repo/tools'), []);
});

test('Windows paths compare whatever their slashes and drive letter case', () => {
  assert.deepEqual(specFilesFor('C:\\work\\api\\a.http', ['c:/work/api/openapi.yaml'], 'C:\\work'), ['c:/work/api/openapi.yaml']);
  assert.deepEqual(foldersUpFrom('C:\\work\\api\\a.http'), ['c:/work/api', 'c:/work', 'c:/']);
  assert.deepEqual(foldersUpFrom('/a/b/c.http', '/a'), ['/a/b', '/a']);
});
