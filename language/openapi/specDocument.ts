// Reads a parsed, dereferenced OpenAPI 3.x or Swagger 2.0 document into the model of
// `specModel.ts`. Pure: the engine's loader parses and resolves `$ref`s, then calls this.
// What the model cannot do without is a problem at a path in the document (the loader turns
// that path into a line); anything else it tolerates, since an editor should still help with a
// spec that is half written.

import type {
  JsonSchema, OpenApiSpec, OpenApiVersion, ParameterLocation, SpecMediaType, SpecOperation,
  SpecParameter, SpecRequestBody, SpecResponse, SpecServer, SpecServerVariable,
} from './specModel';

/** Something the document must have and does not, at a path of keys from its root. */
export class SpecDocumentProblem extends Error {
  constructor(readonly path: readonly (string | number)[], message: string) {
    super(message);
    this.name = 'SpecDocumentProblem';
  }
}

type JsonRecord = Readonly<Record<string, unknown>>;

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const locations: readonly ParameterLocation[] = ['path', 'query', 'header', 'cookie'];

function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function schemaOf(value: unknown): JsonSchema | undefined {
  return isRecord(value) || typeof value === 'boolean' ? value : undefined;
}

/** The version a document declares, or a problem naming what it lacks. */
export function specVersionOf(document: unknown): OpenApiVersion {
  if (!isRecord(document)) throw new SpecDocumentProblem([], 'An OpenAPI document is an object with an `openapi` (3.x) or `swagger` ("2.0") field.');
  const openapi = document.openapi;
  if (openapi !== undefined) {
    if (typeof openapi === 'string' && /^3\.0(\.|$)/.test(openapi)) return '3.0';
    if (typeof openapi === 'string' && /^3\.1(\.|$)/.test(openapi)) return '3.1';
    throw new SpecDocumentProblem(['openapi'], `Unsupported OpenAPI version ${JSON.stringify(openapi)}: Courier reads 3.0, 3.1 and Swagger 2.0.`);
  }
  const swagger = document.swagger;
  if (swagger !== undefined) {
    if (swagger === '2.0' || swagger === 2) return '2.0';
    throw new SpecDocumentProblem(['swagger'], `Unsupported Swagger version ${JSON.stringify(swagger)}: Courier reads Swagger "2.0" and OpenAPI 3.0 and 3.1.`);
  }
  throw new SpecDocumentProblem([], 'Not an OpenAPI document: it has neither an `openapi` (3.x) nor a `swagger` ("2.0") field.');
}

/** The model of a dereferenced document; throws `SpecDocumentProblem` when it is not one. */
export function specFromDocument(file: string, document: unknown): OpenApiSpec {
  const version = specVersionOf(document);
  const root = document as JsonRecord;
  const paths = root.paths ?? {};
  if (!isRecord(paths)) throw new SpecDocumentProblem(['paths'], '`paths` must be an object of path templates, like `/items/{id}`.');
  const info = isRecord(root.info) ? root.info : {};
  const swagger = version === '2.0' ? swaggerContext(root) : undefined;
  const operations: SpecOperation[] = [];
  for (const [pathTemplate, pathItem] of Object.entries(paths)) {
    if (!isRecord(pathItem)) continue;
    const shared = Array.isArray(pathItem.parameters) ? pathItem.parameters : [];
    for (const method of methods) {
      const operation = pathItem[method];
      if (!isRecord(operation)) continue;
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      operations.push(swagger
        ? swaggerOperation(swagger, method, pathTemplate, operation, shared, own)
        : openApiOperation(method, pathTemplate, operation, shared, own));
    }
  }
  return {
    file,
    version,
    title: text(info.title) ?? '',
    servers: swagger ? swagger.servers : openApiServers(root.servers),
    operations,
  };
}

function openApiServers(value: unknown): SpecServer[] {
  const servers: SpecServer[] = [];
  for (const server of Array.isArray(value) ? value : []) {
    if (!isRecord(server) || typeof server.url !== 'string') continue;
    const variables: Record<string, SpecServerVariable> = {};
    if (isRecord(server.variables)) {
      for (const [name, variable] of Object.entries(server.variables)) {
        if (!isRecord(variable)) continue;
        const values = Array.isArray(variable.enum) ? variable.enum.map(String) : undefined;
        variables[name] = {
          default: typeof variable.default === 'string' || typeof variable.default === 'number' ? String(variable.default) : values?.[0] ?? '',
          ...(values ? { enum: values } : {}),
          ...(text(variable.description) ? { description: text(variable.description) } : {}),
        };
      }
    }
    servers.push({ url: server.url, variables, ...(text(server.description) ? { description: text(server.description) } : {}) });
  }
  return servers.length > 0 ? servers : [{ url: '/', variables: {} }];
}

