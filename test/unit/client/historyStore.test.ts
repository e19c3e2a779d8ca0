import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { entrySummary, exchangeOf, historyBodyLimit, HistoryStore, toHistoryEntry } from '../../../client/historyStore';
import type { Exchange } from '../../../engine/model';

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
    assert.deepEqual(restored.warnings, [`history kept the first ${historyBodyLimit} of ${historyBodyLimit + 10} bytes of this body`]);
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

  test('entries that are not history entries are skipped', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'courier-history-')), 'history.json');
    const good = toHistoryEntry(exchange(200), { id: 'ok', time: at, environment: undefined });
    writeFileSync(file, JSON.stringify({ version: 1, entries: [{ id: 3 }, good, null] }));
    assert.deepEqual((await HistoryStore.open(file)).store.entries.map((entry) => entry.id), ['ok']);
  });
});
