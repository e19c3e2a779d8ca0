import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { extensionForMimeType, fileNameFromContentDisposition, sanitizeFileName, suggestedFileName, suggestedFileNameFor } from '../../../engine/bodyFileName';
import type { Exchange } from '../../../engine/model';
import { responseExchange } from '../cli/exchangeFixtures';

describe('Content-Disposition file names (RFC 6266)', () => {
  test('reads token and quoted file names, with escapes', () => {
    assert.equal(fileNameFromContentDisposition('attachment; filename=report.pdf'), 'report.pdf');
    assert.equal(fileNameFromContentDisposition('attachment; filename="my \\"best\\" file.txt"'), 'my "best" file.txt');
    assert.equal(fileNameFromContentDisposition('attachment; filename="a;b.txt"'), 'a;b.txt');
    assert.equal(fileNameFromContentDisposition('inline'), undefined);
  });

  test('prefers filename* (RFC 8187) over filename, in either order', () => {
    assert.equal(fileNameFromContentDisposition("attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates"), '€ rates');
    assert.equal(fileNameFromContentDisposition("attachment; filename*=UTF-8'en'%C3%A9t%C3%A9.csv; filename=ete.csv"), 'été.csv');
    assert.equal(fileNameFromContentDisposition("attachment; filename*=iso-8859-1''%E9t%E9.txt"), 'été.txt');
  });

  test('falls back to filename when filename* is malformed or in an unknown charset', () => {
    assert.equal(fileNameFromContentDisposition("attachment; filename*=UTF-8''%ff%fe; filename=plain.txt"), 'plain.txt');
    assert.equal(fileNameFromContentDisposition("attachment; filename*=x-unknown''abc; filename=plain.txt"), 'plain.txt');
  });

  test('sanitises names: no directories, reserved characters or leading dots', () => {
    assert.equal(sanitizeFileName('../../etc/passwd'), 'passwd');
    assert.equal(sanitizeFileName('C:\\Windows\\evil.bat'), 'evil.bat');
    assert.equal(sanitizeFileName('a<b>:c|d?.txt'), 'a_b__c_d_.txt');
    assert.equal(sanitizeFileName('.hidden'), 'hidden');
  });
});

describe('file names from MIME types', () => {
  test('maps MIME types to their usual extension', () => {
    assert.equal(extensionForMimeType('application/json; charset=utf-8'), 'json');
    assert.equal(extensionForMimeType('image/jpeg'), 'jpg');
    assert.equal(extensionForMimeType('text/plain'), 'txt');
    assert.equal(extensionForMimeType('application/problem+json'), 'json');
    assert.equal(extensionForMimeType('application/vnd.courier.custom+xml'), 'xml');
    assert.equal(extensionForMimeType('application/x-unheard-of'), undefined);
  });

  test('suggests the header name, else the URL segment or "response" with the extension', () => {
    assert.equal(suggestedFileName('attachment; filename="../x.zip"', 'application/zip', 'http://h/a'), 'x.zip');
    assert.equal(suggestedFileName(undefined, 'application/json', 'http://h/api/users?page=2'), 'users.json');
    assert.equal(suggestedFileName(undefined, 'application/json', 'http://h/data.php'), 'data.json');
    assert.equal(suggestedFileName(undefined, 'text/csv', 'http://h/report.csv'), 'report.csv');
    assert.equal(suggestedFileName(undefined, 'image/png', 'http://h/'), 'response.png');
    assert.equal(suggestedFileName(undefined, undefined, 'not a url'), 'response');
  });

  test('an exchange is named from its Content-Disposition header, in any case, before its URL', () => {
    const plain = responseExchange({ url: 'http://h/api/export?id=7', contentType: 'application/pdf' });
    assert.equal(suggestedFileNameFor(plain), 'export.pdf');
    const response = plain.response;
    assert.ok(response !== undefined);
    const withDisposition: Exchange = { ...plain, response: { ...response, headers: [...response.headers, ['Content-Disposition', "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''Q3%20report.pdf"]] } };
    assert.equal(suggestedFileNameFor(withDisposition), 'Q3 report.pdf');
  });
});
