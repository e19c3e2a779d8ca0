// Variable resolution: turns `{{ ... }}` in text into values.
//
// Order, first match wins: `--var` overrides, request variables, file variables, environment,
// prompt answers, system variables. File and environment values may reference other variables;
// they are expanded recursively, and a cycle is an error naming every variable in it. The
// expanding itself is `language/expander.ts`'s, shared with hover and diagnostics; this file
// supplies the request's sources and turns a failure into the engine's `VariableError`.

import { authTokenReferenceOfTarget, authTokenValueKey, restClientOidcValueKey } from '../language/authConfigurations';
import { Expander, type ExpansionLookups, type RequestReferenceTarget, type SystemReferenceTarget } from '../language/expander';
import type { Template } from '../language/syntax';
import { undefinedWithoutEnvironmentMessage } from './environments';
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
  /** With no environment chosen: which environments define a variable `$shared` does not, and how this front end chooses one, for the "not defined" sentence. */
  readonly unchosenEnvironments?: UnchosenEnvironments;
}

/** The environments a run without one could have used: see `VariableScope.unchosenEnvironments`. */
export interface UnchosenEnvironments {
  readonly definedIn: ReadonlyMap<string, readonly string[]>;
  /** How to choose `environment` (`pass --env NAME` by default). */
  readonly advice?: (environment: string) => string;
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

/**
 * Longest value the engine builds: the longest string V8 can hold. A value that long is an error
 * naming the variable, not a `RangeError` from deep inside string concatenation.
 */
const maxSentLength = 2 ** 29 - 24;

/**
 * Substitutes variables for one request through the shared expander (`language/expander.ts`, the
 * code hover and diagnostics use too), with this request's sources; values are computed once, so
 * `{{$uuid}}` in a file variable is stable within the request.
 */
export class Resolver {
  // Made on first need: most templates are literal, and a resolver is made per request (storing
  // literal values and allocating state per request cost 14% of preparing run.bench's requests).
  private expander: Expander | undefined;

  constructor(private readonly scope: VariableScope) {}

  /** `text` with every `{{ ... }}` replaced; throws `VariableError` naming the first reference that fails. */
  substitute(text: string): string {
    if (!text.includes('{{')) return text;
    const expander = this.expanderNow();
    return expander.expand(text) ?? this.failed(expander);
  }

  /** `substitute` for a template of the syntax tree: the parser already found its references, so its text is not scanned again. */
  substituteTemplate(template: Template): string {
    if (template.references.length === 0) return template.text;
    const expander = this.expanderNow();
    return expander.expandTemplate(template) ?? this.failed(expander);
  }

  /** The value of `{{name}}` (overrides, file, environment, prompt), expanded; undefined when nothing defines it. */
  variable(name: string): string | undefined {
    const override = this.scope.overrides.get(name);
    if (override !== undefined) return override;
    const raw = rawValue(this.scope, name);
    // A literal value is its own expansion: no expander needed.
    if (raw === undefined || !raw.includes('{{')) return raw;
    const expander = this.expanderNow();
    return expander.variable(name) ?? this.failed(expander);
  }

  private expanderNow(): Expander {
    return (this.expander ??= new Expander(new ScopeLookups(this.scope, this), { unresolved: 'fail', maxLength: maxSentLength }));
  }

  /** The expander's failure as the engine's error, with the engine's advice for an undefined variable. */
  private failed(expander: Expander): never {
    const failure = expander.failure;
    if (failure === undefined) throw new VariableError('', 'a value could not be expanded');
    const target = failure.target;
    if (failure.reason === 'unknown' && target?.kind === 'variable') {
      const environments = this.scope.unchosenEnvironments?.definedIn.get(target.name);
      if (environments !== undefined && environments.length > 0) {
        throw new VariableError(failure.expression, undefinedWithoutEnvironmentMessage(target.name, environments, this.scope.unchosenEnvironments?.advice));
      }
      throw new VariableError(
        failure.expression,
        `variable ${target.name} is not defined: define it with @${target.name} = value in the file, in http-client.env.json for the environment, or pass --var ${target.name}=value`,
      );
    }
    throw new VariableError(failure.expression, failure.message);
  }
}

/** A variable's value as written: file, then environment, then prompt answer. */
function rawValue(scope: VariableScope, name: string): string | undefined {
  return scope.fileVariables.get(name) ?? scope.environment.get(name) ?? scope.prompted.get(name);
}

/**
 * What the expander asks, answered from one request's scope: raw values of variables (the
 * expander expands them), and final values of system and request references, which throw the
 * engine's own errors (an unsent request is `UnsentRequestError`, which the runner acts on).
 * A class, not an object of closures: one allocation per request that needs it.
 */
class ScopeLookups implements ExpansionLookups {
  private systemContext: SystemVariableContext | undefined;

  constructor(
    private readonly scope: VariableScope,
    private readonly resolver: Resolver,
  ) {}

  override(expression: string): string | undefined {
    return this.scope.overrides.get(expression);
  }

  variable(name: string): string | undefined {
    return rawValue(this.scope, name);
  }

  system(target: SystemReferenceTarget, expression: string): string {
    // `{{$auth.token("id")}}`, `{{$oidcAccessToken ...}}`: the OAuth source obtained them before preparation.
    const token = authTokenReferenceOfTarget(target);
    const sourced = token !== undefined ? this.scope.prompted.get(authTokenValueKey(token)) : target.name === '$oidcAccessToken' ? this.scope.prompted.get(restClientOidcValueKey(target.args)) : undefined;
    if (sourced !== undefined) return sourced;
    const result = evaluateSystemVariable(expression, (this.systemContext ??= this.newSystemContext()));
    if ('problem' in result) throw new VariableError(expression, result.problem);
    return result.value;
  }

  /** Written out rather than spread: a resolver is made per request and the spread showed in profiles. */
  private newSystemContext(): SystemVariableContext {
    const { now, random, uuid, processEnv, dotenv } = this.scope.system;
    return { now, random, uuid, processEnv, dotenv, variable: (name) => this.resolver.variable(name) };
  }

  request(target: RequestReferenceTarget, expression: string): string {
    const sent = this.scope.sentRequest(target.requestName);
    if (sent === undefined) throw new UnsentRequestError(expression, target.requestName);
    const result = evaluateRequestVariable(target, sent);
    if ('problem' in result) throw new VariableError(expression, result.problem);
    return result.value;
  }
}
