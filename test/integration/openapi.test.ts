// Responses checked against the OpenAPI spec beside the `.http` file, in the real editor: a
// response that breaks the spec shows its violations in the panel's Tests section (with the field
// path, expected and actual), a request with `# @no-openapi` is not judged, and
// `courier.openapi.validateResponses` turns the checks off.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExchangeSummary } from '../../client/sentExchanges';
import { closeAllEditors, courierApi, openHttp, suiteWithLocalApi } from './fixture';
import { waitFor } from './poll';

/** The local API answers `{"path": ..., "cookie": ...}`; this spec promises an integer path and an id. */
const spec = `openapi: 3.1.0
info: { title: Things, version: '1' }
paths:
  /things/{id}:
    get:
      responses:
        '200':
          description: A thing.
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  path: { type: integer }
`;

suite('OpenAPI response checks in the panel', () => {
  const localApi = suiteWithLocalApi();
  teardown(closeAllEditors);

  test('a response that breaks the spec beside the file shows its violations in the panel\'s Tests section; # @no-openapi opts out', async () => {
    const editor = await openHttp(`GET ${localApi().url}/things/7\n\n###\n# @no-openapi\nGET ${localApi().url}/things/8\n`);
    writeFileSync(path.join(path.dirname(editor.document.uri.fsPath), 'openapi.yaml'), spec);
    const api = await courierApi();
    const sent = await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
    assert.equal(sent[0]?.response?.status, 200);
    const view = await waitFor('the panel to show the checked exchange', () => ((api.responsePanelView()?.tests.length ?? 0) > 0 ? api.responsePanelView() : undefined));
    assert.deepEqual(
      view.tests.map((test) => [test.name, test.outcome, test.kind]),
      [
        ['OpenAPI: GET /things/{id} 200 body', 'failed', 'openapi'],
        ['OpenAPI: GET /things/{id} 200 body', 'failed', 'openapi'],
      ],
    );
    assert.match(view.tests[0]?.message ?? '', /body at \$\.id: expected required property "id", actual missing/);
    assert.match(view.tests[1]?.message ?? '', /body at \$\.path: expected type integer, actual "\/things\/7" \(string\)/);
    assert.equal(view.tests[1]?.expected, '$.path: type integer');
    assert.equal(view.tests[1]?.actual, '"/things/7" (string)');

    await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 4, character: 0 });
    await waitFor('the panel to show the opted-out exchange', () => (api.responsePanelView()?.request.url.endsWith('/things/8') === true ? true : undefined));
    assert.deepEqual(api.responsePanelView()?.tests, []);
  });

  test('courier.openapi.validateResponses: false checks nothing', async () => {
    const configuration = vscode.workspace.getConfiguration('courier');
    await configuration.update('openapi.validateResponses', false, vscode.ConfigurationTarget.Global);
    try {
      await waitFor('the setting to reach the extension', () => (vscode.workspace.getConfiguration('courier').get<boolean>('openapi.validateResponses') === false ? true : undefined));
      const editor = await openHttp(`GET ${localApi().url}/things/9\n`);
      writeFileSync(path.join(path.dirname(editor.document.uri.fsPath), 'openapi.yaml'), spec);
      const api = await courierApi();
      await vscode.commands.executeCommand<ExchangeSummary[]>('courier.sendRequest', editor.document.uri, { line: 0, character: 0 });
      await waitFor('the panel to show the exchange', () => (api.responsePanelView()?.request.url.endsWith('/things/9') === true ? true : undefined));
      assert.deepEqual(api.responsePanelView()?.tests, []);
    } finally {
      await configuration.update('openapi.validateResponses', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
