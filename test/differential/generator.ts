// Generated `.http` documents for the differential run: seeded, so a run can be repeated, and
// broad: methods, URL paths and queries that need encoding, headers the session rewrites, every
// kind of variable (file variables referencing each other, environment and private environment,
// `.env`, process environment, system variables, responses of named requests), JSON, text, form,
// file, multipart and GraphQL bodies, Content-Type variants, redirects, cookies, Basic and Digest
// auth and the directives that change sending.
//
// Every URL starts with `/d<document>/r<request>/<behaviour>/`: the responder reads the behaviour,
// and the harness files each recorded request under the request that sent it.

import type { Behaviour } from './responder';
import { randomSource } from '../bench/corpus';

/**
 * Tags of a generated request that an expected difference may name (see expectedDifferences.ts).
 * `multi-line-target-variable`: a `{{...}}` on a continuation line of a request target, which
 * 1804f58 substitutes at the wrong offsets (`?pw={{password}}` is sent as `?pw=%7B%7Bpasswords3cr...`);
 * tagged so a fix is easy to spot, not expected.
 */
export type RequestTag = 'duplicate-content-type' | 'http2' | 'ws-scheme' | 'multi-line-target-variable' | 'scripts' | 'new-syntax';

export interface GeneratedRequest {
  /** `d3/r1`: the prefix of its URL path. */
  readonly id: string;
  /** 1-based line of its request line. */
  readonly line: number;
  readonly tags: readonly RequestTag[];
}

export interface GeneratedDocument {
  readonly fileName: string;
  readonly text: string;
  readonly requests: readonly GeneratedRequest[];
}

/** The files beside the documents: env files, `.env` and body files. */
export interface GeneratedWorkspace {
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  readonly documents: readonly GeneratedDocument[];
  /** The environment to pass with `--env`. */
  readonly environment: string;
  /** Process environment variables the documents read through `$processEnv`. */
  readonly processEnv: Readonly<Record<string, string>>;
}

export interface GeneratorOptions {
  readonly count: number;
  readonly seed: number;
  readonly mainPort: number;
  readonly otherPort: number;
  /** TLS, with the test suite's certificate: requests to it say `# @insecure`. */
  readonly securePort: number;
}

export function generateWorkspace(options: GeneratorOptions): GeneratedWorkspace {
  const random = randomSource(options.seed);
  const files = new Map<string, string | Uint8Array>([
    [
      'http-client.env.json',
      JSON.stringify(
        {
          $shared: { user: 'alice', spaced: 'a b&c=d/e?f', unicode: 'caf\u00e9 \u2615', envName: 'COURIER_DIFF_SECRET', nested: '{{user}}@{{password}}' },
          diff: {
            host: `http://127.0.0.1:${options.mainPort}`,
            otherHost: `http://127.0.0.1:${options.otherPort}`,
            secureHost: `https://127.0.0.1:${options.securePort}`,
            password: 'public-pass',
          },
        },
        null,
        2,
      ),
    ],
    ['http-client.private.env.json', JSON.stringify({ diff: { password: 's3cr3t:pa ss' } }, null, 2)],
    ['.env', 'DIFF_KEY=dotenv-value-42\nDIFF_SPACED="quoted value with spaces"\n'],
    ['files/notes.txt', 'first line\nsecond line with caf\u00e9\n'],
    ['files/payload.json', '{ "fixed": true, "list": [1, 2, 3] }\n'],
    ['files/template.txt', 'user={{user}} id={{$uuid}} key={{$dotenv DIFF_KEY}}\n'],
    ['files/binary.bin', Uint8Array.from({ length: 256 }, (_, index) => index)],
  ]);
  const documents = Array.from({ length: options.count }, (_, index) => new DocumentWriter(index, random, options).write());
  return { files, documents, environment: 'diff', processEnv: { COURIER_DIFF_SECRET: 'process-secret value' } };
}

