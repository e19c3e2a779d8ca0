// A small client of gRPC server reflection (grpc.reflection.v1, falling back to v1alpha): asks the
// server for the file that declares a service, then for each file that file imports, over one
// bidirectional call on the channel the request itself uses (same TLS, same metadata), and hands
// proto-loader the files as a FileDescriptorSet.
//
// grpc-js-reflection-client does the same, but opens a channel of its own that it never closes,
// pulls in google-protobuf and lodash, and reports a server without reflection as an opaque error;
// this is the part Courier needs, in the terms of the libraries it already has.

import { status as Status, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { fromJSON, loadFileDescriptorSetFromBuffer, type MethodDefinition, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { EngineFailure } from '../errors';
import { grpcConnectionFailure } from './grpcStatus';

const string = (id: number): { type: string; id: number } => ({ type: 'string', id });

/** reflection.proto's messages, the fields Courier uses, for one version's package. */
function reflectionPackage(): object {
  return {
    ServerReflection: { methods: { ServerReflectionInfo: { requestType: 'ServerReflectionRequest', requestStream: true, responseType: 'ServerReflectionResponse', responseStream: true } } },
    ServerReflectionRequest: {
      fields: { host: string(1), file_by_filename: string(3), file_containing_symbol: string(4), list_services: string(7) },
      oneofs: { message_request: { oneof: ['file_by_filename', 'file_containing_symbol', 'list_services'] } },
    },
    ServerReflectionResponse: {
      fields: {
        valid_host: string(1),
        file_descriptor_response: { type: 'FileDescriptorResponse', id: 4 },
        list_services_response: { type: 'ListServiceResponse', id: 6 },
        error_response: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { file_descriptor_proto: { type: 'bytes', id: 1, rule: 'repeated' } } },
    ListServiceResponse: { fields: { service: { type: 'ServiceResponse', id: 1, rule: 'repeated' } } },
    ServiceResponse: { fields: { name: string(1) } },
    ErrorResponse: { fields: { error_code: { type: 'int32', id: 1 }, error_message: string(2) } },
  };
}

interface ReflectionRequest {
  readonly file_by_filename?: string;
  readonly file_containing_symbol?: string;
  readonly list_services?: string;
}

interface ReflectionResponse {
  readonly file_descriptor_response?: { readonly file_descriptor_proto: Buffer[] } | null;
  readonly list_services_response?: { readonly service: { readonly name: string }[] } | null;
  readonly error_response?: { readonly error_code: number; readonly error_message: string } | null;
}

type ReflectionMethod = MethodDefinition<ReflectionRequest, ReflectionResponse>;

let reflectionMethods: readonly ReflectionMethod[] | undefined;

/** ServerReflectionInfo of v1, then of v1alpha (the same messages under another package). */
function methods(): readonly ReflectionMethod[] {
  reflectionMethods ??= ['v1', 'v1alpha'].map((version) => {
    const json = { nested: { grpc: { nested: { reflection: { nested: { [version]: { nested: reflectionPackage() } } } } } } };
    const definition = fromJSON(json as unknown as Parameters<typeof fromJSON>[0], { keepCase: true, defaults: false, oneofs: true });
    return (definition[`grpc.reflection.${version}.ServerReflection`] as Record<string, ReflectionMethod>).ServerReflectionInfo;
  });
  return reflectionMethods;
}


/** What the call may carry: the request's metadata and its deadline. */
export interface ReflectionCall {
  readonly metadata: Metadata;
  readonly deadline: Date | undefined;
  readonly signal: AbortSignal | undefined;
  /** `host:port`, for messages. */
  readonly authority: string;
  readonly tls: boolean;
}

/** The package definition of the files that declare `service` and everything they import, as the server reflects them. */
export async function reflectedDefinition(client: Client, service: string, call: ReflectionCall, options: Options): Promise<PackageDefinition> {
  for (const method of methods()) {
    try {
      const files = await reflectedFiles(client, method, service, call);
      return loadFileDescriptorSetFromBuffer(fileDescriptorSet(files), options);
    } catch (error) {
      if ((error as Partial<ServiceError>).code === Status.UNIMPLEMENTED && method !== methods()[methods().length - 1]) continue;
      throw asReflectionFailure(error, service, call);
    }
  }
  throw new EngineFailure('protocol', `${call.authority} does not offer server reflection`);
}

/** The services the server lists, for messages that say what it has. */
export async function reflectedServices(client: Client, call: ReflectionCall): Promise<string[]> {
  for (const method of methods()) {
    try {
      return await exchange(client, method, call, { list_services: '' }, (response) => ({ done: true, value: (response.list_services_response?.service ?? []).map((entry) => entry.name) }));
    } catch (error) {
      if ((error as Partial<ServiceError>).code !== Status.UNIMPLEMENTED) throw error;
    }
  }
  return [];
}

function asReflectionFailure(error: unknown, service: string, call: ReflectionCall): EngineFailure {
  if (error instanceof EngineFailure) return error;
  const { authority } = call;
  const serviceError = error as Partial<ServiceError>;
  if (serviceError.code === Status.UNAVAILABLE) return grpcConnectionFailure(authority, serviceError.details ?? '', call.tls);
  if (serviceError.code === Status.UNIMPLEMENTED) {
    return new EngineFailure('protocol', `${authority} does not offer server reflection, so Courier cannot learn ${service}'s types: name its .proto file with # @proto ./file.proto`);
  }
  const detail = serviceError.details ?? (error instanceof Error ? error.message : String(error));
  return new EngineFailure('protocol', `server reflection at ${authority} failed for ${service}: ${detail}`);
}

/** The serialized FileDescriptorProtos of the file declaring `service` and of every file it imports, transitively. */
async function reflectedFiles(client: Client, method: ReflectionMethod, service: string, call: ReflectionCall): Promise<Buffer[]> {
  // `exchange` resolves with a value once `answer` says it is done.
  const files = new Map<string, Buffer>();
  const asked = new Set<string>();
  let outstanding = 1;
  return exchange<Buffer[]>(client, method, call, { file_containing_symbol: service }, (response, write) => {
    outstanding--;
    const error = response.error_response;
    if (error !== null && error !== undefined) {
      // 5: the server has no such symbol or file.
      const what = error.error_code === 5 ? `${call.authority} has no service ${service}` : `server reflection at ${call.authority} answered ${error.error_message}`;
      throw new EngineFailure('other', `${what}${error.error_code === 5 ? ' (check the name after the host, package.Service)' : ''}`);
    }
    for (const bytes of response.file_descriptor_response?.file_descriptor_proto ?? []) {
      const { name, dependencies } = fileNameAndImports(bytes);
      if (files.has(name)) continue;
      files.set(name, bytes);
      for (const dependency of dependencies) {
        if (files.has(dependency) || asked.has(dependency)) continue;
        asked.add(dependency);
        outstanding++;
        write({ file_by_filename: dependency });
      }
    }
    return outstanding === 0 ? { done: true, value: [...files.values()] } : { done: false };
  });
}

/**
 * One reflection conversation: `first` is written, each response goes to `answer`, which may write
 * more and says when it is done; the call is then ended. Rejects with the call's error.
 */
async function exchange<T>(
  client: Client,
  method: ReflectionMethod,
  call: ReflectionCall,
  first: ReflectionRequest,
  answer: (response: ReflectionResponse, write: (request: ReflectionRequest) => void) => { done: true; value: T } | { done: false },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stream = client.makeBidiStreamRequest(method.path, method.requestSerialize, method.responseDeserialize, call.metadata, call.deadline === undefined ? {} : { deadline: call.deadline });
    let settled = false;
    const onAbort = (): void => stream.cancel();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      call.signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    stream.on('data', (response: ReflectionResponse) => {
      try {
        const result = answer(response, (request) => stream.write(request));
        if (result.done) {
          stream.end();
          settle(() => resolve(result.value));
        }
      } catch (error) {
        stream.cancel();
        settle(() => reject(error instanceof Error ? error : new Error(String(error))));
      }
    });
    stream.on('error', (error: ServiceError) => settle(() => reject(call.signal?.aborted === true ? (call.signal.reason as Error) : error)));
    stream.on('end', () => settle(() => reject(new EngineFailure('protocol', `server reflection at ${call.authority} ended without answering`))));
    stream.write(first);
  });
}

/** A FileDescriptorSet (`repeated FileDescriptorProto file = 1`) of serialized files. */
function fileDescriptorSet(files: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) parts.push(Buffer.from([0x0a]), varint(file.length), file);
  return Buffer.concat(parts);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A FileDescriptorProto's `name` (1) and `dependency` (3) fields, read without a schema. */
export function fileNameAndImports(bytes: Buffer): { readonly name: string; readonly dependencies: readonly string[] } {
  let at = 0;
  let name = '';
  const dependencies: string[] = [];
  const readVarint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      if (at >= bytes.length) throw new EngineFailure('protocol', 'server reflection sent a file descriptor that ends early');
      const byte = bytes[at++];
      result += (byte & 0x7f) * shift;
      if (byte < 0x80) return result;
      shift *= 128;
    }
  };
  while (at < bytes.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) readVarint();
    else if (wireType === 1) at += 8;
    else if (wireType === 5) at += 4;
    else if (wireType === 2) {
      const length = readVarint();
      if (field === 1) name = bytes.toString('utf8', at, at + length);
      else if (field === 3) dependencies.push(bytes.toString('utf8', at, at + length));
      at += length;
    } else throw new EngineFailure('protocol', `server reflection sent a file descriptor Courier cannot read (wire type ${wireType})`);
  }
  return { name, dependencies };
}
