// A response checked against the OpenAPI operation its request matches (issue 17): the status
// must be documented (exactly, as a `2XX` range, or by `default`), the Content-Type must be one
// the response lists (`application/*` and `*/*` ranges count; parameters are ignored), and a JSON
// body must match the media type's schema. Each broken rule is a failing `TestResult` of kind
// `openapi`, so it shows wherever tests do: the panel's Tests section, the Test Explorer and
// every CLI reporter; a response that keeps every rule is one passing test.
//
// What is not checked, on purpose: a response that came after redirects (the operation of the
// URL that answered is not the request's), a stream-shaped response, a body without a schema or
// in a media type that is not JSON, and a JSON body larger than `maxBodyBytes` (a skipped test
// says so: reading it whole would cost more memory than the check is worth).

import { readFile } from 'node:fs/promises';
import { matchOperation } from '../../language/openapi/operationMatching';
import type { OpenApiSpec, SpecMediaType, SpecOperation, SpecResponse } from '../../language/openapi/specModel';
import type { Exchange, ResponseBody, TestLocation, TestResult } from '../model';
import { SchemaCompileError, schemaViolations } from './responseSchema';

/** How a run validates responses; the CLI builds it from `--openapi`, the extension from the workspace's specs. */
export interface OpenApiValidation {
  /** The specs that apply to requests of an `.http` file (absolute path); the first that has the request's operation checks it. */
  readonly specsFor: (httpFile: string) => readonly OpenApiSpec[] | Promise<readonly OpenApiSpec[]>;
  /** JSON bodies larger than this (decoded bytes) are not checked; 10 MiB by default. */
  readonly maxBodyBytes?: number;
}

export const defaultMaxValidatedBodyBytes = 10 * 1024 * 1024;

/** The directive that keeps a request's response from being checked. */
export const noOpenApiDirective = 'no-openapi';

/** The tests of `exchange`'s response against the first spec with an operation for its request; none when no spec has one. */
export async function openApiTests(specs: readonly OpenApiSpec[], exchange: Exchange, maxBodyBytes = defaultMaxValidatedBodyBytes): Promise<TestResult[]> {
  const response = exchange.response;
  if (response === undefined || exchange.redirects.length > 0) return [];
  for (const spec of specs) {
    const match = matchOperation(spec, exchange.request.method, exchange.request.url);
    if (match !== undefined) return responseTests(spec, match.operation, exchange, maxBodyBytes);
  }
  return [];
}

/** The tests of `exchange`'s response against `operation` of `spec`. */
export async function responseTests(spec: OpenApiSpec, operation: SpecOperation, exchange: Exchange, maxBodyBytes = defaultMaxValidatedBodyBytes): Promise<TestResult[]> {
  const response = exchange.response;
  if (response === undefined) return [];
  const status = response.status;
  const operationName = `${operation.method} ${operation.pathTemplate}`;
  const location = locationOf(exchange);
  const test = (check: string, outcome: TestResult['outcome'], fields: Partial<Pick<TestResult, 'message' | 'expected' | 'actual'>> = {}): TestResult => ({
    name: `OpenAPI: ${operationName} ${status}${check === '' ? '' : ` ${check}`}`,
    outcome,
    kind: 'openapi',
    ...fields,
    ...(location === undefined ? {} : { location }),
  });
  const documented = Object.keys(operation.responses);
  // An operation that documents no response says nothing to check against.
  if (documented.length === 0) return [];
  const described = documentedResponse(operation, status);
  if (described === undefined) {
    return [
      test('status', 'failed', {
        message: `status ${status} is not documented for ${operationName} in ${specName(spec)} (documented: ${documented.join(', ')})`,
        expected: documented.join(', '),
        actual: String(status),
      }),
    ];
  }
  const failures: TestResult[] = [];
  const mediaTypes = Object.keys(described.response.content);
  const contentType = headerValue(response.headers, 'content-type');
  const bodyExpected = !(exchange.request.method === 'HEAD' || status === 204 || status === 304);
  let media: SpecMediaType | undefined;
  let mediaTypeName: string | undefined;
  if (mediaTypes.length > 0 && bodyExpected && (contentType !== undefined || response.body.size > 0)) {
    mediaTypeName = contentType === undefined ? undefined : matchingMediaType(mediaTypes, contentType);
    if (mediaTypeName === undefined) {
      failures.push(
        test('content type', 'failed', {
          message: `${contentType === undefined ? 'the response has a body but no Content-Type' : `Content-Type ${contentType} is not one the ${described.key} response of ${operationName} lists`} (${specName(spec)}: ${mediaTypes.join(', ')})`,
          expected: mediaTypes.join(', '),
          actual: contentType ?? 'none',
        }),
      );
    } else {
      media = described.response.content[mediaTypeName];
    }
  }
  if (media?.schema !== undefined && mediaTypeName !== undefined && response.shape !== 'stream' && isJsonMediaType(contentType ?? mediaTypeName)) {
    failures.push(...(await bodyTests(spec, media, response.body, maxBodyBytes, (outcome, fields) => test('body', outcome, fields), `the ${described.key} response's ${mediaTypeName} schema of ${operationName}`)));
  }
  return failures.length > 0 ? failures : [test('', 'passed')];
}

