import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { repositoryRoot, tokenize, tokensOf } from './tokenize';

/** Asserts that every token making up `needle` carries `scope` (a full scope name or a prefix like `meta.embedded.block.json`). */
async function expectScope(text: string, needle: string, scope: string, occurrence = 0): Promise<void> {
  const tokens = tokensOf(text, await tokenize(text), needle, occurrence);
  assert.ok(tokens.length > 0, `no tokens for "${needle}"`);
  for (const token of tokens) {
    assert.ok(
      token.scopes.some((name) => name === scope || name.split(' ').includes(scope) || name.startsWith(`${scope}.`) || name.startsWith(`${scope} `)),
      `"${needle}" (token "${token.text}") should have scope ${scope}, has ${token.scopes.join(' | ')}`,
    );
  }
}

async function expectNoScope(text: string, needle: string, scope: string, occurrence = 0): Promise<void> {
  for (const token of tokensOf(text, await tokenize(text), needle, occurrence)) {
    assert.ok(!token.scopes.some((name) => name.startsWith(scope)), `"${needle}" (token "${token.text}") should not have scope ${scope}, has ${token.scopes.join(' | ')}`);
  }
}

describe('grammar: request line', () => {
  const text = 'POST https://api.example.com/items?limit=10&sort=name HTTP/1.1\n';

  test('colours the method, the URL and the HTTP version', async () => {
    await expectScope(text, 'POST', 'keyword.control.method.http');
    await expectScope(text, 'https://api.example.com/items', 'string.unquoted.url.http');
    await expectScope(text, 'HTTP/1.1', 'keyword.other.http-version.http');
  });

  test('colours "HTTP/2 (Prior Knowledge)" as the version, not the URL', async () => {
    const cleartext = 'GET http://h2c.example/ping HTTP/2 (Prior Knowledge)\n';
    await expectScope(cleartext, '(Prior Knowledge)', 'keyword.other.http-version.http');
    await expectScope(cleartext, 'http://h2c.example/ping', 'string.unquoted.url.http');
  });

  test('colours query parameter names and values', async () => {
    await expectScope(text, 'limit', 'entity.other.attribute-name.query-parameter.http');
    await expectScope(text, '10', 'string.unquoted.query-value.http');
    await expectScope(text, '&', 'punctuation.separator.query.http');
  });

  test('colours variables inside the URL and query lines continued on indented lines', async () => {
    const continued = 'GET {{ baseUrl }}/items\n    ?name={{name}}\n    &limit=5\n';
    await expectScope(continued, 'baseUrl', 'variable.other.readwrite.http');
    await expectScope(continued, '{{', 'punctuation.definition.variable.begin.http');
    await expectScope(continued, 'name', 'entity.other.attribute-name.query-parameter.http');
    await expectScope(continued, 'name', 'variable.other.readwrite.http', 1);
    await expectScope(continued, 'limit', 'entity.other.attribute-name.query-parameter.http');
  });

  test('a request line without a method (GET implied) is still a request', async () => {
    const text = 'https://example.com/a\nAccept: text/plain\n';
    await expectScope(text, 'https://example.com/a', 'string.unquoted.url.http');
    await expectScope(text, 'Accept', 'support.type.property-name.header.http');
  });
});

describe('grammar: headers', () => {
  const text = 'GET https://example.com\nAuthorization: Bearer {{token}}\nX-Trace-Id: abc\n';

  test('colours header names, the colon and values, with variables inside values', async () => {
    await expectScope(text, 'Authorization', 'support.type.property-name.header.http');
    await expectScope(text, ':', 'punctuation.separator.key-value.http', 1);
    await expectScope(text, 'Bearer', 'string.unquoted.header-value.http');
    await expectScope(text, 'token', 'variable.other.readwrite.http');
    await expectScope(text, 'abc', 'string.unquoted.header-value.http');
  });
});

