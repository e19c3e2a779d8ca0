// `courier.environments` in the language server: environments and variables defined only in
// settings are known to diagnostics, completion and hover, below the env files, as when sending.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { parseEnvironmentFile } from '../../../language/environments';
import { defaultSettings, environmentsWithSettings, normalizeSettings } from '../../../server/settings';
import { startInProcess } from './inProcessServer';
import { pullClientCapabilities, waitFor, type TestClient } from './lspClient';

const environmentsSetting = (value: Record<string, Record<string, string>>): ReadonlyMap<string, ReadonlyMap<string, string>> =>
  new Map(Object.entries(value).map(([name, variables]) => [name, new Map(Object.entries(variables))]));

const envFile = parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: '{"$shared": {"version": "v1"}, "dev": {"host": "dev.example"}, "prod": {"host": "prod.example"}}' });

describe('normalizeSettings', () => {
  test('reads courier.environments as the extension does, numbers and booleans as text', () => {
    const settings = normalizeSettings({ environment: ' stage ', environments: { $shared: { retries: 2 }, stage: { host: 'stage.example', secure: true } } });
    assert.equal(settings.environment, 'stage');
    assert.deepEqual([...settings.environments.get('stage') ?? []], [['host', 'stage.example'], ['secure', 'true']]);
    assert.deepEqual([...settings.environments.get('$shared') ?? []], [['retries', '2']]);
  });

  test('a malformed courier.environments falls back to none; the active name is kept', () => {
    for (const environments of ['dev', [1], { dev: 'localhost' }, { dev: { host: { nested: true } } }]) {
      const settings = normalizeSettings({ environment: 'dev', environments });
      assert.equal(settings.environments.size, 0, JSON.stringify(environments));
      assert.equal(settings.environment, 'dev');
    }
    assert.equal(normalizeSettings(null), defaultSettings);
    assert.equal(normalizeSettings('courier'), defaultSettings);
  });
});

describe('environmentsWithSettings', () => {
  test("keeps the env files' auth configurations, active environment or none", () => {
    const withAuth = parseEnvironmentFile({ uri: 'file:///w/http-client.env.json', text: '{"dev": {"Security": {"Auth": {"my-app": {"Type": "OAuth2"}}}}}' });
    for (const active of ['dev', undefined]) {
      const snapshot = environmentsWithSettings([withAuth], active, environmentsSetting({ stage: { host: 'stage.example' } }));
      assert.deepEqual([...(snapshot.security?.keys() ?? [])], ['dev'], String(active));
      assert.match(snapshot.security?.get('dev')?.text ?? '', /"my-app"/);
    }
  });

  const fromSettings = environmentsSetting({ $shared: { version: 'v0', region: 'eu' }, dev: { host: 'settings.example', token: 'dev-token' }, stage: { host: 'stage.example', key: 'k' } });

  test('env files win name by name; settings fill in the rest and say where they come from', () => {
    const snapshot = environmentsWithSettings([envFile], 'dev', fromSettings);
    assert.equal(snapshot.active, 'dev');
    assert.deepEqual(snapshot.names, ['dev', 'prod', 'stage'], 'file environments first, then those only settings define');
    const value = (name: string) => snapshot.variables.get(name)?.value;
    assert.deepEqual([value('host'), value('version'), value('token'), value('region'), value('key')], ['dev.example', 'v1', 'dev-token', 'eu', undefined]);
    const token = snapshot.variables.get('token');
    assert.equal(token?.source, 'settings');
    assert.equal(token?.environment, 'dev');
    assert.equal(token?.location, undefined, 'a setting has no file location');
    const region = snapshot.variables.get('region');
    assert.equal(region?.source, 'settings');
    assert.equal(region?.environment, '$shared');
    assert.equal(snapshot.variables.get('host')?.source, 'environment');
    assert.equal(snapshot.variables.get('host')?.location?.uri, envFile.uri);
  });

  test('an environment only settings define gets the files\' $shared, not the union of their environments', () => {
    const snapshot = environmentsWithSettings([envFile], 'stage', fromSettings);
    assert.equal(snapshot.active, 'stage');
    assert.equal(snapshot.variables.get('host')?.value, 'stage.example', 'dev and prod of the file do not apply to stage');
    assert.equal(snapshot.variables.get('version')?.value, 'v1', "the file's $shared wins over settings' $shared");
    assert.equal(snapshot.variables.get('key')?.value, 'k');
    assert.equal(snapshot.variables.has('token'), false, 'dev-only settings variables stay out of stage');
  });

  test('with no active environment, every settings environment joins the union', () => {
    const snapshot = environmentsWithSettings([envFile], undefined, fromSettings);
    assert.equal(snapshot.active, undefined);
    assert.deepEqual(['host', 'version', 'token', 'key', 'region'].map((name) => snapshot.variables.has(name)), [true, true, true, true, true]);
    assert.equal(snapshot.variables.get('host')?.location?.uri, envFile.uri);
  });

  test('without env files, settings alone define the environments', () => {
    const snapshot = environmentsWithSettings([], 'dev', fromSettings);
    assert.deepEqual(snapshot.names, ['dev', 'stage']);
    assert.deepEqual([...snapshot.variables.keys()].sort(), ['host', 'region', 'token', 'version']);
    assert.equal(snapshot.variables.get('version')?.value, 'v0');
  });
});

