// `# @prompt` and `# @note` through the real commands. VS Code offers no API to type into an
// input box, but its commands accept or close one, so the tests answer with an empty value or
// dismiss it. Modal dialogs cannot be answered at all: the test host refuses to show them
// (VS Code's DialogService in extension test runs), which is how the @note test sees that
// nothing is sent without a confirmation.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Exchange } from '../../engine/model';
import { closeAllEditors, openHttp, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

/** Sends the request on line `line`, running `answer` every 100 ms until the send has finished. */
async function sendAnswering(editor: vscode.TextEditor, line: number, answer: string | undefined): Promise<readonly Exchange[]> {
  let finished = false;
  const sending = Promise.resolve(vscode.commands.executeCommand<Exchange[]>('courier.sendRequest', editor.document.uri, { line, character: 0 })).finally(() => {
    finished = true;
  });
  while (answer !== undefined && !finished) {
    await vscode.commands.executeCommand(answer);
    await Promise.race([sending, new Promise((resolve) => setTimeout(resolve, 100))]);
  }
  return sending;
}

suite('Prompts and notes', () => {
  const api = suiteWithLocalApi();
  suiteSetup(async () => {
    await vscode.commands.executeCommand('courier.switchEnvironment', '');
  });
  teardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await closeAllEditors();
  });

  test('# @prompt asks with an input box and sends the answer', async () => {
    const editor = await openHttp(`# @prompt city Which city?\nGET ${api().url}/weather?city={{city}}\n`);
    const before = api().seen.length;
    const [exchange] = await sendAnswering(editor, 1, 'workbench.action.acceptSelectedQuickOpenItem');
    assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
    assert.equal(api().seen.length, before + 1);
    assert.equal(api().seen.at(-1)?.path, '/weather?city=', 'the accepted (empty) answer is substituted');
  });

  test('dismissing the input box sends nothing and says which variable had no value', async () => {
    const editor = await openHttp(`# @prompt token\nGET ${api().url}/secret?t={{token}}\n`);
    const before = api().seen.length;
    const [exchange] = await sendAnswering(editor, 1, 'workbench.action.closeQuickOpen');
    assert.equal(exchange?.response, undefined);
    assert.equal(exchange?.error?.code, 'aborted');
    assert.match(exchange?.error?.message ?? '', /no value was given for token/);
    assert.equal(api().seen.length, before, 'nothing reached the server');
  });

  test('a prompt whose variable courier.environments defines is not asked', async () => {
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('environments', { $shared: { city: 'Oslo' } }, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get<Record<string, unknown>>('environments')?.$shared === undefined ? undefined : true));
      const editor = await openHttp(`# @prompt city\nGET ${api().url}/weather?city={{city}}\n`);
      // No answering: an input box would leave the send waiting until the suite's time-out.
      const [exchange] = await sendAnswering(editor, 1, undefined);
      assert.equal(exchange?.response?.status, 200, exchange?.error?.message);
      assert.equal(api().seen.at(-1)?.path, '/weather?city=Oslo');
    } finally {
      await configuration.update('environments', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a # @note request is not sent without a confirmation', async () => {
    const editor = await openHttp(`# @note Deletes every item\nDELETE ${api().url}/items\n`);
    const before = api().seen.length;
    const exchanges = await vscode.commands.executeCommand<Exchange[]>('courier.sendRequest', editor.document.uri, { line: 1, character: 0 });
    assert.deepEqual(exchanges, [], 'the confirmation was not given, so nothing was sent');
    assert.equal(api().seen.length, before, 'nothing reached the server');
  });
});
