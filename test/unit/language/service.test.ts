import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import type { TextEdit } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { noEnvironments, type EnvironmentSnapshot } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';
import { createLanguageService, type LanguageServiceHost, type TextDocumentLike } from '../../../language/service';

function documentOf(text: string, version = 1, uri = 'file:///w/a.http'): TextDocumentLike & { reads: number } {
  const document = {
    uri,
    version,
    reads: 0,
    getText(): string {
      document.reads++;
      return text;
    },
  };
  return document;
}

function hostWith(environments: EnvironmentSnapshot = noEnvironments): LanguageServiceHost {
  return { fileExists: () => true, environments: () => environments };
}

describe('createLanguageService', () => {
  test('returns a frozen facade', () => {
    const service = createLanguageService(hostWith());
    assert.equal(Object.isFrozen(service), true);
  });

  test('parses once per uri and version', () => {
    const service = createLanguageService(hostWith());
    const document = documentOf('GET https://example.com\n');
    const first = service.parse(document);
    service.codeLenses(document);
    service.documentSymbols(document);
    assert.equal(service.parse(document), first, 'same tree for the same version');
    assert.equal(document.reads, 1, 'text read once');
    const edited = documentOf('POST https://example.com\n', 2);
    assert.notEqual(service.parse(edited), first, 'a new version is parsed again');
    service.forget(edited.uri);
    const again = documentOf('POST https://example.com\n', 2);
    service.parse(again);
    assert.equal(again.reads, 1, 'forgotten documents are parsed afresh');
  });

  test('diagnostics use the host environments', () => {
    const text = 'GET https://example.com/{{token}}\n';
    const undefinedHere = createLanguageService(hostWith()).diagnose(documentOf(text));
    assert.deepEqual(undefinedHere.map((d) => d.code), [Code.VariableUndefined]);
    const file = parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: '{"dev": {"token": "t"}}' });
    const defined = createLanguageService(hostWith(buildEnvironmentSnapshot([file], 'dev'))).diagnose(documentOf(text));
    assert.deepEqual(defined, []);
  });

  test('features answer at LSP positions', () => {
    const service = createLanguageService(hostWith());
    const document = documentOf('@host = example.com\n\n# @name login\nGET https://{{host}}/x\nAcc');
    assert.deepEqual(service.definition(document, { line: 3, character: 15 }).map((l) => l.range.start), [{ line: 0, character: 1 }]);
    assert.ok(service.complete(document, { line: 4, character: 3 }).items.some((item) => item.label === 'Accept'), 'header completion');
    assert.notEqual(service.hover(document, { line: 3, character: 1 }), null, 'hover on the method');
    assert.equal(service.documentSymbols(document)[0]?.name, 'login');
    assert.equal(service.codeLenses(document).length, 1);
    assert.ok(Array.isArray(service.foldingRanges(document)));
    assert.ok(Array.isArray(service.format(document)));
  });

  test('requestAt names the request whose block holds the position', () => {
    const service = createLanguageService(hostWith());
    const document = documentOf('# @name first\nGET https://example.com/1\n\n###\n\nPOST https://example.com/2\nA: b\n');
    assert.deepEqual(service.requestAt(document, { line: 0, character: 0 }), { uri: document.uri, line: 1, name: 'first', method: 'GET', target: 'https://example.com/1' });
    assert.deepEqual(service.requestAt(document, { line: 6, character: 2 }), { uri: document.uri, line: 5, name: undefined, method: 'POST', target: 'https://example.com/2' });
    assert.equal(service.requestAt(documentOf('# notes only\n', 1, 'file:///w/notes.http'), { line: 0, character: 0 }), undefined);
  });
});

