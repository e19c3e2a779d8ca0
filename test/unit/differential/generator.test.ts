import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { generateWorkspace } from '../../../test/differential/generator';
import { parse } from '../../../language/parser';

const options = { count: 40, seed: 7, mainPort: 41000, otherPort: 41001, securePort: 41002 };

describe('generateWorkspace', () => {
  test('the same seed gives the same documents, another seed others', () => {
    const texts = (seed: number): string[] => generateWorkspace({ ...options, seed }).documents.map((document) => document.text);
    assert.deepEqual(texts(7), texts(7));
    assert.notDeepEqual(texts(7), texts(8));
  });

  test('documents parse without errors, and each request line is where the document says', () => {
    for (const document of generateWorkspace(options).documents) {
      const parsed = parse(document.text);
      assert.deepEqual(parsed.problems.filter((problem) => problem.severity === 'error'), [], document.fileName);
      const lines = document.text.split(/\r?\n/);
      for (const request of document.requests) {
        const [, index] = request.id.split('/r');
        assert.match(lines[request.line - 1] ?? '', new RegExp(`/r${index}/`), `${document.fileName}:${request.line}`);
      }
    }
  });
});
