// What every language feature is handed: the parsed document and what is known
// around it. Hosts (the LSP server, tests) build it; features never reach out
// to the file system or the editor themselves.

import type { SchemaValidator } from './openapi/schemaValidation';
import type { OpenApiSpec } from './openapi/specModel';
import type { HttpDocument, Span } from './syntax';

/**
 * Where a variable's value comes from, most specific first. `settings` is the `courier.environments`
 * VS Code setting, merged under the env files.
 */
export type VariableSource = 'file' | 'environment' | 'private-environment' | 'shared-environment' | 'settings' | 'prompt';

/** A variable a reference may resolve to. */
export interface KnownVariable {
  readonly name: string;
  /** Its value as written (may itself contain `{{...}}`); undefined for prompts, whose value is asked for. */
  readonly value: string | undefined;
  readonly source: VariableSource;
  /** Where it is defined: the document itself for file variables, an env file otherwise; undefined for prompts and settings. */
  readonly location: { readonly uri: string; readonly span: Span } | undefined;
  /** For environment and settings variables: the environment it belongs to (`$shared` for shared ones). */
  readonly environment?: string;
}

/** A global a script in another file of the workspace sets (`client.global.set("name", ...)`). */
export interface ScriptGlobal {
  readonly name: string;
  readonly uri: string;
  /** 0-based line of the name in that file. */
  readonly line: number;
}

/** The environments visible from a document (`http-client.env.json`, `http-client.private.env.json`). */
export interface EnvironmentSnapshot {
  /** Environment names, in file order, without `$shared`. */
  readonly names: readonly string[];
  /** The environment chosen by the user, if any. */
  readonly active: string | undefined;
  /**
   * Variables of the active environment (with `$shared` merged under it, private merged last);
   * with no active environment, the union over all environments, so nothing is reported undefined
   * that some environment defines.
   */
  readonly variables: ReadonlyMap<string, KnownVariable>;
  /**
   * With no active environment: each variable that environments define and `$shared` does not,
   * with the environments that define it in the order of `names`. Sending such a variable needs
   * an environment selected, which diagnostics say.
   */
  readonly definedInEnvironments?: ReadonlyMap<string, readonly string[]>;
  /**
   * Globals set by scripts in the workspace's other `.http` files, by name (the first place
   * found): session state a run may carry into this file, so `{{name}}` is not reported undefined.
   */
  readonly scriptGlobals?: ReadonlyMap<string, ScriptGlobal>;
  /**
   * Each environment's auth configurations (JetBrains' `Security.Auth`) as a send sees them, by
   * environment name (`$shared` when no other environment exists); absent when no env file has
   * `Security`. `$auth.token("id")` features read every environment from it, as `variables`
   * holds only one environment's `Security`.
   */
  readonly security?: ReadonlyMap<string, EnvironmentSecurity>;
}

/** One environment's `Security` variable, merged, and where its `Auth` entries are written. */
export interface EnvironmentSecurity {
  /** The value merged over `$shared` and the env files (private files last), as JSON text. */
  readonly text: string;
  /** Each entry's id as written, by id: every env file and environment (`$shared` or this one) that writes it, in merge order. */
  readonly entries: ReadonlyMap<string, readonly { readonly uri: string; readonly span: Span; readonly environment: string }[]>;
}

/** Read-only questions a feature may ask of its host. Implementations must not throw. */
export interface LanguageHost {
  /** Whether a file exists; `path` is as written in the document, resolved by the host against the document's folder. */
  fileExists(documentUri: string, path: string): boolean;
  /** A text file's content (an `.http` file that `import` or `run` names), resolved like `fileExists`; undefined when it cannot be read. Hosts that cannot read files leave it out. */
  readFile?(documentUri: string, path: string): string | undefined;
  /** The OpenAPI specs the workspace has, for completion, hover and checks from them; none when absent. */
  readonly openApi?: OpenApiHost;
}

/** OpenAPI descriptions a host has loaded (in the background: the list grows as they load). */
export interface OpenApiHost {
  /** The specs that apply to a document, in the order they are tried; the same array until one changes. */
  specsFor(documentUri: string): readonly OpenApiSpec[];
  /** Checks JSON bodies against request schemas; without it, only what needs no validator is checked. */
  readonly validator?: SchemaValidator;
}

/** Everything a feature needs to answer for one document. */
export interface FeatureContext {
  readonly uri: string;
  readonly document: HttpDocument;
  readonly environments: EnvironmentSnapshot;
  readonly host: LanguageHost;
}

/** An empty snapshot for documents with no env files. */
export const noEnvironments: EnvironmentSnapshot = { names: [], active: undefined, variables: new Map() };
