// Syntax of other tools' `.http` files (issue 14): each rule is checked where it is parsed (spans),
// diagnosed (no error where the defining tool accepts it), formatted (kept as written) and sent
// (what reaches a recording server).
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DiagnosticSeverity, Range } from 'vscode-languageserver-types';
import { Runner } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { Code } from '../../../language/codes';
import { complete } from '../../../language/completion';
import { diagnose } from '../../../language/diagnostics';
import { formatDocument } from '../../../language/formatting';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import type { HttpDocument, Span } from '../../../language/syntax';
import { httpServer, readBody, type Running } from '../engine/localServer';
import { testSandbox } from '../engine/scripts/sandboxHarness';
import { contextFor, textOf } from './featureContext';

function slice(document: HttpDocument, span: Span | undefined): string | undefined {
  return span === undefined ? undefined : document.text.slice(span.start, span.end);
}

/** Each request as `METHOD target`, with its body when it has one. */
function requestsOf(text: string): string[] {
  const document = parse(text);
  return document.requests.map((request) => {
    const line = `${request.method?.text ?? ''} ${request.target.text}`.trim();
    return request.body === undefined ? line : `${line} <${slice(document, request.body)}>`;
  });
}

/** Diagnostics as `[covered text, code, severity]`. */
function diagnosticsOf(text: string): [string, string, DiagnosticSeverity | undefined][] {
  const context = contextFor(text, { environment: { host: 'http://localhost' } });
  return diagnose(context).map((diagnostic) => [textOf(context, diagnostic.range), String(diagnostic.code), diagnostic.severity]);
}

const errorLevel = DiagnosticSeverity.Error;
const warningLevel = DiagnosticSeverity.Warning;
/** Codes as diagnostics carry them, for the checks these tests leave aside (no host in a relative target, files not on disk). */
const hostMissing: string = Code.HostMissing;
const fileMissing: string = Code.FileMissing;

function errorsOf(text: string): [string, string, DiagnosticSeverity | undefined][] {
  return diagnosticsOf(text).filter(([, , severity]) => severity === errorLevel);
}