/** Path-level parameters with the operation's over them (same name and location). */
function mergedParameters(shared: readonly unknown[], own: readonly unknown[]): JsonRecord[] {
  const byKey = new Map<string, JsonRecord>();
  for (const parameter of [...shared, ...own]) {
    if (isRecord(parameter) && typeof parameter.name === 'string') byKey.set(`${String(parameter.in)} ${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

function common(method: string, pathTemplate: string, operation: JsonRecord) {
  return {
    method: method.toUpperCase(),
    pathTemplate,
    ...(text(operation.operationId) ? { operationId: text(operation.operationId) } : {}),
    ...(text(operation.summary) ? { summary: text(operation.summary) } : {}),
    ...(text(operation.description) ? { description: text(operation.description) } : {}),
    ...(operation.deprecated === true ? { deprecated: true } : {}),
    tags: Array.isArray(operation.tags) ? operation.tags.filter((tag): tag is string => typeof tag === 'string') : [],
  };
}

function openApiParameter(parameter: JsonRecord): SpecParameter | undefined {
  const location = locations.find((where) => where === parameter.in);
  if (!location) return undefined;
  let schema = schemaOf(parameter.schema);
  // A parameter may give its schema as `content` (one media type) instead.
  if (!schema && isRecord(parameter.content)) {
    const first = Object.values(parameter.content)[0];
    if (isRecord(first)) schema = schemaOf(first.schema);
  }
  return {
    name: parameter.name as string,
    in: location,
    required: location === 'path' || parameter.required === true,
    ...(text(parameter.description) ? { description: text(parameter.description) } : {}),
    ...(schema !== undefined ? { schema } : {}),
    ...(text(parameter.style) ? { style: text(parameter.style) } : {}),
    ...(parameter.deprecated === true ? { deprecated: true } : {}),
  };
}

function openApiContent(value: unknown): Record<string, SpecMediaType> {
  const content: Record<string, SpecMediaType> = {};
  if (!isRecord(value)) return content;
  for (const [mediaType, media] of Object.entries(value)) {
    if (!isRecord(media)) continue;
    const schema = schemaOf(media.schema);
    let example = media.example;
    if (example === undefined && isRecord(media.examples)) {
      const first = Object.values(media.examples)[0];
      if (isRecord(first)) example = first.value;
    }
    content[mediaType] = { ...(schema !== undefined ? { schema } : {}), ...(example !== undefined ? { example } : {}) };
  }
  return content;
}

function openApiOperation(method: string, pathTemplate: string, operation: JsonRecord, shared: readonly unknown[], own: readonly unknown[]): SpecOperation {
  const parameters = mergedParameters(shared, own).map(openApiParameter).filter((p): p is SpecParameter => p !== undefined);
  const body = isRecord(operation.requestBody) ? operation.requestBody : undefined;
  const requestBody: SpecRequestBody | undefined = body && {
    required: body.required === true,
    ...(text(body.description) ? { description: text(body.description) } : {}),
    content: openApiContent(body.content),
  };
  const responses: Record<string, SpecResponse> = {};
  if (isRecord(operation.responses)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!isRecord(response)) continue;
      responses[status] = { description: text(response.description) ?? '', content: openApiContent(response.content) };
    }
  }
  return { ...common(method, pathTemplate, operation), parameters, ...(requestBody ? { requestBody } : {}), responses };
}

// Swagger 2.0 ---------------------------------------------------------------------------------

interface SwaggerContext {
  readonly servers: SpecServer[];
  readonly consumes: readonly string[];
  readonly produces: readonly string[];
}

function strings(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

function swaggerContext(root: JsonRecord): SwaggerContext {
  const host = text(root.host);
  const basePath = text(root.basePath) ?? '';
  const schemes = strings(root.schemes) ?? [];
  const servers: SpecServer[] = host
    ? (schemes.length > 0 ? schemes : ['https']).map((scheme) => ({ url: `${scheme}://${host}${basePath}`, variables: {} }))
    : [{ url: basePath || '/', variables: {} }];
  return { servers, consumes: strings(root.consumes) ?? [], produces: strings(root.produces) ?? [] };
}

/** Swagger 2.0's schema keywords in the 3.0 shape: `x-nullable` becomes `nullable`, at every depth. */
function swaggerSchema(schema: unknown, seen = new Map<object, unknown>()): JsonSchema | undefined {
  if (typeof schema === 'boolean') return schema;
  if (!isRecord(schema)) return undefined;
  return normaliseNullable(schema, seen) as JsonSchema;
}

function normaliseNullable(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const done = seen.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(normaliseNullable(item, seen));
    return copy;
  }
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) {
    if (key === 'x-nullable') copy.nullable = item;
    else copy[key] = normaliseNullable(item, seen);
  }
  return copy;
}