describe('grammar: comments, directives, separators, file variables', () => {
  const text = [
    '@host = example.com',
    '@url = https://{{host}}/v1',
    '',
    '### Create an item',
    '# Plain comment',
    '// Another comment',
    '# @name createItem',
    '// @no-redirect',
    '# @timeout 5s',
    'POST {{url}}/items',
    '',
  ].join('\n');

  test("colours httpYac's /* */ block comments and @name := value", async () => {
    const dialect = '/*\n  Block note\n*/\n/* one line */\n@lazy := {{host}}/x\nGET {{lazy}}\n';
    await expectScope(dialect, 'Block note', 'comment.block.http');
    await expectScope(dialect, 'one line', 'comment.block.http');
    await expectNoScope(dialect, 'GET', 'comment.block.http');
    await expectScope(dialect, 'lazy', 'variable.other.definition.http');
    await expectScope(dialect, ':=', 'keyword.operator.assignment.http');
  });

  test('a request line after a body starts a new request, as the parser reads it (no ###)', async () => {
    const unseparated = 'POST {{host}}/a\nContent-Type: application/json\n\n{"a": 1}\n\nGET {{host}}/b\n';
    await expectScope(unseparated, 'GET', 'keyword.control.method.http');
    await expectNoScope(unseparated, 'GET', 'meta.embedded.block.json');
  });

  test('colours # and // comments', async () => {
    await expectScope(text, 'Plain comment', 'comment.line.number-sign.http');
    await expectScope(text, 'Another comment', 'comment.line.double-slash.http');
  });

  test('colours directives, with the request name of @name as a definition', async () => {
    await expectScope(text, '@', 'punctuation.definition.directive.http', 2);
    await expectScope(text, 'name', 'keyword.other.directive.http');
    await expectScope(text, 'createItem', 'entity.name.function.request-name.http');
    await expectScope(text, 'no-redirect', 'keyword.other.directive.http');
    await expectScope(text, 'timeout', 'keyword.other.directive.http');
    await expectScope(text, '5s', 'string.unquoted.directive-value.http');
    await expectNoScope(text, 'no-redirect', 'comment.line');
  });

  test('colours ### separators and their title', async () => {
    await expectScope(text, '###', 'punctuation.separator.request.http');
    await expectScope(text, 'Create an item', 'entity.name.section.request-title.http');
  });

  test('colours file variables: name, =, value with references', async () => {
    await expectScope(text, 'host', 'variable.other.definition.http');
    await expectScope(text, '=', 'keyword.operator.assignment.http');
    await expectScope(text, 'example.com', 'string.unquoted.variable-value.http');
    await expectScope(text, 'host', 'variable.other.readwrite.http', 1);
  });
});

describe('grammar: variable references', () => {
  test('system variables are coloured apart from plain variables, with their arguments', async () => {
    const text = 'GET https://example.com/{{$uuid}}?n={{$randomInt 1 10}}&k={{$dotenv API_KEY}}\n';
    await expectScope(text, '$uuid', 'support.function.system-variable.http');
    await expectNoScope(text, '$uuid', 'variable.other.readwrite.http');
    await expectScope(text, '$randomInt', 'support.function.system-variable.http');
    await expectScope(text, '10', 'constant.numeric.http');
    await expectScope(text, 'API_KEY', 'variable.parameter.system-variable-argument.http');
  });

  test('request variables show the request name, the part and the path', async () => {
    const text = 'GET https://example.com/me\nAuthorization: Bearer {{login.response.body.$.token}}\nX-Id: {{login.response.headers.X-Request-Id}}\n';
    await expectScope(text, 'login', 'entity.name.function.request-name.http');
    await expectScope(text, 'response', 'keyword.other.request-variable.http');
    await expectScope(text, 'body', 'keyword.other.request-variable.http');
    await expectScope(text, '$.token', 'string.unquoted.request-variable-path.http');
    await expectScope(text, 'X-Request-Id', 'string.unquoted.request-variable-path.http');
  });

  test('an unterminated reference ends at its line, so the next line is unaffected', async () => {
    const text = 'GET https://example.com/{{oops\nAccept: */*\n';
    await expectScope(text, 'oops', 'meta.variable-reference.http');
    await expectScope(text, 'Accept', 'support.type.property-name.header.http');
    await expectNoScope(text, 'Accept', 'meta.variable-reference.http');
  });
});

