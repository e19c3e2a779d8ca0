import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isOwnRedirect, RedirectWaits, unclaimedForMs } from '../../../../client/oauth/redirectWaits';

const callback = (query: string, path = '/oauth/callback'): URL => new URL(`vscode://courier.courier-http${path}?${query}`);

describe("redirects to the extension's own URI", () => {
  test('only this editor\'s scheme and the extension\'s id are its own', () => {
    assert.equal(isOwnRedirect(new URL('vscode://courier.courier-http/oauth/callback'), 'vscode', 'courier.courier-http'), true);
    assert.equal(isOwnRedirect(new URL('vscode://Courier.Courier-HTTP/x'), 'vscode', 'courier.courier-http'), true);
    assert.equal(isOwnRedirect(new URL('vscode-insiders://courier.courier-http/oauth/callback'), 'vscode', 'courier.courier-http'), false);
    assert.equal(isOwnRedirect(new URL('vscode://other.extension/oauth/callback'), 'vscode', 'courier.courier-http'), false);
    assert.equal(isOwnRedirect(new URL('https://courier.courier-http/oauth/callback'), 'vscode', 'courier.courier-http'), false);
  });

  test('a wait gets the redirect to its path, with its parameters', async () => {
    const waits = new RedirectWaits();
    const waiting = waits.wait('/oauth/callback', new AbortController().signal);
    waits.arrived(callback('code=abc&state=xyz', '/elsewhere'));
    waits.arrived(callback('code=abc&state=xyz'));
    const url = await waiting;
    assert.equal(url.searchParams.get('code'), 'abc');
    assert.equal(url.searchParams.get('state'), 'xyz');
  });

  test('a redirect that arrives before the wait is kept for a minute, then forgotten', async () => {
    let now = 1_000;
    const waits = new RedirectWaits(() => now);
    waits.arrived(callback('code=early'));
    assert.equal((await waits.wait('/oauth/callback', new AbortController().signal)).searchParams.get('code'), 'early');
    waits.arrived(callback('code=stale'));
    now += unclaimedForMs;
    const controller = new AbortController();
    const waiting = waits.wait('/oauth/callback', controller.signal);
    waits.arrived(callback('code=fresh'));
    assert.equal((await waiting).searchParams.get('code'), 'fresh');
  });

  test('an aborted wait rejects with an AbortError and takes no later redirect', async () => {
    const waits = new RedirectWaits();
    const controller = new AbortController();
    const waiting = waits.wait('/oauth/callback', controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    waits.arrived(callback('code=later'));
    assert.equal((await waits.wait('/oauth/callback', new AbortController().signal)).searchParams.get('code'), 'later');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(waits.wait('/oauth/callback', aborted.signal), { name: 'AbortError' });
  });
});