function formatted(text: string): string {
  const context = contextFor(text);
  let result = text;
  const edits = formatDocument(context).map((edit) => ({
    start: textOf(context, Range.create(0, 0, edit.range.start.line, edit.range.start.character)).length,
    end: textOf(context, Range.create(0, 0, edit.range.end.line, edit.range.end.character)).length,
    text: edit.newText,
  }));
  edits.sort((a, b) => b.start - a.start);
  for (const edit of edits) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

describe('requests not separated by ###', () => {
  const text = [
    'GET {{host}}/first',
    '',
    'POST {{host}}/second',
    'Content-Type: application/json',
    '',
    '{"a": 1}',
    '',
    '# @name third',
    'GET {{host}}/third',
    'GET {{host}}/fourth',
    '',
  ].join('\n');

  test('a request line after a request starts the next one, with the comments and directives above it', () => {
    const document = parse(text);
    assert.deepEqual(requestsOf(text), ['GET {{host}}/first', 'POST {{host}}/second <{"a": 1}>', 'GET {{host}}/third', 'GET {{host}}/fourth']);
    assert.equal(document.blocks.length, 4);
    assert.equal(slice(document, document.blocks[2]), '# @name third\nGET {{host}}/third\n');
    assert.equal(document.requests[2].name?.text, 'third');
    assert.equal(document.blocks[1].start, text.indexOf('POST'));
    assert.equal(document.requests[1].end, text.indexOf('{"a": 1}') + '{"a": 1}'.length);
    assert.deepEqual(errorsOf(text), []);
  });

  test('lower-case words, unknown methods and indented lines in a body stay body text', () => {
    assert.deepEqual(requestsOf('POST /a\nContent-Type: text/plain\n\nget /x\nFETCH /y\n  GET /z\n'), ['POST /a <get /x\nFETCH /y\n  GET /z>']);
  });

  test('in a block opened by ###, a request line right after body text is body, as REST Client and JetBrains read it', () => {
    const separated = '###\nPOST /a\nContent-Type: text/plain\n\nhello\nGET /kept\n\nGET /split\n';
    assert.deepEqual(requestsOf(separated), ['POST /a <hello\nGET /kept>', 'GET /split']);
    // Without ###, httpYac's reading: every such line starts a request.
    assert.deepEqual(requestsOf(separated.slice(4)), ['POST /a <hello>', 'GET /kept', 'GET /split']);
  });

  test('pre-request scripts right above the next request line belong to it', () => {
    const text = 'GET /a\n\n< {%\n  request.variables.set("x", "1");\n%}\n< ./sign.js\nGET /b\n';
    const document = parse(text);
    assert.deepEqual(requestsOf(text), ['GET /a', 'GET /b']);
    assert.deepEqual(document.requests[1].preRequestScripts.map((script) => script.kind), ['script', 'file']);
    assert.equal(document.requests[0].preRequestScripts.length, 0);
  });

  test('a request line inside a handler script is JavaScript, not a request', () => {
    assert.deepEqual(requestsOf('GET /a\n\n> {%\nGET /not-a-request\n%}\nGET /b\n'), ['GET /a', 'GET /b']);
  });

  test('hover on a request line that follows another says which reading was taken', () => {
    const context = contextFor(text);
    const offset = text.indexOf('POST') + 1;
    assert.match(JSON.stringify(hover(context, offset)?.contents ?? ''), /without `###`/);
    assert.doesNotMatch(JSON.stringify(hover(context, 1)?.contents ?? ''), /without `###`/);
  });

  test('a capital word typed after a blank line below a body completes to a method', () => {
    const text = 'POST /a\nContent-Type: text/plain\n\nhello\n\nPO';
    const labels = complete(contextFor(text), text.length).items.map((item) => item.label);
    assert.ok(labels.includes('POST') && labels.includes('GET'), labels.join(', '));
    // Inside body text (no blank line above) nothing is offered.
    assert.deepEqual(complete(contextFor('POST /a\nContent-Type: text/plain\n\nhello\nPO'), 'POST /a\nContent-Type: text/plain\n\nhello\nPO'.length).items, []);
  });

  test('formatting keeps the requests without ###', () => {
    assert.equal(formatted(text), text);
    assert.equal(formatted('GET  /a\nGET /b\n'), 'GET /a\nGET /b\n');
  });
});

describe('/* */ block comments', () => {
  const text = '/*\n  A note over\n  several lines\n*/\n/* one line */\nGET /a\n\n/*\nbetween\n*/\nGET /b\n';

  test('single- and multi-line comments above a request line are comments, with their spans', () => {
    const document = parse(text);
    assert.deepEqual(document.blocks[0].comments.map((comment) => [slice(document, comment), comment.text]), [
      ['/*\n  A note over\n  several lines\n*/', 'A note over\n  several lines'],
      ['/* one line */', 'one line'],
    ]);
    assert.deepEqual(document.blocks[1].comments.map((comment) => comment.text), ['between']);
    assert.deepEqual(requestsOf(text), ['GET /a', 'GET /b']);
    assert.deepEqual(errorsOf(text), []);
  });

  test('a block comment after a body, before ###, is not sent as body', () => {
    const document = parse('POST /a\nContent-Type: text/plain\n\nhello\n\n/* later */\n###\nGET /b\n');
    assert.equal(slice(document, document.requests[0].body), 'hello');
    assert.deepEqual(document.blocks[0].comments.map((comment) => comment.text), ['later']);
  });

  test('an unclosed /* is not a comment', () => {
    assert.equal(parse('/* open\nGET /a\n').blocks[0].comments.length, 0);
  });

  test('formatting keeps block comments', () => {
    assert.equal(formatted(text), text);
  });
});

describe('a body right after the headers', () => {
  for (const [name, body] of [
    ['JSON object', '{"a": 1}'],
    ['JSON array', '[1, 2]'],
    ['XML', '<?xml version="1.0"?>\n<a/>'],
    ['JWT', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln'],
  ] as const) {
    test(`${name}: the first line that cannot be a header starts the body`, () => {
      const text = `POST /a\nContent-Type: application/json\n${body}\n`;
      const document = parse(text);
      assert.deepEqual(document.requests[0].headers.map((header) => header.name.text), ['Content-Type']);
      assert.equal(slice(document, document.requests[0].body), body);
      assert.equal(document.requests[0].body?.start, text.indexOf(body));
      assert.deepEqual(errorsOf(text), []);
      assert.equal(formatted(text), text);
    });
  }

  test('a line with a colon is still a header, and {{ does not open a body', () => {
    assert.deepEqual(parse('POST /a\nX: 1\nY: 2\n').requests[0].headers.map((header) => header.name.text), ['X', 'Y']);
    assert.equal(parse('POST /a\n{{name}}\n').requests[0].body, undefined);
  });
});

describe('GraphQL fragments above the request', () => {
  const text = [
    'fragment ItemParts on Item {',
    '  id',
    '  name',
    '}',
    '',
    'fragment Unused on Item {',
    '  price',
    '}',
    '',
    'GRAPHQL /graphql',
    '',
    'query Items {',
    '  items { ...ItemParts }',
    '}',
    '',
  ].join('\n');

  test('a fragment is read to its first blank line and sent with a query that spreads it', () => {
    const document = parse(text);
    assert.equal(document.requests.length, 1);
    const graphql = document.requests[0].body?.graphql;
    assert.deepEqual(graphql?.fragments.map((fragment) => [fragment.name, slice(document, fragment)]), [['ItemParts', 'fragment ItemParts on Item {\n  id\n  name\n}']]);
    assert.equal(graphql?.fragments[0].start, 0);
    assert.deepEqual(errorsOf(text), []);
    assert.equal(formatted(text), text);
  });

  test("a query in a JSON body is GraphQL, as httpYac reads it, with no invalid-JSON warning", () => {
    const json = 'POST /graphql\nContent-Type: application/json\n\nquery Q {\n  a\n}\n';
    assert.equal(parse(json).requests[0].body?.graphql?.operationName, 'Q');
    assert.deepEqual(diagnosticsOf(json).filter(([, code]) => code !== hostMissing), []);
    assert.equal(parse(json.replace('application/json', 'text/plain')).requests[0].body?.graphql, undefined);
    assert.equal(parse('POST /x\nContent-Type: application/json\n\nquerystring\n').requests[0].body?.graphql, undefined);
  });

  test('a fragment spread only by another fragment follows it; a longer name is not a spread', () => {
    const nested = 'fragment A on T {\n  ...B\n}\n\nfragment B on T {\n  b\n}\n\nfragment AB on T {\n  x\n}\n\nGRAPHQL /g\n\nquery { ...A ...ABC }\n';
    assert.deepEqual(parse(nested).requests[0].body?.graphql?.fragments.map((fragment) => fragment.name), ['A', 'B']);
  });
});

describe('@name := value', () => {
  test('defines a variable, expanded where it is used, without a problem', () => {
    const text = '@base = http://localhost\n@url := {{base}}/items\nGET {{url}}\n';
    const document = parse(text);
    assert.deepEqual(document.variables.map((variable) => [variable.name.text, variable.value.text, slice(document, variable)]), [
      ['base', 'http://localhost', '@base = http://localhost'],
      ['url', '{{base}}/items', '@url := {{base}}/items'],
    ]);
    assert.deepEqual(diagnosticsOf(text).filter(([, code]) => code !== hostMissing), []);
  });
});

describe('comment lines inside a multi-line target', () => {
  const text = 'GET /items\n    ?page=1\n    # &limit=10\n    // &sort=name\n    &size=5\nAccept: application/json\n';

  test('are comments, and the target goes on after them', () => {
    const document = parse(text);
    const request = document.requests[0];
    assert.equal(request.target.text, '/items?page=1&size=5');
    assert.deepEqual(document.blocks[0].comments.map((comment) => slice(document, comment)), ['# &limit=10', '// &sort=name']);
    assert.deepEqual(request.headers.map((header) => header.name.text), ['Accept']);
    assert.deepEqual(errorsOf(text), []);
    assert.equal(formatted(text), text);
  });

  test('a comment that no target line follows still ends the target', () => {
    assert.equal(parse('GET /items\n    ?page=1\n    # note\nAccept: x\n').requests[0].target.text, '/items?page=1');
  });
});

describe('variable forms of kulala and httpYac', () => {
  test('{{ name }} with spaces names `name`', () => {
    const text = '@name = x\nGET /{{ name }}\n';
    assert.deepEqual(parse(text).requests[0].target.references.map((reference) => reference.target), [{ kind: 'variable', name: 'name' }]);
    assert.deepEqual(diagnosticsOf(text).filter(([, code]) => code !== hostMissing), []);
  });

  test("{{login.response.headers['Date']}} is the Date header of login's response", () => {
    const text = "# @name login\nGET http://localhost/login\n###\nGET http://localhost/x\nX-Date: {{login.response.headers['Date']}}\n";
    const reference = parse(text).requests[1].headers[0].value.references[0];
    assert.equal(reference.target.kind, 'request');
    assert.ok(reference.target.kind === 'request' && reference.target.path === 'Date' && reference.target.part === 'headers');
    assert.deepEqual(diagnosticsOf(text), []);
  });

  test('{{users[*].name}} is a warning that Courier cannot resolve it, never an error', () => {
    const text = 'GET http://localhost/{{users[*].name}}\n';
    assert.deepEqual(diagnosticsOf(text), [['users[*].name', Code.VariableUnsupported, warningLevel]]);
    for (const expression of ['keycloak.access_token', '6 + expression.index++', 'setCookies.response.cookies.test.value', "token.split('.')[1]"]) {
      assert.deepEqual(diagnosticsOf(`GET http://localhost/{{${expression}}}\n`).map(([, code, severity]) => [code, severity]), [[Code.VariableUnsupported, warningLevel]], expression);
    }
    // A mistake in Courier's own forms keeps its error.
    assert.deepEqual(diagnosticsOf('GET http://localhost/{{login.response.body}}\n').map(([, code, severity]) => [code, severity]), [[Code.VariableInvalid, errorLevel]]);
    assert.deepEqual(diagnosticsOf('GET http://localhost/{{: x}}\n').map(([, code, severity]) => [code, severity]), [[Code.VariableInvalid, errorLevel]]);
  });

  test('{{$auth.token("id")}} and {{$auth.idToken("id")}} naming no configuration of the env files are errors (language/authTokens.ts)', () => {
    const text = 'GET http://localhost/x\nAuthorization: Bearer {{$auth.token("my-auth")}}\nX-Id: {{$auth.idToken("my-auth")}}\n';
    assert.deepEqual(diagnosticsOf(text), [
      ['$auth.token("my-auth")', Code.AuthUnknownConfiguration, errorLevel],
      ['$auth.idToken("my-auth")', Code.AuthUnknownConfiguration, errorLevel],
    ]);
    assert.match(diagnose(contextFor(text)).map((diagnostic) => (typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value)).join('\n'), /No auth configuration "my-auth" in any environment: define it in the env file/);
  });
});

describe('pre-request script files above the request line (JetBrains)', () => {
  test('< ./script.js is a pre-request handler, not a request or a body', () => {
    const text = '< ./prepare.js\nGET http://localhost/x\n';
    const document = parse(text);
    const handler = document.requests[0].preRequestScripts[0];
    assert.equal(handler?.kind, 'file');
    assert.equal(slice(document, handler), '< ./prepare.js');
    assert.equal(document.requests[0].body, undefined);
    assert.deepEqual(errorsOf(text).filter(([, code]) => code !== fileMissing), []);
  });
});

describe('what is sent', () => {
  interface Seen {
    readonly method: string;
    readonly url: string;
    readonly contentType: string | undefined;
    readonly body: string;
    readonly date: string | undefined;
  }
  let server: Running<http.Server>;
  let session: Session;
  let seen: Seen[] = [];
  let folder: string;
  before(async () => {
    server = await httpServer((request, response) => {
      void readBody(request).then((body) => {
        seen.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'], body: body.toString('utf8'), date: request.headers['x-date'] as string | undefined });
        response.setHeader('Date', 'Mon, 07 Dec 2026 10:00:00 GMT');
        response.end('{}');
      });
    });
    session = await Session.open({});
    folder = mkdtempSync(join(tmpdir(), 'courier-dialects-'));
  });
  after(async () => {
    await session.close();
    await server.close();
  });

  async function send(text: string, settings: ConstructorParameters<typeof Runner>[1] = {}): Promise<Seen[]> {
    seen = [];
    const path = join(folder, 'dialects.http');
    const full = `@host = ${server.url}\n${text}`;
    writeFileSync(path, full);
    const exchanges = await new Runner(session, settings).run({ path, text: full }, { kind: 'all' });
    for (const exchange of exchanges) assert.equal(exchange.error, undefined, exchange.error?.message);
    return seen;
  }

  test('requests without ###, a block comment, a body without a blank line, a commented-out query line', async () => {
    const sent = await send([
      '/* first */',
      'GET {{host}}/a',
      '    ?x=1',
      '    # &y=2',
      '    &z=3',
      '',
      'POST {{host}}/b',
      'Content-Type: application/json',
      '{"a": 1}',
      '',
      'POST {{host}}/c',
      'Content-Type: text/plain',
      '',
      'hello',
      '',
    ].join('\n'));
    assert.deepEqual(sent, [
      { method: 'GET', url: '/a?x=1&z=3', contentType: undefined, body: '', date: undefined },
      { method: 'POST', url: '/b', contentType: 'application/json', body: '{"a": 1}', date: undefined },
      { method: 'POST', url: '/c', contentType: 'text/plain', body: 'hello', date: undefined },
    ]);
  });

  test("httpYac's query in a JSON body, with its fragment, is sent as GraphQL; an application/graphql body stays raw", async () => {
    const sent = await send([
      'fragment P on Item {',
      '  id',
      '}',
      '',
      'POST {{host}}/graphql',
      'Content-Type: application/json',
      '',
      'query Items($first: Int) {',
      '  items(first: $first) { ...P }',
      '}',
      '',
      '{"first": 2}',
      '',
      '###',
      'POST {{host}}/raw',
      'Content-Type: application/graphql',
      '',
      'query { items { id } }',
      '',
    ].join('\n'));
    assert.deepEqual(JSON.parse(sent[0].body), {
      query: 'query Items($first: Int) {\n  items(first: $first) { ...P }\n}\nfragment P on Item {\n  id\n}',
      variables: { first: 2 },
      operationName: 'Items',
    });
    assert.equal(sent[0].contentType, 'application/json');
    assert.deepEqual([sent[1].contentType, sent[1].body], ['application/graphql', 'query { items { id } }']);
  });

  test('a pre-request script file above the request line (JetBrains) runs before the request is sent', async () => {
    writeFileSync(join(folder, 'prepare.js'), 'request.variables.set("section", "from-script");\n');
    const sandbox = testSandbox();
    try {
      const sent = await send('< ./prepare.js\nGET {{host}}/{{section}}\n', { scripts: { sandbox } });
      assert.deepEqual(sent.map((item) => item.url), ['/from-script']);
    } finally {
      await sandbox.close();
    }
  });

  test('GraphQL fragments follow the query', async () => {
    const sent = await send('fragment P on Item {\n  id\n}\n\nGRAPHQL {{host}}/graphql\n\nquery Items { items { ...P } }\n');
    assert.equal(sent.length, 1);
    assert.deepEqual(JSON.parse(sent[0].body), { query: 'query Items { items { ...P } }\nfragment P on Item {\n  id\n}', operationName: 'Items' });
  });

  test(':= variables, {{ name }} with spaces and a bracketed response header', async () => {
    const sent = await send("@path := {{ base }}/x\n@base = /root\n# @name first\nGET {{host}}{{ path }}\n###\nGET {{host}}/y\nX-Date: {{first.response.headers['Date']}}\n");
    assert.deepEqual(sent.map((item) => [item.url, item.date]), [['/root/x', undefined], ['/y', 'Mon, 07 Dec 2026 10:00:00 GMT']]);
  });
});
