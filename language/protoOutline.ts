// The services and rpcs a .proto file declares, read without a protobuf library: enough for the
// editor to complete `package.Service/Method` after `GRPC host:port/` and to say what a method
// takes and returns. Pure; the engine loads .proto files with proto-loader instead.

/** One `rpc` of a service. */
export interface ProtoMethod {
  readonly name: string;
  readonly requestType: string;
  readonly requestStream: boolean;
  readonly responseType: string;
  readonly responseStream: boolean;
}

/** One `service`, by its fully-qualified name. */
export interface ProtoService {
  /** `package.Service`, or `Service` without a package. */
  readonly name: string;
  readonly methods: readonly ProtoMethod[];
}

/** The services of a .proto file's text, in order; an unreadable declaration is skipped. */
export function protoServices(text: string): ProtoService[] {
  const code = withoutComments(text);
  const packageName = /\bpackage\s+([A-Za-z_][\w.]*)\s*;/.exec(code)?.[1];
  const services: ProtoService[] = [];
  const serviceStart = /\bservice\s+([A-Za-z_]\w*)\s*\{/g;
  for (let match = serviceStart.exec(code); match !== null; match = serviceStart.exec(code)) {
    const bodyStart = match.index + match[0].length;
    const bodyEnd = closingBrace(code, bodyStart);
    const body = code.slice(bodyStart, bodyEnd);
    const methods: ProtoMethod[] = [];
    const rpc = /\brpc\s+([A-Za-z_]\w*)\s*\(\s*(stream\s+)?([.\w]+)\s*\)\s*returns\s*\(\s*(stream\s+)?([.\w]+)\s*\)/g;
    for (let method = rpc.exec(body); method !== null; method = rpc.exec(body)) {
      methods.push({ name: method[1], requestStream: method[2] !== undefined, requestType: method[3], responseStream: method[4] !== undefined, responseType: method[5] });
    }
    services.push({ name: packageName === undefined ? match[1] : `${packageName}.${match[1]}`, methods });
    serviceStart.lastIndex = bodyEnd;
  }
  return services;
}

/** `unary`, `server streaming`, `client streaming` or `bidirectional streaming`. */
export function protoMethodKind(method: ProtoMethod): string {
  if (method.requestStream && method.responseStream) return 'bidirectional streaming';
  if (method.requestStream) return 'client streaming';
  if (method.responseStream) return 'server streaming';
  return 'unary';
}

/** `rpc SayHello (HelloRequest) returns (stream HelloReply)`. */
export function protoMethodSignature(method: ProtoMethod): string {
  return `rpc ${method.name} (${method.requestStream ? 'stream ' : ''}${method.requestType}) returns (${method.responseStream ? 'stream ' : ''}${method.responseType})`;
}

/** The text with `//` and `/* *\/` comments and string contents blanked, offsets kept. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, (found) => (found.startsWith('/') ? found.replace(/[^\n]/g, ' ') : found));
}

/** The offset of the `}` closing the block whose body starts at `from` (the text's end when unclosed). */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let at = from; at < text.length; at++) {
    const char = text[at];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return at;
  }
  return text.length;
}
