// The one `{{ ... }}` expander: what a text, a template or a variable becomes once its
// references are replaced. The engine (what is sent), diagnostics (URL checks) and hover
// ("Resolves to") all expand through it, so they cannot disagree on where a reference ends,
// on how a variable's value is expanded, or on what a cycle is.
//
// It is pure: what each reference means is asked of `ExpansionLookups`, supplied by the caller
// (the engine's sources with their side effects, diagnostics' document scope, hover's values).
// References are found by `references.ts`'s scanner, the one the parser uses: a reference ends at
// the first `}}` on its line, and an unterminated one at the line's end.

import { scanReferences } from './references';
import type { ReferenceTarget, Template, VariableReference } from './syntax';

/** A request reference as the lookups see it: what the reference names, without where the name is written. */
export type RequestReferenceTarget = Omit<Extract<ReferenceTarget, { kind: 'request' }>, 'requestNameSpan'>;
/** A system variable reference: `$uuid`, `$randomInt 1 10`. */
export type SystemReferenceTarget = Extract<ReferenceTarget, { kind: 'system' }>;
/** What a reference names, with or without the span of a request's name (the parser's tables share targets without it). */
export type ExpandableTarget = Exclude<ReferenceTarget, { kind: 'request' }> | RequestReferenceTarget;

/**
 * What each reference means, asked by the expander. Return undefined for "not known here"; a
 * lookup may also throw, and the exception leaves `expand` as it is (the engine throws its own
 * errors with their messages). Lookups are called at most once per variable name per expander.
 */
export interface ExpansionLookups {
  /**
   * A literal value that wins over everything for a reference's whole expression (`--var`), not
   * expanded further; asked first for every reference and for every variable name.
   */
  override?(expression: string): string | undefined;
  /** The value of variable `name` as written: it may contain references, which the expander expands. */
  variable(name: string): string | undefined;
  /** The value of a system variable reference (final, not expanded); `expression` is its whole text, e.g. `$randomInt 1 10`. */
  system(target: SystemReferenceTarget, expression: string): string | undefined;
  /** The value of a request reference (final, not expanded). */
  request(target: RequestReferenceTarget, expression: string): string | undefined;
}

/**
 * Longest value the expander builds, 65,536 characters by default. Definitions that each repeat the
 * next twice (`@a = {{b}}{{b}}`, `@b = {{c}}{{c}}`, ...) double at every level: forty levels
 * would otherwise take minutes to build and then throw `Invalid string length`. Callers that
 * send what they expand (the engine) pass a larger cap.
 */
export const maxExpandedLength = 65_536;

/** What to do with a reference that cannot be expanded. */
export type UnresolvedPolicy =
  /** Give up: `expand` answers undefined and `failure` says why (the engine, diagnostics). */
  | 'fail'
  /** Leave it as written and go on (hover shows what is known). */
  | 'keep';

export interface ExpanderOptions {
  readonly unresolved: UnresolvedPolicy;
  /** See `maxExpandedLength`, the default. */
  readonly maxLength?: number;
}

/** Why an expansion gave up. */
export type ExpansionFailureReason =
  /** `{{name` with no `}}` on its line. */
  | 'unterminated'
  /** Text between the braces that is no variable, system variable or request reference. */
  | 'invalid'
  /** A lookup answered undefined. */
  | 'unknown'
  /** Variables that reference each other: `cycle` names them. */
  | 'cycle'
  /** The value would be longer than the expander's cap. */
  | 'too-long';

export interface ExpansionFailure {
  readonly reason: ExpansionFailureReason;
  /** The text between the braces of the reference that failed (the variable's name for a cycle). */
  readonly expression: string;
  /** What failed, for kinds whose lookup answered undefined. */
  readonly target: ExpandableTarget | undefined;
  /** For a cycle: the names in it, the first repeated at the end (`a`, `b`, `a`). */
  readonly cycle: readonly string[] | undefined;
  /** A sentence saying what is wrong, for hosts without messages of their own. */
  readonly message: string;
}

const invalidTarget: ExpandableTarget = Object.freeze({ kind: 'invalid' });

/**
 * Expands references with one set of lookups. Each variable is expanded once per expander and
 * remembered, so `{{$uuid}}` in a variable's value is the same everywhere that variable is used:
 * make one expander per request to send, per diagnostics pass, per hover.
 */
export class Expander {
  /** Expanded values (and failures) by variable name; made on first need, as most values are literal. */
  private expanded: Map<string, string | ExpansionFailure> | undefined;
  /** The variables being expanded, outermost first: a name met again closes a cycle. */
  private readonly resolving: string[] = [];
  /** Cycles met so far: a value expanded while one was kept as written ('keep') depends on the path taken, so it is not remembered. */
  private cyclesMet = 0;
  private readonly maxLength: number;
  private readonly keepUnresolved: boolean;
  private lastFailure: ExpansionFailure | undefined;

  constructor(
    private readonly lookups: ExpansionLookups,
    options: ExpanderOptions,
  ) {
    this.keepUnresolved = options.unresolved === 'keep';
    this.maxLength = options.maxLength ?? maxExpandedLength;
  }

  /** Why the last call that answered undefined gave up. */
  get failure(): ExpansionFailure | undefined {
    return this.lastFailure;
  }

