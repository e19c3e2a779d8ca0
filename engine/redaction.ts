// Redaction for what is stored (the history): credentials in headers, and the values of private
// environment files (and script globals, which the caller adds to the secrets) wherever they
// appear (URL, header values, bodies, the scripts' log and test messages), become `<redacted>`.
// What is sent is never changed; only the stored copy is.

import { privateEnvironmentValuesOf, readEnvironmentFiles } from './environments';
import type { Exchange, ResponseBody, TestResult } from './model';

export const redactedMarker = '<redacted>';

/** Headers whose whole value is a credential. */
const secretHeaders = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-amz-security-token']);

/** Values shorter than this are not searched for: replacing `1` or `on` everywhere would garble the text. */
const minimumSecretLength = 4;

/** What to hide besides credential headers. */
export interface RedactionOptions {
  /** Private values (from `http-client.private.env.json`) to replace wherever they appear. */
  readonly secrets: readonly string[];
  /** Keep `Authorization`, `Cookie`, ... as sent, replacing only `secrets` in them (the history's `keepSecrets`, which still never keeps OAuth tokens). */
  readonly keepCredentialHeaders?: boolean;
}

type HeaderList = readonly (readonly [name: string, value: string])[];

/** Replaces each secret in `text`, longest first so a secret containing another is hidden whole. */
export function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of usableSecrets(secrets)) result = result.split(secret).join(redactedMarker);
  return result;
}

function usableSecrets(secrets: readonly string[]): string[] {
  return [...new Set(secrets)].filter((secret) => secret.length >= minimumSecretLength).sort((a, b) => b.length - a.length);
}

export function redactHeaders(headers: HeaderList, secrets: readonly string[], keepCredentialHeaders = false): HeaderList {
  return headers.map(([name, value]) => [name, !keepCredentialHeaders && secretHeaders.has(name.toLowerCase()) ? redactedMarker : redactText(value, secrets)] as const);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A body with secrets replaced when it is UTF-8 text; binary bodies are kept as they are. */
function redactBody(body: ResponseBody, secrets: readonly string[]): ResponseBody {
  if (usableSecrets(secrets).length === 0) return body;
  let text: string;
  try {
    text = strictUtf8.decode(body.prefix);
  } catch {
    return body;
  }
  const redacted = redactText(text, secrets);
  if (redacted === text) return body;
  const prefix = new TextEncoder().encode(redacted);
  return { ...body, prefix, size: body.size - body.prefix.length + prefix.length };
}

/** A copy of `exchange` safe to store: credential headers and private values replaced by `<redacted>`. */
export function redactExchange(exchange: Exchange, options: RedactionOptions): Exchange {
  const { secrets, keepCredentialHeaders = false } = options;
  const response = exchange.response;
  return {
    ...exchange,
    request: { ...exchange.request, url: redactText(exchange.request.url, secrets), headers: redactHeaders(exchange.request.headers, secrets, keepCredentialHeaders) },
    response: response === undefined ? undefined : { ...response, headers: redactHeaders(response.headers, secrets, keepCredentialHeaders), body: redactBody(response.body, secrets) },
    redirects: exchange.redirects.map((redirect) => ({ ...redirect, url: redactText(redirect.url, secrets) })),
    error: exchange.error === undefined ? undefined : { ...exchange.error, message: redactText(exchange.error.message, secrets) },
    warnings: exchange.warnings.map((warning) => redactText(warning, secrets)),
    // A script may log or fail with a token it just read.
    ...(exchange.log === undefined ? {} : { log: exchange.log.map((line) => redactText(line, secrets)) }),
    ...(exchange.tests === undefined ? {} : { tests: exchange.tests.map((test) => redactTest(test, secrets)) }),
  };
}

function redactTest(test: TestResult, secrets: readonly string[]): TestResult {
  const redacted = (text: string | undefined): { readonly value?: string } => (text === undefined ? {} : { value: redactText(text, secrets) });
  const message = redacted(test.message).value;
  const expected = redacted(test.expected).value;
  const actual = redacted(test.actual).value;
  return {
    ...test,
    name: redactText(test.name, secrets),
    ...(message === undefined ? {} : { message }),
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
  };
}

/**
 * The values of the private env files nearest to `httpFile` for `environment` (and its `$shared`):
 * what a user keeps out of version control is what history must not keep either.
 */
export function privateEnvironmentValues(httpFile: string, environment: string | undefined, searchRoot?: string): string[] {
  return privateEnvironmentValuesOf(readEnvironmentFiles(httpFile, searchRoot), environment);
}
