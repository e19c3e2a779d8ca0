// gRPC calls over @grpc/grpc-js, as a Transport: the session picks it for `grpc://` and `grpcs://`
// URLs (what `prepare.ts` makes of a `GRPC` request's target), so the deadline, Stop, the observer
// and the exchange's shape are those of every request. The exchange policy has nothing to do for a
// call: grpc-js follows no redirects, a gRPC call is not idempotent so it is never retried, and its
// status is 200 (see `callResponse`).
//
// A call's types come from the request's `# @proto` files (with the import paths of the settings)
// or else from the server's reflection, loaded once per session. Its messages, sent and received,
// go through a StreamRecorder as JSON text, so the CLI, the panel and handlers see them live.

import { Client, credentials as channelCredentials, Metadata, status as Status, type ChannelCredentials, type ClientDuplexStream, type ServiceError, type StatusObject } from '@grpc/grpc-js';
import { load, type MethodDefinition, type Options, type PackageDefinition } from '@grpc/proto-loader';
import type { EventEmitter } from 'node:events';
import { readFile, stat } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import { dirname } from 'node:path';
import { splitMessageScript } from '../../language/streamScript';
import { EngineFailure } from '../errors';
import { grpcConnectionFailure, grpcStatusName, richErrorDetailsText } from '../grpc/grpcStatus';
import { reflectedDefinition } from '../grpc/grpcReflection';
import type { ResponseBody, StreamControl, StreamEnd } from '../model';
import { StreamRecorder, streamEndOfAbort } from '../streams/streamRecorder';
import type { TlsSettings } from '../tls';
import type { HeaderList, HopContext, HopResponse, OutgoingHop, Transport } from '../transport';
import { defaultUserAgent } from '../version';

export interface GrpcTransportOptions {
  readonly tls: TlsSettings;
  /** Where a long stream's messages spill, and who deletes the file. */
  readonly tempDir: string;
  readonly onTempFile: (path: string) => void;
}

/**
 * After a client- or bidirectionally streaming call has sent its scripted messages, the client
 * ends its side once nothing was sent or received for this long (`SendOptions.streamQuietMs` wins;
 * with `keepStreamOpen`, only Stop or the deadline end it): until then the panel may send more
 * (`StreamControl.send`), and a server that answers each message has the time to.
 */
export const halfCloseAfterQuietMs = 500;

/** How proto-loader reads types: proto3's JSON names (lowerCamelCase), 64-bit integers and enums as strings, bytes as Base64, defaults shown. */
const loaderOptions: Options = { keepCase: false, longs: String, enums: String, bytes: String, defaults: true, oneofs: true, json: true };

/** Metadata a call sets itself; written as headers they would be refused or sent twice. */
const reservedMetadata = new Set(['content-type', 'content-length', 'te', 'host', 'connection', 'transfer-encoding', 'user-agent', 'grpc-timeout', 'grpc-encoding', 'grpc-accept-encoding', 'keep-alive', 'upgrade']);

type AnyMethod = MethodDefinition<object, object>;

export class GrpcTransport implements Transport {
  /** One channel per authority, TLS choice and client certificate, kept for the session. */
  private readonly channels = new Map<string, Client>();
  /** Definitions by `# @proto` files and import paths (with the files' modification times). */
  private readonly protoDefinitions = new Map<string, Promise<PackageDefinition>>();
  /** Definitions by channel and service, as the server reflected them. */
  private readonly reflected = new Map<string, Promise<PackageDefinition>>();
  /** Cancels each call in flight. */
  private readonly inFlight = new Set<() => void>();

  constructor(private readonly options: GrpcTransportOptions) {}

