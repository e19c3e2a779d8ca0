import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { noEnvironments } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { codeActions } from '../../../language/diagnosticsQuickFixes';
import { parse } from '../../../language/parser';
import { contextFor, testUri, textOf, type ContextOptions } from './featureContext';

/** Diagnostics with one code, as `[covered text, severity]`, so each case reads like the document. */
function found(text: string, code: Code, options: ContextOptions = {}): (readonly [string, DiagnosticSeverity | undefined])[] {
  const context = contextFor(text, options);
  return diagnose(context)
    .filter((diagnostic) => diagnostic.code === code)
    .map((diagnostic) => [textOf(context, diagnostic.range), diagnostic.severity] as const);
}

function only(text: string, code: Code, options: ContextOptions = {}): Diagnostic {
  const diagnostics = diagnose(contextFor(text, options)).filter((diagnostic) => diagnostic.code === code);
  assert.equal(diagnostics.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics)}`);
  const [diagnostic] = diagnostics;
  assert.ok(diagnostic);
  return diagnostic;
}

const { Error: error, Warning: warning, Information: information, Hint: hint } = DiagnosticSeverity;

describe('diagnose', () => {
  test('reports the parser problems with source courier', () => {
    const context = contextFor('GET https://example.com\nContent-Type application/json\n');
    const diagnostics = diagnose(context);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0]?.code, Code.HeaderMissingColon);
    assert.equal(diagnostics[0]?.source, 'courier');
    assert.equal(textOf(context, diagnostics[0].range).length > 0, true, 'range is not empty');
  });

  test('a clean document has no diagnostics', () => {
    const text = '@host = example.com\n\n### login\nPOST https://{{host}}/login\nContent-Type: application/json\n\n{"user": "{{user}}", "id": {{$randomInt 1 9}}}\n\n###\nGET https://{{host}}/me\nAuthorization: Bearer {{login.response.body.$.token}}\n';
    assert.deepEqual(diagnose(contextFor(text, { environment: { user: 'ann' } })), []);
  });

  describe('unknown method', () => {
    test('a misspelling is a warning with a suggestion', () => {
      const diagnostic = only('GTE https://example.com\n', Code.MethodUnknown);
      assert.equal(diagnostic.severity, warning);
      assert.deepEqual(diagnostic.data, { suggestion: 'GET' });
      assert.match(typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value, /Did you mean GET\?/);
    });
    test('an unrelated extension method is information only', () => {
      assert.deepEqual(found('FROBNICATE https://example.com\n', Code.MethodUnknown), [['FROBNICATE', information]]);
    });
    test('known methods and an implied GET pass', () => {
      assert.deepEqual(found('PROPFIND https://example.com\n\n###\nhttps://example.com\n', Code.MethodUnknown), []);
    });
  });

  describe('invalid URL', () => {
    test('after substituting known variables', () => {
      assert.deepEqual(found('@host = exa mple.com\nGET https://{{host}}/x\n', Code.UrlInvalid), [['https://{{host}}/x', error]]);
      assert.deepEqual(found('GET https://:80/x\n', Code.UrlInvalid), [['https://:80/x', error]]);
    });
    test('an unsupported scheme is reported at the scheme, saying what Courier sends', () => {
      assert.deepEqual(found('GET ftp://example.com/x\n', Code.UrlSchemeUnsupported), [['ftp', error]]);
      assert.deepEqual(found('GET ftp://example.com/x\n', Code.UrlInvalid), []);
      for (const scheme of ['ws', 'wss', 'WSS', 'grpc']) {
        const diagnostic = only(`GET ${scheme}://example.com/x\n`, Code.UrlSchemeUnsupported);
        assert.equal(diagnostic.severity, error);
        const message = typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
        assert.match(message, scheme === 'grpc' ? /it sends http and https URLs/ : /URLs open a WebSocket: write WEBSOCKET \(or WS\) instead of GET/);
        assert.equal(diagnostic.range.start.character, 4);
        assert.equal(diagnostic.range.end.character, 4 + scheme.length);
      }
      assert.deepEqual(found('GET https://example.com/x\n', Code.UrlSchemeUnsupported), []);
      for (const request of ['WEBSOCKET ws://example.com/x\n', 'WS wss://example.com/x\n', 'GRAPHQL wss://example.com/graphql\n\nsubscription { ticks }\n']) {
        assert.deepEqual(found(request, Code.UrlSchemeUnsupported), [], request);
      }
      assert.deepEqual(found('WEBSOCKET https://example.com/x\n', Code.UrlSchemeUnsupported), [], 'sent as wss');
    });
    test('variables defined through other variables are followed', () => {
      assert.deepEqual(found('@scheme = ftp\n@base = {{scheme}}://example.com\nGET {{base}}/y\n', Code.UrlSchemeUnsupported), [['{{base}}/y', error]]);
      assert.deepEqual(found('@base = wss://example.com\nGET {{base}}/y\n', Code.UrlSchemeUnsupported), [['{{base}}/y', error]]);
    });
    test('a variable defined through itself is not followed forever', () => {
      assert.deepEqual(found('@a = {{b}}\n@b = {{a}}\nGET https://{{a}}/x\n', Code.UrlInvalid), []);
    });
    test('skipped when a reference is unknown or dynamic', () => {
      assert.deepEqual(found('GET https://{{host}}/x\n', Code.UrlInvalid), []);
      assert.deepEqual(found('GET https://{{$uuid}}/x\n', Code.UrlInvalid), []);
    });
    test('valid forms pass, environment values included', () => {
      assert.deepEqual(found('GET {{base}}/x\n\n###\nGET localhost:3000/x\n\n###\nOPTIONS *\n', Code.UrlInvalid, { environment: { base: 'http://127.0.0.1:8080' } }), []);
    });
  });

  describe('origin-form target', () => {
    test('without a Host header', () => {
      assert.deepEqual(found('GET /users\nAccept: */*\n', Code.HostMissing), [['/users', warning]]);
    });
    test('with a Host header', () => {
      assert.deepEqual(found('GET /users\nHost: example.com\n', Code.HostMissing), []);
      assert.deepEqual(found('GET /users\nHost: example.com\n', Code.UrlInvalid), []);
    });
    test("with a host variable, as httpYac sends it: a file variable or an environment's", () => {
      assert.deepEqual(found('@host = https://api.example.com\n\nGET /users\n', Code.HostMissing), []);
      assert.deepEqual(found('GET /users\n', Code.HostMissing, { environment: { host: 'http://127.0.0.1:8080' } }), []);
      assert.match(JSON.stringify(found('GET /users\n', Code.HostMissing)), /users/, 'still reported without one');
    });
    test('the incremental pass re-checks a relative target when a host variable comes or goes', () => {
      const diagnostics = new IncrementalDiagnostics(parse);
      const codes = (text: string): string[] => diagnostics.diagnose(testUri, text, noEnvironments, { fileExists: () => true }).map((diagnostic) => String(diagnostic.code));
      const requests = 'GET /users\n\n###\nGET https://a.test/b\n';
      assert.deepEqual(codes(requests), [Code.HostMissing]);
      assert.deepEqual(codes(`${requests}\n###\n@host = https://api.test\n`), []);
      assert.deepEqual(codes(requests), [Code.HostMissing]);
    });
  });

  describe('Content-Length', () => {
    test('is a hint marked unnecessary', () => {
      const diagnostic = only('POST https://example.com\nContent-Length: 3\n\nabc\n', Code.ContentLengthComputed);
      assert.equal(diagnostic.severity, hint);
      assert.deepEqual(diagnostic.tags, [DiagnosticTag.Unnecessary]);
    });
    test('absent header, no hint', () => {
      assert.deepEqual(found('POST https://example.com\nContent-Type: text/plain\n\nabc\n', Code.ContentLengthComputed), []);
    });
  });

  describe('duplicate single-valued headers', () => {
    test('the repeat is flagged and related to the first', () => {
      const text = 'GET https://example.com\nAuthorization: a\nauthorization: b\n';
      const context = contextFor(text);
      const diagnostics = diagnose(context).filter((d) => d.code === Code.HeaderDuplicate);
      assert.equal(diagnostics.length, 1);
      assert.equal(textOf(context, diagnostics[0].range), 'authorization');
      const related = diagnostics[0]?.relatedInformation?.[0];
      assert.equal(related === undefined ? '' : textOf(context, related.location.range), 'Authorization');
    });
    test('list-valued headers may repeat', () => {
      assert.deepEqual(found('GET https://example.com\nAccept: a\nAccept: b\n', Code.HeaderDuplicate), []);
    });
  });

  describe('body on GET or HEAD', () => {
    test('is a warning over the body', () => {
      assert.deepEqual(found('GET https://example.com\n\nhello\n', Code.BodyOnGetOrHead), [['hello', warning]]);
      assert.deepEqual(found('HEAD https://example.com\n\nhello\n', Code.BodyOnGetOrHead), [['hello', warning]]);
    });
    test('POST may have one', () => {
      assert.deepEqual(found('POST https://example.com\n\nhello\n', Code.BodyOnGetOrHead), []);
    });
  });

  describe('invalid JSON body', () => {
    test('is reported at the JSON error', () => {
      const text = 'POST https://example.com\nContent-Type: application/json\n\n{\n  "a": 1,\n}\n';
      const diagnostic = only(text, Code.BodyInvalidJson);
      assert.equal(diagnostic.severity, warning);
      assert.deepEqual(diagnostic.range.start, { line: 5, character: 0 }, 'the } after the trailing comma');
    });
    test('+json media types count as JSON', () => {
      assert.equal(found('POST https://example.com\nContent-Type: application/problem+json; charset=utf-8\n\n{oops}\n', Code.BodyInvalidJson).length, 1);
    });
    test('references stand for values', () => {
      assert.deepEqual(found('POST https://example.com\nContent-Type: application/json\n\n{"id": {{id}}, "name": "{{name}}"}\n', Code.BodyInvalidJson), []);
    });
    test('the media type is read before any parameters, in any case', () => {
      const message = (contentType: string): string[] =>
        diagnose(contextFor(`POST https://example.com\nContent-Type: ${contentType}\n\n{oops}\n`))
          .filter((diagnostic) => diagnostic.code === Code.BodyInvalidJson)
          .map((diagnostic) => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value).replace(/\):.*/, ')'));
      for (const contentType of ['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8', 'Application/JSON', 'application/json ; x']) {
        assert.deepEqual(message(contentType), ['Invalid JSON body (Content-Type is application/json)'], contentType);
      }
      assert.deepEqual(message('application/json5'), [], 'another media type');
    });
    test('other content types are not checked', () => {
      assert.deepEqual(found('POST https://example.com\nContent-Type: text/plain\n\n{oops}\n', Code.BodyInvalidJson), []);
    });
  });

  describe('undefined variables', () => {
    test('an unknown variable is flagged at its name', () => {
      assert.deepEqual(found('GET https://example.com/{{id}}\n', Code.VariableUndefined), [['id', warning]]);
      assert.deepEqual(only('GET https://example.com/{{id}}\n', Code.VariableUndefined).data, { define: 'id' });
    });
    test('file variables anywhere, environment, prompts and system variables are defined', () => {
      const text = '# @prompt password\nPOST https://example.com/{{late}}/{{token}}\nX-Id: {{$uuid}}\n\n{{password}}\n\n###\n@late = x\n';
      assert.deepEqual(found(text, Code.VariableUndefined, { environment: { token: 't' } }), []);
    });
    test('a prompt covers only its own request', () => {
      assert.deepEqual(found('# @prompt password\nGET https://example.com\n\n###\nGET https://example.com/{{password}}\n', Code.VariableUndefined), [['password', warning]]);
    });
    test('an unknown system variable', () => {
      assert.deepEqual(found('GET https://example.com/{{$nonsense}}\n', Code.VariableUndefined), [['$nonsense', warning]]);
    });
  });

  describe('request references', () => {
    test('to a request that does not exist', () => {
      assert.deepEqual(found('GET https://example.com\nAuthorization: {{login.response.body.$.token}}\n', Code.RequestUndefined), [['login', warning]]);
    });
    test('to a request named by # @name or by its ### title', () => {
      const text = '# @name login\nPOST https://example.com/login\n\n### profile\nGET https://example.com/me\n\n###\nGET https://example.com/{{login.response.body.$.id}}/{{profile.response.headers.ETag}}\n';
      assert.deepEqual(found(text, Code.RequestUndefined), []);
    });
  });

  describe('directives', () => {
    test('an unknown directive is a hint with a suggestion', () => {
      const diagnostic = only('# @no-redirct\nGET https://example.com\n', Code.DirectiveUnknown);
      assert.equal(diagnostic.severity, hint);
      assert.deepEqual(diagnostic.data, { suggestion: 'no-redirect' });
    });
    test('known directives pass', () => {
      assert.deepEqual(found('# @name a\n# @no-redirect\n# @timeout 5\nGET https://example.com\n', Code.DirectiveUnknown), []);
    });
  });

  describe('multipart boundary', () => {
    test('missing boundary is an error on the value', () => {
      assert.deepEqual(found('POST https://example.com\nContent-Type: multipart/form-data\n\n--x\n', Code.MultipartNoBoundary), [['multipart/form-data', error]]);
    });
    test('with a boundary', () => {
      assert.deepEqual(found('POST https://example.com\nContent-Type: multipart/form-data; boundary=x\n\n--x\n\nv\n--x--\n', Code.MultipartNoBoundary), []);
    });
  });

  describe('missing files', () => {
    const text = 'POST https://example.com\nContent-Type: application/json\n\n< ./payload.json\n';
    test('a body file that does not exist', () => {
      assert.deepEqual(found(text, Code.FileMissing), [['./payload.json', warning]]);
      assert.deepEqual(found(text.replace('< ', '<@ '), Code.FileMissing), [['./payload.json', warning]]);
    });
    test('an existing file, or one named through a variable, passes', () => {
      assert.deepEqual(found(text, Code.FileMissing, { files: ['./payload.json'] }), []);
      assert.deepEqual(found('@dir = x\nPOST https://example.com\n\n< {{dir}}/a.json\n', Code.FileMissing), []);
    });
  });

});

