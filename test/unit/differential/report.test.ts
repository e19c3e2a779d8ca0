import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { ComparableRequest } from '../../../test/differential/compare';
import { expectedFor } from '../../../test/differential/expectedDifferences';
import { type TaggedComparison, runDifference } from '../../../test/differential/report';

const request: ComparableRequest = { requestLine: 'GET /d1/r0/ok HTTP/1.1', bytes: '', fields: '', listener: 'main', origin: 'd001.http:3' };
const http2Difference: TaggedComparison = { kind: 'only-base', base: request, tags: ['http2'] };

describe('runDifference', () => {
  test('the same exit code is no difference', () => {
    assert.equal(runDifference({ exitCode: 0, timedOut: false }, { exitCode: 0, timedOut: false, stderr: '' }, [], 60_000), undefined);
  });

  test('exit codes 0 and 1 may differ because of an expected difference in the run', () => {
    assert.equal(runDifference({ exitCode: 0, timedOut: false }, { exitCode: 1, timedOut: false, stderr: '' }, [http2Difference], 60_000)?.expected?.id, 'http2');
    assert.equal(runDifference({ exitCode: 0, timedOut: false }, { exitCode: 1, timedOut: false, stderr: '' }, [], 60_000)?.expected, undefined);
  });

  test('a head that hung is never expected, whatever else the run had', () => {
    const difference = runDifference({ exitCode: 0, timedOut: false }, { exitCode: null, timedOut: true, stderr: 'last words' }, [http2Difference], 60_000);
    assert.equal(difference?.expected, undefined);
    assert.equal(difference?.what, 'the head CLI hung');
    assert.match(difference?.detail ?? '', /head: killed after 60 s \(it hung\)[^]*last words/);
  });
});

describe('expectedFor', () => {
  test('http2 allows another transport, not other fields', () => {
    assert.equal(expectedFor(['http2'], true)?.id, 'http2');
    assert.equal(expectedFor(['http2'], false), undefined);
    assert.equal(expectedFor(['http2', 'duplicate-content-type'], false)?.id, 'content-type-rule');
  });
});
