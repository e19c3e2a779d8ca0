import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { evaluateSystemVariable, formatDate, splitSystemExpression, type SystemVariableContext } from '../../../engine/systemVariables';

const fixedNow = new Date('2024-02-29T13:05:09.007Z');

/** A context with a fixed clock and a random source that replays `randoms` in a loop. */
function context(randoms: readonly number[] = [0.5], overrides: Partial<SystemVariableContext> = {}): SystemVariableContext {
  let next = 0;
  return {
    now: () => fixedNow,
    random: () => randoms[next++ % randoms.length] ?? 0,
    uuid: () => '6f1d4c3e-2b1a-4e5f-9a8b-7c6d5e4f3a2b',
    processEnv: (name) => ({ HOME: '/home/courier', API_HOST: 'api.test' })[name],
    dotenv: (name) => ({ API_KEY: 'from-dotenv' })[name],
    variable: (name) => ({ hostVar: 'API_HOST', keyVar: 'API_KEY' })[name],
    ...overrides,
  };
}

function value(expression: string, ctx = context()): string {
  const result = evaluateSystemVariable(expression, ctx);
  assert.ok('value' in result, `${expression}: ${'problem' in result ? result.problem : ''}`);
  return result.value;
}

function problem(expression: string, ctx = context()): string {
  const result = evaluateSystemVariable(expression, ctx);
  assert.ok('problem' in result, `${expression} should fail`);
  return result.problem;
}

