// Turns an engine `Exchange` into the plain data the webview shows (messages.ts): the
// body's bytes stay on the host and follow as text chunks (bodyText.ts).
import { type Exchange, type MessageStream, type PreparedRequest, type ResponseHead, type StreamProtocol, type Timings } from '../../engine/model';
import { describeStreamEnd, lastMessages, messageDataText } from '../../engine/streamMessages';
import { bodyKind } from './bodyKind';
import { type BodyView, type ExchangeView, type HeaderList, type LogView, type StatusClass, type StreamView, type TestView, type TimingPhase } from './messages';

/** Messages of a stream the panel shows when no limit is given: the most recent ones. */
export const defaultMaxMessagesInPanel = 500;
/** Characters of one message's data the panel shows when no limit is given. */
export const defaultMaxMessageCharsInPanel = 16 * 1024;
/** Tests the panel lists, and last log lines it shows: a script in a loop must not flood the page. */
export const maxTestsInPanel = 1000;
export const maxLogLinesInPanel = 500;
/** Characters of one test message, expected or actual value, or log line the panel shows. */
export const maxTestTextInPanel = 4096;

export interface ViewOptions {
  /** The panel's title; see `panelTitle`. */
  readonly title: string;
  /** Bodies beyond this many bytes are shown in part, with "Open in editor" and "Save" for the rest. */
  readonly maxBodyBytesInPanel: number;
  /** Images up to this size are sent as data URLs; larger ones are offered for saving only. */
  readonly maxImageBytes: number;
  /** How many first bytes of a binary body the hex preview shows. */
  readonly hexPreviewBytes: number;
  /** Most recent messages of a stream the panel shows (default `defaultMaxMessagesInPanel`); the rest are counted. */
  readonly maxMessagesInPanel?: number;
  /** Characters of one message's data the panel shows (default `defaultMaxMessageCharsInPanel`). */
  readonly maxMessageCharsInPanel?: number;
}

export function statusClass(status: number): StatusClass {
  if (status < 200) return 'informational';
  if (status < 300) return 'success';
  if (status < 400) return 'redirect';
  if (status < 500) return 'client-error';
  return 'server-error';
}

/** The request's name, else `METHOD /path`; with the status when known (`login · 200`). */
export function panelTitle(exchange: Pick<Exchange, 'origin' | 'request' | 'error'> & { readonly response: { readonly status: number } | undefined }): string {
  let subject = exchange.origin.name;
  if (subject === undefined || subject === '') {
    let path = exchange.request.url;
    try {
      const url = new URL(exchange.request.url);
      path = url.pathname + url.search;
    } catch {
      // Not a URL we can parse: show it as written.
    }
    subject = `${exchange.request.method} ${path}`;
  }
  const outcome = exchange.response !== undefined ? String(exchange.response.status) : exchange.error !== undefined ? exchange.error.code : undefined;
  return outcome === undefined ? subject : `${subject} · ${outcome}`;
}

/** Bars for the waterfall: each phase runs from the end of the last phase that happened to its own end. */
export function timingPhases(timings: Timings): TimingPhase[] {
  const marks: [TimingPhase['label'], number | undefined][] = [
    ['DNS', timings.dns],
    ['Connect', timings.connect],
    ['TLS', timings.tls],
    ['First byte', timings.firstByte],
    ['Download', timings.download],
  ];
  const phases: TimingPhase[] = [];
  let previousEnd = 0;
  for (const [label, end] of marks) {
    if (end === undefined) continue;
    const start = Math.min(previousEnd, end);
    phases.push({ label, start, duration: end - start });
    previousEnd = end;
  }
  return phases;
}

/** Size of the header block on the wire: `name: value\r\n` per header plus the final blank line. */
export function headerBlockSize(headers: HeaderList): number {
  const encoder = new TextEncoder();
  let size = 2;
  for (const [name, value] of headers) size += encoder.encode(name).length + 2 + encoder.encode(value).length + 2;
  return size;
}

