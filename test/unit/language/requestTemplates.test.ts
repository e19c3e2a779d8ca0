// The one list of the templates a request reads (`language/requestTemplates.ts`) against what
// the engine really does: the references whose values reach the bytes sent (and the `>>` path),
// the named requests it asks for, and what find references and rename see. Any place that
// reads a template the others do not list fails here.
import { strict as assert } from 'node:assert';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { referencedRequestNames } from '../../../engine/dependencies';
import type { Exchange, PreparedRequest } from '../../../engine/model';
import { defaultSendOptions, prepareRequest } from '../../../engine/prepare';
import { Runner, type ExchangeDetails } from '../../../engine/runner';
import { readReferences } from '../../../engine/variableSources';
import type { SentRequest } from '../../../engine/requestVariables';
import { Resolver, type VariableScope } from '../../../engine/variables';
import { referencesTo } from '../../../language/documentNames';
import { parse } from '../../../language/parser';
import { forEachRequestRef, referencesNamedRequests, requestIndexAt } from '../../../language/requestTemplates';
import type { HttpDocument } from '../../../language/syntax';
import { Ref } from '../../../language/syntaxTables';

// Lines a request may be made of; each `@` becomes a reference to a variable used nowhere else.
const requestLines = [
  'GET https://h.test/{{@}}/x?q={{@}}',
  '    &r={{@}}',
  'X-A: {{@}}',
  '  more {{@}}',
  'Content-Type: multipart/form-data; boundary=b',
  'Content-Type: application/x-www-form-urlencoded',
  'X-Request-Type: GraphQL',
  '',
  'pre {{@}}',
  '--b',
  '--b--',
  'Content-Disposition: form-data; name="{{@}}"',
  'text {{@}}',
  '{"v": "{{@}}"}',
  '< ./f{{@}}.json',
  '<@ ./f{{@}}.json',
  'query { a(x: "{{@}}") }',
  '>> out-{{@}}.json',
  '@d = {{@}}',
  '###',
];

/** A request as a user writes one: a body of the kind its headers announce, sometimes a `>>`. */
const block = fc
  .record({
    definitions: fc.array(fc.constant('@d = {{@}}'), { maxLength: 1 }),
    continuation: fc.array(fc.constantFrom('    &r={{@}}', '    /y{{@}}'), { maxLength: 2 }),
    headers: fc.array(fc.constantFrom('X-A: {{@}}', '  more {{@}}', 'Accept: text/plain'), { maxLength: 3 }),
    kind: fc.constantFrom([], ['Content-Type: multipart/form-data; boundary=b'], ['Content-Type: application/x-www-form-urlencoded'], ['X-Request-Type: GraphQL']),
    body: fc.array(fc.constantFrom('pre {{@}}', '--b', '--b--', 'Content-Disposition: form-data; name="{{@}}"', '', 'text {{@}}', 'query { a(x: "{{@}}") }', '{"v": "{{@}}"}', '< ./f{{@}}.json', '<@ ./f{{@}}.json'), { maxLength: 8 }),
    redirect: fc.array(fc.constantFrom('>> out-{{@}}.json', '>>! {{@}}/o.json'), { maxLength: 1 }),
  })
  .map(({ definitions, continuation, headers, kind, body, redirect }) => [...definitions, 'POST https://h.test/{{@}}/x?q={{@}}', ...continuation, ...headers, ...kind, '', ...body, '', ...redirect, '###']);

/** Documents: requests as written, or any mix of request lines. */
const documentLines = fc.oneof(
  fc.array(block, { minLength: 1, maxLength: 4 }).map((blocks) => blocks.flat()),
  fc.array(fc.constantFrom(...requestLines), { maxLength: 25 }).map((lines) => ['GET https://h.test/{{@}}', ...lines]),
);

/** The document with its `@`s numbered: `{{v0}}`, `{{v1}}`... and how many there are. */
function numbered(lines: readonly string[]): { text: string; count: number } {
  let count = 0;
  const text = lines.join('\n').replace(/\{\{@\}\}/g, () => `{{v${count++}}}`);
  return { text, count };
}

/** What `--var vN=mNx` makes of reference N: a value that survives URL encoding, JSON and multipart, and names N. */
const marker = (index: number): string => `m${index}x`;

function markersIn(text: string): number[] {
  return [...text.matchAll(/m(\d+)x/g)].map((match) => Number(match[1]));
}

/** The variable numbers of the references `visit` walks over. */
function numbersOf(document: HttpDocument, walk: (visit: (at: number) => boolean) => void): number[] {
  const { tables, text } = document;
  const found: number[] = [];
  walk((at) => {
    const expression = text.slice(tables.refs.data[at + Ref.expressionStart], tables.refs.data[at + Ref.expressionEnd]);
    found.push(Number(expression.slice(1)));
    return false;
  });
  return found;
}

