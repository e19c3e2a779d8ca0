// Preparing incremental diagnostics in slices: a host stops `prepare` between chunks to answer
// requests, and whatever it stopped at, the next passes give what a whole-document pass gives.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { OperationCancelled } from '../../../language/cancellation';
import { Code } from '../../../language/codes';
import { noEnvironments } from '../../../language/context';
import type { SeverityLevel } from '../../../language/diagnosticSeverity';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { parse } from '../../../language/parser';
import { createLanguageService } from '../../../language/service';
import { contextFor, testUri } from './featureContext';

const host = { fileExists: () => true };
const blocks = Array.from({ length: 300 }, (_, index) => `### request ${index}\nGET https://example.com/${index}\nAccept: */*\n`);
/** 300 requests, one with a broken header, so each pass has something to agree on. */
const text = blocks.join('\n').replace('Accept: */*\n\n### request 20', 'Accept */*\n\n### request 20');
/** An edit far from the start: the chunks a few slices make stay as they were. */
const edited = text.replace('Accept: */*\n\n### request 250', 'Accept */*\n\n### request 250');

function incremental(): { readonly diagnostics: IncrementalDiagnostics; readonly parsed: string[] } {
  const parsed: string[] = [];
  const diagnostics = new IncrementalDiagnostics((source) => {
    parsed.push(source);
    return parse(source);
  });
  return { diagnostics, parsed };
}

/** A `shouldYield` that lets `steps` chunks (or other steps) through, then says stop. */
function after(steps: number): () => boolean {
  let left = steps;
  return () => left-- <= 0;
}

/** A cancellation token that says no `looks` times, then yes. */
function cancelledAfter(looks: number): { readonly isCancellationRequested: boolean } {
  let left = looks;
  return {
    get isCancellationRequested() {
      return left-- <= 0;
    },
  };
}

