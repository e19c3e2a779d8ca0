import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { entrySummary, exchangeOf, historyBodyLimit, historyFileText, HistoryStore, storableExchange, toHistoryEntry, withBoundedBody } from '../../../client/historyStore';
import type { Exchange, StreamMessage } from '../../../engine/model';
import { streamExchange } from '../cli/exchangeFixtures';
import { sseScript, websocketScript } from '../engine/streamTransport';

function exchange(status: number | undefined, body: Uint8Array = new TextEncoder().encode('{"ok":true}')): Exchange {
  return {
    request: { method: 'POST', url: 'https://api.example.com/items', headers: [['Accept', 'application/json']], bodySize: 3 },
    origin: { file: '/a.http', line: 4, name: 'create' },
    response:
      status === undefined
        ? undefined
        : { status, statusText: 'OK', httpVersion: '1.1', headers: [['Content-Type', 'application/json']], body: { size: body.length, encodedSize: body.length, prefix: body, file: undefined, contentType: 'application/json', charset: 'utf-8' } },
    redirects: [],
    timings: { total: 35.4, firstByte: 20 },
    error: status === undefined ? { code: 'refused', message: 'connection refused by api.example.com:443' } : undefined,
    warnings: [],
  };
}

const at = new Date('2025-03-01T10:20:30.456Z');

describe('history entries', () => {
  test('an entry summarises the exchange and gives it back unchanged', () => {
    const original = exchange(201);
    const entry = toHistoryEntry(original, { id: 'a1', time: at, environment: 'dev' });
    assert.equal(entry.method, 'POST');
    assert.equal(entry.url, 'https://api.example.com/items');
    assert.equal(entry.status, 201);
    assert.equal(entry.durationMs, 35);
    assert.deepEqual(entrySummary(entry), { label: 'POST https://api.example.com/items', detail: '201 · 35 ms · 2025-03-01 10:20:30Z · dev' });
    // Through JSON, as the file stores it.
    const restored = exchangeOf(JSON.parse(JSON.stringify(entry)) as typeof entry);
    assert.deepEqual({ ...restored, response: undefined }, { ...original, response: undefined });
    assert.deepEqual(Buffer.from(restored.response?.body.prefix ?? []).toString(), '{"ok":true}');
    assert.equal(restored.response?.body.file, undefined);
  });

  test('a failed exchange says why', () => {
    const entry = toHistoryEntry(exchange(undefined), { id: 'b', time: at, environment: undefined });
    assert.equal(entrySummary(entry).detail, 'refused · 35 ms · 2025-03-01 10:20:30Z');
    assert.equal(exchangeOf(entry).response, undefined);
  });

  test('a large body is cut and the restored exchange says so', () => {
    const big = new Uint8Array(historyBodyLimit + 10).fill(0x61);
    const restored = exchangeOf(toHistoryEntry(exchange(200, big), { id: 'c', time: at, environment: undefined }));
    assert.equal(restored.response?.body.prefix.length, historyBodyLimit);
    assert.equal(restored.response?.body.size, historyBodyLimit);
    assert.deepEqual(restored.warnings, [`history kept the first ${historyBodyLimit} of ${historyBodyLimit + 10} bytes of this body (courier.history.maxBodyBytes)`]);
  });

  test('an entry stores at most the given number of body bytes, whatever the body size', () => {
    // The engine's 8 MB in-memory prefix of a 50 MB body spilled to a temp file.
    const prefix = new Uint8Array(8 << 20).fill(0x62);
    const large: Exchange = { ...exchange(200), response: { status: 200, statusText: 'OK', httpVersion: '1.1', headers: [], body: { size: 50 << 20, encodedSize: 50 << 20, prefix, file: '/tmp/courier-body-x', contentType: 'application/json', charset: 'utf-8' } } };
    const entry = toHistoryEntry(large, { id: 'd', time: at, environment: undefined }, 4096);
    assert.equal(Buffer.from(entry.exchange.response?.body.base64 ?? '', 'base64').length, 4096);
    assert.equal(entry.exchange.response?.body.truncatedBytes, (50 << 20) - 4096);
    assert.ok(JSON.stringify(entry).length < 8192, 'the entry holds no more than the bytes kept');
  });

  test('a limit of 0 stores no body bytes, keeps the sizes, and the restored exchange says why', () => {
    const body = new TextEncoder().encode('{"token":"abc"}');
    const entry = toHistoryEntry(withBoundedBody(exchange(200, body), 0), { id: 'z', time: at, environment: undefined }, 0);
    assert.equal(entry.exchange.response?.body.base64, '');
    assert.equal(entry.exchange.response?.body.size, body.length);
    assert.equal(entry.exchange.response?.body.truncatedBytes, body.length);
    const restored = exchangeOf(entry);
    assert.equal(restored.response?.body.prefix.length, 0);
    assert.deepEqual(restored.warnings, [`history kept none of the ${body.length} bytes of this body (courier.history.maxBodyBytes is 0)`]);
  });

  test('storableExchange cuts the body to the setting, and redacts a secret straddling the cut', () => {
    const body = new TextEncoder().encode('abcdSECRETxyz');
    const kept = storableExchange(exchange(200, body), 4, undefined);
    assert.equal(Buffer.from(kept.response?.body.prefix ?? []).toString(), 'abcd', 'secrets kept: cut at the limit');
    const redacted = storableExchange(exchange(200, body), 6, ['SECRET']);
    const entry = toHistoryEntry(redacted, { id: 's', time: at, environment: undefined }, 6);
    const stored = Buffer.from(entry.exchange.response?.body.base64 ?? '', 'base64').toString();
    assert.ok(!stored.includes('SE'), `no part of the secret is stored: ${stored}`);
    assert.equal(stored, 'abcd<r');
  });

  test('a UTF-8 body is cut between characters, never inside one', () => {
    // "é" is two bytes: a limit of 5 falls inside the third one.
    const body = new TextEncoder().encode('ééééé');
    const entry = toHistoryEntry(exchange(200, body), { id: 'e', time: at, environment: undefined }, 5);
    assert.equal(Buffer.from(entry.exchange.response?.body.base64 ?? '', 'base64').toString('utf8'), 'éé');
    assert.equal(entry.exchange.response?.body.truncatedBytes, 6);
  });
});

