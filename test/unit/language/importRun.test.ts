// JetBrains' `import` and `run` lines and httpYac's request metadata in the language service:
// where the parser puts them, and what diagnostics say about them.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { codeLenses } from '../../../language/codeLens';
import { complete } from '../../../language/completion';
import { Code } from '../../../language/codes';
import type { FeatureContext } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { IncrementalDiagnostics } from '../../../language/diagnosticsIncremental';
import { parse } from '../../../language/parser';
import { formatDocument } from '../../../language/formatting';
import { hover } from '../../../language/hover';
import { definition } from '../../../language/navigation';
import { positionToOffset } from '../../../language/positions';
import { documentSymbols } from '../../../language/symbols';
import { compositionLines } from '../../../language/syntaxViews';
import { contextFor, testUri, textOf } from './featureContext';

/** `shared.http` as another file of the folder: it names `login` and `Other one`. */
const sharedText = '### Other one\nGET https://example.com/other\n\n###\n# @name login\nPOST https://example.com/login\n';

function withFiles(text: string, files: Readonly<Record<string, string>>): FeatureContext {
  const context = contextFor(text, { files: Object.keys(files) });
  return { ...context, host: { ...context.host, readFile: (_uri, path) => files[path] } };
}

/** `code: text the range covers` for each diagnostic, in order. */
function problems(context: FeatureContext, only?: readonly string[]): string[] {
  return diagnose(context)
    .filter((diagnostic) => only === undefined || only.includes(String(diagnostic.code)))
    .map((diagnostic) => `${String(diagnostic.code)}: ${textOf(context, diagnostic.range)}`);
}

describe('parsing import and run lines', () => {
  test('each line is a composition line with its target and overrides, at its offsets', () => {
    const text = 'import ./shared.http\n\nrun #Other one\nrun #login (@user=ann, @lang = en )\nrun ../all.rest (@a=1)\n\n###\nGET https://example.com\n';
    const document = parse(text);
    assert.deepEqual(document.problems, []);
    const lines = compositionLines(document);
    assert.deepEqual(
      lines.map((line) => [line.kind, line.target.text, text.slice(line.start, line.end), line.overrides.map((entry) => `${entry.name.text}=${entry.value.text}`)]),
      [
        ['import', './shared.http', 'import ./shared.http', []],
        ['run-request', 'Other one', 'run #Other one', []],
        ['run-request', 'login', 'run #login (@user=ann, @lang = en )', ['user=ann', 'lang=en']],
        ['run-file', '../all.rest', 'run ../all.rest (@a=1)', ['a=1']],
      ],
    );
    const override = lines[2]?.overrides[1];
    assert.equal(text.slice(override?.name.start, override?.name.end), 'lang');
    assert.equal(text.slice(override?.value.start, override?.value.end), 'en');
    // The lines are not requests: the file has one request, below the separator.
    assert.equal(document.requests.length, 1);
  });

  test('a request with a custom method named run or import stays a request', () => {
    const document = parse('run /jobs/7\n\n###\nimport https://example.com/data\n');
    assert.equal(compositionLines(document).length, 0);
    assert.deepEqual(document.requests.map((request) => request.methodName), ['run', 'import']);
  });

  test("'run #' without a name is a syntax problem", () => {
    const document = parse('run #\n');
    assert.deepEqual(document.problems.map((problem) => problem.code), [Code.RunMissingName]);
  });
});

