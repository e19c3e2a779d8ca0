// Preparing substitutes a template from the references the parser found, and caches how each
// system-variable expression splits: neither shortcut may change a value or an error.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { Resolver, type VariableScope } from '../../../engine/variables';
import { parse } from '../../../language/parser';
import type { Template } from '../../../language/syntax';

function scope(random: () => number = () => 0.25): VariableScope {
  return {
    overrides: new Map([['forced', 'F']]),
    fileVariables: new Map([
      ['a', 'A'],
      ['b', '{{a}}-b'],
    ]),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random, uuid: () => 'u-1', processEnv: () => undefined, dotenv: () => undefined },
  };
}

/** Every template of every request: target, header values, body text. */
function templatesOf(text: string): Template[] {
  return parse(text).requests.flatMap((request) => [
    request.target,
    ...request.headers.map((header) => header.value),
    ...(request.body?.parts ?? []).flatMap((part) => (part.kind === 'text' ? [part.text] : [])),
  ]);
}

/** The value, or the error's name and message: what a caller can observe. */
function outcome(substitute: () => string): string {
  try {
    return `value:${substitute()}`;
  } catch (error) {
    return `${(error as Error).name}:${(error as Error).message}`;
  }
}

describe('substituting a template of the tree', () => {
  test('gives the same value or error as substituting its text, for any mix of references', () => {
    const piece = fc.constantFrom('x', ' ', '/', '{', '}', '{{a}}', '{{ b }}', '{{forced}}', '{{zz}}', '{{$randomInt 1 9}}', '{{$nope}}', '{{1bad}}', '{{a', '{{}}', 'é', '\t');
    const line = fc.array(piece, { maxLength: 8 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(line, line, fc.array(line, { maxLength: 3 }), (target, header, body) => {
        const text = `POST http://h.test/${target}\nX-H: ${header}\n\n${body.join('\n')}\n`;
        for (const template of templatesOf(text)) {
          assert.equal(
            outcome(() => new Resolver(scope()).substituteTemplate(template)),
            outcome(() => new Resolver(scope()).substitute(template.text)),
            JSON.stringify(template.text),
          );
        }
      }),
      { numRuns: 1500 },
    );
  });

  test('a template in the middle of a long document uses its own offsets', () => {
    const text = `${'GET http://h.test/{{a}}\n\n###\n'.repeat(50)}GET http://h.test/{{a}}/{{b}}?q={{forced}}\n`;
    const last = parse(text).requests.at(-1);
    assert.ok(last !== undefined);
    assert.equal(new Resolver(scope()).substituteTemplate(last.target), 'http://h.test/A/A-b?q=F');
  });
});

describe('system variables', () => {
  test('the same expression is evaluated afresh each time, though it is split once', () => {
    let calls = 0;
    const random = (): number => (calls++ % 10) / 10;
    const resolver = new Resolver(scope(random));
    const values = Array.from({ length: 5 }, () => resolver.substitute('{{$randomInt 0 10}}'));
    assert.deepEqual(values, ['0', '1', '2', '3', '4']);
  });

  test('a malformed expression keeps failing with its message on every use', () => {
    for (let attempt = 0; attempt < 3; attempt++) {
      assert.throws(() => new Resolver(scope()).substitute('{{$randomInt 5 1}}'), /\$randomInt needs two integers min < max/);
    }
  });
});