const uri = 'file:///w/api.http';

/** The real server in-process, its client answering `workspace/configuration` with `configuration.courier`. */
async function startServer(files: Readonly<Record<string, string>>, configuration: { courier: unknown }): Promise<{ client: TestClient; stop: () => void }> {
  const capabilities = { ...pullClientCapabilities, workspace: { ...pullClientCapabilities.workspace, didChangeConfiguration: { dynamicRegistration: true } } };
  return startInProcess(
    { readText: (path) => files[path] },
    {
      capabilities,
      beforeInitialize: (client) =>
        client.connection.onRequest('workspace/configuration', (params: { readonly items: readonly unknown[] }) => params.items.map(() => configuration.courier)),
    },
  );
}

describe('language server with courier.environments', () => {
  const files = { '/w/http-client.env.json': '{"dev": {"host": "dev.example"}}' };
  const text = 'GET https://{{host}}/items?token={{token}}\nX-Stage: {{stageOnly}}\n';

  test('variables defined only in settings are not reported undefined, and a change of settings refreshes diagnostics', async () => {
    const configuration = { courier: { environment: 'dev', environments: { dev: { token: 't' } } } as unknown };
    const { client, stop } = await startServer(files, configuration);
    try {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text } });
      const messages = async () => (await client.connection.sendRequest<{ items: { code: unknown; message: string }[] }>('textDocument/diagnostic', { textDocument: { uri } })).items.filter((item) => item.code === 'http.variable.undefined').map((item) => item.message);
      const first = await messages();
      assert.equal(first.length, 1, first.join('\n'));
      assert.match(first[0] ?? '', /stageOnly/, 'host comes from the env file, token from settings; only stageOnly is undefined');

      configuration.courier = { environment: 'stage', environments: { dev: { token: 't' }, stage: { stageOnly: 's', token: 'u' } } };
      const before = client.refreshes.count;
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await waitFor('a diagnostics refresh after the settings changed', () => client.refreshes.count > before);
      const second = await messages();
      assert.equal(second.length, 1, second.join('\n'));
      assert.match(second[0] ?? '', /host/, 'stage is defined in settings only: the file\'s dev host no longer applies, stageOnly and token do');

      const environments: unknown = await client.connection.sendRequest('courier/environments', { uri });
      assert.deepEqual(environments, { names: ['dev', 'stage'], files: ['file:///w/http-client.env.json'], active: 'stage' });
    } finally {
      stop();
    }
  });

  test('completion offers settings variables and hover says they come from courier.environments', async () => {
    const configuration = { courier: { environment: 'dev', environments: { $shared: { region: 'eu' }, dev: { token: 'from-settings' } } } as unknown };
    const { client, stop } = await startServer(files, configuration);
    try {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'http', version: 1, text: 'GET https://{{host}}/?t={{token}}\nX-Region: {{}}\n' } });
      const completion = await client.connection.sendRequest<{ items: { label: string; documentation?: { value: string } }[] } | { label: string }[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line: 1, character: 12 },
      });
      const items = Array.isArray(completion) ? completion : completion.items;
      const labels = items.map((item) => item.label);
      for (const name of ['host', 'token', 'region']) assert.ok(labels.includes(name), `${name} offered; got ${labels.join(', ')}`);

      const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 27 } });
      assert.match(hover?.contents.value ?? '', /\*\*token\*\* \(dev environment in the `courier\.environments` setting\)/);
      assert.match(hover?.contents.value ?? '', /from-settings/);
      const fileHover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 15 } });
      assert.match(fileHover?.contents.value ?? '', /in `http-client\.env\.json`/, 'the env file still supplies host');
      const definition: unknown = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: 27 } });
      assert.deepEqual(definition, [], 'a setting is not a file to jump to');
    } finally {
      stop();
    }
  });
});
