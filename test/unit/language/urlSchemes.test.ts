import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { SENDABLE_SCHEMES, sendableScheme, sendableSchemesText, unsupportedSchemeMessage } from '../../../language/data/urlSchemes';

describe('the schemes Courier sends', () => {
  test('http and https, found by URL.protocol or by name, any case', () => {
    assert.deepEqual(SENDABLE_SCHEMES.map((scheme) => scheme.name), ['http', 'https']);
    assert.equal(sendableScheme('https:')?.defaultPort, 443);
    assert.equal(sendableScheme('HTTP')?.secure, false);
    for (const protocol of ['ws:', 'wss:', 'grpc:', 'ftp:', 'file:', '']) assert.equal(sendableScheme(protocol), undefined, protocol);
  });

  test('the message for another scheme says what is sent', () => {
    assert.equal(sendableSchemesText(), 'http and https');
    assert.equal(unsupportedSchemeMessage('wss:'), 'Courier cannot send wss: requests yet; it sends http and https URLs.');
  });
});
