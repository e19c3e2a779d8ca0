import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { contentTypeHeaderIndex, isContentTypeName, mediaType } from '../../../language/contentType';
import { diagnose } from '../../../language/diagnostics';
import { parse } from '../../../language/parser';
import { contextFor, textOf } from './featureContext';

// One rule for which Content-Type a request has when it writes several: the first. The engine's
// side is in test/unit/engine/prepareContentType.test.ts.

const multipartThenText = 'POST https://a.test/upload\nContent-Type: multipart/form-data; boundary=b\nContent-Type: text/plain\n\n--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--\n';
const textThenMultipart = 'POST https://a.test/upload\nContent-Type: text/plain\nContent-Type: multipart/form-data; boundary=b\n\n--b\nContent-Disposition: form-data; name="a"\n\n1\n--b--\n';

describe('the Content-Type rule', () => {
  test('the first header named Content-Type, any case, counts', () => {
    const names = ['Accept', 'content-TYPE', 'Content-Type'];
    assert.equal(contentTypeHeaderIndex(names.length, (index) => isContentTypeName(names[index])), 1);
    assert.equal(contentTypeHeaderIndex(1, () => false), -1);
    assert.equal(mediaType(' Application/JSON ; charset=utf-8'), 'application/json');
  });

  test('the parser reads a multipart body by the first Content-Type', () => {
    // It used to read the last: the first here, multipart, was ignored.
    assert.equal(parse(multipartThenText).requests[0].body?.multipart?.boundary, 'b');
    assert.equal(parse(textThenMultipart).requests[0].body?.multipart, undefined);
  });

  test('diagnostics check a JSON body by the first Content-Type', () => {
    const jsonFirst = 'POST https://a.test\nContent-Type: application/json\nContent-Type: text/plain\n\n{oops}\n';
    const textFirst = 'POST https://a.test\nContent-Type: text/plain\nContent-Type: application/json\n\n{oops}\n';
    assert.equal(diagnose(contextFor(jsonFirst)).filter((diagnostic) => diagnostic.code === Code.BodyInvalidJson).length, 1);
    assert.equal(diagnose(contextFor(textFirst)).filter((diagnostic) => diagnostic.code === Code.BodyInvalidJson).length, 0);
  });

  test('two Content-Types that disagree are one warning on the second, related to the one that counts', () => {
    const context = contextFor(multipartThenText);
    const diagnostics = diagnose(context).filter((diagnostic) => diagnostic.code === Code.ContentTypeConflict || diagnostic.code === Code.HeaderDuplicate);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    const [conflict] = diagnostics;
    assert.equal(conflict.code, Code.ContentTypeConflict);
    assert.equal(conflict.severity, 2);
    assert.equal(textOf(context, conflict.range), 'Content-Type');
    assert.equal(conflict.range.start.line, 2);
    const related = conflict.relatedInformation?.[0];
    assert.equal(related?.location.range.start.line, 1);
    const message = typeof conflict.message === 'string' ? conflict.message : conflict.message.value;
    assert.match(message, /read the first \('multipart\/form-data; boundary=b'\)/);
  });

  test('the same Content-Type twice is a repeat, not a conflict', () => {
    const text = 'POST https://a.test\nContent-Type: application/json\ncontent-type: Application/JSON\n\n{}\n';
    const codes = diagnose(contextFor(text)).map((diagnostic) => diagnostic.code);
    assert.ok(codes.includes(Code.HeaderDuplicate));
    assert.ok(!codes.includes(Code.ContentTypeConflict));
  });
});
