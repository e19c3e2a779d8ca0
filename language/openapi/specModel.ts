// What Courier knows of an OpenAPI document (3.0, 3.1) or Swagger 2.0 description, in one shape
// whatever the version: operations with their parameters, bodies and responses, schemas
// dereferenced (cycles are kept as cycles). Pure data, so the language service, the engine and
// the CLI read the same model; `specDocument.ts` builds it from a parsed document.

export type OpenApiVersion = '2.0' | '3.0' | '3.1';

/**
 * The JSON Schema dialect each version's schemas are written in, for validators to pick a draft:
 * 3.0 has its own dialect close to draft-04 (with `nullable`, `exclusiveMinimum` as a boolean),
 * 3.1 is JSON Schema 2020-12, Swagger 2.0 is draft-04 (with `x-nullable`).
 */
export type JsonSchemaDialect = 'openapi-3.0' | 'draft-2020-12' | 'draft-04';

/** The dialect of a version's schemas. */
export function schemaDialectOf(version: OpenApiVersion): JsonSchemaDialect {
  return version === '3.1' ? 'draft-2020-12' : version === '3.0' ? 'openapi-3.0' : 'draft-04';
}

/** A schema, dereferenced; Swagger 2.0's are normalised to the 3.0 shape (`x-nullable` to `nullable`). */
export type JsonSchema = Readonly<Record<string, unknown>> | boolean;

export interface SpecServerVariable {
  readonly default: string;
  readonly enum?: readonly string[];
  readonly description?: string;
}

export interface SpecServer {
  /** A template with `{variables}`, as written (may be relative, like `/v1`). */
  readonly url: string;
  readonly variables: Readonly<Record<string, SpecServerVariable>>;
  readonly description?: string;
}

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';

export interface SpecParameter {
  readonly name: string;
  readonly in: ParameterLocation;
  readonly required: boolean;
  readonly description?: string;
  readonly schema?: JsonSchema;
  /** `simple`, `label`, `matrix` for path parameters; `form` for queries when not written. */
  readonly style?: string;
  readonly deprecated?: boolean;
}

export interface SpecMediaType {
  readonly schema?: JsonSchema;
  readonly example?: unknown;
}

export interface SpecRequestBody {
  readonly required: boolean;
  readonly description?: string;
  readonly content: Readonly<Record<string, SpecMediaType>>;
}

export interface SpecResponse {
  readonly description: string;
  readonly content: Readonly<Record<string, SpecMediaType>>;
}

export interface SpecOperation {
  /** Upper case. */
  readonly method: string;
  /** As written in `paths`, like `/items/{id}`. */
  readonly pathTemplate: string;
  readonly operationId?: string;
  readonly summary?: string;
  readonly description?: string;
  readonly deprecated?: boolean;
  readonly tags: readonly string[];
  /** Path-level parameters merged in (the operation's win by name and location). */
  readonly parameters: readonly SpecParameter[];
  readonly requestBody?: SpecRequestBody;
  /** By status as written: `'200'`, `'2XX'`, `'default'`. */
  readonly responses: Readonly<Record<string, SpecResponse>>;
}

export interface OpenApiSpec {
  /** The file it was read from (an absolute path, or a URI when read through a host). */
  readonly file: string;
  readonly version: OpenApiVersion;
  readonly title: string;
  /** Never empty: a document without servers has one, `/` (Swagger 2.0: from host, basePath and schemes). */
  readonly servers: readonly SpecServer[];
  readonly operations: readonly SpecOperation[];
}
