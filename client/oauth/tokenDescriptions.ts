// How stored OAuth tokens read in the editor's picks and CodeLens: the grant, when the token
// expires, its scope and whether a refresh token came with it. Never the token. Free of `vscode`.

import type { TokenSummary } from '../../engine/oauth/oauthTokens';
import type { TokenKey } from '../../engine/oauth/tokenStore';

/** `auth-id (environment dev)`, or without the environment when tokens are kept for none. */
export function tokenKeyLabel(key: TokenKey): string {
  return key.environment === '' ? key.id : `${key.id} (environment ${key.environment})`;
}

/** `14:05` for a time today, `2026-12-09 14:05` for another day; local time, as the clock in the corner. */
export function clockTime(at: number, now: number): string {
  const time = new Date(at);
  const today = new Date(now);
  const hhmm = `${pad(time.getHours())}:${pad(time.getMinutes())}`;
  const sameDay = time.getFullYear() === today.getFullYear() && time.getMonth() === today.getMonth() && time.getDate() === today.getDate();
  return sameDay ? hhmm : `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${hhmm}`;
}

/** The CodeLens over an entry with a token: `Token valid until 14:05`, `Token expired at 13:05`, or `Token stored (no expiry given)`. */
export function validityText(summary: Pick<TokenSummary, 'expiresAt' | 'hasRefreshToken'>, now: number): string {
  if (summary.expiresAt === undefined) return 'Token stored (no expiry given)';
  if (summary.expiresAt > now) return `Token valid until ${clockTime(summary.expiresAt, now)}`;
  return `Token expired at ${clockTime(summary.expiresAt, now)}${summary.hasRefreshToken ? ' (refreshed on the next send)' : ''}`;
}

/** One stored token as "Show OAuth Tokens" lists it: everything but the token. */
export function tokenSummaryDetail(summary: TokenSummary, now: number): string {
  const parts: string[] = [summary.grantType, validityText(summary, now).replace(/^Token /, '')];
  parts.push(summary.scope === undefined || summary.scope === '' ? 'no scope given' : `scope "${summary.scope}"`);
  parts.push(summary.hasRefreshToken ? 'refresh token' : 'no refresh token');
  if (summary.hasIdToken) parts.push('ID token');
  parts.push(`obtained ${clockTime(summary.obtainedAt, now)}`);
  return parts.join(' · ');
}

/** What commands return about a stored token: plain data without the token, for callers in other processes and tests. */
export interface TokenSummaryView {
  readonly environment: string;
  readonly id: string;
  readonly grantType: string;
  readonly expiresAt: string | undefined;
  readonly scope: string | undefined;
  readonly hasRefreshToken: boolean;
  readonly hasIdToken: boolean;
}

export function tokenSummaryView(summary: TokenSummary): TokenSummaryView {
  return {
    environment: summary.key.environment,
    id: summary.key.id,
    grantType: summary.grantType,
    expiresAt: summary.expiresAt === undefined ? undefined : new Date(summary.expiresAt).toISOString(),
    scope: summary.scope,
    hasRefreshToken: summary.hasRefreshToken,
    hasIdToken: summary.hasIdToken,
  };
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
