// A response body's value checked against an OpenAPI schema with ajv, in the draft the spec's
// version writes its schemas in: OpenAPI 3.1 is JSON Schema 2020-12; 3.0 and Swagger 2.0 are close
// to draft-04 (with `nullable`, and `exclusiveMinimum` as a boolean beside `minimum`), which this
// module rewrites to draft-07 before ajv sees it. What ajv compiles is kept per schema object, so
// a schema that answers a thousand responses is compiled once.
//
// The loader keeps `$ref` cycles as cycles in the dereferenced objects; ajv cannot walk those, so
// a cycle's target becomes a definition referred to by `$ref` in the copy ajv compiles.

import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { schemaDialectOf, type JsonSchema, type JsonSchemaDialect, type OpenApiVersion } from '../../language/openapi/specModel';

/** One place where a value breaks its schema, in words a person can act on. */
export interface SchemaViolation {
  /** Where in the value, as a JSONPath like `$.items[0].price` (`$` for the value itself). */
  readonly path: string;
  /** What the schema asks for there: `type number`, `property "name"`, `one of "a", "b"`. */
  readonly expected: string;
  /** What the value has there: JSON text, shortened; `missing` for an absent property. */
  readonly actual: string;
}

/** Violations past this many are counted, not listed: the first few say what broke. */
export const maxReportedViolations = 10;

/** Checks `value` against `schema` as written in a spec of `version`; an empty list when it conforms. */
export function schemaViolations(schema: JsonSchema, version: OpenApiVersion, value: unknown): { readonly violations: readonly SchemaViolation[]; readonly more: number } {
  const validate = compiledSchema(schema, schemaDialectOf(version));
  if (validate(value)) return { violations: [], more: 0 };
  const errors = relevantErrors(validate.errors ?? []);
  const violations = errors.slice(0, maxReportedViolations).map((error) => violationOf(error, value));
  return { violations, more: Math.max(0, errors.length - maxReportedViolations) };
}

/** A schema that cannot be compiled (a pattern JavaScript cannot read, a broken `$ref`): what ajv said. */
export class SchemaCompileError extends Error {}

const compiledByDialect = new Map<JsonSchemaDialect, WeakMap<object, ValidateFunction>>();
const validators = new Map<JsonSchemaDialect, Ajv>();

/** The validator of `schema`, compiled on first use and kept while the schema object lives. */
export function compiledSchema(schema: JsonSchema, dialect: JsonSchemaDialect): ValidateFunction {
  if (typeof schema === 'boolean') return validatorOf(dialect).compile(schema);
  let compiled = compiledByDialect.get(dialect);
  if (compiled === undefined) compiledByDialect.set(dialect, (compiled = new WeakMap()));
  const known = compiled.get(schema);
  if (known !== undefined) return known;
  let validate: ValidateFunction;
  try {
    validate = validatorOf(dialect).compile(ajvSchemaOf(schema, dialect));
  } catch (error) {
    throw new SchemaCompileError(error instanceof Error ? error.message : String(error));
  }
  compiled.set(schema, validate);
  return validate;
}

function validatorOf(dialect: JsonSchemaDialect): Ajv {
  let ajv = validators.get(dialect);
  if (ajv !== undefined) return ajv;
  // Not strict: specs carry `example`, `xml`, `discriminator`, `x-...` and formats of their own.
  const options = { strict: false, allErrors: true, logger: false, validateSchema: false } as const;
  ajv = dialect === 'draft-2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats(ajv);
  // OpenAPI's own formats: the numeric ones are checked, the others describe and do not constrain.
  ajv.addFormat('int32', { type: 'number', validate: (value: number) => Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isInteger(value) });
  for (const format of ['float', 'double']) ajv.addFormat(format, { type: 'number', validate: () => true });
  for (const format of ['byte', 'binary', 'password']) ajv.addFormat(format, { type: 'string', validate: () => true });
  validators.set(dialect, ajv);
  return ajv;
}

/** Keywords whose value is one schema. */
const schemaKeywords = new Set(['items', 'additionalItems', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties']);
/** Keywords whose value is a list of schemas. */
const schemaListKeywords = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const schemaMapKeywords = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Identifiers ajv would register globally: two schemas of one spec may share them, so they are dropped. */
const droppedKeywords = new Set(['$id', 'id', '$schema', '$anchor', '$dynamicAnchor']);

/**
 * The copy of `schema` ajv compiles: cycles as `$ref`s to definitions, draft-04 bounds and
 * `nullable` as draft-07 says them (for 3.0 and 2.0), `writeOnly` properties not required
 * (they are never in a response).
 */
export function ajvSchemaOf(schema: Readonly<Record<string, unknown>>, dialect: JsonSchemaDialect): Record<string, unknown> {
  const definitionsKey = dialect === 'draft-2020-12' ? '$defs' : 'definitions';
  const recursive = cycleTargets(schema);
  const names = new Map<object, string>();
  for (const target of recursive) names.set(target, `cycle${names.size}`);
  const definitions: Record<string, unknown> = {};
  const convert = (node: unknown, isRoot: boolean): unknown => {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return node;
    const name = names.get(node);
    if (name !== undefined && !isRoot) {
      if (!(name in definitions)) {
        definitions[name] = true; // claimed before converting, so the cycle ends here
        definitions[name] = convertObject(node as Record<string, unknown>);
      }
      return { $ref: `#/${definitionsKey}/${name}` };
    }
    return convertObject(node as Record<string, unknown>);
  };
  const convertObject = (node: Readonly<Record<string, unknown>>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (droppedKeywords.has(key) || key === '$ref') continue;
      if (schemaKeywords.has(key)) out[key] = Array.isArray(value) ? value.map((item) => convert(item, false)) : convert(value, false);
      else if (schemaListKeywords.has(key) && Array.isArray(value)) out[key] = value.map((item) => convert(item, false));
      else if (schemaMapKeywords.has(key) && isRecord(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, convert(item, false)]));
      else if (key === 'dependencies' && isRecord(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, Array.isArray(item) ? item : convert(item, false)]));
      else out[key] = value;
    }
    if (dialect !== 'draft-2020-12') draft04ToDraft07(out);
    withoutWriteOnlyRequired(out);
    return out;
  };
  const root = convertObject(schema);
  if (names.has(schema)) {
    // The root is in a cycle: the definition holds it, the root refers to it.
    definitions.cycleRoot = root;
    return { allOf: [{ $ref: `#/${definitionsKey}/cycleRoot` }], [definitionsKey]: definitions };
  }
  if (Object.keys(definitions).length === 0) return root;
  // Beside the root's own keywords; `allOf` keeps a root `$ref`-free in draft-07, where siblings of `$ref` are ignored.
  return { allOf: [root], [definitionsKey]: definitions };
}

