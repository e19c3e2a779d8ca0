// The response panel's webview in Chromium: the page the host builds (real CSP, real
// bundle), fed the messages the host sends. Run: node test/harness/run.mjs test/panel/webview.test.ts
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { toExchangeView } from '../../client/panel/exchangeView';
import { type ExchangeView } from '../../client/panel/messages';
import { type Exchange } from '../../engine/model';
import { streamExchange } from '../unit/cli/exchangeFixtures';
import { sseScript, websocketScript } from '../unit/engine/streamTransport';
import { measureLargeJson } from './largeBody';
import { openPanelPage, type PanelPage } from './panelPage';

const encoder = new TextEncoder();
let nextId = 1;

function exchangeOf(body: string | Uint8Array, contentType: string, overrides: Partial<Exchange> = {}): Exchange {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  return {
    request: { method: 'POST', url: 'https://api.example.test/v1/login?lang=en', headers: [['Content-Type', 'application/json'], ['Accept', 'application/json'], ['User-Agent', 'courier/0.1.0']], bodySize: 42 },
    origin: { file: '/work/api.http', line: 4, name: 'login' },
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['Content-Type', contentType], ['Content-Length', String(bytes.length)], ['Set-Cookie', 'session=abc; Path=/; HttpOnly'], ['Date', 'Fri, 21 Nov 2025 06:00:00 GMT']],
      body: { size: bytes.length, encodedSize: Math.round(bytes.length * 0.4), prefix: bytes, file: undefined, contentType, charset: 'utf-8' },
    },
    redirects: [{ status: 302, url: 'https://api.example.test/login' }],
    timings: { dns: 2.1, connect: 5.4, tls: 14.9, firstByte: 48.2, download: 52.7, total: 53.1 },
    error: undefined,
    warnings: [],
    ...overrides,
  };
}

function viewOf(exchange: Exchange, maxBodyBytesInPanel = 64 << 20): ExchangeView {
  return toExchangeView(exchange, { title: 'login · 200', maxBodyBytesInPanel, maxImageBytes: 1 << 20, hexPreviewBytes: 256 });
}

/** Posts an exchange and its whole body in one chunk, as the host does for small bodies. */
async function show(panel: PanelPage, exchange: Exchange, body: string): Promise<void> {
  const id = nextId++;
  await panel.post({ type: 'exchange', id, view: viewOf(exchange) });
  await panel.post({ type: 'bodyChunk', id, text: body, last: true });
}

const rowsText = (panel: PanelPage): Promise<string> => panel.page.locator('.rows').innerText();