const pathSegments = [
  'items', 'with space', 'caf\u00e9', 'a%20b', '100%25', 'semi;colon', '{{unicode}}', 'emoji-\u{1F600}', '~tilde', "quote'",
  'plus+sign', '(parens)', 'a,b', 'x@y', 'colon:part', '{{spaced}}', 'caret^', 'pipe|', 'x/../y', './z', '{{user}}', 'UPPER',
  '{{$random.alphanumeric(5)}}', 'percent%', 'back`tick', 'lt<gt>',
];
const queryParameters = [
  'q=a b', 'q=a+b', 'q=%41%42', 'name={{spaced}}', 'u={{unicode}}', 'empty=', 'flag', 'list=a,b,c', "apos='x'", 'eq=a=b',
  'amp=a%26b', 'slash=/x/', 'q2=question?', 'id={{$uuid}}', 'ts={{$timestamp}}', 'r={{$randomInt 1 100}}', 'k={{$dotenv DIFF_KEY}}',
  'pct=100%', 'brackets[]=1', 'emoji=\u{1F680}', 'tab=a%09b', 'pw={{password}}', 'nested={{nested}}', 'date={{$datetime iso8601}}',
];
const systemValues = [
  '{{$uuid}}', '{{$guid}}', '{{$random.uuid}}', '{{$timestamp}}', '{{$timestamp -1 d}}', '{{$isoTimestamp}}', '{{$datetime rfc1123}}',
  '{{$datetime iso8601 1 h}}', '{{$datetime "DD.MM.YYYY HH:mm"}}', '{{$localDatetime iso8601}}', '{{$randomInt 10 20}}',
  '{{$random.integer(5, 10)}}', '{{$random.float(1, 5)}}', '{{$random.alphabetic(4)}}', '{{$random.alphanumeric(8)}}',
  '{{$random.hexadecimal(6)}}', '{{$random.email}}', '{{$processEnv COURIER_DIFF_SECRET}}', '{{$processEnv %envName}}',
  '{{$dotenv DIFF_KEY}}', '{{$dotenv DIFF_SPACED}}',
];
const bodyMethods = ['POST', 'POST', 'POST', 'PUT', 'PATCH', 'DELETE', 'QUERY', 'PROPFIND'];
const bodilessMethods = ['GET', 'GET', 'GET', 'HEAD', 'OPTIONS', 'DELETE'];
const bodyKinds = ['json', 'text', 'form', 'xml', 'file', 'template-file', 'mixed', 'multipart', 'graphql', 'duplicate-content-type'] as const;
type BodyKind = (typeof bodyKinds)[number];

class DocumentWriter {
  private readonly lines: string[] = [];
  private readonly requests: GeneratedRequest[] = [];
  private readonly fileVariables: string[] = [];
  private readonly named: string[] = [];

  constructor(
    private readonly index: number,
    private readonly random: () => number,
    private readonly options: GeneratorOptions,
  ) {}

