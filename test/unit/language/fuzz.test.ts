// Property tests: whatever the user types, the parser returns a well-formed tree.
// Documents are built from grammar fragments (so they reach deep parser states),
// sprinkled with random characters, then mutated (cut, duplicated, spliced).

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { parse } from '../../../language/parser';
import { allReferences } from '../../../language/positions';
import { scanReferences } from '../../../language/references';
import type { HttpDocument } from '../../../language/syntax';

const fragments = [
  '###', '### Title', '####', '# comment', '// comment', '# @name login', '// @no-redirect', '# @prompt otp code', '#@name=x', '# @',
  '@host = example.com', '@url = https://{{host}}', '@ = 1', '@bad value', '@',
  'GET https://{{host}}/users HTTP/1.1', 'POST /upload', 'GRAPHQL /graphql', 'OPTIONS *', 'localhost:3000/x', 'GET', 'GET HTTP/2', 'PROPFIND /dav',
  '    ?page=1', '    &size={{size}}', '  /more', '\t&x=1 HTTP/1.1',
  'Content-Type: application/json', 'Content-Type: multipart/form-data; boundary="b1"', 'Content-Type: multipart/mixed; boundary=b1',
  'X-Request-Type: GraphQL', 'Authorization: Bearer {{token}}', ': empty', 'Bad Name: x', 'no colon here', '  continued value',
  '', '', '', '{', '  "id": "{{$uuid}}",', '  "n": {{$randomInt 1 10}}', '}', '<root>{{x}}</root>', 'query Q($id: ID!) { a }', 'mutation M { b }',
  '--b1', '--b1--', 'Content-Disposition: form-data; name="f"', '< ./file.json', '<@ ./tpl.txt', '< ', '<@',
  '> {% client.global.set("a", 1); %}', '> {%', '< {%', '< {% request.variables.set("a", 1) %}', 'client.log(1)', '%}', '> ./handler.js', '> note this', '>> out.json', '>>! out.json', '<> old.json',
  'HTTP/1.1 200 OK', '{{', '}}', '{{ }}', '{{login.response.body.$.id}}', '{{a.request.headers.X}}', '{{$random.alphabetic(10)}}', '{{ unterminated',
  'ünïcødé 🚀', '\u0000', '\uFEFF',
];

const lineBreak = fc.constantFrom('\n', '\r\n', '\r');
const randomText = fc.string({ unit: fc.constantFrom('#', '@', '{', '}', '%', '<', '>', ':', '/', '-', ' ', '\t', '\n', '\r', 'a', '=', '"', '?', '&', 'H', '$', '.'), maxLength: 12 });
const fullUnicode = fc.string({ unit: 'binary', maxLength: 8 });
const line = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom(...fragments) },
  { weight: 1, arbitrary: randomText },
  { weight: 1, arbitrary: fullUnicode },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...fragments), randomText).map(([fragment, noise]) => fragment + noise) },
);
const generatedDocument = fc
  .array(fc.tuple(line, lineBreak), { maxLength: 40 })
  .map((lines) => lines.map(([text, ending]) => text + ending).join(''));

const sample = [
  '### Login', '# @name login', 'POST https://{{host}}/login', 'Content-Type: application/json', '', '{"user": "{{user}}"}', '',
  '> {% client.global.set("token", response.body.token); %}', '', '###', 'GET {{host}}/me', '    ?expand=1', 'Authorization: Bearer {{login.response.body.$.token}}',
].join('\n');

/** A document, then cut, duplicated or spliced with noise at random places. */
const mutatedDocument = fc
  .tuple(fc.oneof(generatedDocument, fc.constant(sample)), fc.array(fc.tuple(fc.nat(), fc.nat(8), randomText), { maxLength: 5 }))
  .map(([text, mutations]) => {
    let result = text;
    for (const [position, deleteCount, insert] of mutations) {
      const at = result.length === 0 ? 0 : position % (result.length + 1);
      result = result.slice(0, at) + insert + result.slice(at + deleteCount);
    }
    return result;
  });

/** Every object in the tree with numeric `start` and `end`, with where it was found. */
function* spans(value: unknown, path: string): Generator<{ start: number; end: number; path: string }> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) yield* spans(value[index], `${path}[${index}]`);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.start === 'number' && typeof record.end === 'number') yield { start: record.start, end: record.end, path };
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'text') yield* spans(child, `${path}.${key}`);
  }
}

/** Every template in the tree: objects with a span and a `references` array. */
function* templates(value: unknown): Generator<{ start: number; end: number; references: readonly { start: number; end: number }[] }> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) yield* templates(item);
    return;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.start === 'number' && typeof record.end === 'number' && Array.isArray(record.references)) {
    yield record as { start: number; end: number; references: readonly { start: number; end: number }[] };
  }
  for (const [key, child] of Object.entries(record)) {
    if (key !== 'text' && key !== 'references') yield* templates(child);
  }
}

/** The parser finds references with shortcuts; a plain bounded scan of each template's range must agree. */
function assertReferencesMatchPlainScan(text: string, document: HttpDocument): void {
  for (const template of templates(document)) {
    const expected = scanReferences(text, template.start, template.end, []).map(({ start, end }) => [start, end]);
    assert.deepEqual(template.references.map(({ start, end }) => [start, end]), expected, `references in [${template.start}, ${template.end})`);
  }
}

function assertWellFormed(text: string, document: HttpDocument): void {
  assert.equal(document.text, text);
  for (const { start, end, path } of spans(document, 'document')) {
    assert.ok(Number.isInteger(start) && Number.isInteger(end), `${path}: integer offsets`);
    assert.ok(start >= 0 && start <= end && end <= text.length, `${path}: [${start}, ${end}) within [0, ${text.length}]`);
  }
  // Blocks cover the text in order, without gaps or overlaps.
  assert.equal(document.blocks[0].start, 0);
  assert.equal(document.blocks[document.blocks.length - 1].end, text.length);
  for (let index = 1; index < document.blocks.length; index++) assert.equal(document.blocks[index].start, document.blocks[index - 1].end);
  for (let index = 1; index < document.problems.length; index++) assert.ok(document.problems[index - 1].start <= document.problems[index].start, 'problems are sorted');
  for (const request of document.requests) {
    if (request.method !== undefined) assert.equal(text.slice(request.method.start, request.method.end), request.method.text);
    for (const header of request.headers) assert.equal(text.slice(header.name.start, header.name.end), header.name.text);
  }
  for (const reference of allReferences(document)) {
    assert.ok(text.startsWith('{{', reference.start), 'a reference starts with {{');
    assert.ok(!/[\r\n]/.test(text.slice(reference.start, reference.end)), 'a reference stays on one line');
  }
}

test('random and mutated documents parse into well-formed trees, deterministically', () => {
  fc.assert(
    fc.property(fc.oneof(generatedDocument, mutatedDocument), (text) => {
      const document = parse(text);
      assertWellFormed(text, document);
      assertReferencesMatchPlainScan(text, document);
      assert.deepEqual(parse(text), document);
    }),
    { numRuns: 1500 },
  );
});

test('arbitrary strings never make the parser throw', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
      assertWellFormed(text, parse(text));
    }),
    { numRuns: 500 },
  );
});
