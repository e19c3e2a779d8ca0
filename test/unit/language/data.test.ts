import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { lookupDirective, KNOWN_DIRECTIVES, suggestDirective } from '../../../language/data/directives';
import { headerValues } from '../../../language/data/headerValues';
import { isSingleValuedHeader, KNOWN_HEADERS, lookupHeader } from '../../../language/data/headers';
import { isKnownMethod, KNOWN_METHODS, lookupMethod, suggestMethod } from '../../../language/data/methods';
import { isKnownMimeType, MIME_TYPES } from '../../../language/data/mimeTypes';
import { editDistance } from '../../../language/data/spelling';
import { isSystemVariable, lookupSystemVariable, SYSTEM_VARIABLES } from '../../../language/data/systemVariables';
import { systemVariableNames } from '../../../engine/systemVariables';

describe('methods', () => {
  test('cover RFC 9110, PATCH, QUERY, WebDAV and the GraphQL and WebSocket extras', () => {
    for (const name of ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'MKCALENDAR', 'GRAPHQL', 'WEBSOCKET']) {
      assert.ok(isKnownMethod(name), name);
      assert.ok((lookupMethod(name)?.description.length ?? 0) > 10, `${name} has a description`);
    }
    assert.equal(new Set(KNOWN_METHODS.map((method) => method.name)).size, KNOWN_METHODS.length, 'a method is listed twice');
  });

  test('are case-sensitive, as on the wire', () => {
    assert.equal(isKnownMethod('get'), false);
  });

  test('suggestMethod finds swaps, wrong case, missing and extra letters', () => {
    assert.equal(suggestMethod('GTE'), 'GET');
    assert.equal(suggestMethod('get'), 'GET');
    assert.equal(suggestMethod('Post'), 'POST');
    assert.equal(suggestMethod('DELET'), 'DELETE');
    assert.equal(suggestMethod('PATCHH'), 'PATCH');
    assert.equal(suggestMethod('PROPFINF'), 'PROPFIND');
  });

  test('suggestMethod gives nothing when no method is close', () => {
    assert.equal(suggestMethod('FROBNICATE'), undefined);
    assert.equal(suggestMethod(''), undefined);
    assert.equal(suggestMethod('XYZ'), undefined);
  });

  test('edit distance counts an adjacent swap once', () => {
    assert.equal(editDistance('GTE', 'GET'), 1);
    assert.equal(editDistance('', 'GET'), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  test('edit distance, in reused rows, equals the whole table', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'G', 'E', 'T', 'é', '-'), maxLength: 40 });
    fc.assert(fc.property(word, word, (a, b) => assert.equal(editDistance(a, b), tableDistance(a, b), JSON.stringify([a, b]))), { numRuns: 3000 });
  });

  test('suggestions skip no candidate that a full search would pick', () => {
    const word = fc.string({ unit: fc.constantFrom('P', 'O', 'S', 'T', 'G', 'E', 'A', 'C', 'H', 'D', 'L', 'n', 'a', 'm', 'e', 'r', 'o', 'p', 't', '-', 'x'), maxLength: 14 });
    fc.assert(
      fc.property(word, (text) => {
        assert.equal(suggestMethod(text), fullSearch(text, KNOWN_METHODS.map((method) => method.name), (name) => name.toUpperCase()), text);
        assert.equal(suggestDirective(text), fullSearch(text, KNOWN_DIRECTIVES.map((directive) => directive.name), (name) => name.toLowerCase()), text);
      }),
      { numRuns: 3000 },
    );
  });
});

/** Optimal string alignment distance over the whole table, as defined: the reference for `editDistance`. */
function tableDistance(a: string, b: string): number {
  const table = Array.from({ length: a.length + 1 }, (_, row) => Array.from({ length: b.length + 1 }, (_, column) => (row === 0 ? column : column === 0 ? row : 0)));
  for (let row = 1; row <= a.length; row++) {
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      table[row][column] = Math.min(table[row - 1][column] + 1, table[row][column - 1] + 1, table[row - 1][column - 1] + cost);
      if (row > 1 && column > 1 && a[row - 1] === b[column - 2] && a[row - 2] === b[column - 1]) table[row][column] = Math.min(table[row][column], table[row - 2][column - 2] + 1);
    }
  }
  return table[a.length][b.length];
}

/** `closestName` measuring every candidate: the first at the smallest distance, if within a third of the word. */
function fullSearch(word: string, candidates: readonly string[], normalize: (name: string) => string): string | undefined {
  const wanted = normalize(word);
  if (wanted.length === 0) return undefined;
  const distances = candidates.map((candidate) => tableDistance(wanted, normalize(candidate)));
  const smallest = Math.min(...distances);
  return smallest <= Math.max(1, Math.floor(wanted.length / 3)) ? candidates[distances.indexOf(smallest)] : undefined;
}

