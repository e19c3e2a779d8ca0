// `{{$auth.token("id")}}` in .http files: completion of the configured ids, the unknown-id
// diagnostic with its fixes, and hover, over environments read from real env file texts.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { InsertTextFormat, MarkupContent, TextEdit, type CompletionItem } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { complete } from '../../../language/completion';
import type { EnvironmentSnapshot, FeatureContext } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { codeActions } from '../../../language/diagnosticsQuickFixes';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';

const publicFile = {
  $shared: { host: 'http://localhost' },
  dev: {
    Security: {
      Auth: {
        'my-app': { Type: 'OAuth2', 'Grant Type': 'Authorization Code', 'Auth URL': 'https://idp/authorize', 'Token URL': 'https://idp/token', 'Client ID': 'courier', Scope: 'openid profile', PKCE: true },
        robot: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': 'https://idp/token', 'Client ID': 'robot' },
      },
    },
  },
  prod: { Security: { Auth: { 'prod-only': { Type: 'OAuth2', 'Grant Type': 'Password', 'Token URL': 'https://idp/token', 'Client ID': 'p', Username: 'ann' } } } },
};
const privateFile = { dev: { Security: { Auth: { robot: { 'Client Secret': 'top-secret-value' } } } }, prod: { Security: { Auth: { 'prod-only': { Password: 'hunter2-password' } } } } };

function environments(active: string | undefined): EnvironmentSnapshot {
  const files = [
    parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: JSON.stringify(publicFile, null, 2) }),
    parseEnvironmentFile({ uri: 'file:///w/http-client.private.env.json', text: JSON.stringify(privateFile, null, 2) }),
  ];
  return buildEnvironmentSnapshot(files, active);
}

function contextOf(text: string, snapshot: EnvironmentSnapshot): FeatureContext {
  return { uri: 'file:///w/api.http', document: parse(text), environments: snapshot, host: { fileExists: () => true } };
}

function completeAt(marked: string, snapshot: EnvironmentSnapshot): { readonly text: string; readonly items: readonly CompletionItem[] } {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  return { text, items: complete(contextOf(text, snapshot), offset).items };
}

/** The text after accepting `label` (snippets with their tab stops removed). */
function accept(marked: string, label: string, snapshot: EnvironmentSnapshot): string {
  const { text, items } = completeAt(marked, snapshot);
  const item = items.find((candidate) => candidate.label === label);
  assert.ok(item?.textEdit !== undefined && TextEdit.is(item.textEdit), `no item ${label}`);
  const document = parse(text);
  const newText = item.insertTextFormat === InsertTextFormat.Snippet ? item.textEdit.newText.replace(/\$\d+/g, '').replace(/\\\$/g, '$') : item.textEdit.newText;
  return text.slice(0, positionToOffset(document, item.textEdit.range.start)) + newText + text.slice(positionToOffset(document, item.textEdit.range.end));
}

function authDiagnostics(text: string, snapshot: EnvironmentSnapshot): { readonly context: FeatureContext; readonly found: ReturnType<typeof diagnose> } {
  const context = contextOf(text, snapshot);
  return { context, found: diagnose(context).filter((diagnostic) => diagnostic.code === Code.AuthUnknownConfiguration) };
}

