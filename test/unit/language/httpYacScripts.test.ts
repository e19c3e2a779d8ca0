// httpYac's `{{` script blocks in the language: where the parser puts them (above the request
// line, below it, in a region without a request), what sets them apart from a `{{ name }}`
// reference, and what diagnostics say about them (syntax errors, exports as defined variables,
// events Courier does not run, Node-only names).

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { diagnose } from '../../../language/diagnostics';
import { fileScriptBlocks, requestScriptBlocks } from '../../../language/httpYacScripts';
import { parse } from '../../../language/parser';
import { formatDocument } from '../../../language/formatting';
import { lineAt, positionToOffset } from '../../../language/positions';
import { contextFor, textOf } from './featureContext';

const file = [
  '###', //                                   0
  '{{', //                                    1
  '  exports.requestedBy = "sample";', //     2
  '}}', //                                    3
  '### Log in', //                            4
  '{{+', //                                   5
  '  console.log("every request");', //       6
  '}}', //                                    7
  '{{', //                                    8
  '  exports.started = Date.now();', //       9
  '}}', //                                   10
  'POST https://example.com/login', //       11
  'Content-Type: application/json', //      12
  '', //                                     13
  '{ "user": "{{requestedBy}}" }', //        14
  '', //                                     15
  '{{@response', //                          16
  '  console.log(response.statusCode);', //  17
  '}}', //                                   18
  '{{', //                                   19
  '  exports.token = response.parsedBody.token;', // 20
  '}}', //                                   21
  '', //                                     22
  '### Me', //                               23
  'GET https://example.com/me', //          24
  'Authorization: Bearer {{token}}', //     25
].join('\n');

describe('parsing script blocks', () => {
  const document = parse(file);
  const lineOf = (offset: number): number => lineAt(document.lineStarts, offset);

  test('the file parses without problems, and the body ends before the block below it', () => {
    assert.deepEqual(document.problems, []);
    const login = document.requests[0];
    assert.equal(document.text.slice(login.body?.start, login.body?.end), '{ "user": "{{requestedBy}}" }');
    assert.equal(login.headers.length, 1);
  });

  test('each block has its span, its script lines, its event and its place', () => {
    const blocks = requestScriptBlocks(document, document.requests[0]);
    assert.deepEqual(
      blocks.map((block) => ({ lines: [lineOf(block.start), lineOf(block.end)], script: block.script.text, event: block.event, every: block.everyRequest, after: block.afterRequest, closed: block.terminated })),
      [
        { lines: [5, 7], script: '  console.log("every request");', event: '', every: true, after: false, closed: true },
        { lines: [8, 10], script: '  exports.started = Date.now();', event: '', every: false, after: false, closed: true },
        { lines: [16, 18], script: '  console.log(response.statusCode);', event: 'response', every: false, after: true, closed: true },
        { lines: [19, 21], script: '  exports.token = response.parsedBody.token;', event: '', every: false, after: true, closed: true },
      ],
    );
    assert.equal(document.text.slice(blocks[0].start, blocks[0].end), '{{+\n  console.log("every request");\n}}');
  });

  test('a region without a request holds a global script; `{{+` blocks are the file\'s, for every request', () => {
    const { global, everyRequest } = fileScriptBlocks(document);
    assert.deepEqual(global.map((block) => block.script.text), ['  exports.requestedBy = "sample";']);
    assert.deepEqual(everyRequest.map((block) => block.script.text), ['  console.log("every request");']);
  });

  test('`{{ name }}` on one line is a reference, never a block', () => {
    const parsed = parse('GET https://example.com/{{ id }}\nX-A: {{\n  name }}');
    assert.equal(parsed.tables.scriptBlocks.count, 0);
    assert.deepEqual(parsed.requests[0].target.references.map((reference) => reference.expression), ['id']);
  });

  test('blanks around the braces and httpYac\'s `{{@js` prefix are allowed; other text after `{{` is not a block', () => {
    const parsed = parse('  {{@js +after  \nconsole.log(1)\n  }}  \nGET https://example.com\n');
    assert.equal(parsed.tables.scriptBlocks.count, 1);
    const [block] = fileScriptBlocks(parsed).everyRequest;
    assert.deepEqual([block.event, block.everyRequest], ['after', true]);
    assert.equal(parse('{{ name\n}}\nGET https://example.com').tables.scriptBlocks.count, 0);
  });

  test('an unclosed block is reported on its `{{` line and runs to the end of its region', () => {
    const parsed = parse('GET https://example.com\n\n{{\n  test.status(200);\n\n### next\nGET https://example.com/2');
    assert.deepEqual(parsed.problems.map((problem) => [problem.code, parsed.text.slice(problem.start, problem.end)]), [[Code.ScriptBlockUnterminated, '{{']]);
    const [block] = requestScriptBlocks(parsed, parsed.requests[0]);
    assert.equal(block.terminated, false);
    assert.equal(block.script.text, '  test.status(200);');
    assert.equal(parsed.requests.length, 2);
  });

  test('an empty block has an empty script', () => {
    const parsed = parse('{{\n}}\nGET https://example.com');
    const [block] = requestScriptBlocks(parsed, parsed.requests[0]);
    assert.equal(block.script.text, '');
  });
});