/** The objects of `schema` that contain themselves (reached again while being walked). */
function cycleTargets(schema: object): Set<object> {
  const targets = new Set<object>();
  const onPath = new Set<object>();
  const done = new Set<object>();
  const walk = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (onPath.has(node)) {
      targets.add(node);
      return;
    }
    if (done.has(node)) return;
    onPath.add(node);
    for (const value of Array.isArray(node) ? node : Object.values(node)) walk(value);
    onPath.delete(node);
    done.add(node);
  };
  walk(schema);
  return targets;
}

/** OpenAPI 3.0's and Swagger 2.0's wording of what draft-07 says otherwise. */
function draft04ToDraft07(schema: Record<string, unknown>): void {
  for (const [exclusive, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (typeof schema[exclusive] !== 'boolean') continue;
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else {
      delete schema[exclusive];
    }
  }
  const nullable = schema.nullable === true || schema['x-nullable'] === true;
  delete schema.nullable;
  if (!nullable) return;
  if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
  else if (Array.isArray(schema.type) && !schema.type.includes('null')) schema.type = [...(schema.type as unknown[]), 'null'];
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...(schema.enum as unknown[]), null];
}

function withoutWriteOnlyRequired(schema: Record<string, unknown>): void {
  const properties = schema.properties;
  if (!Array.isArray(schema.required) || !isRecord(properties)) return;
  const writeOnly = (name: unknown): boolean => {
    const property = typeof name === 'string' ? properties[name] : undefined;
    return isRecord(property) && property.writeOnly === true;
  };
  if ((schema.required as unknown[]).some(writeOnly)) schema.required = (schema.required as unknown[]).filter((name) => !writeOnly(name));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The errors worth reading: a failed `anyOf`/`oneOf` reports each branch's errors too, and the
 * branches' are noise when the value fits none of them; an `if` failing says nothing by itself.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const combinators = errors.filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf');
  return errors.filter((error) => {
    if (error.keyword === 'if') return false;
    return !combinators.some((combinator) => combinator !== error && error.schemaPath.startsWith(`${combinator.schemaPath}/`));
  });
}

function violationOf(error: ErrorObject, root: unknown): SchemaViolation {
  const pointer = error.instancePath;
  const at = valueAt(root, pointer);
  const path = jsonPathOf(pointer);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: childPath(path, String(params.missingProperty)), expected: `required property "${String(params.missingProperty)}"`, actual: 'missing' };
    case 'additionalProperties':
      return { path: childPath(path, String(params.additionalProperty)), expected: 'no property of this name (additionalProperties: false)', actual: shown(isRecord(at) ? at[String(params.additionalProperty)] : undefined) };
    case 'unevaluatedProperties':
      return { path: childPath(path, String(params.unevaluatedProperty)), expected: 'no property of this name (unevaluatedProperties: false)', actual: shown(isRecord(at) ? at[String(params.unevaluatedProperty)] : undefined) };
    case 'type':
      return { path, expected: `type ${Array.isArray(params.type) ? (params.type as unknown[]).join(' or ') : String(params.type)}`, actual: `${shown(at)} (${typeName(at)})` };
    case 'enum':
      return { path, expected: `one of ${(params.allowedValues as unknown[]).map((value) => shown(value)).join(', ')}`, actual: shown(at) };
    case 'const':
      return { path, expected: `exactly ${shown(params.allowedValue)}`, actual: shown(at) };
    case 'format':
      return { path, expected: `format ${String(params.format)}`, actual: shown(at) };
    case 'anyOf':
    case 'oneOf':
      return { path, expected: error.keyword === 'oneOf' && Array.isArray(params.passingSchemas) ? 'exactly one of the schemas in oneOf (more than one matched)' : `one of the schemas in ${error.keyword}`, actual: shown(at) };
    default:
      // minimum, maxLength, pattern, minItems...: ajv's wording names the bound (`must be >= 0`).
      return { path, expected: (error.message ?? error.keyword).replace(/^must be /, '').replace(/^must NOT /, 'not ').replace(/^must /, ''), actual: shown(at) };
  }
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isRecord(node)) node = node[key];
    else return undefined;
  }
  return node;
}

/** `/items/0/price` as `$.items[0].price`, the way `??` lines and request variables write paths. */
export function jsonPathOf(pointer: string): string {
  let path = '$';
  if (pointer === '') return path;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path = /^\d+$/.test(key) ? `${path}[${key}]` : childPath(path, key);
  }
  return path;
}

function childPath(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

const shownLength = 80;

/** A value as JSON text, cut short for a message. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length <= shownLength ? text : `${text.slice(0, shownLength - 1)}…`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
