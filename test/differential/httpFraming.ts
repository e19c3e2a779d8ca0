// Splits the bytes a client sent on one connection into HTTP/1.1 requests, exactly as received:
// head up to the blank line, then a body framed by Content-Length or chunked encoding. Bytes
// that are not HTTP/1.1 (an HTTP/2 preface, TLS) are kept whole as one unframed record, so a
// transport change still shows up as a difference instead of vanishing.

/** One request as it arrived: `raw` is every byte of it, head and body, framing included. */
export interface FramedRequest {
  readonly raw: Buffer;
  /** `GET /path HTTP/1.1`; for unframed bytes, a description of them. */
  readonly requestLine: string;
  readonly headers: readonly (readonly [string, string])[];
  /** The body after de-chunking (what the server's application reads). */
  readonly body: Buffer;
  /** False for bytes that could not be read as HTTP/1.1. */
  readonly framed: boolean;
}

const headEnd = Buffer.from('\r\n\r\n');
const crlf = Buffer.from('\r\n');
const http2Preface = Buffer.from('PRI * HTTP/2.0\r\n');
// A request head longer than this without a blank line is not HTTP/1.1 we can read.
const maxHeadBytes = 256 * 1024;

/** Incremental: `push` every chunk the connection delivers, `end` when it closes. */
export class RequestFramer {
  private pending: Buffer = Buffer.alloc(0);
  private unframed = false;

  /** True once the bytes turned out not to be HTTP/1.1; they are kept for `end`. */
  get isUnframed(): boolean {
    return this.unframed;
  }

  /** The requests completed by `chunk`. */
  push(chunk: Buffer): FramedRequest[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const complete: FramedRequest[] = [];
    while (!this.unframed && this.pending.length > 0) {
      const request = this.next();
      if (request === undefined) break;
      complete.push(request);
    }
    return complete;
  }

  /**
   * The bytes so far when they are an HTTP/2 connection preface, handed over (the framer keeps
   * nothing), so an HTTP/2 server can read the connection from its start; undefined otherwise.
   */
  takeHttp2Connection(): Buffer | undefined {
    if (!startsWith(this.pending, http2Preface)) return undefined;
    const bytes = this.pending;
    this.pending = Buffer.alloc(0);
    return bytes;
  }

  /** What is left when the connection closes: an incomplete request or unframed bytes, as one record. */
  end(): FramedRequest | undefined {
    if (this.pending.length === 0) return undefined;
    const raw = this.pending;
    this.pending = Buffer.alloc(0);
    return unframedRecord(raw, this.unframed ? describeUnframed(raw) : 'incomplete request (the connection closed before its end)');
  }

  private next(): FramedRequest | undefined {
    if (startsWith(this.pending, http2Preface) || this.pending[0] === 0x16 /* TLS handshake */) {
      this.unframed = true;
      return undefined;
    }
    const headLength = this.pending.indexOf(headEnd);
    if (headLength < 0) {
      if (this.pending.length > maxHeadBytes) this.unframed = true;
      return undefined;
    }
    const head = this.pending.subarray(0, headLength).toString('latin1');
    const [requestLine = '', ...headerLines] = head.split('\r\n');
    const headers = headerLines.map((line): [string, string] => {
      const colon = line.indexOf(':');
      return colon < 0 ? [line, ''] : [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const bodyStart = headLength + headEnd.length;
    const framing = bodyFraming(headers);
    if (framing.kind === 'length') {
      const end = bodyStart + framing.length;
      if (this.pending.length < end) return undefined;
      return this.take(end, requestLine, headers, this.pending.subarray(bodyStart, end));
    }
    if (framing.kind === 'chunked') {
      const chunked = readChunked(this.pending, bodyStart);
      if (chunked === undefined) return undefined;
      return this.take(chunked.end, requestLine, headers, chunked.body);
    }
    return this.take(bodyStart, requestLine, headers, Buffer.alloc(0));
  }

  private take(end: number, requestLine: string, headers: readonly (readonly [string, string])[], body: Buffer): FramedRequest {
    const raw = Buffer.from(this.pending.subarray(0, end));
    this.pending = this.pending.subarray(end);
    return { raw, requestLine, headers, body: Buffer.from(body), framed: true };
  }
}

type Framing = { readonly kind: 'none' } | { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' };

function bodyFraming(headers: readonly (readonly [string, string])[]): Framing {
  const transferEncoding = headers.find(([name]) => name.toLowerCase() === 'transfer-encoding')?.[1];
  if (transferEncoding !== undefined && /(^|,)\s*chunked\s*$/i.test(transferEncoding)) return { kind: 'chunked' };
  const contentLength = headers.find(([name]) => name.toLowerCase() === 'content-length')?.[1];
  if (contentLength !== undefined && /^\d+$/.test(contentLength)) return { kind: 'length', length: Number(contentLength) };
  return { kind: 'none' };
}

/** The de-chunked body and where the chunked encoding ends (after the trailers), or undefined if more bytes are needed. */
function readChunked(bytes: Buffer, start: number): { readonly body: Buffer; readonly end: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = bytes.indexOf(crlf, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) return undefined;
    at = lineEnd + crlf.length;
    if (size === 0) {
      // Trailers, if any, end with an empty line.
      for (;;) {
        const trailerEnd = bytes.indexOf(crlf, at);
        if (trailerEnd < 0) return undefined;
        const empty = trailerEnd === at;
        at = trailerEnd + crlf.length;
        if (empty) return { body: Buffer.concat(parts), end: at };
      }
    }
    if (bytes.length < at + size + crlf.length) return undefined;
    parts.push(bytes.subarray(at, at + size));
    at += size + crlf.length;
  }
}

function startsWith(bytes: Buffer, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix);
}

function describeUnframed(raw: Buffer): string {
  if (startsWith(raw, http2Preface)) return 'HTTP/2 connection (prior knowledge preface)';
  if (raw[0] === 0x16) return 'TLS handshake';
  return 'bytes that are not an HTTP/1.1 request';
}

function unframedRecord(raw: Buffer, description: string): FramedRequest {
  return { raw, requestLine: `<${description}>`, headers: [], body: Buffer.alloc(0), framed: false };
}
