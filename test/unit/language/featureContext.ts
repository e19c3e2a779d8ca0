// Builds a `FeatureContext` for an in-memory document, shared by the language feature tests.
import type { EnvironmentSnapshot, FeatureContext, KnownVariable } from '../../../language/context';
import { noEnvironments } from '../../../language/context';
import { parse } from '../../../language/parser';
import { offsetToPosition, positionToOffset } from '../../../language/positions';
import type { Range } from 'vscode-languageserver-types';

export const testUri = 'file:///work/api.http';

export interface ContextOptions {
  /** Environment variables by name. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Paths (as written in the document) that exist. */
  readonly files?: readonly string[];
}

export function contextFor(text: string, options: ContextOptions = {}): FeatureContext {
  const existing = new Set(options.files ?? []);
  return {
    uri: testUri,
    document: parse(text),
    environments: options.environment === undefined ? noEnvironments : snapshotOf(options.environment),
    host: { fileExists: (_uri, path) => existing.has(path) },
  };
}

function snapshotOf(values: Readonly<Record<string, string>>): EnvironmentSnapshot {
  const variables = new Map<string, KnownVariable>();
  for (const [name, value] of Object.entries(values)) {
    variables.set(name, { name, value, source: 'environment', location: undefined, environment: 'dev' });
  }
  return { names: ['dev'], active: 'dev', variables };
}

/** The document text a range covers, so assertions read like the document. */
export function textOf(context: FeatureContext, range: Range): string {
  return context.document.text.slice(positionToOffset(context.document, range.start), positionToOffset(context.document, range.end));
}

/** Splits `text` at its `|` marker: the text without it and the marker's offset. */
export function cursor(marked: string): { readonly text: string; readonly offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('test text has no | cursor');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** The `{ line, character }` of `offset`. */
export function positionOf(context: FeatureContext, offset: number): { readonly line: number; readonly character: number } {
  return offsetToPosition(context.document, offset);
}
