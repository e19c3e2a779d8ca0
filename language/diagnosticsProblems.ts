// What the checks find (`Problem`: offsets, a stable code, a default severity) and how a problem
// becomes an LSP diagnostic. Shared by every check module and by both diagnostics passes.

import { DiagnosticSeverity, DiagnosticTag, Range, type Diagnostic } from 'vscode-languageserver-types';
import type { Code } from './codes';
import type { DiagnosticFixData } from './diagnosticsQuickFixes';
import { offsetToPosition } from './positions';
import type { HttpDocument, Severity, Span } from './syntax';

/** A problem found by a check, in offsets into the document it was found in. */
export interface Problem extends Span {
  readonly code: string;
  readonly message: string;
  readonly severity: Severity;
  readonly unnecessary?: boolean;
  readonly suggestion?: string;
  readonly define?: string;
  /** Environments one of which a fix may select (a variable only they define). */
  readonly environments?: readonly string[];
  /** Another place the message refers to (a header's first occurrence). */
  readonly related?: Span & { readonly message: string };
}

export type ProblemList = Problem[];

export const noProblems: readonly Problem[] = [];

/** What some problems carry besides a span, a code, a severity and a message. */
type ProblemExtras = Pick<Problem, 'unnecessary' | 'suggestion' | 'define' | 'environments' | 'related'>;

const noExtras: ProblemExtras = {};

/**
 * Every problem has every field, so all share one hidden class, which the literal keeps alive.
 * A spread of `extra` made one per combination, alive only while some problem was: each full
 * GC between two passes freed them and V8 threw away the optimised code that used them.
 */
export function add(list: ProblemList, span: Span, code: Code, severity: Severity, message: string, extra: ProblemExtras = noExtras): void {
  list.push({ start: span.start, end: span.end, code, severity, message, unnecessary: extra.unnecessary, suggestion: extra.suggestion, define: extra.define, environments: extra.environments, related: extra.related });
}

/** Document order, so both passes agree and lists read top to bottom. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/** `problem` as a diagnostic, `lineOffset` lines below where it is in `document` (a chunk's own lines start at 0). */
export function toDiagnostic(uri: string, document: HttpDocument, problem: Problem, lineOffset = 0): Diagnostic {
  // A literal rather than `Diagnostic.create`, which adds fields one at a time: see `add`.
  const diagnostic: Diagnostic = { range: spanRange(document, problem, lineOffset), message: problem.message, severity: severities[problem.severity], code: problem.code, source: 'courier' };
  if (problem.unnecessary === true) diagnostic.tags = [DiagnosticTag.Unnecessary];
  if (problem.suggestion !== undefined) diagnostic.data = { suggestion: problem.suggestion } satisfies DiagnosticFixData;
  if (problem.define !== undefined) diagnostic.data = { define: problem.define } satisfies DiagnosticFixData;
  if (problem.environments !== undefined) diagnostic.data = { environments: problem.environments } satisfies DiagnosticFixData;
  if (problem.related !== undefined) diagnostic.relatedInformation = [{ location: { uri, range: spanRange(document, problem.related, lineOffset) }, message: problem.related.message }];
  return diagnostic;
}

function spanRange(document: HttpDocument, span: Span, lineOffset: number): Range {
  const start = offsetToPosition(document, span.start);
  const end = offsetToPosition(document, span.end);
  return Range.create(start.line + lineOffset, start.character, end.line + lineOffset, end.character);
}

const severities: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** `diagnostic` moved `lines` lines down (a chunk's diagnostics when the chunk moved). */
export function shiftLines(diagnostic: Diagnostic, lines: number): Diagnostic {
  if (lines === 0) return diagnostic;
  const shifted: Diagnostic = { ...diagnostic, range: shiftRange(diagnostic.range, lines) };
  if (diagnostic.relatedInformation !== undefined) {
    shifted.relatedInformation = diagnostic.relatedInformation.map((related) => ({ ...related, location: { uri: related.location.uri, range: shiftRange(related.location.range, lines) } }));
  }
  return shifted;
}

function shiftRange(range: Range, lines: number): Range {
  return Range.create(range.start.line + lines, range.start.character, range.end.line + lines, range.end.character);
}
