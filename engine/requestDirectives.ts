// httpYac's request metadata as the runner acts on it: `# @ref` / `# @forceRef` (send another
// request first), `# @disabled` (skip), `# @sleep` (wait), `# @ratelimit` (throttle per slot),
// `# @loop` (send repeatedly), `# @title` and `# @noLog` (how the exchange is reported). The
// values are read by `language/data/directivesValues.ts`, as diagnostics read them; expressions
// run in the script sandbox, never in the host.

import { readDelay, readLoop, readRateLimit, type Delay, type LoopPlan, type RateLimit } from '../language/data/directivesValues';
import type { Directive, Request } from '../language/syntax';
import type { SessionSlot } from './sessionState';
import type { ScriptRunner } from './scripts/requestScripts';

/** What a request's metadata asks of the runner; `problem` is the first value that cannot be read. */
export interface RequestDirectives {
  readonly refs: readonly { readonly name: string; readonly force: boolean; readonly directive: Directive }[];
  /** `# @disabled`: `true`, or the expression that decides. */
  readonly disabled: true | { readonly expression: string; readonly directive: Directive } | undefined;
  readonly sleep: { readonly delay: Delay; readonly directive: Directive } | undefined;
  readonly rateLimit: RateLimit | undefined;
  readonly loop: { readonly plan: LoopPlan; readonly directive: Directive } | undefined;
  readonly title: string | undefined;
  /** `# @noLog` or `# @no-log`. */
  readonly noLog: boolean;
  /** `# @no-openapi`: the response is not checked against the OpenAPI spec. */
  readonly noOpenApi: boolean;
  /** `# @save`: the editor saves the body where the user says instead of showing it (the CLI ignores it, as httpYac's does). */
  readonly save: boolean;
  readonly problem: { readonly directive: Directive; readonly message: string } | undefined;
}

const plain: RequestDirectives = { refs: [], disabled: undefined, sleep: undefined, rateLimit: undefined, loop: undefined, title: undefined, noLog: false, noOpenApi: false, save: false, problem: undefined };

/** Names whose presence changes how the runner sends: most requests have none of them. */
const acted = new Set(['ref', 'forceRef', 'disabled', 'sleep', 'ratelimit', 'loop', 'title', 'noLog', 'no-log', 'save', 'no-openapi']);

/** The request's metadata, read (the last of a directive given twice wins, as in httpYac; `@ref`s add up). */
export function requestDirectives(request: Request): RequestDirectives {
  if (!request.directives.some((directive) => acted.has(directive.name.text))) return plain;
  const refs: { name: string; force: boolean; directive: Directive }[] = [];
  let disabled: RequestDirectives['disabled'];
  let sleep: RequestDirectives['sleep'];
  let rateLimit: RateLimit | undefined;
  let loop: RequestDirectives['loop'];
  let title: string | undefined;
  let noLog = false;
  let save = false;
  let noOpenApi = false;
  let problem: RequestDirectives['problem'];
  const fail = (directive: Directive, message: string): void => {
    problem ??= { directive, message };
  };
  for (const directive of request.directives) {
    const value = directive.value?.text ?? '';
    switch (directive.name.text) {
      case 'ref':
      case 'forceRef':
        if (value === '') fail(directive, `'@${directive.name.text}' needs the name of the request to send first`);
        else refs.push({ name: value, force: directive.name.text === 'forceRef', directive });
        break;
      case 'disabled':
        disabled = value === '' ? true : { expression: value, directive };
        break;
      case 'sleep': {
        const read = readDelay(value);
        if ('problem' in read) fail(directive, read.problem);
        else sleep = { delay: read.value, directive };
        break;
      }
      case 'ratelimit': {
        const read = readRateLimit(value);
        if ('problem' in read) fail(directive, read.problem);
        else rateLimit = read.value;
        break;
      }
      case 'loop': {
        const read = readLoop(value);
        if ('problem' in read) fail(directive, read.problem);
        else loop = { plan: read.value, directive };
        break;
      }
      case 'title':
        title = value === '' ? undefined : value;
        break;
      case 'noLog':
      case 'no-log':
        noLog = true;
        break;
      case 'save':
        save = true;
        break;
      case 'no-openapi':
        noOpenApi = true;
        break;
    }
  }
  return { refs, disabled, sleep, rateLimit, loop, title, noLog, noOpenApi, save, problem };
}

/** A `while` loop stops with an error after this many passes: a condition that never turns false must not hang a run. */
export const maxWhilePasses = 1000;

