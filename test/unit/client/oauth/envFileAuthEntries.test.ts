import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { envFileAuthEntries } from '../../../../client/oauth/envFileAuthEntries';

describe('Security.Auth entries of an env file', () => {
  test('each entry of each environment, at its name, in file order', () => {
    const text = JSON.stringify(
      {
        $shared: { Security: { Auth: { shared: { Type: 'OAuth2' } } } },
        dev: { host: 'http://dev', Security: { Auth: { 'my-app': { Type: 'OAuth2', 'Grant Type': 'Client Credentials' }, other: {} } } },
        prod: { host: 'http://prod' },
      },
      undefined,
      2,
    );
    const entries = envFileAuthEntries(text);
    assert.deepEqual(
      entries.map(({ environment, id }) => [environment, id]),
      [['$shared', 'shared'], ['dev', 'my-app'], ['dev', 'other']],
    );
    for (const entry of entries) assert.equal(text.slice(entry.start, entry.end), JSON.stringify(entry.id));
  });

  test('a file that is not a JSON object, or has no Security, has no entries', () => {
    assert.deepEqual(envFileAuthEntries('{ "dev": '), []);
    assert.deepEqual(envFileAuthEntries('[1]'), []);
    assert.deepEqual(envFileAuthEntries('{ "dev": { "Security": { "Auth": 3 } }, "x": 1 }'), []);
  });
});
