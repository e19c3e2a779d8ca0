import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { applySeverityOverrides, parseSeverityAssignment, severityFor, type SeverityLevel } from '../../../language/diagnosticSeverity';
import { createLanguageService } from '../../../language/service';
import { noEnvironments } from '../../../language/context';

const getWithBody = 'GET https://a.test\n\n{"a": 1}\n\n###\nGET https://a.test/{{missing}}\n';

function serviceWith(severities: Record<string, SeverityLevel>) {
  return createLanguageService({ fileExists: () => true, environments: () => noEnvironments, diagnosticSeverities: () => new Map(Object.entries(severities)) });
}

describe('severities per code', () => {
  test('a level replaces the problem\'s own severity; off drops it; other codes keep theirs', () => {
    const overrides = new Map<string, SeverityLevel>([[Code.BodyOnGetOrHead, 'off'], [Code.VariableUndefined, 'error']]);
    assert.equal(severityFor(Code.BodyOnGetOrHead, 'warning', overrides), undefined);
    assert.equal(severityFor(Code.VariableUndefined, 'warning', overrides), 'error');
    assert.equal(severityFor(Code.MethodUnknown, 'information', overrides), 'information');
  });

  test('the service applies the host\'s severities to every pass, without touching what the chunks cached', () => {
    const service = serviceWith({ [Code.BodyOnGetOrHead]: 'off', [Code.VariableUndefined]: 'hint' });
    const document = { uri: 'file:///w/a.http', version: 1, getText: () => getWithBody };
    for (const version of [1, 2]) {
      const diagnostics = service.diagnose({ ...document, version });
      assert.deepEqual(diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [[Code.VariableUndefined, DiagnosticSeverity.Hint]], `pass ${version}`);
    }
    const plain = createLanguageService({ fileExists: () => true, environments: () => noEnvironments }).diagnose(document);
    assert.deepEqual(plain.map((diagnostic) => [diagnostic.code, diagnostic.severity]), [
      [Code.BodyOnGetOrHead, DiagnosticSeverity.Warning],
      [Code.VariableUndefined, DiagnosticSeverity.Warning],
    ]);
  });

  test('no overrides: the very same list', () => {
    const diagnostics: Diagnostic[] = [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', code: Code.MethodUnknown }];
    assert.equal(applySeverityOverrides(diagnostics, new Map()), diagnostics);
    const changed = applySeverityOverrides(diagnostics, new Map([[Code.MethodUnknown, 'hint']]));
    assert.equal(changed[0].severity, DiagnosticSeverity.Hint);
    assert.equal(diagnostics[0].severity, undefined, 'the input is not edited');
  });

  test('CODE=LEVEL, as the CLI takes it', () => {
    const overrides = new Map<string, SeverityLevel>();
    assert.equal(parseSeverityAssignment('http.body.unexpected=OFF', overrides), undefined);
    assert.equal(overrides.get('http.body.unexpected'), 'off');
    assert.match(parseSeverityAssignment('http.body.unexpected=loud', overrides) ?? '', /not CODE=LEVEL.*error, warning, information, hint, off/);
    assert.match(parseSeverityAssignment('off', overrides) ?? '', /not CODE=LEVEL/);
  });
});
