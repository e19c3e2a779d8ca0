import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { Code } from '../../../language/codes';
import { environmentSslConfiguration, parseEnvironmentFile } from '../../../language/environments';

const publicUri = '/w/http-client.env.json';
const privateUri = '/w/http-client.private.env.json';

function problemsOf(text: string): { readonly at: string; readonly code: string; readonly severity: string; readonly message: string }[] {
  return parseEnvironmentFile({ uri: publicUri, text }).problems.map((problem) => ({ at: text.slice(problem.start, problem.end), code: problem.code, severity: problem.severity, message: problem.message }));
}

describe("JetBrains' SSLConfiguration in env files", () => {
  test('reads paths, formats and flags, and is not a variable', () => {
    const text = JSON.stringify({
      dev: {
        host: 'h',
        SSLConfiguration: { clientCertificate: 'cert.pem', clientCertificateKey: { path: 'keys/key.der', format: 'DER' }, hasCertificatePassphrase: true, verifyHostCertificate: false },
      },
    });
    const file = parseEnvironmentFile({ uri: publicUri, text });
    assert.deepEqual(file.problems, []);
    const dev = file.environments[0];
    assert.deepEqual(dev?.variables.map((variable) => variable.name), ['host'], 'SSLConfiguration is configuration, not {{SSLConfiguration}}');
    const configuration = dev?.sslConfiguration;
    assert.equal(configuration?.clientCertificate?.path, 'cert.pem');
    assert.equal(configuration?.clientCertificate?.format, 'PEM', 'a plain path is PEM');
    assert.deepEqual([configuration?.clientCertificateKey?.path, configuration?.clientCertificateKey?.format], ['keys/key.der', 'DER']);
    assert.equal(configuration?.hasCertificatePassphrase, true);
    assert.equal(configuration?.verifyHostCertificate, false);
    const span = configuration?.clientCertificate?.span;
    assert.equal(span === undefined ? '' : text.slice(span.start, span.end), '"cert.pem"', 'the span is the value, for the missing-file warning');
  });

  test('a wrong type is an error at the value, naming the key and the environment', () => {
    const problems = problemsOf('{"dev": {"SSLConfiguration": {"verifyHostCertificate": "no", "clientCertificate": 3}}, "ci": {"SSLConfiguration": "cert.pem"}}');
    assert.deepEqual(
      problems.map((problem) => [problem.at, problem.code, problem.severity]),
      [
        ['"no"', Code.SslConfigurationInvalid, 'error'],
        ['3', Code.SslConfigurationInvalid, 'error'],
        ['"cert.pem"', Code.SslConfigurationInvalid, 'error'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /"verifyHostCertificate" in SSLConfiguration of environment "dev" must be true or false/);
    assert.match(problems[1]?.message ?? '', /"clientCertificate" in SSLConfiguration of environment "dev" must be a path, or an object \{ "path"/);
    assert.match(problems[2]?.message ?? '', /SSLConfiguration of environment "ci" must be an object/);
  });

  test('the object form checks its path, format and keys', () => {
    const problems = problemsOf('{"dev": {"SSLConfiguration": {"clientCertificate": {"path": "c.p12", "format": "PKCS12"}, "clientCertificateKey": {"format": "PEM"}}}}');
    assert.deepEqual(problems.map((problem) => problem.at), ['"PKCS12"', '{"format": "PEM"}']);
    assert.match(problems[0]?.message ?? '', /"format" of "clientCertificate" .* must be "PEM" or "DER"/);
    assert.match(problems[1]?.message ?? '', /"clientCertificateKey" .* needs a "path"/);
    const extra = problemsOf('{"dev": {"SSLConfiguration": {"clientCertificate": {"path": "c.pem", "passphrase": "x"}}}}');
    assert.deepEqual(extra.map((problem) => [problem.at, problem.severity]), [['"passphrase"', 'error']]);
  });

  test('a key without a certificate is an error: it would be sent alone', () => {
    const problems = problemsOf('{"dev": {"SSLConfiguration": {"clientCertificateKey": "key.pem"}}}');
    assert.deepEqual(problems.map((problem) => [problem.at, problem.code]), [['"key.pem"', Code.SslConfigurationInvalid]]);
    assert.match(problems[0]?.message ?? '', /needs a "clientCertificate" beside it/);
  });

  test('an unknown or misspelt key is a warning with a suggestion; the rest is read', () => {
    const text = '{"dev": {"SSLConfiguration": {"clientCertficate": "c.pem", "verifyHostCertificate": false, "ciphers": "x"}}}';
    const problems = problemsOf(text);
    assert.deepEqual(
      problems.map((problem) => [problem.at, problem.code, problem.severity]),
      [
        ['"clientCertficate"', Code.SslConfigurationUnknownKey, 'warning'],
        ['"ciphers"', Code.SslConfigurationUnknownKey, 'warning'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /did you mean "clientCertificate"\?/);
    assert.match(problems[1]?.message ?? '', /Courier reads clientCertificate, clientCertificateKey, hasCertificatePassphrase, verifyHostCertificate/);
    assert.equal(parseEnvironmentFile({ uri: publicUri, text }).environments[0]?.sslConfiguration?.verifyHostCertificate, false);
  });

  test('a misspelt SSLConfiguration is a warning (it would be read as a variable); other names are not', () => {
    const problems = problemsOf('{"dev": {"sslConfiguration": {}, "SSL_Config": {}, "configuration": "x", "sslMode": "on"}}');
    assert.deepEqual(problems.map((problem) => [problem.at, problem.code, problem.severity]), [
      ['"sslConfiguration"', Code.SslConfigurationUnknownKey, 'warning'],
      ['"SSL_Config"', Code.SslConfigurationUnknownKey, 'warning'],
    ]);
    assert.match(problems[0]?.message ?? '', /did you mean "SSLConfiguration"\?/);
  });

  test('merges key by key as variables are: $shared under the environment, private over public', () => {
    const publicFile = parseEnvironmentFile({
      uri: publicUri,
      text: JSON.stringify({ $shared: { SSLConfiguration: { verifyHostCertificate: false, clientCertificate: 'shared.pem' } }, dev: { SSLConfiguration: { clientCertificate: 'dev.pem' } }, prod: {} }),
    });
    const privateFile = parseEnvironmentFile({ uri: privateUri, text: JSON.stringify({ dev: { SSLConfiguration: { clientCertificateKey: 'dev-key.pem', hasCertificatePassphrase: true } } }) });
    // Given private first: the order of precedence, not of the list, decides.
    const dev = environmentSslConfiguration([privateFile, publicFile], 'dev');
    assert.deepEqual(
      { certificate: dev?.clientCertificate?.value.path, from: dev?.clientCertificate?.uri, key: dev?.clientCertificateKey?.value.path, keyFrom: dev?.clientCertificateKey?.uri },
      { certificate: 'dev.pem', from: publicUri, key: 'dev-key.pem', keyFrom: privateUri },
    );
    assert.equal(dev?.verifyHostCertificate?.value, false, "$shared's key applies where the environment does not set it");
    assert.equal(dev?.verifyHostCertificate?.environment, '$shared');
    assert.equal(dev?.hasCertificatePassphrase?.value, true);
    assert.equal(environmentSslConfiguration([publicFile, privateFile], 'prod')?.clientCertificate?.value.path, 'shared.pem');
    assert.equal(environmentSslConfiguration([publicFile, privateFile], undefined)?.clientCertificate?.value.path, 'shared.pem', 'no environment: $shared only');
    assert.equal(environmentSslConfiguration([parseEnvironmentFile({ uri: publicUri, text: '{"dev": {"host": "h"}}' })], 'dev'), undefined);
  });
});
