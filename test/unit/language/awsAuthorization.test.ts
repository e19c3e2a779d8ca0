import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { CodeAction, DiagnosticSeverity, MarkupContent, TextEdit } from 'vscode-languageserver-types';
import { isAwsAuthorization, parseAwsAuthorization } from '../../../language/awsAuthorization';
import { Code } from '../../../language/codes';
import { complete } from '../../../language/completion';
import { diagnose } from '../../../language/diagnostics';
import { codeActions } from '../../../language/diagnosticsQuickFixes';
import { hover } from '../../../language/hover';
import { contextFor, textOf } from './featureContext';

const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

describe('reading Authorization: AWS values', () => {
  test('keys, then token:, region: and service: in any order, as REST Client and httpYac write them', () => {
    assert.deepEqual(parseAwsAuthorization(`AWS AKID ${secret} token:T0K/EN= region:eu-west-1 service:execute-api`).credentials, {
      accessKeyId: 'AKID',
      secretAccessKey: secret,
      sessionToken: 'T0K/EN=',
      region: 'eu-west-1',
      service: 'execute-api',
    });
    assert.deepEqual(parseAwsAuthorization(`aws AKID ${secret} Service:s3 REGION: us-west-2`).credentials, {
      accessKeyId: 'AKID',
      secretAccessKey: secret,
      sessionToken: undefined,
      region: 'us-west-2',
      service: 's3',
    });
    assert.equal(parseAwsAuthorization(`AWS {{ access key }} {{secret}}`).credentials?.accessKeyId, '{{ access key }}');
  });

  test('AWS is the scheme, AWS4-HMAC-SHA256 (a signature made elsewhere) is not', () => {
    assert.ok(isAwsAuthorization('AWS a b'));
    assert.ok(isAwsAuthorization('  aws'));
    assert.ok(!isAwsAuthorization('AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=c'));
    assert.ok(!isAwsAuthorization('Bearer AWS'));
  });

  test('each problem says what to write and never repeats a key', () => {
    const cases: [value: string, kind: string, message: RegExp][] = [
      ['AWS', 'missing-credentials', /the access key id and the secret key are missing: write "AWS <accessKeyId> <secretKey>"/],
      ['AWS AKID', 'missing-credentials', /the secret key is missing/],
      ['AWS AKID region:eu-west-1', 'missing-credentials', /the secret key is missing/],
      [`AWS AKID ${secret} extra`, 'unexpected-word', /only options may follow the secret key: token:<sessionToken>, region:<region> or service:<service>/],
      [`AWS AKID ${secret} regoin:eu-west-1`, 'unknown-option', /"regoin:" is not an AWS option: did you mean region:\?/],
      [`AWS AKID ${secret} profile:dev`, 'unknown-option', /"profile:" is not an AWS option: write token:<sessionToken>, region:<region> or service:<service>/],
      [`AWS AKID ${secret} token:`, 'empty-option', /token: needs a value: write token:<sessionToken>/],
      [`AWS AKID ${secret} region:a region:b`, 'duplicate-option', /region: is given twice/],
    ];
    for (const [value, kind, message] of cases) {
      const { credentials, problems } = parseAwsAuthorization(value);
      assert.equal(credentials, undefined, value);
      assert.equal(problems[0]?.kind, kind, value);
      assert.match(problems[0]?.message ?? '', message);
      for (const problem of problems) {
        assert.ok(!problem.message.includes(secret) && !problem.message.includes('AKID'), problem.message);
      }
    }
  });
});

