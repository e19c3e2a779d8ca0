// Maps what undici, Node and our own checks throw to an `EngineError`: a stable code and a
// sentence that names the host, port or file involved and says what to do next.
import { type EngineError, type EngineErrorCode } from './model';

/** A failure the engine detected itself, already phrased for the user. */
export class EngineFailure extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineFailure';
  }
}

/** Where the failing exchange was going, so messages can name it. */
export interface ErrorTarget {
  readonly host: string;
  readonly port: number;
  /** The proxy in use, as `host:port`, when there is one. */
  readonly proxy: string | undefined;
}

const tlsCodePattern = /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|ERR_OSSL_)/;

/** Turns anything thrown while sending into an EngineError a user can act on. */
export function toEngineError(error: unknown, target: ErrorTarget): EngineError {
  if (error instanceof EngineFailure) return { code: error.code, message: error.message };
  const where = `${target.host}:${target.port}`;
  const code = errorCode(error);
  const detail = errorMessage(error);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EAI_FAIL':
      return { code: 'dns', message: `could not resolve host ${target.host} (${code}); check the URL and your network or DNS settings` };
    case 'ECONNREFUSED':
      return { code: 'refused', message: `connection refused by ${where}; is the server running and listening on that port?` };
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return { code: 'reset', message: `${where} closed the connection before the response was complete (${detail})` };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: 'timeout', message: `connecting to ${where} timed out` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: 'timeout', message: `${where} stopped answering (${detail})` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'refused', message: `${where} is unreachable (${code}); check the address and your network` };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: 'invalid-response', message: `${where} sent a body whose size does not match its Content-Length` };
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return { code: 'file', message: `a body file changed size while it was being sent to ${where}` };
    case 'UND_ERR_INVALID_ARG':
      return { code: 'other', message: `the request cannot be sent: ${detail}` };
    case 'UND_ERR_NOT_SUPPORTED':
      return { code: 'other', message: `the request uses something Courier cannot send: ${detail}` };
    case 'ENOENT':
    case 'EACCES':
    case 'EISDIR':
      return { code: 'file', message: `could not read ${pathOf(error) ?? 'a body file'} (${code}); check that it exists and is readable` };
    default:
      break;
  }
  if ((code !== undefined && code.startsWith('HPE_')) || (error instanceof Error && error.name === 'HTTPParserError')) {
    return { code: 'invalid-response', message: `${where} sent something that is not a valid HTTP/1.1 response (${detail})` };
  }
  if (code !== undefined && tlsCodePattern.test(code)) {
    const hint = /CERTIFICATE_REQUIRED|BAD_CERTIFICATE|UNKNOWN_CA|HANDSHAKE_FAILURE/i.test(code)
      ? '; the server wants a client certificate it trusts: configure one for this host in clientCertificates, or in the environment\'s SSLConfiguration'
      : '';
    return { code: 'tls', message: `TLS with ${where} failed: ${detail}${hint}` };
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return { code: 'aborted', message: `the request to ${where} was cancelled` };
  }
  const via = target.proxy === undefined ? '' : ` via proxy ${target.proxy}`;
  return { code: 'other', message: `sending to ${where}${via} failed: ${detail}` };
}

/** The `code` of an error, looking through `cause` chains that undici builds. */
export function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function pathOf(error: unknown): string | undefined {
  const path = (error as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : undefined;
}
