import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { type Exchange, type ResponseBody } from '../../../engine/model';
import { bodyKind, languageIdFor } from '../../../client/panel/bodyKind';
import { bodyText, bodyTextChunks } from '../../../client/panel/bodyText';
import { exchangeAsText } from '../../../client/panel/exchangeText';
import { hexDump, logView, maxLogLinesInPanel, maxTestsInPanel, maxTestTextInPanel, panelTitle, testsView, timingPhases, toExchangeView } from '../../../client/panel/exchangeView';
import { isWebviewMessage } from '../../../client/panel/messages';
import { sseScript, websocketScript } from '../engine/streamTransport';
import { streamExchange } from '../cli/exchangeFixtures';

const encoder = new TextEncoder();

function body(text: string | Uint8Array, contentType: string | undefined, file?: string): ResponseBody {
  const bytes = typeof text === 'string' ? encoder.encode(text) : text;
  return { size: bytes.length, encodedSize: bytes.length, prefix: bytes, file, contentType, charset: 'utf-8' };
}

function exchange(responseBody: ResponseBody | undefined, overrides: Partial<Exchange> = {}): Exchange {
  return {
    request: { method: 'GET', url: 'http://127.0.0.1:8080/users/1?x=1', headers: [['Accept', '*/*']], bodySize: 0 },
    origin: { file: '/w/a.http', line: 3, name: undefined },
    response: responseBody === undefined ? undefined : { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', responseBody.contentType ?? '']], body: responseBody },
    redirects: [],
    timings: { dns: 1, connect: 3, firstByte: 10, download: 12, total: 12.5 },
    error: undefined,
    warnings: [],
    ...overrides,
  };
}

/** Collects an async generator (Array.fromAsync needs Node 22). */
async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

const options = { title: 't', maxBodyBytesInPanel: 1000, maxImageBytes: 100, hexPreviewBytes: 32 };

describe('exchange view', () => {
  test('titles: request name or METHOD path, with the status or error code', () => {
    assert.equal(panelTitle(exchange(body('{}', 'application/json'))), 'GET /users/1?x=1 · 200');
    assert.equal(panelTitle(exchange(body('', undefined), { origin: { file: undefined, line: 1, name: 'login' } })), 'login · 200');
    assert.equal(panelTitle(exchange(undefined, { error: { code: 'refused', message: 'm' } })), 'GET /users/1?x=1 · refused');
  });

  test('chooses the body kind from the MIME type, else from the bytes', () => {
    assert.equal(bodyKind('application/vnd.api+json', 2, encoder.encode('{}')), 'json');
    assert.equal(bodyKind('text/xml; charset=utf-8', 4, encoder.encode('<a/>')), 'xml');
    assert.equal(bodyKind('text/html', 4, encoder.encode('<p>')), 'html');
    assert.equal(bodyKind('image/png', 4, new Uint8Array([0x89, 0x50, 0x4e, 0x47])), 'image');
    assert.equal(bodyKind('application/pdf', 4, encoder.encode('%PDF')), 'binary');
    assert.equal(bodyKind(undefined, 7, encoder.encode(' [1, 2]')), 'json');
    assert.equal(bodyKind('application/octet-stream', 3, new Uint8Array([0, 1, 2])), 'binary');
    assert.equal(bodyKind(undefined, 5, encoder.encode('hello')), 'text');
    assert.equal(bodyKind('application/json', 0, new Uint8Array()), 'empty');
    assert.equal(languageIdFor('text', 'text/css'), 'css');
    assert.equal(languageIdFor('json', 'application/json'), 'json');
  });

  test('waterfall phases run from the previous phase end; a reused connection has none', () => {
    assert.deepEqual(timingPhases({ dns: 1, connect: 3, tls: 7, firstByte: 10, download: 12, total: 12.5 }).map((phase) => [phase.label, phase.start, phase.duration]), [
      ['DNS', 0, 1],
      ['Connect', 1, 2],
      ['TLS', 3, 4],
      ['First byte', 7, 3],
      ['Download', 10, 2],
    ]);
    assert.deepEqual(timingPhases({ firstByte: 5, download: 6, total: 6 }).map((phase) => phase.label), ['First byte', 'Download']);
  });

  test('marks bodies over the panel limit as truncated; images become data URLs only under their limit', () => {
    const big = toExchangeView(exchange(body('x'.repeat(1500), 'text/plain')), options);
    assert.equal(big.body.truncated, true);
    assert.equal(big.body.bytesInPanel, 1000);
    const image = toExchangeView(exchange(body(new Uint8Array([1, 2, 3]), 'image/png')), options);
    assert.equal(image.body.imageDataUrl, 'data:image/png;base64,AQID');
    const hugeImage = toExchangeView(exchange(body(new Uint8Array(200), 'image/png')), options);
    assert.equal(hugeImage.body.imageDataUrl, undefined);
    assert.equal(toExchangeView(exchange(body('{}', 'application/json')), options).response?.statusClass, 'success');
  });

  test('binary bodies get a hex dump of their first bytes', () => {
    assert.deepEqual(hexDump(encoder.encode('%PDF-1.7\n\x00\x01')), ['00000000  25 50 44 46 2d 31 2e 37 0a 00 01                 %PDF-1.7...']);
    const view = toExchangeView(exchange(body(new Uint8Array(100), 'application/pdf')), options);
    assert.equal(view.body.hexPreview.length, 2, 'only the first 32 bytes');
  });

  test('an error exchange keeps its code and message', () => {
    const view = toExchangeView(exchange(undefined, { error: { code: 'tls', message: 'certificate has expired for 127.0.0.1' } }), options);
    assert.equal(view.response, undefined);
    assert.deepEqual(view.error, { code: 'tls', message: 'certificate has expired for 127.0.0.1' });
    assert.equal(view.body.kind, 'empty');
  });

  test('the saved exchange reads like the wire', () => {
    const text = exchangeAsText(exchange(body('{"a":1}', 'application/json'), { warnings: ['certificate verification disabled'] }), '{"a":1}');
    assert.equal(text, ['GET http://127.0.0.1:8080/users/1?x=1', 'Accept: */*', '', 'HTTP/1.1 200 OK', 'Content-Type: application/json', '', '{"a":1}', '# warning: certificate verification disabled'].join('\n'));
  });

  test('only well-formed webview messages are accepted', () => {
    assert.equal(isWebviewMessage({ type: 'ready' }), true);
    assert.equal(isWebviewMessage({ type: 'action', action: 'saveBody' }), true);
    assert.equal(isWebviewMessage({ type: 'action', action: 'rm -rf' }), false);
    assert.equal(isWebviewMessage('ready'), false);
    assert.equal(isWebviewMessage(null), false);
  });
});

describe('stream view', () => {
  test('a stream response gets its protocol, count, end and messages, data as text: JSON pretty, binary summarised', () => {
    const view = toExchangeView(streamExchange(websocketScript), options);
    assert.equal(view.stream?.protocol, 'websocket');
    assert.equal(view.stream?.count, 3);
    assert.equal(view.stream?.notShown, 0);
    assert.equal(view.stream?.end, 'closed by the server (code 1000: bye)');
    assert.equal(view.stream?.endReason, 'closed-by-server');
    assert.deepEqual(view.stream?.messages, [
      { at: 3, direction: 'sent', type: 'text', id: undefined, dataKind: 'json', data: '{\n  "subscribe": "orders"\n}', omitted: 0 },
      { at: 8, direction: 'received', type: 'text', id: undefined, dataKind: 'json', data: '{\n  "order": 7,\n  "status": "new"\n}', omitted: 0 },
      { at: 9, direction: 'received', type: 'binary', id: undefined, dataKind: 'binary', data: '[binary, 6 B] de ad be ef 00 01', omitted: 0 },
    ]);
    assert.equal(view.body.kind, 'empty', 'a framed protocol has no raw body');
    assert.ok(view.stream?.messages.every((message) => typeof message.data === 'string'), 'crosses postMessage as plain data: no bytes');
  });

  test('a single-body response has no stream view', () => {
    assert.equal(toExchangeView(exchange(body('{}', 'application/json')), options).stream, undefined);
  });

  test('the panel gets the last messages of a long stream, counts the rest, and cuts long data', () => {
    const view = toExchangeView(streamExchange(sseScript, { keepLast: 3 }), { ...options, maxMessagesInPanel: 2, maxMessageCharsInPanel: 10 });
    assert.equal(view.stream?.count, 4);
    assert.deepEqual(view.stream?.messages.map((message) => message.id), ['43', '44']);
    assert.equal(view.stream?.notShown, 2);
    assert.deepEqual(view.stream?.messages.map((message) => [message.dataKind, message.data, message.omitted]), [
      ['text', 'plain text', 7],
      ['text', '{"n":2,"ta', 14],
    ]);
    assert.equal(view.body.kind, 'text', 'the event-stream text follows as the body');
  });

  test('Save exchange lists a stream\'s messages and how it ended instead of the raw body', () => {
    const text = exchangeAsText(streamExchange(websocketScript), undefined);
    assert.equal(
      text,
      [
        'GET http://127.0.0.1:9/events',
        'accept: */*',
        '',
        'HTTP/1.1 101 Switching Protocols',
        'upgrade: websocket',
        'connection: Upgrade',
        '',
        '# websocket: 3 messages',
        '3 ms → text',
        '{',
        '  "subscribe": "orders"',
        '}',
        '8 ms ← text',
        '{',
        '  "order": 7,',
        '  "status": "new"',
        '}',
        '9 ms ← binary',
        '[binary, 6 B] de ad be ef 00 01',
        '# stream closed by the server (code 1000: bye)',
      ].join('\n'),
    );
    assert.match(exchangeAsText(streamExchange(sseScript), sseScript.body), /^26 ms ← message #43\nplain text update$/m);
  });
});

describe('body text chunks', () => {
  test('decode a multi-byte character split between chunks, from memory and from the temp file', async () => {
    const text = 'é'.repeat(10) + '🌍';
    assert.deepEqual((await collect(bodyTextChunks(body(text, 'text/plain'), 1000, 3))).join(''), text);
    const directory = await mkdtemp(join(tmpdir(), 'courier-panel-'));
    try {
      const file = join(directory, 'body');
      await writeFile(file, text);
      const fromFile = body(text.slice(0, 2), 'text/plain', file);
      const chunks = await collect(bodyTextChunks({ ...fromFile, size: encoder.encode(text).length }, 1000, 3));
      assert.ok(chunks.length > 3);
      assert.equal(chunks.join(''), text);
      assert.equal(await bodyText({ ...fromFile, size: 100 }, 4), 'éé', 'only the first limit bytes');
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('the first chunk is small and the others are large, so the first screen does not wait for the whole first megabyte', async () => {
    const text = 'x'.repeat(3 << 20);
    const sizes = (await collect(bodyTextChunks(body(text, 'application/json'), text.length))).map((chunk) => chunk.length);
    assert.deepEqual(sizes, [64 << 10, 1 << 20, 1 << 20, (1 << 20) - (64 << 10)]);
    assert.deepEqual((await collect(bodyTextChunks(body('abcdefghij', 'text/plain'), 10, 4, 2))).join('|'), 'ab|cdef|ghij');
  });

  test('the part of a spilled body held in memory is posted without reading the temp file, the rest is read from it', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'courier-panel-'));
    try {
      const file = join(directory, 'body');
      await writeFile(file, 'abcdefghij');
      const spilled = { ...body('abcd', 'text/plain', file), size: 10 };
      assert.deepEqual(await collect(bodyTextChunks(spilled, 10, 4, 2)), ['ab', 'cd', 'efgh', 'ij']);
      assert.deepEqual(await collect(bodyTextChunks(spilled, 7, 4, 2)), ['ab', 'cd', 'efg'], 'stops at the limit');
      // The temp file is gone: what memory holds still shows, then the read fails.
      const gone = { ...spilled, file: join(directory, 'deleted') };
      const chunks = bodyTextChunks(gone, 10, 4, 2);
      assert.deepEqual([(await chunks.next()).value, (await chunks.next()).value], ['ab', 'cd']);
      await assert.rejects(chunks.next(), /ENOENT/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('decodes the declared charset and survives an unknown one', async () => {
    assert.equal(await bodyText({ ...body(new Uint8Array([0xe9, 0x74, 0xe9]), 'text/plain'), charset: 'iso-8859-1' }, 100), 'été');
    assert.equal(await bodyText({ ...body('ok', 'text/plain'), charset: 'x-nonsense' }, 100), 'ok');
  });
});

describe('the Tests section and the script log', () => {
  test('tests become text rows with outcome, message, expected/actual and file:line; the log its lines', () => {
    const view = toExchangeView(
      exchange(body('{}', 'application/json'), {
        tests: [
          { name: 'logged in', outcome: 'passed', kind: 'script' },
          { name: 'status == 201', outcome: 'failed', kind: 'assertion', message: 'status is 200, expected == 201', expected: '201', actual: '200', location: { file: '/w/api/a.http', line: 9 } },
          { name: 'token saved', outcome: 'skipped', kind: 'script', message: 'scripts run only in a trusted workspace' },
        ],
        log: ['token abc', 'done'],
      }),
      { title: 't', maxBodyBytesInPanel: 1024, maxImageBytes: 1024, hexPreviewBytes: 16 },
    );
    assert.deepEqual(view.tests, [
      { name: 'logged in', outcome: 'passed', kind: 'script', message: undefined, expected: undefined, actual: undefined, where: undefined },
      { name: 'status == 201', outcome: 'failed', kind: 'assertion', message: 'status is 200, expected == 201', expected: '201', actual: '200', where: 'a.http:9' },
      { name: 'token saved', outcome: 'skipped', kind: 'script', message: 'scripts run only in a trusted workspace', expected: undefined, actual: undefined, where: undefined },
    ]);
    assert.deepEqual(view.log, { lines: ['token abc', 'done'], notShown: 0 });
  });

  test('an exchange without tests or log has none to show', () => {
    const view = toExchangeView(exchange(body('{}', 'application/json')), { title: 't', maxBodyBytesInPanel: 1024, maxImageBytes: 1024, hexPreviewBytes: 16 });
    assert.deepEqual(view.tests, []);
    assert.deepEqual(view.log, { lines: [], notShown: 0 });
  });

  test('a flood is bounded: failures are kept first, the last log lines shown, long text clipped', () => {
    const tests = Array.from({ length: maxTestsInPanel + 10 }, (_, index) => ({ name: `t${index}`, outcome: index === maxTestsInPanel + 5 ? ('failed' as const) : ('passed' as const), kind: 'script' as const }));
    const log = Array.from({ length: maxLogLinesInPanel + 3 }, (_, index) => `line ${index}`);
    const shown = testsView({ tests });
    assert.equal(shown.length, maxTestsInPanel);
    assert.equal(shown[0].name, `t${maxTestsInPanel + 5}`, 'the failure past the limit is shown first');
    assert.deepEqual(logView({ log }), { lines: log.slice(3), notShown: 3 });
    const [long] = testsView({ tests: [{ name: 'x'.repeat(maxTestTextInPanel + 7), outcome: 'passed', kind: 'script' }] });
    assert.equal(long.name, `${'x'.repeat(maxTestTextInPanel)}… (7 more characters)`);
  });
});
