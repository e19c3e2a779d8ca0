import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, openHttp, suiteWithLocalApi } from './fixture';

async function send(editor: vscode.TextEditor, line: number): Promise<ExchangeSummary[]> {
  return vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line, character: 0 });
}

suite('Composition from the editor', () => {
  const api = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('Send on a run line sends the named request of the imported file, with its overrides', async () => {
    const editor = await openHttp(`import ./shared-login.http\n\nrun #login (@who=editor)\n\n###\n# @ref login\nGET ${api().url}/after\n`);
    // Beside the open file, read by the runner when sent (not through the editor).
    writeFileSync(join(dirname(editor.document.uri.fsPath), 'shared-login.http'), `@who = nobody\n\n# @name login\nGET ${api().url}/login?who={{who}}\n`);
    const seenBefore = api().seen.length;
    const exchanges = await send(editor, 2);
    assert.deepEqual(
      exchanges.map((exchange) => exchange.error?.message ?? exchange.request.url),
      [`${api().url}/login?who=editor`],
    );
    assert.deepEqual(api().seen.slice(seenBefore).map((seen) => seen.path), ['/login?who=editor']);
    // `# @ref login`: sent already in this session, so only the request itself goes out.
    const [after] = await send(editor, 6);
    assert.equal(after?.response?.status, 200, after?.error?.message);
    assert.deepEqual(api().seen.slice(seenBefore).map((seen) => seen.path), ['/login?who=editor', '/after']);
  });
});
