import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { type CompletionItem, InsertTextFormat, TextEdit } from 'vscode-languageserver-types';
import { complete, environmentNameCompletions } from '../../../language/completion';
import { type EnvironmentSnapshot, type FeatureContext, type KnownVariable, noEnvironments } from '../../../language/context';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';

// Specifications in the style of vscode-css-languageservice: `|` marks the cursor,
// and accepting an item must turn the text into the expected one.

function contextOf(text: string, environments: EnvironmentSnapshot = noEnvironments): FeatureContext {
  return { uri: 'file:///work/api.http', document: parse(text), environments, host: { fileExists: () => true } };
}

function completeAt(textWithCursor: string, environments?: EnvironmentSnapshot): { readonly text: string; readonly items: readonly CompletionItem[] } {
  const offset = textWithCursor.indexOf('|');
  assert.notEqual(offset, -1, 'the test text marks the cursor with |');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { text, items: complete(contextOf(text, environments), offset).items };
}

function labels(textWithCursor: string, environments?: EnvironmentSnapshot): string[] {
  return completeAt(textWithCursor, environments).items.map((item) => item.label);
}

/** What a snippet looks like once inserted with its defaults: placeholders filled, tab stops gone. */
function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\])/g, '$1');
}

/** The text after accepting the item labelled `label` at the cursor. */
function accept(textWithCursor: string, label: string, environments?: EnvironmentSnapshot): string {
  const { text, items } = completeAt(textWithCursor, environments);
  const item = items.find((candidate) => candidate.label === label);
  assert.ok(item !== undefined, `no item '${label}' among ${items.slice(0, 20).map((candidate) => candidate.label).join(', ')}`);
  const edit = item.textEdit;
  assert.ok(edit !== undefined && TextEdit.is(edit), `'${label}' has a plain text edit`);
  const document = parse(text);
  const start = positionToOffset(document, edit.range.start);
  const end = positionToOffset(document, edit.range.end);
  const inserted = item.insertTextFormat === InsertTextFormat.Snippet ? expandSnippet(edit.newText) : edit.newText;
  return text.slice(0, start) + inserted + text.slice(end);
}

function variable(name: string, value: string | undefined, source: KnownVariable['source'], environment?: string): KnownVariable {
  return { name, value, source, location: { uri: 'file:///work/http-client.env.json', span: { start: 0, end: 1 } }, ...(environment === undefined ? {} : { environment }) };
}

const devEnvironment: EnvironmentSnapshot = {
  names: ['dev', 'prod'],
  active: 'dev',
  variables: new Map([
    ['host', variable('host', 'http://127.0.0.1:3000', 'environment', 'dev')],
    ['apiKey', variable('apiKey', 's3cr3t', 'private-environment', 'dev')],
  ]),
};

describe('completion of methods', () => {
  test('are offered at the start of a request line and replace the word typed', () => {
    assert.ok(labels('PO|').includes('POST'));
    assert.equal(accept('PO|', 'POST'), 'POST ');
    assert.equal(accept('PO| https://example.com', 'POST'), 'POST https://example.com');
    assert.equal(accept('###\nge|t https://example.com\n', 'GET'), '###\nGET https://example.com\n');
  });

  test('can be added before a target written without a method', () => {
    assert.equal(accept('|https://example.com', 'POST'), 'POST https://example.com');
    assert.equal(accept('|/items\nHost: a.test', 'DELETE'), 'DELETE /items\nHost: a.test');
  });

  test('are offered on an empty line of a new block, WebDAV and GraphQL included', () => {
    const offered = labels('GET https://a.test\n\n###\n|');
    for (const method of ['GET', 'POST', 'PROPFIND', 'GRAPHQL']) assert.ok(offered.includes(method), method);
  });

  test('are not offered in the target, in a body or in a comment', () => {
    assert.deepEqual(labels('GET https://a.test/|'), []);
    assert.deepEqual(labels('POST https://a.test\nContent-Type: text/plain\n\nhello |'), []);
    assert.deepEqual(labels('POST https://a.test\n\n{\n  |\n}'), []);
    assert.deepEqual(labels('# a comment |'), []);
  });
});

