// Exchanges built by hand for reporter tests: a response, or an error with no response.

import type { EngineErrorCode, Exchange, ResponseSummary } from '../../../engine/model';
import { websocketScript, type StreamScript } from '../engine/streamTransport';

export function responseExchange(overrides: {
  status?: number;
  statusText?: string;
  name?: string;
  line?: number;
  url?: string;
  body?: string | Uint8Array;
  contentType?: string;
  charset?: string;
  warnings?: string[];
  httpVersion?: string;
} = {}): Exchange {
  const body = typeof overrides.body === 'string' ? new TextEncoder().encode(overrides.body) : (overrides.body ?? new TextEncoder().encode('{"id":1}'));
  const response: ResponseSummary = {
    status: overrides.status ?? 200,
    statusText: overrides.statusText ?? 'OK',
    httpVersion: overrides.httpVersion ?? 'HTTP/1.1',
    headers: [['content-type', overrides.contentType ?? 'application/json']],
    body: { size: body.length, encodedSize: body.length, prefix: body, file: undefined, contentType: overrides.contentType ?? 'application/json', charset: overrides.charset ?? 'utf-8' },
  };
  return {
    request: { method: 'GET', url: overrides.url ?? 'http://127.0.0.1:9/users', headers: [['accept', '*/*']], bodySize: 0 },
    origin: { file: '/tmp/api.http', line: overrides.line ?? 3, name: overrides.name },
    response,
    redirects: [],
    timings: { connect: 1, firstByte: 4, download: 1, total: 6 },
    error: undefined,
    warnings: overrides.warnings ?? [],
  };
}

export function errorExchange(code: EngineErrorCode = 'refused', message = 'connection refused by 127.0.0.1:9; is the server running?'): Exchange {
  return {
    request: { method: 'POST', url: 'http://127.0.0.1:9/login', headers: [], bodySize: 12 },
    origin: { file: '/tmp/api.http', line: 9, name: 'login' },
    response: undefined,
    redirects: [],
    timings: { total: 2 },
    error: { code, message },
    warnings: [],
  };
}

/** An exchange whose response is a stream of messages, as `StreamTransport` answers `script`. */
export function streamExchange(script: StreamScript = websocketScript, overrides: { keepLast?: number; file?: string } = {}): Exchange {
  const body = new TextEncoder().encode(script.body);
  const keepLast = overrides.keepLast ?? script.messages.length;
  const contentType = script.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    request: { method: 'GET', url: 'http://127.0.0.1:9/events', headers: [['accept', '*/*']], bodySize: 0 },
    origin: { file: '/tmp/api.http', line: 7, name: 'events' },
    response: {
      shape: 'stream',
      status: script.status,
      statusText: script.statusText,
      httpVersion: '1.1',
      headers: script.headers,
      body: { size: body.length, encodedSize: body.length, prefix: body, file: undefined, contentType, charset: 'utf-8' },
      stream: { protocol: script.protocol, messages: script.messages.slice(script.messages.length - keepLast), count: script.messages.length, file: overrides.file, end: script.end },
    },
    redirects: [],
    timings: { firstByte: 2, total: 1050 },
    error: undefined,
    warnings: [],
  };
}
