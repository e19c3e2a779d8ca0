// `courier import openapi` and "Courier: Import OpenAPI...": an OpenAPI spec (already loaded into
// the model of `language/openapi/specModel.ts`) becomes `.http` files, one per tag, with a request
// per operation, and an `http-client.env.json` with an environment per server. Pure: the model and
// the texts of the files already there in, file texts out; the caller writes them.
//
// A request's path, query and header parameters are `{{variables}}`, defined above its request
// line with an example (the schema's example, default or first enum value); a JSON body is the
// media type's example, else one made from the schema. Every request is marked with the operation
// it came from (`# From OpenAPI: GET /items/{id}`) and named by its operationId, so a second import
// into the same folder finds the operations it wrote before: those are left as they are (edits
// kept), new operations are appended at the end of their tag's file, and environments or values
// missing from the env file are added without changing the others.

import { parse } from '../../language/parser';
import type { JsonSchema, OpenApiSpec, SpecOperation, SpecParameter, SpecServer } from '../../language/openapi/specModel';

export interface OpenApiImportedFile {
  /** Relative to the output folder. */
  readonly path: string;
  readonly text: string;
  /** `new`: the file was not there; `updated`: operations or environments were added; `unchanged`: nothing to add. */
  readonly change: 'new' | 'updated' | 'unchanged';
  /** The operations this import added to the file (`GET /items/{id}`). */
  readonly added: readonly string[];
}

export interface OpenApiImport {
  readonly title: string;
  /** `.http` files in the order of their tags' first operations, then the env file. */
  readonly files: readonly OpenApiImportedFile[];
  /** The environment to run the files with (`--env`): the first server's. */
  readonly environmentName: string;
  /** What was not converted exactly, as sentences. */
  readonly notes: readonly string[];
}

export interface OpenApiImportOptions {
  /** The text of a file already in the output folder (path relative to it), or undefined. */
  readonly existing?: (path: string) => string | undefined;
}

export const openApiEnvironmentFile = 'http-client.env.json';
const markerPrefix = '# From OpenAPI: ';
const baseUrlVariable = 'baseUrl';

/** The files for `spec`, merged with those already in the output folder. */
export function importOpenApi(spec: OpenApiSpec, options: OpenApiImportOptions = {}): OpenApiImport {
  const existing = options.existing ?? (() => undefined);
  const notes: string[] = [];
  const byFile = new Map<string, SpecOperation[]>();
  for (const operation of spec.operations) {
    const file = `${fileStem(operation.tags[0] ?? spec.title, 'api')}.http`;
    const operations = byFile.get(file);
    if (operations === undefined) byFile.set(file, [operation]);
    else operations.push(operation);
  }
  const files: OpenApiImportedFile[] = [];
  const names = new Set<string>();
  for (const [path, operations] of byFile) {
    const before = existing(path);
    const present = before === undefined ? { markers: new Set<string>(), names: new Set<string>(), variables: new Set<string>() } : writtenOperations(before);
    for (const name of present.names) names.add(name);
    const blocks: string[] = [];
    const added: string[] = [];
    for (const operation of operations) {
      const key = operationKey(operation);
      const name = requestName(operation);
      if (present.markers.has(key) || present.names.has(name)) continue;
      blocks.push(requestBlock(operation, uniqueName(name, names), present.variables, notes));
      added.push(key);
    }
    if (before === undefined) {
      files.push({ path, text: `${fileHeader(spec, operations[0]?.tags[0])}\n${blocks.join('\n')}`, change: 'new', added });
    } else {
      const text = blocks.length === 0 ? before : `${before.replace(/\s*$/, '')}\n\n${blocks.join('\n')}`;
      files.push({ path, text, change: blocks.length === 0 ? 'unchanged' : 'updated', added });
    }
  }
  const environments = serverEnvironments(spec.servers, notes);
  files.push(environmentFile(environments, existing(openApiEnvironmentFile), notes));
  return { title: spec.title, files, environmentName: environments[0]?.name ?? 'default', notes };
}

