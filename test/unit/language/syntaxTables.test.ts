import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { codeLenses } from '../../../language/codeLens';
import { Code } from '../../../language/codes';
import { noEnvironments } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { complete } from '../../../language/completion';
import { foldingRanges } from '../../../language/folding';
import { hover } from '../../../language/hover';
import { definition, prepareRename, references, rename } from '../../../language/navigation';
import { parse } from '../../../language/parser';
import { documentSymbols } from '../../../language/symbols';
import type { HttpDocument } from '../../../language/syntax';
import { Hdr, Ref, Table } from '../../../language/syntaxTables';
import { generateCorpus } from '../../bench/corpus';

describe('syntax tables', () => {
  test('a table grows past its first capacity and keeps every record', () => {
    const table = new Table(3, 2);
    for (let index = 0; index < 100; index++) {
      const at = table.add();
      table.data[at] = index;
      table.data[at + 2] = -index - 1;
    }
    assert.equal(table.count, 100);
    for (let index = 0; index < 100; index++) {
      assert.equal(table.data[index * 3], index);
      assert.equal(table.data[index * 3 + 2], -index - 1);
    }
  });

  test('trimming keeps every record, and a trimmed table still grows', () => {
    const small = new Table(2, 100);
    for (let index = 0; index < 3; index++) {
      const at = small.add();
      small.data[at] = index + 1;
    }
    small.trim();
    assert.deepEqual(Array.from(small.data), [1, 0, 2, 0, 3, 0]);
    // `data` is read after `add`, which may replace it.
    const fourth = small.add();
    small.data[fourth] = 4;
    assert.deepEqual(Array.from(small.data.subarray(0, small.count * 2)), [1, 0, 2, 0, 3, 0, 4, 0]);
    const empty = new Table(2, 100);
    empty.trim();
    assert.equal(empty.data.length, 0);
    const first = empty.add();
    empty.data[first] = 7;
    assert.equal(empty.data[0], 7);
    assert.equal(new Table(2, 0).data.length, 0, 'trimmed tables share one empty array, which no table writes into');
  });

  test('a document denser than the tables are first sized for is read whole', () => {
    // A short text with far more headers and references per character than a typical file.
    const headers = Array.from({ length: 400 }, (_, index) => `X-${index}:{{a}}{{b}}`).join('\n');
    const text = `GET /\n${headers}\n`;
    const document = parse(text);
    const { tables } = document;
    assert.equal(tables.headers.count, 400);
    assert.equal(tables.refs.count, 800);
    const request = document.requests[0];
    assert.equal(request.headers.length, 400);
    assert.equal(request.headers[399].name.text, 'X-399');
    assert.deepEqual(
      request.headers[399].value.references.map((reference) => reference.expression),
      ['a', 'b'],
    );
    // The last header's record and the object built from it agree.
    const last = 399 * Hdr.size;
    assert.equal(tables.headers.data[last + Hdr.nameEnd], request.headers[399].name.end);
    assert.equal(tables.refs.data[799 * Ref.size + Ref.end], request.headers[399].value.references[1].end);
  });

  test('the object tree is built once, when first read', () => {
    const document = parse('GET /a\n\n###\nGET /b');
    assert.equal(document.blocks, document.blocks);
    assert.equal(document.requests[1], document.blocks[1].request);
  });

  test('two parses of one text are deeply equal whether or not either object tree was read', () => {
    const text = generateCorpus(30);
    const read = parse(text);
    void read.blocks;
    assert.deepStrictEqual(read, parse(text));
  });
});

/**
 * `document` with its object tree out of reach: reading `blocks`, `requests` or `variables`
 * throws. What a file opened in the editor is first asked for must not need the objects.
 */
function withoutObjectTree(document: HttpDocument): HttpDocument {
  for (const name of ['blocks', 'requests', 'variables']) {
    Object.defineProperty(document, name, {
      get: () => {
        throw new Error(`read document.${name}`);
      },
    });
  }
  return document;
}

