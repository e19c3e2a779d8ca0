// Diagnostics of scripts and `??` lines: JavaScript syntax errors at their line and column,
// assertion lines that are not assertions, names scripts set counting as defined, and script
// files that do not exist.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { type EnvironmentSnapshot, noEnvironments } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { parse } from '../../../language/parser';
import { scanScript } from '../../../language/scripts';
import { contextFor, testUri, textOf, type ContextOptions } from './featureContext';

const { Error: error, Warning: warning, Information: information } = DiagnosticSeverity;

function withCode(text: string, code: Code, options: ContextOptions = {}): Diagnostic[] {
  return diagnose(contextFor(text, options)).filter((diagnostic) => diagnostic.code === code);
}

function messageOf(diagnostic: Diagnostic | undefined): string {
  const message = diagnostic?.message ?? '';
  return typeof message === 'string' ? message : message.value;
}

/** Diagnostics with one code as `[covered text, severity]`. */
function found(text: string, code: Code, options: ContextOptions = {}): (readonly [string, DiagnosticSeverity | undefined])[] {
  const context = contextFor(text, options);
  return diagnose(context)
    .filter((diagnostic) => diagnostic.code === code)
    .map((diagnostic) => [textOf(context, diagnostic.range), diagnostic.severity] as const);
}

const login = [
  '### Log in',
  'POST https://example.com/login',
  '',
  '> {%',
  '  client.test("logged in", () => client.assert(response.status === 200));',
  '  client.global.set("auth_token", response.body.accessToken);',
  '%}',
  '',
  '### Profile',
  'GET https://example.com/me',
  'Authorization: Bearer {{auth_token}}',
  '',
].join('\n');

describe("kulala's Lua scripts", () => {
  test('are a warning at their -- lua line, not a JavaScript syntax error', () => {
    const text = '< {%\n  -- lua\n  local response = client.responses["one"].json\n%}\nGET https://a.test/\n\n> {% -- lua\nprint(1) %}\n';
    assert.deepEqual(found(text, Code.ScriptSyntaxError), []);
    assert.deepEqual(found(text, Code.ScriptLua), [['-- lua', warning], ['-- lua', warning]]);
    assert.match(messageOf(withCode(text, Code.ScriptLua)[0]), /Courier runs JavaScript scripts only/);
    assert.deepEqual(found('GET https://a.test/\n\n> {% client.log("--lua in a string is JavaScript") %}\n', Code.ScriptLua), []);
  });
});

describe('script syntax errors', () => {
  test('a syntax error in a handler is an error at its line and column', () => {
    const text = 'GET https://example.com\n\n> {%\n  const a = 1;\n  client.test("x", () => {\n%}\n';
    const [diagnostic, ...rest] = withCode(text, Code.ScriptSyntaxError);
    assert.deepEqual(rest, []);
    assert.equal(diagnostic?.severity, error);
    // acorn reaches the end of the script without the closing `})`: the last character is marked.
    assert.equal(diagnostic?.range.start.line, 4);
    assert.match(messageOf(diagnostic), /^JavaScript syntax error: Unexpected token\.$/);
  });

  test('the error points into a pre-request script at the offending token', () => {
    const text = '< {%\n  const id = ;\n%}\nGET https://example.com\n';
    assert.deepEqual(found(text, Code.ScriptSyntaxError), [[';', error]]);
    const [diagnostic] = withCode(text, Code.ScriptSyntaxError);
    assert.deepEqual(diagnostic?.range.start, { line: 1, character: 13 });
  });

  test('scripts parse as QuickJS runs them: return and await outside a function, no import', () => {
    assert.deepEqual(found('GET https://example.com\n\n> {% if (response.status !== 200) return; await Promise.resolve(1); %}\n', Code.ScriptSyntaxError), []);
    assert.equal(found('GET https://example.com\n\n> {% import x from "y"; %}\n', Code.ScriptSyntaxError).length, 1);
  });

  test('each request reports only its own scripts, and a document without scripts has none', () => {
    const text = 'GET https://a.example\n\n> {% ok(); %}\n\n###\nGET https://b.example\n\n> {% broken( %}\n';
    const context = contextFor(text);
    const diagnostics = diagnose(context).filter((diagnostic) => diagnostic.code === Code.ScriptSyntaxError);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.range.start.line), [7]);
    assert.deepEqual(found('GET https://a.example\n', Code.ScriptSyntaxError), []);
  });

  test('an unclosed script is reported as unclosed, not as JavaScript', () => {
    const codes = diagnose(contextFor('GET https://example.com\n\n> {%\n  client.test("x", () => {\n\n###\nGET https://example.com\n')).map((diagnostic) => diagnostic.code);
    assert.deepEqual(codes, [Code.HandlerUnterminated]);
  });

  test('scanScript finds literal and computed names, and names in a script that does not parse', () => {
    const parsed = scanScript('client.global.set("a", 1); request.variables.set(`b`, 2); client.global.set("c" + x, 3); other.set("d");');
    assert.equal(parsed.error, undefined);
    assert.deepEqual(parsed.calls.map((call) => [call.kind, call.name]), [['global', 'a'], ['request', 'b'], ['global', undefined]]);
    const broken = scanScript('client.global.set("token", response.body.token);\nclient.global.set(');
    assert.notEqual(broken.error, undefined);
    assert.deepEqual(broken.calls.map((call) => [call.kind, call.name]), [['global', 'token']]);
  });
});

