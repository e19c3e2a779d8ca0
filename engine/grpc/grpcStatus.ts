// gRPC status codes as people read them, and the rich error model a server may send in the
// `grpc-status-details-bin` trailer (a serialized google.rpc.Status whose details are `Any`s),
// decoded to JSON text so the reporters and the panel can show it.

import { fromJSON, type MethodDefinition } from '@grpc/proto-loader';
import { EngineFailure } from '../errors';

/** The names of gRPC's status codes, by code (grpc/doc/statuscodes.md). */
export const grpcStatusNames: readonly string[] = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];

/** `NOT_FOUND` for 5; `status 42` for a code gRPC does not define. */
export function grpcStatusName(code: number): string {
  return grpcStatusNames[code] ?? `status ${code}`;
}

// google/rpc/status.proto and the messages of google/rpc/error_details.proto, as protobuf.js JSON,
// fields under proto3's JSON names (lowerCamelCase), as the decoded details are shown.
// proto-loader makes deserializers for methods only, so a service of one method per message
// (never called) is how each message gets one.
const string = (id: number): { type: string; id: number } => ({ type: 'string', id });
const repeated = (type: string, id: number): { type: string; id: number; rule: string } => ({ type, id, rule: 'repeated' });
const richErrorModel = {
  nested: {
    google: {
      nested: {
        protobuf: {
          nested: {
            Any: { fields: { type_url: string(1), value: { type: 'bytes', id: 2 } } },
            Duration: { fields: { seconds: { type: 'int64', id: 1 }, nanos: { type: 'int32', id: 2 } } },
            Empty: { fields: {} },
          },
        },
        rpc: {
          nested: {
            Status: { fields: { code: { type: 'int32', id: 1 }, message: string(2), details: repeated('google.protobuf.Any', 3) } },
            ErrorInfo: { fields: { reason: string(1), domain: string(2), metadata: { keyType: 'string', type: 'string', id: 3 } } },
            RetryInfo: { fields: { retryDelay: { type: 'google.protobuf.Duration', id: 1 } } },
            DebugInfo: { fields: { stackEntries: repeated('string', 1), detail: string(2) } },
            QuotaFailure: { fields: { violations: repeated('Violation', 1) }, nested: { Violation: { fields: { subject: string(1), description: string(2) } } } },
            PreconditionFailure: { fields: { violations: repeated('Violation', 1) }, nested: { Violation: { fields: { type: string(1), subject: string(2), description: string(3) } } } },
            BadRequest: { fields: { fieldViolations: repeated('FieldViolation', 1) }, nested: { FieldViolation: { fields: { field: string(1), description: string(2) } } } },
            RequestInfo: { fields: { requestId: string(1), servingData: string(2) } },
            ResourceInfo: { fields: { resourceType: string(1), resourceName: string(2), owner: string(3), description: string(4) } },
            Help: { fields: { links: repeated('Link', 1) }, nested: { Link: { fields: { description: string(1), url: string(2) } } } },
            LocalizedMessage: { fields: { locale: string(1), message: string(2) } },
          },
        },
      },
    },
  },
};
const detailTypes = ['Status', 'ErrorInfo', 'RetryInfo', 'DebugInfo', 'QuotaFailure', 'PreconditionFailure', 'BadRequest', 'RequestInfo', 'ResourceInfo', 'Help', 'LocalizedMessage'];

let decoders: ReadonlyMap<string, (bytes: Buffer) => object> | undefined;

/** One deserializer per rich-error message, made on first need. */
function richErrorDecoders(): ReadonlyMap<string, (bytes: Buffer) => object> {
  if (decoders !== undefined) return decoders;
  const methods = Object.fromEntries(detailTypes.map((type) => [type, { requestType: 'google.protobuf.Empty', responseType: `google.rpc.${type}` }]));
  const json = { nested: { ...richErrorModel.nested, courier: { nested: { RichErrorDecoders: { methods } } } } };
  const definition = fromJSON(json as unknown as Parameters<typeof fromJSON>[0], { keepCase: false, longs: String, enums: String, bytes: String, defaults: false, oneofs: true })['courier.RichErrorDecoders'] as Record<string, MethodDefinition<object, object>>;
  decoders = new Map(detailTypes.map((type) => [`google.rpc.${type}`, (bytes: Buffer) => definition[type].responseDeserialize(bytes)]));
  return decoders;
}

/**
 * The `grpc-status-details-bin` trailer as JSON text: the status's code and message, and each
 * detail decoded when it is one of google.rpc's error details (`@type` naming it, as proto3's JSON
 * mapping writes an `Any`), else its type and bytes in Base64. Undefined when the bytes are not a Status.
 */
export function richErrorDetailsText(bytes: Buffer): string | undefined {
  let status: { code?: number; message?: string; details?: { typeUrl?: string; type_url?: string; value?: string }[] };
  try {
    status = richErrorDecoders().get('google.rpc.Status')?.(bytes) as typeof status;
  } catch {
    return undefined;
  }
  const details = (status.details ?? []).map((any) => {
    // protobuf.js's own wrapper for google.protobuf.Any keeps the field's proto name.
    const typeUrl = any.typeUrl ?? any.type_url ?? '';
    const decode = richErrorDecoders().get(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
    if (decode !== undefined && typeUrl.includes('google.rpc.')) {
      try {
        return { '@type': typeUrl, ...decode(Buffer.from(any.value ?? '', 'base64')) };
      } catch {
        // Shown as bytes below.
      }
    }
    return { '@type': typeUrl, value: any.value ?? '' };
  });
  return JSON.stringify({ code: status.code ?? 0, message: status.message ?? '', details });
}

/** A call that never reached the server (grpc-js says UNAVAILABLE): `tls` when the handshake failed, else `refused`. */
export function grpcConnectionFailure(authority: string, details: string, tls: boolean): EngineFailure {
  // grpc-js words it "No connection established. Last error: Error: <cause>. Resolution note: ...".
  const cause = /Last error: (?:Error: )?(.*?)\.?(?: Resolution note:.*)?$/.exec(details)?.[1] ?? details;
  if (/ssl|tls|certificate|handshake/i.test(details)) {
    return new EngineFailure('tls', `could not open a TLS connection to ${authority} for gRPC: ${cause}. Add its CA to caFiles, or use # @insecure to skip verification`);
  }
  return new EngineFailure('refused', `could not open a gRPC connection to ${authority}: ${cause}; is the server running there, and does it speak gRPC over ${tls ? 'TLS (grpcs://)' : 'plaintext HTTP/2 (grpc://)'}?`);
}
