// Hover's "Resolves to" is what the engine sends: both expand through language/expander.ts. Over
// random file variables and environments, a reference in the URL, a header or the body is sent
// exactly as if hover's value had been written there (passed as a literal `--var`).
//
// Left out on purpose, as hover cannot know them before sending: system variables (`{{$uuid}}`
// is a new value per request), request references and prompts. Where the engine refuses to send
// (an undefined variable, a cycle, a reference left open), hover shows what it can: not compared.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { prepareRequest, type PrepareResult } from '../../../engine/prepare';
import { Resolver, type VariableScope } from '../../../engine/variables';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import { contextFor } from './featureContext';

const names = ['a', 'b', 'c', 'd', 'e'] as const;

/** A value as a user might write it: text, braces and references to the other names. */
const value = fc
  .array(fc.constantFrom('x', 'Y', '-', ' ', '/', '?', '=', '&', '%', '#', 'é', '{', '}', '{{a}}', '{{ b }}', '{{c}}', '{{d}}', '{{e}}', '{{a}', '{{}}', '{{1st}}', '{{a.b}}'), { maxLength: 6 })
  .map((pieces) => pieces.join(''));

const definitions = fc.array(fc.tuple(fc.constantFrom(...names), value), { maxLength: 6 });

/** Where the reference is: each place is built and encoded its own way. */
const place = fc.constantFrom('url', 'header', 'body');

function requestText(where: string, reference: string): string {
  const at = (here: string): string => (where === here ? `<${reference}>` : '<plain>');
  return `POST https://h.test/p?q=${at('url')}\nX-V: ${at('header')}\n\n${at('body')}\n`;
}

function prepared(text: string, environment: ReadonlyMap<string, string>, overrides: ReadonlyMap<string, string>): PrepareResult {
  const document = parse(text);
  const scope: VariableScope = {
    overrides,
    fileVariables: new Map(document.variables.map((variable) => [variable.name.text, variable.value.text])),
    environment,
    prompted: new Map(),
    sentRequest: () => undefined,
    system: { now: () => new Date(0), random: () => 0.5, uuid: () => 'u', processEnv: () => undefined, dotenv: () => undefined },
  };
  return prepareRequest({ document, request: document.requests[0], file: undefined, resolver: new Resolver(scope) });
}

/** Hover's value for the reference: "Resolves to" when shown, else the value as written; undefined when it shows none. */
function hoverValue(markdown: string): string | undefined {
  const resolved = /Resolves to:\n\n(`{3,4})\n([\s\S]*?)\n\1/.exec(markdown);
  if (resolved !== null) return resolved[2];
  return /(`{3,4})\n([\s\S]*?)\n\1/.exec(markdown)?.[2];
}

/** The markdown of the hover at `offset` of `text`. */
function hoverMarkdown(text: string, offset: number, environment: ReadonlyMap<string, string>): string {
  const answer = hover(contextFor(text, { environment: Object.fromEntries(environment) }), offset);
  return answer !== null && typeof answer.contents === 'object' && 'value' in answer.contents ? answer.contents.value : '';
}

describe("hover's resolved value", () => {
  test('is what the engine sends when a value takes over a thousand substitutions, each variable expanded once', () => {
    // 4^5 = 1,024 copies of z through 1,364 references: hover's old regex gave up after 1,000 and showed references.
    const chain = Array.from({ length: 5 }, (_, level) => `@v${level} = ${`{{v${level + 1}}}`.repeat(4)}`).join('\n');
    const text = `${chain}\n@v5 = z\n\n${requestText('header', '{{v0}}')}`;
    const sent = prepared(text, new Map(), new Map());
    assert.ok('prepared' in sent);
    assert.deepEqual(sent.prepared.headers, [['X-V', `<${'z'.repeat(1024)}>`]]);
    assert.equal(hoverValue(hoverMarkdown(text, text.lastIndexOf('{{v0}}') + 2, new Map())), 'z'.repeat(1024));
  });

  test('is what the engine sends for the same reference, in the URL, a header or the body', () => {
    let compared = 0;
    fc.assert(
      fc.property(definitions, definitions, fc.constantFrom(...names), place, (file, env, name, where) => {
        const fileText = file.map(([defined, written]) => `@${defined} = ${written}`).join('\n');
        const reference = `{{${name}}}`;
        const text = `${fileText}\n\n${requestText(where, reference)}`;
        const environment = new Map(env);
        const sent = prepared(text, environment, new Map());
        if ('error' in sent) return;
        const offset = text.lastIndexOf(reference) + 2;
        const markdownText = hoverMarkdown(text, offset, environment);
        const shown = hoverValue(markdownText);
        assert.notEqual(shown, undefined, `hover shows a value for ${reference} in\n${text}\n${markdownText}`);
        // The same request with hover's value written in as a literal.
        const asShown = prepared(`${fileText}\n\n${requestText(where, '{{shown}}')}`, environment, new Map([['shown', shown ?? '']]));
        assert.deepEqual(sent, asShown, `${reference} in the ${where} of\n${text}\nwith environment ${JSON.stringify(env)}: hover shows ${JSON.stringify(shown)}`);
        compared++;
      }),
      { numRuns: 3000 },
    );
    assert.ok(compared > 500, `enough sent requests compared: ${compared}`);
  });
});