describe('grammar: bodies by Content-Type', () => {
  const json = 'POST https://example.com/items\nContent-Type: application/json\n\n{\n  "name": "Pen",\n  "owner": "{{user}}"\n}\n\n### Next\nGET https://example.com\n';

  test('a JSON body (Content-Type: application/json) is embedded JSON, with variables still coloured', async () => {
    await expectScope(json, '"name"', 'meta.embedded.block.json');
    await expectScope(json, 'user', 'variable.other.readwrite.http');
    await expectScope(json, 'user', 'meta.embedded.block.json');
  });

  test('JSON keys and strings get the JSON grammar\'s scopes', async () => {
    await expectScope(json, 'name', 'support.type.property-name.json');
    await expectScope(json, '"Pen"', 'string.quoted.double.json');
    // A bare reference as a JSON value is a variable, and the JSON after it is still JSON.
    const bare = 'POST https://x\nContent-Type: application/json\n\n{"n": {{$timestamp}}, "m": 2}\n';
    await expectScope(bare, '$timestamp', 'support.function.system-variable.http');
    await expectScope(bare, '"m"', 'support.type.property-name.json');
  });

  test('the body ends at the next ###: the next request is coloured as a request', async () => {
    await expectScope(json, 'GET', 'keyword.control.method.http');
    await expectNoScope(json, 'GET', 'meta.embedded');
    await expectScope(json, 'Next', 'entity.name.section.request-title.http');
  });

  test('+json media types and a charset parameter still mean JSON; a body starting with { or [ is JSON without a Content-Type', async () => {
    await expectScope('PATCH https://x\nContent-Type: application/merge-patch+json; charset=utf-8\n\n{"a": 1}\n', '"a"', 'meta.embedded.block.json');
    await expectScope('POST https://x\n\n[1, 2]\n', '[1, 2]', 'meta.embedded.block.json');
    await expectNoScope('POST https://x\n\n{{payload}}\n', 'payload', 'meta.embedded.block.json');
  });

  test('an XML body is embedded XML, not JSON', async () => {
    const xml = 'POST https://x\nContent-Type: application/xml\n\n<item id="1">\n  <name>Pen</name>\n</item>\n';
    await expectScope(xml, '<name>', 'meta.embedded.block.xml');
    await expectNoScope(xml, '<name>', 'meta.embedded.block.json');
    await expectScope(xml, 'name', 'entity.name.tag', 0);
  });

  test('a GraphQL body (X-Request-Type: GraphQL) is embedded GraphQL, its variables JSON', async () => {
    const graphql = 'POST https://x/graphql\nContent-Type: application/json\nX-Request-Type: GraphQL\n\n{ items { id } }\n\n{\n  "id": 1\n}\n';
    await expectScope(graphql, '{ items { id } }', 'meta.embedded.block.graphql');
    await expectNoScope(graphql, '{ items { id } }', 'meta.embedded.block.json');
    await expectScope(graphql, '"id"', 'meta.embedded.block.json');
    await expectScope(graphql, '"id"', 'support.type.property-name.json');
  });

  test('the GRAPHQL method makes the body GraphQL', async () => {
    const graphql = 'GRAPHQL https://x/graphql\n\nquery Items {\n  items { name }\n}\n';
    await expectScope(graphql, 'GRAPHQL', 'keyword.control.method.http');
    await expectScope(graphql, 'query Items', 'meta.embedded.block.graphql');
    await expectScope(graphql, 'query', 'keyword.operation.graphql');
    const withBlankLine = 'GRAPHQL https://x/graphql\n\nmutation {\n\n  like\n}\n';
    await expectScope(withBlankLine, 'like', 'meta.embedded.block.graphql');
  });

  test('a multipart body colours boundaries, part headers and file includes', async () => {
    const multipart = [
      'POST https://x/upload',
      'Content-Type: multipart/form-data; boundary=WebBoundary',
      '',
      '--WebBoundary',
      'Content-Disposition: form-data; name="file"; filename="a.txt"',
      '',
      '< ./files/a.txt',
      '--WebBoundary--',
      '',
    ].join('\n');
    await expectScope(multipart, '--WebBoundary', 'keyword.other.multipart-boundary.http', 0);
    await expectScope(multipart, 'Content-Disposition', 'support.type.property-name.header.http');
    await expectScope(multipart, './files/a.txt', 'string.unquoted.file-path.http');
  });
});

