import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { normalizeCourierSettings } from '../../../client/settingsSchema';
import { Code } from '../../../language/codes';
import { SEVERITY_LEVELS } from '../../../language/diagnosticSeverity';

function normalize(value: unknown): ReturnType<typeof normalizeCourierSettings> {
  return normalizeCourierSettings((key) => (key === 'diagnostics.severity' ? value : undefined));
}

describe('courier.diagnostics.severity', () => {
  test('codes to levels are kept', () => {
    const { settings, problems } = normalize({ 'http.body.unexpected': 'off', 'http.variable.undefined': 'error' });
    assert.deepEqual([...settings.diagnosticSeverities], [['http.body.unexpected', 'off'], ['http.variable.undefined', 'error']]);
    assert.deepEqual(problems, []);
  });

  test('a bad entry is left out with a warning naming it; the good ones stay', () => {
    const { settings, problems } = normalize({ 'http.body.get-with-body': 'off', 'http.body.unexpected': 'loud', 'http.url.invalid': 'warning' });
    assert.deepEqual([...settings.diagnosticSeverities], [['http.url.invalid', 'warning']]);
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /^courier\.diagnostics\.severity: "http\.body\.get-with-body" is not a problem code/);
    assert.match(problems[1] ?? '', /^courier\.diagnostics\.severity: the level of "http\.body\.unexpected" must be one of "error", "warning", "information", "hint", "off", got "loud"/);
  });

  test('not an object: none overridden, and says why', () => {
    const { settings, problems } = normalize(['off']);
    assert.equal(settings.diagnosticSeverities.size, 0);
    assert.match(problems[0] ?? '', /^courier\.diagnostics\.severity: expected an object of problem codes to levels/);
  });

  test('package.json declares it with every code and level', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { propertyNames: { enum: string[] }; additionalProperties: { enum: string[] }; markdownDescription: string }> } };
    };
    const declared = manifest.contributes.configuration.properties['courier.diagnostics.severity'];
    assert.deepEqual(new Set(declared.propertyNames.enum), new Set(Object.values(Code)));
    assert.deepEqual(declared.additionalProperties.enum, [...SEVERITY_LEVELS]);
    assert.match(declared.markdownDescription, /off/);
  });
});
