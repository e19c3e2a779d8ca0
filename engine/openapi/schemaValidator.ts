// Validates values against OpenAPI schemas with ajv, in the dialect of each version: 3.1 is JSON
// Schema 2020-12 (Ajv2020); 3.0 and Swagger 2.0 are close to draft-04, and are rewritten into
// draft-07 (what plain Ajv reads) first: `nullable: true` adds `null` to the type, boolean
// `exclusiveMinimum`/`exclusiveMaximum` become numbers. Dereferenced schemas may be cycles of
// objects, which ajv cannot compile: a cycle becomes a `$ref` into `definitions`. Each schema is
// compiled once (by object identity) per dialect.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { SchemaValidator, SchemaViolation } from '../../language/openapi/schemaValidation';
import type { JsonSchema, OpenApiVersion } from '../../language/openapi/specModel';

type SchemaObject = Record<string, unknown>;

/** A validator over ajv; one per process is enough (it caches compiled schemas). */
export function createSchemaValidator(): SchemaValidator {
  // strict: false: OpenAPI schemas carry keywords of their own (`example`, `xml`, `discriminator`, `x-...`).
  const options = { strict: false, allErrors: true, validateFormats: true, allowUnionTypes: true } as const;
  const draft07 = new Ajv(options);
  const draft2020 = new Ajv2020(options);
  addFormats(draft07);
  addFormats(draft2020);
  const compiled = { legacy: new WeakMap<object, ValidateFunction>(), modern: new WeakMap<object, ValidateFunction>() };

  const validatorOf = (schema: JsonSchema, version: OpenApiVersion): ValidateFunction => {
    if (typeof schema === 'boolean') return (version === '3.1' ? draft2020 : draft07).compile(schema);
    const modern = version === '3.1';
    const cache = modern ? compiled.modern : compiled.legacy;
    let validate = cache.get(schema);
    if (validate === undefined) {
      const prepared = acyclic(schema, modern ? '$defs' : 'definitions', modern ? undefined : toDraft07);
      validate = (modern ? draft2020 : draft07).compile(prepared);
      cache.set(schema, validate);
    }
    return validate;
  };

  return {
    validate(schema: JsonSchema, version: OpenApiVersion, value: unknown): readonly SchemaViolation[] {
      const validate = validatorOf(schema, version);
      if (validate(value)) return [];
      return (validate.errors ?? []).filter((error) => !isWrapperNoise(error)).map(violationOf);
    },
  };
}

/** `allOf`/`anyOf`/`oneOf` say "must match a schema" after the errors of the branches: the branches say more. */
function isWrapperNoise(error: ErrorObject): boolean {
  return error.keyword === 'if' || error.keyword === 'allOf';
}

function violationOf(error: ErrorObject): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  const at = error.instancePath === '' ? 'the body' : error.instancePath;
  switch (error.keyword) {
    case 'required': {
      const property = String(params.missingProperty);
      return { pointer: error.instancePath, keyword: 'required', property, message: `Missing required property "${property}".` };
    }
    case 'additionalProperties': {
      const property = String(params.additionalProperty);
      return { pointer: `${error.instancePath}/${escapePointer(property)}`, keyword: 'additionalProperties', property, message: `Property "${property}" is not allowed here: the schema lists the properties it takes.` };
    }
    case 'enum':
      return { pointer: error.instancePath, keyword: 'enum', message: `${at} must be one of ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')}.` };
    case 'type':
      return { pointer: error.instancePath, keyword: 'type', message: `${at} must be ${articleOf(String(params.type))}.` };
    default:
      return { pointer: error.instancePath, keyword: error.keyword, message: `${at} ${error.message ?? 'does not match the schema'}.` };
  }
}

function articleOf(type: string): string {
  return type.split(',').map((one) => (/^[aeiou]/.test(one) ? `an ${one}` : `a ${one}`)).join(' or ');
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A copy of `schema` without object cycles: an object met again inside itself becomes a `$ref`
 * to a definition holding its copy; objects shared without a cycle stay shared. `rewrite`
 * adapts each schema object's own keywords (3.0 to draft-07).
 */
function acyclic(schema: SchemaObject, definitionsKey: string, rewrite?: (copy: SchemaObject) => void): SchemaObject {
  const definitions: SchemaObject = {};
  const names = new Map<object, string>();
  const onPath = new Set<object>();
  const done = new Map<object, unknown>();
  const copy = (value: unknown): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (onPath.has(value)) {
      let name = names.get(value);
      if (name === undefined) {
        name = `s${names.size}`;
        names.set(value, name);
      }
      return { $ref: `#/${definitionsKey}/${name}` };
    }
    const finished = done.get(value);
    if (finished !== undefined) return finished;
    onPath.add(value);
    let result: unknown;
    if (Array.isArray(value)) {
      result = value.map(copy);
    } else {
      const object: SchemaObject = {};
      for (const [key, item] of Object.entries(value as SchemaObject)) object[key] = copy(item);
      rewrite?.(object);
      result = object;
    }
    onPath.delete(value);
    const name = names.get(value);
    if (name !== undefined) {
      definitions[name] = result;
      result = { $ref: `#/${definitionsKey}/${name}` };
    }
    done.set(value, result);
    return result;
  };
  const root = copy(schema) as SchemaObject;
  if (names.size === 0) return root;
  // `$ref` beside other keywords is ignored before 2019-09: the root is wrapped.
  return { allOf: [root], [definitionsKey]: definitions };
}

/** OpenAPI 3.0's keywords (and Swagger 2.0's, once normalised) as draft-07 reads them. */
function toDraft07(schema: SchemaObject): void {
  if (schema.nullable === true) {
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as unknown[]), 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
  }
  // Only a boolean is the keyword: a map of properties may have one named `nullable`.
  if (typeof schema.nullable === 'boolean') delete schema.nullable;
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[exclusive] === 'boolean') {
      delete schema[exclusive];
    }
  }
}
