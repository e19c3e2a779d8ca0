import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isTextBody, previewBody } from '../../../cli/bodyPreview';
import type { ResponseBody } from '../../../engine/model';

function body(bytes: Uint8Array, contentType: string | undefined, size = bytes.length, charset = 'utf-8'): ResponseBody {
  return { size, encodedSize: size, prefix: bytes, file: size > bytes.length ? '/tmp/spilled' : undefined, contentType, charset };
}
const utf8 = (text: string) => new TextEncoder().encode(text);

test('text types by content type, binary ones summarised', () => {
  assert.equal(isTextBody(body(utf8('{}'), 'application/vnd.api+json')), true);
  assert.equal(isTextBody(body(utf8('<a/>'), 'application/atom+xml')), true);
  assert.equal(isTextBody(body(utf8('x'), 'image/png')), false);
  assert.match(previewBody(body(Uint8Array.from([0x89, 0x50, 0, 1]), 'image/png')), /^\[binary body: 4 B, image\/png; save it with --output FILE\]$/);
});

test('without a content type, NUL bytes mean binary', () => {
  assert.equal(isTextBody(body(utf8('plain'), undefined)), true);
  assert.equal(isTextBody(body(Uint8Array.from([1, 0, 2]), undefined)), false);
});

test('large bodies are cut with a note, never splitting a character', () => {
  const text = 'é'.repeat(10); // 20 bytes
  const preview = previewBody(body(utf8(text), 'text/plain', 5000), 5);
  assert.equal(preview.split('\n')[0], 'éé');
  assert.match(preview, /showing the first 5 B of 4\.9 KiB; save the whole body with --output FILE/);
});

test('an unknown charset falls back to UTF-8 instead of failing', () => {
  assert.equal(previewBody(body(utf8('ok'), 'text/plain', 2, 'x-no-such-charset')), 'ok');
});

test('an empty body previews as nothing', () => {
  assert.equal(previewBody(body(new Uint8Array(), 'text/plain')), '');
});
