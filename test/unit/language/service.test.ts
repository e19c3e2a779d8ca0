import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { noEnvironments, type EnvironmentSnapshot } from '../../../language/context';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
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