/** What a file already has: its operations (by marker comment and by request name) and its variables. */
function writtenOperations(text: string): { markers: Set<string>; names: Set<string>; variables: Set<string> } {
  const markers = new Set<string>();
  for (const line of text.split(/\r?\n/)) if (line.startsWith(markerPrefix)) markers.add(line.slice(markerPrefix.length).trim());
  const document = parse(text);
  const names = new Set<string>();
  for (const request of document.requests) if (request.name !== undefined) names.add(request.name.text);
  return { markers, names, variables: new Set(document.variables.map((variable) => variable.name.text)) };
}

function operationKey(operation: SpecOperation): string {
  return `${operation.method} ${operation.pathTemplate}`;
}

function fileHeader(spec: OpenApiSpec, tag: string | undefined): string {
  const title = tag === undefined ? spec.title : `${spec.title}: ${tag}`;
  return [
    `# ${title}`,
    `# Generated from the OpenAPI spec by Courier (courier import openapi). Edit freely: importing`,
    '# again adds new operations at the end and leaves the requests here as they are.',
    '',
  ].join('\n');
}

/** A request for `operation`; its parameters' variables are defined above it unless `defined` (the file's, so far) has them: a file variable is one for the whole file. */
function requestBlock(operation: SpecOperation, name: string, defined: Set<string>, notes: string[]): string {
  const lines: string[] = [`### ${oneLine(operation.summary ?? operationKey(operation))}`];
  if (operation.description !== undefined && operation.description !== operation.summary) {
    for (const line of operation.description.trim().split(/\r?\n/).slice(0, 5)) lines.push(`# ${line}`.trimEnd());
  }
  lines.push(`${markerPrefix}${operationKey(operation)}`);
  if (operation.deprecated === true) lines.push('# Deprecated in the spec.');
  lines.push(`# @name ${name}`);
  const variables = new Map<string, string>();
  const define = (parameter: SpecParameter): string => {
    const variable = variableName(parameter.name);
    if (!variables.has(variable) && !defined.has(variable)) variables.set(variable, exampleText(parameter.schema));
    return `{{${variable}}}`;
  };
  const path = operation.pathTemplate.replace(/\{([^{}]+)\}/g, (_whole, parameterName: string) => {
    const parameter = operation.parameters.find((candidate) => candidate.in === 'path' && candidate.name === parameterName);
    return parameter === undefined ? define({ name: parameterName, in: 'path', required: true }) : define(parameter);
  });
  const query = operation.parameters
    .filter((parameter) => parameter.in === 'query')
    // Required first: the optional ones are often left out, and they end the line.
    .sort((a, b) => Number(b.required) - Number(a.required))
    .map((parameter) => `${encodeURIComponent(parameter.name)}=${define(parameter)}`);
  const headers = operation.parameters.filter((parameter) => parameter.in === 'header' && !isManagedHeader(parameter.name)).map((parameter) => `${parameter.name}: ${define(parameter)}`);
  const cookies = operation.parameters.filter((parameter) => parameter.in === 'cookie').map((parameter) => `${parameter.name}=${define(parameter)}`);
  for (const [variable, value] of variables) {
    lines.push(`@${variable} = ${value}`);
    defined.add(variable);
  }
  lines.push(`${operation.method} {{${baseUrlVariable}}}${path}${query.length === 0 ? '' : `?${query.join('&')}`}`);
  lines.push(...headers);
  if (cookies.length > 0) lines.push(`Cookie: ${cookies.join('; ')}`);
  const accept = responseMediaType(operation);
  if (accept !== undefined) lines.push(`Accept: ${accept}`);
  const body = requestBody(operation, notes);
  if (body !== undefined) lines.push(`Content-Type: ${body.contentType}`, '', body.text);
  return `${lines.join('\n')}\n`;
}

/** Headers Courier writes itself or that the request line already says. */
function isManagedHeader(name: string): boolean {
  return ['content-type', 'accept', 'content-length', 'authorization', 'cookie'].includes(name.toLowerCase());
}

function responseMediaType(operation: SpecOperation): string | undefined {
  const success = Object.entries(operation.responses).find(([status]) => /^2/.test(status))?.[1];
  const types = Object.keys(success?.content ?? {});
  return types.find((type) => /json/i.test(type)) ?? types[0];
}

