import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TokenSummary } from '../../../../engine/oauth/oauthTokens';
import { clockTime, tokenKeyLabel, tokenSummaryDetail, tokenSummaryView, validityText } from '../../../../client/oauth/tokenDescriptions';

const now = new Date(2026, 11, 7, 14, 0).getTime();
const summary: TokenSummary = {
  key: { environment: 'dev', id: 'api' },
  grantType: 'Client Credentials',
  expiresAt: new Date(2026, 11, 7, 15, 5).getTime(),
  scope: 'read write',
  hasRefreshToken: true,
  hasIdToken: false,
  obtainedAt: new Date(2026, 11, 7, 14, 5).getTime(),
};

describe('token descriptions', () => {
  test('times read as HH:MM today and with the date on another day', () => {
    assert.equal(clockTime(new Date(2026, 11, 7, 9, 3).getTime(), now), '09:03');
    assert.equal(clockTime(new Date(2026, 11, 8, 9, 3).getTime(), now), '2026-12-08 09:03');
  });

  test('the CodeLens says until when a token is valid, that it expired, or that no expiry was given', () => {
    assert.equal(validityText(summary, now), 'Token valid until 15:05');
    assert.equal(validityText({ expiresAt: now - 60_000, hasRefreshToken: true }, now), 'Token expired at 13:59 (refreshed on the next send)');
    assert.equal(validityText({ expiresAt: now - 60_000, hasRefreshToken: false }, now), 'Token expired at 13:59');
    assert.equal(validityText({ expiresAt: undefined, hasRefreshToken: false }, now), 'Token stored (no expiry given)');
  });

  test('a stored token is described by grant, expiry, scope and refresh token, and labelled by id and environment', () => {
    assert.equal(tokenKeyLabel(summary.key), 'api (environment dev)');
    assert.equal(tokenKeyLabel({ environment: '', id: 'api' }), 'api');
    assert.equal(tokenSummaryDetail(summary, now), 'Client Credentials · valid until 15:05 · scope "read write" · refresh token · obtained 14:05');
    assert.equal(tokenSummaryDetail({ ...summary, scope: undefined, hasRefreshToken: false, hasIdToken: true }, now), 'Client Credentials · valid until 15:05 · no scope given · no refresh token · ID token · obtained 14:05');
  });

  test('what commands return names the token, never holds it', () => {
    assert.deepEqual(tokenSummaryView(summary), {
      environment: 'dev',
      id: 'api',
      grantType: 'Client Credentials',
      expiresAt: new Date(summary.expiresAt ?? 0).toISOString(),
      scope: 'read write',
      hasRefreshToken: true,
      hasIdToken: false,
    });
  });
});