const sorted = (numbers: Iterable<number>): number[] => [...new Set(numbers)].sort((a, b) => a - b);

function answered(request: PreparedRequest, body: string): Exchange {
  return {
    request: { method: request.method, url: request.url, headers: request.headers, bodySize: 0 },
    origin: request.origin,
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Content-Type', 'application/json']],
      body: { size: body.length, encodedSize: body.length, prefix: new TextEncoder().encode(body), file: undefined, contentType: 'application/json', charset: 'utf-8' },
    },
    redirects: [],
    timings: { total: 0 },
    error: undefined,
    warnings: [],
  };
}

const decoder = new TextDecoder();

describe('the templates a request reads', () => {
  test('are exactly those whose references the engine sends, and those references and rename find', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-request-templates-'));
    const path = join(folder, 'api.http');
    // Body files named as the engine substitutes them, for every number a document may use; a
    // `<@` file's content is sent instead of its path, so it names its marker too.
    for (let index = 0; index < 300; index++) writeFileSync(join(folder, `f${marker(index)}.json`), `content of ${marker(index)}`);
    let compared = 0;
    let multipart = 0;
    let graphql = 0;
    await fc.assert(
      fc.asyncProperty(documentLines, async (lines) => {
        const { text, count } = numbered(lines);
        const document = parse(text);
        const overrides = new Map(Array.from({ length: count }, (_, index) => [`v${index}`, marker(index)]));
        const sent = new Map<string, { url: string; headers: string; body: string }>();
        const sender = {
          send: (request: PreparedRequest): Promise<Exchange> => {
            const body = (request.body ?? []).map((chunk) => (chunk instanceof Uint8Array ? decoder.decode(chunk) : chunk.path)).join('');
            sent.set(`${request.origin.line}`, { url: request.url, headers: request.headers.map(([name, value]) => `${name}: ${value}`).join('\n'), body });
            return Promise.resolve(answered(request, '{}'));
          },
        };
        const saved = new Map<string, string>();
        const listen = (exchange: Exchange, details: ExchangeDetails): void => {
          if (details.saveTo !== undefined && 'path' in details.saveTo) saved.set(`${exchange.origin.line}`, details.saveTo.path);
        };
        await new Runner(sender, { overrides }).run({ path, document }, { kind: 'all' }, undefined, listen);

        const everySent = new Set<number>();
        for (const request of document.requests) {
          const index = requestIndexAt(document.tables, request.start);
          const listed = numbersOf(document, (visit) => forEachRequestRef(document.tables, index, visit));
          listed.forEach((number) => everySent.add(number));
          const line = `${document.text.slice(0, request.start).split('\n').length}`;
          const output = sent.get(line);
          // A request the engine refused (a body that is not valid GraphQL JSON, say) sent nothing to compare.
          if (output === undefined) continue;
          compared++;
          if (request.body?.multipart !== undefined) multipart++;
          if (request.body?.graphql !== undefined) graphql++;
          const substituted = markersIn(`${output.url}\n${output.headers}\n${output.body}\n${saved.get(line) ?? ''}`);
          assert.deepEqual(sorted(listed), sorted(substituted), `request at line ${line} of\n${text}`);
        }
        // Find references and rename see each listed reference, and those of variable definitions.
        const definitions = document.variables.flatMap((variable) => variable.value.references.map((reference) => Number(reference.expression.slice(1))));
        const found = Array.from({ length: count }, (_, index) => index).filter((index) => referencesTo(document, 'variable', `v${index}`).length > 0);
        assert.deepEqual(found, sorted([...everySent, ...definitions]), text);
      }),
      { numRuns: 300 },
    );
    assert.ok(compared > 300 && multipart > 20 && graphql > 20, `enough requests compared: ${compared}, ${multipart} multipart, ${graphql} GraphQL`);
  });

  test('name the requests the engine asks for, through file variables and the >> path, but not a request itself in its own >> path', () => {
    const requestPieces = fc.constantFrom('{{r0.response.body.*}}', '{{r1.response.headers.X-Id}}', '{{r2.request.body.*}}', '{{fv}}', 'plain');
    const lineKinds = fc.constantFrom(
      (piece: string) => `GET https://h.test/${piece}`,
      (piece: string) => `X-A: ${piece}`,
      (piece: string) => `text ${piece}`,
      (piece: string) => `>> out-${piece}.json`,
      (piece: string) => `@fv = ${piece}`,
      () => '',
      () => '###',
      () => '# @name r0',
      () => '# @name r1',
      () => 'Content-Type: multipart/form-data; boundary=b',
      () => '--b',
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(lineKinds, requestPieces), { maxLength: 20 }), (pairs) => {
        const text = ['# @name r2', 'GET https://h.test/', ...pairs.map(([line, piece]) => line(piece))].join('\n');
        const document = parse(text);
        const fileVariables = new Map(document.variables.map((variable) => [variable.name.text, variable.value.text]));
        for (const request of document.requests) {
          const asked = new Set<string>();
          const scope: VariableScope = {
            overrides: new Map(),
            fileVariables,
            environment: new Map(),
            prompted: new Map(),
            sentRequest: (name): SentRequest => {
              asked.add(name);
              const prepared: PreparedRequest = { method: 'GET', url: 'https://h.test/', headers: [['X-Id', '1']], body: [new TextEncoder().encode('sent')], options: defaultSendOptions, origin: { file: undefined, line: 1, name } };
              const exchange = answered(prepared, 'body');
              return { prepared, exchange: { ...exchange, response: exchange.response && { ...exchange.response, headers: [['X-Id', '7']] } } };
            },
            system: { now: () => new Date(0), random: () => 0.5, uuid: () => 'u', processEnv: () => undefined, dotenv: () => undefined },
          };
          const resolver = new Resolver(scope);
          const result = prepareRequest({ document, request, file: undefined, resolver });
          // A cycle through the file variable or a broken body stops preparing: nothing to compare.
          if ('error' in result) continue;
          // Named after sending, as the runner does: its own response is known by then.
          const ownName = request.name?.text;
          if (request.outputRedirect !== undefined) {
            const before = new Set(asked);
            try {
              resolver.substituteTemplate(request.outputRedirect.path);
            } catch {
              // An undefined variable or a cycle: the runner reports that the file cannot be named.
              continue;
            }
            if (ownName !== undefined && !before.has(ownName)) asked.delete(ownName);
          }
          assert.deepEqual(new Set(referencedRequestNames(document, request)), asked, text);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('list a multipart body as its parts, without its preamble, and a GraphQL body as its query and variables, without later parts', () => {
    const text = [
      'POST https://h.test/{{a}}',
      'Content-Type: multipart/form-data; boundary=b',
      '',
      'preamble {{notSent}}',
      '--b',
      'Content-Disposition: form-data; name="{{field}}"',
      '',
      'value {{value}}',
      '--b--',
      '>> {{out}}.json',
      '',
      '###',
      'GRAPHQL https://h.test/gql',
      '',
      'query { a(x: "{{q}}") }',
      '',
      '{"v": "{{gv}}"}',
      '< ./{{ignored}}.json',
    ].join('\n');
    const document = parse(text);
    const names = (request: number): string[] => {
      const found: string[] = [];
      forEachRequestRef(document.tables, request, (at) => {
        found.push(text.slice(document.tables.refs.data[at + Ref.expressionStart], document.tables.refs.data[at + Ref.expressionEnd]));
        return false;
      });
      return found;
    };
    assert.deepEqual(names(0), ['a', 'field', 'value', 'out']);
    assert.deepEqual(names(1), ['q', 'gv']);
  });

  test('a file references named requests when a variable value or a template a request reads does, the >> path included', () => {
    const reads = (lines: readonly string[]): boolean => referencesNamedRequests(parse(lines.join('\n')).tables);
    assert.equal(reads(['GET https://h.test/', '', '>> {{a.response.body.$.id}}.json']), true);
    assert.equal(reads(['@unused = {{a.response.body.*}}', 'GET https://h.test/']), true);
    assert.equal(reads(['POST https://h.test/', 'Content-Type: multipart/form-data; boundary=b', '', 'preamble {{a.response.body.*}}', '--b', '', 'x', '--b--']), false, 'a multipart preamble is not sent');
    assert.equal(reads(['GET https://h.test/{{plain}}']), false);
  });

  test("the runner's sources read the same list: the >> path, not a multipart preamble, and environment values they reach", () => {
    const document = parse(['POST https://h.test/{{env}}', 'Content-Type: multipart/form-data; boundary=b', '', 'preamble {{p.response.body.*}}', '--b', '', 'x', '--b--', '>> {{a.response.body.$.id}}.json'].join('\n'));
    const reads = readReferences(document, document.requests[0], new Map([['env', '{{e.response.headers.X}}']]));
    assert.deepEqual(reads.requestNames, ['e', 'a']);
    assert.deepEqual([...reads.variableNames], ['env']);
  });
});
