// Asynchronous variable sources: what must happen before a request's `{{...}}` can be expanded.
// A named request it reads must be sent first, a `# @prompt` must be answered; OAuth tokens and
// script globals come next. Resolution is one asynchronous step before preparation: the runner
// finds what the request reads (following file and environment values), asks each source in the
// documented order, and hands the values they give to the synchronous expansion. Preparation
// then never has to stop and wait.
//
// A new source implements `VariableSource` and takes its place in the runner's list; the values
// it gives are looked up after the environment, where prompts' answers are.

import { authTokenReferenceOfTarget } from '../language/authConfigurations';
import { forEachReadTarget, requestIndexAt } from '../language/requestTemplates';
import type { Directive, HttpDocument, Request } from '../language/syntax';
import type { EngineError } from './model';

/** What a request reads, found before preparing it: every name and named request its templates reach. */
export interface ReadReferences {
  /** Names of the requests whose responses it reads, in order of first use. */
  readonly requestNames: readonly string[];
  /** Variable names it reads, directly or through file and environment values. */
  readonly variableNames: ReadonlySet<string>;
  /** The OAuth tokens it reads (`{{$auth.token("id")}}`), each once. */
  readonly authTokens: readonly { readonly kind: 'token' | 'idToken'; readonly id: string }[];
  /** REST Client's `{{$oidcAccessToken ...}}` references it reads: their arguments, each list once. */
  readonly oidcTokens: readonly (readonly string[])[];
}

/** What a source is told about the request being resolved. */
export interface SourceContext {
  readonly request: Request;
  /** What the request reads; found on first call (most sources never ask). */
  readonly reads: () => ReadReferences;
  /** Whether a source before prompts in the documented order (`--var`, file, environment) defines `name`. */
  readonly definedEarlier: (name: string) => boolean;
  /**
   * False when the request is only being prepared to show (cURL, hover): a source then reports
   * what it would do (send login, ask for otp) as a problem instead of doing it.
   */
  readonly mayAct: boolean;
  /** `file:line` of a node, for messages. */
  readonly where: (node: { readonly start: number }) => string;
  /** The environment chosen for the run (undefined: only `$shared`), and its values as written. */
  readonly environmentName: string | undefined;
  readonly environmentValue: (name: string) => string | undefined;
  /** `text` with its `{{...}}` replaced from `--var`, file, environment and system values; throws a `VariableError` naming what failed. */
  readonly substitute: (text: string) => string;
  /** Ends a source's wait (the user cancelled the send). */
  readonly signal?: AbortSignal;
}

/** Values a source gives, by variable name; or why the request cannot go on (nothing is sent). */
export type SourceOutcome = { readonly values: ReadonlyMap<string, string> } | { readonly error: EngineError };

/** Where `{{...}}` values come from when they take time to get. */
export interface VariableSource {
  resolve(context: SourceContext): Promise<SourceOutcome> | SourceOutcome;
}

export const noValues: SourceOutcome = { values: new Map() };

/**
 * What a request reads: the templates of `language/requestTemplates.ts` (the list the engine
 * sends and the language features check) and, through them, the file and environment values they
 * reach. Values are followed once each, so cycles end here (expansion reports them).
 */
export function readReferences(document: HttpDocument, request: Request, environment: ReadonlyMap<string, string>): ReadReferences {
  const requestNames: string[] = [];
  const variableNames = new Set<string>();
  const authTokens: { kind: 'token' | 'idToken'; id: string }[] = [];
  const oidcTokens: (readonly string[])[] = [];
  const index = requestIndexAt(document.tables, request.start);
  if (index === -1) return { requestNames, variableNames, authTokens, oidcTokens };
  forEachReadTarget(
    document,
    index,
    (target) => {
      if (target.kind === 'request' && !requestNames.includes(target.requestName)) requestNames.push(target.requestName);
      else if (target.kind === 'variable') variableNames.add(target.name);
      else if (target.kind === 'system') {
        const token = authTokenReferenceOfTarget(target);
        if (token !== undefined && !authTokens.some((known) => known.kind === token.kind && known.id === token.id)) authTokens.push(token);
        else if (target.name === '$oidcAccessToken' && !oidcTokens.some((known) => known.join(' ') === target.args.join(' '))) oidcTokens.push(target.args);
      }
    },
    (name) => environment.get(name),
  );
  return { requestNames, variableNames, authTokens, oidcTokens };
}

/** A question a prompt asks: `# @prompt name description`. */
export interface PromptQuestion {
  readonly name: string;
  readonly description: string | undefined;
  /** Mask the input: the name looks like a password, token or secret. */
  readonly secret: boolean;
}

// Names whose values should not be echoed while typed.
const secretName = /pass(word)?|pwd|token|secret|api[-_]?key|credential/i;

/** `# @prompt name description`: asks for each name no earlier source defines. */
export class PromptSource implements VariableSource {
  constructor(private readonly ask: ((question: PromptQuestion) => Promise<string | undefined>) | undefined) {}

  resolve(context: SourceContext): SourceOutcome | Promise<SourceOutcome> {
    // Most requests ask nothing: no map and no promise for them.
    return context.request.directives.some(isPrompt) ? this.askAll(context) : noValues;
  }

  private async askAll(context: SourceContext): Promise<SourceOutcome> {
    const values = new Map<string, string>();
    for (const directive of context.request.directives) {
      if (!isPrompt(directive)) continue;
      const [name = '', ...words] = (directive.value?.text ?? '').split(/\s+/);
      if (name === '') return { error: { code: 'variable', message: `${context.where(directive)}: @prompt needs a variable name, e.g. # @prompt password Your password` } };
      if (context.definedEarlier(name)) continue;
      if (!context.mayAct) {
        return {
          error: {
            code: 'variable',
            message: `${context.where(directive)}: ${name} is asked by @prompt only when the request is sent: define ${name} in the file or the environment to prepare it without sending`,
          },
        };
      }
      if (this.ask === undefined) {
        return { error: { code: 'variable', message: `${context.where(directive)}: variable ${name} is asked by @prompt, but nobody can answer here: pass --var ${name}=value` } };
      }
      const answer = await this.ask({ name, description: words.length === 0 ? undefined : words.join(' '), secret: secretName.test(name) });
      if (answer === undefined) return { error: { code: 'aborted', message: `${context.where(directive)}: not sent: no value was given for ${name}` } };
      values.set(name, answer);
    }
    return { values };
  }
}

function isPrompt(directive: Directive): boolean {
  return directive.name.text === 'prompt';
}
