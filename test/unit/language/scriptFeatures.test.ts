// Editor features inside scripts and on `??` lines: completion of the scripting API and of
// assertion parts, hover on API members and on names scripts set, folding of pre-request scripts,
// and an outline that scripts do not disturb. `|` marks the cursor.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { type CompletionItem, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../../language/completion';
import { memberChainBefore } from '../../../language/completionScripts';
import { type EnvironmentSnapshot, type FeatureContext, noEnvironments } from '../../../language/context';
import { SCRIPT_API } from '../../../language/data/scriptApi';
import { foldingRanges } from '../../../language/folding';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';
import { documentSymbols } from '../../../language/symbols';
import { contextFor, cursor } from './featureContext';

function contextOf(text: string, environments: EnvironmentSnapshot = noEnvironments): FeatureContext {
  return { uri: 'file:///work/api.http', document: parse(text), environments, host: { fileExists: () => true } };
}

function itemsAt(marked: string): readonly CompletionItem[] {
  const { text, offset } = cursor(marked);
  return complete(contextOf(text), offset).items;
}

function labels(marked: string): string[] {
  return itemsAt(marked).map((item) => item.label);
}

/** The text after accepting `label` at the cursor. */
function accept(marked: string, label: string): string {
  const { text, offset } = cursor(marked);
  const item = complete(contextOf(text), offset).items.find((candidate) => candidate.label === label);
  assert.ok(item?.textEdit !== undefined && TextEdit.is(item.textEdit), `no item '${label}'`);
  const document = parse(text);
  return text.slice(0, positionToOffset(document, item.textEdit.range.start)) + item.textEdit.newText + text.slice(positionToOffset(document, item.textEdit.range.end));
}

function hoverText(marked: string, environments?: EnvironmentSnapshot): string | undefined {
  const { text, offset } = cursor(marked);
  const result = hover(contextOf(text, environments), offset);
  if (result === null) return undefined;
  assert.ok(MarkupContent.is(result.contents));
  return result.contents.value;
}

