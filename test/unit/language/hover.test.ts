import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { type Hover, MarkupContent } from 'vscode-languageserver-types';
import { type EnvironmentSnapshot, type FeatureContext, noEnvironments } from '../../../language/context';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';

// `|` marks where the mouse rests; each test says what the hover must explain.

function hoverAt(textWithCursor: string, environments: EnvironmentSnapshot = noEnvironments): { readonly hover: Hover | null; readonly text: string } {
  const offset = textWithCursor.indexOf('|');
  assert.notEqual(offset, -1, 'the test text marks the cursor with |');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const context: FeatureContext = { uri: 'file:///work/api.http', document: parse(text), environments, host: { fileExists: () => true } };
  return { hover: hover(context, offset), text };
}

/** The hover's markdown, failing when there is none. */
function markdownAt(textWithCursor: string, environments?: EnvironmentSnapshot): string {
  const result = hoverAt(textWithCursor, environments).hover;
  assert.ok(result !== null, 'expected a hover');
  assert.ok(MarkupContent.is(result.contents), 'hover contents are markdown');
  return result.contents.value;
}

/** The text the hover's range covers. */
function coveredText(textWithCursor: string): string {
  const { hover: result, text } = hoverAt(textWithCursor);
  assert.ok(result?.range !== undefined, 'expected a hover with a range');
  const document = parse(text);
  return text.slice(positionToOffset(document, result.range.start), positionToOffset(document, result.range.end));
}

const environments: EnvironmentSnapshot = {
  names: ['dev'],
  active: 'dev',
  variables: new Map([
    ['host', { name: 'host', value: 'http://127.0.0.1:3000', source: 'environment', environment: 'dev', location: { uri: 'file:///work/http-client.env.json', span: { start: 10, end: 20 } } }],
    ['apiKey', { name: 'apiKey', value: 'k-123', source: 'private-environment', environment: 'dev', location: { uri: 'file:///work/http-client.private.env.json', span: { start: 10, end: 20 } } }],
  ]),
};

