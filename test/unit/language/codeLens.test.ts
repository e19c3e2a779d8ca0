import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { codeLenses, sendRequestCommand } from '../../../language/codeLens';
import { contextFor, testUri, textOf } from './featureContext';

test('"Send Request" above each request line, with the uri and the line', () => {
  const text = '@a = 1\n\n# @name first\nGET https://example.com/1\n\n###\n\nPOST https://example.com/2\n\n###\n# nothing here\n';
  const context = contextFor(text);
  const lenses = codeLenses(context);
  assert.equal(lenses.length, 2);
  assert.deepEqual(lenses.map((lens) => textOf(context, lens.range)), ['GET https://example.com/1', 'POST https://example.com/2']);
  assert.deepEqual(
    lenses.map((lens) => lens.command),
    [
      { title: 'Send Request', command: sendRequestCommand, arguments: [testUri, { line: 3, character: 0 }] },
      { title: 'Send Request', command: sendRequestCommand, arguments: [testUri, { line: 7, character: 0 }] },
    ],
  );
  assert.equal(sendRequestCommand, 'courier.sendRequest');
});

test('no lenses without requests', () => {
  assert.deepEqual(codeLenses(contextFor('# just notes\n')), []);
});