describe('completion in scripts', () => {
  test('after `client.` come its members, with their documentation', () => {
    const items = itemsAt('GET https://example.com\n\n> {%\n  client.|\n%}\n');
    assert.deepEqual(items.map((item) => item.label), ['global', 'test', 'assert', 'log', 'exit']);
    const test = items.find((item) => item.label === 'test');
    assert.equal(test?.detail, 'client.test(name, fn)');
    assert.ok(MarkupContent.is(test?.documentation) && test.documentation.value.includes('passes unless'));
  });

  test('deeper members, in both phases', () => {
    assert.deepEqual(labels('GET https://example.com\n\n> {% client.global.| %}\n'), ['set', 'get', 'isEmpty', 'clear', 'clearAll']);
    assert.deepEqual(labels('< {% request.variables.s| %}\nGET https://example.com\n'), ['set', 'get']);
    assert.deepEqual(labels('GET https://example.com\n\n> {% const type = response.contentType.| %}\n'), ['mimeType', 'charset']);
  });

  test('calls answer what they return: hash builders chain to digest()', () => {
    assert.ok(labels('GET https://example.com\n\n> {% crypto.sha256().| %}\n').includes('digest'));
    assert.deepEqual(labels('GET https://example.com\n\n> {% crypto.hmac.sha256().withTextSecret("k").updateWithText("x").digest().| %}\n'), ['toHex', 'toBase64']);
    assert.ok(labels('GET https://example.com\n\n> {% crypto.hmac.sha256().withTextSecret("k").| %}\n').includes('withHexSecret'));
  });

  test('after `response.body.` come the stream handlers, and hover says when they run', () => {
    assert.deepEqual(labels('GET https://example.com/events\n\n> {% response.body.| %}\n'), ['onEachLine', 'onEachMessage']);
    assert.match(hoverText('GET https://example.com/events\n\n> {% response.body.onEachMess|age((m) => {}); %}\n') ?? '', /output\(message\)` sends a message on a WebSocket/);
  });

  test('a word being typed lists the globals; accepting one replaces the whole word', () => {
    const names = labels('GET https://example.com\n\n> {% $ran| %}\n');
    assert.deepEqual(names, SCRIPT_API.map((member) => member.name));
    assert.equal(accept('GET https://example.com\n\n> {% resp|onse.status %}\n', 'response'), 'GET https://example.com\n\n> {% response.status %}\n');
  });

  test('nothing inside strings, comments, or after members of other objects', () => {
    assert.deepEqual(labels('GET https://example.com\n\n> {% client.log("client.|") %}\n'), []);
    assert.deepEqual(labels('GET https://example.com\n\n> {% // client.| %}\n'), []);
    assert.deepEqual(labels('GET https://example.com\n\n> {% foo.client.| %}\n'), []);
    assert.deepEqual(labels('GET https://example.com\n\n> {% client.nothing.| %}\n'), []);
  });

  test('memberChainBefore reads the chain before the cursor', () => {
    assert.deepEqual(memberChainBefore('  const a = crypto.hmac.sha256("x").with'), { path: ['crypto', 'hmac', 'sha256()'], word: 'with' });
    assert.equal(memberChainBefore('x = "client.'), undefined);
  });
});

describe('completion on ?? lines', () => {
  test('targets after ??, then operators', () => {
    assert.deepEqual(labels('GET https://example.com\n?? |\n'), ['status', 'header', 'body', 'duration', 'js', 'xpath']);
    assert.equal(accept('GET https://example.com\n?? st|\n', 'status'), 'GET https://example.com\n?? status \n');
    const operators = labels('GET https://example.com\n?? status |\n');
    assert.ok(operators.includes('==') && operators.includes('isNumber') && operators.includes('matches'), operators.join(' '));
  });

  test('a header name after header, duration phases after duration, nothing after the operator', () => {
    assert.ok(labels('GET https://example.com\n?? header |\n').includes('Content-Type'));
    assert.ok(labels('GET https://example.com\n?? header content-type |\n').includes('includes'));
    const afterDuration = labels('GET https://example.com\n?? duration |\n');
    assert.deepEqual(afterDuration.slice(0, 6), ['total', 'dns', 'connect', 'tls', 'firstByte', 'download']);
    assert.ok(labels('GET https://example.com\n?? duration firstByte |\n').includes('<'));
    assert.deepEqual(labels('GET https://example.com\n?? status == |\n'), []);
    assert.deepEqual(labels('GET https://example.com\n?? nonsense |\n'), []);
  });

  test('?? lines complete above the request line and after the body too', () => {
    assert.ok(labels('?? |\nGET https://example.com\n').includes('status'));
    assert.ok(labels('POST https://example.com\n\n{"a": 1}\n\n?? body $.a |\n').includes('=='));
  });

  test('references still complete inside an expected value', () => {
    assert.ok(labels('@code = 200\nGET https://example.com\n?? status == {{c|\n').includes('code'));
  });
});

describe('{{ completion of names scripts set', () => {
  test('{{ lists the globals scripts set, and the request variables of the current request only', () => {
    const text = 'POST https://example.com/login\n\n> {% client.global.set("token", response.body.t); %}\n\n###\n< {% request.variables.set("nonce", "1"); %}\nGET https://example.com/{{|\n\n###\n< {% request.variables.set("other", "1"); %}\nGET https://example.com\n';
    const items = itemsAt(text);
    const token = items.find((item) => item.label === 'token');
    assert.equal(token?.detail, 'global set by a script at api.http:3');
    assert.ok(items.some((item) => item.label === 'nonce'));
    assert.ok(!items.some((item) => item.label === 'other'), 'another request\'s variable is not offered');
  });
});

describe('hover in scripts', () => {
  test('an API member shows its signature and what it does', () => {
    const markdown = hoverText('GET https://example.com\n\n> {% client.global.s|et("a", "1") %}\n');
    assert.ok(markdown?.includes('client.global.set(name, value)'), markdown);
    assert.match(markdown ?? '', /later requests read it as `\{\{name\}\}`/);
    assert.ok(hoverText('< {% request.varia|bles.set("a", "1") %}\nGET https://example.com\n')?.includes('Variables of this request only'));
    assert.equal(hoverText('GET https://example.com\n\n> {% const unrelat|ed = 1; %}\n'), undefined);
  });

  test('{{name}} a script sets says where', () => {
    const text = 'POST https://example.com/login\n\n> {%\n  client.global.set("token", response.body.token);\n%}\n\n###\nGET https://example.com/me\nAuthorization: Bearer {{to|ken}}\n';
    assert.match(hoverText(text) ?? '', /\*\*token\*\* \(global, set by a script at `api\.http:4`\)/);
  });

  test('{{name}} set by a script in another workspace file says which', () => {
    const environments: EnvironmentSnapshot = { ...noEnvironments, scriptGlobals: new Map([['session', { name: 'session', uri: 'file:///work/auth/login.http', line: 6 }]]) };
    assert.match(hoverText('GET https://example.com/{{sess|ion}}\n', environments) ?? '', /set by a script at `login\.http:7`/);
  });
});

describe('folding and symbols with scripts', () => {
  test('a multi-line pre-request script folds, as a handler does', () => {
    const text = '### one\n< {%\n  const t = Date.now();\n  request.variables.set("t", String(t));\n%}\nGET https://example.com\n\n> {%\n  client.log(1);\n%}\n';
    const ranges = foldingRanges(contextFor(text)).map((range) => [range.startLine, range.endLine]);
    assert.deepEqual(ranges, [[0, 9], [1, 4], [7, 9]]);
  });

  test('the outline lists the request once, whatever scripts and ?? lines it has', () => {
    const plain = documentSymbols(contextFor('### one\nGET https://example.com\n'));
    const scripted = documentSymbols(contextFor('### one\n< {% request.variables.set("a", "1") %}\n?? status == 200\nGET https://example.com\n\n> {% client.log(1) %}\n'));
    assert.deepEqual(scripted.map((symbol) => [symbol.name, symbol.detail]), plain.map((symbol) => [symbol.name, symbol.detail]));
  });
});

describe('completion and hover in httpYac script blocks', () => {
  test('after `test.` come httpYac\'s helpers; after `response.` its response\'s members', () => {
    assert.deepEqual(labels('GET https://example.com\n\n{{\n  test.|\n}}\n'), ['status', 'header', 'headerContains', 'responseBody', 'hasResponseBody', 'hasNoResponseBody', 'totalTime']);
    assert.ok(labels('GET https://example.com\n\n{{\n  response.p|\n}}\n').includes('parsedBody'));
    assert.ok(!labels('GET https://example.com\n\n{{\n  response.|\n}}\n').includes('valueOf'));
  });

  test('a word being typed lists httpYac\'s globals and the sandbox\'s helpers, not JetBrains\' client', () => {
    const names = labels('{{\n  ex|\n}}\nGET https://example.com\n');
    assert.deepEqual(names.slice(0, 6), ['test', 'exports', '$global', 'sleep', 'response', 'request']);
    assert.ok(names.includes('crypto') && !names.includes('client'));
  });

  test('hover shows the member\'s signature, in a global region too', () => {
    assert.match(hoverText('###\n{{\n  test.sta|tus(200);\n}}\n') ?? '', /test\.status\(code\)/);
    assert.match(hoverText('GET https://example.com\n\n{{\n  exports.token = response.parsedBo|dy.token;\n}}\n') ?? '', /The body parsed, for JSON responses/);
  });

  test('{{name}} an httpYac script exports says where', () => {
    const text = 'POST https://example.com/login\n\n{{\n  exports.token = response.parsedBody.token;\n}}\n\n###\nGET https://example.com/me\nAuthorization: Bearer {{to|ken}}\n';
    assert.match(hoverText(text) ?? '', /\*\*token\*\* \(exported by an httpYac script, set by a script at `api\.http:4`\)/);
  });
});
