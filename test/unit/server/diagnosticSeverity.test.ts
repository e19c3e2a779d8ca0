// `courier.diagnostics.severity` through the server: pull and push diagnostics, and a refresh when it changes.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { OperationCancelled } from '../../../language/cancellation';
import { createLanguageService, type LanguageService, type LanguageServiceHost } from '../../../language/service';
import { normalizeSettings } from '../../../server/settings';
import { startInProcess } from './inProcessServer';
import { waitFor, type TestClient } from './lspClient';

const uri = 'file:///w/api.http';
const text = 'GET https://a.test\n\n{"a": 1}\n\n###\nGET https://a.test/{{missing}}\n';
let severities: Record<string, string> = { 'http.body.unexpected': 'off', 'http.variable.undefined': 'error' };

function answerSettings(client: TestClient): void {
  client.connection.onRequest('workspace/configuration', (params: { readonly items: readonly unknown[] }) => params.items.map(() => ({ diagnostics: { severity: severities } })));
}

async function open(client: TestClient): Promise<void> {
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
}

type Item = { readonly code?: unknown; readonly severity?: unknown };

describe('courier.diagnostics.severity in the server', () => {
  test('the settings normaliser reads the nested section', () => {
    assert.deepEqual([...(normalizeSettings({ diagnostics: { severity: { 'http.body.unexpected': 'hint', nope: 'off' } } }).diagnosticSeverities ?? [])], [['http.body.unexpected', 'hint']]);
    assert.equal(normalizeSettings({}).diagnosticSeverities, undefined);
  });

  test('pulled diagnostics follow it, and a change refreshes them', async () => {
    severities = { 'http.body.unexpected': 'off', 'http.variable.undefined': 'error' };
    const { client, stop } = await startInProcess({}, { beforeInitialize: answerSettings });
    try {
      await open(client);
      const pull = async (): Promise<Item[]> => (await client.connection.sendRequest<{ items: Item[] }>('textDocument/diagnostic', { textDocument: { uri } })).items;
      assert.deepEqual((await pull()).map((item) => [item.code, item.severity]), [['http.variable.undefined', 1]]);
      severities = {};
      const before = client.refreshes.count;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await waitFor('a diagnostics refresh', () => client.refreshes.count > before);
      assert.deepEqual((await pull()).map((item) => [item.code, item.severity]), [
        ['http.body.unexpected', 2],
        ['http.variable.undefined', 2],
      ]);
    } finally {
      stop();
    }
  });

  test('pushed diagnostics follow it too', async () => {
    severities = { 'http.body.unexpected': 'off' };
    const capabilities = { workspace: { configuration: true } };
    const { client, stop } = await startInProcess({}, { capabilities, beforeInitialize: answerSettings });
    try {
      await open(client);
      await waitFor('published diagnostics', () => client.published.some((published) => published.uri === uri));
      const published = client.published.filter((entry) => entry.uri === uri).at(-1);
      assert.deepEqual(published?.diagnostics.map((diagnostic) => diagnostic.code), ['http.variable.undefined']);
    } finally {
      stop();
    }
  });

  test('a cancelled diagnostics request is answered as cancelled, not as an empty list', async () => {
    const createService = (host: LanguageServiceHost): LanguageService => ({
      ...createLanguageService(host),
      diagnose: () => {
        throw new OperationCancelled();
      },
    });
    const { client, stop } = await startInProcess({ createService });
    try {
      await open(client);
      await assert.rejects(client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }), (error: { code?: unknown }) => error.code === -32800);
    } finally {
      stop();
    }
  });
});
