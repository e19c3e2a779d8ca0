// The Postman importer, text for text: what each construct of a collection becomes in the `.http`
// and env files, and what is reported as not converted.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { importPostmanCollection, PostmanImportError, type PostmanImport } from '../../../../engine/importers/postman';
import { diagnose } from '../../../../language/diagnostics';
import { buildEnvironmentSnapshot, parseEnvironmentFile } from '../../../../language/environments';
import { parse } from '../../../../language/parser';

const samplesFolder = resolve(__dirname, '../../../../../samples/postman');
const readJson = (name: string): unknown => JSON.parse(readFileSync(join(samplesFolder, name), 'utf8')) as unknown;

const schema = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** A v2.1 collection named "Shop" around `item`, with `extra` top-level fields. */
function collection(item: unknown[], extra: Record<string, unknown> = {}): unknown {
  return { info: { name: 'Shop', schema }, item, ...extra };
}

function request(name: string, fields: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, request: { method: 'GET', header: [], url: 'https://shop.example/x', ...fields }, ...extra };
}

function file(result: PostmanImport, path: string): string {
  const found = result.files.find((candidate) => candidate.path === path);
  if (found === undefined) assert.fail(`no file ${path}; the files are ${result.files.map((candidate) => candidate.path).join(', ')}`);
  return found.text;
}

/** The requests of a file after its header comment, as written. */
function requests(result: PostmanImport, path: string): string {
  const text = file(result, path);
  return text.slice(text.indexOf('###'));
}

