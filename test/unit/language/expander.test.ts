import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Expander, type ExpansionLookups, maxExpandedLength, type UnresolvedPolicy } from '../../../language/expander';
import { parse } from '../../../language/parser';

/** Lookups over plain maps: variables as written, system and request values by expression. */
function lookups(variables: Record<string, string>, values: Record<string, string> = {}, overrides: Record<string, string> = {}): ExpansionLookups {
  return {
    override: (expression) => overrides[expression],
    variable: (name) => variables[name],
    system: (_target, expression) => values[expression],
    request: (_target, expression) => values[expression],
  };
}

function expander(variables: Record<string, string>, unresolved: UnresolvedPolicy = 'fail', values: Record<string, string> = {}, overrides: Record<string, string> = {}): Expander {
  return new Expander(lookups(variables, values, overrides), { unresolved });
}

describe('the expander', () => {
  test('variables are expanded recursively; system and request values are taken as they are', () => {
    const expanding = expander({ base: 'https://{{host}}:{{port}}', host: 'api.test', port: '8443' }, 'fail', {
      '$uuid': '{{not-expanded}}',
      'login.response.body.$.token': 't-1',
    });
    assert.equal(expanding.expand('{{base}}/users/{{ $uuid }}?t={{login.response.body.$.token}}'), 'https://api.test:8443/users/{{not-expanded}}?t=t-1');
    assert.equal(expanding.variable('base'), 'https://api.test:8443');
  });

  test('a reference ends at the first }} on its line, as the parser reads it', () => {
    // Diagnostics used to end a reference at the first brace, so `{{a}b}}` was left alone there
    // and sent by the engine as an invalid reference.
    const failing = expander({ a: 'A' });
    assert.equal(failing.expand('x{{a}b}}'), undefined);
    assert.equal(failing.failure?.reason, 'invalid');
    assert.equal(failing.failure?.expression, 'a}b');
    assert.equal(expander({ a: 'A' }, 'keep').expand('x{{a}b}} {{a}}'), 'x{{a}b}} A');
    // Names with dots and dollars are not plain variables: hover's old regex skipped them, the engine did not.
    assert.equal(expander({}, 'keep', { '$timestamp': '1700000000' }).expand('{{$timestamp}}'), '1700000000');
  });

  test('an unterminated reference fails, or is kept as written', () => {
    const failing = expander({ a: 'A' });
    assert.equal(failing.expand('{{a}} {{a'), undefined);
    assert.equal(failing.failure?.reason, 'unterminated');
    assert.equal(expander({ a: 'A' }, 'keep').expand('{{a}} {{a'), 'A {{a');
  });

  test('a cycle is named, whichever variable it is entered by', () => {
    const expanding = expander({ a: 'x{{b}}', b: '{{c}}', c: '{{a}}', d: '{{b}}!' });
    assert.equal(expanding.variable('a'), undefined);
    assert.equal(expanding.failure?.reason, 'cycle');
    assert.deepEqual(expanding.failure?.cycle, ['a', 'b', 'c', 'a']);
    assert.match(expanding.failure?.message ?? '', /cycle: a -> b -> c -> a/);
    // Remembered: reaching the cycle from elsewhere fails the same way.
    assert.equal(expanding.expand('{{d}}'), undefined);
    assert.equal(expanding.failure?.reason, 'cycle');
    assert.equal(expander({ a: '{{a}}' }).variable('a'), undefined);
  });

  test('with the keep policy a cycle stops where it closes, and what depends on the path is not remembered', () => {
    const expanding = expander({ a: '<{{b}}>', b: '[{{a}}]' }, 'keep');
    assert.equal(expanding.variable('a'), '<[{{a}}]>');
    assert.equal(expanding.variable('b'), '[<{{b}}>]');
  });

  test('an undefined name fails naming it, or is kept as written', () => {
    const failing = expander({ url: '{{host}}/x' });
    assert.equal(failing.expand('GET {{url}}'), undefined);
    assert.deepEqual({ reason: failing.failure?.reason, expression: failing.failure?.expression }, { reason: 'unknown', expression: 'host' });
    assert.deepEqual(failing.failure?.target, { kind: 'variable', name: 'host' });
    assert.equal(expander({ url: '{{host}}/x' }, 'keep').expand('GET {{url}} {{$uuid}}'), 'GET {{host}}/x {{$uuid}}');
  });

  test('values are capped: definitions that double at every level stop at the cap instead of running out of memory', () => {
    const variables: Record<string, string> = { v40: 'xx' };
    for (let level = 0; level < 40; level++) variables[`v${level}`] = `{{v${level + 1}}}{{v${level + 1}}}`;
    const started = performance.now();
    const failing = expander(variables);
    assert.equal(failing.variable('v0'), undefined);
    assert.equal(failing.failure?.reason, 'too-long');
    const kept = expander(variables, 'keep').expand('{{v0}}');
    assert.ok(kept !== undefined && kept.length <= maxExpandedLength + '{{v0}}'.length, 'bounded');
    assert.ok(performance.now() - started < 2000, 'fast');
    // A caller that sends what it expands may allow more.
    assert.equal(new Expander(lookups({ big: 'y'.repeat(maxExpandedLength + 1) }), { unresolved: 'fail', maxLength: 1 << 20 }).expand('{{big}}')?.length, maxExpandedLength + 1);
    assert.equal(expander({ big: `{{a}}${'y'.repeat(maxExpandedLength)}`, a: 'z' }).expand('{{big}}'), undefined);
  });

  test('an override wins for the whole expression and is taken literally', () => {
    const expanding = expander({ a: 'from file', b: 'B' }, 'fail', { '$uuid': 'fixed' }, { a: '{{b}}', '$uuid': 'pinned' });
    assert.equal(expanding.expand('{{a}} {{$uuid}}'), '{{b}} pinned');
  });

  test('each variable is expanded once per expander, so a random value in it is stable', () => {
    let calls = 0;
    const expanding = new Expander(
      {
        variable: (name) => (name === 'id' ? '{{$uuid}}' : undefined),
        system: () => `u${++calls}`,
        request: () => undefined,
      },
      { unresolved: 'fail' },
    );
    assert.equal(expanding.expand('{{id}}/{{id}} {{$uuid}}'), 'u1/u1 u2');
  });

  test('a lookup that throws leaves the expander usable', () => {
    const expanding = new Expander(
      {
        variable: (name) => (name === 'a' ? '{{$boom}}' : name === 'b' ? '{{a}}' : undefined),
        system: () => {
          throw new Error('boom');
        },
        request: () => undefined,
      },
      { unresolved: 'fail' },
    );
    assert.throws(() => expanding.variable('b'), /boom/);
    // Not a cycle: the names being expanded were let go.
    assert.throws(() => expanding.variable('b'), /boom/);
  });

  test('a template of the tree expands like its text', () => {
    const document = parse('@host = api.test\nGET https://{{host}}/{{ host }}/x\nX-Id: {{$uuid}}\n');
    const request = document.requests[0];
    const expanding = expander({ host: 'api.test' }, 'fail', { '$uuid': 'U' });
    assert.equal(expanding.expandTemplate(request.target), 'https://api.test/api.test/x');
    assert.equal(expanding.expandTemplate(request.headers[0].value), 'U');
    assert.equal(expanding.expandTemplate(request.target), expanding.expand(request.target.text));
  });
});
