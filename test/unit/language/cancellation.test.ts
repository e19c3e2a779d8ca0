import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { OperationCancelled, type CancellationToken } from '../../../language/cancellation';
import { noEnvironments } from '../../../language/context';
import { createLanguageService } from '../../../language/service';

function largeDocument(requests: number): string {
  return Array.from({ length: requests }, (_, index) => `### r${index}\nGET https://a.test/{{id}}/${index}\n`).join('\n');
}

/** A token cancelled after `reads` looks: the computation must stop partway, not before it starts. */
function cancelledAfter(reads: number): CancellationToken & { readonly looks: number } {
  let looks = 0;
  return {
    get isCancellationRequested() {
      looks++;
      return looks > reads;
    },
    get looks() {
      return looks;
    },
  };
}

const host = { fileExists: () => true, environments: () => noEnvironments };

describe('cancellation', () => {
  test('a first diagnostics pass over a large document stops when its token is cancelled, and the next pass is whole', () => {
    const service = createLanguageService(host);
    const document = { uri: 'file:///w/big.http', version: 1, getText: () => largeDocument(2000) };
    const token = cancelledAfter(2);
    assert.throws(() => service.diagnose(document, token), OperationCancelled);
    assert.ok(token.looks >= 3, 'looked more than once');
    // Nothing half-done is kept: the same pass, uncancelled, answers in full.
    const fresh = createLanguageService(host).diagnose(document);
    assert.equal(fresh.length, 2000);
    assert.deepEqual(service.diagnose({ ...document, version: 2 }), fresh);
  });

  test('an incremental pass stops between chunks, and what it checked is reused correctly', () => {
    const service = createLanguageService(host);
    const text = largeDocument(2000);
    service.diagnose({ uri: 'file:///w/big.http', version: 1, getText: () => text });
    const edited = `@id = 1\n${text}`;
    assert.throws(() => service.diagnose({ uri: 'file:///w/big.http', version: 2, getText: () => edited }, cancelledAfter(3)), OperationCancelled);
    assert.deepEqual(service.diagnose({ uri: 'file:///w/big.http', version: 3, getText: () => edited }), []);
  });

  test('references and rename look at the token', () => {
    const service = createLanguageService(host);
    const document = { uri: 'file:///w/big.http', version: 1, getText: () => `@id = 1\n${largeDocument(1000)}` };
    const position = { line: 0, character: 2 };
    assert.throws(() => service.references(document, position, true, cancelledAfter(1)), OperationCancelled);
    assert.throws(() => service.rename(document, position, 'key', { isCancellationRequested: true }), OperationCancelled);
    assert.equal(service.references(document, position, true).length, 1001);
  });
});
