// Checking a value against a spec's schema is the host's job (the engine supplies ajv): the
// language service only says what to check and places what comes back.

import type { JsonSchema, OpenApiVersion } from './specModel';

/** One way a value breaks a schema. */
export interface SchemaViolation {
  /** JSON pointer to the value that breaks it (`/items/0/name`; `''` for the whole value). */
  readonly pointer: string;
  /** The JSON Schema keyword that failed (`type`, `required`, `enum`, `additionalProperties`, ...). */
  readonly keyword: string;
  /** A sentence for people: what was expected. */
  readonly message: string;
  /** For `required`: the property that is missing; for `additionalProperties`: the one not allowed. */
  readonly property?: string;
}

export interface SchemaValidator {
  /** The violations of `value` against `schema`, read in the JSON Schema dialect of `version`; none when it conforms. */
  validate(schema: JsonSchema, version: OpenApiVersion, value: unknown): readonly SchemaViolation[];
}
