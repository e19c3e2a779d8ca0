import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { applyAuthorization, digestAuthorization, encodeBasic, parseDigestChallenge } from '../../../engine/auth';
import { Session } from '../../../engine/session';
import { httpServer, prepared } from './localServer';

const base64 = (text: string): string => Buffer.from(text).toString('base64');

describe('Basic auth', () => {
  test('user:password and "user password" are encoded; an encoded token is left alone', () => {
    assert.equal(encodeBasic('alice:s3cret'), base64('alice:s3cret'));
    assert.equal(encodeBasic('alice s3cret with spaces'), base64('alice:s3cret with spaces'));
    assert.equal(encodeBasic(base64('alice:s3cret')), base64('alice:s3cret'));
    const { headers, digest } = applyAuthorization([
      ['Accept', '*/*'],
      ['Authorization', 'Basic bob pw'],
    ]);
    assert.deepEqual(headers, [
      ['Accept', '*/*'],
      ['Authorization', `Basic ${base64('bob:pw')}`],
    ]);
    assert.equal(digest, undefined);
  });
});

describe('Digest auth', () => {
  // RFC 7616 section 3.9.1.
  const rfcChallenge = {
    realm: 'http-auth@example.org',
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
    qop: 'auth' as const,
    userhash: false,
  };
  const rfcCnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
  const credentials = { username: 'Mufasa', password: 'Circle of Life' };

  test('matches the RFC 7616 examples for MD5 and SHA-256', () => {
    const md5 = digestAuthorization({ ...rfcChallenge, algorithm: 'MD5' }, credentials, 'GET', '/dir/index.html', rfcCnonce);
    assert.match(md5, /response="8ca523f5e9506fed4657c9700eebdbec"/);
    const sha = digestAuthorization({ ...rfcChallenge, algorithm: 'SHA-256' }, credentials, 'GET', '/dir/index.html', rfcCnonce);
    assert.match(sha, /response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"/);
    assert.match(sha, /nc=00000001, cnonce=".+", qop=auth/);
    assert.match(sha, /opaque="FQhe\/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"/);
  });

  test('prefers a SHA-256 challenge over MD5 and skips ones it cannot answer', () => {
    const challenge = parseDigestChallenge([
      'Digest realm="r", qop="auth", algorithm=MD5, nonce="n1", opaque="o"',
      'Digest realm="r", qop="auth", algorithm=SHA-256, nonce="n2", opaque="o"',
      'Digest realm="r", qop="auth-int", algorithm=SHA-256, nonce="n3"',
    ]);
    assert.equal(challenge?.algorithm, 'SHA-256');
    assert.equal(challenge?.nonce, 'n2');
    assert.equal(parseDigestChallenge(['Basic realm="x"']), undefined);
  });

  for (const algorithm of ['MD5', 'SHA-256']) {
    test(`does the 401 round trip against a server that checks the ${algorithm} response`, async () => {
      const hashName = algorithm === 'MD5' ? 'md5' : 'sha256';
      const hash = (text: string): string => createHash(hashName).update(text).digest('hex');
      const seen: string[] = [];
      const running = await httpServer((request, response) => {
        const header = request.headers.authorization ?? '';
        seen.push(header);
        const fields = Object.fromEntries([...header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)].map((match) => [match[1], match[2] ?? match[3]]));
        const ha1 = hash(`alice:test-realm:wonder land`);
        const ha2 = hash(`${request.method}:${request.url}`);
        const expected = hash(`${ha1}:server-nonce:${fields.nc}:${fields.cnonce}:auth:${ha2}`);
        if (header.startsWith('Digest ') && fields.response === expected && fields.uri === request.url && fields.opaque === 'opaque-1') {
          response.end('welcome');
          return;
        }
        response.writeHead(401, { 'WWW-Authenticate': `Digest realm="test-realm", qop="auth", algorithm=${algorithm}, nonce="server-nonce", opaque="opaque-1"` });
        response.end();
      });
      const session = await Session.open({});
      try {
        const exchange = await session.send(prepared(`${running.url}/private?q=1`, { headers: [['Authorization', 'Digest alice wonder land']] }));
        assert.equal(exchange.error, undefined, exchange.error?.message);
        assert.equal(exchange.response?.status, 200);
        assert.equal(Buffer.from(exchange.response?.body.prefix ?? []).toString(), 'welcome');
        assert.equal(seen.length, 2);
        assert.equal(seen[0], '', 'the first attempt carries no credentials');
      } finally {
        await session.close();
        await running.close();
      }
    });
  }

  test('wrong credentials end with the second 401, not a loop', async () => {
    let attempts = 0;
    const running = await httpServer((_request, response) => {
      attempts++;
      response.writeHead(401, { 'WWW-Authenticate': 'Digest realm="r", qop="auth", nonce="n"' });
      response.end();
    });
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(running.url, { headers: [['Authorization', 'Digest alice nope']] }));
      assert.equal(exchange.response?.status, 401);
      assert.equal(attempts, 2);
    } finally {
      await session.close();
      await running.close();
    }
  });
});