describe('the demo collection (samples/postman)', () => {
  const result = importPostmanCollection(readJson('demo.postman_collection.json'), { environment: readJson('demo.postman_environment.json') });

  test('one file per folder with requests, nested folders in a folder of the same name, then the env files', () => {
    assert.deepEqual(
      result.files.map((candidate) => candidate.path),
      ['Courier demo API.http', 'Items.http', 'Items/Search.http', 'Auth.http', 'Uploads.http', 'http-client.env.json', 'http-client.private.env.json'],
    );
    assert.equal(result.environmentName, 'Demo local');
  });

  test('every .http file parses without problems', () => {
    for (const candidate of result.files.filter((each) => each.path.endsWith('.http'))) {
      assert.deepEqual(parse(candidate.text).problems.map((problem) => `${candidate.path}: ${problem.message}`), []);
    }
  });

  test('the editor shows no diagnostics in them with the imported environment selected', () => {
    const environmentFiles = result.files.filter((each) => each.path.endsWith('.json')).map((each) => parseEnvironmentFile({ uri: `file:///out/${each.path}`, text: each.text }));
    assert.deepEqual(environmentFiles.flatMap((each) => each.problems.map((problem) => problem.message)), []);
    const environments = buildEnvironmentSnapshot(environmentFiles, result.environmentName);
    for (const candidate of result.files.filter((each) => each.path.endsWith('.http'))) {
      const diagnostics = diagnose({ uri: `file:///out/${candidate.path}`, document: parse(candidate.text), environments, host: { fileExists: () => true } });
      assert.deepEqual(diagnostics.map((diagnostic) => `${candidate.path}:${diagnostic.range.start.line + 1}: ${String(diagnostic.code)} ${typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value}`), []);
    }
  });

  test('the collection file: its description and scripts as comments, its requests with the collection auth', () => {
    assert.equal(
      file(result, 'Courier demo API.http'),
      `# Imported from the Postman collection "Courier demo API" by \`courier import postman\`.
#
# The demo API of Courier's samples (\`npm run demo-api\`), as a Postman collection.
# Try: courier import postman samples/postman/demo.postman_collection.json --environment samples/postman/demo.postman_environment.json --out samples/postman/demo
#
# Postman pre-request script, not run (Courier does not run Postman's pm.* API; rewrite it as a \`< {% %}\` script):
#   pm.collectionVariables.set("startedAt", Date.now());
# Postman test script, not run (Courier does not run Postman's pm.* API; rewrite it as a \`> {% %}\` handler or \`??\` lines):
#   pm.test("answers quickly", () => pm.expect(pm.response.responseTime).to.be.below(5000));

### API index
# @name apiIndex
# Lists the demo API's endpoints.
# Sends the collection's bearer token (inherited).
GET {{baseUrl}}/
Accept: application/json
Authorization: Bearer {{apiToken}}
`,
    );
  });

  test('a folder: API key auth inherited, disabled header and query parameter, scripts, raw JSON bodies, path variables', () => {
    assert.equal(
      file(result, 'Items.http'),
      `# Imported from the folder "Items" of a Postman collection by \`courier import postman\`.
#
# CRUD on /items. Requests here send an API key header (the folder's auth).

### List items
# @name listItems
# Disabled query parameter: name=pen
# Postman test script, not run (Courier does not run Postman's pm.* API; rewrite it as a \`> {% %}\` handler or \`??\` lines):
#   pm.test("status is 200", () => pm.response.to.have.status(200));
#   const items = pm.response.json();
#   pm.expect(items.length).to.be.at.most(2);
GET {{baseUrl}}/items?sort=name&limit=2
Accept: application/json
# X-Debug: 1
X-API-Key: {{apiToken}}

### Create item
# @name createItem
# Creates an item named after the collection variable "item name".
# Postman pre-request script, not run (Courier does not run Postman's pm.* API; rewrite it as a \`< {% %}\` script):
#   pm.variables.set("price", 3);
POST {{baseUrl}}/items
X-API-Key: {{apiToken}}
Content-Type: application/json

{
  "name": "{{item_name}}",
  "price": {{$random.integer}},
  "tags": ["paper"]
}

### Get item
# @name getItem
@id = 1
GET {{baseUrl}}/items/{{id}}
X-API-Key: {{apiToken}}

### Replace item
# @name replaceItem
@id_2 = 2
PUT {{baseUrl}}/items/{{id_2}}
Content-Type: application/json
X-API-Key: {{apiToken}}

{ "name": "Pencil (HB)", "price": 1.5, "tags": ["wood"] }
`,
    );
  });

  test('a nested folder: noauth stops inheritance, a form body is encoded as Postman sends it', () => {
    assert.equal(
      requests(result, 'Items/Search.http'),
      `### Items as XML
# @name itemsAsXML
GET {{baseUrl}}/xml

### Form echo
# @name formEcho
# Disabled form field: draft=yes
POST {{baseUrl}}/anything/form
X-API-Key: {{apiToken}}
Content-Type: application/x-www-form-urlencoded

name=Pen%20%26%20paper
&owner={{username}}
`,
    );
  });

  test('auth: Basic from the folder, Digest, noauth, bearer and an API key in the query at the request', () => {
    assert.equal(
      requests(result, 'Auth.http'),
      `### Basic (inherited from the folder)
# @name basicInheritedFromTheFolder
GET {{baseUrl}}/basic-auth/{{username}}/{{password}}
Authorization: Basic {{username}}:{{password}}

### Digest
# @name digest
@user = {{username}}
@pass = {{password}}
GET {{baseUrl}}/digest-auth/{{user}}/{{pass}}
Authorization: Digest {{username}} {{password}}

### Log in
# @name logIn
POST {{baseUrl}}/login
Content-Type: application/json

{
  "username": "{{username}}",
  "password": "{{password}}"
}

### Who am I
# @name whoAmI
# The demo API does not know apiToken, so it answers from the session cookie "Log in" set.
GET {{baseUrl}}/me
Authorization: Bearer {{apiToken}}

### API key in the query
# @name apiKeyInTheQuery
GET {{baseUrl}}/get?page=1&api_key={{apiToken}}
`,
    );
  });

  test('bodies: form-data with files, a file, GraphQL', () => {
    assert.equal(
      requests(result, 'Uploads.http'),
      `### Multipart form
# @name multipartForm
# Disabled form field: draft=yes
POST {{baseUrl}}/upload
Authorization: Bearer {{apiToken}}
Content-Type: multipart/form-data; boundary=CourierPostmanBoundary

--CourierPostmanBoundary
Content-Disposition: form-data; name="title"

Holiday notes
--CourierPostmanBoundary
Content-Disposition: form-data; name="notes"; filename="hello.txt"
Content-Type: text/plain

< ../../files/hello.txt
--CourierPostmanBoundary
Content-Disposition: form-data; name="photo"; filename="pixels.png"

< ../../files/pixels.png
--CourierPostmanBoundary--

### Raw file
# @name rawFile
POST {{baseUrl}}/anything/raw-file
Content-Type: text/csv
Authorization: Bearer {{apiToken}}

< ../../files/items.csv

### GraphQL items
# @name graphqlItems
GRAPHQL {{baseUrl}}/graphql
Authorization: Bearer {{apiToken}}

query Items($name: String) {
  items(name: $name) {
    id
    name
  }
}

{
  "name": "pen"
}
`,
    );
  });

  test('collection variables under the environment, which wins; secrets in the private file; names Courier can read', () => {
    assert.deepEqual(JSON.parse(file(result, 'http-client.env.json')), { 'Demo local': { baseUrl: 'http://127.0.0.1:4010', username: 'demo', item_name: 'Graph paper' } });
    assert.deepEqual(JSON.parse(file(result, 'http-client.private.env.json')), { 'Demo local': { password: 'secret', apiToken: 'demo-token' } });
  });

  test('notes: renamed and disabled variables, scripts not run', () => {
    assert.deepEqual(
      result.notes.map((note) => `${note.where}: ${note.message}`),
      [
        'Courier demo API: variable "item name" is written {{item_name}}: Courier\'s names are letters, digits, "_" and "-"',
        'environment Demo local: variable "unused" is disabled in Postman and was not written',
        'Courier demo API: collection scripts are kept as comments at the top of Courier demo API.http, not run',
        'Items/List items: scripts are kept as comments, not run',
        'Items/Create item: scripts are kept as comments, not run',
      ],
    );
  });
});

