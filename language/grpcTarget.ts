// The target of a `GRPC` request: JetBrains' `GRPC host:port/package.Service/Method` and httpYac's
// `GRPC host/package.Service/Method` (the same form; a port is optional). Pure: the engine reads the
// target it sends with it, and diagnostics and completion read the same offsets.
//
// TLS is decided by the scheme: `grpcs://` and `https://` are TLS, `grpc://`, `http://` and a
// target without a scheme are plaintext, except a target without a scheme on port 443, which is
// TLS (the port says it, as grpcurl and JetBrains' users write `host:443`).

/** A target read into its parts; offsets are relative to the target text. */
export interface GrpcTarget {
  /** Whether the call goes over TLS. */
  readonly tls: boolean;
  /** The scheme as written, lower case, or undefined when none was written. */
  readonly scheme: string | undefined;
  /** The host name (an IPv6 address without its brackets). */
  readonly host: string;
  /** The port written, or the default for the scheme (443 with TLS, 80 without). */
  readonly port: number;
  /** Whether the port was written. */
  readonly portWritten: boolean;
  /** The fully-qualified service: `package.Service`. */
  readonly service: string;
  readonly method: string;
  /** Where the authority (`host:port`) is. */
  readonly authorityStart: number;
  readonly authorityEnd: number;
  readonly serviceStart: number;
  readonly serviceEnd: number;
  readonly methodStart: number;
  readonly methodEnd: number;
}

/** Why a target cannot be called, with the span the problem is about. */
export interface GrpcTargetProblem {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

const schemes: Readonly<Record<string, boolean>> = { grpc: false, grpcs: true, http: false, https: true };

/** A protobuf identifier: a letter or `_`, then letters, digits and `_`. */
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The canonical URL a call is sent to and reported as: `grpc://host:port/package.Service/Method` (`grpcs://` with TLS). */
export function grpcTargetUrl(target: GrpcTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${target.tls ? 'grpcs' : 'grpc'}://${host}:${target.port}/${target.service}/${target.method}`;
}

/** Reads a target as written (variables already expanded); a problem says what to write instead. */
export function parseGrpcTarget(text: string): GrpcTarget | GrpcTargetProblem {
  const end = text.length;
  let at = 0;
  let scheme: string | undefined;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (schemeMatch !== null) {
    scheme = schemeMatch[1].toLowerCase();
    if (!(scheme in schemes)) {
      return { message: `'${schemeMatch[1]}://' is not a gRPC scheme: write grpc:// (plaintext), grpcs:// (TLS), or host:port without a scheme`, start: 0, end: schemeMatch[1].length };
    }
    at = schemeMatch[0].length;
  }
  const authorityStart = at;
  const slash = text.indexOf('/', at);
  const authorityEnd = slash === -1 ? end : slash;
  const authority = text.slice(authorityStart, authorityEnd);
  const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]\s]+)(?::(\d+))?$/.exec(authority);
  if (hostPort === null) {
    return { message: `'${authority}' is not a host and port: write host:port, e.g. localhost:50051`, start: authorityStart, end: Math.max(authorityEnd, authorityStart + 1) };
  }
  const host = hostPort[1].startsWith('[') ? hostPort[1].slice(1, -1) : hostPort[1];
  const portWritten = hostPort[2] !== undefined;
  const port = portWritten ? Number(hostPort[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return { message: `port ${hostPort[2]} is out of range (1-65535)`, start: authorityEnd - hostPort[2].length, end: authorityEnd };
  const tls = scheme !== undefined ? schemes[scheme] : port === 443;
  const shape = 'write host:port/package.Service/Method, e.g. localhost:50051/helloworld.Greeter/SayHello';
  if (slash === -1 || slash === end - 1) return { message: `the target names no service and method: ${shape}`, start: authorityStart, end };
  const serviceStart = slash + 1;
  const secondSlash = text.indexOf('/', serviceStart);
  if (secondSlash === -1) return { message: `'${text.slice(serviceStart)}' is not Service/Method: ${shape}`, start: serviceStart, end };
  const serviceEnd = secondSlash;
  const methodStart = secondSlash + 1;
  const methodEnd = end;
  const service = text.slice(serviceStart, serviceEnd);
  const method = text.slice(methodStart, methodEnd);
  if (method.includes('/')) return { message: `'${text.slice(serviceStart)}' has more than Service/Method: ${shape}`, start: serviceStart, end };
  if (service === '' || !service.split('.').every((part) => identifier.test(part))) {
    return { message: `'${service}' is not a service name: write the fully-qualified name, package.Service`, start: serviceStart, end: Math.max(serviceEnd, serviceStart + 1) };
  }
  if (!identifier.test(method)) return { message: `'${method}' is not a method name: write the rpc's name after the service, e.g. ${service}/SayHello`, start: methodStart, end: Math.max(methodEnd, methodStart) };
  return { tls, scheme, host, port: port ?? (tls ? 443 : 80), portWritten, service, method, authorityStart, authorityEnd, serviceStart, serviceEnd, methodStart, methodEnd };
}

/** Whether `parsed` is a problem rather than a target. */
export function isGrpcTargetProblem(parsed: GrpcTarget | GrpcTargetProblem): parsed is GrpcTargetProblem {
  return 'message' in parsed;
}