/** A non-body Swagger parameter's own type keywords as a schema. */
function swaggerParameterSchema(parameter: JsonRecord, seen: Map<object, unknown>): JsonSchema {
  const schema: Record<string, unknown> = {};
  for (const key of ['type', 'format', 'items', 'enum', 'default', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'uniqueItems', 'multipleOf']) {
    if (parameter[key] !== undefined) schema[key] = key === 'items' ? normaliseNullable(parameter[key], seen) : parameter[key];
  }
  if (schema.type === 'file') schema.type = 'string';
  return schema;
}

function swaggerOperation(context: SwaggerContext, method: string, pathTemplate: string, operation: JsonRecord, shared: readonly unknown[], own: readonly unknown[]): SpecOperation {
  const seen = new Map<object, unknown>();
  const consumes = strings(operation.consumes) ?? context.consumes;
  const produces = strings(operation.produces) ?? context.produces;
  const parameters: SpecParameter[] = [];
  let requestBody: SpecRequestBody | undefined;
  const formProperties: Record<string, unknown> = {};
  const formRequired: string[] = [];
  let hasFile = false;
  for (const parameter of mergedParameters(shared, own)) {
    const name = parameter.name as string;
    if (parameter.in === 'body') {
      const schema = swaggerSchema(parameter.schema, seen);
      const types = consumes.length > 0 ? consumes : ['application/json'];
      const content: Record<string, SpecMediaType> = {};
      for (const type of types) content[type] = schema !== undefined ? { schema } : {};
      requestBody = { required: parameter.required === true, ...(text(parameter.description) ? { description: text(parameter.description) } : {}), content };
      continue;
    }
    if (parameter.in === 'formData') {
      if (parameter.type === 'file') hasFile = true;
      formProperties[name] = swaggerParameterSchema(parameter, seen);
      if (parameter.required === true) formRequired.push(name);
      continue;
    }
    const location = locations.find((where) => where === parameter.in);
    if (!location) continue;
    parameters.push({
      name,
      in: location,
      required: location === 'path' || parameter.required === true,
      ...(text(parameter.description) ? { description: text(parameter.description) } : {}),
      schema: swaggerParameterSchema(parameter, seen),
    });
  }
  if (Object.keys(formProperties).length > 0) {
    const formType = hasFile || consumes.includes('multipart/form-data') ? 'multipart/form-data' : 'application/x-www-form-urlencoded';
    requestBody = {
      required: formRequired.length > 0,
      content: { [formType]: { schema: { type: 'object', properties: formProperties, ...(formRequired.length > 0 ? { required: formRequired } : {}) } } },
    };
  }
  const responses: Record<string, SpecResponse> = {};
  if (isRecord(operation.responses)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!isRecord(response)) continue;
      const content: Record<string, SpecMediaType> = {};
      const schema = swaggerSchema(response.schema, seen);
      const examples = isRecord(response.examples) ? response.examples : {};
      if (schema !== undefined) {
        for (const type of produces.length > 0 ? produces : ['application/json']) {
          content[type] = { schema, ...(examples[type] !== undefined ? { example: examples[type] } : {}) };
        }
      }
      responses[status] = { description: text(response.description) ?? '', content };
    }
  }
  return { ...common(method, pathTemplate, operation), parameters, ...(requestBody ? { requestBody } : {}), responses };
}