describe('completion of header names', () => {
  test('are offered on the lines after the request line, with ": " inserted', () => {
    const offered = labels('GET https://a.test\nAcc|');
    assert.ok(offered.includes('Accept'));
    assert.ok(offered.includes('Accept-Encoding'));
    assert.equal(accept('GET https://a.test\nAcc|', 'Accept'), 'GET https://a.test\nAccept: ');
    assert.equal(accept('GET https://a.test\nAccept: */*\n|', 'User-Agent'), 'GET https://a.test\nAccept: */*\nUser-Agent: ');
  });

  test('keep the colon and value of the line being renamed', () => {
    assert.equal(accept('GET https://a.test\nConten|t-Typ: text/plain', 'Content-Type'), 'GET https://a.test\nContent-Type: text/plain');
  });

  test('skip single-valued headers already present, but not list headers', () => {
    const offered = labels('POST https://a.test\nContent-Type: application/json\nAccept: */*\n|');
    assert.equal(offered.includes('Content-Type'), false);
    assert.ok(offered.includes('Accept'));
    assert.ok(offered.includes('Authorization'));
  });

  test('do not offer response-only headers', () => {
    const offered = labels('GET https://a.test\n|');
    assert.equal(offered.includes('Set-Cookie'), false);
    assert.equal(offered.includes('ETag'), false);
  });

  test('stop at the blank line that starts the body', () => {
    assert.deepEqual(labels('POST https://a.test\nAccept: */*\n\nAcc|'), []);
    assert.deepEqual(labels('POST https://a.test\nAccept: */*\n\n|'), [], 'an empty body is still a body');
  });
});