describe('diagnostics of import and run', () => {
  test('nothing to report when the files exist and name the requests', () => {
    const context = withFiles('import ./shared.http\nrun #login\nrun #Other one (@a=1)\nrun ./shared.http\n\n###\nGET https://example.com/{{login.response.body.$.id}}\n', { './shared.http': sharedText });
    assert.deepEqual(problems(context), []);
  });

  test('a missing file is a warning on its path', () => {
    const context = withFiles('import ./gone.http\nrun ./also-gone.http\n', {});
    assert.deepEqual(problems(context), [`${Code.FileMissing}: ./gone.http`, `${Code.FileMissing}: ./also-gone.http`]);
    assert.match(diagnose(context)[0]?.message as string, /Imported file '\.\/gone\.http' does not exist .*: fix the path or create the file/);
  });

  test('an unknown request name is a warning saying how to define or import it', () => {
    const context = withFiles('import ./shared.http\nrun #nobody\n\n###\nGET https://example.com/{{ghost.response.body.$.id}}\n', { './shared.http': sharedText });
    assert.deepEqual(problems(context), [`${Code.RunUnknownRequest}: nobody`, `${Code.RequestUndefined}: ghost`]);
    assert.match(diagnose(context)[0]?.message as string, /No request is named 'nobody' in this file or the files it imports: define it with '# @name nobody'/);
  });

  test('a malformed override is a warning on the entry', () => {
    const context = withFiles('run #here (@a=1, b=2)\n\n###\n# @name here\nGET https://example.com\n', {});
    assert.deepEqual(problems(context), [`${Code.RunUnknownRequest}: b=2`]);
  });

  test('incremental passes report the same, and see a file appear', () => {
    const text = 'import ./shared.http\nrun #login\n';
    const files: Record<string, string> = {};
    const host = { fileExists: (_uri: string, path: string) => path in files, readFile: (_uri: string, path: string) => files[path] };
    const incremental = new IncrementalDiagnostics(parse);
    const first = incremental.diagnoseParsed({ ...contextFor(text), host });
    // While the file is missing, whether it names login cannot be known: only the path is reported.
    assert.deepEqual(first.map((diagnostic) => diagnostic.code), [Code.FileMissing]);
    files['./shared.http'] = sharedText;
    assert.deepEqual(incremental.diagnose(testUri, text, contextFor(text).environments, host), []);
  });

  test('incremental passes check # @ref names as the whole pass does', () => {
    const text = '# @name here\nGET https://example.com/a\n\n###\n# @ref nowhere\nGET https://example.com/b\n';
    const incremental = new IncrementalDiagnostics(parse);
    const host = contextFor(text).host;
    const whole = incremental.diagnoseParsed({ ...contextFor(text), host });
    assert.deepEqual(whole.map((diagnostic) => diagnostic.code), [Code.RunUnknownRequest]);
    const edited = text.replace('/a', '/a2');
    assert.deepEqual(incremental.diagnose(testUri, edited, contextFor(edited).environments, host).map((diagnostic) => diagnostic.code), [Code.RunUnknownRequest]);
  });
});

describe('diagnostics of httpYac metadata', () => {
  test('known directives are not hints; an unknown one still is', () => {
    const context = contextFor('# @title Make one\n# @description Creates\n# @noLog\n# @save\n# @sleep 10\n# @frobnicate\nGET https://example.com\n');
    assert.deepEqual(problems(context), [`${Code.DirectiveUnknown}: frobnicate`]);
  });

  test('a value that cannot be read is an error saying what to write', () => {
    const context = contextFor('# @loop forever\n# @ratelimit max 10\n# @ref\nGET https://example.com\n');
    assert.deepEqual(problems(context), [`${Code.DirectiveInvalidValue}: @loop forever`, `${Code.DirectiveInvalidValue}: @ratelimit max 10`, `${Code.DirectiveInvalidValue}: @ref`]);
    assert.match(diagnose(context)[0]?.message as string, /write '# @loop for 3', '# @loop for item of items' or '# @loop while condition'/);
  });

  test("a loop's $index and variable are defined in its request, and its passes are named", () => {
    const context = contextFor('@ids = [1, 2]\n# @name page\n# @loop for id of ids\nGET https://example.com/{{id}}?i={{$index}}\n\n###\nGET https://example.com/{{page1.response.body.$.id}}\n');
    assert.deepEqual(problems(context), []);
    const outside = contextFor('GET https://example.com/{{id}}?i={{$index}}\n');
    assert.deepEqual(problems(outside, [Code.VariableUndefined]), [`${Code.VariableUndefined}: id`, `${Code.VariableUndefined}: $index`]);
  });

  test('@ref to an unknown name is a warning; to an imported one it is not', () => {
    const context = withFiles('# @import ./shared.http\n# @ref login\n# @forceRef nobody\nGET https://example.com\n', { './shared.http': sharedText });
    assert.deepEqual(problems(context), [`${Code.RunUnknownRequest}: nobody`]);
  });
});