  write(): GeneratedDocument {
    this.fileVariableBlock();
    const count = 1 + Math.floor(this.random() * 6);
    for (let request = 0; request < count; request++) this.request(request);
    const crlf = this.random() < 0.1;
    const text = `${this.lines.join('\n')}\n`;
    return { fileName: `d${String(this.index).padStart(3, '0')}.http`, text: crlf ? text.replace(/\n/g, '\r\n') : text, requests: this.requests };
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.random() * values.length)];
  }

  private chance(probability: number): boolean {
    return this.random() < probability;
  }

  private fileVariableBlock(): void {
    this.lines.push(`# Generated document ${this.index}`);
    this.lines.push(this.chance(0.8) ? `@base = {{host}}/d${this.index}` : `@base = http://127.0.0.1:${this.options.mainPort}/d${this.index}`);
    const values = ['literal value', '{{user}}-{{password}}', '{{v0}}/{{unicode}}', '{{spaced}}', this.pick(systemValues), '{{v1}}+{{nested}}'];
    const count = Math.floor(this.random() * 4);
    for (let variable = 0; variable < count; variable++) {
      // Each may read the ones before it: v2 = {{v0}}/..., so chains of file variables are covered.
      const value = values[variable + (this.chance(0.5) ? 0 : 2)] ?? 'plain';
      this.lines.push(`@v${variable} = ${value.replace(/\{\{v(\d)\}\}/g, (whole, n: string) => (Number(n) < variable ? whole : 'x'))}`);
      this.fileVariables.push(`v${variable}`);
    }
    this.lines.push('');
  }

  private request(position: number): void {
    const id = `d${this.index}/r${position}`;
    const tags: RequestTag[] = [];
    const hasBody = this.chance(0.55);
    const method = this.chance(0.05) && hasBody ? 'GRAPHQL' : hasBody ? this.pick(bodyMethods) : this.pick(bodilessMethods);
    const behaviour = this.behaviour(method);
    this.lines.push(`### request ${position}${this.chance(0.3) ? ` (${behaviour})` : ''}`);
    if (this.chance(0.2)) this.lines.push('// a comment before the request');
    // Only requests above this one may be read: a request that reads itself is a cycle.
    const readable = [...this.named];
    const name = `req${position}`;
    // A ws: request is never named: whatever a head does with it, no other request depends on it.
    const webSocket = this.chance(0.03);
    if (!webSocket && this.chance(0.5)) {
      this.lines.push(this.chance(0.8) ? `# @name ${name}` : `// @name ${name}`);
      this.named.push(name);
    }
    const originRoll = this.random();
    const secure = originRoll < 0.08;
    const origin = secure ? `{{secureHost}}/d${this.index}` : originRoll < 0.18 ? `{{otherHost}}/d${this.index}` : originRoll < 0.28 ? `{{host}}/d${this.index}` : '{{base}}';
    if (secure) this.lines.push('# @insecure');
    if (behaviour !== 'ok' && behaviour !== 'cookie' && behaviour !== 'digest' && behaviour !== 'close' && this.chance(0.3)) this.lines.push('# @no-redirect');
    if (this.chance(0.15)) this.lines.push('# @no-cookie-jar');
    if (this.chance(0.05)) this.lines.push(this.pick(['# @timeout 20', '# @connection-timeout 5 s', '# @insecure']));

    let version = '';
    const versionRoll = this.random();
    if (versionRoll < 0.25) version = ' HTTP/1.1';
    else if (versionRoll < (secure ? 0.4 : 0.28)) version = ' HTTP/2';
    else if (!secure && versionRoll < 0.31) version = ' HTTP/2 (Prior Knowledge)';
    if (version.startsWith(' HTTP/2')) tags.push('http2');
    const path = Array.from({ length: Math.floor(this.random() * 3) }, () => this.pick(pathSegments)).join('/');
    const query = Array.from({ length: Math.floor(this.random() * 4) }, () => this.pick(queryParameters));
    if (this.fileVariables.length > 0 && this.chance(0.4)) query.push(`fv={{${this.pick(this.fileVariables)}}}`);
    const fragment = this.chance(0.05) ? '#fragment' : '';
    let target = `${origin}/r${position}/${behaviour}${path === '' ? '' : `/${path}`}`;
    if (webSocket) {
      target = `ws://127.0.0.1:${this.options.mainPort}/d${this.index}/r${position}/ok`;
      tags.push('ws-scheme');
    }
    const line = this.lines.length + 1;
    if (query.length > 1 && this.chance(0.4)) {
      // The query written over several indented lines, as JetBrains allows.
      this.lines.push(`${method} ${target}`);
      query.forEach((parameter, index) => this.lines.push(`    ${index === 0 ? '?' : '&'}${parameter}${index === query.length - 1 ? `${fragment}${version}` : ''}`));
      if (query.some((parameter) => parameter.includes('{{'))) tags.push('multi-line-target-variable');
    } else {
      this.lines.push(`${method} ${target}${query.length > 0 ? `?${query.join('&')}` : ''}${fragment}${version}`);
    }
    this.headers(behaviour, hasBody, readable);
    if (hasBody) {
      const kind = method === 'GRAPHQL' ? 'graphql' : this.pick(bodyKinds);
      if (kind === 'duplicate-content-type') tags.push('duplicate-content-type');
      this.body(kind, method === 'GRAPHQL', position);
    }
    this.lines.push('');
    this.requests.push({ id, line, tags });
  }

  private behaviour(method: string): Behaviour {
    const roll = this.random();
    if (roll < 0.55) return 'ok';
    if (roll < 0.75) return this.pick(['r301', 'r302', 'r303', 'r307', 'r308', 'rcross'] as const);
    if (roll < 0.88) return 'cookie';
    if (roll < 0.95 && method !== 'HEAD') return 'digest';
    return 'close';
  }

  private headers(behaviour: Behaviour, hasBody: boolean, readable: readonly string[]): void {
    const headers: string[] = [];
    const add = (probability: number, header: () => string): void => {
      if (this.chance(probability)) headers.push(header());
    };
    add(0.5, () => `Accept: ${this.pick(['application/json', '*/*', 'text/html, application/xhtml+xml;q=0.9'])}`);
    add(0.3, () => `X-Trace: ${this.pick(systemValues)}`);
    add(0.3, () => `X-Value: ${this.pick(systemValues)} and ${this.pick(systemValues)}`);
    add(0.3, () => `X-User: {{user}}${this.chance(0.5) ? ' / {{nested}}' : ''}`);
    // Rare: a file variable may hold non-Latin-1 text, which no header can carry (both CLIs refuse it).
    if (this.fileVariables.length > 0) add(0.15, () => `X-File-Variable: {{${this.pick(this.fileVariables)}}}`);
    if (readable.length > 0) {
      add(0.5, () => `X-From-Response: {{${this.pick(readable)}.response.${this.pick(['body.$.token', 'headers.X-Token', 'body.$.nested.name', 'body.$.nested.list[1]'])}}}`);
    }
    add(0.1, () => 'X-Dup: one');
    if (headers.at(-1) === 'X-Dup: one') headers.push('X-Dup: two');
    add(0.1, () => 'X-Spaces:    padded value   ');
    add(0.05, () => 'X-Empty:');
    add(0.1, () => 'Cache-Control: no-cache');
    add(0.1, () => `Cookie: manual=1${this.chance(0.5) ? '; other={{user}}' : ''}`);
    add(0.1, () => 'User-Agent: custom-agent/1.0');
    add(0.05, () => this.pick(['Keep-Alive: timeout=5', 'Expect: 100-continue']));
    if (behaviour === 'digest') {
      headers.push(this.chance(0.5) ? 'Authorization: Digest {{user}} {{password}}' : 'Authorization: Digest alice secret');
    } else {
      add(0.15, () => this.pick(['Authorization: Basic alice:secret', 'Authorization: Basic {{user}} {{password}}', 'Authorization: Bearer {{$dotenv DIFF_KEY}}']));
    }
    if (hasBody) {
      add(0.05, () => 'Content-Length: 999');
      add(0.05, () => 'Transfer-Encoding: chunked');
    }
    // Header order is part of what is sent: shuffle a little.
    if (this.chance(0.3)) headers.reverse();
    this.lines.push(...headers);
  }

  private body(kind: BodyKind, graphqlMethod: boolean, position: number): void {
    const contentType = (value: string): void => {
      const name = this.chance(0.15) ? 'content-type' : 'Content-Type';
      this.lines.push(`${name}: ${value}`);
    };
    switch (kind) {
      case 'json':
        if (this.chance(0.85)) contentType(this.pick(['application/json', 'application/json; charset=utf-8', 'application/vnd.api+json']));
        this.lines.push('', '{', `  "name": "{{user}}",`, ...(this.fileVariables.length > 0 ? [`  "fileVariable": "{{${this.pick(this.fileVariables)}}}",`] : []), `  "value": "${this.pick(systemValues).replace(/"/g, "'")}",`, '  "unicode": "{{unicode}}",', `  "n": ${position}`, '}');
        return;
      case 'text':
        contentType(this.pick(['text/plain', 'text/plain; charset=utf-8', 'text/csv']));
        this.lines.push('', 'plain text line one {{user}}', '', 'line three with  double  spaces\t and a tab', `${this.pick(systemValues)}`);
        return;
      case 'form':
        contentType(this.pick(['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=UTF-8']));
        this.lines.push('', 'a=1', '&b={{spaced}}', `&c=${this.pick(['x y', '{{unicode}}', '{{$randomInt 1 5}}'])}`);
        return;
      case 'xml':
        contentType('application/xml');
        this.lines.push('', '<?xml version="1.0"?>', '<item>', '  <name>{{user}}</name>', '</item>');
        return;
      case 'file':
        contentType(this.pick(['application/octet-stream', 'image/png']));
        this.lines.push('', this.pick(['< ./files/binary.bin', '< ./files/notes.txt', '< files/payload.json']));
        return;
      case 'template-file':
        contentType('text/plain');
        this.lines.push('', '<@ ./files/template.txt');
        return;
      case 'mixed':
        contentType('text/plain');
        this.lines.push('', 'before the file {{user}}', '< ./files/notes.txt', 'after the file');
        return;
      case 'multipart': {
        const boundary = `----DiffBoundary${position}`;
        contentType(`multipart/form-data; boundary=${boundary}`);
        this.lines.push('', `--${boundary}`, 'Content-Disposition: form-data; name="field"', '', 'value {{user}}');
        if (this.chance(0.7)) this.lines.push(`--${boundary}`, 'Content-Disposition: form-data; name="notes"; filename="notes.txt"', 'Content-Type: text/plain', '', '< ./files/notes.txt');
        if (this.chance(0.5)) this.lines.push(`--${boundary}`, 'Content-Disposition: form-data; name="bytes"; filename="binary.bin"', 'Content-Type: application/octet-stream', '', '< ./files/binary.bin');
        if (this.chance(0.3)) this.lines.push(`--${boundary}`, 'Content-Disposition: form-data; name="template"', '', '<@ ./files/template.txt');
        this.lines.push(`--${boundary}--`);
        return;
      }
      case 'graphql':
        if (!graphqlMethod) this.lines.push('X-Request-Type: GraphQL');
        this.lines.push('', 'query Items($first: Int) {', '  items(first: $first, owner: "{{user}}") { id name }', '}');
        if (this.chance(0.6)) this.lines.push('', '{', `  "first": ${position + 1},`, '  "owner": "{{user}}"', '}');
        return;
      case 'duplicate-content-type':
        // The parser takes the last Content-Type and prepare the first: issue 12 makes them agree.
        this.lines.push('Content-Type: text/plain', 'Content-Type: application/x-www-form-urlencoded', '', 'a=1', '&b={{spaced}}');
        return;
    }
  }
}