describe('IncrementalDiagnostics', () => {
  const sample = [
    '@host = example.com',
    '',
    '### login',
    'POST https://{{host}}/login',
    'Content-Type: application/json',
    '',
    '{"user": "{{user}}",}',
    '',
    '###',
    'GTE https://{{host}}/{{login.response.body.$.id}}',
    'Authorization: a',
    'Authorization: b',
    '',
    '###',
    '# @no-redirct',
    'GET /x',
    'Broken header',
    '',
  ].join('\n');

  function incremental(): { readonly diagnostics: IncrementalDiagnostics; readonly parsed: string[] } {
    const parsed: string[] = [];
    const diagnostics = new IncrementalDiagnostics((text) => {
      parsed.push(text);
      return parse(text);
    });
    return { diagnostics, parsed };
  }

  test('gives the same diagnostics as a whole-document pass, edit after edit', () => {
    const { diagnostics } = incremental();
    const host = { fileExists: () => false };
    const edits: ((text: string) => string)[] = [
      (text) => text,
      (text) => text.replace('GTE', 'GET'),
      (text) => text.replace('@host = example.com', '@hots = example.com'),
      (text) => text.replace('### login', '# @name login\n###'),
      (text) => `\n\n${text}`,
      (text) => text.replaceAll('\n', '\r\n'),
      (text) => text.replace('###', ''),
      () => '',
    ];
    let text = sample;
    for (const [index, edit] of edits.entries()) {
      text = edit(text);
      const expected = diagnose({ ...contextFor(text), host });
      assert.deepEqual(diagnostics.diagnose(testUri, text, noEnvironments, host), expected, `after edit ${index}`);
    }
  });

  test('after an edit only the chunk around it is parsed again', () => {
    const { diagnostics, parsed } = incremental();
    const host = { fileExists: () => true };
    const blocks = Array.from({ length: 300 }, (_, index) => `### request ${index}\nGET https://example.com/${index}\nAccept: */*\n`);
    const text = blocks.join('\n');
    diagnostics.diagnose(testUri, text, noEnvironments, host);
    assert.equal(parsed.join(''), text, 'the first pass parses every block once');
    assert.ok(parsed.length > 10, `blocks are grouped into chunks, yet not all in one (${parsed.length} chunks)`);
    parsed.length = 0;
    const edited = text.replace('Accept: */*\n\n### request 150', 'Accept */*\n\n### request 150');
    const result = diagnostics.diagnose(testUri, edited, noEnvironments, host);
    assert.equal(parsed.length, 1, 'one chunk parsed again');
    assert.ok(parsed[0]?.includes('GET https://example.com/149\nAccept */*'), 'the edited one');
    assert.ok((parsed[0]?.length ?? 0) < text.length / 5, 'a small part of the document');
    assert.deepEqual(result.map((d) => [d.code, d.range.start.line]), [[Code.HeaderMissingColon, 149 * 4 + 2]]);
  });

  test('a first pass over a whole parse agrees with the chunked one, and prepare makes the chunks for the next', () => {
    const host = { fileExists: () => true };
    const blocks = Array.from({ length: 300 }, (_, index) => `### request ${index}\nGET https://example.com/${index}\nAccept: */*\n`);
    const text = blocks.join('\n').replace('Accept: */*\n\n### request 20', 'Accept */*\n\n### request 20');
    const edited = text.replace('Accept: */*\n\n### request 150', 'Accept */*\n\n### request 150');
    for (const prepared of [true, false]) {
      const { diagnostics, parsed } = incremental();
      const first = diagnostics.diagnoseParsed({ ...contextFor(text), host });
      assert.deepEqual(first, diagnose({ ...contextFor(text), host }));
      assert.equal(first.length, 1, 'not vacuous: the first pass reports the broken header');
      assert.equal(parsed.length, 0, 'the first pass parses nothing of its own');
      if (prepared) {
        diagnostics.prepare();
        assert.equal(parsed.join(''), text, 'prepare parses every chunk once');
        parsed.length = 0;
        diagnostics.prepare();
        assert.equal(parsed.length, 0, 'a second prepare has nothing to do');
      }
      const result = diagnostics.diagnose(testUri, edited, noEnvironments, host);
      assert.deepEqual(result, diagnose({ ...contextFor(edited), host }), `prepared: ${prepared}`);
      if (prepared) assert.equal(parsed.length, 1, 'after prepare, an edit parses one chunk');
      else assert.equal(parsed.join(''), edited, 'without prepare, the pass after the edit makes every chunk');
    }
  });

  test('diagnostics placed by the first pass stay right as chunks move and names change meaning', () => {
    const { diagnostics, parsed } = incremental();
    const host = { fileExists: (_uri: string, name: string) => !name.includes('missing') };
    // Problems in every chunk, with related information and missing files, so every line is checked.
    const blocks = Array.from(
      { length: 200 },
      (_, index) => `### request ${index}\nGET https://{{host}}/{{id${index % 7}}}\nAccept: a\nAccept: b\n\n< ./missing-${index}.json\n`,
    );
    let text = `@host = example.com\n@id3 = 3\n\n${blocks.join('\n')}`;
    const edits: ((text: string) => string)[] = [
      (text) => text, // the first pass
      (text) => text.replace('@id3 = 3', '@id4 = 4'), // names change meaning: signatures from the first pass's scope
      (text) => `\n\n\n${text}`, // every chunk moves down
      (text) => text.slice(2), // and back up, by less
      (text) => text.replace('### request 120', 'GTE /x\n### request 120'), // one chunk parsed again, those after it move
      (text) => text.replace('@host = example.com', ''), // names change meaning again
    ];
    for (const [index, edit] of edits.entries()) {
      text = edit(text);
      const expected = diagnose({ ...contextFor(text), host });
      assert.ok(expected.length > 400, `problems in every chunk (${expected.length})`);
      assert.deepEqual(diagnostics.diagnose(testUri, text, noEnvironments, host), expected, `after edit ${index}`);
    }
    assert.ok(parsed.length > 20, `several chunks (${parsed.length} parses)`);
  });

  test('a new definition in another block re-checks the others', () => {
    const { diagnostics } = incremental();
    const host = { fileExists: () => true };
    const text = 'GET https://example.com/{{id}}\n\n###\nGET https://example.com\n';
    assert.equal(diagnostics.diagnose(testUri, text, noEnvironments, host).filter((d) => d.code === Code.VariableUndefined).length, 1);
    assert.equal(diagnostics.diagnose(testUri, `${text}\n###\n@id = 1\n`, noEnvironments, host).filter((d) => d.code === Code.VariableUndefined).length, 0);
  });
});

