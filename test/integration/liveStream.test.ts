// The response panel shows a stream while it is open, in the real editor against the demo API's
// real servers: events reach the panel's page before the stream ends, Stop (the panel's button, through
// the panel's own message path) and the CodeLens cancel end it as `stopped` with its messages kept.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { startDemoApiProcess, type DemoApiProcess } from './demoApiProcess';
import { closeAllEditors, courierApi, openHttp } from './fixture';
import { waitFor } from './poll';

async function send(editor: vscode.TextEditor, line: number): Promise<ExchangeSummary[]> {
  return vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line, character: 0 });
}

suite('Live streams in the response panel', () => {
  let demo: DemoApiProcess;
  suiteSetup(async function () {
    this.timeout(60_000);
    demo = await startDemoApiProcess();
  });
  suiteTeardown(async () => {
    await demo?.close();
    // The echo sets a cookie for 127.0.0.1, whatever the port: the suites after this one compare
    // what other local servers receive byte for byte.
    await vscode.commands.executeCommand('courier.clearAllCookies');
  });
  teardown(closeAllEditors);

  test('an endless SSE stream shows its events in the panel while it is open, and Stop ends it as stopped with them kept', async () => {
    const editor = await openHttp(`GET ${demo.url}/sse/ticks?intervalMs=40\n`);
    const api = await courierApi();
    let settled = false;
    const sending = send(editor, 0).finally(() => (settled = true));
    const live = await waitFor('the panel\'s page to show three ticks of the open stream', () => {
      const state = api.responsePanelLive();
      return state !== undefined && state.open && state.shownByPage >= 3 ? state : undefined;
    }, { explain: () => JSON.stringify(api.responsePanelLive()) });
    assert.equal(settled, false, 'the events were shown while the request was still running');
    assert.equal(live.protocol, 'sse');
    assert.equal(live.canSend, false, 'an SSE stream has no message box');
    assert.ok(api.responsePanelReceive({ type: 'action', action: 'stopStream' }), 'the panel took the Stop button\'s message');
    const [exchange] = await sending;
    assert.equal(exchange?.error, undefined, exchange?.error?.message);
    assert.equal(exchange?.response?.stream?.end.reason, 'stopped', 'Stop is a normal end, not an error');
    assert.ok((exchange?.response?.stream?.count ?? 0) >= 3);
    const view = await waitFor('the panel to show the stopped stream', () => (api.responsePanelView()?.stream?.endReason === 'stopped' ? api.responsePanelView() : undefined));
    assert.equal(view?.stream?.end, 'stopped');
    assert.ok((view?.stream?.messages.length ?? 0) >= 3, 'the messages stay in the panel');
    assert.equal(api.responsePanelLive()?.open, false);
    await waitFor('the page to have every message of the ended stream', () => {
      const state = api.responsePanelLive();
      return state !== undefined && state.shownByPage === exchange?.response?.stream?.count ? true : undefined;
    }, { explain: () => `${JSON.stringify(api.responsePanelLive())} of ${exchange?.response?.stream?.count}` });
  });

  test('the CodeLens cancel ends an open stream as stopped too', async () => {
    const editor = await openHttp(`GET ${demo.url}/sse/ticks?intervalMs=40\n`);
    const api = await courierApi();
    const sending = send(editor, 0);
    await waitFor('a tick in the panel', () => ((api.responsePanelLive()?.open === true && (api.responsePanelLive()?.count ?? 0) >= 1) ? true : undefined));
    assert.equal(await vscode.commands.executeCommand<number>('courier.cancelRequest'), 1);
    const [exchange] = await sending;
    assert.equal(exchange?.error, undefined, exchange?.error?.message);
    assert.equal(exchange?.response?.stream?.end.reason, 'stopped');
  });

  test('a finite stream (an NDJSON export) ends as completed and its table stays', async () => {
    const editor = await openHttp(`GET ${demo.url}/export.ndjson?count=30&intervalMs=5\n`);
    const api = await courierApi();
    const [exchange] = await send(editor, 0);
    assert.equal(exchange?.response?.stream?.end.reason, 'completed', exchange?.error?.message);
    assert.equal(exchange?.response?.stream?.count, 30);
    const view = await waitFor('the panel to show the completed stream', () => (api.responsePanelView()?.stream?.endReason === 'completed' ? api.responsePanelView() : undefined));
    assert.equal(view?.stream?.count, 30);
    await waitFor('the page to show all 30', () => (api.responsePanelLive()?.shownByPage === 30 ? true : undefined), { explain: () => JSON.stringify(api.responsePanelLive()) });
  });

  test('a WebSocket stays open for the panel\'s message box: a typed message and its echo appear, sent and received, until Close', async () => {
    const editor = await openHttp(`WEBSOCKET ${demo.url.replace(/^http/, 'ws')}/ws/echo\n`);
    const api = await courierApi();
    let settled = false;
    const sending = send(editor, 0).finally(() => (settled = true));
    const live = await waitFor('the panel to show the open WebSocket with its message box', () => {
      const state = api.responsePanelLive();
      return state?.open === true && state.protocol === 'websocket' ? state : undefined;
    }, { explain: () => JSON.stringify(api.responsePanelLive()) });
    assert.equal(live.canSend, true);
    assert.ok(api.responsePanelReceive({ type: 'streamSend', id: live.id, data: '{"hello":"courier"}', binary: false }));
    assert.ok(api.responsePanelReceive({ type: 'streamSend', id: live.id, data: 'bytes', binary: true }));
    await waitFor('the page to show both messages and both echoes', () => (api.responsePanelLive()?.shownByPage === 4 ? true : undefined), { explain: () => JSON.stringify(api.responsePanelLive()) });
    assert.equal(settled, false, 'a quiet server does not end a WebSocket the user may still type into');
    assert.ok(api.responsePanelReceive({ type: 'action', action: 'stopStream' }), 'Close');
    const [exchange] = await sending;
    assert.equal(exchange?.error, undefined, exchange?.error?.message);
    assert.equal(exchange?.response?.stream?.end.reason, 'stopped');
    const view = await waitFor('the panel to show the closed WebSocket', () => (api.responsePanelView()?.stream?.endReason === 'stopped' ? api.responsePanelView() : undefined));
    const messages = view?.stream?.messages ?? [];
    const texts = (direction: 'sent' | 'received'): string[][] => messages.filter((message) => message.direction === direction).map((message) => [message.type, message.data]);
    const both = [['text', '{\n  "hello": "courier"\n}'], ['binary', '[binary, 5 B] 62 79 74 65 73']];
    assert.deepEqual(texts('sent'), both, 'the typed messages, as sent (→)');
    assert.deepEqual(texts('received'), both, 'their echoes, as received (←)');
  });
});