describe('Authorization: AWS in the editor', () => {
  const diagnosticsOf = (text: string): [string, string, DiagnosticSeverity | undefined][] => {
    const context = contextFor(text);
    return diagnose(context)
      .filter((diagnostic) => diagnostic.code === Code.AwsAuthorizationInvalid || diagnostic.code === Code.AwsAuthorizationUnknownOption)
      .map((diagnostic) => [String(diagnostic.code), textOf(context, diagnostic.range), diagnostic.severity]);
  };

  test('a missing secret and an unknown option are errors with stable codes, on the words at fault', () => {
    assert.deepEqual(diagnosticsOf('GET https://s3.amazonaws.com/\nAuthorization: AWS AKID\n'), [['http.auth.aws-invalid', 'AWS AKID', DiagnosticSeverity.Error]]);
    assert.deepEqual(diagnosticsOf(`GET https://s3.amazonaws.com/\nAuthorization: AWS AKID ${secret} regoin:eu-west-1\n`), [['http.auth.aws-unknown-option', 'regoin:', DiagnosticSeverity.Error]]);
    assert.deepEqual(diagnosticsOf(`GET https://s3.amazonaws.com/\nAuthorization: AWS AKID ${secret} extra\n`), [['http.auth.aws-invalid', 'extra', DiagnosticSeverity.Error]]);
  });

  test('well-formed values, other schemes and values whose references may hold both keys are left alone', () => {
    for (const value of [`AWS AKID ${secret} token:abc region:eu-west-1 service:s3`, 'AWS {{awsAccessKeyId}} {{awsSecretAccessKey}}', 'AWS {{awsCredentials}}', 'Basic user pass', 'AWS4-HMAC-SHA256 Credential=x']) {
      assert.deepEqual(diagnosticsOf(`GET https://s3.amazonaws.com/\nAuthorization: ${value}\n`), [], value);
    }
  });

  test('a misspelt option has a quick fix', () => {
    const context = contextFor(`GET https://s3.amazonaws.com/\nAuthorization: AWS AKID ${secret} servise:s3\n`);
    const diagnostics = diagnose(context).filter((diagnostic) => diagnostic.code === Code.AwsAuthorizationUnknownOption);
    const [action] = codeActions(context, diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diagnostics);
    assert.ok(action !== undefined && CodeAction.is(action));
    assert.equal(action.title, "Change to 'service:'");
    const edits = action.edit?.changes?.[context.uri] ?? [];
    assert.ok(edits.every((edit) => TextEdit.is(edit)));
    assert.equal(edits[0]?.newText, 'service:');
    assert.equal(textOf(context, edits[0].range), 'servise:');
  });

  test('completion offers AWS after Authorization:, with a snippet for both keys', () => {
    const text = 'GET https://s3.amazonaws.com/\nAuthorization: \n';
    const offset = text.indexOf('\n', text.indexOf('Authorization')) ;
    const aws = complete(contextFor(text), offset).items.find((item) => item.label === 'AWS');
    assert.ok(aws !== undefined);
    assert.match(JSON.stringify(aws), /AWS \$\{1:accessKeyId\} \$\{2:secretKey\}/);
  });

  test('after both keys, completion offers the options not written yet, each as a snippet', () => {
    const optionsAt = (line: string): string[] => {
      const text = `GET https://s3.amazonaws.com/\n${line}\n`;
      const offset = text.indexOf('|');
      const clean = text.slice(0, offset) + text.slice(offset + 1);
      return complete(contextFor(clean), offset).items.map((item) => item.label);
    };
    assert.deepEqual(optionsAt(`Authorization: AWS AKID ${secret} |`), ['token:', 'region:', 'service:']);
    assert.deepEqual(optionsAt(`Authorization: AWS AKID ${secret} region:eu-west-1 |`), ['token:', 'service:']);
    assert.deepEqual(optionsAt(`Authorization: AWS AKID ${secret} se|`), ['token:', 'region:', 'service:']);
    assert.deepEqual(optionsAt('Authorization: AWS AKID |'), [], 'the secret key comes first');
    assert.deepEqual(optionsAt(`Authorization: AWS AKID ${secret} region:eu|`), [], 'an option value is the user\'s own');
    assert.deepEqual(optionsAt('Authorization: Bearer abc |'), []);
    const text = `GET https://s3.amazonaws.com/\nAuthorization: AWS AKID ${secret} \n`;
    const token = complete(contextFor(text), text.lastIndexOf(' ') + 1).items.find((item) => item.label === 'token:');
    assert.match(JSON.stringify(token?.textEdit), /"newText":"token:\$\{1:sessionToken\}"/);
  });

  test('hover on the AWS scheme shows the whole syntax', () => {
    const text = `GET https://s3.amazonaws.com/\nAuthorization: AWS AKID ${secret}\n`;
    const result = hover(contextFor(text), text.indexOf('AWS AKID') + 1);
    assert.ok(result !== null && MarkupContent.is(result.contents));
    assert.match(result.contents.value, /AWS Signature Version 4/);
    assert.match(result.contents.value, /Authorization: AWS <accessKeyId> <secretKey> \[token:<sessionToken>\] \[region:<region>\] \[service:<service>\]/);
    assert.equal(hover(contextFor(text), text.indexOf('AKID') + 1), null, 'the keys themselves have no hover');
  });
});
