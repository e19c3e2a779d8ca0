import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import type { Exchange, PreparedRequest } from '../../../engine/model';
import type { SentRequest } from '../../../engine/requestVariables';
import { Resolver, UnsentRequestError, VariableError, type VariableScope } from '../../../engine/variables';

function scope(parts: Partial<VariableScope> = {}): VariableScope {
  let uuids = 0;
  return {
    overrides: new Map(),
    fileVariables: new Map(),
    environment: new Map(),
    prompted: new Map(),
    sentRequest: () => undefined,
    system: {
      now: () => new Date('2024-01-02T03:04:05.000Z'),
      random: () => 0.5,
      uuid: () => `uuid-${++uuids}`,
      processEnv: () => undefined,
      dotenv: () => undefined,
    },
    ...parts,
  };
}

function sentLogin(token: string): SentRequest {
  const prepared: PreparedRequest = {
    method: 'POST',
    url: 'http://127.0.0.1/login',
    headers: [['Content-Type', 'application/json']],
    body: [new TextEncoder().encode('{"user":"ann"}')],
    options: { followRedirects: true, maxRedirects: 10, useCookieJar: true, timeoutMs: undefined, connectTimeoutMs: undefined, insecure: false, retries: 0 },
    origin: { file: '/x.http', line: 1, name: 'login' },
  };
  const exchange: Exchange = {
    request: { method: 'POST', url: prepared.url, headers: prepared.headers, bodySize: 14 },
    origin: prepared.origin,
    response: {
      status: 200,
      statusText: 'OK',
      httpVersion: '1.1',
      headers: [['X-Session', 'abc']],
      body: { size: 0, encodedSize: 0, prefix: new TextEncoder().encode(JSON.stringify({ token })), file: undefined, contentType: 'application/json', charset: 'utf-8' },
    },
    redirects: [],
    timings: { total: 1 },
    error: undefined,
    warnings: [],
  };
  return { prepared, exchange };
}

function failure(resolver: Resolver, text: string): VariableError {
  try {
    resolver.substitute(text);
  } catch (error) {
    assert.ok(error instanceof VariableError, String(error));
    return error;
  }
  assert.fail(`${text} should not resolve`);
}

describe('variable resolution', () => {
  test('text without references is returned as is, references are replaced in place', () => {
    const resolver = new Resolver(scope({ fileVariables: new Map([['host', 'example.com']]) }));
    assert.equal(resolver.substitute('no refs { here }'), 'no refs { here }');
    assert.equal(resolver.substitute('https://{{host}}/a?b={{ host }}'), 'https://example.com/a?b=example.com');
  });

  test('--var overrides win over file, environment and request variables', () => {
    const resolver = new Resolver(
      scope({
        overrides: new Map([['host', 'cli.test'], ['login.response.body.$.token', 'forced']]),
        fileVariables: new Map([['host', 'file.test']]),
        environment: new Map([['host', 'env.test']]),
        sentRequest: () => sentLogin('real'),
      }),
    );
    assert.equal(resolver.substitute('{{host}} {{login.response.body.$.token}}'), 'cli.test forced');
  });

  test('file variables win over the environment, which wins over prompt answers', () => {
    const resolver = new Resolver(
      scope({
        fileVariables: new Map([['a', 'file']]),
        environment: new Map([['a', 'env'], ['b', 'env']]),
        prompted: new Map([['a', 'prompt'], ['b', 'prompt'], ['c', 'prompt']]),
      }),
    );
    assert.equal(resolver.substitute('{{a}} {{b}} {{c}}'), 'file env prompt');
  });

  test('file and environment values reference other variables recursively', () => {
    const resolver = new Resolver(
      scope({
        fileVariables: new Map([['base', 'https://{{host}}:{{port}}'], ['url', '{{base}}/v1']]),
        environment: new Map([['host', 'api.{{domain}}'], ['domain', 'test'], ['port', '8443']]),
      }),
    );
    assert.equal(resolver.substitute('{{url}}/items'), 'https://api.test:8443/v1/items');
  });

  test('a system variable inside a file variable is computed once per request', () => {
    const resolver = new Resolver(scope({ fileVariables: new Map([['id', '{{$uuid}}']]) }));
    assert.equal(resolver.substitute('{{id}} {{id}} {{$uuid}}'), 'uuid-1 uuid-1 uuid-2');
  });

  test('a cycle is an error naming the variables in it', () => {
    const resolver = new Resolver(scope({ fileVariables: new Map([['a', '{{b}}'], ['b', 'x{{c}}'], ['c', '{{a}}']]) }));
    const error = failure(resolver, 'go {{a}}');
    assert.match(error.message, /cycle: a -> b -> c -> a/);
  });

  test('an undefined variable says where it could be defined', () => {
    const error = failure(new Resolver(scope()), '{{token}}');
    assert.equal(error.expression, 'token');
    assert.match(error.message, /variable token is not defined: define it with @token = value .*--var token=value/);
  });

  test('request variables read the named request sent earlier; unsent ones ask to be sent first', () => {
    const resolver = new Resolver(scope({ sentRequest: (name) => (name === 'login' ? sentLogin('t0k') : undefined) }));
    assert.equal(resolver.substitute('Bearer {{login.response.body.$.token}} {{login.response.headers.x-session}}'), 'Bearer t0k abc');
    const error = failure(resolver, '{{other.response.body.$.id}}');
    assert.ok(error instanceof UnsentRequestError);
    assert.equal(error.requestName, 'other');
  });

  test('system variables resolve, %NAME indirection goes through the variable order', () => {
    const resolver = new Resolver(
      scope({
        fileVariables: new Map([['keyName', 'SECRET']]),
        system: { ...scope().system, dotenv: (key) => (key === 'SECRET' ? 's3cr3t' : undefined) },
      }),
    );
    assert.equal(resolver.substitute('{{$timestamp}}-{{$dotenv %keyName}}'), '1704164645-s3cr3t');
    assert.match(failure(resolver, '{{$nope}}').message, /unknown system variable \$nope/);
  });

  test('unterminated and invalid references are errors, not silent text', () => {
    assert.match(failure(new Resolver(scope()), 'a {{host').message, /not closed/);
    assert.match(failure(new Resolver(scope()), 'a {{login.foo}}').message, /not a variable name/);
  });

  test('a value longer than a string can be is an error naming the variable, not a RangeError from concatenation', () => {
    // Each level doubles the one below: 2^40 characters, far past V8's longest string.
    const levels = 40;
    const fileVariables = new Map(Array.from({ length: levels }, (_, level): [string, string] => [`v${level}`, `{{v${level + 1}}}{{v${level + 1}}}`]));
    fileVariables.set(`v${levels}`, 'ab');
    const error = failure(new Resolver(scope({ fileVariables })), '{{v0}}');
    assert.match(error.message, /expands to more than \d+ characters/);
  });
});