describe('response panel webview (Chromium)', () => {
  let panel: PanelPage;
  before(async () => {
    panel = await openPanelPage();
  });
  after(async () => {
    await panel?.close();
  });

  test('shows the status, sizes and a pretty-printed, coloured JSON body, and looks right', async () => {
    const body = JSON.stringify({ token: 'eyJhbGciOiJIUzI1NiJ9.e30', user: { id: 42, name: 'Ada Lovelace', roles: ['admin', 'editor'], active: true, manager: null }, expiresIn: 3600 });
    await show(panel, exchangeOf(body, 'application/json; charset=utf-8'), body);
    await panel.page.waitForSelector('.rows .row');
    assert.equal(await panel.page.locator('.status').innerText(), '200 OK');
    assert.match(await rowsText(panel), /"name": "Ada Lovelace",/);
    assert.equal(await panel.page.locator('.tok-key', { hasText: '"roles"' }).count(), 1);
    await panel.page.locator('summary', { hasText: 'Timing' }).click();
    await panel.page.locator('summary', { hasText: 'Response headers' }).click();
    assert.match(await panel.page.locator('table.headers').first().innerText(), /Set-Cookie\s+session=abc/);
    mkdirSync('test-output', { recursive: true });
    await panel.page.screenshot({ path: 'test-output/panel.png' });
    assert.deepEqual(panel.errors, [], 'no console errors, so no CSP violation');
  });

  test('folds an object and searches the full line model, expanding the fold that hides a match', async () => {
    const body = JSON.stringify({ list: Array.from({ length: 400 }, (_, index) => ({ index, word: index === 350 ? 'needle' : 'hay' })) });
    await show(panel, exchangeOf(body, 'application/json'), body);
    await panel.page.waitForSelector('.rows .row');
    await panel.page.locator('.fold[data-line="1"]').click();
    assert.match(await rowsText(panel), /"list": \[ … 1600 lines … \]/);
    assert.equal(await panel.page.locator('.rows .row').count(), 3);
    await panel.page.locator('input.search').fill('needle');
    await panel.page.waitForSelector('mark.match.current');
    assert.equal(await panel.page.locator('.search-count').innerText(), '1 of 1');
    assert.equal(await panel.page.locator('mark.match.current').innerText(), 'needle');
    assert.ok((await panel.page.locator('.rows .row').count()) > 3, 'the fold hiding the match was expanded');
  });

  test('a body of <img src=x onerror=alert(1)> is shown as text; the HTML preview is a sandboxed srcdoc frame', async () => {
    const attack = '<img src=x onerror=alert(1)><script>window.parent.postMessage("escaped", "*")</script><p>hello preview</p>';
    await panel.page.evaluate(() => {
      window.alert = () => {
        throw new Error('alert ran');
      };
    });
    await show(panel, exchangeOf(attack, 'text/html'), attack);
    await panel.page.waitForSelector('.rows .row');
    assert.equal(await panel.page.locator('.rows img').count(), 0);
    assert.match(await rowsText(panel), /<img src=x onerror=alert\(1\)>/);
    await panel.page.locator('button.mode', { hasText: 'Preview' }).click();
    const frame = panel.page.locator('iframe.preview');
    assert.equal(await frame.getAttribute('sandbox'), '');
    assert.equal(await panel.page.frameLocator('iframe.preview').locator('p').innerText(), 'hello preview');
    const sent = await panel.sent();
    assert.equal(sent.filter((message) => (message as unknown) === 'escaped').length, 0);
    // The preview's <img src=x> may 404; what must not happen is a CSP violation or a script running.
    assert.deepEqual(panel.errors.filter((error) => /Content Security Policy|alert ran/.test(error)), []);
  });

  test('invalid JSON falls back to raw lines with a notice; error exchanges show their code', async () => {
    await show(panel, exchangeOf('{"a": 1,}\nsecond line', 'application/json'), '{"a": 1,}\nsecond line');
    await panel.page.waitForSelector('.notice.visible');
    assert.match(await panel.page.locator('.notice').innerText(), /Not valid JSON at character 8/);
    assert.match(await rowsText(panel), /second line/);
    const failed = exchangeOf('', 'text/plain', { response: undefined, error: { code: 'refused', message: 'Connection refused by 127.0.0.1:9 (is the server running?)' } });
    await show(panel, failed, '');
    await panel.page.waitForSelector('.banner-error');
    assert.equal(await panel.page.locator('.status').innerText(), 'Error: refused');
    assert.match(await panel.page.locator('.banner-error').innerText(), /refused\s+Connection refused by 127\.0\.0\.1:9/);
    assert.equal(await panel.page.locator('.body').count(), 0, 'no empty body section under an error');
    await panel.page.screenshot({ path: 'test-output/panel-error.png' });
  });

  test('the Tests section lists each test with ✓/✗/○, the failure\'s message, expected and actual, and the script log; none without tests', async () => {
    const tested = exchangeOf('{"token": "t"}', 'application/json', {
      tests: [
        { name: 'logged in', outcome: 'passed', kind: 'script' },
        { name: 'status == 201', outcome: 'failed', kind: 'assertion', message: 'status is 200, expected == 201', expected: '201', actual: '200', location: { file: '/work/api.http', line: 12 } },
        { name: 'saves the token', outcome: 'skipped', kind: 'script', message: 'scripts run only in a trusted workspace' },
        { name: '<img src=x onerror=alert(1)>', outcome: 'passed', kind: 'script' },
      ],
      log: ['token t', 'done'],
    });
    await show(panel, tested, '{"token": "t"}');
    await panel.page.waitForSelector('.tests-section');
    assert.equal(await panel.page.locator('.tests-section > summary').innerText(), 'Tests (2 passed, 1 failed, 1 skipped)');
    const rows = await panel.page.locator('li.test').allInnerTexts();
    assert.equal(rows.length, 4);
    assert.match(rows[0], /^✓\s*logged in$/);
    assert.match(rows[1], /^✗\s*status == 201\s*api\.http:12\s*status is 200, expected == 201\s*Expected\s*201\s*Actual\s*200$/);
    assert.match(rows[2], /^○\s*saves the token\s*scripts run only in a trusted workspace$/);
    assert.match(rows[3], /<img src=x onerror=alert\(1\)>/, 'a test name is text, never markup');
    assert.equal(await panel.page.locator('li.test img').count(), 0);
    assert.equal(await panel.page.locator('.log-section > summary').innerText(), 'Log (2)');
    assert.equal(await panel.page.locator('pre.script-log').innerText(), 'token t\ndone');
    assert.match(await rowsText(panel), /"token": "t"/, 'the body still follows');
    await panel.page.screenshot({ path: 'test-output/panel-tests.png' });
    await show(panel, exchangeOf('{}', 'application/json'), '{}');
    await panel.page.waitForSelector('.rows');
    assert.equal(await panel.page.locator('.tests-section, .log-section').count(), 0, 'no Tests or Log section without tests or log');
  });

  test('XML is pretty-printed once complete, with Pretty and Raw views', async () => {
    const xml = '<?xml version="1.0"?><feed><entry id="1"><title>First</title></entry></feed>';
    await show(panel, exchangeOf(xml, 'application/atom+xml'), xml);
    await panel.page.waitForFunction(() => document.querySelectorAll('.rows .row').length === 6);
    assert.match(await rowsText(panel), /^1\s+<\?xml version="1.0"\?>\n2\s+▾?\s*<feed>\n3\s+▾?\s*\s{2}<entry id="1">\n4\s+<title>First<\/title>/);
    assert.equal(await panel.page.locator('.tok-attribute', { hasText: 'id' }).count(), 1);
    await panel.page.locator('button.mode', { hasText: 'Raw' }).click();
    await panel.page.waitForFunction(() => document.querySelectorAll('.rows .row').length === 1);
  });

  test('buttons post their action to the host; images and binary bodies render without text rows', async () => {
    const png = Uint8Array.from(atob('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='), (char) => char.charCodeAt(0));
    await show(panel, exchangeOf(png, 'image/png'), '');
    await panel.page.locator('img.image').waitFor();
    assert.equal(await panel.page.locator('img.image').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth), 1);
    await panel.page.locator('button', { hasText: 'Re-send' }).click();
    await panel.page.locator('button', { hasText: 'cURL' }).click();
    const actions = (await panel.sent()).filter((message) => message.type === 'action').map((message) => (message.type === 'action' ? message.action : ''));
    assert.deepEqual(actions.slice(-2), ['resend', 'copyAsCurl']);
    await show(panel, exchangeOf(Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0, 1, 2]), 'application/pdf'), '');
    assert.match(await panel.page.locator('pre.hex').innerText(), /^00000000 {2}25 50 44 46 00 01 02/);
  });

  test('a stream response shows a messages table: time, direction, type, id, data (JSON pretty, binary summarised), as text', async () => {
    const errorsBefore = panel.errors.length;
    const hostile = { at: 30, direction: 'received' as const, type: '<b>evt</b>', id: '<i>9</i>', data: '<img src=x onerror=alert(1)>' };
    const exchange = streamExchange({ ...websocketScript, messages: [...websocketScript.messages, hostile] });
    await show(panel, exchange, '');
    await panel.page.waitForSelector('table.messages tr.message');
    assert.match(await panel.page.locator('.facts').innerText(), /4 messages/);
    assert.doesNotMatch(await panel.page.locator('.facts').innerText(), / B\b/, 'a stream counts messages, not body bytes');
    assert.match(await panel.page.locator('.stream-facts').innerText(), /websocket\s+4 messages\s+closed by the server \(code 1000: bye\)/);
    const rows = await panel.page.locator('table.messages tr.message').evaluateAll((rows) => rows.map((row) => Array.from(row.children, (cell) => cell.textContent)));
    assert.deepEqual(rows, [
      ['3.0 ms', '→', 'text', '', '{\n  "subscribe": "orders"\n}'],
      ['8.0 ms', '←', 'text', '', '{\n  "order": 7,\n  "status": "new"\n}'],
      ['9.0 ms', '←', 'binary', '', '[binary, 6 B] de ad be ef 00 01'],
      ['30.0 ms', '←', '<b>evt</b>', '<i>9</i>', '<img src=x onerror=alert(1)>'],
    ]);
    assert.equal(await panel.page.locator('table.messages img, table.messages b, table.messages i').count(), 0, 'message text is never HTML');
    assert.equal(await panel.page.locator('.body').count(), 0, 'a framed stream has no raw body under its messages');
    assert.deepEqual(await panel.page.locator('.actions button').allInnerTexts(), ['Re-send', 'cURL', 'Save', 'Save exchange'], 'no body buttons without a body; Save keeps every message as JSON lines');
    mkdirSync('test-output', { recursive: true });
    await panel.page.screenshot({ path: 'test-output/panel-stream.png' });
    assert.deepEqual(panel.errors.slice(errorsBefore), [], 'no console errors, so no CSP violation');
  });

  test('a long SSE stream shows its last messages with a count of the rest, and its event-stream text below', async () => {
    const id = nextId++;
    const view = toExchangeView(streamExchange(sseScript), { title: 'events', maxBodyBytesInPanel: 1 << 20, maxImageBytes: 1 << 20, hexPreviewBytes: 256, maxMessagesInPanel: 2 });
    await panel.post({ type: 'exchange', id, view });
    await panel.post({ type: 'bodyChunk', id, text: sseScript.body, last: true });
    await panel.page.waitForSelector('.body[data-complete] .rows .row');
    assert.equal(await panel.page.locator('.stream-not-shown').innerText(), '2 earlier messages not shown; the last 2 follow');
    assert.deepEqual(await panel.page.locator('table.messages tr.message td.id').allInnerTexts(), ['43', '44']);
    assert.match(await rowsText(panel), /event: tick/);
    assert.deepEqual(await panel.page.locator('.actions button').allInnerTexts(), ['Re-send', 'cURL', 'Copy', 'Save', 'Save exchange', 'Open']);
    await panel.page.screenshot({ path: 'test-output/panel-stream-sse.png' });
  });

  test('a reloaded page shows the summary it kept at once, says ready again, and shows the body the host posts again; the body is not in its state', async () => {
    const body = JSON.stringify({ request: 'after-cookie', filler: 'x'.repeat(4096) });
    const exchange = exchangeOf(body, 'application/json');
    await show(panel, exchange, body);
    await panel.page.waitForSelector('.rows .row');
    const shown = (await panel.sent()).filter((message) => (message as { type?: string }).type === 'shown');
    assert.ok(shown.length > 0, 'the page says when an exchange is shown whole');
    const state = await panel.page.evaluate(() => sessionStorage.getItem('courierWebviewState') ?? '');
    assert.match(state, /"title":"login · 200"/);
    assert.ok(!state.includes('after-cookie'), 'the body is not kept in the webview state');
    await panel.page.reload();
    await panel.page.waitForFunction(() => (window as unknown as { courierSent: { type: string }[] }).courierSent.some((message) => message.type === 'ready'));
    assert.equal(await panel.page.locator('.status').innerText(), '200 OK', 'the summary is back before the host posts anything');
    assert.equal(await panel.page.locator('main#app .placeholder').innerText(), 'Loading the body…');
    await show(panel, exchange, body);
    await panel.page.waitForSelector('.rows .row');
    assert.match(await rowsText(panel), /"request": "after-cookie"/);
  });

  test('the page refuses any frame other than the srcdoc preview', async () => {
    const refused = await panel.page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true });
          const frame = document.createElement('iframe');
          frame.src = '/';
          document.body.append(frame);
        }),
    );
    assert.equal(refused, 'frame-src');
  });

  test('the first chunk is shown at once; a large chunk is indexed over several tasks, never in one long one', async () => {
    const id = nextId++;
    const view = viewOf(exchangeOf('[]', 'application/json'));
    await panel.post({ type: 'exchange', id, view: { ...view, body: { ...view.body, size: 16 << 20, bytesInPanel: 16 << 20 } } });
    const figures = await panel.page.evaluate((id) => {
      const record = (index: number): string => JSON.stringify({ id: index, name: `item ${index}`, tags: ['alpha', 'beta'] });
      const parts: string[] = [];
      for (let size = 0, index = 0; size < 16 << 20; index++) {
        parts.push(record(index));
        size += parts[parts.length - 1].length + 1;
      }
      const text = `[${parts.join(',')}]`;
      // Delivered synchronously, so the time spent is the message handler's own.
      const deliver = (data: unknown): number => {
        const start = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data }));
        return performance.now() - start;
      };
      const firstChunkMs = deliver({ type: 'bodyChunk', id, text: text.slice(0, 64 << 10), last: false });
      const rowsAfterFirstChunk = document.querySelectorAll('.rows .row').length;
      const firstRowText = document.querySelector('.rows .row .code')?.textContent;
      const restMs = deliver({ type: 'bodyChunk', id, text: text.slice(64 << 10), last: true });
      return { firstChunkMs, rowsAfterFirstChunk, firstRowText, restMs, completeAfterRest: document.querySelector('.body[data-complete]') !== null, prettyLines: JSON.stringify(JSON.parse(text), null, 2).split('\n').length };
    }, id);
    assert.ok(figures.rowsAfterFirstChunk > 10, `rows in the DOM when the first chunk's message returned: ${figures.rowsAfterFirstChunk}`);
    assert.equal(figures.firstRowText, '[');
    assert.equal(figures.completeAfterRest, false, 'a 16 MB chunk is not indexed inside its message handler');
    assert.ok(figures.restMs < 100, `the 16 MB chunk's message handler took ${figures.restMs.toFixed(1)} ms`);
    await panel.page.waitForSelector('.body[data-complete]', { timeout: 20_000 });
    await panel.page.locator('.scroller').evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    await panel.page.waitForFunction(() => document.querySelector('.rows .row:last-child .code')?.textContent === ']');
    // Indexed in slices, the body has exactly the lines JSON.stringify(value, null, 2) gives it.
    assert.equal(Number(await panel.page.locator('.rows .row:last-child .line-number').innerText()), figures.prettyLines);
  });

  test('at a narrow panel (460 px) the toolbar stays one row: Pretty and Raw side by side, the search box shrinks', async () => {
    await panel.page.setViewportSize({ width: 460, height: 500 });
    try {
      const body = JSON.stringify({ narrow: true, list: [1, 2, 3] });
      await show(panel, exchangeOf(body, 'application/json'), body);
      await panel.page.waitForSelector('.body[data-complete] .rows .row');
      const pretty = await panel.page.locator('button.mode', { hasText: 'Pretty' }).boundingBox();
      const raw = await panel.page.locator('button.mode', { hasText: 'Raw' }).boundingBox();
      const toolbar = await panel.page.locator('.body-toolbar').boundingBox();
      assert.ok(pretty !== null && raw !== null && toolbar !== null);
      assert.equal(raw.y, pretty.y, 'Raw is beside Pretty, not under it');
      assert.ok(raw.x >= pretty.x + pretty.width - 1, 'Raw follows Pretty on the right');
      assert.ok(toolbar.height < 2 * pretty.height, `the toolbar is one row (${toolbar.height} px)`);
      const overflow = await panel.page.locator('.body-toolbar').evaluate((element) => element.scrollWidth - element.clientWidth);
      assert.equal(overflow, 0, 'nothing in the toolbar is pushed out of the panel');
      await panel.page.screenshot({ path: 'test-output/panel-narrow.png' });
    } finally {
      await panel.page.setViewportSize({ width: 900, height: 700 });
    }
  });

  test('a 50 MB JSON body shows its first screen quickly and scrolls to its last line', async () => {
    const view = viewOf(exchangeOf('[]', 'application/json'));
    const large = { ...view, body: { ...view.body, size: 50 << 20, bytesInPanel: 50 << 20 } };
    const figures = await measureLargeJson(panel.page, large, nextId++, 50);
    console.log(`50 MB JSON in ${figures.chunks} chunks: first row after ${figures.firstRowMs.toFixed(1)} ms, all indexed after ${figures.allChunksMs.toFixed(0)} ms (JSON.parse alone: ${figures.jsonParseMs.toFixed(0)} ms)`);
    assert.ok(figures.firstRowMs < 3000, `first row after ${figures.firstRowMs} ms`);
    await panel.page.locator('.scroller').evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
    await panel.page.waitForFunction(() => document.querySelector('.rows .row:last-child .code')?.textContent === ']');
    await panel.page.screenshot({ path: 'test-output/panel-large.png' });
  });
});
