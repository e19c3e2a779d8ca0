import { strict as assert } from 'node:assert';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Session } from '../../../engine/session';
import { httpServer, prepared } from './localServer';

/** A server that sets cookies on /login and echoes the Cookie header everywhere. */
async function cookieServer() {
  return httpServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname === '/login') {
      response.setHeader('Set-Cookie', ['session=abc; Path=/', 'scoped=1; Path=/api', 'gone=1; Max-Age=0', 'strict=s; SameSite=Strict', 'hostonly=h; Domain=localhost']);
    } else if (url.pathname === '/hop') {
      response.statusCode = 302;
      response.setHeader('Set-Cookie', 'fromRedirect=r; Path=/');
      response.setHeader('Location', '/echo');
    } else if (url.pathname === '/broken') {
      response.setHeader('Set-Cookie', 'survivor=yes; Path=/');
      response.setHeader('Content-Length', '100');
      response.write('cut');
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    }
    response.end(request.headers.cookie ?? '');
  });
}

const bodyOf = (exchange: { response: { body: { prefix: Uint8Array } } | undefined }): string => Buffer.from(exchange.response?.body.prefix ?? []).toString();

describe('cookies', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'courier-cookies-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('are stored from responses and sent back by path and expiry rules', async () => {
    const running = await cookieServer();
    const session = await Session.open({});
    try {
      await session.send(prepared(`${running.url}/login`));
      assert.equal(bodyOf(await session.send(prepared(`${running.url}/echo`))), 'session=abc; strict=s');
      assert.equal(bodyOf(await session.send(prepared(`${running.url}/api/items`))), 'scoped=1; session=abc; strict=s');
      const names = (await session.cookies.list()).map((cookie) => cookie.name).sort();
      assert.deepEqual(names, ['scoped', 'session', 'strict'], 'Max-Age=0 deletes, a foreign Domain is rejected');
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('a cookie rejected by the rules is reported as a warning naming it', async () => {
    const running = await cookieServer();
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(`${running.url}/login`));
      assert.ok(exchange.warnings.some((warning) => warning.includes('"hostonly"')), exchange.warnings.join('\n'));
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('apply on redirect hops: a cookie set by a 302 is sent to the next hop', async () => {
    const running = await cookieServer();
    const session = await Session.open({});
    try {
      const exchange = await session.send(prepared(`${running.url}/hop`));
      assert.equal(bodyOf(exchange), 'fromRedirect=r');
      assert.deepEqual(exchange.redirects, [{ status: 302, url: `${running.url}/hop` }]);
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('useCookieJar false neither sends nor stores, even without following redirects', async () => {
    const running = await cookieServer();
    const session = await Session.open({});
    try {
      await session.send(prepared(`${running.url}/login`));
      const noJar = { options: { useCookieJar: false, followRedirects: false } };
      assert.equal(bodyOf(await session.send(prepared(`${running.url}/echo`, noJar))), '');
      await session.send(prepared(`${running.url}/hop`, noJar));
      assert.ok(!(await session.cookies.list()).some((cookie) => cookie.name === 'fromRedirect'));
    } finally {
      await session.close();
      await running.close();
    }
  });

  test('are persisted atomically, reloaded by a new session, and kept when a request fails midway', async () => {
    const running = await cookieServer();
    const file = join(dir, 'jar.json');
    try {
      const first = await Session.open({ cookieJarFile: file });
      try {
        await first.send(prepared(`${running.url}/login`));
        const broken = await first.send(prepared(`${running.url}/broken`));
        assert.equal(broken.error?.code, 'reset', broken.error?.message);
      } finally {
        await first.close();
      }
      const saved = JSON.parse(await readFile(file, 'utf8')) as { cookies: { key: string }[] };
      assert.ok(saved.cookies.some((cookie) => cookie.key === 'survivor'), JSON.stringify(saved));
      assert.deepEqual((await readdir(dir)).filter((name) => name.endsWith('.tmp')), [], 'no temp file is left behind');
      const second = await Session.open({ cookieJarFile: file });
      try {
        assert.equal(bodyOf(await second.send(prepared(`${running.url}/echo`))), 'session=abc; strict=s; survivor=yes');
      } finally {
        await second.close();
      }
    } finally {
      await running.close();
    }
  });

  test('a corrupt jar file is moved aside with a warning, never deleted', async () => {
    const file = join(dir, 'corrupt.json');
    await writeFile(file, '{ not json');
    const session = await Session.open({ cookieJarFile: file });
    try {
      assert.equal(session.warnings.length, 1);
      assert.match(session.warnings[0] ?? '', /corrupt\.json is not valid .* moved to .*corrupt\.json\.corrupt-\d+/);
      const aside = (await readdir(dir)).find((name) => name.startsWith('corrupt.json.corrupt-'));
      assert.ok(aside !== undefined);
      assert.equal(await readFile(join(dir, aside), 'utf8'), '{ not json');
    } finally {
      await session.close();
    }
  });

  test('clear and clearDomain remove cookies and persist the change', async () => {
    const running = await cookieServer();
    const file = join(dir, 'clear.json');
    const session = await Session.open({ cookieJarFile: file });
    try {
      await session.send(prepared(`${running.url}/login`));
      assert.equal(await session.cookies.clearDomain('example.com'), 0);
      assert.equal(await session.cookies.clearDomain('127.0.0.1'), 3);
      assert.deepEqual(await session.cookies.list(), []);
      await session.send(prepared(`${running.url}/login`));
      await session.cookies.clear();
      const saved = JSON.parse(await readFile(file, 'utf8')) as { cookies: unknown[] };
      assert.deepEqual(saved.cookies, []);
    } finally {
      await session.close();
      await running.close();
    }
  });
});