describe('on any document', () => {
  const fragments = [
    '###', '### Title', '# @name login', '# @prompt otp', '// @no-redirct', '@host = example.com', '@url = https://{{host}}', '@ = 1',
    'GET https://{{host}}/users HTTP/1.1', 'POST /upload', 'GTE  http://x', 'OPTIONS *', 'localhost:3000/x', 'GET', '    ?page=1', '    &size={{size}}',
    'Content-Type: application/json', 'Content-Type:multipart/form-data', 'Content-Length: 3', 'Host: example.com', 'Authorization: a', 'authorization : b',
    'no colon here', '  continued value', '', '', '{', '  "id": {{id}},', '  "n": 1,', '}', '--b1', '< ./file.json', '<@ {{dir}}/t.txt',
    '> {% client.log(1) %}', '> {%', '%}', '> ./handler.js', '>> out.json', 'HTTP/1.1 200 OK', '{{', '{{ }}', '{{login.response.body.$.id}}', '{{$uuid}}', '{{$nope}}',
    'ünïcødé 🚀', '\t', 'GET http://exa mple.com',
  ];
  const line = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...fragments) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) });
  const documentText = fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n', '  \n')), { maxLength: 30 }).map((lines) => lines.map(([text, end]) => text + end).join(''));

  const host: LanguageServiceHost = { fileExists: (_uri, path) => path.length % 2 === 0, environments: () => noEnvironments };

  test('no feature throws, at any position', () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), (text, offsets) => {
        const service = createLanguageService(host);
        const document = documentOf(text);
        service.diagnose(document);
        service.documentSymbols(document);
        service.foldingRanges(document);
        service.codeLenses(document);
        service.format(document);
        const lines = text.split(/\r\n|\r|\n/);
        for (const offset of offsets) {
          const line = offset % lines.length;
          const position = { line, character: offset % ((lines[line]?.length ?? 0) + 1) };
          service.complete(document, position);
          service.hover(document, position);
          service.definition(document, position);
          service.references(document, position, true);
          service.prepareRename(document, position);
          service.rename(document, position, 'renamed');
          service.requestAt(document, position);
          service.codeActions(document, { start: position, end: position }, service.diagnose(document));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('formatting is idempotent', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const service = createLanguageService(host);
        const once = applyEdits(text, service.format(documentOf(text)));
        assert.deepEqual(service.format(documentOf(once, 2)), [], `second format changes ${JSON.stringify(once)}`);
      }),
      { numRuns: 300 },
    );
  });

  test('the service diagnoses a new document from a whole parse, then incrementally, always as a whole-document pass does', () => {
    fc.assert(
      fc.property(documentText, fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', 'x', '\n', '###\n', '{{', '@a = 1\n', ':')), { maxLength: 4 }), (text, prepare, edits) => {
        const service = createLanguageService(host);
        let current = text;
        let version = 1;
        for (const [position, deleteCount, insert] of [[0, 0, ''] as const, ...edits]) {
          const at = position % (current.length + 1);
          current = current.slice(0, at) + insert + current.slice(at + deleteCount);
          const expected = diagnose({ uri: 'file:///w/a.http', document: parse(current), environments: noEnvironments, host });
          const snapshot = current;
          assert.deepEqual(service.diagnose({ uri: 'file:///w/a.http', version: version++, getText: () => snapshot }), expected, JSON.stringify(current));
          if (prepare) service.prepareIncremental('file:///w/a.http');
        }
      }),
      { numRuns: 200 },
    );
  });

  test('incremental diagnostics equal a whole-document pass after random edits', () => {
    fc.assert(
      fc.property(documentText, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom('', 'x', '\n', '###\n', '{{', '@a = 1\n', ':')), { maxLength: 6 }), (text, edits) => {
        const incremental = new IncrementalDiagnostics(parse);
        let current = text;
        for (const [position, deleteCount, insert] of [[0, 0, ''] as const, ...edits]) {
          const at = position % (current.length + 1);
          current = current.slice(0, at) + insert + current.slice(at + deleteCount);
          const expected = diagnose({ uri: 'file:///w/a.http', document: parse(current), environments: noEnvironments, host });
          assert.deepEqual(incremental.diagnose('file:///w/a.http', current, noEnvironments, host), expected, JSON.stringify(current));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Applies LSP edits to `text` (positions resolved against the original text). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const document = parse(text);
  const resolved = edits.map((edit) => ({ start: positionToOffset(document, edit.range.start), end: positionToOffset(document, edit.range.end), text: edit.newText }));
  resolved.sort((a, b) => b.start - a.start);
  let result = text;
  for (const edit of resolved) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