describe('headers', () => {
  test('list at least 60 request headers, each documented with a link', () => {
    const requestHeaders = KNOWN_HEADERS.filter((header) => header.usage !== 'response');
    assert.ok(requestHeaders.length >= 60, `only ${requestHeaders.length}`);
    for (const header of KNOWN_HEADERS) {
      assert.match(header.spec, /^https:\/\//, header.name);
      assert.ok(header.description.length > 10, header.name);
    }
    assert.equal(new Set(KNOWN_HEADERS.map((header) => header.name.toLowerCase())).size, KNOWN_HEADERS.length, 'a header is listed twice');
  });

  test('lookupHeader ignores case and surrounding space', () => {
    assert.equal(lookupHeader('content-type')?.name, 'Content-Type');
    assert.equal(lookupHeader(' X-REQUEST-TYPE ')?.name, 'X-Request-Type');
    assert.equal(lookupHeader('X-Made-Up'), undefined);
  });

  test('single-valued headers are told apart from list headers', () => {
    for (const name of ['Content-Type', 'Host', 'Authorization', 'content-length', 'User-Agent']) assert.ok(isSingleValuedHeader(name), name);
    for (const name of ['Accept', 'Cache-Control', 'Accept-Encoding', 'X-Unknown']) assert.equal(isSingleValuedHeader(name), false, name);
  });
});

describe('header values', () => {
  test('Content-Type offers the common media types first, then the rest of mime-db', () => {
    const values = headerValues('content-type')?.values.map((value) => value.value) ?? [];
    assert.deepEqual(values.slice(0, 4), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
    assert.ok(values.includes('application/vnd.ms-excel'), 'mime-db entries are offered');
    assert.ok(values.length > 1000);
    assert.equal(new Set(values).size, values.length, 'a media type is offered twice');
  });

  test('multipart/form-data inserts a boundary parameter', () => {
    const multipart = headerValues('Content-Type')?.values.find((value) => value.value === 'multipart/form-data');
    assert.match(multipart?.snippet ?? '', /^multipart\/form-data; boundary=/);
  });

  test('Authorization offers schemes as snippets; list headers are marked as lists', () => {
    const schemes = headerValues('Authorization');
    assert.deepEqual(schemes?.values.slice(0, 3).map((value) => value.value), ['Bearer', 'Basic', 'Digest']);
    assert.equal(schemes?.list, false);
    assert.equal(headerValues('Accept')?.list, true);
    assert.equal(headerValues('Accept')?.values[0].value, '*/*');
    assert.deepEqual(headerValues('x-request-type')?.values.map((value) => value.value), ['GraphQL']);
    assert.ok(headerValues('Cache-Control')?.values.some((value) => value.value === 'no-cache'));
    assert.ok(headerValues('Accept-Encoding')?.values.some((value) => value.value === 'br'));
    assert.equal(headerValues('X-Unknown'), undefined);
  });

  test('isKnownMimeType ignores parameters and case', () => {
    assert.ok(isKnownMimeType('Application/JSON; charset=utf-8'));
    assert.ok(isKnownMimeType('application/graphql'), 'curated types count even when mime-db lacks them');
    assert.equal(isKnownMimeType('application/made-up'), false);
    assert.ok(MIME_TYPES.filter((type) => type.common).length >= 10);
  });
});

describe('directives', () => {
  test('cover the documented set, each with a description and example', () => {
    assert.deepEqual(KNOWN_DIRECTIVES.map((directive) => directive.name).sort(), ['connection-timeout', 'description', 'disabled', 'forceRef', 'import', 'insecure', 'loop', 'name', 'no-cookie-jar', 'no-log', 'no-redirect', 'noLog', 'note', 'prompt', 'ratelimit', 'ref', 'save', 'sleep', 'stream', 'timeout', 'title']);
    for (const directive of KNOWN_DIRECTIVES) assert.ok(directive.example.startsWith(`# @${directive.name}`), directive.name);
    assert.equal(lookupDirective('timeout')?.value, 'required');
    assert.equal(lookupDirective('no-redirect')?.value, 'none');
  });

  test('suggestDirective corrects typos and gives nothing for unrelated words', () => {
    assert.equal(suggestDirective('no-redirct'), 'no-redirect');
    assert.equal(suggestDirective('No-Cookie-Jar'), 'no-cookie-jar');
    assert.equal(suggestDirective('timout'), 'timeout');
    assert.equal(suggestDirective('nmae'), 'name');
    assert.equal(suggestDirective('completely-else'), undefined);
  });
});

describe('system variables', () => {
  test('cover the REST Client and JetBrains forms', () => {
    for (const name of ['$uuid', '$guid', '$timestamp', '$isoTimestamp', '$datetime', '$localDatetime', '$randomInt', '$processEnv', '$dotenv', '$random.uuid', '$random.integer', '$random.float', '$random.alphabetic', '$random.alphanumeric', '$random.hexadecimal', '$random.email']) {
      assert.ok(isSystemVariable(name), name);
    }
    for (const variable of SYSTEM_VARIABLES) assert.ok(variable.example.includes(variable.name), variable.name);
  });

  test('are found with or without `$` and with call arguments attached', () => {
    assert.equal(lookupSystemVariable('randomInt')?.name, '$randomInt');
    assert.equal(lookupSystemVariable('$random.integer(1, 10)')?.name, '$random.integer');
    assert.equal(lookupSystemVariable('$datetime iso8601')?.name, '$datetime');
    assert.equal(lookupSystemVariable(' $uuid ')?.name, '$uuid', 'surrounding blanks');
    assert.equal(isSystemVariable('$random'), false);
    assert.equal(isSystemVariable('$nope'), false);
  });

  test('document exactly the ones the engine evaluates', () => {
    assert.deepEqual(SYSTEM_VARIABLES.map((variable) => variable.name).sort(), [...systemVariableNames].sort());
  });

  test('snippets escape the dollar sign so editors insert it literally', () => {
    for (const variable of SYSTEM_VARIABLES) assert.ok(variable.snippet.startsWith('\\$'), variable.name);
  });
});
