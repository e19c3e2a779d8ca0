// System variables: `{{$uuid}}`, `{{$timestamp -1 d}}`, `{{$datetime "DD.MM.YYYY" 1 h}}`,
// `{{$random.integer(1, 10)}}`, `{{$processEnv HOME}}`, `{{$dotenv API_KEY}}`, ...
//
// Everything random or time-dependent comes from `SystemVariableContext`, so tests inject a
// fixed clock and a seeded random source and check exact values.

import { isDotNetDatePattern, isOAuthTokenVariable, lookupSystemVariable, oauthTokenMessage } from '../language/data/systemVariables';

/** What system variables may consult; the runner builds it, tests inject fixed sources. */
export interface SystemVariableContext {
  readonly now: () => Date;
  /** Uniform in [0, 1). */
  readonly random: () => number;
  readonly uuid: () => string;
  readonly processEnv: (name: string) => string | undefined;
  /** A value of the `.env` file beside the `.http` file; undefined when absent. */
  readonly dotenv: (name: string) => string | undefined;
  /** For `%NAME` indirection: the value of a Courier variable (environment, file, ...). */
  readonly variable: (name: string) => string | undefined;
}

/** A value, or a sentence saying why there is none. */
export type SystemVariableResult = { readonly value: string } | { readonly problem: string };

/** The names Courier evaluates, for messages that list them. */
export const systemVariableNames: readonly string[] = [
  '$uuid', '$guid', '$random.uuid', '$timestamp', '$isoTimestamp', '$datetime', '$localDatetime',
  '$randomInt', '$random.integer', '$random.float', '$random.alphabetic', '$random.alphanumeric',
  '$random.hexadecimal', '$random.email', '$processEnv', '$dotenv', '$oidcAccessToken',
];

/** Evaluates a system variable expression such as `$randomInt 1 10` (the text between the braces). */
export function evaluateSystemVariable(expression: string, context: SystemVariableContext): SystemVariableResult {
  return compiled(expression)(context);
}

/** An expression with its name and arguments checked once: what is left is the clock, the random source or a lookup. */
type Evaluation = (context: SystemVariableContext) => SystemVariableResult;

// A file repeats the same few expressions in every request: compile each once. Splitting and
// checking `$randomInt 1 10` anew for every request cost a fifth of preparing run.bench's
// requests (1.73 -> 1.39 ms CPU per 1,000). Bounded so a long-lived session does not grow without limit.
const compiledCache = new Map<string, Evaluation>();
const compiledCacheLimit = 1_000;

function compiled(expression: string): Evaluation {
  let evaluation = compiledCache.get(expression);
  if (evaluation === undefined) {
    evaluation = compile(expression.trim());
    if (compiledCache.size >= compiledCacheLimit) compiledCache.clear();
    compiledCache.set(expression, evaluation);
  }
  return evaluation;
}

/** Always the same problem (a malformed call), whatever the context. */
function fails(problem: string): Evaluation {
  const result = { problem };
  return () => result;
}

function compile(expression: string): Evaluation {
  const call = splitSystemExpression(expression);
  if ('problem' in call) return fails(call.problem);
  const { args } = call;
  // Names in any case (`$dotEnv`, as Visual Studio writes it) mean the documented one.
  const name = lookupSystemVariable(call.name)?.name ?? call.name;
  switch (name) {
    case '$uuid':
    case '$guid':
    case '$random.uuid':
      return (context) => ({ value: context.uuid() });
    case '$timestamp':
      return withOffset(name, args, (date) => String(Math.floor(date.getTime() / 1000)));
    case '$isoTimestamp':
      return withOffset(name, args, (date) => date.toISOString());
    case '$datetime':
    case '$localDatetime':
      return datetime(name, args);
    case '$randomInt':
      return randomInteger(name, args, undefined);
    case '$random.integer':
      return randomInteger(name, args, [0, 1000]);
    case '$random.float':
      return randomFloat(name, args);
    case '$random.alphabetic':
      return randomString(name, args, ALPHABETIC);
    case '$random.alphanumeric':
      return randomString(name, args, ALPHANUMERIC);
    case '$random.hexadecimal':
      return randomString(name, args, HEXADECIMAL);
    case '$random.email':
      return (context) => ({ value: `${pick(LOWERCASE, 10, context)}@${pick(LOWERCASE, 8, context)}.com` });
    case '$processEnv':
      return lookup(name, args, (context) => context.processEnv, 'environment variable');
    case '$dotenv':
      return lookup(name, args, (context) => context.dotenv, 'key of the .env file beside the .http file');
    case '$oidcAccessToken':
      return fails('$oidcAccessToken is obtained only when the request is sent (its OAuth grant opens the browser): send the request, or put the token in a variable');
    default:
      if (isOAuthTokenVariable(expression)) return fails(oauthTokenMessage(expression));
      return fails(`unknown system variable ${name}; known ones are ${systemVariableNames.join(', ')}`);
  }
}

