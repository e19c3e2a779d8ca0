// Other tools' settings and files, unchanged: Visual Studio's http-client.env.json.user and
// REST Client's settings, read by a real VS Code.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, fixtureFolder, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

async function sendFirst(file: string): Promise<ExchangeSummary[]> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
  return vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
}

suite("Other tools' settings and files", () => {
  const api = suiteWithLocalApi();
  teardown(async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
    await closeAllEditors();
  });

  test("Visual Studio's http-client.env.json.user overrides the env file beside it", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'courier-vs-env-'));
    try {
      writeFileSync(join(folder, 'http-client.env.json'), JSON.stringify({ dev: { base: api().url, where: 'from-team-file' } }));
      writeFileSync(join(folder, 'http-client.env.json.user'), JSON.stringify({ dev: { where: 'from-user-file' } }));
      writeFileSync(join(folder, 'api.http'), 'GET {{base}}/{{where}}\n');
      assert.equal(await vscode.commands.executeCommand('courier.switchEnvironment', 'dev'), 'dev');
      const [exchange] = await sendFirst(join(folder, 'api.http'));
      assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
      assert.equal(api().seen.at(-1)?.path, '/from-user-file');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test("REST Client's environments and default headers apply where Courier's settings are not set", async () => {
    // REST Client is not installed, so its settings are not registered and `update` would refuse
    // them; a user's settings.json holds them all the same, which is the case this covers.
    const settingsFolder = vscode.Uri.joinPath(fixtureFolder(), '.vscode').fsPath;
    const folder = mkdtempSync(join(tmpdir(), 'courier-rest-client-'));
    mkdirSync(settingsFolder, { recursive: true });
    try {
      writeFileSync(
        join(settingsFolder, 'settings.json'),
        JSON.stringify({
          'rest-client.environmentVariables': { $shared: { sharedPath: 'shared-part' }, 'rc-local': { base: api().url, where: '{{$shared sharedPath}}' } },
          'rest-client.defaultHeaders': { 'X-From-Rest-Client': 'yes' },
        }),
      );
      await waitFor('VS Code to read the REST Client settings', () => (vscode.workspace.getConfiguration('rest-client').get('environmentVariables') === undefined ? undefined : true));
      writeFileSync(join(folder, 'api.http'), 'GET {{base}}/{{where}}\n');
      const exchange = await waitFor('the rest-client environment to be sent', async () => {
        await vscode.commands.executeCommand('courier.switchEnvironment', 'rc-local');
        const [sent] = await sendFirst(join(folder, 'api.http'));
        return sent?.response?.status === 200 ? sent : undefined;
      });
      assert.equal(exchange.request.url, `${api().url}/shared-part`);
      assert.equal(api().seen.at(-1)?.headers['x-from-rest-client'], 'yes');
    } finally {
      rmSync(settingsFolder, { recursive: true, force: true });
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
