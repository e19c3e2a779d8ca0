// JetBrains' SSLConfiguration end to end: env files in a temp folder, a local HTTPS server that
// requires a client certificate, the runner sending through a real session. Encrypted and DER
// keys are made from the test fixtures at test time.
import { strict as assert } from 'node:assert';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Server } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { loadEnvironment } from '../../../engine/environments';
import { environmentCertificate, environmentCertificates } from '../../../engine/environmentTls';
import type { Exchange } from '../../../engine/model';
import { Runner, type PromptQuestion, type RunSettings } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { httpsServer, type Running } from './localServer';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');
const fixture = (name: string): string => join(fixtures, name);
const passphrase = 'correct horse battery staple';

/** A folder with the client certificate in every form the tests need, and room for env files. */
function certificateFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'courier-ssl-'));
  const certificate = readFileSync(fixture('client.pem'), 'utf8');
  const key = createPrivateKey(readFileSync(fixture('client.key')));
  writeFileSync(join(folder, 'client.pem'), certificate);
  writeFileSync(join(folder, 'client.key'), key.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(folder, 'client-encrypted.key'), key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }));
  writeFileSync(join(folder, 'client.der'), new X509Certificate(certificate).raw);
  writeFileSync(join(folder, 'client-encrypted.der'), key.export({ type: 'pkcs8', format: 'der', cipher: 'aes-256-cbc', passphrase }));
  writeFileSync(join(folder, 'client-combined.pem'), `${certificate}${key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString()}`);
  writeFileSync(join(folder, 'other.key'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
  return folder;
}

/** A project folder: env files and one `.http` file sending `requests` GETs to `url`. */
function project(env: Record<string, unknown>, url: string, options: { readonly privateEnv?: Record<string, unknown>; readonly requests?: number } = {}): string {
  const folder = mkdtempSync(join(tmpdir(), 'courier-ssl-project-'));
  writeFileSync(join(folder, 'http-client.env.json'), JSON.stringify(env));
  if (options.privateEnv !== undefined) writeFileSync(join(folder, 'http-client.private.env.json'), JSON.stringify(options.privateEnv));
  const requests = Array.from({ length: options.requests ?? 1 }, (_, index) => `GET ${url}/r${index}`).join('\n\n###\n\n');
  writeFileSync(join(folder, 'api.http'), `${requests}\n`);
  return join(folder, 'api.http');
}

function bodyOf(exchange: Exchange | undefined): string {
  return Buffer.from(exchange?.response?.body.prefix ?? []).toString();
}

describe("JetBrains' SSLConfiguration", () => {
  let certificates: string;
  let mutual: Running<Server>;
  let plain: Running<Server>;
  let session: Session | undefined;
  const serverOptions = { cert: readFileSync(fixture('server.pem')), key: readFileSync(fixture('server.key')) };

  before(async () => {
    certificates = certificateFolder();
    // Requires a certificate signed by the test client CA, and answers with its CN.
    mutual = await httpsServer({ ...serverOptions, ca: readFileSync(fixture('client-ca.pem')), requestCert: true, rejectUnauthorized: true }, (request, response) => {
      response.end(String((request.socket as TLSSocket).getPeerCertificate().subject.CN));
    });
    plain = await httpsServer(serverOptions, (_request, response) => response.end('ok'));
  });
  after(async () => {
    await mutual.close();
    await plain.close();
  });

  /** Runs every request of `file` in environment `dev` through a fresh session that trusts the test server's CA. */
  async function run(file: string, settings: Partial<RunSettings> = {}, environment = 'dev'): Promise<Exchange[]> {
    session = await Session.open({ caFiles: [fixture('ca.pem')] });
    try {
      return await new Runner(session, { environment, ...settings }).run({ path: file, text: readFileSync(file, 'utf8') }, { kind: 'all' });
    } finally {
      await session.close();
    }
  }

  /** A prompt that answers `answers` in turn and records the questions. */
  function answering(...answers: (string | undefined)[]): { readonly questions: PromptQuestion[]; readonly prompt: (question: PromptQuestion) => Promise<string | undefined> } {
    const questions: PromptQuestion[] = [];
    return {
      questions,
      prompt: (question) => {
        questions.push(question);
        return Promise.resolve(answers.shift());
      },
    };
  }

  test('presents the certificate and key, paths relative to the env file, to a server that requires one', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client.key') } } }, mutual.url);
    const exchanges = await run(file);
    assert.equal(exchanges[0]?.error, undefined, exchanges[0]?.error?.message);
    assert.equal(bodyOf(exchanges[0]), 'courier-test-client');
    // Relative paths: the env file is in another folder than the certificates.
    const relative = project({ dev: {} }, mutual.url, { privateEnv: { dev: { SSLConfiguration: { clientCertificate: '../' + certificates.split('/').pop() + '/client.pem', clientCertificateKey: `../${certificates.split('/').pop() ?? ''}/client.key` } } } });
    assert.equal(bodyOf((await run(relative))[0]), 'courier-test-client');
  });

  test('an encrypted key: the passphrase is asked once per session, masked, and the certificate is presented', async () => {
    const file = project(
      { dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key') } } },
      mutual.url,
      { privateEnv: { dev: { SSLConfiguration: { hasCertificatePassphrase: true } } }, requests: 3 },
    );
    const answers = answering(passphrase);
    const exchanges = await run(file, { prompt: answers.prompt });
    assert.deepEqual(exchanges.map((exchange) => exchange.error?.message ?? bodyOf(exchange)), ['courier-test-client', 'courier-test-client', 'courier-test-client']);
    assert.equal(answers.questions.length, 1, 'asked once, then kept in the session');
    assert.equal(answers.questions[0]?.secret, true, 'typed masked');
    assert.match(answers.questions[0]?.description ?? '', /Passphrase of the client certificate key .*client-encrypted\.key \(SSLConfiguration of environment dev\)/);
  });

  test('requests sent together wait for one question, and share one certificate (one connection pool)', async () => {
    const ssl = loadEnvironment(
      project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key'), hasCertificatePassphrase: true } } }, mutual.url),
      'dev',
    ).ssl;
    const state = environmentCertificates.create();
    let questions = 0;
    // Answered a moment later, as a person would: the second request is waiting by then.
    const ask = (): Promise<string> => {
      questions += 1;
      return new Promise((resolve) => setTimeout(() => resolve(passphrase), 100));
    };
    const [first, second] = await Promise.all([environmentCertificate(ssl, ask, state), environmentCertificate(ssl, ask, state)]);
    assert.equal(questions, 1);
    assert.ok(first !== undefined && 'certificate' in first && first.certificate !== undefined);
    assert.ok(second !== undefined && 'certificate' in second);
    assert.equal(second.certificate, first.certificate);
    assert.ok(!first.certificate.key.includes('ENCRYPTED'), 'decrypted once, in memory');
  });

  test('certificatePassphrase answers instead of prompt when a front end gives it', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key'), hasCertificatePassphrase: true } } }, mutual.url);
    const prompt = answering('not asked here');
    const exchanges = await run(file, { prompt: prompt.prompt, certificatePassphrase: () => Promise.resolve(passphrase) });
    assert.equal(bodyOf(exchanges[0]), 'courier-test-client');
    assert.equal(prompt.questions.length, 0);
  });

  test('a wrong passphrase is a clear error without the passphrase, and is asked again on the next send', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key'), hasCertificatePassphrase: true } } }, mutual.url, { requests: 2 });
    const answers = answering('wrong guess', passphrase);
    const exchanges = await run(file, { prompt: answers.prompt });
    const message = exchanges[0]?.error?.message ?? '';
    assert.equal(exchanges[0]?.error?.code, 'tls');
    assert.match(message, /api\.http:1: the passphrase for the client certificate key .*client-encrypted\.key is wrong \("clientCertificateKey" in SSLConfiguration of environment "dev", .*http-client\.env\.json\)/);
    assert.ok(!message.includes('wrong guess'), 'the passphrase never appears in a message');
    assert.equal(exchanges[0]?.response, undefined, 'nothing was sent');
    assert.equal(bodyOf(exchanges[1]), 'courier-test-client', 'the second request asked again and was sent');
    assert.equal(answers.questions.length, 2);
  });

  test('a passphrase nobody gives cancels the request; nobody to ask names the flag', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key'), hasCertificatePassphrase: true } } }, mutual.url);
    const cancelled = await run(file, { prompt: answering(undefined).prompt });
    assert.equal(cancelled[0]?.error?.code, 'aborted');
    assert.match(cancelled[0]?.error?.message ?? '', /not sent: no passphrase was given for the client certificate key .*client-encrypted\.key/);
    const nobody = await run(file);
    assert.match(nobody[0]?.error?.message ?? '', /needs a passphrase \("hasCertificatePassphrase" in SSLConfiguration of environment "dev", .*\), but nobody can answer here: pass --cert-passphrase to courier run/);
  });

  test('an encrypted key without hasCertificatePassphrase says what to add', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key') } } }, mutual.url);
    const exchanges = await run(file, { prompt: answering(passphrase).prompt });
    assert.match(exchanges[0]?.error?.message ?? '', /the client certificate key .*client-encrypted\.key is encrypted .*: add "hasCertificatePassphrase": true to SSLConfiguration/);
  });

  test('DER files, and a PEM file holding both the certificate and its encrypted key', async () => {
    const der = project(
      { dev: { SSLConfiguration: { clientCertificate: { path: join(certificates, 'client.der'), format: 'DER' }, clientCertificateKey: { path: join(certificates, 'client-encrypted.der'), format: 'DER' }, hasCertificatePassphrase: true } } },
      mutual.url,
    );
    assert.equal(bodyOf((await run(der, { prompt: answering(passphrase).prompt }))[0]), 'courier-test-client');
    const combined = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client-combined.pem'), hasCertificatePassphrase: true } } }, mutual.url);
    assert.equal(bodyOf((await run(combined, { prompt: answering(passphrase).prompt }))[0]), 'courier-test-client');
  });

  test('files that are missing, of another format, without a key or not matching are errors naming file, key and environment', async () => {
    const error = async (configuration: Record<string, unknown>): Promise<string> => {
      const exchanges = await run(project({ dev: { SSLConfiguration: configuration } }, mutual.url));
      assert.equal(exchanges[0]?.response, undefined);
      return `${exchanges[0]?.error?.code ?? ''}: ${exchanges[0]?.error?.message ?? ''}`;
    };
    assert.match(
      await error({ clientCertificate: join(certificates, 'missing.pem'), clientCertificateKey: join(certificates, 'client.key') }),
      /^file: .*api\.http:1: cannot read the client certificate .*missing\.pem \("clientCertificate" in SSLConfiguration of environment "dev", .*http-client\.env\.json\): ENOENT/,
    );
    assert.match(await error({ clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'gone.key') }), /^file: .*cannot read the client certificate key .*gone\.key \("clientCertificateKey"/);
    assert.match(await error({ clientCertificate: join(certificates, 'client.der'), clientCertificateKey: join(certificates, 'client.key') }), /^tls: .*client\.der is not a PEM certificate .*If it is DER, write \{ "path": "\.\.\.", "format": "DER" \}/);
    assert.match(await error({ clientCertificate: join(certificates, 'client.pem') }), /client\.pem holds no private key .*: name the key file in "clientCertificateKey"/);
    assert.match(await error({ clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'other.key') }), /the client certificate .*client\.pem and the key .*other\.key do not belong together/);
  });

  test('$shared SSLConfiguration applies to every environment', async () => {
    const file = project({ $shared: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client.key') } }, dev: {} }, mutual.url);
    assert.equal(bodyOf((await run(file))[0]), 'courier-test-client');
  });

  test('a plain http request asks no passphrase', async () => {
    const file = project({ dev: { SSLConfiguration: { clientCertificate: join(certificates, 'client.pem'), clientCertificateKey: join(certificates, 'client-encrypted.key'), hasCertificatePassphrase: true } } }, 'http://127.0.0.1:1');
    const answers = answering(passphrase);
    await run(file, { prompt: answers.prompt });
    assert.equal(answers.questions.length, 0);
  });

  test('verifyHostCertificate false sends to an untrusted server with the warning # @insecure gives; true or absent fails as usual', async () => {
    const untrusting = async (file: string): Promise<Exchange | undefined> => {
      // No caFiles: the test server's CA is unknown, as a self-signed server's would be.
      const own = await Session.open({});
      try {
        return (await new Runner(own, { environment: 'dev' }).run({ path: file, text: readFileSync(file, 'utf8') }, { kind: 'all' }))[0];
      } finally {
        await own.close();
      }
    };
    const skipped = await untrusting(project({ dev: { SSLConfiguration: { verifyHostCertificate: false } } }, plain.url));
    assert.equal(skipped?.error, undefined, skipped?.error?.message);
    assert.equal(bodyOf(skipped), 'ok');
    assert.deepEqual(skipped?.warnings, [`TLS certificate verification is disabled for 127.0.0.1:${plain.port}: the server's identity was not checked`]);
    const insecureDirective = project({ dev: {} }, plain.url);
    writeFileSync(insecureDirective, `# @insecure\nGET ${plain.url}/\n`);
    assert.deepEqual((await untrusting(insecureDirective))?.warnings, skipped?.warnings, 'exactly the warning of # @insecure');
    for (const verified of [project({ dev: { SSLConfiguration: { verifyHostCertificate: true } } }, plain.url), project({ dev: {} }, plain.url)]) {
      const exchange = await untrusting(verified);
      assert.equal(exchange?.error?.code, 'tls');
      assert.match(exchange?.error?.message ?? '', /is not trusted: unable to verify the first certificate/);
    }
  });

  test('a wrong shape stops the environment with a message naming the env file, line and key; a warning does not', () => {
    const wrong = project({ dev: { SSLConfiguration: { verifyHostCertificate: 'no' } } }, plain.url);
    const loaded = loadEnvironment(wrong, 'dev');
    assert.equal(loaded.error?.code, 'file');
    assert.match(loaded.error?.message ?? '', /http-client\.env\.json:1:\d+: "verifyHostCertificate" in SSLConfiguration of environment "dev" must be true or false/);
    const misspelt = project({ dev: { host: 'h', SSLConfiguration: { verifyHostCertificat: false } } }, plain.url);
    const read = loadEnvironment(misspelt, 'dev');
    assert.equal(read.error, undefined);
    assert.equal(read.variables.get('host'), 'h');
    assert.equal(read.variables.has('SSLConfiguration'), false);
  });
});