describe('grammar: file bodies, handlers, redirects, pasted responses', () => {
  test('colours < and <@ file bodies and their paths', async () => {
    const text = 'POST https://x\nContent-Type: application/json\n\n<@ ./body-{{env}}.json\n\n###\nPOST https://x\n\n< ./photo.png\n';
    await expectScope(text, '<@', 'keyword.operator.file-include.http');
    await expectScope(text, 'env', 'variable.other.readwrite.http');
    await expectScope(text, './photo.png', 'string.unquoted.file-path.http');
    await expectScope(text, '<', 'keyword.operator.file-include.http', 1);
  });

  test('XML lines that start with < stay XML: only "< path" and "<@ path" include a file, as the parser reads them', async () => {
    const xml = 'POST https://x\nContent-Type: application/xml\n\n<item id="1">\n<root>\n<a/>\n</root>\n</item>\n';
    for (const line of ['<item id="1">', '<root>', '<a/>']) {
      await expectNoScope(xml, line, 'meta.file-include.http');
      await expectNoScope(xml, line, 'keyword.operator.file-include.http');
      await expectScope(xml, line, 'meta.embedded.block.xml');
    }
    await expectScope(xml, 'item', 'entity.name.tag');
    await expectScope(xml, 'id', 'entity.other.attribute-name');
    await expectScope(xml, 'root', 'entity.name.tag');

    const includes = 'POST https://x\nContent-Type: application/xml\n\n< ./file.json\n\n###\nPOST https://x\nContent-Type: application/xml\n\n<@ ./file.json\n\n###\nPOST https://x\n\n<@./file.json\n';
    await expectScope(includes, '<', 'keyword.operator.file-include.http', 0);
    await expectScope(includes, './file.json', 'string.unquoted.file-path.http', 0);
    await expectScope(includes, '<@', 'keyword.operator.file-include.http', 0);
    await expectScope(includes, './file.json', 'string.unquoted.file-path.http', 1);
    await expectScope(includes, '<@', 'keyword.operator.file-include.http', 1);
    await expectScope(includes, './file.json', 'string.unquoted.file-path.http', 2);
  });

  test('an indented "< path" is body text, as in the parser', async () => {
    await expectNoScope('POST https://x\n\n  < ./file.json\n', './file.json', 'string.unquoted.file-path.http');
  });

  const handlers = [
    'POST https://x/login',
    'Content-Type: application/json',
    '',
    '{"user": "demo"}',
    '',
    '> {%',
    '  client.global.set("token", response.body.token);',
    '%}',
    '> ./check-login.js',
    '>>! ./out/login.json',
    '<> ./previous/login.json',
    '',
  ].join('\n');

  test('a > {% %} handler is embedded JavaScript, outside the JSON body', async () => {
    await expectScope(handlers, '>', 'keyword.operator.response-handler.http', 0);
    await expectScope(handlers, '{%', 'punctuation.section.embedded.begin.http');
    await expectScope(handlers, 'client.global.set', 'meta.embedded.block.javascript');
    await expectNoScope(handlers, 'client.global.set', 'meta.embedded.block.json');
    await expectScope(handlers, '%}', 'punctuation.section.embedded.end.http');
  });

  test('the handler script gets the JavaScript grammar\'s scopes', async () => {
    await expectScope(handlers, '"token"', 'string.quoted.double.js');
  });

  test('colours > file handlers, >>/>>! output redirects and <> response references', async () => {
    await expectScope(handlers, './check-login.js', 'string.unquoted.file-path.http');
    await expectScope(handlers, '>>!', 'keyword.operator.output-redirect.http');
    await expectScope(handlers, './out/login.json', 'string.unquoted.file-path.http');
    await expectScope(handlers, '<>', 'keyword.operator.response-reference.http');
    await expectScope('GET https://x\n\n>> ./saved.json\n', '>>', 'keyword.operator.output-redirect.http');
  });

  test('a pasted response colours the status line, its headers and a JSON body', async () => {
    const text = '### Example response\nHTTP/1.1 201 Created\nContent-Type: application/json\n\n{"id": 7}\n';
    await expectScope(text, 'HTTP', 'keyword.other.http-version.http');
    await expectScope(text, '201', 'constant.numeric.status-code.http');
    await expectScope(text, 'Created', 'string.unquoted.reason-phrase.http');
    await expectScope(text, 'Content-Type', 'support.type.property-name.header.http');
    await expectScope(text, '"id"', 'meta.embedded.block.json');
  });
});

