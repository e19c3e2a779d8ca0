// The shortcuts diagnostics take on large documents give the answers of the slow paths
// they skip: plain web URLs without `new URL`, JSON bodies without a tree, references
// visited in place, chunks found again by position after an edit, and variable values
// that cannot grow without bound.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { noEnvironments } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { isPlainWebUrl } from '../../../language/diagnosticsUrl';
import { findJsonError, parseJson } from '../../../language/jsonTree';
import { parse } from '../../../language/parser';
import type { Block, BodyPart, Template, VariableReference } from '../../../language/syntax';
import { forEachBlockRef, Ref } from '../../../language/syntaxTables';

const host = { fileExists: () => true };

function diagnosticsOf(text: string) {
  return diagnose({ uri: 'file:///work/api.http', document: parse(text), environments: noEnvironments, host });
}

/** Whether `new URL` accepts `url` with a scheme a GET request goes to (ws: and wss: take WebSocket requests: see data/urlSchemes.ts). */
function urlAccepts(url: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol);
  } catch {
    return false;
  }
}

describe('isPlainWebUrl', () => {
  test('recognises the URLs most requests send to', () => {
    for (const url of ['https://api.example.com/v2/users/123', 'http://localhost:3000', 'HTTP://Example.COM?q=1', 'https://a-b.example#x', 'http://127.0.0.1.nip.io/path']) {
      assert.equal(isPlainWebUrl(url), true, url);
    }
  });

  test('leaves unusual hosts to new URL', () => {
    for (const url of ['http://127.0.0.1/', 'http://xn--a/', 'http://a.0x1/', 'http://a:99999/', 'http://user@host/', 'http://[::1]/', 'ftp://host/', 'http://h\\x', 'http://a..b/', 'http://%41/', 'wss://a-b.example#x', 'ws://localhost:3000']) {
      assert.equal(isPlainWebUrl(url), false, url);
    }
  });

  test('never calls a URL plain that new URL rejects', () => {
    const piece = fc.constantFrom('http', 'https', 'ws', 'wss', 'HTTP', 'ftp', '://', ':', '/', '.', '-', 'a', 'Z', '0', '9', 'xn--', '0x', '@', '?', '#', '%', ' ', '[', '\\', 'é', '65536', '8080');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 14 }), (pieces) => {
        const url = pieces.join('');
        if (isPlainWebUrl(url)) assert.ok(urlAccepts(url), `${JSON.stringify(url)} was called plain but new URL rejects it`);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('targets that start with a variable', () => {
  /** Whether diagnostics call the target `{{base}}` + `rest` (continued by `nextLine`) an invalid URL or one Courier cannot send to, `base` being `value`. */
  function reportsInvalidUrl(value: string, rest: string, nextLine: string): boolean {
    const diagnostics = diagnosticsOf(`@base = ${value}\n\nGET {{base}}${rest}\n${nextLine}\n`);
    return diagnostics.some((diagnostic) => diagnostic.code === 'http.url.invalid' || diagnostic.code === 'http.url.unsupported-scheme' || diagnostic.code === 'http.url.scheme-mismatch');
  }

  /** What the target resolves to, judged as documented: absolute with a scheme, `http://` added otherwise, origin-form (no Host here) not judged. */
  function isInvalid(substituted: string): boolean {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(substituted)) return !urlAccepts(substituted);
    if (substituted.startsWith('/')) return false;
    return !urlAccepts(`http://${substituted}`);
  }

  test('are judged by the URL they resolve to, whether the base alone is a plain web URL or not', () => {
    const piece = fc.constantFrom('http', 'https', 'ws', 'ftp', '://', ':', '/', '.', '-', 'a', 'Z', '0', '9', 'xn--', '@', '?', '%', '[', ']', 'é', '65536', '8080', 'ex ample');
    const restPiece = fc.constantFrom('', '/', '.', ':', '?', '#', 'a', '0', '8080', '.evil.com', ':80', '/x', '[', '%', '{{missing}}');
    const nextLine = fc.constantFrom('', '    ?page=1', '    /more', '    .com');
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 10 }), fc.array(restPiece, { maxLength: 3 }), nextLine, (pieces, restPieces, next) => {
        const value = pieces.join('');
        const rest = restPieces.join('');
        const continued = next.trim();
        const expected = rest.includes('{{missing}}') ? false : isInvalid(value + rest + continued);
        assert.equal(reportsInvalidUrl(value, rest, next), expected, JSON.stringify({ value, rest, next }));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('findJsonError', () => {
  test('finds the error parseJson reports, for valid and broken JSON alike', () => {
    const token = fc.constantFrom('{', '}', '[', ']', ',', ':', '"a"', '"b\\n"', '"\\u00e9"', '"\\x"', '"', '1', '-2.5e3', '01', 'true', 'nul', 'null', ' ', '\n', '{{x}}', '{{', 'x');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 24 }), fc.boolean(), (tokens, allowTemplates) => {
        const text = tokens.join('');
        assert.deepEqual(findJsonError(text, { allowTemplates }), parseJson(text, { allowTemplates }).error, text);
      }),
      { numRuns: 3000 },
    );
  });

  test('agrees with parseJson on both sides of the nesting limit, which JSON.parse does not have', () => {
    // A value may sit 500 levels below the top one (an object's value one more than the object).
    // Deeper JSON takes more than the 1,000 characters JSON.parse is left to judge alone.
    for (const [inner, deepestValid] of [['', 501], ['1', 500], ['{"a": 1}', 499]] as const) {
      for (const depth of [deepestValid - 1, deepestValid, deepestValid + 1]) {
        const text = `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
        const error = findJsonError(text);
        assert.deepEqual(error, parseJson(text).error, `${depth} levels around '${inner}'`);
        assert.equal(error === undefined, depth <= deepestValid, `${depth} levels around '${inner}'`);
      }
    }
  });

  test("names the property whose ':' is missing", () => {
    assert.equal(findJsonError('{"na\\u006de" 1}')?.message, `Expected ':' after property name "name".`);
  });
});

/**
 * The references of a block's own templates, read from its objects: what `forEachBlockRef` should
 * visit in the tables. The body is read as the engine sends it: a GraphQL query and variables, or
 * multipart parts' headers and contents, or else each part.
 */
function objectReferences(block: Block): VariableReference[] {
  const request = block.request;
  const templates: Template[] = block.variables.map((variable) => variable.value);
  if (request !== undefined) {
    templates.push(request.target, ...request.headers.map((header) => header.value));
    const body = request.body;
    const partTemplate = (part: BodyPart): Template => (part.kind === 'text' ? part.text : part.path);
    if (body?.graphql !== undefined) templates.push(body.graphql.query, ...(body.graphql.variables === undefined ? [] : [body.graphql.variables]));
    else if (body?.multipart !== undefined) for (const part of body.multipart.parts) templates.push(...part.headers.map((header) => header.value), ...part.content.map(partTemplate));
    else for (const part of body?.parts ?? []) templates.push(partTemplate(part));
    if (request.outputRedirect !== undefined) templates.push(request.outputRedirect.path);
  }
  return templates.flatMap((template) => template.references);
}

describe('forEachBlockRef', () => {
  test("visits each reference of a block's variables, target, headers, body and redirect once, in document order", () => {
    const line = fc.constantFrom(
      '###', '@a = {{b}}{{c}}', '# @name x', 'GET https://{{host}}/{{path}}', '    ?q={{q}}', '    &r={{r}} HTTP/1.1', 'X-A: {{a}}', '  more {{m}}',
      'Content-Type: multipart/form-data; boundary=b', '', '--b', 'Content-Disposition: form-data; name="f"', '{"id": "{{$uuid}}"}', '< ./{{file}}.json', '>> out-{{n}}.json', '{{ open',
      'X-Request-Type: GraphQL', 'query { a(x: "{{g}}") }', '{"v": "{{gv}}"}',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => {
        const document = parse(lines.join('\n'));
        const refs = document.tables.refs.data;
        for (let index = 0; index < document.tables.blocks.count; index++) {
          const visited: number[] = [];
          forEachBlockRef(document.tables, index, (at) => {
            visited.push(refs[at + Ref.start]);
            return false;
          });
          assert.deepEqual(visited, objectReferences(document.blocks[index]).map((reference) => reference.start));
          assert.deepEqual(visited, [...visited].sort((a, b) => a - b), 'in document order');
          assert.equal(new Set(visited).size, visited.length, 'no reference twice');
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('variable values that double at every level', () => {
  test('are diagnosed at once instead of building a value of 2^40 characters', () => {
    const levels = 40;
    let text = '';
    for (let level = 0; level < levels; level++) text += `@v${level} = {{v${level + 1}}}{{v${level + 1}}}\n`;
    text += `@v${levels} = abc\n\nGET https://example.com/{{v0}}\n`;
    const started = performance.now();
    const diagnostics = diagnosticsOf(text);
    assert.ok(performance.now() - started < 2000, 'diagnosed within 2 s');
    assert.deepEqual(diagnostics, [], 'every variable is defined, and a value too long to check is not reported');
  });

  test('still resolve when short, so a bad URL behind them is reported', () => {
    const diagnostics = diagnosticsOf('@host = {{a}}{{a}}\n@a = exa mple\n\nGET https://{{host}}/x\n');
    assert.deepEqual(diagnostics.map((diagnostic) => diagnostic.code), ['http.url.invalid']);
  });
});

describe('IncrementalDiagnostics after random edits', () => {
  test('agrees with a whole-document pass, whichever chunks an edit moves, splits, joins or repeats', () => {
    // Identical blocks repeat, so a chunk's text also appears elsewhere, shifted.
    const block = fc.constantFrom(
      '### a\n# @name a\nGET https://example.com/{{id}}\nAccept: */*\n',
      '### b\nPOST https://{{host}}/x\nContent-Type: application/json\n\n{"a": {{a.response.body.$.id}}}\n',
      '###\n@id = 1\n@host = {{missing}}\n',
      '###\nGTE /no-host\nBroken\n',
    );
    const edit = fc.tuple(fc.nat(), fc.nat(4), fc.constantFrom('', 'x', '\n', '###', '\n###\n', '{{', '@id = 2\n', '# @name b\n'));
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 40 }), fc.array(edit, { maxLength: 12 }), (blocks, edits) => {
        const incremental = new IncrementalDiagnostics(parse);
        let text = blocks.join('\n');
        for (const [position, deleteCount, insert] of [[0, 0, ''] as const, ...edits]) {
          const at = position % (text.length + 1);
          text = text.slice(0, at) + insert + text.slice(at + deleteCount);
          const expected = diagnose({ uri: 'file:///work/api.http', document: parse(text), environments: noEnvironments, host });
          assert.deepEqual(incremental.diagnose('file:///work/api.http', text, noEnvironments, host), expected, JSON.stringify(text));
        }
      }),
      { numRuns: 150 },
    );
  });
});