/** Splits `$name a "b c"` or `$name(a, b)` into the name and its arguments, quotes removed. */
export function splitSystemExpression(expression: string): { readonly name: string; readonly args: readonly string[] } | { readonly problem: string } {
  const nameMatch = /^\$[A-Za-z][\w.]*/.exec(expression);
  if (nameMatch === null) return { problem: `"${expression}" is not a system variable: write $ followed by a name, e.g. $uuid` };
  const name = nameMatch[0];
  const rest = expression.slice(name.length);
  if (rest.startsWith('(')) {
    const close = rest.lastIndexOf(')');
    if (close < 0) return { problem: `${name}( has no closing parenthesis` };
    const inside = rest.slice(1, close).trim();
    const args = inside === '' ? [] : inside.split(',').map((arg) => unquote(arg.trim()));
    return { name, args };
  }
  return { name, args: splitWords(rest) };
}

/** Whitespace-separated words; "double" or 'single' quotes keep spaces inside a word. */
function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? '');
  }
  return words;
}

function unquote(text: string): string {
  const quoted = /^"(.*)"$|^'(.*)'$/.exec(text);
  return quoted === null ? text : (quoted[1] ?? quoted[2] ?? '');
}

const LOWERCASE = 'abcdefghijklmnopqrstuvwxyz';
const ALPHABETIC = LOWERCASE + LOWERCASE.toUpperCase();
// JetBrains' alphanumeric includes the underscore.
const ALPHANUMERIC = ALPHABETIC + '0123456789_';
const HEXADECIMAL = '0123456789abcdef';

function pick(alphabet: string, length: number, context: SystemVariableContext): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(context.random() * alphabet.length)] ?? alphabet[0];
  return text;
}

function randomString(name: string, args: readonly string[], alphabet: string): Evaluation {
  const length = Number(args[0]);
  if (args.length !== 1 || !Number.isInteger(length) || length < 0 || length > 100_000) {
    return fails(`${name} needs one length between 0 and 100000, e.g. ${name}(10)`);
  }
  return (context) => ({ value: pick(alphabet, length, context) });
}

/** `$randomInt min max` and `$random.integer(min, max)`: min inclusive, max exclusive. */
function randomInteger(name: string, args: readonly string[], defaults: readonly [number, number] | undefined): Evaluation {
  const bounds = args.length === 0 && defaults !== undefined ? defaults : args.map(Number);
  const [min, max] = bounds;
  if (bounds.length !== 2 || min === undefined || max === undefined || !Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min >= max) {
    return fails(`${name} needs two integers min < max (min included, max excluded), e.g. ${name === '$randomInt' ? '$randomInt 1 100' : `${name}(1, 100)`}`);
  }
  const span = max - min;
  return (context) => ({ value: String(min + Math.floor(context.random() * span)) });
}

function randomFloat(name: string, args: readonly string[]): Evaluation {
  const bounds = args.length === 0 ? [0, 1000] : args.map(Number);
  const [min, max] = bounds;
  if (bounds.length !== 2 || min === undefined || max === undefined || !Number.isFinite(min) || !Number.isFinite(max) || min >= max) {
    return fails(`${name} needs two numbers min < max, e.g. ${name}(0.5, 2.5)`);
  }
  const span = max - min;
  return (context) => ({ value: String(min + context.random() * span) });
}

function lookup(name: string, args: readonly string[], sourceOf: (context: SystemVariableContext) => (key: string) => string | undefined, what: string): Evaluation {
  const written = args[0];
  if (args.length !== 1 || written === undefined || written === '' || written === '%') return fails(`${name} needs one name, e.g. ${name} API_KEY`);
  return (context) => {
    // `%NAME`: NAME is a Courier variable whose value is the key to look up.
    let key = written;
    if (written.startsWith('%')) {
      const indirect = context.variable(written.slice(1));
      if (indirect === undefined) return { problem: `${name} ${written}: variable ${written.slice(1)} is not defined, so there is no key to look up` };
      key = indirect;
    }
    const value = sourceOf(context)(key);
    if (value === undefined) return { problem: `${name} ${written}: ${key} is not set (${what})` };
    return { value };
  };
}