describe('grammar: pre-request scripts and ?? assertion lines', () => {
  const text = [
    '### Profile',
    '< {%',
    '  request.variables.set("nonce", $random.uuid);',
    '%}',
    '< ./sign.js',
    '?? status == 200',
    'GET https://example.com/me',
    'Accept: application/json',
    '?? header content-type includes json',
    '',
    '{"a": 1}',
    '',
    '?? body $.items[0].id exists',
    '?? js response.parsedBody.items.length > {{min}}',
    '> {% client.log(1) %}',
    '',
  ].join('\n');

  test('a < {% %} pre-request script is embedded JavaScript, as a handler is', async () => {
    await expectScope(text, '<', 'keyword.operator.pre-request-script.http', 0);
    await expectScope(text, '{%', 'punctuation.section.embedded.begin.http');
    await expectScope(text, 'request.variables.set', 'meta.embedded.block.javascript');
    await expectScope(text, '"nonce"', 'string.quoted.double.js');
    await expectScope(text, '%}', 'punctuation.section.embedded.end.http');
    await expectScope(text, './sign.js', 'string.unquoted.file-path.http');
  });

  test('the request line after them is still a request', async () => {
    await expectScope(text, 'GET', 'keyword.control.method.http');
    await expectScope(text, 'Accept', 'support.type.property-name.header.http');
  });

  test('?? lines: the target a keyword, the operator an operator, the expected value a string, wherever they stand', async () => {
    await expectScope(text, '??', 'keyword.operator.assertion.http', 0);
    await expectScope(text, 'status', 'keyword.other.assertion-target.http');
    await expectScope(text, '==', 'keyword.operator.comparison.assertion.http');
    await expectScope(text, '200', 'string.unquoted.assertion-expected.http');
    await expectScope(text, 'header', 'keyword.other.assertion-target.http');
    await expectScope(text, 'content-type', 'variable.parameter.assertion-argument.http');
    await expectScope(text, 'includes', 'keyword.operator.comparison.assertion.http');
    await expectScope(text, 'json', 'string.unquoted.assertion-expected.http', 1);
    await expectNoScope(text, 'header content-type', 'support.type.property-name.header.http');
  });

  test('after the body, ?? lines end a JSON body and read as assertions; js takes the line up to its last operator', async () => {
    await expectScope(text, '$.items[0].id', 'variable.parameter.assertion-argument.http');
    await expectNoScope(text, '$.items[0].id', 'meta.embedded.block.json');
    await expectScope(text, 'exists', 'keyword.operator.comparison.assertion.http');
    await expectScope(text, 'response.parsedBody.items.length', 'variable.parameter.assertion-argument.http');
    await expectScope(text, '>', 'keyword.operator.comparison.assertion.http', 0);
    await expectScope(text, 'min', 'variable.other.readwrite.http');
    await expectScope(text, 'client.log', 'meta.embedded.block.javascript');
  });
});

describe('grammar: httpYac script blocks', () => {
  const text = [
    '{{',
    '  exports.stamp = String(Date.now());',
    '}}',
    'POST https://example.com/items',
    'Content-Type: application/json',
    '',
    '{ "stamp": "{{stamp}}" }',
    '{{@response',
    '  test.status(201);',
    '}}',
    '{{+after',
    '  console.log("done");',
    '}}',
    '',
  ].join('\n');

  test('a block above the request line is embedded JavaScript between its brace lines', async () => {
    await expectScope(text, '{{', 'punctuation.section.embedded.begin.http', 0);
    await expectScope(text, 'exports.stamp', 'meta.embedded.block.javascript');
    await expectScope(text, '}}', 'punctuation.section.embedded.end.http', 0);
  });

  test('the request after it is still a request, and a {{reference}} on one line is still a variable', async () => {
    await expectScope(text, 'POST', 'keyword.control.method.http');
    await expectScope(text, 'stamp', 'variable.other.readwrite.http', 2);
  });

  test('blocks after a body are JavaScript; the event and + are marked', async () => {
    const plain = ['POST https://example.com/notes', '', 'a note', '', '{{@response', '  test.status(201);', '}}', '{{+after', '  console.log("done");', '}}', ''].join('\n');
    await expectScope(plain, 'test.status', 'meta.embedded.block.javascript');
    await expectScope(plain, 'response', 'entity.name.function.event.http', 0);
    await expectScope(plain, '+', 'keyword.operator.script-block.http');
    await expectScope(plain, 'console.log', 'meta.embedded.block.javascript');
  });
});