describe('bounding a body before it is redacted and stored', () => {
  test('keeps at most the limit in memory, shares the bytes and keeps the sizes', () => {
    const body = new TextEncoder().encode('a€b'.repeat(1000));
    const original = exchange(200, body);
    // "a€b" is 5 bytes; a limit of 102 falls inside the 21st "€": the cut backs off to its start.
    const bounded = withBoundedBody(original, 102);
    const prefix = bounded.response?.body.prefix ?? new Uint8Array();
    assert.equal(prefix.length, 101);
    assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(prefix), `${'a€b'.repeat(20)}a`);
    assert.equal(prefix.buffer, body.buffer, 'no copy');
    assert.equal(bounded.response?.body.size, body.length);
    assert.equal(bounded.request, original.request);
  });

  test('a body within the limit, or no response, is left as it is', () => {
    const small = exchange(200);
    assert.equal(withBoundedBody(small, 1024), small);
    const failed = exchange(undefined);
    assert.equal(withBoundedBody(failed, 0), failed);
  });
});

describe('stream responses in the history', () => {
  const roundTrip = (exchange: Exchange, maxBodyBytes = historyBodyLimit): Exchange =>
    exchangeOf(JSON.parse(JSON.stringify(toHistoryEntry(exchange, { id: 's', time: at, environment: undefined }, maxBodyBytes))) as ReturnType<typeof toHistoryEntry>);

  test('a stream is stored and restored through JSON: messages, binary data, ids and end as they were', () => {
    const original = streamExchange(websocketScript);
    const entry = toHistoryEntry(original, { id: 's', time: at, environment: undefined });
    const stored = entry.exchange.response;
    assert.equal(stored?.shape, 'stream');
    if (stored?.shape !== 'stream') return;
    assert.deepEqual(stored.stream.messages[2], { at: 9, direction: 'received', type: 'binary', id: undefined, data: '3q2+7wAB', encoding: 'base64' }, 'binary data as Base64, never a JSON object of numbers');
    const restored = roundTrip(original);
    assert.deepEqual(restored.warnings, []);
    assert.equal(restored.response?.shape, 'stream');
    if (restored.response?.shape !== 'stream' || original.response?.shape !== 'stream') return;
    assert.deepEqual(restored.response.stream, original.response.stream);
    assert.ok(restored.response.stream.messages[2]?.data instanceof Uint8Array);
    const sse = roundTrip(streamExchange(sseScript));
    assert.equal(sse.response?.shape === 'stream' ? sse.response.stream.messages[1]?.id : undefined, '42');
    assert.equal(entrySummary(toHistoryEntry(streamExchange(sseScript), { id: 'l', time: at, environment: undefined })).detail, '200 · 4 messages · 1050 ms · 2025-03-01 10:20:30Z');
    assert.equal(Buffer.from(sse.response?.body.prefix ?? []).toString(), sseScript.body, 'the raw bytes are kept as a body is');
  });

  test('a long stream keeps its most recent messages within the limit, and the restored exchange says so', () => {
    const messages: StreamMessage[] = Array.from({ length: 10 }, (_, index) => ({ at: index, direction: 'received', type: 'message', id: String(index), data: `payload-${index}` }));
    const long = streamExchange({ ...sseScript, messages, body: '' });
    // Each message is 9 bytes: 30 bytes hold the last three.
    const restored = roundTrip(long, 30);
    if (restored.response?.shape !== 'stream') return assert.fail('a stream');
    assert.deepEqual(restored.response.stream.messages.map((message) => message.id), ['7', '8', '9']);
    assert.equal(restored.response.stream.count, 10);
    assert.deepEqual(restored.warnings, ['history kept the last 3 of the 10 messages of this stream (courier.history.maxBodyBytes)']);
    const bounded = withBoundedBody(long, 30);
    assert.equal(bounded.response?.shape === 'stream' ? bounded.response.stream.messages.length : 0, 3, 'bounded before redaction, so a long stream costs no more to redact');
    assert.equal(bounded.response?.shape === 'stream' ? bounded.response.stream.messages[0] : undefined, messages[7], 'messages are shared, not copied');
    assert.equal(withBoundedBody(long, 1000), long, 'a stream within the limit is left as it is');
  });

  test('secrets are redacted in messages (text and UTF-8 binary), ids and the end detail, as in bodies', () => {
    const secret = 'tok-SECRET-123';
    const exchange = streamExchange({
      ...websocketScript,
      messages: [
        { at: 1, direction: 'sent', type: 'text', id: undefined, data: `{"auth":"${secret}"}` },
        { at: 2, direction: 'received', type: 'binary', id: `id-${secret}`, data: new TextEncoder().encode(`bin ${secret}`) },
        { at: 3, direction: 'received', type: 'binary', id: undefined, data: Uint8Array.from([0xff, 0xfe, 0x00]) },
      ],
      end: { reason: 'closed-by-server', code: 4001, detail: `bad token ${secret}` },
    });
    const stored = toHistoryEntry(storableExchange(exchange, historyBodyLimit, [secret]), { id: 'r', time: at, environment: undefined });
    const text = JSON.stringify(stored);
    assert.ok(!text.includes(secret), text);
    assert.ok(!text.includes(Buffer.from(`bin ${secret}`).toString('base64')));
    const restored = exchangeOf(stored);
    if (restored.response?.shape !== 'stream') return assert.fail('a stream');
    const [sent, binary, raw] = restored.response.stream.messages;
    assert.equal(sent?.data, '{"auth":"<redacted>"}');
    assert.equal(Buffer.from(binary?.data ?? '').toString(), 'bin <redacted>');
    assert.equal(binary?.id, 'id-<redacted>');
    assert.deepEqual(raw?.data, Uint8Array.from([0xff, 0xfe, 0x00]), 'bytes that are not text are kept');
    assert.equal(restored.response.stream.end.detail, 'bad token <redacted>');
    const kept = storableExchange(exchange, historyBodyLimit, undefined);
    assert.equal(kept.response?.shape === 'stream' ? kept.response.stream.messages[0]?.data : undefined, `{"auth":"${secret}"}`, 'keepSecrets keeps them');
  });
});