describe('what a file just opened is asked for reads the tables, not the object tree', () => {
  const text = [
    '@server = example.com',
    '### first',
    '# @name first',
    'POST https://{{server}}/a',
    'Content-Type: application/json',
    'Content-Length: 2',
    '',
    '{"a": {{undefinedVariable}}}',
    '',
    '> {% client.log(1) %}',
    '> handler.js',
    '',
    '### second',
    'GET /b',
    '    ?page={{first.response.body.$.page}}',
    '< ./missing.json',
  ].join('\n');
  const context = {
    uri: 'file:///open.http',
    document: withoutObjectTree(parse(text)),
    environments: noEnvironments,
    host: { fileExists: () => false, environments: () => noEnvironments },
  };

  test('diagnostics', () => {
    const codes = diagnose(context).map((diagnostic) => diagnostic.code);
    // Checks of every kind ran: headers, variables, bodies, targets and files.
    for (const code of [Code.ContentLengthComputed, Code.VariableUndefined, Code.BodyOnGetOrHead, Code.FileMissing, Code.HostMissing]) {
      assert.ok(codes.includes(code), `${code} missing from ${codes.join()}`);
    }
  });

  test('symbols, folding and CodeLens', () => {
    assert.deepEqual(
      documentSymbols(context).map((symbol) => symbol.name),
      ['first', 'second'],
    );
    assert.deepEqual(
      foldingRanges(context).map((range) => [range.startLine, range.endLine]),
      [
        [1, 10],
        [12, 15],
      ],
    );
    assert.deepEqual(
      codeLenses(context).map((lens) => lens.range.start.line),
      [3, 13],
    );
  });
});

describe('questions about the cursor build its block only', () => {
  const text = [
    '@host = example.com',
    '@base = https://{{host}}',
    '### login',
    'POST {{base}}/login',
    'Content-Type: application/json',
    '',
    '{"user": "a"}',
    '',
    '###',
    '# @prompt code',
    'GET {{base}}/items?code={{code}}&token={{login.response.body.$.token}}',
    'Accept: application/json',
  ].join('\n');
  const context = {
    uri: 'file:///cursor.http',
    document: withoutObjectTree(parse(text)),
    environments: noEnvironments,
    host: { fileExists: () => true, environments: () => noEnvironments },
  };
  const at = (needle: string, shift = 0): number => text.indexOf(needle) + shift;

  test('hover on a variable, a request reference and a header', () => {
    assert.match(JSON.stringify(hover(context, at('{{base}}/items', 3))), /Resolves to/);
    assert.match(JSON.stringify(hover(context, at('login.response', 2))), /POST \{\{base\}\}\/login/);
    assert.match(JSON.stringify(hover(context, at('{{code}}', 3))), /prompt/);
    assert.notEqual(hover(context, at('Accept', 2)), null);
  });

  test('completion of variables, request names and JSON keys of a named request', () => {
    const labels = complete(context, at('{{code}}', 2)).items.map((item) => item.label);
    for (const label of ['host', 'base', 'code', 'login']) assert.ok(labels.includes(label), `${label} missing from ${labels.join()}`);
    const keys = complete({ ...context, document: withoutObjectTree(parse(`${text}\nX-User: {{login.request.body.$.`)) }, text.length + 32).items.map((item) => item.label);
    assert.deepEqual(keys, ['user']);
  });

  test('go to definition, find references and rename', () => {
    assert.deepEqual(
      definition(context, at('{{host}}', 3)).map((location) => location.range.start.line),
      [0],
    );
    assert.deepEqual(
      references(context, at('@base', 2), true).map((location) => location.range.start.line),
      [1, 3, 10],
    );
    const prepared = prepareRename(context, at('### login', 5));
    assert.ok(prepared !== undefined && 'placeholder' in prepared);
    assert.equal(prepared.placeholder, 'login');
    const edits = rename(context, at('### login', 5), 'signIn');
    assert.ok(edits !== undefined && 'changes' in edits);
    assert.equal(edits.changes?.['file:///cursor.http']?.length, 2);
  });
});
