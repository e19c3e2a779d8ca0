// `plainHttpHref` skips URL parsing for plain http(s) URLs: whenever it answers, its answer must be
// what parsing gives, and it must answer for the URLs most requests have.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { encodeOnce, plainHttpHref } from '../../../engine/prepare';

/** What preparing a URL without the shortcut gives: encoded once, parsed, serialised. */
function parsedHref(url: string): string | undefined {
  try {
    return new URL(encodeOnce(url)).href;
  } catch {
    return undefined;
  }
}

const schemes = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('http://', 'https://') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP://', 'Https://', 'ftp://', 'http:/', 'http:', '') },
);
const authorities = fc.constantFrom(
  'example.com', 'EXAMPLE.Com', 'api.test:80', 'api.test:443', 'api.test:8080', 'api.test:', 'api.test:99999', '127.1', '0x7f.0.0.1', '[::1]', '[::1]:3000',
  'user:pass@host', '@host', 'h%41st', 'h%zz', 'ex ample.com', 'bücher.de', 'xn--bcher-kva.de', 'a..b', '', 'host.', 'h:p',
);
// Characters that need no encoding, with the dot segments and apostrophes that parsing still changes.
const safePieces = [
  '/', '/', '/', 'a', 'items', '42', '.', '..', '%2e', '%2E', '%2f', '%7e', "'", '[', ']', '?', '?', '&', '=', ';', ':', '@',
  '!', '$', '(', ')', '*', '+', ',', '~', '-', '_', '.well-known', 'A',
];
// Characters that encoding or parsing changes.
const unsafePieces = ['%zz', '%', '"', '#', ' ', '\t', 'ü', '😀', '\\', '|', '^', '`', '{', '}', '<', '>'];
const pieces = fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...safePieces) }, { weight: 1, arbitrary: fc.constantFrom(...unsafePieces) });

const pathStarts = fc.constantFrom('/', '/', '/', '/', '', '?');

const urls = fc
  .tuple(schemes, authorities, pathStarts, fc.array(pieces, { maxLength: 12 }))
  .map(([scheme, authority, pathStart, rest]) => scheme + authority + pathStart + rest.join(''));

describe('plain http(s) URLs skip parsing', () => {
  test('whenever the shortcut answers, it answers what parsing gives', () => {
    let answered = 0;
    fc.assert(
      fc.property(urls, (url) => {
        const plain = plainHttpHref(url);
        if (plain === undefined) return;
        answered++;
        assert.equal(plain, parsedHref(url), url);
      }),
      { numRuns: 20_000 },
    );
    // Not vacuous: a good share of the generated URLs take the shortcut.
    assert.ok(answered > 4_000, `only ${answered} of 20000 took the shortcut`);
  });

  test('typical URLs take the shortcut, with the origin normalised as parsing does', () => {
    const cases: [string, string][] = [
      ['http://127.0.0.1:45678/v1/items/7?page=3', 'http://127.0.0.1:45678/v1/items/7?page=3'],
      ['https://api.test/users/42?expand=owner&sort=desc', 'https://api.test/users/42?expand=owner&sort=desc'],
      ['https://API.Test:443/a%20b/%C3%BC', 'https://api.test/a%20b/%C3%BC'],
      ['http://localhost:80/', 'http://localhost/'],
      ['http://user:secret@127.1:8080/x;y=z/[0]', 'http://user:secret@127.0.0.1:8080/x;y=z/[0]'],
      ['https://api.test/search?q=a/../b&x=./y', 'https://api.test/search?q=a/../b&x=./y'],
    ];
    for (const [url, href] of cases) {
      assert.equal(plainHttpHref(url), href, url);
      assert.equal(parsedHref(url), href, url);
    }
  });

  test('URLs that parsing would change beyond the origin are left to it', () => {
    const parsed = [
      'https://api.test/a/./b', 'https://api.test/a/../b', 'https://api.test/a/%2e%2E/b', 'https://api.test/x?q=\'quoted\'', 'https://api.test/x#fragment',
      'https://api.test/a b', 'https://api.test/ü', 'https://api.test/100%', 'https://api.test/a\\b', 'https://api.test', 'https://api.test?q=1',
      'HTTPS://api.test/', 'ftp://api.test/', 'http:///x', 'http://bad host/', 'http://api.test:99999/',
    ];
    for (const url of parsed) assert.equal(plainHttpHref(url), undefined, url);
  });
});
