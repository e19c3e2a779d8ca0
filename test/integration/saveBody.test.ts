// Save Response Body, driven with a target URI (the argument the command takes instead of
// asking with a save dialog): the last response's bytes land in that file, copied from the
// engine's temp file when the body was too large to keep in memory. A folder gets the name the
// dialog would offer. And a request with `>> file` has its body saved there when it is sent.
import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { Exchange } from '../../engine/model';
import { closeAllEditors, courierApi, openHttp, removeHttpFiles } from './fixture';
import { waitFor } from './poll';

/** The panel's byte limit the test sets; the extension keeps no more than that of a body in memory. */
const inMemoryLimit = 1024 * 1024;
/** Larger than that limit, so the body spills to a temp file. */
const bigBodyBytes = 3 * inMemoryLimit + 17;

/** Bytes that differ from position to position, so a truncated or shifted copy is caught. */
function patterned(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index++) bytes[index] = (index * 31 + (index >> 10)) & 0xff;
  return bytes;
}

suite('Save Response Body', () => {
  let server: http.Server;
  let base = '';
  let folder = '';
  const big = patterned(bigBodyBytes);

  suiteSetup(async () => {
    await openHttp('GET http://127.0.0.1:9/\n');
    await courierApi();
    await closeAllEditors();
    folder = mkdtempSync(join(tmpdir(), 'courier-save-'));
    server = http.createServer((request, response) => {
      if (request.url === '/big') {
        response.setHeader('Content-Type', 'application/octet-stream');
        response.end(big);
        return;
      }
      if (request.url === '/export') {
        response.setHeader('Content-Type', 'application/pdf');
        response.setHeader('Content-Disposition', `attachment; filename="fallback.pdf"; filename*=UTF-8''Q3%20report.pdf`);
        response.end('%PDF-1.4 not really');
        return;
      }
      response.setHeader('Content-Type', 'application/json');
      response.end('{"saved": "yes", "emoji": "✓"}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  suiteTeardown(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(folder, { recursive: true, force: true });
    removeHttpFiles();
  });
  teardown(closeAllEditors);

  async function sendFirstRequest(text: string): Promise<Exchange> {
    const editor = await openHttp(text);
    const [exchange] = await vscode.commands.executeCommand<Exchange[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
    assert.ok(exchange, 'one exchange');
    assert.equal(exchange.response?.status, 200, exchange.error?.message);
    return exchange;
  }

  test('writes the last response body byte for byte to the URI given', async () => {
    await sendFirstRequest(`GET ${base}/small\n`);
    const target = vscode.Uri.file(join(folder, 'small.json'));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('courier.saveResponseBody', target);
    assert.equal(saved?.fsPath, target.fsPath);
    assert.equal(readFileSync(target.fsPath, 'utf8'), '{"saved": "yes", "emoji": "✓"}');
  });

  test('a body too large to keep in memory is saved whole, from its temp file', async () => {
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('responsePanel.maxBodyBytes', inMemoryLimit, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get('responsePanel.maxBodyBytes') === inMemoryLimit ? true : undefined));
      const exchange = await sendFirstRequest(`GET ${base}/big\n`);
      assert.ok(exchange.response?.body.file, 'the engine spilled the body to a temp file');
      const target = join(folder, 'big.bin');
      // The command also takes the target as a URI string.
      const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('courier.saveResponseBody', vscode.Uri.file(target).toString());
      assert.equal(saved?.fsPath, target);
      const written = readFileSync(target);
      assert.equal(written.length, bigBodyBytes);
      assert.ok(written.equals(big), 'the saved bytes are the bytes the server sent');
    } finally {
      await configuration.update('responsePanel.maxBodyBytes', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a folder given to the command gets the Content-Disposition name the save dialog offers', async () => {
    await sendFirstRequest(`GET ${base}/export\n`);
    const into = join(folder, 'downloads');
    mkdirSync(into);
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>('courier.saveResponseBody', vscode.Uri.file(into));
    assert.equal(saved?.fsPath, join(into, 'Q3 report.pdf'));
    assert.equal(readFileSync(join(into, 'Q3 report.pdf'), 'utf8'), '%PDF-1.4 not really');
  });

  test('>> file saves the body there when the request is sent, byte for byte; >> keeps an existing file, >>! replaces it', async () => {
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('responsePanel.maxBodyBytes', inMemoryLimit, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get('responsePanel.maxBodyBytes') === inMemoryLimit ? true : undefined));
      const editor = await openHttp(`GET ${base}/big\n\n>> saved/big.bin\n\n###\nGET ${base}/small\n\n>>! saved/small.json\n`);
      const saved = join(dirname(editor.document.uri.fsPath), 'saved');
      const send = (line: number) => vscode.commands.executeCommand<Exchange[]>('courier.sendRequest', editor.document.uri, { line, character: 0 });

      const [first] = await send(0);
      assert.equal(first?.response?.status, 200, first?.error?.message);
      assert.ok(first?.response?.body.file, 'the engine spilled the body to a temp file');
      assert.ok(readFileSync(join(saved, 'big.bin')).equals(big), 'the file holds the bytes the server sent');

      await send(0);
      assert.ok(readFileSync(join(saved, 'big-1.bin')).equals(big), '>> took a new name');
      await send(5);
      await send(5);
      assert.equal(readFileSync(join(saved, 'small.json'), 'utf8'), '{"saved": "yes", "emoji": "✓"}');
      assert.deepEqual(readdirSync(saved).sort(), ['big-1.bin', 'big.bin', 'small.json'], '>>! replaced its file, and no temp file is left');
    } finally {
      await configuration.update('responsePanel.maxBodyBytes', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
