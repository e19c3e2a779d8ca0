import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { foldingRanges } from '../../../language/folding';
import { contextFor } from './featureContext';

test('each block and each multi-line body folds', () => {
  const text = [
    'POST https://example.com', // 0
    'Content-Type: application/json', // 1
    '', // 2
    '{', // 3
    '  "a": 1', // 4
    '}', // 5
    '', // 6
    '###', // 7
    'GET https://example.com', // 8
    '', // 9
    '###', // 10
    'GET https://example.com', // 11
    'Accept: */*', // 12
    '',
  ].join('\n');
  const ranges = foldingRanges(contextFor(text)).map((range) => [range.startLine, range.endLine]);
  assert.deepEqual(ranges, [
    [0, 5],
    [3, 5],
    [7, 8],
    [10, 12],
  ]);
});

test('single-line blocks and bodies do not fold', () => {
  assert.deepEqual(foldingRanges(contextFor('GET https://example.com\n')), []);
  assert.deepEqual(foldingRanges(contextFor('POST https://example.com\n\nbody\n')), [[0, 2]].map(([startLine, endLine]) => ({ startLine, endLine })));
});
