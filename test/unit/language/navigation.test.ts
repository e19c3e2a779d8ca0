import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Range, type WorkspaceEdit } from 'vscode-languageserver-types';
import { definition, prepareRename, references, rename } from '../../../language/navigation';
import { contextFor, cursor, testUri, textOf } from './featureContext';

const document = [
  '@host = example.com', // line 0
  '',
  '# @name login',
  'POST https://{{host}}/login',
  '',
  '### profile',
  'GET https://{{host}}/me',
  'Authorization: Bearer {{login.response.body.$.token}}',
  'X-Trace: {{$uuid}} {{login.response.headers.X-Id}}',
  '',
].join('\n');

/** Context and offset for `document` with the cursor just after the first occurrence of `before`. */
function at(before: string, options: Parameters<typeof contextFor>[1] = {}) {
  const index = document.indexOf(before);
  assert.ok(index >= 0, before);
  const { text, offset } = cursor(document.slice(0, index + before.length) + '|' + document.slice(index + before.length));
  return { context: contextFor(text, options), offset };
}

function rangesText(context: ReturnType<typeof contextFor>, locations: readonly { readonly range: Range }[]): string[] {
  return locations.map((location) => `${location.range.start.line}:${textOf(context, location.range)}`);
}

function applyRename(text: string, edit: WorkspaceEdit): string {
  const context = contextFor(text);
  const edits = [...(edit.changes?.[testUri] ?? [])].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
  let result = text;
  for (const change of edits) {
    const start = textOf(context, Range.create(0, 0, change.range.start.line, change.range.start.character)).length;
    const end = textOf(context, Range.create(0, 0, change.range.end.line, change.range.end.character)).length;
    result = result.slice(0, start) + change.newText + result.slice(end);
  }
  return result;
}

describe('definition', () => {
  test('of a file variable reference is its @definition', () => {
    const { context, offset } = at('GET https://{{ho');
    assert.deepEqual(rangesText(context, definition(context, offset)), ['0:host']);
  });

  test('of a request reference is its # @name or ### title', () => {
    const { context, offset } = at('{{log');
    assert.deepEqual(rangesText(context, definition(context, offset)), ['2:login']);
  });

  test('of an environment variable goes to its env file through the host', () => {
    const text = 'GET https://example.com/{{token}}\n';
    const context = contextFor(text, { environment: { token: 't' } });
    const withLocation = { ...context, environments: { ...context.environments, variables: new Map([['token', { name: 'token', value: 't', source: 'environment' as const, location: { uri: 'file:///work/http-client.env.json', span: { start: 20, end: 27 } } }]]) } };
    const located = definition(withLocation, text.indexOf('token'), (uri, span) => (uri.endsWith('env.json') ? Range.create(1, span.start - 18, 1, span.end - 18) : undefined));
    assert.deepEqual(located, [{ uri: 'file:///work/http-client.env.json', range: Range.create(1, 2, 1, 9) }]);
  });

  test('of a system variable or plain text is nothing', () => {
    const system = at('{{$uu');
    assert.deepEqual(definition(system.context, system.offset), []);
    const plain = at('Authoriz');
    assert.deepEqual(definition(plain.context, plain.offset), []);
  });
});

describe('references', () => {
  test('of a file variable, with and without its declaration', () => {
    const { context, offset } = at('@ho');
    assert.deepEqual(rangesText(context, references(context, offset, true)), ['0:host', '3:host', '6:host']);
    assert.deepEqual(rangesText(context, references(context, offset, false)), ['3:host', '6:host']);
  });

  test('of a named request, from its title or a reference', () => {
    const { context, offset } = at('# @name log');
    assert.deepEqual(rangesText(context, references(context, offset, true)), ['2:login', '7:login', '8:login']);
  });
});

describe('rename', () => {
  test('a file variable updates the definition and every reference', () => {
    const { context, offset } = at('https://{{ho');
    const edit = rename(context, offset, 'server');
    assert.ok(edit !== undefined && !('rejected' in edit));
    const result = applyRename(context.document.text, edit);
    assert.equal(result.match(/server/g)?.length, 3);
    assert.equal(result.includes('host'), false);
  });

  test('a request name updates its references', () => {
    const { context, offset } = at('{{logi');
    const edit = rename(context, offset, 'signIn');
    assert.ok(edit !== undefined && !('rejected' in edit));
    const result = applyRename(context.document.text, edit);
    assert.match(result, /# @name signIn\n/);
    assert.match(result, /\{\{signIn\.response\.body\.\$\.token\}\}/);
    assert.match(result, /\{\{signIn\.response\.headers\.X-Id\}\}/);
  });

  test('a ### title name can be renamed', () => {
    const text = '### profile\nGET https://example.com\n\n###\nGET https://example.com/{{profile.response.body.$.id}}\n';
    const context = contextFor(text);
    const prepared = prepareRename(context, text.indexOf('profile') + 2);
    assert.ok(prepared !== undefined && 'range' in prepared);
    assert.equal(textOf(context, prepared.range), 'profile');
    const edit = rename(context, text.indexOf('profile') + 2, 'me');
    assert.ok(edit !== undefined && !('rejected' in edit));
    assert.equal(applyRename(text, edit), text.replaceAll('profile', 'me'));
  });

  test('system variables are rejected', () => {
    const { context, offset } = at('{{$uu');
    const prepared = prepareRename(context, offset);
    assert.ok(prepared !== undefined && 'rejected' in prepared);
    assert.match(prepared.rejected, /system variable/);
  });

  test('an environment variable is renamed in its env file, not here', () => {
    const text = 'GET https://example.com/{{token}}\n';
    const prepared = prepareRename(contextFor(text, { environment: { token: 't' } }), text.indexOf('token'));
    assert.ok(prepared !== undefined && 'rejected' in prepared);
    assert.match(prepared.rejected, /env file/);
  });

  test('a name that cannot be referenced is rejected', () => {
    const { context, offset } = at('@ho');
    const result = rename(context, offset, 'two words');
    assert.ok(result !== undefined && 'rejected' in result);
  });

  test('nothing to rename away from a name', () => {
    const { context, offset } = at('Authoriz');
    assert.equal(prepareRename(context, offset), undefined);
  });
});