describe('preparing incremental diagnostics in slices', () => {
  test('one step a slice makes every chunk once and checks it, as a whole prepare does', () => {
    const { diagnostics, parsed } = incremental();
    const first = diagnostics.diagnoseParsed({ ...contextFor(text), host });
    let slices = 0;
    while (diagnostics.needsPreparing()) {
      diagnostics.prepare(after(1));
      slices++;
      assert.ok(slices < 10_000, 'prepare goes on from where it stopped');
    }
    assert.ok(slices > parsed.length, `one chunk, the scope or one check per slice, not ${slices} slices for ${parsed.length} chunks`);
    assert.equal(parsed.join(''), text, 'every chunk parsed once, in order');
    parsed.length = 0;
    assert.deepEqual(diagnostics.diagnose(testUri, text, noEnvironments, host), first, 'the prepared chunks give the first pass again');
    assert.equal(parsed.length, 0, 'without parsing');
    assert.deepEqual(diagnostics.diagnose(testUri, edited, noEnvironments, host), diagnose({ ...contextFor(edited), host }));
    assert.equal(parsed.length, 1, 'an edit parses one chunk');
  });

  test('an edit before preparing is done reuses the chunks made so far', () => {
    const { diagnostics, parsed } = incremental();
    diagnostics.diagnoseParsed({ ...contextFor(text), host });
    diagnostics.prepare(after(3));
    assert.equal(parsed.length, 3);
    assert.ok(diagnostics.needsPreparing());
    const made = parsed.join('');
    parsed.length = 0;
    const result = diagnostics.diagnose(testUri, edited, noEnvironments, host);
    assert.deepEqual(result, diagnose({ ...contextFor(edited), host }));
    assert.equal(parsed.join(''), edited.slice(made.length), 'only the chunks not made yet');
    assert.equal(diagnostics.needsPreparing(), false, 'that pass made the rest');
  });

  test('the same text asked again before preparing is done gives the first pass again, checking files anew', () => {
    const { diagnostics } = incremental();
    const first = diagnostics.diagnoseParsed({ ...contextFor(text), host });
    diagnostics.prepare(after(3));
    const again = diagnostics.diagnoseParsed({ ...contextFor(text), host });
    assert.deepEqual(again, first);
    assert.ok(again.length > 0 && again.every((diagnostic, index) => diagnostic === first[index]), 'the very same diagnostics, not checked again');
    assert.ok(diagnostics.needsPreparing(), 'and the chunks made so far are kept');

    const withFile = `${text}\n### upload\nPOST https://example.com/upload\nContent-Type: application/json\n\n< ./body.json\n`;
    const files = new Set<string>();
    const fileHost = { fileExists: (_uri: string, path: string) => files.has(path) };
    const named = incremental().diagnostics;
    const missing = named.diagnoseParsed({ ...contextFor(withFile), host: fileHost });
    files.add('./body.json');
    const found = named.diagnoseParsed({ ...contextFor(withFile), host: fileHost });
    assert.equal(found.length, missing.length - 1, 'a file that appeared is no longer reported missing');
  });

  test('the same text asked again while preparing is answered whole, and preparing goes on', () => {
    const uri = 'file:///w/slices.http';
    const service = createLanguageService({ ...host, environments: () => noEnvironments });
    const expected = diagnose({ ...contextFor(text), host, uri });
    assert.deepEqual(service.diagnose({ uri, version: 1, getText: () => text }), expected);
    service.prepareIncremental(uri, after(3));
    assert.ok(service.needsPreparing(uri));
    assert.deepEqual(service.diagnose({ uri, version: 2, getText: () => text }), expected, 'a pull of an unchanged text');
    assert.ok(service.needsPreparing(uri), 'the pull left preparing to the host');
    service.prepareIncremental(uri);
    assert.equal(service.needsPreparing(uri), false);
    assert.deepEqual(service.diagnose({ uri, version: 3, getText: () => edited }), diagnose({ ...contextFor(edited), host, uri }));
  });

  test('a pull cancelled halfway, after an edit that gives an undefined name a value, leaves no chunk checked under the old scope', () => {
    // Every request refers to {{id}}, which only the edit defines: each chunk's diagnostics change.
    const undefinedId = Array.from({ length: 300 }, (_, index) => `### request ${index}\nGET https://example.com/{{id}}/${index}\n`).join('\n');
    const definedId = undefinedId.replace('### request 150\n', '### request 150\n@id = 7\n');
    const counting = incremental();
    counting.diagnostics.diagnose(testUri, undefinedId, noEnvironments, host);
    const chunkCount = counting.parsed.length;
    const { diagnostics } = incremental();
    assert.equal(diagnostics.diagnoseParsed({ ...contextFor(undefinedId), host }).length, 300);
    // Every chunk made, the scope, then 20 chunks checked under it, the rest not checked yet.
    diagnostics.prepare(after(chunkCount + 1 + 20));
    assert.ok(diagnostics.needsPreparing());
    assert.throws(() => diagnostics.diagnose(testUri, definedId, noEnvironments, host, cancelledAfter(2)), OperationCancelled);
    assert.deepEqual(diagnostics.diagnose(testUri, definedId, noEnvironments, host), [], 'the pass after the cancelled one checks every chunk under the new scope');
    assert.deepEqual(diagnostics.diagnose(testUri, undefinedId, noEnvironments, host), diagnose({ ...contextFor(undefinedId), host }));
  });

  test('severities per code apply to a pull answered from the first pass while preparing', () => {
    const uri = 'file:///w/severities.http';
    const severities = new Map<string, SeverityLevel>([[Code.HeaderMissingColon, 'off']]);
    const service = createLanguageService({ ...host, environments: () => noEnvironments, diagnosticSeverities: () => severities });
    assert.deepEqual(service.diagnose({ uri, version: 1, getText: () => text }), [], 'the broken header is off');
    service.prepareIncremental(uri, after(3));
    assert.ok(service.needsPreparing(uri));
    assert.deepEqual(service.diagnose({ uri, version: 2, getText: () => text }), [], 'and stays off in the repeated pull');
    severities.clear();
    assert.equal(service.diagnose({ uri, version: 3, getText: () => text }).length, 1, 'the repeated pull reads the severities anew');
  });
});
