// `/upload`: parses a multipart/form-data body and reports each part, so a
// client can check that names, file names, types and bytes arrived intact.
import { createHash } from 'node:crypto';
import { DemoError, type Route, readBody, sendJson } from './exchange';

export interface ReceivedPart {
  readonly name: string | undefined;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  readonly size: number;
  readonly sha256: string;
  /** The text of a part without a file name (a plain form field). */
  readonly value?: string;
}

/** The `boundary` parameter of a multipart Content-Type, or undefined. */
export function boundaryOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined || !/^multipart\//i.test(contentType.trim())) return undefined;
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function headerParam(header: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i').exec(header);
  return match?.[1]?.replace(/\\(.)/g, '$1') ?? match?.[2];
}

/** Splits `body` on `--boundary` lines. Tolerates bare LF line ends; throws DemoError on a malformed body. */
export function parseMultipart(body: Buffer, boundary: string): ReceivedPart[] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: ReceivedPart[] = [];
  let position = body.indexOf(delimiter);
  if (position === -1) throw new DemoError(400, `multipart body has no "--${boundary}" line`);
  for (;;) {
    position += delimiter.length;
    if (body.subarray(position, position + 2).toString('latin1') === '--') return parts;
    const lineEnd = body.indexOf('\n', position);
    if (lineEnd === -1) throw new DemoError(400, `multipart body ends without the closing "--${boundary}--" line`);
    const partStart = lineEnd + 1;
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) throw new DemoError(400, `multipart body ends without the closing "--${boundary}--" line`);
    // The line break before the next delimiter belongs to the delimiter, not to the content.
    let partEnd = next;
    if (body[partEnd - 1] === 0x0a) partEnd--;
    if (body[partEnd - 1] === 0x0d) partEnd--;
    parts.push(parsePart(body.subarray(partStart, Math.max(partStart, partEnd))));
    position = next;
  }
}

function parsePart(part: Buffer): ReceivedPart {
  let headerEnd = part.indexOf('\r\n\r\n');
  let separatorLength = 4;
  if (headerEnd === -1) {
    headerEnd = part.indexOf('\n\n');
    separatorLength = 2;
  }
  if (headerEnd === -1) throw new DemoError(400, 'a multipart part has no blank line between its headers and its content');
  const headers = new Map<string, string>();
  for (const line of part.subarray(0, headerEnd).toString('utf8').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const content = part.subarray(headerEnd + separatorLength);
  const disposition = headers.get('content-disposition') ?? '';
  const filename = headerParam(disposition, 'filename');
  return {
    name: headerParam(disposition, 'name'),
    filename,
    contentType: headers.get('content-type'),
    size: content.length,
    sha256: createHash('sha256').update(content).digest('hex'),
    ...(filename === undefined ? { value: content.toString('utf8') } : {}),
  };
}

export function uploadRoute(): Route {
  return {
    methods: ['POST', 'PUT'],
    path: '/upload',
    handler: async ({ request, response }) => {
      const contentType = request.headers['content-type'];
      const boundary = boundaryOf(contentType);
      if (boundary === undefined) {
        throw new DemoError(415, `expected "Content-Type: multipart/form-data; boundary=...", got "${contentType ?? '(none)'}"`);
      }
      const body = await readBody(request);
      sendJson(response, 200, { boundary, size: body.length, parts: parseMultipart(body, boundary) });
    },
  };
}
