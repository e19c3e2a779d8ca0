// The specs a run checks responses against: named ones for every file, or the nearest beside each
// file; read once, again when changed; a broken one said once and left out.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SpecCatalog } from '../../../../engine/openapi/specCatalog';

function specText(title: string): string {
  return `openapi: 3.1.0\ninfo: {title: ${title}, version: "1"}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {description: ok}\n`;
}

test('found beside the file (nearest folder first), read once, read again when the file changes', async () => {
  const root = mkdtempSync(join(tmpdir(), 'courier-spec-catalog-'));
  mkdirSync(join(root, 'orders', 'requests'), { recursive: true });
  writeFileSync(join(root, 'openapi.yaml'), specText('Top'));
  const ordersSpec = join(root, 'orders', 'orders.openapi.yaml');
  writeFileSync(ordersSpec, specText('Orders'));
  const warnings: string[] = [];
  const catalog = new SpecCatalog({ discover: true, root, warn: (message) => warnings.push(message) });
  const first = await catalog.specsFor(join(root, 'orders', 'requests', 'list.http'));
  assert.deepEqual(first.map((spec) => spec.title), ['Orders']);
  assert.equal((await catalog.specsFor(join(root, 'orders', 'list.http')))[0], first[0], 'the same spec object: read once');
  assert.deepEqual((await catalog.specsFor(join(root, 'other.http'))).map((spec) => spec.title), ['Top']);
  writeFileSync(ordersSpec, specText('Orders v2'));
  utimesSync(ordersSpec, new Date(), new Date(Date.now() + 5_000));
  assert.deepEqual((await catalog.specsFor(join(root, 'orders', 'list.http'))).map((spec) => spec.title), ['Orders v2']);
  assert.deepEqual(warnings, []);
});

test('named specs apply to every file and turn the search off; a broken found spec is said once and left out', async () => {
  const root = mkdtempSync(join(tmpdir(), 'courier-spec-catalog-'));
  writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.1.0\npaths: [\n');
  writeFileSync(join(root, 'named.yaml'), specText('Named'));
  const warnings: string[] = [];
  const found = new SpecCatalog({ discover: true, root, warn: (message) => warnings.push(message) });
  assert.deepEqual(await found.specsFor(join(root, 'a.http')), []);
  assert.deepEqual(await found.specsFor(join(root, 'b.http')), []);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /openapi\.yaml.*responses are not checked against this spec until it is fixed/);
  const named = new SpecCatalog({ files: ['named.yaml'], discover: true, root, warn: (message) => warnings.push(message) });
  assert.deepEqual((await named.loadNamed()).map((spec) => spec.title), ['Named']);
  assert.deepEqual((await named.specsFor(join(root, 'deep', 'a.http'))).map((spec) => spec.title), ['Named']);
});

test('the editor\'s named specs add to the one found beside the file', async () => {
  const root = mkdtempSync(join(tmpdir(), 'courier-spec-catalog-'));
  writeFileSync(join(root, 'openapi.yaml'), specText('Beside'));
  writeFileSync(join(root, 'named.yaml'), specText('Named'));
  const catalog = new SpecCatalog({ files: () => Promise.resolve(['named.yaml']), discover: true, discoverBesidesNamed: true, root, warn: () => undefined });
  assert.deepEqual((await catalog.specsFor(join(root, 'a.http'))).map((spec) => spec.title), ['Named', 'Beside']);
});
