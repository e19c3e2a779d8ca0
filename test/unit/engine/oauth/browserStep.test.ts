import { strict as assert } from 'node:assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { isLoopbackRedirect, listenForRedirect } from '../../../../engine/oauth/browserStep';

describe('the loopback redirect listener', () => {
  test('loopback Redirect URLs are http on 127.0.0.1, localhost or ::1', () => {
    assert.equal(isLoopbackRedirect(new URL('http://127.0.0.1:5000/cb')), true);
    assert.equal(isLoopbackRedirect(new URL('http://localhost/cb')), true);
    assert.equal(isLoopbackRedirect(new URL('http://[::1]:8080/')), true);
    assert.equal(isLoopbackRedirect(new URL('https://127.0.0.1/cb')), false);
    assert.equal(isLoopbackRedirect(new URL('http://example.com/cb')), false);
    assert.equal(isLoopbackRedirect(new URL('vscode://courier.courier-http/oauth/callback')), false);
  });

  test('without a port it listens on a free one and receives the query at the written path', async () => {
    const listener = await listenForRedirect(new URL('http://127.0.0.1/deep/callback'));
    try {
      const redirect = new URL(listener.redirectUri);
      assert.notEqual(redirect.port, '');
      assert.equal(redirect.pathname, '/deep/callback');
      const other = await fetch(new URL('/favicon.ico', redirect));
      assert.equal(other.status, 404);
      const page = await fetch(`${listener.redirectUri}?code=abc&state=xyz`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /You can close this tab/);
      const parameters = await listener.parameters;
      assert.equal(parameters.get('code'), 'abc');
      assert.equal(parameters.get('state'), 'xyz');
    } finally {
      await listener.close();
    }
  });

  test('an answer in the fragment (Implicit) is sent back by the page as a query', async () => {
    const listener = await listenForRedirect(new URL('http://localhost/cb'));
    try {
      const page = await (await fetch(listener.redirectUri.replace('localhost', '127.0.0.1'))).text();
      assert.match(page, /location\.hash/);
      // What the page's script does in a browser: come back with the fragment as the query.
      await fetch(`${listener.redirectUri.replace('localhost', '127.0.0.1')}?access_token=t&token_type=Bearer&state=s&__courier_fragment=1`);
      const parameters = await listener.parameters;
      assert.equal(parameters.get('access_token'), 't');
      assert.equal(parameters.has('__courier_fragment'), false);
    } finally {
      await listener.close();
    }
  });

  test('an error answer is shown to the user and handed on', async () => {
    const listener = await listenForRedirect(new URL('http://127.0.0.1/cb'));
    try {
      const page = await (await fetch(`${listener.redirectUri}?error=access_denied&error_description=${encodeURIComponent('<b>no</b>')}`)).text();
      assert.match(page, /access_denied/);
      assert.doesNotMatch(page, /<b>no<\/b>/, 'the description is escaped');
      assert.equal((await listener.parameters).get('error'), 'access_denied');
    } finally {
      await listener.close();
    }
  });

  test('a port in use is a sentence saying what to change', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      await assert.rejects(listenForRedirect(new URL(`http://127.0.0.1:${port}/cb`)), /another program uses that port.*Redirect URL/);
    } finally {
      blocker.close();
    }
  });
});
