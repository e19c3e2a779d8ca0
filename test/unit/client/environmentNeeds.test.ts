// What a send without an environment asks about: the variables only environments define, read
// by the requests sent (and the named requests they read), and the environments to offer, best first.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { environmentNeed, type UnchosenScope } from '../../../client/environmentNeeds';
import { parse } from '../../../language/parser';

const scope: UnchosenScope = {
  names: ['local', 'staging', 'prod'],
  definedIn: new Map([
    ['baseUrl', ['local', 'staging', 'prod']],
    ['token', ['staging', 'prod']],
    ['adminKey', ['prod']],
    ['user', ['local']],
  ]),
  shared: new Map([['api', '{{baseUrl}}/api']]),
  definedWithout: (name) => name === 'api',
};

describe('environmentNeed', () => {
  test('the variables a request reads, through file and $shared values, and the environments that define all of them first', () => {
    const document = parse('@items = {{api}}/items\nGET {{items}}\nAuthorization: Bearer {{token}}\n');
    const need = environmentNeed(document, document.requests, scope);
    assert.deepEqual(need?.variables, ['baseUrl', 'token']);
    assert.deepEqual(
      need?.candidates.map((candidate) => [candidate.name, candidate.lacks]),
      [
        ['staging', []],
        ['prod', []],
        ['local', ['token']],
      ],
    );
  });

  test('the named requests a request reads count, as they are sent first', () => {
    const document = parse('# @name login\nPOST {{baseUrl}}/login?u={{user}}\n\n###\nGET https://a.test/me\nAuthorization: {{login.response.body.$.token}}\n');
    const me = document.requests[1];
    assert.ok(me);
    assert.deepEqual(environmentNeed(document, [me], scope)?.candidates.map((candidate) => [candidate.name, candidate.defines]), [
      ['local', ['baseUrl', 'user']],
      ['staging', ['baseUrl']],
      ['prod', ['baseUrl']],
    ]);
  });

  test('no question when nothing only environments define is read', () => {
    const document = parse('@baseUrl = http://localhost\nGET {{baseUrl}}/{{api}}/{{unknown}}\n');
    // The sender's `definedWithout` holds the file's variables.
    assert.equal(environmentNeed(document, document.requests, { ...scope, definedWithout: (name) => name === 'api' || name === 'baseUrl' }), undefined);
  });
});