function messageOf(diagnostic: { readonly message: string | MarkupContent } | undefined): string {
  if (diagnostic === undefined) return '';
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

function hoverText(marked: string, snapshot: EnvironmentSnapshot): string {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const answer = hover(contextOf(text, snapshot), offset);
  assert.ok(answer !== null && MarkupContent.is(answer.contents));
  return answer.contents.value;
}

describe('$auth.token completion', () => {
  test('after {{$auth.token(" the active environment\'s ids, with their grant types', () => {
    const { items } = completeAt('GET {{host}}/me\nAuthorization: Bearer {{$auth.token("|', environments('dev'));
    assert.deepEqual(items.map((item) => [item.label, item.detail]), [['my-app', 'Authorization Code'], ['robot', 'Client Credentials']]);
  });

  test('with no environment active, every environment\'s ids', () => {
    const { items } = completeAt('GET {{host}}/me\nAuthorization: Bearer {{$auth.idToken("|', environments(undefined));
    assert.deepEqual(items.map((item) => item.label), ['my-app', 'robot', 'prod-only']);
  });

  test('accepting writes the id with what closes the reference, and nothing twice', () => {
    const dev = environments('dev');
    assert.equal(accept('X: {{$auth.token("|', 'robot', dev), 'X: {{$auth.token("robot")}}');
    assert.equal(accept('X: {{$auth.token(|', 'robot', dev), 'X: {{$auth.token("robot")}}');
    assert.equal(accept('X: {{$auth.token("ro|")}}', 'robot', dev), 'X: {{$auth.token("robot")}}');
    assert.equal(accept("X: {{$auth.idToken('|')}} y", 'my-app', dev), "X: {{$auth.idToken('my-app')}} y");
  });

  test('$auth.token and $auth.idToken are offered among the system variables, and open the ids next', () => {
    const { items } = completeAt('GET {{host}}/me\nAuthorization: Bearer {{$|', environments('dev'));
    const token = items.find((item) => item.label === '$auth.token');
    assert.ok(token !== undefined && items.some((item) => item.label === '$auth.idToken'));
    assert.equal(token.command?.command, 'editor.action.triggerSuggest');
    assert.equal(accept('Authorization: Bearer {{$|', '$auth.token', environments('dev')), 'Authorization: Bearer {{$auth.token("")}}');
  });

  test('no environments: no ids, and the system variables are still offered', () => {
    assert.deepEqual(completeAt('X: {{$auth.token("|', { names: [], active: undefined, variables: new Map() }).items, []);
  });
});

describe('$auth.token diagnostics', () => {
  test('an id the active environment configures is fine, merged over the private file', () => {
    assert.deepEqual(authDiagnostics('GET {{host}}/a\nAuthorization: Bearer {{$auth.token("robot")}}\nX: {{$auth.idToken("my-app")}}\n', environments('dev')).found, []);
  });

  test('an unknown id is an error with "did you mean" and a fix', () => {
    const { context, found } = authDiagnostics('GET {{host}}/a\nAuthorization: Bearer {{$auth.token("robto")}}\n', environments('dev'));
    assert.equal(found.length, 1);
    assert.equal(found[0]?.severity, 1);
    assert.match(messageOf(found[0]), /No auth configuration "robto" in environment 'dev': did you mean "robot"\?/);
    const actions = codeActions(context, found[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, found);
    assert.deepEqual(actions.map((action) => [action.title, action.edit?.changes?.['file:///w/api.http']?.[0]?.newText]), [[`Change to '$auth.token("robot")'`, '$auth.token("robot")']]);
  });

  test('an id like none lists the configured ones', () => {
    const { found } = authDiagnostics('GET {{host}}/a\nX: {{$auth.token("zzzzzzzz")}}\n', environments('dev'));
    assert.match(messageOf(found[0]), /the configured ones are "my-app", "robot"/);
  });

  test('an id only another environment configures says which, with a fix selecting it', () => {
    const { context, found } = authDiagnostics('GET {{host}}/a\nX: {{$auth.token("prod-only")}}\n', environments('dev'));
    assert.match(messageOf(found[0]), /"prod-only" is defined in environment 'prod', not in 'dev', the active environment/);
    const actions = codeActions(context, found[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, found);
    assert.deepEqual(actions.map((action) => [action.title, action.command?.arguments]), [["Select environment 'prod'", ['prod']]]);
  });

  test('with no environment active, an id any environment configures is fine', () => {
    assert.deepEqual(authDiagnostics('GET {{host}}/a\nX: {{$auth.token("prod-only")}}\n', environments(undefined)).found, []);
  });

  test('the id is read as a send reads it: quotes and spaces optional; without parentheses it names nothing', () => {
    for (const written of ['$auth.token(robot)', "$auth.token( 'robot' )", '$auth.token ("robot")']) {
      assert.deepEqual(authDiagnostics(`GET {{host}}/a\nX: {{${written}}}\n`, environments('dev')).found, [], written);
    }
    const { found } = authDiagnostics('GET {{host}}/a\nX: {{$auth.token}}\n', environments('dev'));
    assert.match(messageOf(found[0]), /names no auth configuration: write \{\{\$auth\.token\("id"\)\}\}/);
  });

  test('a document without $auth never reads the auth configurations', () => {
    const snapshot = environments('dev');
    let reads = 0;
    const counting: EnvironmentSnapshot = {
      names: snapshot.names,
      active: snapshot.active,
      variables: snapshot.variables,
      get security() {
        reads++;
        return snapshot.security;
      },
    };
    diagnose(contextOf('GET {{host}}/a\nAuthorization: Bearer {{$uuid}}\n', counting));
    complete(contextOf('GET {{host}}/a\nX: {{ho', counting), 'GET {{host}}/a\nX: {{ho'.length);
    assert.equal(reads, 0);
    diagnose(contextOf('GET {{host}}/a\nAuthorization: Bearer {{$auth.token("robot")}}\n', counting));
    assert.ok(reads > 0, 'the test can see a read');
  });
});

describe('$auth.token hover', () => {
  test('shows the configuration and where it is defined, never a secret', () => {
    const markdown = hoverText('GET {{host}}/a\nAuthorization: Bearer {{$auth.tok|en("robot")}}\n', environments('dev'));
    assert.match(markdown, /OAuth 2\.0 access token of auth configuration `robot`/);
    assert.match(markdown, /environment `dev`, `http-client\.env\.json` and `http-client\.private\.env\.json`/);
    assert.match(markdown, /Grant Type: `Client Credentials`/);
    assert.match(markdown, /Token URL: `https:\/\/idp\/token`/);
    assert.match(markdown, /Client ID: `robot`/);
    assert.match(markdown, /Client Secret: set/);
    assert.doesNotMatch(markdown, /top-secret-value/);
  });

  test('PKCE, scope and URLs of a browser grant; a Client Secret not set says so', () => {
    const markdown = hoverText('GET {{host}}/a\nX: {{$auth.idTo|ken("my-app")}}\n', environments('dev'));
    assert.match(markdown, /OpenID Connect ID token/);
    assert.match(markdown, /Auth URL: `https:\/\/idp\/authorize`/);
    assert.match(markdown, /Scope: `openid profile`/);
    assert.match(markdown, /PKCE: `true`/);
    assert.match(markdown, /Client Secret: not set/);
  });

  test('a Password is "set", never shown', () => {
    const markdown = hoverText('GET {{host}}/a\nX: {{$auth.tok|en("prod-only")}}\n', environments('prod'));
    assert.match(markdown, /Username: `ann`/);
    assert.match(markdown, /Password: set/);
    assert.doesNotMatch(markdown, /hunter2/);
  });

  test('an unknown id explains itself', () => {
    assert.match(hoverText('GET {{host}}/a\nX: {{$auth.tok|en("nope")}}\n', environments('dev')), /No auth configuration "nope" in environment 'dev'/);
  });
});