describe('codeActions', () => {
  function apply(text: string, edits: readonly TextEdit[]): string {
    const context = contextFor(text);
    let result = text;
    for (const edit of [...edits].reverse()) {
      const start = textOf(context, { start: { line: 0, character: 0 }, end: edit.range.start }).length;
      const end = textOf(context, { start: { line: 0, character: 0 }, end: edit.range.end }).length;
      result = result.slice(0, start) + edit.newText + result.slice(end);
    }
    return result;
  }

  function fix(text: string): { readonly title: string; readonly result: string }[] {
    const context = contextFor(text);
    const diagnostics = diagnose(context);
    return codeActions(context, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diagnostics).map((action) => ({
      title: action.title,
      result: apply(text, action.edit?.changes?.[context.uri] ?? []),
    }));
  }

  test('replaces a misspelled method', () => {
    assert.deepEqual(fix('GTE https://example.com\n'), [{ title: "Change to 'GET'", result: 'GET https://example.com\n' }]);
  });

  test('replaces a misspelled directive', () => {
    assert.deepEqual(fix('# @no-redirct\nGET https://example.com\n'), [{ title: "Change to 'no-redirect'", result: '# @no-redirect\nGET https://example.com\n' }]);
  });

  test('removes a needless Content-Length', () => {
    assert.deepEqual(fix('POST https://example.com\nContent-Length: 3\nContent-Type: text/plain\n\nabc\n'), [
      { title: 'Remove Content-Length header', result: 'POST https://example.com\nContent-Type: text/plain\n\nabc\n' },
    ]);
  });

  test('defines an undefined variable at the top of the file', () => {
    assert.deepEqual(fix('GET https://example.com/{{id}}\n'), [{ title: 'Define @id at the top of this file', result: '@id = \nGET https://example.com/{{id}}\n' }]);
  });

  test("adds the body's boundary to a multipart Content-Type", () => {
    const text = 'POST https://example.com\nContent-Type: multipart/form-data\n\n--abc\nContent-Disposition: form-data; name="a"\n\n1\n--abc--\n';
    assert.deepEqual(fix(text), [{ title: "Change to 'multipart/form-data; boundary=abc'", result: text.replace('multipart/form-data\n', 'multipart/form-data; boundary=abc\n') }]);
  });

  test('offers nothing without a fixable diagnostic', () => {
    assert.deepEqual(fix('FROBNICATE https://example.com\n'), []);
  });
});