describe('hover on headers', () => {
  test('explains a header name, links its spec and says whether it may repeat', () => {
    const markdown = markdownAt('GET https://a.test\nContent-T|ype: application/json');
    assert.match(markdown, /\*\*Content-Type\*\*/);
    assert.match(markdown, /Media type of the content/);
    assert.match(markdown, /rfc9110#name-content-type/);
    assert.match(markdown, /at most once per request/);
    assert.match(markdownAt('GET https://a.test\naccept|: */*'), /comma-separated list/);
    assert.equal(coveredText('GET https://a.test\nContent-T|ype: application/json'), 'Content-Type');
  });

  test('says nothing about unknown headers or header values', () => {
    assert.equal(hoverAt('GET https://a.test\nX-Mine|: 1').hover, null);
    assert.equal(hoverAt('GET https://a.test\nAccept: app|lication/json').hover, null);
  });
});

describe('hover on methods and directives', () => {
  test('describes the method', () => {
    assert.match(markdownAt('PA|TCH https://a.test'), /partial modifications/);
    assert.match(markdownAt('PROP|FIND https://a.test'), /WebDAV/);
    assert.equal(coveredText('DEL|ETE https://a.test'), 'DELETE');
    assert.equal(hoverAt('FROB|NICATE https://a.test').hover, null);
  });

  test('documents a directive with its syntax and an example', () => {
    const markdown = markdownAt('# @time|out 30s\nGET https://a.test');
    assert.match(markdown, /\*\*@timeout <number>\[ms\|s\|m\]\*\*/);
    assert.match(markdown, /# @timeout 30s/);
    assert.match(markdownAt('// @no-redi|rect\nGET https://a.test'), /redirect/);
    assert.equal(hoverAt('# @unheard|-of\nGET https://a.test').hover, null);
  });

  test('says nothing on plain text', () => {
    assert.equal(hoverAt('GET https://a.test/it|ems').hover, null);
    assert.equal(hoverAt('# just a com|ment\nGET https://a.test').hover, null);
  });
});

describe('hover on references', () => {
  test('a file variable shows its value and line, and that it overrides the environment', () => {
    const markdown = markdownAt('@host = https://a.test\n\nGET {{ho|st}}/items', environments);
    assert.match(markdown, /\*\*host\*\* \(file variable, line 1\)/);
    assert.match(markdown, /https:\/\/a\.test/);
    assert.match(markdown, /precedence over the value from the dev environment\./);
    assert.equal(coveredText('@host = https://a.test\n\nGET {{ho|st}}/items'), '{{host}}');
  });

  test('a variable built from others shows what it resolves to', () => {
    const markdown = markdownAt('@api = {{host}}/v{{version}}\n@version = 2\n\nGET {{a|pi}}/items', environments);
    assert.match(markdown, /```\n\{\{host\}\}\/v\{\{version\}\}\n```/);
    assert.match(markdown, /Resolves to:\n\n```\nhttp:\/\/127\.0\.0\.1:3000\/v2\n```/);
    assert.doesNotMatch(markdownAt('@plain = 1\nGET https://a.test/{{pla|in}}'), /Resolves to/);
  });

  test('resolution leaves cycles, system and request variables as written', () => {
    const markdown = markdownAt('@a = {{b}}-{{$uuid}}\n@b = {{a}}!\n\nGET https://a.test/{{|a}}');
    assert.match(markdown, /Resolves to:\n\n```\n\{\{a\}\}!-\{\{\$uuid\}\}\n```/);
  });

  test('resolution reads references as the engine does: names it would refuse are not resolved', () => {
    // An env file may define any key, but `{{1st}}` is no variable name to the engine: hover's old
    // regex resolved it anyway. And `{{ a }}` with blanks is the variable a, as when sent.
    const odd: EnvironmentSnapshot = {
      names: ['dev'],
      active: 'dev',
      variables: new Map([['1st', { name: '1st', value: 'one', source: 'environment', environment: 'dev', location: undefined }]]),
    };
    const markdown = markdownAt('@a = {{1st}}/{{ b }}\n@b = two\n\nGET https://a.test/{{|a}}', odd);
    assert.match(markdown, /Resolves to:\n\n```\n\{\{1st\}\}\/two\n```/);
  });

  test('resolution stays fast when each variable repeats the next several times', { timeout: 5000 }, () => {
    const chain = Array.from({ length: 14 }, (_, index) => `@v${index} = {{v${index + 1}}}{{v${index + 1}}}{{v${index + 1}}}`).join('\n');
    const started = performance.now();
    const markdown = markdownAt(`${chain}\n@v14 = x\n\nGET https://a.test/{{v|0}}`);
    assert.match(markdown, /Resolves to/);
    assert.ok(markdown.length < 3000, 'a long resolution is cut');
    assert.ok(performance.now() - started < 1000, 'bounded, not 3^14 substitutions');
  });

  test('a redefined file variable shows the last value', () => {
    const markdown = markdownAt('@id = 1\n@id = 2\n\nGET https://a.test/{{i|d}}');
    assert.match(markdown, /line 2/);
    assert.match(markdown, /```\n2\n```/);
    assert.match(markdown, /Overrides 1 earlier definition/);
  });

  test('an environment variable shows its value, environment and file', () => {
    const markdown = markdownAt('GET {{ho|st}}/items', environments);
    assert.match(markdown, /\*\*host\*\* \(dev environment in `http-client\.env\.json`\)/);
    assert.match(markdown, /http:\/\/127\.0\.0\.1:3000/);
    assert.match(markdownAt('GET https://a.test\nX-Key: {{api|Key}}', environments), /private dev environment in `http-client\.private\.env\.json`[\s\S]*k-123/);
  });

  test('a variable from the courier.environments setting names the setting and its environment, and no file', () => {
    const fromSettings: EnvironmentSnapshot = {
      names: ['dev'],
      active: 'dev',
      variables: new Map([
        ['token', { name: 'token', value: 't-1', source: 'settings', environment: 'dev', location: undefined }],
        ['region', { name: 'region', value: 'eu', source: 'settings', environment: '$shared', location: undefined }],
      ]),
    };
    const token = markdownAt('GET https://a.test/?t={{tok|en}}', fromSettings);
    assert.match(token, /^\*\*token\*\* \(dev environment in the `courier\.environments` setting\)\n\n```\nt-1\n```/);
    assert.match(markdownAt('GET https://a.test/{{reg|ion}}', fromSettings), /^\*\*region\*\* \(shared environment in the `courier\.environments` setting\)/);
    assert.match(markdownAt('@token = mine\nGET https://a.test/?t={{tok|en}}', fromSettings), /Takes precedence over the value from the dev environment in the `courier\.environments` setting\./);
  });

  test('a prompt variable and an undefined one say so', () => {
    assert.match(markdownAt('# @prompt otp Code\nGET https://a.test?otp={{o|tp}}'), /\(prompt\)/);
    assert.match(markdownAt('GET https://a.test/{{miss|ing}}', environments), /not defined in this file or the dev environment/);
  });

  test('a system variable shows its syntax, doc and an example', () => {
    const markdown = markdownAt('GET https://a.test/{{$rand|omInt 1 10}}');
    assert.match(markdown, /\*\*\$randomInt min max\*\* \(system variable\)/);
    assert.match(markdown, /Example: `\{\{\$randomInt 1 100\}\}`/);
    assert.match(markdownAt('GET https://a.test/{{$random.alpha|betic(5)}}'), /letters/);
  });

  test("a $datetime format says which tool's reading was taken", () => {
    assert.match(markdownAt('GET https://a.test/{{$date|time "dd-MM-yyyy" -1 y}}'), /read with \.NET's tokens, as Visual Studio does/);
    assert.match(markdownAt('GET https://a.test/{{$date|time "DD-MM-YYYY"}}'), /read with Day\.js tokens, as REST Client does/);
    assert.doesNotMatch(markdownAt('GET https://a.test/{{$date|time iso8601}}'), /tokens/);
    assert.match(markdownAt('GET https://a.test/{{$dot|Env KEY}}'), /\*\*\$dotenv/, 'a name in another case is the documented variable');
  });

  test('a request variable says which request it reads and the path', () => {
    const file = '# @name login\nPOST https://a.test/login\n\n###\n';
    const body = markdownAt(`${file}GET https://a.test\nAuthorization: Bearer {{login.response.bo|dy.$.token}}`);
    assert.match(body, /Reads the \*\*response body\*\* at JSONPath `\$\.token` of request `login` \(line 2\)/);
    assert.match(body, /POST https:\/\/a\.test\/login/);
    assert.match(markdownAt(`${file}GET https://a.test/{{login.response.headers.Loc|ation}}`), /response header\*\* `Location`/);
    assert.match(markdownAt(`${file}GET https://a.test/{{login.request.body.|*}}`), /request body\*\* \(all of it\)/);
    assert.match(markdownAt(`${file}GET https://a.test/{{login.response.body.//i|d}}`), /XPath `\/\/id`/);
    assert.match(markdownAt('GET https://a.test/{{nobody.response.body.$|.id}}'), /no request in this file is named `nobody`/);
  });

  test('works on an unterminated reference at its end', () => {
    assert.match(markdownAt('@host = x\nGET {{host|'), /file variable/);
  });
});

test('hover never throws, at any offset of a tricky document', () => {
  const text = '@a = {{b\n# @name x\nGET {{a}}/{{$uuid\nAccept: a, {{\n\n{"x": "{{x.response.body.$.y}}"}\n> {% client.log("}}") %}\n###\n\n# @\n';
  const context: FeatureContext = { uri: 'file:///t.http', document: parse(text), environments, host: { fileExists: () => false } };
  for (let offset = -1; offset <= text.length + 1; offset++) assert.doesNotThrow(() => hover(context, offset), `offset ${offset}`);
});
