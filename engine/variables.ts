// Variable resolution: turns `{{ ... }}` in text into values.
//
// Order, first match wins: `--var` overrides, request variables, file variables, environment,
// prompt answers, system variables. File and environment values may reference other variables;
// they are expanded recursively, and a cycle is an error naming every variable in it.

import { scanReferences } from '../language/references';
import type { ReferenceTarget, Template, VariableReference } from '../language/syntax';
import { evaluateRequestVariable, type SentRequest } from './requestVariables';
import { evaluateSystemVariable, type SystemVariableContext } from './systemVariables';

/** Everything a resolver may draw on, for one request. */
export interface VariableScope {
  /** `--var name=value`: literal values that win over everything. */
  readonly overrides: ReadonlyMap<string, string>;
  /** `@name = value` of the document, the last definition of each name; values may contain `{{...}}`. */
  readonly fileVariables: ReadonlyMap<string, string>;
  /** The active environment's variables (`$shared` under it, private over public). */
  readonly environment: ReadonlyMap<string, string>;
  /** Answers to this request's `# @prompt` directives. */
  readonly prompted: ReadonlyMap<string, string>;
  /** A named request sent earlier in the session, if any. */
  readonly sentRequest: (name: string) => SentRequest | undefined;
  readonly system: Omit<SystemVariableContext, 'variable'>;
}

/** A reference that cannot be resolved; `expression` is the text between the braces. */
export class VariableError extends Error {
  constructor(
    readonly expression: string,
    message: string,
  ) {
    super(message);
    this.name = 'VariableError';
  }
}

/** A `{{name.response...}}` to a named request that has not been sent: the runner sends it first. */
export class UnsentRequestError extends VariableError {
  constructor(
    expression: string,
    readonly requestName: string,
  ) {
    super(expression, `{{${expression}}} needs request ${requestName}, which has not been sent yet in this session: send it first`);
    this.name = 'UnsentRequestError';
  }
}

/** Substitutes variables for one request; values are computed once, so `{{$uuid}}` in a file variable is stable within the request. */
export class Resolver {
  // Both made on first need: most values are literal, and a resolver is made per request (storing
  // literal values and allocating these per request cost 14% of preparing run.bench's requests).
  private expanded: Map<string, string> | undefined;
  private resolving: string[] | undefined;
  private systemContext: SystemVariableContext | undefined;

  constructor(private readonly scope: VariableScope) {}

  /** `text` with every `{{ ... }}` replaced; throws `VariableError` naming the first reference that fails. */
  substitute(text: string): string {
    if (!text.includes('{{')) return text;
    return this.replace(text, scanned(text), 0);
  }

  /** `substitute` for a template of the syntax tree: the parser already found its references, so its text is not scanned again. */
  substituteTemplate(template: Template): string {
    if (template.references.length === 0) return template.text;
    return this.replace(template.text, template.references, template.start);
  }

  /** `text` with each reference replaced; reference offsets are `offset` ahead of the text's (document offsets for a template). */
  private replace(text: string, references: readonly VariableReference[], offset: number): string {
    let result = '';
    let copied = 0;
    for (const reference of references) {
      result += text.slice(copied, reference.start - offset);
      if (!reference.terminated) throw new VariableError(reference.expression, `{{${reference.expression} is not closed: add }} on the same line`);
      result += this.evaluate(reference.expression, reference.target);
      copied = reference.end - offset;
    }
    return result + text.slice(copied);
  }

  /** The value of `{{name}}` (overrides, file, environment, prompt), expanded; undefined when nothing defines it. */
  variable(name: string): string | undefined {
    const override = this.scope.overrides.get(name);
    if (override !== undefined) return override;
    const known = this.expanded?.get(name);
    if (known !== undefined) return known;
    const raw = this.scope.fileVariables.get(name) ?? this.scope.environment.get(name) ?? this.scope.prompted.get(name);
    // A literal value is its own expansion: nothing to remember, and it cannot be part of a cycle.
    if (raw === undefined || !raw.includes('{{')) return raw;
    const resolving = (this.resolving ??= []);
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name].join(' -> ');
      throw new VariableError(name, `variables reference each other in a cycle: ${cycle}; break it by giving one of them a plain value`);
    }
    resolving.push(name);
    try {
      const value = this.substitute(raw);
      (this.expanded ??= new Map()).set(name, value);
      return value;
    } finally {
      resolving.pop();
    }
  }

  /** Written out rather than spread: a resolver is made per request and the spread showed in profiles. */
  private newSystemContext(): SystemVariableContext {
    const { now, random, uuid, processEnv, dotenv } = this.scope.system;
    return { now, random, uuid, processEnv, dotenv, variable: (name) => this.variable(name) };
  }

  private evaluate(expression: string, target: ReferenceTarget): string {
    const override = this.scope.overrides.get(expression);
    if (override !== undefined) return override;
    switch (target.kind) {
      case 'request': {
        const sent = this.scope.sentRequest(target.requestName);
        if (sent === undefined) throw new UnsentRequestError(expression, target.requestName);
        const result = evaluateRequestVariable(target, sent);
        if ('problem' in result) throw new VariableError(expression, result.problem);
        return result.value;
      }
      case 'variable': {
        const value = this.variable(target.name);
        if (value === undefined) {
          throw new VariableError(
            expression,
            `variable ${target.name} is not defined: define it with @${target.name} = value in the file, in http-client.env.json for the environment, or pass --var ${target.name}=value`,
          );
        }
        return value;
      }
      case 'system': {
        this.systemContext ??= this.newSystemContext();
        const result = evaluateSystemVariable(expression, this.systemContext);
        if ('problem' in result) throw new VariableError(expression, result.problem);
        return result.value;
      }
      case 'invalid':
        throw new VariableError(expression, `{{${expression}}} is not a variable name, a system variable or a request reference`);
    }
  }
}

// The same values (file variables, header templates) are substituted for every request of a run:
// scan each text once. Bounded so a long-lived session does not grow without limit.
const scanCache = new Map<string, readonly VariableReference[]>();
const scanCacheLimit = 10_000;

function scanned(text: string): readonly VariableReference[] {
  let references = scanCache.get(text);
  if (references === undefined) {
    // Problems of scanning are reported by the language service; resolution reports its own errors.
    references = scanReferences(text, 0, text.length, []);
    if (scanCache.size >= scanCacheLimit) scanCache.clear();
    scanCache.set(text, references);
  }
  return references;
}