/** When each slot last let requests through, kept for the session's life as httpYac keeps them for its. */
export const rateLimitSlots: SessionSlot<Map<string, number[]>> = { name: 'rate limit slots', create: () => new Map() };

/** Waits as `limit` says for its slot, then counts this request in it. */
export async function throttle(slots: Map<string, number[]>, limit: RateLimit, signal: AbortSignal | undefined, now: () => number = Date.now): Promise<void> {
  let sent = slots.get(limit.slot);
  if (sent === undefined) slots.set(limit.slot, (sent = []));
  for (;;) {
    const current = now();
    // Only what the limits look at is kept: the requests of the last `expire`, or the last one.
    if (limit.expireMs > 0) while (sent.length > 0 && current - (sent[0] ?? 0) >= limit.expireMs) sent.shift();
    else sent.splice(0, Math.max(0, sent.length - 1));
    let wait = 0;
    if (limit.max > 0 && sent.length >= limit.max) wait = limit.expireMs - (current - (sent[0] ?? current));
    else if (limit.minIdleTimeMs > 0 && sent.length > 0) wait = limit.minIdleTimeMs - (current - (sent[sent.length - 1] ?? current));
    if (wait <= 0 || signal?.aborted === true) {
      sent.push(current);
      return;
    }
    await delay(wait, signal);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function delay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Where an expression comes from, for its messages. */
export interface ExpressionSite {
  readonly file: string;
  /** 1-based line of the directive. */
  readonly line: number;
  /** For messages: `@loop while`, `@disabled`. */
  readonly label: string;
}

/**
 * Evaluates a directive's JavaScript expression in the sandbox. The names it uses become
 * JavaScript constants: `values(name)` gives a variable's text, which is read as JSON when it
 * parses (`@ids = [1, 2]` is an array), as text otherwise.
 */
export async function evaluateExpression(
  sandbox: ScriptRunner,
  expression: string,
  values: (name: string) => string | undefined,
  site: ExpressionSite,
  timeoutMs: number | undefined,
): Promise<{ readonly value: unknown } | { readonly problem: string }> {
  const bindings: string[] = [];
  const data: Record<string, string> = {};
  for (const name of new Set(expression.match(/[A-Za-z_$][\w$]*/gu) ?? [])) {
    if (reserved.has(name)) continue;
    const value = values(name);
    if (value === undefined) continue;
    data[name] = value;
    bindings.push(`const ${name} = read(${JSON.stringify(name)});`);
  }
  // One line of bindings, then the expression on a line of its own: an error's line is the directive's.
  const source = `(() => { const read = (name) => { const text = request.variables.get(name); try { return JSON.parse(text); } catch { return text; } }; ${bindings.join(' ')} return (\n${expression}\n); })()`;
  const result = await sandbox.run(
    { source, expression: true, fileName: site.file, lineOffset: site.line - 3, columnOffset: 0, globals: {}, environment: {}, requestVariables: data },
    timeoutMs === undefined ? undefined : { timeoutMs },
  );
  if (result.error !== undefined) return { problem: `${site.file}:${site.line}: the expression of ${site.label} failed: ${result.error.message}` };
  return { value: result.value };
}

/** Names an expression may use that are not variables to bind. */
const reserved = new Set([
  'true', 'false', 'null', 'undefined', 'NaN', 'Infinity', 'typeof', 'instanceof', 'in', 'of', 'new', 'void', 'delete', 'this', 'function', 'return',
  'var', 'let', 'const', 'if', 'else', 'for', 'while', 'do', 'break', 'continue', 'switch', 'case', 'default', 'throw', 'try', 'catch', 'finally',
  'class', 'extends', 'super', 'import', 'export', 'await', 'async', 'yield', 'with', 'debugger', 'enum', 'static', 'get', 'set', 'read',
  'request', 'client', 'response', 'console', 'JSON', 'Math', 'Date', 'Number', 'String', 'Boolean', 'Array', 'Object',
]);

/** A loop's passes: the values each pass adds to the request's variables. */
export interface LoopPass {
  readonly index: number;
  /** `$index` and, for `for x of`, the loop variable (as text: JSON for what is not a string). */
  readonly values: ReadonlyMap<string, string>;
}

/** An element of a `for x of` array as the text `{{x}}` gives. */
export function passValue(element: unknown): string {
  return typeof element === 'string' ? element : JSON.stringify(element) ?? String(element);
}
