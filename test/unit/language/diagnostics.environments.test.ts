// A variable only environments define, with none selected: the editor warns before a send would
// fail, names the environments, and offers to select each one (http.variable.needs-environment).
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import type { EnvironmentSnapshot, FeatureContext } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { codeActions } from '../../../language/diagnosticsQuickFixes';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../language/environments';
import { parse } from '../../../language/parser';
import { createLanguageService } from '../../../language/service';
import { environmentsWithSettings } from '../../../server/settings';
import { testUri, textOf } from './featureContext';

const envFile = parseEnvironmentFile({
  uri: 'file:///work/http-client.env.json',
  text: JSON.stringify({ $shared: { version: 'v1' }, local: { baseUrl: 'http://localhost:4010', token: 'dev-token' }, staging: { baseUrl: 'https://staging.test' }, prod: { token: 'prod-token', version: 'v2' } }),
});

const noSelection = buildEnvironmentSnapshot([envFile], undefined);
const host = { fileExists: () => true };

function context(text: string, environments: EnvironmentSnapshot = noSelection): FeatureContext {
  return { uri: testUri, document: parse(text), environments, host };
}

/** The needs-environment diagnostics of `text`: the text each covers, its severity and message. */
function needs(text: string, environments: EnvironmentSnapshot = noSelection): { readonly text: string; readonly severity: DiagnosticSeverity | undefined; readonly message: string; readonly diagnostic: Diagnostic }[] {
  const featureContext = context(text, environments);
  return diagnose(featureContext)
    .filter((diagnostic) => diagnostic.code === Code.VariableNeedsEnvironment)
    .map((diagnostic) => ({ text: textOf(featureContext, diagnostic.range), severity: diagnostic.severity, message: typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value, diagnostic }));
}

describe('a variable only environments define, with none selected', () => {
  test('the snapshot lists, per variable $shared lacks, the environments that define it in file order', () => {
    assert.deepEqual(Object.fromEntries(noSelection.definedInEnvironments ?? []), { baseUrl: ['local', 'staging'], token: ['local', 'prod'] });
    assert.equal(buildEnvironmentSnapshot([envFile], 'local').definedInEnvironments, undefined);
  });

  test('is a warning naming the environments and how to select one, and nothing else is reported for it', () => {
    const text = 'GET {{baseUrl}}/items?v={{version}}\nAuthorization: Bearer {{token}}\n';
    const found = needs(text);
    assert.deepEqual(
      found.map(({ text: covered, severity }) => [covered, severity]),
      [
        ['baseUrl', DiagnosticSeverity.Warning],
        ['token', DiagnosticSeverity.Warning],
      ],
    );
    assert.equal(found[0]?.message, "Variable 'baseUrl' is defined only in environments 'local', 'staging', and no environment is selected: select one with the environment in the status bar or 'Courier: Switch Environment' (sending asks which).");
    assert.match(found[1]?.message ?? '', /defined only in environments 'local', 'prod'/);
    assert.deepEqual(diagnose(context(text)).filter((diagnostic) => diagnostic.code === Code.VariableUndefined), [], 'not reported undefined as well');
  });

  test('one environment is named in the singular', () => {
    const onlyLocal = buildEnvironmentSnapshot([parseEnvironmentFile({ uri: 'file:///work/http-client.env.json', text: '{"local": {"baseUrl": "http://localhost"}}' })], undefined);
    assert.match(needs('GET {{baseUrl}}/\n', onlyLocal)[0]?.message ?? '', /defined only in environment 'local', and no environment is selected/);
  });

  test('is not reported once an environment is selected, nor for what the file, $shared, a prompt or a script defines', () => {
    assert.deepEqual(needs('GET {{baseUrl}}/\n', buildEnvironmentSnapshot([envFile], 'staging')), []);
    assert.deepEqual(needs('@baseUrl = http://localhost\nGET {{baseUrl}}/{{version}}\n'), []);
    assert.deepEqual(needs('# @prompt token\nGET https://a.test/{{token}}\n'), []);
    assert.deepEqual(needs('GET https://a.test/\n\n> {%\n  client.global.set("token", "t");\n%}\n\n###\nGET https://a.test/{{token}}\n'), []);
    // Under an environment that lacks it, the variable is simply undefined.
    const underStaging = diagnose(context('GET https://a.test/{{token}}\n', buildEnvironmentSnapshot([envFile], 'staging')));
    assert.deepEqual(underStaging.map((diagnostic) => diagnostic.code), [Code.VariableUndefined]);
  });

  test('environments only courier.environments defines count too, after the files\' ones', () => {
    const settings = new Map([
      ['$shared', new Map([['apiKey', 'k']])],
      ['docker', new Map([['baseUrl', 'http://api:4010'], ['apiKey', 'docker-key'], ['region', 'eu']])],
    ]);
    const merged = environmentsWithSettings([envFile], undefined, settings);
    assert.deepEqual(Object.fromEntries(merged.definedInEnvironments ?? []), { baseUrl: ['local', 'staging', 'docker'], token: ['local', 'prod'], region: ['docker'] });
    assert.equal(environmentsWithSettings([envFile], 'docker', settings).definedInEnvironments, undefined);
  });

  test('the quick fixes select each environment with the extension\'s command, the first preferred', () => {
    const featureContext = context('GET {{baseUrl}}/\n');
    const [warning] = needs('GET {{baseUrl}}/\n');
    assert.ok(warning);
    const actions = codeActions(featureContext, warning.diagnostic.range, [warning.diagnostic]);
    assert.deepEqual(
      actions.map((action) => [action.title, action.command?.command, action.command?.arguments, action.isPreferred === true]),
      [
        ["Select environment 'local'", 'courier.switchEnvironment', ['local'], true],
        ["Select environment 'staging'", 'courier.switchEnvironment', ['staging'], false],
      ],
    );
  });

  test('the incremental pass reports it too, and drops it when the file comes to define the variable', () => {
    const diagnostics = new IncrementalDiagnostics(parse);
    const text = 'GET {{baseUrl}}/a\n\n###\nGET https://a.test/b\n';
    const codes = (current: string): string[] => diagnostics.diagnose(testUri, current, noSelection, host).map((diagnostic) => String(diagnostic.code));
    assert.deepEqual(codes(text), [Code.VariableNeedsEnvironment]);
    assert.deepEqual(codes(`${text}\n###\nGET https://a.test/c\n`), [Code.VariableNeedsEnvironment]);
    // The same value as the environment's: the block is re-checked because the verdict changed, not the value.
    assert.deepEqual(codes(`${text}\n###\nGET https://a.test/c\n\n###\n@baseUrl = http://localhost:4010\n`), []);
  });

  test('courier.diagnostics.severity sets its level or turns it off', () => {
    const document = { uri: 'file:///work/a.http', version: 1, getText: () => 'GET {{baseUrl}}/\n' };
    const serviceWith = (level: 'off' | 'error'): readonly Diagnostic[] =>
      createLanguageService({ fileExists: () => true, environments: () => noSelection, diagnosticSeverities: () => new Map([[Code.VariableNeedsEnvironment, level]]) }).diagnose(document);
    assert.deepEqual(serviceWith('off'), []);
    assert.deepEqual(serviceWith('error').map((diagnostic) => [diagnostic.code, diagnostic.severity]), [[Code.VariableNeedsEnvironment, DiagnosticSeverity.Error]]);
  });
});