function requestBody(operation: SpecOperation, notes: string[]): { contentType: string; text: string } | undefined {
  const content = operation.requestBody?.content;
  if (content === undefined) return undefined;
  const types = Object.keys(content);
  const contentType = types.find((type) => /^application\/(?:[\w.+-]*\+)?json\b/i.test(type)) ?? types.find((type) => /^application\/x-www-form-urlencoded\b/i.test(type)) ?? types[0];
  if (contentType === undefined) return undefined;
  const media = content[contentType];
  const value = media?.example !== undefined ? media.example : exampleOf(media?.schema, 0, 'request');
  if (/json/i.test(contentType)) return { contentType, text: JSON.stringify(value ?? {}, null, 2) };
  if (/x-www-form-urlencoded/i.test(contentType) && isRecord(value)) {
    return { contentType, text: Object.entries(value).map(([key, item]) => `${encodeURIComponent(key)}=${encodeURIComponent(scalarText(item))}`).join('&') };
  }
  if (typeof value === 'string' && !/^(?:multipart|image|audio|video|application\/octet-stream)/i.test(contentType)) return { contentType, text: value };
  notes.push(`${operationKey(operation)}: a ${contentType} body is not generated; write it under the request (a multipart form, or < ./file to send a file)`);
  return undefined;
}

/** A parameter's example as a variable's value: one line of text. */
function exampleText(schema: JsonSchema | undefined): string {
  const value = exampleOf(schema, 0, 'request');
  return oneLine(scalarText(value));
}

function scalarText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  return JSON.stringify(value);
}

const maxExampleDepth = 6;

/**
 * An example value of `schema`: its `example`, `examples`, `default`, `const` or first `enum`
 * value, else one made from its type (properties of an object, one item of an array, a string
 * shaped by its format). `readOnly` properties are left out of requests.
 */
export function exampleOf(schema: JsonSchema | undefined, depth = 0, direction: 'request' | 'response' = 'request'): unknown {
  if (schema === undefined || typeof schema === 'boolean') return undefined;
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((value) => value !== null) ?? schema.enum[0];
  if (depth > maxExampleDepth) return undefined;
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches) && branches.length > 0) return exampleOf(branches[0] as JsonSchema, depth + 1, direction);
  }
  if (Array.isArray(schema.allOf)) {
    const parts = (schema.allOf as JsonSchema[]).map((part) => exampleOf(part, depth + 1, direction));
    if (parts.every(isRecord)) return Object.assign({}, ...parts) as Record<string, unknown>;
    return parts.find((part) => part !== undefined);
  }
  const type = Array.isArray(schema.type) ? (schema.type as unknown[]).find((item) => item !== 'null') : schema.type;
  if (type === 'object' || (type === undefined && isRecord(schema.properties))) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const value: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(properties)) {
      if (!isRecord(property) && typeof property !== 'boolean') continue;
      if (isRecord(property) && property[direction === 'request' ? 'readOnly' : 'writeOnly'] === true) continue;
      const example = exampleOf(property, depth + 1, direction);
      if (example !== undefined) value[name] = example;
    }
    return value;
  }
  if (type === 'array') {
    const item = exampleOf(schema.items as JsonSchema | undefined, depth + 1, direction);
    return item === undefined ? [] : [item];
  }
  if (type === 'integer') return typeof schema.minimum === 'number' ? Math.ceil(schema.minimum) : 1;
  if (type === 'number') return typeof schema.minimum === 'number' ? schema.minimum : 1.5;
  if (type === 'boolean') return true;
  if (type === 'string') return stringExample(typeof schema.format === 'string' ? schema.format : undefined);
  return undefined;
}

function stringExample(format: string | undefined): string {
  switch (format) {
    case 'date-time':
      return '2024-01-01T12:00:00Z';
    case 'date':
      return '2024-01-01';
    case 'time':
      return '12:00:00';
    case 'email':
      return 'user@example.com';
    case 'uuid':
      return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    case 'uri':
    case 'url':
      return 'https://example.com';
    case 'hostname':
      return 'example.com';
    case 'ipv4':
      return '192.0.2.1';
    case 'ipv6':
      return '2001:db8::1';
    case 'byte':
      return 'U3dhZ2dlciByb2Nrcw==';
    default:
      return 'string';
  }
}