describe('auth', () => {
  const oauth = {
    type: 'oauth2',
    oauth2: [
      { key: 'grant_type', value: 'client_credentials' },
      { key: 'accessTokenUrl', value: '{{idp}}/token' },
      { key: 'clientId', value: 'shop-cli' },
      { key: 'clientSecret', value: 's3cret' },
      { key: 'scope', value: 'read write' },
      { key: 'client_authentication', value: 'body' },
      { key: 'tokenRequestParams', value: [{ key: 'audience', value: 'https://api.shop.example', enabled: true, send_as: 'request_body' }] },
      { key: 'accessToken', value: 'a-token-postman-got' },
    ],
  };

  test('OAuth 2.0 becomes a Security.Auth configuration (its secret in the private file) and a $auth.token header; one per distinct configuration', () => {
    const result = importPostmanCollection(
      collection([request('Orders', {}), { name: 'Admin', item: [request('Users', {})] }, request('Mine', { auth: { ...oauth, oauth2: [...oauth.oauth2.slice(0, 3), { key: 'clientSecret', value: '{{mySecret}}' }] } })], { auth: oauth }),
    );
    assert.equal(
      requests(result, 'Shop.http'),
      `### Orders
# @name orders
GET https://shop.example/x
Authorization: Bearer {{$auth.token("shop")}}

### Mine
# @name mine
GET https://shop.example/x
Authorization: Bearer {{$auth.token("mine")}}
`,
    );
    assert.match(file(result, 'Admin.http'), /Authorization: Bearer \{\{\$auth\.token\("shop"\)\}\}/);
    assert.deepEqual(JSON.parse(file(result, 'http-client.env.json')), {
      postman: {
        Security: {
          Auth: {
            shop: {
              Type: 'OAuth2',
              'Grant Type': 'Client Credentials',
              'Token URL': '{{idp}}/token',
              'Client ID': 'shop-cli',
              Scope: 'read write',
              'Client Credentials': 'in body',
              'Custom Request Parameters': { audience: { Value: 'https://api.shop.example', Use: 'In Token Request' } },
              'Client Secret': '{{shop-client-secret}}',
            },
            mine: { Type: 'OAuth2', 'Grant Type': 'Client Credentials', 'Token URL': '{{idp}}/token', 'Client ID': 'shop-cli', 'Client Credentials': 'basic', 'Client Secret': '{{mySecret}}' },
          },
        },
      },
    });
    assert.deepEqual(JSON.parse(file(result, 'http-client.private.env.json')), { postman: { 'shop-client-secret': 's3cret' } });
  });

  test('Authorization Code with PKCE and a verifier, the token in the query', () => {
    const pkce = [
      { key: 'grant_type', value: 'authorization_code_with_pkce' },
      { key: 'authUrl', value: 'https://idp.example/authorize' },
      { key: 'accessTokenUrl', value: 'https://idp.example/token' },
      { key: 'redirect_uri', value: 'http://127.0.0.1:51234/callback' },
      { key: 'clientId', value: 'app' },
      { key: 'challengeAlgorithm', value: 'plain' },
      { key: 'code_verifier', value: 'abc' },
      { key: 'addTokenTo', value: 'queryParams' },
    ];
    const result = importPostmanCollection(collection([request('Me', { auth: { type: 'oauth2', oauth2: pkce } })]));
    assert.match(requests(result, 'Shop.http'), /^GET https:\/\/shop\.example\/x\?access_token=\{\{\$auth\.token\("me"\)\}\}$/m);
    const environment = JSON.parse(file(result, 'http-client.env.json')) as { postman: { Security: { Auth: { me: Record<string, unknown> } } } };
    assert.deepEqual(environment.postman.Security.Auth.me, {
      Type: 'OAuth2',
      'Grant Type': 'Authorization Code',
      'Auth URL': 'https://idp.example/authorize',
      'Token URL': 'https://idp.example/token',
      'Redirect URL': 'http://127.0.0.1:51234/callback',
      'Client ID': 'app',
      PKCE: { 'Code Challenge Method': 'Plain', 'Code Verifier': 'abc' },
      'Client Credentials': 'basic',
    });
  });

  test('AWS Signature V4 becomes the Authorization: AWS value Courier signs with; a presigned URL is said, not converted', () => {
    const aws = [
      { key: 'accessKey', value: '{{awsKey}}' },
      { key: 'secretKey', value: '{{awsSecret}}' },
      { key: 'sessionToken', value: '{{awsToken}}' },
      { key: 'region', value: 'eu-west-1' },
      { key: 'service', value: 's3' },
    ];
    const result = importPostmanCollection(
      collection([
        request('Bucket', { auth: { type: 'awsv4', awsv4: aws } }),
        request('Presigned', { auth: { type: 'awsv4', awsv4: [...aws, { key: 'addAuthDataToQuery', value: true }] } }),
        request('Spaced', { auth: { type: 'awsv4', awsv4: [{ key: 'accessKey', value: 'AK' }, { key: 'secretKey', value: 'two words' }] } }),
      ]),
    );
    const text = requests(result, 'Shop.http');
    assert.match(text, /^Authorization: AWS \{\{awsKey\}\} \{\{awsSecret\}\} token:\{\{awsToken\}\} region:eu-west-1 service:s3$/m);
    assert.match(text, /# Not converted: AWS Signature V4 in the query \(a presigned URL\): Courier signs the Authorization header only\./);
    assert.match(text, /# Not converted: AWS Signature V4 auth: Courier's `Authorization: AWS <accessKeyId> <secretKey>` needs both keys, and each value without spaces\./);
    assert.deepEqual(result.notes.map((note) => note.where), ['Presigned', 'Spaced']);
  });

  test('Hawk and others are not converted: a comment at the request and a note', () => {
    const result = importPostmanCollection(collection([request('Hawk', { auth: { type: 'hawk', hawk: [] } })]));
    assert.equal(
      requests(result, 'Shop.http'),
      `### Hawk
# @name hawk
# Not converted: Hawk auth has no Courier equivalent; add its header by hand.
GET https://shop.example/x
`,
    );
    assert.deepEqual(result.notes.map((note) => note.where), ['Hawk']);
  });

  test('a Digest user name with a space is reported, not written in a form Courier would misread', () => {
    const result = importPostmanCollection(collection([request('Digest', { auth: { type: 'digest', digest: [{ key: 'username', value: 'ada lovelace' }, { key: 'password', value: 'pw' }] } })]));
    assert.equal(
      requests(result, 'Shop.http'),
      `### Digest
# @name digest
# Not converted: Digest auth for the user "ada lovelace": Courier's \`Authorization: Digest user password\` needs a user name without spaces.
GET https://shop.example/x
`,
    );
  });

  test('v2.0 auth objects, an Authorization header beside the auth (the auth wins), a user name with a space encoded at once', () => {
    const result = importPostmanCollection(
      collection([request('Basic', { auth: { type: 'basic', basic: { username: 'ada lovelace', password: 'pw' } }, header: [{ key: 'Authorization', value: 'Bearer old' }] })], {
        info: { name: 'Shop', schema: 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json' },
      }),
    );
    assert.equal(
      requests(result, 'Shop.http'),
      `### Basic
# @name basic
# Not converted: an Authorization header beside the request's Postman auth: the auth wins, as in Postman.
GET https://shop.example/x
# Authorization: Bearer old
Authorization: Basic ${Buffer.from('ada lovelace:pw').toString('base64')}
`,
    );
  });
});

describe('names, variables and bodies', () => {
  test('file names safe on every system and unique; request names unique across the import', () => {
    const result = importPostmanCollection(collection([{ name: 'A/B', item: [request('Get it', {})] }, { name: 'a:b', item: [request('Get it', {})] }, { name: 'CON', item: [request('1st', {})] }]));
    assert.deepEqual(
      result.files.map((candidate) => candidate.path),
      ['A-B.http', 'a-b-2.http', 'CON_.http', 'http-client.env.json'],
    );
    assert.match(file(result, 'A-B.http'), /# @name getIt$/m);
    assert.match(file(result, 'a-b-2.http'), /# @name getIt2$/m);
    assert.match(file(result, 'CON_.http'), /# @name _1st$/m);
  });

  test('variables renamed consistently, dynamic variables mapped, one without an equivalent kept and noted', () => {
    const result = importPostmanCollection(
      collection([request('Ping', { url: '{{base url}}/ping?id={{$guid}}&at={{$timestamp}}&who={{$randomFirstName}}', header: [{ key: 'X-Req', value: '{{$randomUUID}}' }] })], {
        variable: [{ key: 'base url', value: 'https://shop.example' }, { key: 'base_url', value: 'another' }],
      }),
    );
    assert.equal(
      requests(result, 'Shop.http'),
      `### Ping
# @name ping
# Not converted: Postman's dynamic variable {{$randomFirstName}} has no Courier equivalent and was kept as written.
GET {{base_url}}/ping?id={{$guid}}&at={{$timestamp}}&who={{$randomFirstName}}
X-Req: {{$uuid}}
`,
    );
    assert.deepEqual(JSON.parse(file(result, 'http-client.env.json')), { postman: { base_url: 'https://shop.example', base_url_2: 'another' } });
  });

  test('path variables: the same name with another value, or a name a variable has, gets a suffix', () => {
    const result = importPostmanCollection(
      collection([
        request('One', { url: { raw: '{{host}}/items/:id', host: ['{{host}}'], path: ['items', ':id'], variable: [{ key: 'id', value: '1' }] } }),
        request('Two', { url: { raw: '{{host}}/items/:id.json', host: ['{{host}}'], path: ['items', ':id.json'], variable: [{ key: 'id', value: '2' }] } }),
        request('Three', { url: { raw: '{{host}}/hosts/:host', host: ['{{host}}'], path: ['hosts', ':host'], variable: [{ key: 'host', value: 'x' }] } }),
      ], { variable: [{ key: 'host', value: 'https://shop.example' }] }),
    );
    assert.match(requests(result, 'Shop.http'), /@id = 1\nGET \{\{host\}\}\/items\/\{\{id\}\}\n/);
    assert.match(requests(result, 'Shop.http'), /@id_2 = 2\nGET \{\{host\}\}\/items\/\{\{id_2\}\}\.json\n/);
    assert.match(requests(result, 'Shop.http'), /@host_2 = x\nGET \{\{host\}\}\/hosts\/\{\{host_2\}\}\n/);
  });

  test('a raw body Courier would read differently (a ### line) goes to a body file, sent with its variables', () => {
    const raw = 'first line\n### not a separator\n< not a file\n{{name}}';
    const result = importPostmanCollection(collection([request('Note', { method: 'POST', body: { mode: 'raw', raw } })]));
    assert.equal(
      requests(result, 'Shop.http'),
      `### Note
# @name note
POST https://shop.example/x
Content-Type: text/plain

<@ ./Shop-note.txt
`,
    );
    assert.equal(file(result, 'Shop-note.txt'), raw);
  });

  test('a request saved without a URL keeps its title and description as comments, and is reported', () => {
    const result = importPostmanCollection(collection([request('Draft', { url: '', description: 'To do' }), request('Real', {})]));
    assert.equal(
      requests(result, 'Shop.http'),
      `### Draft
# To do
# Not converted: a request without a URL.

### Real
# @name real
GET https://shop.example/x
`,
    );
    assert.equal(parse(file(result, 'Shop.http')).requests.length, 1);
  });

  test('saved example responses are not imported, and the notes say how many requests had them', () => {
    const example = { name: 'OK', code: 200, body: '{}' };
    const result = importPostmanCollection(collection([request('One', {}, { response: [example] }), request('Two', {}, { response: [example, example] }), request('Three', {})]));
    assert.deepEqual(result.notes, [{ where: 'Shop', message: 'the saved example responses of 2 requests were not imported (they document, they are not sent)' }]);
  });

  test('protocol profile settings as directives; a GET body Postman prunes is dropped with a note', () => {
    const result = importPostmanCollection(
      collection([request('Get', { body: { mode: 'raw', raw: '{}' } }, { protocolProfileBehavior: { followRedirects: false, strictSSL: false, disableCookies: true, maxRedirects: 3 } })]),
    );
    assert.equal(
      requests(result, 'Shop.http'),
      `### Get
# @name get
# @no-redirect
# @insecure
# @no-cookie-jar
# Not converted: the setting maxRedirects: 3.
# Not converted: the body of this GET request: Postman does not send it (unless "disableBodyPruning" is set).
GET https://shop.example/x
`,
    );
  });

  test('form-data replaces a Content-Type without a boundary; GraphQL over GET keeps its method', () => {
    const result = importPostmanCollection(
      collection([
        request('Upload', { method: 'POST', header: [{ key: 'Content-Type', value: 'multipart/form-data' }], body: { mode: 'formdata', formdata: [{ key: 'a', value: '1', type: 'text' }] } }),
        request('Query', { body: { mode: 'graphql', graphql: { query: '{ items { id } }', variables: '' } } }, { protocolProfileBehavior: { disableBodyPruning: true } }),
      ]),
    );
    assert.equal(
      requests(result, 'Shop.http'),
      `### Upload
# @name upload
POST https://shop.example/x
Content-Type: multipart/form-data; boundary=CourierPostmanBoundary

--CourierPostmanBoundary
Content-Disposition: form-data; name="a"

1
--CourierPostmanBoundary--

### Query
# @name query
# Not converted: GraphQL over GET: Postman puts the query in the URL, Courier sends it as a JSON body.
GET https://shop.example/x
X-Request-Type: GraphQL

{ items { id } }
`,
    );
  });
});

describe('input that is not a collection', () => {
  const failsWith = (input: unknown, pattern: RegExp, environment?: unknown): void => {
    assert.throws(() => importPostmanCollection(input, { environment }), (error: unknown) => error instanceof PostmanImportError && pattern.test(error.message));
  };

  test('a v1 collection says how to convert it', () => {
    failsWith({ id: 'x', name: 'Old', order: [], requests: [] }, /old v1 format.*Collection v2\.1.*postman-collection-transformer convert/);
    failsWith({ info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v1.0.0/collection.json' }, item: [] }, /old v1 format/);
  });

  test('other JSON, an environment given as the collection, a collection given as the environment', () => {
    failsWith([1, 2], /not a Postman collection: expected a JSON object/);
    failsWith({ dev: { host: 'x' } }, /not a Postman collection: expected "info" and an "item" list/);
    failsWith({ name: 'Env', values: [] }, /a Postman environment, not a collection: .*--environment/);
    failsWith(collection([]), /the environment file is a Postman collection/, collection([]));
    failsWith(collection([]), /the environment file is not a Postman environment/, { dev: {} });
  });
});
