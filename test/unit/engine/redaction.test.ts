import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { privateEnvironmentValues, redactExchange, redactText } from '../../../engine/redaction';

const encoder = new TextEncoder();

function exchange(body: string): Exchange {
  const prefix = encoder.encode(body);
  return {
    request: {
      method: 'GET',
      url: 'https://api.example.com/items?key=k3y-value',
      headers: [['Authorization', 'Bearer abc'], ['Cookie', 'sid=1'], ['X-Api-Key', 'k3y-value'], ['X-Amz-Security-Token', 'FQoG//token'], ['Accept', 'application/json']],
      bodySize: 0,
    },
    origin: { file: '/a.http', line: 1, name: undefined },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Set-Cookie', 'sid=2'], ['Proxy-Authorization', 'Basic x'], ['Content-Type', 'application/json']],
      body: { size: prefix.length, encodedSize: prefix.length, prefix, file: undefined, contentType: 'application/json', charset: 'utf-8' },
    },
    redirects: [{ status: 302, url: 'https://api.example.com/old?key=k3y-value' }],
    timings: { total: 12 },
    error: undefined,
    warnings: ['token k3y-value is about to expire'],
  };
}

describe('redactExchange', () => {
  const redacted = redactExchange(exchange('{"echo":"k3y-value","n":1}'), { secrets: ['k3y-value', 'on'] });

  test('credential headers are replaced whole, in the request and the response', () => {
    assert.deepEqual(redacted.request.headers, [['Authorization', '<redacted>'], ['Cookie', '<redacted>'], ['X-Api-Key', '<redacted>'], ['X-Amz-Security-Token', '<redacted>'], ['Accept', 'application/json']]);
    assert.deepEqual(redacted.response?.headers, [['Set-Cookie', '<redacted>'], ['Proxy-Authorization', '<redacted>'], ['Content-Type', 'application/json']]);
  });

  test('keepCredentialHeaders keeps credential headers as sent but still hides the secrets inside them', () => {
    const kept = redactExchange(exchange('{}'), { secrets: ['abc', 'acc3ss-t0ken'], keepCredentialHeaders: true });
    const withToken = redactExchange({ ...exchange('{}'), request: { ...exchange('{}').request, headers: [['Authorization', 'Bearer acc3ss-t0ken'], ['Cookie', 'sid=1']] } }, { secrets: ['acc3ss-t0ken'], keepCredentialHeaders: true });
    assert.deepEqual(kept.request.headers[1], ['Cookie', 'sid=1']);
    assert.deepEqual(kept.response?.headers[1], ['Proxy-Authorization', 'Basic x']);
    assert.deepEqual(withToken.request.headers, [['Authorization', 'Bearer <redacted>'], ['Cookie', 'sid=1']]);
  });

  test('private values are replaced in the URL, redirects, warnings and a text body (size follows)', () => {
    assert.equal(redacted.request.url, 'https://api.example.com/items?key=<redacted>');
    assert.equal(redacted.redirects[0]?.url, 'https://api.example.com/old?key=<redacted>');
    assert.deepEqual(redacted.warnings, ['token <redacted> is about to expire']);
    const body = new TextDecoder().decode(redacted.response?.body.prefix);
    assert.equal(body, '{"echo":"<redacted>","n":1}');
    assert.equal(redacted.response?.body.size, body.length);
  });

  test('the scripts\' log and test messages are redacted too; an exchange without them gains none', () => {
    const withScripts: Exchange = {
      ...exchange(''),
      log: ['token is k3y-value'],
      tests: [{ name: 'key == k3y-value', outcome: 'failed', kind: 'assertion', message: 'got k3y-value', expected: 'k3y-value', actual: 'other' }],
    };
    const result = redactExchange(withScripts, { secrets: ['k3y-value'] });
    assert.deepEqual(result.log, ['token is <redacted>']);
    assert.deepEqual(result.tests, [{ name: 'key == <redacted>', outcome: 'failed', kind: 'assertion', message: 'got <redacted>', expected: '<redacted>', actual: 'other' }]);
    assert.equal('tests' in redacted, false);
    assert.equal('log' in redacted, false);
  });

  test('short values are not searched for, so text is not garbled', () => {
    assert.equal(new TextDecoder().decode(redacted.response?.body.prefix).includes('n'), true);
    assert.equal(redactText('on and on', ['on']), 'on and on');
  });

  test('a binary body is kept as it is', () => {
    const binary = exchange('');
    const bytes = new Uint8Array([0xff, 0xfe, 0x6b]);
    const withBinary: Exchange = { ...binary, response: binary.response && { ...binary.response, body: { ...binary.response.body, prefix: bytes, size: 3 } } };
    assert.equal(redactExchange(withBinary, { secrets: ['k3y-value'] }).response?.body.prefix, bytes);
  });

  test('the longest secret is hidden first, so a secret containing another is hidden whole', () => {
    assert.equal(redactText('pass=abcd-efgh', ['abcd', 'abcd-efgh']), 'pass=<redacted>');
  });
});

describe('privateEnvironmentValues', () => {
  test('reads the nearest private env file: the chosen environment and $shared', () => {
    const root = mkdtempSync(join(tmpdir(), 'courier-redaction-'));
    const folder = join(root, 'api');
    mkdirSync(folder);
    writeFileSync(join(folder, 'http-client.env.json'), '{"dev": {"host": "localhost"}}');
    writeFileSync(join(folder, 'http-client.private.env.json'), '{"$shared": {"apiKey": "shared-key"}, "dev": {"password": "dev-pass"}, "prod": {"password": "prod-pass"}}');
    assert.deepEqual(privateEnvironmentValues(join(folder, 'a.http'), 'dev', root).sort(), ['dev-pass', 'shared-key']);
    assert.deepEqual(privateEnvironmentValues(join(folder, 'a.http'), undefined, root), ['shared-key']);
  });

  test("Visual Studio's user file is private too: its values are redacted", () => {
    const root = mkdtempSync(join(tmpdir(), 'courier-redaction-'));
    writeFileSync(join(root, 'http-client.env.json'), '{"dev": {"host": "localhost"}}');
    writeFileSync(join(root, 'http-client.private.env.json'), '{"dev": {"password": "dev-pass"}}');
    writeFileSync(join(root, 'http-client.env.json.user'), '{"$shared": {"apiKey": "user-key"}, "dev": {"token": "user-token"}, "prod": {"token": "prod-token"}}');
    assert.deepEqual(privateEnvironmentValues(join(root, 'a.http'), 'dev', root).sort(), ['dev-pass', 'user-key', 'user-token']);
  });

  test('stops at the first folder with env files, as the runner does', () => {
    const root = mkdtempSync(join(tmpdir(), 'courier-redaction-'));
    const folder = join(root, 'api');
    mkdirSync(folder);
    writeFileSync(join(root, 'http-client.private.env.json'), '{"dev": {"password": "outer"}}');
    writeFileSync(join(folder, 'http-client.env.json'), '{"dev": {}}');
    assert.deepEqual(privateEnvironmentValues(join(folder, 'a.http'), 'dev', root), []);
    assert.deepEqual(privateEnvironmentValues(join(root, 'a.http'), 'dev', root), ['outer']);
  });
});