describe('grammar: stream requests (WEBSOCKET, WS, SSE, GRPC)', () => {
  const chat = [
    'WEBSOCKET ws://localhost:3000/ws/chat',
    'Content-Type: application/json',
    '',
    '{"text": "hello"}',
    '=== wait-for-server',
    '{"text": "{{name}}"}',
    '===',
    'plain text message',
    '',
    '### Next',
    'GET https://example.com',
    '',
  ].join('\n');

  test('the stream methods are methods, their targets URLs', async () => {
    await expectScope(chat, 'WEBSOCKET', 'keyword.control.method.http');
    await expectScope(chat, 'ws://localhost:3000/ws/chat', 'string.unquoted.url.http');
    await expectScope('WS wss://example.com/echo\n', 'WS', 'keyword.control.method.http');
    await expectScope('SSE https://example.com/events\nLast-Event-ID: 4\n', 'SSE', 'keyword.control.method.http');
    await expectScope('SSE https://example.com/events\nLast-Event-ID: 4\n', 'Last-Event-ID', 'support.type.property-name.header.http');
    const grpc = 'GRPC localhost:50051/helloworld.Greeter/SayHello\nauthorization: Bearer x\n\n{"name": "Ann"}\n';
    await expectScope(grpc, 'GRPC', 'keyword.control.method.http');
    await expectScope(grpc, 'localhost:50051/helloworld.Greeter/SayHello', 'string.unquoted.url.http');
    await expectScope(grpc, 'authorization', 'support.type.property-name.header.http');
    await expectScope(grpc, '"name"', 'support.type.property-name.json');
  });

  test('=== and === wait-for-server separate messages; each JSON message is JSON, the separators are not', async () => {
    await expectScope(chat, '===', 'keyword.operator.message-separator.http', 0);
    await expectScope(chat, 'wait-for-server', 'keyword.control.wait-for-server.http');
    await expectNoScope(chat, '=== wait-for-server', 'meta.embedded.block.json');
    await expectScope(chat, '===', 'punctuation.separator.message.http', 1);
    await expectNoScope(chat, '===', 'meta.embedded.block.json', 1);
    await expectScope(chat, '"hello"', 'string.quoted.double.json');
    await expectScope(chat, 'name', 'variable.other.readwrite.http');
    await expectScope(chat, '"text"', 'support.type.property-name.json', 1);
    await expectNoScope(chat, 'plain text message', 'meta.embedded.block.json');
  });

  test('a separator right after the headers starts the messages', async () => {
    const text = 'WS ws://localhost/ws\nOrigin: http://localhost\n=== wait-for-server\n{"a": 1}\n';
    await expectScope(text, 'wait-for-server', 'keyword.control.wait-for-server.http');
    await expectScope(text, '"a"', 'meta.embedded.block.json');
    await expectScope(text, 'Origin', 'support.type.property-name.header.http');
  });

  test('the request after the messages is a request; === in an HTTP body is only text', async () => {
    await expectScope(chat, 'GET', 'keyword.control.method.http');
    await expectNoScope(chat, 'GET', 'meta.embedded');
    await expectScope(chat, 'Next', 'entity.name.section.request-title.http');
    const unseparated = 'POST https://example.com/a\n\nbody\n\nWS ws://localhost/ws\n\nhi\n';
    await expectScope(unseparated, 'WS', 'keyword.control.method.http');
    await expectNoScope('POST https://example.com/a\n\ntext\n===\nmore\n', '===', 'keyword.operator.message-separator.http');
  });
});

describe('grammar: manifest and samples', () => {
  test('every embedded scope the manifest declares is produced by the grammar', () => {
    const manifest = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8')) as {
      contributes: { grammars: { scopeName: string; path: string; embeddedLanguages?: Record<string, string> }[] };
    };
    const http = manifest.contributes.grammars.find((grammar) => grammar.scopeName === 'source.http');
    assert.ok(http, 'package.json contributes no source.http grammar');
    const grammarText = readFileSync(join(repositoryRoot, http.path), 'utf8');
    for (const scope of Object.keys(http.embeddedLanguages ?? {})) assert.ok(grammarText.includes(`"${scope}"`), `the grammar never produces ${scope}`);
  });

  test('every request line in samples/*.http is coloured as a request', async () => {
    const samplesFolder = join(repositoryRoot, 'samples');
    const files = readdirSync(samplesFolder).filter((name) => name.endsWith('.http'));
    assert.ok(files.length >= 7, `expected the 7 samples, found ${files.length}`);
    for (const file of files) {
      const text = readFileSync(join(samplesFolder, file), 'utf8');
      const tokens = await tokenize(text);
      for (const [line, lineText] of text.split(/\r?\n/).entries()) {
        const method = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|GRAPHQL|WEBSOCKET|WS|SSE|GRPC) /.exec(lineText)?.[1];
        if (method === undefined) continue;
        const first = tokens.find((token) => token.line === line && token.startColumn === 0);
        assert.ok(first?.scopes.includes('keyword.control.method.http'), `${file}:${line + 1}: "${lineText}" is not coloured as a request line (${first?.scopes.join(' | ')})`);
      }
    }
  });
});