describe('diagnostics of script blocks', () => {
  test('names a block exports are defined variables: no undefined-variable problem for {{token}} or {{requestedBy}}', () => {
    const problems = diagnose(contextFor(file)).filter((diagnostic) => diagnostic.code === Code.VariableUndefined);
    assert.deepEqual(problems, []);
  });

  test('without the export, the same reference is undefined', () => {
    const text = file.replace('exports.token = ', 'const token = ');
    const context = contextFor(text);
    const undefinedNames = diagnose(context).filter((diagnostic) => diagnostic.code === Code.VariableUndefined).map((diagnostic) => textOf(context, diagnostic.range));
    assert.deepEqual(undefinedNames, ['token']);
  });

  test('a JavaScript syntax error is an error at its place in the block', () => {
    const text = 'GET https://example.com\n\n{{\n  test("x", () => {\n}}\n';
    const context = contextFor(text);
    const errors = diagnose(context).filter((diagnostic) => diagnostic.code === Code.ScriptSyntaxError);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].severity, DiagnosticSeverity.Error);
    assert.equal(errors[0].range.start.line, 3);
  });

  test('require and process are warnings that say the sandbox has no Node', () => {
    const text = 'GET https://example.com\n\n{{\n  const { equal } = require("assert");\n  const home = process.env.HOME;\n  const ok = { process: 1 }.process;\n}}\n';
    const context = contextFor(text);
    const found = diagnose(context).filter((diagnostic) => diagnostic.code === Code.ScriptNodeOnly);
    assert.deepEqual(found.map((diagnostic) => [textOf(context, diagnostic.range), diagnostic.severity]), [['require', DiagnosticSeverity.Warning], ['process', DiagnosticSeverity.Warning]]);
    assert.match(found[0].message as string, /not available in Courier's script sandbox/);
  });

  test('@request, @streaming and @responseLogging blocks are warnings that say why they do not run; @response and @after are not', () => {
    const text = ['{{@request', '}}', '{{@streaming', '}}', '{{@responseLogging', '}}', '{{@response', '}}', '{{@after', '}}', 'GET https://example.com'].join('\n');
    const context = contextFor(text);
    const found = diagnose(context).filter((diagnostic) => diagnostic.code === Code.ScriptBlockEventUnsupported);
    assert.deepEqual(found.map((diagnostic) => textOf(context, diagnostic.range)), ['{{@request', '{{@streaming', '{{@responseLogging']);
    assert.match(found[0].message as string, /^Courier does not run this script: '\{\{@request' scripts change the request/);
  });
});

describe('formatting keeps httpYac script blocks', () => {
  test('blocks above, below and between requests come out as written, their JavaScript untouched', () => {
    const text = [
      '{{+',
      '  exports.started = Date.now();',
      '}}',
      '###',
      '{{',
      '   const  id =   42;',
      '  exports.id = id;',
      '}}',
      'GET https://example.com/items/{{id}}',
      'Accept:   application/json',
      '',
      '{{',
      "  test.status(200);",
      "  test('has a name', () => { if (!response.parsedBody.name) throw new Error('no name'); });",
      '}}',
      '',
    ].join('\n');
    const context = contextFor(text);
    const formatted = formatDocument(context).reduceRight((result, edit) => {
      const start = positionToOffset(context.document, edit.range.start);
      const end = positionToOffset(context.document, edit.range.end);
      return result.slice(0, start) + edit.newText + result.slice(end);
    }, text);
    // The header's blanks and a blank line before `###` are Courier's own layout; every script line stays byte for byte.
    assert.equal(formatted, text.replace('Accept:   application/json', 'Accept: application/json').replace('}}\n###', '}}\n\n###'));
  });
});