  async roundTrip(outgoing: OutgoingHop, context: HopContext): Promise<HopResponse> {
    const { url } = outgoing.hop;
    const tls = url.protocol === 'grpcs:';
    const port = Number(url.port || (tls ? 443 : 80));
    const authority = `${url.hostname}:${port}`;
    const [service = '', methodName = ''] = url.pathname.slice(1).split('/');
    const { request } = context;
    const insecure = tls && (request.options.insecure || this.options.tls.isInsecureHost(url.hostname.replace(/^\[|\]$/g, ''), port));
    const warnings = insecure ? [`TLS certificate verification is disabled for ${authority}: the server's identity was not checked`] : [];
    const { client, key } = this.channel(authority, url.hostname.replace(/^\[|\]$/g, ''), port, tls, insecure, context);
    const metadata = metadataOf(outgoing.headers, request.origin);
    const deadline = request.options.timeoutMs === undefined ? undefined : new Date(Date.now() + request.options.timeoutMs);
    const definition =
      request.protoFiles !== undefined && request.protoFiles.length > 0
        ? await this.fromProtoFiles(request.protoFiles, request.options.protoImportPaths ?? [], where(request.origin))
        : await this.fromReflection(key, client, service, { metadata, deadline, signal: context.signal, authority, tls });
    const method = methodOf(definition, service, methodName, authority, request.protoFiles !== undefined && request.protoFiles.length > 0);
    const messages = await scriptedMessages(request.body, method, service, methodName);
    return new GrpcCall({ client, method, methodName, metadata, deadline, messages, context, warnings, authority, tls, transport: this.options, inFlight: this.inFlight }).run();
  }

  abortPending(): void {
    for (const cancel of [...this.inFlight]) cancel();
  }

  close(): Promise<void> {
    this.abortPending();
    for (const client of this.channels.values()) client.close();
    this.channels.clear();
    return Promise.resolve();
  }

  private channel(authority: string, hostname: string, port: number, tls: boolean, insecure: boolean, context: HopContext): { client: Client; key: string } {
    const certificate = context.request.options.clientCertificate;
    const key = `${tls ? 'tls' : 'plain'}|${insecure ? 'insecure' : 'verified'}|${authority}|${certificate?.cert ?? ''}`;
    let client = this.channels.get(key);
    if (client === undefined) {
      let credentials: ChannelCredentials;
      if (!tls) credentials = channelCredentials.createInsecure();
      else {
        const secureContext = createSecureContext(this.options.tls.optionsFor(hostname, port, certificate));
        credentials = channelCredentials.createFromSecureContext(secureContext, insecure ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {});
      }
      client = new Client(authority, credentials, { 'grpc.primary_user_agent': defaultUserAgent });
      this.channels.set(key, client);
    }
    return { client, key };
  }

  private async fromProtoFiles(files: readonly string[], importPaths: readonly string[], at: string): Promise<PackageDefinition> {
    const times = await Promise.all(
      files.map(async (file) => {
        try {
          return (await stat(file)).mtimeMs;
        } catch (error) {
          throw new EngineFailure('file', `${at}: cannot read the .proto file ${file} (${(error as Error).message}); check the path after # @proto`);
        }
      }),
    );
    const key = JSON.stringify([files, importPaths, times]);
    let loading = this.protoDefinitions.get(key);
    if (loading === undefined) {
      // Imports are looked up beside each named file first, then in the import paths.
      const includeDirs = [...new Set([...files.map((file) => dirname(file)), ...importPaths])];
      loading = load([...files], { ...loaderOptions, includeDirs }).catch((error: unknown) => {
        this.protoDefinitions.delete(key);
        const reason = error instanceof Error ? error.message : String(error);
        throw new EngineFailure('file', `${at}: cannot load ${files.join(', ')}: ${reason}${/no such file|ENOENT/i.test(reason) ? ' (an imported file is looked up beside the .proto file and in courier.grpc.protoImportPaths or --proto-path)' : ''}`);
      });
      this.protoDefinitions.set(key, loading);
    }
    return loading;
  }

  private async fromReflection(channelKey: string, client: Client, service: string, call: Parameters<typeof reflectedDefinition>[2]): Promise<PackageDefinition> {
    const key = `${channelKey}|${service}`;
    let loading = this.reflected.get(key);
    if (loading === undefined) {
      loading = reflectedDefinition(client, service, call, loaderOptions).catch((error: unknown) => {
        this.reflected.delete(key);
        throw error;
      });
      this.reflected.set(key, loading);
    }
    return loading;
  }
}

/** The method's definition, or a failure that says what the service and its package do have. */
function methodOf(definition: PackageDefinition, service: string, methodName: string, authority: string, fromProto: boolean): AnyMethod {
  const entry = definition[service];
  const source = fromProto ? 'the # @proto files' : `${authority}'s reflection`;
  if (entry === undefined || 'format' in entry) {
    const services = Object.entries(definition)
      .filter(([, value]) => !('format' in value))
      .map(([name]) => name);
    throw new EngineFailure('other', `${source} define no service ${service}${services.length === 0 ? '' : `; services: ${services.join(', ')}`}`);
  }
  const methods = entry as Record<string, AnyMethod>;
  const method = Object.prototype.hasOwnProperty.call(methods, methodName) ? methods[methodName] : undefined;
  if (method === undefined) throw new EngineFailure('other', `${service} has no method ${methodName}; its methods: ${Object.keys(methods).join(', ')}`);
  return method;
}

