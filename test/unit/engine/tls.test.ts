import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type TLSSocket } from 'node:tls';
import { Session } from '../../../engine/session';
import { hostMatcher, type ClientCertificate } from '../../../engine/tls';
import { httpsServer, prepared } from './localServer';

const fixtures = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'tls');
const fixture = (name: string): string => join(fixtures, name);
const serverOptions = { cert: readFileSync(fixture('server.pem')), key: readFileSync(fixture('server.key')) };

describe('TLS', () => {
  test('is verified by default: an unknown CA is a tls error naming subject, issuer and reason', async () => {
    const running = await httpsServer(serverOptions, (_request, response) => response.end('secret'));
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.response, undefined);
      assert.equal(exchange.error?.code, 'tls');
      const message = exchange.error?.message ?? '';
      assert.match(message, /127\.0\.0\.1:\d+/);
      assert.match(message, /subject CN=localhost/);
      assert.match(message, /issuer CN=Courier Test CA/);
      assert.match(message, /unable to verify the first certificate/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('trusts extra CA files', async () => {
    const running = await httpsServer(serverOptions, (_request, response) => response.end('secret'));
    const session = await Session.open({ caFiles: [fixture('ca.pem')] });
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(Buffer.from(exchange.response?.body.prefix ?? []).toString(), 'secret');
      assert.ok(exchange.timings.tls !== undefined && exchange.timings.connect !== undefined && exchange.timings.tls >= exchange.timings.connect);
      assert.deepEqual(exchange.warnings, []);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('insecure (per request) and insecureHosts skip verification with a warning', async () => {
    const running = await httpsServer(serverOptions, (_request, response) => response.end('ok'));
    const perRequest = await Session.open({});
    const perHost = await Session.open({ insecureHosts: [`127.0.0.1:${running.port}`] });
    try {
      for (const exchange of [await perRequest.send(prepared(running.url, { options: { insecure: true } })), await perHost.send(prepared(running.url))]) {
        assert.equal(exchange.error, undefined, exchange.error?.message);
        assert.equal(exchange.response?.status, 200);
        assert.ok(exchange.warnings.some((warning) => warning.includes('verification is disabled')), exchange.warnings.join('\n'));
      }
      // The insecure agent is separate: a verified request must not reuse an unverified connection.
      assert.equal((await perRequest.send(prepared(running.url))).error?.code, 'tls');
    } finally {
      await perRequest.close();
      await perHost.close();
      await running.close();
    }
  });

  const mutualOptions = { ...serverOptions, ca: readFileSync(fixture('client-ca.pem')), requestCert: true, rejectUnauthorized: true };
  const whoAmI = (request: { socket: unknown }, response: { end(text: string): void }): void => {
    const peer = (request.socket as TLSSocket).getPeerCertificate();
    response.end(String(peer.subject.CN));
  };

  /** Sends one request with `certificate` configured and checks the server saw Courier's test client. */
  async function presentsClientCertificate(certificate: (port: number) => ClientCertificate): Promise<void> {
    const running = await httpsServer(mutualOptions, whoAmI);
    const session = await Session.open({ caFiles: [fixture('ca.pem')], clientCertificates: [certificate(running.port)] });
    try {
      const exchange = await session.send(prepared(running.url));
      assert.equal(exchange.error, undefined, exchange.error?.message);
      assert.equal(Buffer.from(exchange.response?.body.prefix ?? []).toString(), 'courier-test-client');
    } finally {
      await session.close();
      await running.close();
    }
  }

  test('sends a client certificate (cert + key) to the host it is configured for', () =>
    presentsClientCertificate(() => ({ host: '127.0.0.1', cert: fixture('client.pem'), key: fixture('client.key') })));

  test('sends a client certificate from a PKCS#12 file with its passphrase', () =>
    presentsClientCertificate((port) => ({ host: `127.0.0.1:${port}`, pfx: fixture('client.p12'), passphrase: 'courier-test' })));

  test('without a client certificate the server hangs up; the error suggests configuring one', async () => {
    const running = await httpsServer(mutualOptions, whoAmI);
    const session = await Session.open({ caFiles: [fixture('ca.pem')], clientCertificates: [{ host: 'other.test', cert: fixture('client.pem'), key: fixture('client.key') }] });
    try {
      const exchange = await session.send(prepared(running.url));
      // TLS 1.3 rejects the certificate after the handshake: undici sees the socket close (reset), or the alert (tls).
      assert.ok(exchange.error?.code === 'reset' || exchange.error?.code === 'tls', exchange.error?.message);
      assert.match(exchange.error?.message ?? '', /client certificate.*clientCertificates/);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('an unreadable CA file fails Session.open with a message naming the file and setting', async () => {
    await assert.rejects(Session.open({ caFiles: ['/nonexistent/ca.pem'] }), /cannot read \/nonexistent\/ca\.pem \(from the caFiles setting\)/);
  });

  test('a client certificate entry with a cert but no key fails Session.open naming the setting, host and what to add', async () => {
    await assert.rejects(Session.open({ clientCertificates: [{ host: 'api.test', cert: fixture('client.pem') }] }), /clientCertificates setting for "api\.test" has no certificate to send: give it a pfx file, or both a cert and a key file/);
  });

  test('host patterns match names, ports and globs', () => {
    assert.equal(hostMatcher('*.example.com')('api.example.com', 443), true);
    assert.equal(hostMatcher('*.example.com')('example.org', 443), false);
    assert.equal(hostMatcher('localhost:8443')('localhost', 8443), true);
    assert.equal(hostMatcher('localhost:8443')('localhost', 443), false);
    assert.equal(hostMatcher('API.example.com')('api.example.com', 1), true);
  });
});
