import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { prepareRequest } from '../../../engine/prepare';
import { Resolver } from '../../../engine/variables';
import { parse } from '../../../language/parser';

// The engine reads a request's Content-Type by the rule the parser and diagnostics use
// (language/contentType.ts): the first header counts; every header is still sent.

function preparedBody(text: string): string {
  const document = parse(text);
  const resolver = new Resolver({
    overrides: new Map(),
    fileVariables: new Map(),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  });
  const result = prepareRequest({ document, request: document.requests[0], file: '/work/api.http', resolver });
  assert.ok('prepared' in result, 'error' in result ? result.error.message : '');
  const chunks = result.prepared.body ?? [];
  return chunks.map((chunk) => (chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '<file>')).join('');
}

describe('prepare and the Content-Type rule', () => {
  test('a form body is joined when the first Content-Type says so', () => {
    assert.equal(preparedBody('POST https://a.test\nContent-Type: application/x-www-form-urlencoded\nContent-Type: text/plain\n\na=1\n&b=2\n'), 'a=1&b=2');
    assert.equal(preparedBody('POST https://a.test\nContent-Type: text/plain\nContent-Type: application/x-www-form-urlencoded\n\na=1\n&b=2\n'), 'a=1\n&b=2');
  });

  test('a multipart body is assembled when the first Content-Type is multipart, as the parser read it', () => {
    const body = preparedBody('POST https://a.test\nContent-Type: multipart/form-data; boundary=b\nContent-Type: text/plain\n\n--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--\n');
    assert.equal(body, '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n');
  });
});