/** The request's headers as metadata: names in lower case, `-bin` values read as Base64. */
function metadataOf(headers: HeaderList, origin: HopContext['request']['origin']): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    if (reservedMetadata.has(key) || key.startsWith(':')) continue;
    try {
      if (key.endsWith('-bin')) metadata.add(key, Buffer.from(value, 'base64'));
      else metadata.add(key, value);
    } catch (error) {
      throw new EngineFailure('other', `${where(origin)}: ${name} cannot be sent as gRPC metadata (${(error as Error).message})`);
    }
  }
  return metadata;
}

/** One message of the body, serialized, and the server messages to wait for before sending it. */
interface OutgoingMessage {
  readonly json: string;
  readonly bytes: Buffer;
  readonly waitForServer: number;
}

/** The body's messages (`===` between them), each JSON serialized by the method's request type; a unary call sends `{}` for no body. */
async function scriptedMessages(body: HopContext['request']['body'], method: AnyMethod, service: string, methodName: string): Promise<{ readonly list: readonly OutgoingMessage[]; readonly trailingWaits: number }> {
  const parts = await Promise.all((body ?? []).map(async (chunk) => (chunk instanceof Uint8Array ? Buffer.from(chunk) : readFile(chunk.path))));
  const script = splitMessageScript(Buffer.concat(parts).toString('utf8'));
  const list = script.messages.map((message, index) => ({ ...serialize(message.text, method, `message ${index + 1}`), waitForServer: message.waitForServer }));
  if (!method.requestStream) {
    if (list.length > 1) throw new EngineFailure('other', `${service}/${methodName} takes one request message, and the body has ${list.length}: remove the === separators, or call a method that streams from the client`);
    if (list.length === 0) return { list: [{ ...serialize('{}', method, 'the empty message'), waitForServer: 0 }], trailingWaits: 0 };
  }
  return { list, trailingWaits: script.trailingWaits };
}

/** One message's JSON text to bytes of the method's request type; the failure names the message and the type. */
function serialize(text: string, method: AnyMethod, which: string): { readonly json: string; readonly bytes: Buffer } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EngineFailure('other', `${which} of the body is not JSON (${(error as Error).message}); write the request message as a JSON object`);
  }
  const typeName = requestTypeName(method);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new EngineFailure('other', `${which} of the body is not a JSON object; ${typeName} is written as { "field": value }`);
  const unknown = unknownFields(value as Record<string, unknown>, method);
  if (unknown.length > 0) throw new EngineFailure('other', `${which} of the body has ${unknown.map((name) => `"${name}"`).join(', ')}, which ${typeName} does not define; its fields: ${knownFields(method).join(', ') || 'none'}`);
  try {
    return { json: JSON.stringify(value), bytes: method.requestSerialize(value) };
  } catch (error) {
    throw new EngineFailure('other', `${which} of the body does not fit ${typeName}: ${(error as Error).message}`);
  }
}

interface FieldDescriptor {
  readonly name?: string;
  readonly jsonName?: string;
}

/** The request type's top-level fields, by their JSON names and as declared. */
function knownFields(method: AnyMethod): string[] {
  const fields = (method.requestType.type as { field?: FieldDescriptor[] }).field ?? [];
  // proto-loader leaves `jsonName` empty; `name` is already the JSON name (keepCase: false).
  return fields.map((field) => (field.jsonName !== undefined && field.jsonName !== '' ? field.jsonName : (field.name ?? ''))).filter((name) => name !== '');
}

function unknownFields(value: Record<string, unknown>, method: AnyMethod): string[] {
  const names = new Set(knownFields(method));
  return Object.keys(value).filter((name) => !names.has(name));
}

function requestTypeName(method: AnyMethod): string {
  return (method.requestType.type as { name?: string }).name ?? 'the request type';
}

function where(origin: HopContext['request']['origin']): string {
  return origin.file === undefined ? `line ${origin.line}` : `${origin.file}:${origin.line}`;
}