describe('HistoryStore', () => {
  test('keeps the newest entries up to the maximum and persists them', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'courier-history-')), 'nested', 'history.json');
    const { store, warning } = await HistoryStore.open(file);
    assert.equal(warning, undefined);
    for (const id of ['1', '2', '3']) await store.add(toHistoryEntry(exchange(200), { id, time: at, environment: undefined }), 2);
    assert.deepEqual(store.entries.map((entry) => entry.id), ['3', '2']);
    const reopened = (await HistoryStore.open(file)).store;
    assert.deepEqual(reopened.entries.map((entry) => entry.id), ['3', '2']);
    assert.equal(reopened.find('2')?.status, 200);
    await reopened.clear();
    assert.deepEqual((await HistoryStore.open(file)).store.entries, []);
  });

  test('concurrent adds all land, and no temp file is left behind', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-history-'));
    const file = join(folder, 'history.json');
    const { store } = await HistoryStore.open(file);
    await Promise.all(['a', 'b', 'c', 'd'].map((id) => store.add(toHistoryEntry(exchange(200), { id, time: at, environment: undefined }), 10)));
    assert.deepEqual((JSON.parse(readFileSync(file, 'utf8')) as { entries: { id: string }[] }).entries.map((entry) => entry.id), ['d', 'c', 'b', 'a']);
    assert.deepEqual(readdirSync(folder), ['history.json']);
  });

  test('a corrupt file is set aside with a warning, never deleted', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-history-'));
    const file = join(folder, 'history.json');
    writeFileSync(file, '{ not json');
    const { store, warning } = await HistoryStore.open(file);
    assert.deepEqual(store.entries, []);
    assert.match(warning ?? '', /^the history .*history\.json is not valid \(.*\); it was moved to .*history\.json\.corrupt-\d+$/);
    assert.equal(existsSync(file), false);
    assert.equal(readdirSync(folder).filter((name) => name.startsWith('history.json.corrupt-')).length, 1);
  });

  test('a corrupt file that cannot be set aside is left untouched: this session keeps history in memory only', async (t) => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-history-'));
    const file = join(folder, 'history.json');
    writeFileSync(file, '{ not json');
    // A non-empty folder where the file would be moved makes the rename fail.
    t.mock.method(Date, 'now', () => 1_700_000_000_000);
    mkdirSync(join(`${file}.corrupt-1700000000000`, 'occupied'), { recursive: true });
    const { store, warning } = await HistoryStore.open(file);
    assert.match(warning ?? '', /^the history .*history\.json is not valid \(.*\) and could not be moved aside \(.*\); history will not be saved this session$/);
    await store.add(toHistoryEntry(exchange(200), { id: 'kept-in-memory', time: at, environment: undefined }), 10);
    assert.deepEqual(store.entries.map((entry) => entry.id), ['kept-in-memory']);
    assert.equal(readFileSync(file, 'utf8'), '{ not json', 'the user\'s file is never overwritten');
  });

  test('the file is the JSON of every entry, each entry serialised once however often the history is saved', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'courier-history-')), 'history.json');
    const { store } = await HistoryStore.open(file);
    const entries = ['1', '2', '3'].map((id) => toHistoryEntry(exchange(200), { id, time: at, environment: 'dev' }));
    const original = JSON.stringify;
    const serialised: unknown[] = [];
    JSON.stringify = ((value: unknown, ...rest: []) => {
      serialised.push(value);
      return original(value, ...rest);
    }) as typeof JSON.stringify;
    try {
      for (const entry of entries) await store.add(entry, 10);
    } finally {
      JSON.stringify = original;
    }
    assert.deepEqual(serialised, entries, 'three saves serialised each entry once, and nothing else');
    const text = readFileSync(file, 'utf8');
    assert.equal(text, JSON.stringify({ version: 1, entries: [...entries].reverse() }));
    assert.equal(historyFileText([]), '{"version":1,"entries":[]}');
  });

  test('entries that are not history entries are skipped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'courier-history-')), 'history.json');
    const good = toHistoryEntry(exchange(200), { id: 'ok', time: at, environment: undefined });
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ id: 3 }, good, null] }));
    assert.deepEqual((await HistoryStore.open(file)).store.entries.map((entry) => entry.id), ['ok']);
  });
});
