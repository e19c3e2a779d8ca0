import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { opensWebSocket, SENDABLE_SCHEMES, sendableScheme, sendableSchemesText, unsupportedSchemeMessage } from '../../../language/data/urlSchemes';

describe('the schemes Courier sends', () => {
  test('http, https, ws and wss, found by URL.protocol or by name, any case', () => {
    assert.deepEqual(SENDABLE_SCHEMES.map((scheme) => scheme.name), ['http', 'https', 'ws', 'wss']);
    assert.equal(sendableScheme('https:')?.defaultPort, 443);
    assert.equal(sendableScheme('HTTP')?.secure, false);
    assert.equal(sendableScheme('wss:')?.secure, true);
    for (const protocol of ['grpc:', 'ftp:', 'file:', '']) assert.equal(sendableScheme(protocol), undefined, protocol);
  });

  test('ws and wss take the methods that open a WebSocket and GraphQL; http and https every method (a WebSocket to one goes as ws)', () => {
    for (const method of ['WEBSOCKET', 'WS', 'websocket', 'GRAPHQL']) assert.ok(sendableScheme('ws:', method), method);
    for (const method of ['GET', 'POST']) assert.equal(sendableScheme('wss:', method), undefined, method);
    for (const method of ['GET', 'GRAPHQL', 'PROPFIND', 'WEBSOCKET', 'WS']) assert.ok(sendableScheme('http:', method), method);
    assert.ok(opensWebSocket('ws'));
    assert.ok(!opensWebSocket('GRAPHQL'));
  });

  test('the message for a scheme or a method that does not fit says what to write', () => {
    assert.equal(sendableSchemesText(), 'http and https');
    assert.equal(unsupportedSchemeMessage('ftp:'), 'Courier cannot send ftp: requests; it sends http and https URLs, and ws and wss URLs for WebSocket and GraphQL subscriptions.');
    assert.equal(unsupportedSchemeMessage('wss:'), 'wss: URLs open a WebSocket: write WEBSOCKET (or WS) instead of GET, or GRAPHQL for a subscription.');
    assert.equal(unsupportedSchemeMessage('ws:', 'PUT'), 'ws: URLs open a WebSocket: write WEBSOCKET (or WS) instead of PUT, or GRAPHQL for a subscription.');
  });
});