describe('completion of header values', () => {
  test('Content-Type offers common media types first', () => {
    const offered = labels('POST https://a.test\nContent-Type: |');
    assert.deepEqual(offered.slice(0, 3), ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    assert.ok(offered.includes('application/vnd.ms-excel'), 'then the rest of mime-db');
    assert.equal(accept('POST https://a.test\nContent-Type: app|', 'application/json'), 'POST https://a.test\nContent-Type: application/json');
  });

  test('multipart/form-data inserts a boundary', () => {
    assert.equal(accept('POST https://a.test\nContent-Type: |', 'multipart/form-data'), 'POST https://a.test\nContent-Type: multipart/form-data; boundary=CourierBoundary');
  });

  test('Authorization offers schemes as snippets', () => {
    assert.equal(accept('GET https://a.test\nAuthorization: Bea|', 'Bearer'), 'GET https://a.test\nAuthorization: Bearer token');
    assert.equal(accept('GET https://a.test\nAuthorization: |', 'Basic'), 'GET https://a.test\nAuthorization: Basic username:password');
    assert.deepEqual(labels('GET https://a.test\nAuthorization: Bearer |'), [], 'the token is the user\'s own');
  });

  test('list headers complete each item after a comma', () => {
    assert.equal(accept('GET https://a.test\nAccept-Encoding: gzip, b|', 'br'), 'GET https://a.test\nAccept-Encoding: gzip, br');
    assert.equal(accept('GET https://a.test\nCache-Control: no-cache,|', 'max-age'), 'GET https://a.test\nCache-Control: no-cache,max-age=0');
  });

  test('X-Request-Type offers GraphQL; unknown headers offer nothing', () => {
    assert.deepEqual(labels('POST https://a.test\nX-Request-Type: |'), ['GraphQL']);
    assert.deepEqual(labels('POST https://a.test\nX-Custom: |'), []);
  });
});

describe('completion in multipart bodies', () => {
  const upload = 'POST https://a.test/upload\nContent-Type: multipart/form-data; boundary=XX\n\n';

  test('offers the part headers of RFC 7578 at the start of a part', () => {
    assert.deepEqual(labels(`${upload}--XX\n|`), ['Content-Disposition', 'Content-Type']);
    assert.deepEqual(labels(`${upload}--XX\nContent-Disposition: form-data; name="a"\n|`), ['Content-Type'], 'not twice');
    assert.equal(accept(`${upload}--XX\nContent-Disposition: |`, 'form-data (file)'), `${upload}--XX\nContent-Disposition: form-data; name="file"; filename="name.txt"`);
    assert.equal(accept(`${upload}--XX\nContent-Disposition: form-data; name="f"\nContent-Type: image/p|`, 'image/png'), `${upload}--XX\nContent-Disposition: form-data; name="f"\nContent-Type: image/png`);
  });

  test('offers nothing in a part\'s content or on a boundary line', () => {
    assert.deepEqual(labels(`${upload}--XX\nContent-Disposition: form-data; name="a"\n--X|`), []);
    assert.deepEqual(labels(`${upload}--XX\nContent-Disposition: form-data; name="a"\n\nval|\n--XX--`), []);
  });
});

describe('completion of references', () => {
  const file = '@baseUrl = https://a.test\n@token = abc\n\n# @name login\nPOST {{baseUrl}}/login\n\n###\n';

  test('offers file, environment and system variables and named requests inside {{', () => {
    const offered = labels(`${file}GET {{|`, devEnvironment);
    for (const label of ['baseUrl', 'token', 'host', 'apiKey', 'login', '$uuid', '$randomInt', '$random.integer', '$dotenv']) assert.ok(offered.includes(label), label);
  });

  test('closes the braces when they are missing, and not when present', () => {
    assert.equal(accept(`${file}GET {{ba|`, 'baseUrl'), `${file}GET {{baseUrl}}`);
    assert.equal(accept(`${file}GET {{ba|}}/items`, 'baseUrl'), `${file}GET {{baseUrl}}/items`);
    assert.equal(accept(`${file}GET {{ba|seUr}}/items`, 'baseUrl'), `${file}GET {{baseUrl}}/items`);
    assert.equal(accept(`${file}GET {{ |`, 'token'), `${file}GET {{ token}}`);
  });

  test('says where an environment variable comes from and hides private values', () => {
    const items = completeAt('GET {{|', devEnvironment).items;
    const host = items.find((item) => item.label === 'host');
    assert.equal(host?.detail, 'dev environment = http://127.0.0.1:3000');
    const apiKey = items.find((item) => item.label === 'apiKey');
    assert.match(apiKey?.detail ?? '', /^private dev environment = /);
    assert.equal(apiKey?.detail?.includes('s3cr3t'), false);
  });

  test('inserts system variables as snippets with their arguments', () => {
    assert.equal(accept('GET https://a.test/{{$ra|', '$randomInt'), 'GET https://a.test/{{$randomInt 0 100}}');
    assert.equal(accept('GET https://a.test/{{$random.|}}', '$random.alphabetic'), 'GET https://a.test/{{$random.alphabetic(8)}}');
    assert.equal(accept('GET https://a.test/{{|', '$datetime'), 'GET https://a.test/{{$datetime iso8601}}');
  });

  test('offers prompt variables declared in the file', () => {
    assert.ok(labels('# @prompt otp One-time code\nGET https://a.test/{{|').includes('otp'));
  });

  test('works in variable values, header values and bodies', () => {
    assert.ok(labels(`${file}@url = {{|`).includes('baseUrl'));
    assert.ok(labels(`${file}GET https://a.test\nAuthorization: Bearer {{to|`).includes('token'));
    assert.ok(labels(`${file}POST https://a.test\n\n{"token": "{{to|"}`).includes('token'));
  });

  test('walks a request reference: name, response, body or headers, path', () => {
    assert.equal(accept(`${file}GET {{lo|`, 'login'), `${file}GET {{login.}}`);
    assert.deepEqual(labels(`${file}GET {{login.|}}`), ['response', 'request']);
    assert.equal(accept(`${file}GET {{login.|}}`, 'response'), `${file}GET {{login.response.}}`);
    assert.deepEqual(labels(`${file}GET {{login.response.|}}`), ['body', 'headers']);
    assert.equal(accept(`${file}GET {{login.response.b|`, 'body'), `${file}GET {{login.response.body.}}`);
    assert.deepEqual(labels(`${file}GET {{login.response.body.|}}`), ['$.', '*', '//']);
    assert.equal(accept(`${file}GET {{login.response.body.|}}`, '$.'), `${file}GET {{login.response.body.$.}}`);
    assert.equal(accept(`${file}GET {{login.response.body.|`, '*'), `${file}GET {{login.response.body.*}}`);
  });

  test('completes JSONPath keys from the named request\'s own JSON body', () => {
    const sent = '# @name create\nPOST https://a.test/items\nContent-Type: application/json\n\n{"name": "x", "owner": {"id": {{userId}}, "email": "a@b.c"}}\n\n###\n';
    assert.deepEqual(labels(`${sent}GET https://a.test/{{create.request.body.$.|`), ['name', 'owner']);
    assert.deepEqual(labels(`${sent}GET https://a.test/{{create.request.body.$.owner.e|}}`), ['id', 'email']);
    assert.equal(accept(`${sent}GET https://a.test/{{create.request.body.$.owner.e|`, 'email'), `${sent}GET https://a.test/{{create.request.body.$.owner.email}}`);
    assert.deepEqual(labels(`${sent}GET https://a.test/{{create.request.body.$.name.|`), [], 'a string has no keys');
    assert.deepEqual(labels(`${sent}GET https://a.test/{{create.response.body.$.|`), [], 'the response is unknown before sending');
  });

  test('offers response header names after .response.headers.', () => {
    const offered = labels(`${file}GET {{login.response.headers.|}}`);
    assert.ok(offered.includes('Location'));
    assert.ok(offered.includes('Set-Cookie'));
    assert.ok(offered.includes('Content-Type'));
    assert.equal(offered.includes('Accept'), false, 'Accept is a request header');
    assert.equal(accept(`${file}GET {{login.response.headers.Loc|`, 'Location'), `${file}GET {{login.response.headers.Location}}`);
  });

  test('offers nothing after an unknown name, in arguments, or after closed braces', () => {
    assert.deepEqual(labels(`${file}GET {{nobody.|}}`), []);
    assert.deepEqual(labels(`${file}GET {{$randomInt 1 |}}`), []);
    assert.deepEqual(labels(`${file}GET {{token}} |`), []);
  });

  test('does not offer a request to itself', () => {
    assert.equal(labels('# @name login\nPOST https://a.test/{{|').includes('login'), false);
  });
});

describe('completion of directives', () => {
  test('are offered after # @ and // @', () => {
    const offered = labels('# @|');
    for (const name of ['name', 'no-redirect', 'no-cookie-jar', 'timeout', 'connection-timeout', 'note', 'prompt', 'no-log', 'insecure']) assert.ok(offered.includes(name), name);
    assert.ok(labels('// @no|').includes('no-redirect'));
  });

  test('insert a value placeholder only when the line has no value yet', () => {
    assert.equal(accept('# @ti|\nGET https://a.test', 'timeout'), '# @timeout 30\nGET https://a.test');
    assert.equal(accept('# @na| login\nGET https://a.test', 'name'), '# @name login\nGET https://a.test');
    assert.equal(accept('// @no-re|\nGET https://a.test', 'no-redirect'), '// @no-redirect\nGET https://a.test');
  });

  test('are not offered after the request line', () => {
    assert.deepEqual(labels('POST https://a.test\n\n# @|'), []);
  });
});

describe('environment names', () => {
  test('one item per environment, the active one first', () => {
    const items = environmentNameCompletions(contextOf('', devEnvironment));
    assert.deepEqual(items.map((item) => item.label), ['dev', 'prod']);
    assert.equal(items[0].detail, 'active environment');
    assert.deepEqual([...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((item) => item.label), ['dev', 'prod']);
    assert.deepEqual(environmentNameCompletions(contextOf('')), []);
  });

  test('list the active environment first even when it is not first in the file', () => {
    const items = environmentNameCompletions(contextOf('', { ...devEnvironment, active: 'prod' }));
    assert.deepEqual([...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? '')).map((item) => item.label), ['prod', 'dev']);
  });
});

describe('robustness', () => {
  test('never throws, at any offset of a tricky document', () => {
    const text = '@a = {{b\n# @name x\nGET {{a}}/{{$uuid\nAccept: a, {{\n\n{"x": "{{x.response.body.$.y}}"}\n> {% client.log("}}") %}\n###\n\n# @\n';
    const context = contextOf(text, devEnvironment);
    for (let offset = -1; offset <= text.length + 1; offset++) assert.doesNotThrow(() => complete(context, offset), `offset ${offset}`);
  });

  test('handles CRLF line endings', () => {
    assert.equal(accept('GET https://a.test\r\nAcc|\r\n', 'Accept'), 'GET https://a.test\r\nAccept: \r\n');
    assert.equal(accept('@host = a.test\r\nGET https://{{ho|\r\n', 'host'), '@host = a.test\r\nGET https://{{host}}\r\n');
    assert.equal(accept('# @no-re|\r\nGET https://a.test', 'no-redirect'), '# @no-redirect\r\nGET https://a.test');
  });

  test('offers nothing inside a response handler script', () => {
    assert.deepEqual(labels('GET https://a.test\n\n> {%\n  client.global.set("t", {{|\n%}'), []);
  });
});