describe('system variables', () => {
  test('$uuid, $guid and $random.uuid come from the uuid source; the real one is a v4 UUID', () => {
    for (const name of ['$uuid', '$guid', '$random.uuid']) assert.equal(value(name), '6f1d4c3e-2b1a-4e5f-9a8b-7c6d5e4f3a2b');
    const real = value('$uuid', context([0.5], { uuid: () => crypto.randomUUID() }));
    assert.match(real, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('$timestamp is Unix seconds, shifted by an offset and unit', () => {
    assert.equal(value('$timestamp'), String(Math.floor(fixedNow.getTime() / 1000)));
    assert.equal(value('$timestamp -1 d'), String(Math.floor(fixedNow.getTime() / 1000) - 86_400));
    assert.equal(value('$timestamp 2 h'), String(Math.floor(fixedNow.getTime() / 1000) + 7200));
    assert.match(problem('$timestamp 1 fortnight'), /unit \(y, Q, M, w, d, h, m, s, ms\)/);
  });

  test('$isoTimestamp is ISO 8601 in UTC', () => {
    assert.equal(value('$isoTimestamp'), '2024-02-29T13:05:09.007Z');
  });

  test('$datetime rfc1123 and iso8601 in UTC, with calendar offsets', () => {
    assert.equal(value('$datetime rfc1123'), 'Thu, 29 Feb 2024 13:05:09 GMT');
    assert.equal(value('$datetime iso8601'), '2024-02-29T13:05:09.007Z');
    assert.equal(value('$datetime iso8601 1 y'), '2025-02-28T13:05:09.007Z', 'Feb 29 plus a year is Feb 28, as Day.js (REST Client) and .NET (Visual Studio) both give');
    assert.equal(value('$datetime iso8601 -30 m'), '2024-02-29T12:35:09.007Z');
    assert.match(problem('$datetime'), /needs a format/);
  });

  test('$datetime with a quoted custom pattern keeps spaces and [literal] text', () => {
    assert.equal(value('$datetime "DD.MM.YYYY HH:mm:ss.SSS" 1 d'), '01.03.2024 13:05:09.007');
    assert.equal(value("$datetime 'YYYY-MM-DD[T]hh A' "), '2024-02-29T01 PM');
    assert.equal(formatDate(fixedNow, 'dddd D MMMM YY, ddd MMM', false), 'Thursday 29 February 24, Thu Feb');
  });

  test("a format with yyyy is Visual Studio's .NET format: dd is the day of month, 'text' literal", () => {
    assert.equal(value('$datetime "dd-MM-yyyy" -1 y'), '28-02-2023');
    assert.equal(value(`$datetime "yyyy-MM-ddTHH:mm:ss.fff 'at' h tt dddd ddd MMM"`), '2024-02-29T13:05:09.007 at 1 PM Thursday Thu Feb');
    assert.equal(value('$datetime "yy/M/d zzz K"'), '24/2/29 +00:00 Z');
    assert.equal(value('$datetime "DD-MM-YYYY dd"'), '29-02-2024 Th', 'without yy it stays Day.js, as REST Client reads it');
  });

  test("names in another case are the documented ones, as Visual Studio writes them ($dotEnv, $timeStamp)", () => {
    assert.equal(value('$dotEnv API_KEY'), 'from-dotenv');
    assert.equal(value('$timeStamp'), String(Math.floor(fixedNow.getTime() / 1000)));
    assert.equal(value('$PROCESSENV HOME'), '/home/courier');
    assert.match(problem('$nope'), /unknown system variable \$nope/);
    // Without the OAuth source (a preview, not a send), what the reference is and when it has a value.
    assert.match(problem('$auth.token("my-app")'), /^\$auth\.token\("my-app"\) is the OAuth 2\.0 access token of a Security\.Auth configuration .*obtained only when the request is sent/);
    assert.match(problem('$oidcAccessToken clientId:a'), /^\$oidcAccessToken is obtained only when the request is sent/);
  });

  test('$localDatetime uses the local zone and prints its offset', () => {
    const offsetMinutes = -fixedNow.getTimezoneOffset();
    const local = new Date(fixedNow.getTime() + offsetMinutes * 60_000);
    const expectedDay = local.toISOString().slice(0, 10);
    assert.ok(value('$localDatetime iso8601').startsWith(`${expectedDay}T`));
    assert.match(value('$localDatetime iso8601'), /[+-]\d\d:\d\d$/);
    assert.match(value('$localDatetime rfc1123'), /^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}$/);
  });

  test('$randomInt min max includes min and excludes max', () => {
    assert.equal(value('$randomInt 10 20', context([0])), '10');
    assert.equal(value('$randomInt 10 20', context([0.9999])), '19');
    assert.equal(value('$randomInt -5 5', context([0.5])), '0');
    assert.match(problem('$randomInt 5'), /two integers min < max/);
    assert.match(problem('$randomInt 5 5'), /two integers/);
  });

  test('$random.integer(a, b) and $random.float(a, b) stay in range', () => {
    assert.equal(value('$random.integer(1, 3)', context([0.6])), '2');
    assert.equal(value('$random.integer', context([0.5])), '500');
    assert.equal(value('$random.float(1.5, 2.5)', context([0.25])), '1.75');
    for (let i = 0; i < 200; i++) {
      const real = context([Math.random()]);
      const n = Number(value('$random.integer(-3, 4)', real));
      assert.ok(Number.isInteger(n) && n >= -3 && n < 4, String(n));
      const f = Number(value('$random.float(0, 1)', real));
      assert.ok(f >= 0 && f < 1, String(f));
    }
    assert.match(problem('$random.float(2, 1)'), /min < max/);
  });

  test('$random.alphabetic, alphanumeric and hexadecimal produce n characters of their alphabet', () => {
    const randoms = Array.from({ length: 97 }, (_, i) => i / 97);
    assert.match(value('$random.alphabetic(12)', context(randoms)), /^[A-Za-z]{12}$/);
    assert.match(value('$random.alphanumeric(40)', context(randoms)), /^\w{40}$/);
    assert.match(value('$random.hexadecimal(16)', context(randoms)), /^[0-9a-f]{16}$/);
    assert.equal(value('$random.hexadecimal(3)', context([0, 0.999, 0.5])), '0f8');
    assert.equal(value('$random.alphabetic(0)'), '');
    assert.match(problem('$random.alphabetic'), /needs one length/);
  });

  test('$random.email looks like an address', () => {
    assert.match(value('$random.email', context([0.1, 0.7, 0.3])), /^[a-z]{10}@[a-z]{8}\.com$/);
  });

  test('$processEnv reads the process environment, directly or through %variable', () => {
    assert.equal(value('$processEnv HOME'), '/home/courier');
    assert.equal(value('$processEnv %hostVar'), 'api.test');
    assert.match(problem('$processEnv NOPE'), /NOPE is not set/);
    assert.match(problem('$processEnv %missing'), /variable missing is not defined/);
  });

  test('$dotenv reads the .env file beside the .http file, directly or through %variable', () => {
    assert.equal(value('$dotenv API_KEY'), 'from-dotenv');
    assert.equal(value('$dotenv %keyVar'), 'from-dotenv');
    assert.match(problem('$dotenv OTHER'), /OTHER is not set \(key of the \.env file/);
  });

  test('unknown names and malformed calls explain what to write', () => {
    assert.match(problem('$nonsense'), /unknown system variable \$nonsense; known ones are \$uuid/);
    assert.match(problem('uuid'), /not a system variable/);
    assert.deepEqual(splitSystemExpression('$random.integer( 1 , "2" )'), { name: '$random.integer', args: ['1', '2'] });
    assert.match(problem('$random.integer(1, 2'), /no closing parenthesis/);
  });
});
