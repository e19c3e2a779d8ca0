// Severity per problem code, as users set it: `courier.diagnostics.severity` in the editor,
// `--diagnostic-severity CODE=LEVEL` for `courier run`. One mapping for both, so a code turned
// off in the editor can be turned off on the command line with the same words.

import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { Severity } from './syntax';

/** What a code may be set to: a severity, or `off` to drop its problems. */
export type SeverityLevel = Severity | 'off';

export const SEVERITY_LEVELS: readonly SeverityLevel[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Levels by problem code; codes not in the map keep their own severity. */
export type SeverityOverrides = ReadonlyMap<string, SeverityLevel>;

export const noSeverityOverrides: SeverityOverrides = new Map();

export function isSeverityLevel(value: unknown): value is SeverityLevel {
  return typeof value === 'string' && (SEVERITY_LEVELS as readonly string[]).includes(value);
}

/** The severity a problem with `code` and its own `severity` has under `overrides`; undefined when its code is off. */
export function severityFor(code: string, severity: Severity, overrides: SeverityOverrides): Severity | undefined {
  const level = overrides.get(code);
  if (level === undefined) return severity;
  return level === 'off' ? undefined : level;
}

const toLsp: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const fromLsp: Readonly<Record<DiagnosticSeverity, Severity>> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/**
 * `diagnostics` under `overrides` (see `severityFor`): the same list when nothing is overridden,
 * else a new one with changed diagnostics copied, never edited (diagnostics passes cache theirs).
 */
export function applySeverityOverrides(diagnostics: Diagnostic[], overrides: SeverityOverrides): Diagnostic[] {
  if (overrides.size === 0) return diagnostics;
  const result: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const code = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    const own = fromLsp[diagnostic.severity ?? DiagnosticSeverity.Error];
    const severity = code === undefined ? own : severityFor(code, own, overrides);
    if (severity === undefined) continue;
    result.push(severity === own ? diagnostic : { ...diagnostic, severity: toLsp[severity] });
  }
  return result;
}

/**
 * Reads `CODE=LEVEL` (the CLI's `--diagnostic-severity` value) into `overrides`; a sentence
 * saying what to write instead when it is not one.
 */
export function parseSeverityAssignment(text: string, overrides: Map<string, SeverityLevel>): string | undefined {
  const equals = text.indexOf('=');
  const code = equals === -1 ? '' : text.slice(0, equals).trim();
  const level = equals === -1 ? '' : text.slice(equals + 1).trim().toLowerCase();
  if (code === '' || !isSeverityLevel(level)) {
    return `'${text}' is not CODE=LEVEL: write e.g. http.body.unexpected=off, with a level among ${SEVERITY_LEVELS.join(', ')}`;
  }
  overrides.set(code, level);
  return undefined;
}