describe('names scripts set', () => {
  test("a handler's client.global.set makes {{name}} defined in later requests", () => {
    assert.deepEqual(found(login, Code.VariableUndefined), []);
  });

  test('without the handler the same reference is a warning', () => {
    assert.deepEqual(found(login.replace('client.global.set("auth_token"', 'client.global.set("other"'), Code.VariableUndefined), [['auth_token', warning]]);
  });

  test('request.variables.set counts only in its own request', () => {
    const text = '< {% request.variables.set("nonce", "1") %}\nGET https://example.com/{{nonce}}\n\n###\nGET https://example.com/{{nonce}}\n';
    const context = contextFor(text);
    const diagnostics = diagnose(context).filter((diagnostic) => diagnostic.code === Code.VariableUndefined);
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.range.start.line), [4]);
  });

  test('a script that sets a computed name lowers undefined variables of its file to information', () => {
    const text = 'GET https://example.com\n\n> {% for (const key of Object.keys(response.body)) client.global.set(key, response.body[key]); %}\n\n###\nGET https://example.com/{{id}}\n';
    const [diagnostic] = withCode(text, Code.VariableUndefined);
    assert.equal(diagnostic?.severity, information);
    assert.match(messageOf(diagnostic), /names are computed/);
  });

  test('globals of other workspace files (from the host) count as defined', () => {
    const environments: EnvironmentSnapshot = { ...noEnvironments, scriptGlobals: new Map([['session', { name: 'session', uri: 'file:///work/login.http', line: 3 }]]) };
    const document = parse('GET https://example.com/{{session}}\n');
    assert.deepEqual(diagnose({ uri: testUri, document, environments, host: { fileExists: () => true } }), []);
  });

  test('the incremental pass agrees, and re-checks other chunks when a script starts setting a name', () => {
    const blocks = Array.from({ length: 60 }, (_, index) => `### r${index}\nGET https://example.com/${index}/{{token}}\n`);
    const text = `### login\nPOST https://example.com/login\n\n> {% client.global.set("tokn", response.body.t); %}\n\n${blocks.join('\n')}`;
    const diagnostics = new IncrementalDiagnostics(parse);
    const host = { fileExists: () => true };
    const before = diagnostics.diagnose(testUri, text, noEnvironments, host);
    assert.equal(before.filter((diagnostic) => diagnostic.code === Code.VariableUndefined).length, 60);
    const fixed = text.replace('"tokn"', '"token"');
    const after = diagnostics.diagnose(testUri, fixed, noEnvironments, host);
    assert.deepEqual(after, diagnose(contextFor(fixed)));
    assert.deepEqual(after, []);
  });
});

describe('assertion lines', () => {
  test('a malformed ?? line is an error at the part that is wrong', () => {
    const text = 'GET https://example.com\n?? stauts == 200\n?? status ==\n?? header == x\n';
    assert.deepEqual(found(text, Code.AssertionUnknownTarget), [['stauts', error]]);
    assert.deepEqual(found(text, Code.AssertionMissingValue), [['==', error]]);
    assert.deepEqual(found(text, Code.AssertionMissingArgument), [['==', error]]);
    const [unknown] = withCode(text, Code.AssertionUnknownTarget);
    assert.match(messageOf(unknown), /^Unknown assertion target `stauts`: did you mean `status`\?/);
  });

  test('?? lines above the request line, among headers and after the body are all checked', () => {
    const text = '?? status isTrue 1\nPOST https://example.com\n?? body $.a exist\nContent-Type: text/plain\n\nhello\n\n?? duration < \n';
    assert.deepEqual(
      diagnose(contextFor(text)).map((diagnostic) => diagnostic.code),
      [Code.AssertionUnexpectedValue, Code.AssertionUnknownOperator, Code.AssertionMissingValue],
    );
  });

  test('well-formed lines have no diagnostics', () => {
    const text = 'GET https://example.com\n?? status == 200\n?? header content-type includes json\n?? body $.items[0].id exists\n?? js response.parsedBody.items.length > 0\n?? duration firstByte < 500\n';
    assert.deepEqual(diagnose(contextFor(text)), []);
  });

  test('{{references}} in an expected value are judged like the request\'s own', () => {
    const text = '@expected = 200\nGET https://example.com\n?? status == {{expected}}\n?? header x-id == {{missing}}\n?? body $.id == {{$uuid}}\n';
    assert.deepEqual(found(text, Code.VariableUndefined), [['missing', warning]]);
    assert.deepEqual(found(`${text.replace('{{missing}}', '{{token}}')}\n> {% client.global.set("token", "t") %}\n`, Code.VariableUndefined), []);
  });
});

describe('script files', () => {
  test('a missing `< script.js` above the request line is reported as a pre-request script, a handler file as a handler', () => {
    const text = '< ./sign.js\nGET https://example.com\n\n> ./check.js\n';
    assert.deepEqual(
      withCode(text, Code.FileMissing).map((diagnostic) => diagnostic.message),
      ["Pre-request script './sign.js' does not exist (paths are relative to this file's folder).", "Response handler './check.js' does not exist (paths are relative to this file's folder)."],
    );
    assert.deepEqual(withCode(text, Code.FileMissing, { files: ['./sign.js', './check.js'] }), []);
  });
});