  /** `text` with every reference replaced; undefined when one cannot be (policy 'fail', see `failure`). */
  expand(text: string): string | undefined {
    if (!text.includes('{{')) return text;
    return this.replace(text, scanned(text), 0);
  }

  /** `expand` for a template of the syntax tree, whose references the parser already found. */
  expandTemplate(template: Template): string | undefined {
    if (template.references.length === 0) return template.text;
    return this.replace(template.text, template.references, template.start);
  }

  /** The value of `{{name}}`, expanded; undefined when nothing defines it or it cannot be expanded (see `failure`). */
  variable(name: string): string | undefined {
    const override = this.lookups.override?.(name);
    if (override !== undefined) return override;
    const known = this.expanded?.get(name);
    if (known !== undefined) return this.remembered(known);
    const raw = this.lookups.variable(name);
    if (raw === undefined) return this.fail('unknown', name, { kind: 'variable', name }, undefined, `variable ${name} is not defined`);
    // A literal value is its own expansion: nothing to remember, and it cannot be part of a cycle.
    if (!raw.includes('{{')) return raw;
    const resolving = this.resolving;
    const index = resolving.indexOf(name);
    if (index !== -1) {
      this.cyclesMet++;
      const cycle = [...resolving.slice(index), name];
      return this.fail('cycle', name, undefined, cycle, `variables reference each other in a cycle: ${cycle.join(' -> ')}; break it by giving one of them a plain value`);
    }
    const cyclesBefore = this.cyclesMet;
    resolving.push(name);
    let value: string | undefined;
    try {
      value = this.expand(raw);
    } finally {
      resolving.pop();
    }
    if (value !== undefined && value.length > this.maxLength) value = this.tooLong(name);
    if (this.keepUnresolved && this.cyclesMet !== cyclesBefore) return value;
    // Failures are remembered too: a variable that reaches a cycle or an unknown name fails whichever way it is reached.
    const result = value ?? this.lastFailure;
    if (result !== undefined) (this.expanded ??= new Map()).set(name, result);
    return value;
  }

  /**
   * The value of one reference (what it names, whether it was closed, the text between its
   * braces); undefined when it cannot be expanded, whatever the policy, so a caller walking its
   * own list of references decides what to write instead.
   */
  reference(target: ExpandableTarget, terminated: boolean, expression: string): string | undefined {
    if (!terminated) return this.fail('unterminated', expression, undefined, undefined, `{{${expression} is not closed: add }} on the same line`);
    const override = this.lookups.override?.(expression);
    if (override !== undefined) return override;
    switch (target.kind) {
      case 'variable':
        return this.variable(target.name);
      case 'system':
        return this.lookups.system(target, expression) ?? this.fail('unknown', expression, target, undefined, `{{${expression}}} has no value here`);
      case 'request':
        return this.lookups.request(target, expression) ?? this.fail('unknown', expression, target, undefined, `{{${expression}}} has no value here`);
      case 'invalid':
        return this.fail('invalid', expression, invalidTarget, undefined, `{{${expression}}} is not a variable name, a system variable or a request reference`);
    }
  }

  /** `text` with each reference replaced; reference offsets are `offset` ahead of the text's (document offsets for a template). */
  private replace(text: string, references: readonly VariableReference[], offset: number): string | undefined {
    let result = '';
    let copied = 0;
    for (const reference of references) {
      const start = reference.start - offset;
      const end = reference.end - offset;
      result += text.slice(copied, start);
      copied = end;
      const value = this.reference(reference.target, reference.terminated, reference.expression);
      if (value !== undefined && result.length + value.length <= this.maxLength) {
        result += value;
      } else if (this.keepUnresolved) {
        result += text.slice(start, end);
      } else {
        return value === undefined ? undefined : this.tooLong(reference.expression);
      }
    }
    result += text.slice(copied);
    return result.length > this.maxLength && !this.keepUnresolved ? this.tooLong(text.length > 40 ? `${text.slice(0, 40)}…` : text) : result;
  }

  private remembered(known: string | ExpansionFailure): string | undefined {
    if (typeof known === 'string') return known;
    this.lastFailure = known;
    return undefined;
  }

  private tooLong(expression: string): undefined {
    return this.fail('too-long', expression, undefined, undefined, `{{${expression}}} expands to more than ${this.maxLength} characters`);
  }

  private fail(reason: ExpansionFailureReason, expression: string, target: ExpandableTarget | undefined, cycle: readonly string[] | undefined, message: string): undefined {
    this.lastFailure = { reason, expression, target, cycle, message };
    return undefined;
  }
}

// The same values (variables, header templates) are expanded for every request of a run, and on
// every diagnostics pass: each text is scanned once. Bounded, so a long-lived process does not grow without limit.
const scanCache = new Map<string, readonly VariableReference[]>();
const scanCacheLimit = 10_000;

function scanned(text: string): readonly VariableReference[] {
  let references = scanCache.get(text);
  if (references === undefined) {
    // Problems of scanning are reported by the parser and diagnostics; expansion reports its own.
    references = scanReferences(text, 0, text.length, []);
    if (scanCache.size >= scanCacheLimit) scanCache.clear();
    scanCache.set(text, references);
  }
  return references;
}
