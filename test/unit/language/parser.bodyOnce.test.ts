// A multipart body and a GraphQL query are read from the body's lines, but their references are
// the body's own: scanned, recorded and reported once, the same records whoever reads them.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import '../propertySeed';
import { Code } from '../../../language/codes';
import { parse } from '../../../language/parser';
import { scanReferences } from '../../../language/references';
import type { Request, Template } from '../../../language/syntax';

/** The templates a multipart or GraphQL body adds over the body's text. */
function structureTemplates(request: Request): Template[] {
  const body = request.body;
  const templates: Template[] = [];
  for (const part of body?.multipart?.parts ?? []) {
    templates.push(...part.headers.map((header) => header.value), ...part.content.map((content) => (content.kind === 'text' ? content.text : content.path)));
  }
  if (body?.graphql !== undefined) templates.push(body.graphql.query, ...(body.graphql.variables === undefined ? [] : [body.graphql.variables]));
  return templates;
}

const shape = (references: Template['references']): string[] => references.map((reference) => `${reference.start}-${reference.end}:${reference.expression}:${reference.terminated}`);

describe('multipart and GraphQL bodies read once', () => {
  test("each template of their structure has the references a scan of its own text finds, and the table holds each reference once", () => {
    const line = fc.constantFrom(
      '--b', '--b--', 'Content-Disposition: form-data; name="{{field}}"', 'X-Part: {{a}} and {{b}}', '  more {{c}}', '', 'value {{v}} {{ w }}', '{{ open',
      '< ./{{file}}.json', '<@ ./f.json', 'query { a(x: "{{q}}") }', '{"v": "{{gv}}", "{{$uuid}}": 1}', 'text', '{{}}',
    );
    const head = fc.constantFrom(
      ['POST https://h.test/', 'Content-Type: multipart/form-data; boundary=b'],
      ['POST https://h.test/', 'X-Request-Type: GraphQL'],
      ['GRAPHQL https://h.test/', 'Content-Type: multipart/form-data; boundary=b'],
    );
    fc.assert(
      fc.property(head, fc.array(line, { maxLength: 14 }), (headLines, body) => {
        const text = [...headLines, '', ...body].join('\n');
        const document = parse(text);
        for (const template of document.requests.flatMap(structureTemplates)) {
          assert.deepEqual(shape(template.references), shape(scanReferences(text, template.start, template.end, [])), `${JSON.stringify(text)} at ${template.start}`);
        }
        assert.equal(document.tables.refs.count, text.split('{{').length - 1, `each {{ recorded once in ${JSON.stringify(text)}`);
      }),
      { numRuns: 2000 },
    );
  });

  test('a reference problem in a multipart part is reported once', () => {
    const text = ['POST https://h.test/', 'Content-Type: multipart/form-data; boundary=b', '', '--b', 'X-Part: {{ open', '', 'value {{}}', '--b--'].join('\n');
    const codes = parse(text).problems.map((problem) => problem.code);
    assert.deepEqual(codes.sort(), [Code.VariableInvalid, Code.VariableUnterminated].sort());
  });

  test("a part header whose reference starts in its name has none in its value: the body's scan read one reference across the colon", () => {
    const text = ['POST https://h.test/', 'Content-Type: multipart/form-data; boundary=b', '', '--b', 'N{{: {{a}}', '', 'x', '--b--'].join('\n');
    const document = parse(text);
    const header = document.requests[0].body?.multipart?.parts[0]?.headers[0];
    assert.equal(header?.value.text, '{{a}}');
    assert.deepEqual(header.value.references, []);
    assert.deepEqual(document.problems.map((problem) => problem.code).sort(), [Code.HeaderInvalidName, Code.VariableInvalid].sort());
  });
});