async function bodyTests(
  spec: OpenApiSpec,
  media: SpecMediaType,
  body: ResponseBody,
  maxBodyBytes: number,
  test: (outcome: TestResult['outcome'], fields: Partial<Pick<TestResult, 'message' | 'expected' | 'actual'>>) => TestResult,
  schemaName: string,
): Promise<TestResult[]> {
  if (body.size > maxBodyBytes) {
    return [test('skipped', { message: `the body (${body.size} bytes) is larger than the ${maxBodyBytes} bytes Courier validates against ${schemaName}` })];
  }
  let value: unknown;
  try {
    value = JSON.parse(await jsonText(body));
  } catch (error) {
    return [test('failed', { message: `the body is not JSON (${error instanceof Error ? error.message : String(error)}), but ${schemaName} describes JSON`, expected: 'JSON', actual: 'not JSON' })];
  }
  let found: ReturnType<typeof schemaViolations>;
  try {
    found = schemaViolations(media.schema ?? true, spec.version, value);
  } catch (error) {
    if (!(error instanceof SchemaCompileError)) throw error;
    return [test('skipped', { message: `${schemaName} in ${specName(spec)} cannot be compiled: ${error.message}` })];
  }
  return found.violations.map((violation, index) => {
    const more = index === found.violations.length - 1 && found.more > 0 ? ` (and ${found.more} more ${found.more === 1 ? 'violation' : 'violations'})` : '';
    return test('failed', {
      message: `body at ${violation.path}: expected ${violation.expected}, actual ${violation.actual}${more} (${schemaName}, ${specName(spec)})`,
      expected: `${violation.path}: ${violation.expected}`,
      actual: violation.actual,
    });
  });
}

/** The whole body as text: the in-memory prefix, or the temp file it spilled to. */
async function jsonText(body: ResponseBody): Promise<string> {
  const bytes = body.file === undefined ? body.prefix : await readFile(body.file);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(body.charset);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}

/** The response an operation documents for `status`: exactly, then its range (`2XX`), then `default`. */
export function documentedResponse(operation: SpecOperation, status: number): { readonly key: string; readonly response: SpecResponse } | undefined {
  const keys = Object.keys(operation.responses);
  const exact = keys.find((key) => key === String(status));
  const range = keys.find((key) => key.toUpperCase() === `${Math.floor(status / 100)}XX`);
  const key = exact ?? range ?? keys.find((candidate) => candidate === 'default');
  const response = key === undefined ? undefined : operation.responses[key];
  return key === undefined || response === undefined ? undefined : { key, response };
}

/** Of the listed media types (maybe ranges, maybe with parameters), the one that fits `contentType` most closely. */
export function matchingMediaType(listed: readonly string[], contentType: string): string | undefined {
  const actual = essence(contentType);
  const [type] = actual.split('/');
  const candidates = listed.map((name) => ({ name, essence: essence(name) }));
  return (
    candidates.find((candidate) => candidate.essence === actual) ??
    candidates.find((candidate) => candidate.essence === `${type}/*`) ??
    candidates.find((candidate) => candidate.essence === '*/*' || candidate.essence === '*')
  )?.name;
}

/** `application/json; charset=utf-8` as `application/json`. */
function essence(mediaType: string): string {
  return (mediaType.split(';')[0] ?? '').trim().toLowerCase();
}

/** JSON and its `+json` kinds (`application/problem+json`), which are the bodies a schema is checked against. */
export function isJsonMediaType(mediaType: string): boolean {
  const name = essence(mediaType);
  return name === 'application/json' || name.endsWith('+json') || name === 'text/json';
}

function headerValue(headers: readonly (readonly [string, string])[], name: string): string | undefined {
  return headers.find(([header]) => header.toLowerCase() === name)?.[1];
}

function locationOf(exchange: Exchange): TestLocation | undefined {
  const file = exchange.origin.file;
  return file === undefined ? undefined : { file, line: exchange.origin.line };
}

/** The spec as named in messages: its file's base name. */
function specName(spec: OpenApiSpec): string {
  return spec.file.split(/[\\/]/).pop() ?? spec.file;
}
