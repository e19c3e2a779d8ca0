// Reading a dereferenced schema the way completion and hover need: the properties an object may
// have (through `allOf`, `anyOf`, `oneOf`), the schema at a path of keys, a type for people, the
// values an enum allows. Schemas may be cycles: every walk is bounded.

import type { JsonSchema } from './specModel';

type SchemaObject = Readonly<Record<string, unknown>>;

export interface SchemaProperty {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly required: boolean;
}

function objectOf(schema: unknown): SchemaObject | undefined {
  return typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as SchemaObject) : undefined;
}

/** The schema and those it combines with (`allOf`, `anyOf`, `oneOf`), each once. */
function combined(schema: JsonSchema | undefined): SchemaObject[] {
  const found: SchemaObject[] = [];
  const visit = (value: unknown, depth: number): void => {
    const object = objectOf(value);
    if (!object || found.includes(object) || depth > 8) return;
    found.push(object);
    for (const key of ['allOf', 'anyOf', 'oneOf']) {
      const list = object[key];
      if (Array.isArray(list)) for (const member of list) visit(member, depth + 1);
    }
  };
  visit(schema, 0);
  return found;
}

/** The properties an object of this schema may have, in the schema's order; required ones are those any `allOf` part (or the schema) requires. */
export function propertiesOf(schema: JsonSchema | undefined): SchemaProperty[] {
  const parts = combined(schema);
  const required = new Set<string>();
  const root = objectOf(schema);
  // Only what every value must have is required: the schema's own list and its allOf parts'.
  const mandatory = root ? [root, ...(Array.isArray(root.allOf) ? root.allOf.map(objectOf).filter((part): part is SchemaObject => part !== undefined) : [])] : [];
  for (const part of mandatory) if (Array.isArray(part.required)) for (const name of part.required) if (typeof name === 'string') required.add(name);
  const properties = new Map<string, SchemaProperty>();
  for (const part of parts) {
    const own = objectOf(part.properties);
    if (!own) continue;
    for (const [name, value] of Object.entries(own)) {
      if (properties.has(name) || (typeof value !== 'boolean' && !objectOf(value))) continue;
      properties.set(name, { name, schema: value as JsonSchema, required: required.has(name) });
    }
  }
  return [...properties.values()];
}

/** The schema of the value at `path` (object keys and array indexes) inside a value of `schema`. */
export function schemaAt(schema: JsonSchema | undefined, path: readonly (string | number)[]): JsonSchema | undefined {
  let current = schema;
  for (const key of path) {
    if (current === undefined) return undefined;
    if (typeof key === 'number') {
      current = combined(current).map((part) => part.items).find((items): items is JsonSchema => typeof items === 'boolean' || objectOf(items) !== undefined);
    } else {
      const property = propertiesOf(current).find((candidate) => candidate.name === key);
      current = property?.schema ?? combined(current).map((part) => part.additionalProperties).find((extra): extra is JsonSchema => objectOf(extra) !== undefined);
    }
  }
  return current;
}

/** The values an enum (or a `const`, or a boolean) allows, as JSON. */
export function enumValues(schema: JsonSchema | undefined): unknown[] {
  for (const part of combined(schema)) {
    if (Array.isArray(part.enum)) return part.enum as unknown[];
    if ('const' in part) return [part.const];
    if (part.type === 'boolean') return [true, false];
    const items = objectOf(part.items);
    if (items && Array.isArray(items.enum)) return items.enum as unknown[];
  }
  return [];
}

/** `string`, `integer (int64)`, `array of string`, `Pet | null`-like text for people. */
export function typeLabel(schema: JsonSchema | undefined, depth = 0): string {
  const parts = combined(schema);
  const root = parts[0];
  if (!root) return schema === true ? 'any' : '';
  let type = Array.isArray(root.type) ? root.type.join(' | ') : typeof root.type === 'string' ? root.type : parts.find((part) => typeof part.type === 'string')?.type as string | undefined;
  if (type === undefined && parts.some((part) => objectOf(part.properties))) type = 'object';
  if (type === 'array' && depth < 2) type = `array of ${typeLabel(root.items as JsonSchema | undefined, depth + 1) || 'any'}`;
  if (typeof root.format === 'string') type = `${type ?? 'string'} (${root.format})`;
  if (root.nullable === true) type = `${type ?? 'any'} | null`;
  return type ?? '';
}

/** A schema's description or title, if it has one. */
export function describeSchema(schema: JsonSchema | undefined): string | undefined {
  const object = objectOf(schema);
  return typeof object?.description === 'string' ? object.description : typeof object?.title === 'string' ? object.title : undefined;
}