describe('titles, descriptions and run lines in the editor', () => {
  test('@title names the request in the outline, @description is beside it', () => {
    const context = contextFor('### Listing\n# @name list\n# @title All items\n# @description Every item, newest first\nGET https://example.com/items\n\n###\nGET https://example.com/other\n');
    assert.deepEqual(
      documentSymbols(context).map((symbol) => [symbol.name, symbol.detail]),
      [
        ['All items', 'GET https://example.com/items · Every item, newest first'],
        ['GET https://example.com/other', undefined],
      ],
    );
  });

  test('run lines get a lens that sends them through the same command, imports none', () => {
    const context = contextFor('import ./shared.http\nrun #login\nrun ./shared.http\n\n###\nGET https://example.com\n');
    assert.deepEqual(
      codeLenses(context).map((lens) => [lens.command?.title, lens.range.start.line, lens.command?.command]),
      [
        ['Send Request', 5, 'courier.sendRequest'],
        ['Run Request', 1, 'courier.sendRequest'],
        ['Run File', 2, 'courier.sendRequest'],
      ],
    );
  });
});

describe('go to definition on import and run lines', () => {
  const text = 'import ./shared.http\nrun #login\nrun #local\n\n###\n# @name local\nGET https://example.com\n';
  const context = withFiles(text, { './shared.http': sharedText });
  const at = (needle: string): number => text.indexOf(needle) + 2;

  test('the path goes to the file', () => {
    assert.deepEqual(definition(context, at('./shared')), [{ uri: 'file:///work/shared.http', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }]);
  });

  test('a name goes to the request, in an imported file or this one', () => {
    assert.deepEqual(definition(context, at('login')), [{ uri: 'file:///work/shared.http', range: { start: { line: 5, character: 0 }, end: { line: 5, character: 30 } } }]);
    assert.deepEqual(definition(context, at('local\n')).map((location) => [location.uri, location.range.start.line]), [[testUri, 6]]);
  });
});

describe('formatting keeps the dialect', () => {
  test('import and run lines, overrides and httpYac metadata come out as written', () => {
    const text = 'import ./shared.http\n\nrun #login (@user=ann, @lang=en)\nrun ./setup.http\n\n###\n# @ref login\n# @loop for item of items\n# @ratelimit minIdleTime 100\nGET https://example.com/{{item}}?i={{$index}}\n';
    const context = contextFor(text);
    const edits = formatDocument(context);
    const formatted = edits.reduceRight((result, edit) => {
      const start = positionToOffset(context.document, edit.range.start);
      const end = positionToOffset(context.document, edit.range.end);
      return result.slice(0, start) + edit.newText + result.slice(end);
    }, text);
    assert.equal(formatted, text);
  });
});

describe('hover on import and run lines', () => {
  const text = 'import ./shared.http\nrun #login (@user=ann)\nrun ./shared.http\n';
  const context = withFiles(text, { './shared.http': sharedText });
  const markdown = (needle: string): string => {
    const answer = hover(context, text.indexOf(needle) + 1);
    return answer !== null && typeof answer.contents === 'object' && 'value' in answer.contents ? answer.contents.value : '';
  };

  test('says what each line does, what it sends and with which overrides', () => {
    assert.match(markdown('import'), /\*\*import\*\* \(JetBrains\): .*`\.\/shared\.http`.*Named requests: `Other one`, `login`\./s);
    assert.match(markdown('run #login'), /sends `POST https:\/\/example\.com\/login` of `\.\/shared\.http` here, every time, with `user` = `ann` over its variables/);
    assert.match(markdown('run ./'), /sends every request of `\.\/shared\.http`, in order/);
  });
});

describe('completion of request names', () => {
  test('after run # and # @ref: this file\'s names, then the imported ones', () => {
    const text = 'import ./shared.http\nrun #lo\n\n###\n# @name local\n# @ref \nGET https://example.com\n';
    const context = withFiles(text, { './shared.http': sharedText });
    const labels = (offset: number): string[] => complete(context, offset).items.map((item) => `${item.label} (${item.detail ?? ''})`);
    const expected = ['local (request in this file)', 'Other one (request in ./shared.http)', 'login (request in ./shared.http)'];
    assert.deepEqual(labels(text.indexOf('#lo') + 3), expected);
    assert.deepEqual(labels(text.indexOf('@ref ') + 5), expected);
    const edit = complete(context, text.indexOf('#lo') + 3).items[2]?.textEdit;
    assert.ok(edit !== undefined && 'range' in edit);
    assert.equal(textOf(context, edit.range), 'lo', 'the typed part is replaced');
  });
});