/** Hex dump lines: offset, 16 bytes in hex, and their printable ASCII. */
export function hexDump(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = Array.from(row, (byte) => byte.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (byte) => (byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines;
}

function imageDataUrl(exchange: Exchange, maxImageBytes: number): string | undefined {
  const body = exchange.response?.body;
  if (body === undefined || body.file !== undefined || body.size > maxImageBytes) return undefined;
  const type = (body.contentType ?? 'image/png').split(';')[0].trim();
  // Only a real image type may become a data URL: the webview puts it in <img src>, never in a frame.
  if (!/^image\/[\w.+-]+$/i.test(type)) return undefined;
  return `data:${type};base64,${Buffer.from(body.prefix.buffer, body.prefix.byteOffset, body.prefix.byteLength).toString('base64')}`;
}

function bodyView(exchange: Exchange, options: ViewOptions): BodyView {
  const body = exchange.response?.body;
  if (body === undefined) {
    return { kind: 'empty', contentType: undefined, size: 0, encodedSize: 0, truncated: false, bytesInPanel: 0, imageDataUrl: undefined, hexPreview: [] };
  }
  const kind = bodyKind(body.contentType, body.size, body.prefix);
  const textual = kind !== 'image' && kind !== 'binary' && kind !== 'empty';
  const bytesInPanel = textual ? Math.min(body.size, options.maxBodyBytesInPanel) : 0;
  return {
    kind,
    contentType: body.contentType,
    size: body.size,
    encodedSize: body.encodedSize,
    truncated: textual && body.size > options.maxBodyBytesInPanel,
    bytesInPanel,
    imageDataUrl: kind === 'image' ? imageDataUrl(exchange, options.maxImageBytes) : undefined,
    hexPreview: kind === 'binary' ? hexDump(body.prefix.subarray(0, options.hexPreviewBytes)) : [],
  };
}

/** A stream's most recent messages with their data as text, bounded so a long stream never floods the panel. */
export function streamView(stream: MessageStream, options: Pick<ViewOptions, 'maxMessagesInPanel' | 'maxMessageCharsInPanel'>): StreamView {
  const { shown, notShown } = lastMessages(stream.messages, stream.count, options.maxMessagesInPanel ?? defaultMaxMessagesInPanel);
  const maxChars = options.maxMessageCharsInPanel ?? defaultMaxMessageCharsInPanel;
  return {
    protocol: stream.protocol,
    count: stream.count,
    notShown,
    end: describeStreamEnd(stream.end),
    endReason: stream.end.reason,
    messages: shown.map((message) => {
      const data = messageDataText(message.data, maxChars);
      return { at: message.at, direction: message.direction, type: message.type, id: message.id, dataKind: data.kind, data: data.text, omitted: data.omitted };
    }),
  };
}

/** Everything the panel shows about `exchange` except the body text. */
export function toExchangeView(exchange: Exchange, options: ViewOptions): ExchangeView {
  const response = exchange.response;
  return {
    title: options.title,
    request: { method: exchange.request.method, url: exchange.request.url, headers: exchange.request.headers, bodySize: exchange.request.bodySize },
    response:
      response === undefined
        ? undefined
        : {
            status: response.status,
            statusText: response.statusText,
            httpVersion: response.httpVersion,
            statusClass: statusClass(response.status),
            headers: response.headers,
            headersSize: headerBlockSize(response.headers),
          },
    body: bodyView(exchange, options),
    stream: response?.shape === 'stream' ? streamView(response.stream, options) : undefined,
    redirects: exchange.redirects,
    timings: { phases: timingPhases(exchange.timings), total: exchange.timings.total },
    error: exchange.error,
    warnings: exchange.warnings,
    tests: testsView(exchange),
    log: logView(exchange),
  };
}

/** What the panel shows the moment a response turns out to be a stream: the request, the head, and no messages yet. */
export function liveExchangeView(request: Pick<PreparedRequest, 'method' | 'url' | 'headers' | 'origin'>, head: ResponseHead, protocol: StreamProtocol, elapsedMs: number, title: string): ExchangeView {
  const contentType = head.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    title,
    request: { method: request.method, url: request.url, headers: request.headers, bodySize: 0 },
    response: { status: head.status, statusText: head.statusText, httpVersion: head.httpVersion, statusClass: statusClass(head.status), headers: head.headers, headersSize: headerBlockSize(head.headers) },
    body: { kind: 'empty', contentType, size: 0, encodedSize: 0, truncated: false, bytesInPanel: 0, imageDataUrl: undefined, hexPreview: [] },
    stream: { protocol, count: 0, messages: [], notShown: 0, end: 'open', endReason: 'open' },
    redirects: [],
    timings: { phases: [], total: elapsedMs },
    error: undefined,
    warnings: [],
    tests: [],
    log: { lines: [], notShown: 0 },
  };
}

/** The exchange's tests as text, bounded: the first `maxTestsInPanel`, failures first so none is hidden by passes. */
export function testsView(exchange: Pick<Exchange, 'tests'>): TestView[] {
  const tests = exchange.tests ?? [];
  const shown = tests.length <= maxTestsInPanel ? tests : [...tests.filter((test) => test.outcome === 'failed'), ...tests.filter((test) => test.outcome !== 'failed')].slice(0, maxTestsInPanel);
  return shown.map((test) => ({
    name: clip(test.name),
    outcome: test.outcome,
    kind: test.kind,
    message: test.message === undefined ? undefined : clip(test.message),
    expected: test.expected === undefined ? undefined : clip(test.expected),
    actual: test.actual === undefined ? undefined : clip(test.actual),
    where: test.location === undefined ? undefined : `${baseName(test.location.file)}:${test.location.line}`,
  }));
}

/** The scripts' last log lines, each clipped. */
export function logView(exchange: Pick<Exchange, 'log'>): LogView {
  const log = exchange.log ?? [];
  const shown = log.slice(-maxLogLinesInPanel);
  return { lines: shown.map(clip), notShown: log.length - shown.length };
}

function clip(text: string): string {
  return text.length <= maxTestTextInPanel ? text : `${text.slice(0, maxTestTextInPanel)}… (${text.length - maxTestTextInPanel} more characters)`;
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}