type OffsetUnit = 'y' | 'Q' | 'M' | 'w' | 'd' | 'h' | 'm' | 's' | 'ms';
const MILLISECONDS: Readonly<Record<Exclude<OffsetUnit, 'y' | 'Q' | 'M'>, number>> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/**
 * The clock moved by `offset unit` (e.g. `-1 d`): calendar units for years, quarters and months,
 * the day kept within the target month as Day.js and .NET do (Feb 29 minus a year is Feb 28, not Mar 1).
 */
function shifted(now: Date, amount: number, unit: OffsetUnit): Date {
  const date = new Date(now.getTime());
  const months = unit === 'y' ? 12 * amount : unit === 'Q' ? 3 * amount : unit === 'M' ? amount : undefined;
  if (months === undefined) {
    date.setTime(date.getTime() + amount * MILLISECONDS[unit as Exclude<OffsetUnit, 'y' | 'Q' | 'M'>]);
    return date;
  }
  const day = date.getUTCDate();
  date.setUTCDate(1);
  date.setUTCMonth(date.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
  date.setUTCDate(Math.min(day, lastDay));
  return date;
}

function isOffsetUnit(unit: string): unit is OffsetUnit {
  return ['y', 'Q', 'M', 'w', 'd', 'h', 'm', 's', 'ms'].includes(unit);
}

/** Applies an optional `offset unit` pair from `args[start]` and formats the result. */
function withOffset(name: string, args: readonly string[], format: (date: Date) => string, start = 0): Evaluation {
  const rest = args.slice(start);
  if (rest.length === 0) return (context) => ({ value: format(context.now()) });
  const [amountText, unit] = rest;
  const amount = Number(amountText);
  if (rest.length !== 2 || unit === undefined || !Number.isInteger(amount) || !isOffsetUnit(unit)) {
    return fails(`${name}: the offset must be an integer and a unit (y, Q, M, w, d, h, m, s, ms), e.g. ${name}${start > 0 ? ' iso8601' : ''} -1 d`);
  }
  return (context) => ({ value: format(shifted(context.now(), amount, unit)) });
}

function datetime(name: '$datetime' | '$localDatetime', args: readonly string[]): Evaluation {
  const format = args[0];
  const local = name === '$localDatetime';
  if (format === undefined) return fails(`${name} needs a format: rfc1123, iso8601 or a quoted pattern like "YYYY-MM-DD"`);
  const pattern = format === 'rfc1123' ? (local ? 'ddd, DD MMM YYYY HH:mm:ss ZZ' : undefined) : format === 'iso8601' ? (local ? 'YYYY-MM-DDTHH:mm:ss.SSSZ' : undefined) : format;
  const render = (date: Date): string => {
    if (pattern !== undefined) return isDotNetDatePattern(pattern) ? formatDotNetDate(date, pattern, local) : formatDate(date, pattern, local);
    return format === 'rfc1123' ? date.toUTCString() : date.toISOString();
  };
  return withOffset(name, args, render, 1);
}

/** The fields both formats print, in UTC or the machine's zone. */
function dateParts(date: Date, local: boolean) {
  return {
    year: local ? date.getFullYear() : date.getUTCFullYear(),
    month: local ? date.getMonth() : date.getUTCMonth(),
    day: local ? date.getDate() : date.getUTCDate(),
    weekday: local ? date.getDay() : date.getUTCDay(),
    hours: local ? date.getHours() : date.getUTCHours(),
    minutes: local ? date.getMinutes() : date.getUTCMinutes(),
    seconds: local ? date.getSeconds() : date.getUTCSeconds(),
    milliseconds: local ? date.getMilliseconds() : date.getUTCMilliseconds(),
    offsetMinutes: local ? -date.getTimezoneOffset() : 0,
  };
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Formats with Day.js-style tokens (`YYYY MM DD HH mm ss SSS Z ...`); `[text]` is kept literally. */
export function formatDate(date: Date, pattern: string, local: boolean): string {
  const { year, month, day, weekday, hours, minutes, seconds, milliseconds, offsetMinutes } = dateParts(date, local);
  const zone = (separator: string): string => {
    const absolute = Math.abs(offsetMinutes);
    return `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(absolute / 60))}${separator}${pad(absolute % 60)}`;
  };
  const tokens: Readonly<Record<string, () => string>> = {
    YYYY: () => pad(year, 4), YY: () => pad(year % 100),
    MMMM: () => MONTH_NAMES[month] ?? '', MMM: () => (MONTH_NAMES[month] ?? '').slice(0, 3), MM: () => pad(month + 1), M: () => String(month + 1),
    DD: () => pad(day), D: () => String(day),
    dddd: () => DAY_NAMES[weekday] ?? '', ddd: () => (DAY_NAMES[weekday] ?? '').slice(0, 3), dd: () => (DAY_NAMES[weekday] ?? '').slice(0, 2), d: () => String(weekday),
    HH: () => pad(hours), H: () => String(hours),
    hh: () => pad(hours % 12 === 0 ? 12 : hours % 12), h: () => String(hours % 12 === 0 ? 12 : hours % 12),
    mm: () => pad(minutes), m: () => String(minutes),
    ss: () => pad(seconds), s: () => String(seconds),
    SSS: () => pad(milliseconds, 3),
    A: () => (hours < 12 ? 'AM' : 'PM'), a: () => (hours < 12 ? 'am' : 'pm'),
    ZZ: () => zone(''), Z: () => zone(':'),
    X: () => String(Math.floor(date.getTime() / 1000)), x: () => String(date.getTime()),
  };
  return pattern.replace(/\[([^\]]*)\]|YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|SSS|A|a|ZZ|Z|X|x/g, (token, literal: string | undefined) => literal ?? tokens[token]?.() ?? token);
}

/** Formats with .NET custom date and time tokens (`yyyy MM dd HH mm ss fff tt zzz`); `'text'`, `"text"` and `\x` are literal. */
export function formatDotNetDate(date: Date, pattern: string, local: boolean): string {
  const { year, month, day, weekday, hours, minutes, seconds, milliseconds, offsetMinutes } = dateParts(date, local);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const tokens: Readonly<Record<string, () => string>> = {
    yyyy: () => pad(year, 4), yyy: () => pad(year, 3), yy: () => pad(year % 100), y: () => String(year % 100),
    MMMM: () => MONTH_NAMES[month] ?? '', MMM: () => (MONTH_NAMES[month] ?? '').slice(0, 3), MM: () => pad(month + 1), M: () => String(month + 1),
    dddd: () => DAY_NAMES[weekday] ?? '', ddd: () => (DAY_NAMES[weekday] ?? '').slice(0, 3), dd: () => pad(day), d: () => String(day),
    HH: () => pad(hours), H: () => String(hours),
    hh: () => pad(hours % 12 === 0 ? 12 : hours % 12), h: () => String(hours % 12 === 0 ? 12 : hours % 12),
    mm: () => pad(minutes), m: () => String(minutes),
    ss: () => pad(seconds), s: () => String(seconds),
    // Milliseconds are all the clock has: finer fractions are padded with zeros.
    fffffff: () => `${pad(milliseconds, 3)}0000`, ffffff: () => `${pad(milliseconds, 3)}000`, fffff: () => `${pad(milliseconds, 3)}00`,
    ffff: () => `${pad(milliseconds, 3)}0`, fff: () => pad(milliseconds, 3), ff: () => pad(Math.floor(milliseconds / 10)), f: () => String(Math.floor(milliseconds / 100)),
    tt: () => (hours < 12 ? 'AM' : 'PM'), t: () => (hours < 12 ? 'A' : 'P'),
    zzz: () => `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`, zz: () => `${sign}${pad(Math.floor(absolute / 60))}`, z: () => `${sign}${Math.floor(absolute / 60)}`,
    K: () => (local ? `${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}` : 'Z'),
  };
  return pattern.replace(/'([^']*)'|"([^"]*)"|\\(.)|yyyy|yyy|yy|y|MMMM|MMM|MM|M|dddd|ddd|dd|d|HH|H|hh|h|mm|m|ss|s|f{1,7}|tt|t|zzz|zz|z|K/g, (token, single: string | undefined, double: string | undefined, escaped: string | undefined) => single ?? double ?? escaped ?? tokens[token]?.() ?? token);
}
