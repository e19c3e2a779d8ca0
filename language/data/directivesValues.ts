// The values of httpYac's request metadata that have a syntax of their own (`# @loop ...`,
// `# @ratelimit ...`, `# @sleep ...`, `# @disabled ...`), read once here for diagnostics and the
// engine alike. Expressions are kept as text: the engine evaluates them in the script sandbox.

/** `# @loop`: how many passes, read as httpYac reads it. */
export type LoopPlan =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'each'; readonly variable: string; readonly iterable: string }
  | { readonly kind: 'while'; readonly condition: string };

/** `# @ratelimit`: a slot's budget; 0 means no limit of that kind. */
export interface RateLimit {
  /** `rateLimit` when the directive names none, as in httpYac. */
  readonly slot: string;
  readonly minIdleTimeMs: number;
  readonly max: number;
  readonly expireMs: number;
}

/** A number of milliseconds, or an expression the engine evaluates first. */
export type Delay = { readonly ms: number } | { readonly expression: string };

/** A value read, or a sentence saying what is wrong with it and what to write. */
export type DirectiveValue<T> = { readonly value: T } | { readonly problem: string };

const identifier = /^[A-Za-z_$][\w$]*$/;

/** `for 3`, `for item of EXPR`, `while EXPR`. */
export function readLoop(text: string): DirectiveValue<LoopPlan> {
  const trimmed = text.trim();
  const each = /^for\s+(\S+)\s+of\s+(.+)$/su.exec(trimmed);
  if (each !== null) {
    const variable = each[1] ?? '';
    if (!identifier.test(variable)) return { problem: `'${variable}' cannot name the loop variable: use letters, digits, '_' or '$', not starting with a digit, as in '# @loop for item of items'.` };
    return { value: { kind: 'each', variable, iterable: (each[2] ?? '').trim() } };
  }
  const count = /^for\s+(\d+)$/u.exec(trimmed);
  if (count !== null) return { value: { kind: 'count', count: Number.parseInt(count[1] ?? '0', 10) } };
  const loop = /^while\s+(.+)$/su.exec(trimmed);
  if (loop !== null) return { value: { kind: 'while', condition: (loop[1] ?? '').trim() } };
  return { problem: `Cannot read '@loop ${trimmed}': write '# @loop for 3', '# @loop for item of items' or '# @loop while condition'.` };
}

/** `[slot NAME] [minIdleTime MS] [max N] [expire MS]`, each name optionally followed by `:`, in any order. */
export function readRateLimit(text: string): DirectiveValue<RateLimit> {
  const words = text.trim().split(/\s+/u).filter((word) => word !== '');
  let slot = 'rateLimit';
  const numbers = { minidletime: 0, max: 0, expire: 0 };
  for (let index = 0; index < words.length; index += 2) {
    const key = (words[index] ?? '').replace(/:$/u, '').toLowerCase();
    const value = words[index + 1];
    if (value === undefined) return { problem: `'${words[index] ?? ''}' in '@ratelimit' needs a value after it, as in '# @ratelimit minIdleTime 100'.` };
    if (key === 'slot') {
      slot = value;
      continue;
    }
    if (!(key in numbers)) return { problem: `Unknown '@ratelimit' setting '${words[index] ?? ''}': use slot, minIdleTime, max and expire, as in '# @ratelimit max 10 expire 60000'.` };
    if (!/^\d+$/u.test(value)) return { problem: `'${words[index] ?? ''}' in '@ratelimit' needs a whole number of ${key === 'max' ? 'requests' : 'milliseconds'}, not '${value}'.` };
    numbers[key as keyof typeof numbers] = Number.parseInt(value, 10);
  }
  if (numbers.minidletime === 0 && numbers.max === 0) return { problem: "'@ratelimit' limits nothing: give 'minIdleTime MS' or 'max N expire MS'." };
  if (numbers.max > 0 && numbers.expire === 0) return { problem: `'@ratelimit max ${numbers.max}' needs 'expire MS', the period the ${numbers.max} requests are counted over.` };
  return { value: { slot, minIdleTimeMs: numbers.minidletime, max: numbers.max, expireMs: numbers.expire } };
}

/** `# @sleep 500`: milliseconds, or an expression evaluated when sent. */
export function readDelay(text: string): DirectiveValue<Delay> {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: "'@sleep' needs the milliseconds to wait, as in '# @sleep 1000'." };
  if (/^\d+$/u.test(trimmed)) return { value: { ms: Number.parseInt(trimmed, 10) } };
  return { value: { expression: trimmed } };
}

/** A request's metadata problem for diagnostics: the value of `name` cannot be read (undefined: it can, or `name` has no syntax of its own). */
export function directiveValueProblem(name: string, value: string | undefined): string | undefined {
  const text = value ?? '';
  let read: DirectiveValue<unknown> | undefined;
  switch (name) {
    case 'loop':
      read = readLoop(text);
      break;
    case 'ratelimit':
      read = readRateLimit(text);
      break;
    case 'sleep':
      read = readDelay(text);
      break;
    case 'ref':
    case 'forceRef':
    case 'import':
      if (text.trim() === '') return `'@${name}' needs ${name === 'import' ? "a file's path, as in '# @import ./shared.http'" : `a request's name, as in '# @${name} login'`}.`;
      return undefined;
    default:
      return undefined;
  }
  return 'problem' in read ? read.problem : undefined;
}

/** Whether `name` may name a pass of a named `# @loop` request: `page2` for `page` (httpYac names passes so). */
export function isLoopPassName(name: string, requestNames: ReadonlySet<string>): boolean {
  const base = /^(.*\D)\d+$/u.exec(name)?.[1];
  return base !== undefined && requestNames.has(base);
}

/** The names a `# @loop` gives the request's templates: `$index`, and the loop variable of `for x of`. */
export function loopVariableNames(value: string | undefined): readonly string[] {
  const read = readLoop(value ?? '');
  return 'value' in read && read.value.kind === 'each' ? ['$index', read.value.variable] : ['$index'];
}
