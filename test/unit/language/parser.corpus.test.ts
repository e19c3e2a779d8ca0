import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { noEnvironments } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { parse } from '../../../language/parser';
import { allReferences } from '../../../language/positions';
import { generateCorpus } from '../../bench/corpus';

// Benchmarks are only meaningful if the corpus exercises the grammar and parses cleanly.
test('the benchmark corpus parses cleanly into the requested number of requests, using the main grammar rules', () => {
  const text = generateCorpus(100);
  const document = parse(text);
  assert.deepEqual(document.problems, []);
  assert.equal(document.requests.length, 100);
  assert.ok(document.variables.length >= 2, 'file variables');
  assert.ok(document.requests.every((request) => request.name !== undefined), 'every request is named');
  assert.ok(document.requests.some((request) => request.target.continuedPieces.length > 1), 'multi-line targets');
  assert.ok(document.requests.some((request) => request.body !== undefined), 'bodies');
  assert.ok(document.requests.some((request) => request.handlers.length > 0), 'handlers');
  const kinds = new Set(allReferences(document).map((reference) => reference.target.kind));
  assert.deepEqual([...kinds].sort(), ['request', 'system', 'variable']);
});

// A file people keep has no warnings: the benchmark measures checking one, not reporting thousands.
test('the benchmark corpus has no diagnostics: every variable and request it refers to is defined', () => {
  const document = parse(generateCorpus(500));
  const diagnostics = diagnose({ uri: 'file:///corpus.http', document, environments: noEnvironments, host: { fileExists: () => true } });
  assert.deepEqual(diagnostics.map((diagnostic) => `${diagnostic.range.start.line + 1}: ${String(diagnostic.code)}`), []);
  assert.ok(document.variables.length >= 10, `${document.variables.length} file variables`);
});

test('the corpus is deterministic and about 185 bytes per request', () => {
  assert.equal(generateCorpus(50), generateCorpus(50));
  const size = generateCorpus(1000).length;
  assert.ok(size > 150_000 && size < 220_000, `1000 requests gave ${size} bytes`);
});

test('request references in the corpus name requests defined before them', () => {
  const document = parse(generateCorpus(60));
  const names = new Set<string>();
  for (const request of document.requests) {
    for (const reference of allReferences(document)) {
      if (reference.start < request.start || reference.end > request.end || reference.target.kind !== 'request') continue;
      assert.ok(names.has(reference.target.requestName), `${reference.target.requestName} is defined earlier`);
    }
    if (request.name !== undefined) names.add(request.name.text);
  }
});