interface CallInput {
  readonly client: Client;
  readonly method: AnyMethod;
  readonly methodName: string;
  readonly metadata: Metadata;
  readonly deadline: Date | undefined;
  readonly messages: { readonly list: readonly OutgoingMessage[]; readonly trailingWaits: number };
  readonly context: HopContext;
  readonly warnings: readonly string[];
  readonly authority: string;
  readonly tls: boolean;
  readonly transport: GrpcTransportOptions;
  readonly inFlight: Set<() => void>;
}

/** One call, from its first message to its status. */
class GrpcCall {
  private readonly recorder: StreamRecorder;
  private head: HeaderList | undefined;
  private responseJson: string | undefined;
  private received = 0;
  private sentScripted = 0;
  private halfClosed = false;
  private quietTimer: NodeJS.Timeout | undefined;
  private stoppedByUser = false;
  private writer: ClientDuplexStream<Buffer, object> | undefined;

  constructor(private readonly input: CallInput) {
    const { context, transport } = input;
    this.recorder = new StreamRecorder({ protocol: 'grpc', elapsed: () => context.timings.elapsed(), observer: context.observer, tempDir: transport.tempDir, onTempFile: transport.onTempFile });
  }

  run(): Promise<HopResponse> {
    const { client, method, metadata, deadline, context, messages } = this.input;
    const passThrough = (bytes: Buffer): Buffer => bytes;
    const deserialize = (bytes: Buffer): object => method.responseDeserialize(bytes);
    const options = deadline === undefined ? {} : { deadline };
    return new Promise<HopResponse>((resolve, reject) => {
      let call: EventEmitter & { cancel(): void };
      const onResponse = (error: ServiceError | null, value?: object): void => {
        if (error === null && value !== undefined) this.receive(value);
      };
      if (!method.requestStream) {
        const [only] = messages.list;
        call = method.responseStream
          ? client.makeServerStreamRequest(method.path, passThrough, deserialize, only.bytes, metadata, options)
          : client.makeUnaryRequest(method.path, passThrough, deserialize, only.bytes, metadata, options, onResponse);
        this.recordSent(only.json);
      } else {
        const stream = method.responseStream
          ? client.makeBidiStreamRequest(method.path, passThrough, deserialize, metadata, options)
          : (client.makeClientStreamRequest(method.path, passThrough, deserialize, metadata, options, onResponse) as unknown as ClientDuplexStream<Buffer, object>);
        this.writer = stream;
        call = stream;
      }
      const cancel = (): void => call.cancel();
      this.input.inFlight.add(cancel);
      const onAbort = (): void => call.cancel();
      context.signal?.addEventListener('abort', onAbort, { once: true });
      call.on('metadata', (received: Metadata) => {
        this.head = metadataEntries(received);
        context.timings.responseStarted();
        context.onHeaders(this.head);
        context.observer?.onResponseHead?.({ status: 200, statusText: '', httpVersion: '2', headers: this.head });
      });
      if (method.responseStream) call.on('data', (value: object) => this.receive(value));
      // The status says it all; a stream's `error` event must still be listened to.
      call.on('error', () => undefined);
      call.on('status', (received: StatusObject) => {
        this.input.inFlight.delete(cancel);
        context.signal?.removeEventListener('abort', onAbort);
        this.clearQuietTimer();
        this.finish(received).then(resolve, reject);
      });
      const control: StreamControl = {
        protocol: 'grpc',
        canSend: method.requestStream,
        send: (data) => this.send(data),
        stop: () => {
          this.stoppedByUser = true;
          call.cancel();
        },
      };
      context.observer?.onStreamOpen?.(control);
      this.sendReady();
    });
  }

  /** Writes the scripted messages whose waits for the server are over; ends the client's side once they are sent and all is quiet. */
  private sendReady(): void {
    const { list, trailingWaits } = this.input.messages;
    if (this.writer === undefined || this.halfClosed) return;
    let awaited = list.slice(0, this.sentScripted + 1).reduce((total, message) => total + message.waitForServer, 0);
    while (this.sentScripted < list.length && this.received >= awaited) {
      const message = list[this.sentScripted++];
      this.writer.write(message.bytes);
      this.recordSent(message.json);
      awaited += list[this.sentScripted]?.waitForServer ?? 0;
    }
    if (this.sentScripted === list.length && this.received >= awaited + trailingWaits) this.armQuietTimer();
  }