interface ServerEnvironment {
  readonly name: string;
  readonly baseUrl: string;
}

/** An environment per server, its URL with variables at their defaults. */
function serverEnvironments(servers: readonly SpecServer[], notes: string[]): ServerEnvironment[] {
  const environments: ServerEnvironment[] = [];
  const taken = new Set<string>();
  servers.forEach((server, index) => {
    let url = server.url.replace(/\{([^{}]+)\}/g, (whole, name: string) => server.variables[name]?.default ?? whole);
    if (url.startsWith('/') || url === '') {
      notes.push(`the server ${server.url === '' ? '/' : server.url} is relative: its environment reads http://localhost${url === '/' ? '' : url}; set baseUrl to the API's address`);
      url = `http://localhost${url}`;
    }
    let name = environmentNameOf(server, url, index);
    for (let n = 2; taken.has(name); n++) name = `${name.replace(/-\d+$/, '')}-${n}`;
    taken.add(name);
    environments.push({ name, baseUrl: url.replace(/\/+$/, '') });
  });
  return environments;
}

/** A short description's words (`staging`), else `local` for this machine, else the host's (`api-example-com`), else `server2`... */
function environmentNameOf(server: SpecServer, url: string, index: number): string {
  const described = server.description === undefined ? '' : fileStem(server.description, '');
  if (described !== '' && described.length <= 24) return described;
  const host = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url)?.[1]?.toLowerCase();
  if (host === 'localhost' || host === '127.0.0.1' || host === '[::1]') return 'local';
  return host === undefined ? `server${index + 1}` : fileStem(host, `server${index + 1}`);
}

/** The env file with an environment per server; one that exists keeps its environments and values, and gains only what it lacks. */
function environmentFile(environments: readonly ServerEnvironment[], before: string | undefined, notes: string[]): OpenApiImportedFile {
  const path = openApiEnvironmentFile;
  if (before === undefined) {
    const value = Object.fromEntries(environments.map((environment) => [environment.name, { [baseUrlVariable]: environment.baseUrl }]));
    return { path, text: `${JSON.stringify(value, null, 2)}\n`, change: 'new', added: environments.map((environment) => environment.name) };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(before);
  } catch {
    parsed = undefined;
  }
  if (!isRecord(parsed)) {
    notes.push(`${path} is not a JSON object, so no environment was added to it; add "${baseUrlVariable}" to an environment yourself`);
    return { path, text: before, change: 'unchanged', added: [] };
  }
  const merged: Record<string, unknown> = { ...parsed };
  const added: string[] = [];
  for (const environment of environments) {
    const current = merged[environment.name];
    if (current === undefined) {
      merged[environment.name] = { [baseUrlVariable]: environment.baseUrl };
      added.push(environment.name);
    } else if (isRecord(current) && current[baseUrlVariable] === undefined) {
      merged[environment.name] = { ...current, [baseUrlVariable]: environment.baseUrl };
      added.push(environment.name);
    }
  }
  return added.length === 0 ? { path, text: before, change: 'unchanged', added } : { path, text: `${JSON.stringify(merged, null, 2)}\n`, change: 'updated', added };
}

/** The request's name: its operationId as a name Courier reads (letters, digits, `_`), else one made from method and path. */
function requestName(operation: SpecOperation): string {
  const source = operation.operationId ?? `${operation.method.toLowerCase()} ${operation.pathTemplate.replace(/[{}]/g, ' by ')}`;
  const words = source.split(/[^A-Za-z0-9]+/).filter((word) => word !== '');
  const name = words.map((word, index) => (index === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[A-Za-z_]/.test(name) ? name : `op${name}`;
}

function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}${n}`;
  taken.add(unique);
  return unique;
}

/** A parameter's name as a variable: `X-Request-Id` becomes `X_Request_Id`. */
function variableName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function fileStem(text: string, fallback: string): string {
  const stem = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem === '' ? fallback : stem;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
