import * as assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { ExchangeSummary, HistoryEntrySummary } from '../../client/sentExchanges';
import { closeAllEditors, courierApi, openHttp, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

function responseTabOpen(): boolean {
  return vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('courier.response')));
}

async function send(editor: vscode.TextEditor, line: number): Promise<ExchangeSummary[]> {
  return vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line, character: 0 });
}

suite('Sending', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('courier.sendRequest sends the request at the cursor byte for byte and opens the panel', async () => {
    const editor = await openHttp(`@base = ${api().url}\n\n### Create\nPOST {{base}}/items?tag=a%20b\nContent-Type: application/json\nX-Trace: t-1\n\n{"name": "pen"}\n\n### Other\nGET {{base}}/other\n`);
    editor.selection = new vscode.Selection(6, 0, 6, 0);
    const exchanges = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest');
    assert.equal(exchanges.length, 1);
    assert.equal(exchanges[0]?.response?.status, 200, exchanges[0]?.error?.message);
    assert.deepEqual(exchanges[0]?.request, { method: 'POST', url: `${api().url}/items?tag=a%20b` });
    const start = JSON.stringify({ path: '/items?tag=a%20b', cookie: null });
    const expected = { request: { method: 'POST', url: `${api().url}/items?tag=a%20b` }, response: { status: 200, statusText: 'OK', httpVersion: '1.1', body: { size: start.length, contentType: 'application/json', start } }, durationMs: exchanges[0]?.durationMs };
    assert.deepEqual(JSON.parse(JSON.stringify(exchanges)), [expected], 'the result is a small summary, plain data that JSON keeps whole');
    const seen = api().seen.at(-1);
    assert.equal(seen?.method, 'POST');
    assert.equal(seen?.path, '/items?tag=a%20b');
    assert.equal(seen?.headers['content-type'], 'application/json');
    assert.equal(seen?.headers['x-trace'], 't-1');
    assert.equal(seen?.body, '{"name": "pen"}');
    await waitFor('the response panel tab', () => (responseTabOpen() ? true : undefined));
  });

  test('HTTP/2 (Prior Knowledge) on the request line speaks h2c, and the summary says the version', async () => {
    const http2 = await import('node:http2');
    const server = http2.createServer((request, response) => response.end(JSON.stringify({ version: request.httpVersion })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const editor = await openHttp(`GET http://127.0.0.1:${port}/ping HTTP/2 (Prior Knowledge)\n`);
      const [exchange] = await send(editor, 0);
      assert.equal(exchange?.error, undefined, exchange?.error?.message);
      assert.equal(exchange?.response?.httpVersion, '2');
      assert.equal(exchange?.response?.body.start, '{"version":"2.0"}');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('cookies set by one request are sent with the next', async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    await vscode.commands.executeCommand('courier.clearCookies', '');
    const editor = await openHttp(`GET ${api().url}/login\n\n###\nGET ${api().url}/whoami\n`);
    await send(editor, 0);
    const [whoami] = await send(editor, 3);
    assert.equal(api().seen.at(-1)?.headers.cookie, 'sid=s3cret-session');
    assert.equal((JSON.parse(whoami?.response?.body.start ?? 'null') as { cookie: string | null }).cookie, 'sid=s3cret-session');
    const cookies = await vscode.commands.executeCommand<{ name: string }[]>('courier.showCookies', '');
    assert.deepEqual(cookies.map((cookie) => cookie.name), ['sid']);
    await vscode.commands.executeCommand('courier.clearCookies', '');
    await send(editor, 3);
    assert.equal(api().seen.at(-1)?.headers.cookie, undefined, 'cleared cookies are not sent');
  });

  test('courier.cancelRequest ends a slow request as aborted', async () => {
    const editor = await openHttp(`GET ${api().url}/slow\n`);
    const sending = send(editor, 0);
    await waitFor('the slow request to reach the server', () => (api().seen.some((request) => request.path === '/slow') ? true : undefined));
    await waitFor('the running request\'s lens to read "Sending... (cancel)"', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
      const sending = lenses.find((lens) => lens.command?.title === 'Sending... (cancel)');
      return sending?.command?.command === 'courier.cancelRequest' && sending.range.start.line === 0 ? true : undefined;
    });
    const cancelled = await vscode.commands.executeCommand<number>('courier.cancelRequest');
    assert.equal(cancelled, 1);
    const [exchange] = await sending;
    assert.equal(exchange?.error?.code, 'aborted');
    const after = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    assert.deepEqual(after.map((lens) => lens.command?.title), ['Send Request'], 'the lens is back to Send Request once the request ended');
  });

  test('switching the environment changes the URL', async () => {
    await vscode.workspace.getConfiguration('courier').update('environments', { alpha: { where: 'in-alpha' }, beta: { where: 'in-beta' } }, vscode.ConfigurationTarget.Global);
    try {
      const editor = await openHttp(`GET ${api().url}/{{where}}\n`);
      assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', 'alpha'), 'alpha');
      await send(editor, 0);
      assert.equal(api().seen.at(-1)?.path, '/in-alpha');
      await vscode.commands.executeCommand('courier.switchEnvironment', 'beta');
      await send(editor, 0);
      assert.equal(api().seen.at(-1)?.path, '/in-beta');
    } finally {
      await vscode.commands.executeCommand('courier.switchEnvironment', '');
      await vscode.workspace.getConfiguration('courier').update('environments', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('history records exchanges, redacted, and courier.showHistory shows one again', async () => {
    const editor = await openHttp(`GET ${api().url}/history-check\nAuthorization: Bearer top-secret\n`);
    await send(editor, 0);
    const shown = await waitFor('the history entry', async () => {
      const entry = await vscode.commands.executeCommand<HistoryEntrySummary | undefined>('courier.showHistory', 0);
      return entry?.request.url.endsWith('/history-check') === true ? entry : undefined;
    });
    assert.equal(shown.response?.status, 200);
    assert.deepEqual(shown.requestHeaders.find(([name]) => name === 'Authorization'), ['Authorization', '<redacted>']);
    assert.match(shown.response?.body.start ?? '', /"path":"\/history-check"/);
    await waitFor('the response panel tab', () => (responseTabOpen() ? true : undefined));
  });
});

suite('Script globals in the editor', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('a global a handler sets is listed in the Sessions view, kept out of the history, and cleared by courier.clearScriptGlobals', async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    await vscode.commands.executeCommand('courier.clearScriptGlobals', '');
    const token = `tok-${Date.now()}-secret`;
    const editor = await openHttp([
      `GET ${api().url}/set-global`,
      '',
      `> {% client.global.set("session_token", "${token}") %}`,
      '',
      '###',
      `GET ${api().url}/uses-global?token={{session_token}}`,
      '',
    ].join('\n'));
    const [first] = await send(editor, 0);
    assert.equal(first?.error, undefined, first?.error?.message);
    const [second] = await send(editor, 5);
    assert.equal(second?.response?.status, 200, second?.error?.message);
    assert.equal(api().seen.at(-1)?.path, `/uses-global?token=${token}`, 'the global was sent');

    const courier = await courierApi();
    const view = await courier.sessionsView();
    const noEnvironment = view.find((entry) => entry.environment === 'no environment');
    assert.ok(noEnvironment?.items.includes(`session_token = ${token}`), JSON.stringify(view));

    const stored = await waitFor('the history entry', async () => {
      const entry = await vscode.commands.executeCommand<HistoryEntrySummary | undefined>('courier.showHistory', 0);
      return entry?.request.url.includes('/uses-global') === true ? entry : undefined;
    });
    assert.equal(stored.request.url, `${api().url}/uses-global?token=<redacted>`);

    assert.equal(await vscode.commands.executeCommand<number>('courier.clearScriptGlobals', ''), 1);
    const after = await courier.sessionsView();
    assert.ok(!(after.find((entry) => entry.environment === 'no environment')?.items ?? []).some((item) => item.startsWith('session_token')));
    const [third] = await send(editor, 5);
    assert.equal(third?.error?.code, 'variable', 'once cleared, the global is undefined again');
  });
});