  private send(data: string | Uint8Array): void {
    if (this.writer === undefined || this.halfClosed || this.recorder.finished) return;
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    const message = serialize(text, this.input.method, 'the message');
    this.writer.write(message.bytes);
    this.recordSent(message.json);
    if (this.quietTimer !== undefined) this.armQuietTimer();
  }

  private recordSent(json: string): void {
    this.recorder.record('sent', this.input.methodName, undefined, json);
  }

  private receive(value: object): void {
    const json = JSON.stringify(value);
    this.received++;
    if (!this.input.method.responseStream) this.responseJson = json;
    this.recorder.record('received', this.input.methodName, undefined, json);
    if (this.quietTimer !== undefined) this.armQuietTimer();
    else this.sendReady();
  }

  private armQuietTimer(): void {
    this.clearQuietTimer();
    // A front end where the user may type more (SendOptions.keepStreamOpen) ends the call by Stop.
    const { options } = this.input.context.request;
    if (options.keepStreamOpen === true) return;
    this.quietTimer = setTimeout(() => {
      this.quietTimer = undefined;
      this.halfClosed = true;
      this.writer?.end();
    }, options.streamQuietMs ?? halfCloseAfterQuietMs);
  }

  private clearQuietTimer(): void {
    if (this.quietTimer !== undefined) clearTimeout(this.quietTimer);
    this.quietTimer = undefined;
  }

  private async finish(received: StatusObject): Promise<HopResponse> {
    const { context, authority, deadline } = this.input;
    const signal = context.signal;
    if (this.head === undefined && received.code === Status.UNAVAILABLE && signal?.aborted !== true && !this.stoppedByUser) {
      await this.recorder.finish({ reason: 'closed-by-server' });
      throw grpcConnectionFailure(authority, received.details, this.input.tls);
    }
    const trailers = trailerEntries(received);
    const end = this.endOf(received, signal, deadline);
    context.timings.bodyReceived();
    const stream = await this.recorder.finish(end);
    const head = this.head ?? [];
    return {
      shape: 'stream',
      status: 200,
      statusText: grpcStatusName(received.code),
      httpVersion: '2',
      headers: [...head, ...trailers],
      trailersFrom: head.length,
      body: responseBody(this.responseJson),
      stream,
      connectionWarnings: this.input.warnings,
    };
  }

  private endOf(received: StatusObject, signal: AbortSignal | undefined, deadline: Date | undefined): StreamEnd {
    if (signal?.aborted === true) return streamEndOfAbort(signal);
    if (this.stoppedByUser) return { reason: 'stopped' };
    const name = grpcStatusName(received.code);
    const bytes = received.metadata.get('grpc-status-details-bin')[0];
    const rich = Buffer.isBuffer(bytes) ? richErrorDetailsText(bytes) : undefined;
    const detail = `${name}${received.details === '' ? '' : `: ${received.details}`}${rich === undefined ? '' : `; details: ${rich}`}`;
    if (received.code === Status.OK) return { reason: 'completed', code: Status.OK, detail: name };
    if (received.code === Status.DEADLINE_EXCEEDED && deadline !== undefined) return { reason: 'timeout', code: received.code, detail };
    return { reason: 'closed-by-server', code: received.code, detail };
  }
}

/** Metadata as header lines, in order; binary values in Base64. */
function metadataEntries(metadata: Metadata): [string, string][] {
  const entries: [string, string][] = [];
  for (const [name, values] of Object.entries(metadata.toJSON())) {
    for (const value of values) entries.push([name, Buffer.isBuffer(value) ? value.toString('base64') : String(value)]);
  }
  return entries;
}

/** The status as gRPC's trailers carry it (`grpc-status`, `grpc-message`), then the trailing metadata. */
function trailerEntries(received: StatusObject): [string, string][] {
  const entries: [string, string][] = [['grpc-status', String(received.code)]];
  if (received.details !== '') entries.push(['grpc-message', received.details]);
  return [...entries, ...metadataEntries(received.metadata)];
}

/** The body of a call whose response is one message: that message as JSON; empty when the server streams. */
function responseBody(json: string | undefined): ResponseBody {
  const prefix = json === undefined ? new Uint8Array() : new Uint8Array(Buffer.from(json, 'utf8'));
  return { size: prefix.byteLength, encodedSize: prefix.byteLength, prefix, file: undefined, contentType: json === undefined ? undefined : 'application/json', charset: 'utf-8' };
}
