// httpYac's request metadata and JetBrains' `import`/`run` lines, run through the runner against a
// local server: what is sent, in which order, how many times, and what is skipped or refused.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { Runner, type Selection } from '../../../engine/runner';
import { Session } from '../../../engine/session';
import { testSandbox } from './scripts/sandboxHarness';
import { httpServer, type Running } from './localServer';

describe('runner: request metadata and composition', () => {
  let running: Running<http.Server>;
  let session: Session;
  let folder: string;
  /** Every request the server received: path and query, with the time it arrived. */
  const received: { readonly path: string; readonly at: number }[] = [];
  const sandbox = testSandbox();

  before(async () => {
    running = await httpServer((request, response) => {
      received.push({ path: request.url ?? '', at: performance.now() });
      const url = new URL(request.url ?? '/', 'http://local');
      response.setHeader('Content-Type', 'application/json');
      response.end(JSON.stringify({ path: url.pathname, query: Object.fromEntries(url.searchParams), token: 't-1' }));
    });
    session = await Session.open({});
    folder = mkdtempSync(join(tmpdir(), 'courier-directives-'));
  });
  after(async () => {
    await session.close();
    await sandbox.close();
    await running.close();
  });

  /** Writes `files` (name to lines) into a fresh folder and runs the first with `selection`; `received` holds only what this run sent. */
  async function run(files: Record<string, readonly string[]>, selection: Selection = { kind: 'all' }, runner?: Runner): Promise<Exchange[]> {
    const dir = mkdtempSync(join(folder, 'case-'));
    let first: string | undefined;
    for (const [name, lines] of Object.entries(files)) {
      const path = join(dir, name);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, [`@origin = ${running.url}`, ...lines, ''].join('\n'));
      first ??= path;
    }
    received.length = 0;
    const used = runner ?? new Runner(session, { scripts: { sandbox } });
    return used.run({ path: first ?? '', text: [`@origin = ${running.url}`, ...(Object.values(files)[0] ?? []), ''].join('\n') }, selection);
  }

  const paths = (): string[] => received.map((entry) => entry.path);
  const errors = (exchanges: readonly Exchange[]): string[] => exchanges.flatMap((exchange) => (exchange.error === undefined ? [] : [exchange.error.message]));

  describe('@ref and @forceRef', () => {
    const login = ['# @name login', 'GET {{origin}}/login', '###'];

    test('@ref sends the named request first, once per session', async () => {
      const runner = new Runner(session, {});
      const path = join(mkdtempSync(join(folder, 'case-')), 'a.http');
      const text = [`@origin = ${running.url}`, ...login, '# @name use', '# @ref login', 'GET {{origin}}/use', ''].join('\n');
      writeFileSync(path, text);
      received.length = 0;
      await runner.run({ path, text }, { kind: 'names', names: ['use'] });
      await runner.run({ path, text }, { kind: 'names', names: ['use'] });
      assert.deepEqual(paths(), ['/login', '/use', '/use']);
    });

    test('@ref does not send again what this session sent; @forceRef always does', async () => {
      const exchanges = await run({ 'a.http': [...login, '# @ref login', 'GET {{origin}}/ref', '###', '# @forceRef login', 'GET {{origin}}/force'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/login', '/ref', '/login', '/force']);
    });

    test('an unknown name stops the request with the file, line and what to do', async () => {
      const exchanges = await run({ 'a.http': ['# @ref nobody', 'GET {{origin}}/use'] });
      assert.deepEqual(paths(), []);
      assert.match(errors(exchanges)[0] ?? '', /a\.http:2: no request is named nobody in this file or the files it imports: name one with # @name nobody/);
    });

    test('requests that reference each other are a cycle, not a hang', async () => {
      const exchanges = await run({ 'a.http': ['# @name a', '# @ref b', 'GET {{origin}}/a', '###', '# @name b', '# @ref a', 'GET {{origin}}/b'] }, { kind: 'names', names: ['a'] });
      assert.match(errors(exchanges).join('\n'), /requests reference each other in a cycle: a -> b -> a/);
    });
  });

  describe('@disabled', () => {
    test('a disabled request is skipped, not sent and not a failure', async () => {
      const exchanges = await run({ 'a.http': ['# @disabled', 'GET {{origin}}/off', '###', 'GET {{origin}}/on'] });
      assert.deepEqual(paths(), ['/on']);
      assert.equal(exchanges[0]?.skipped, 'disabled by # @disabled');
      assert.equal(exchanges[0]?.error, undefined);
    });

    test('with an expression, only when it is truthy (variables read as JSON, else text)', async () => {
      const exchanges = await run({ 'a.http': ['@production = false', '@stage = test', '# @disabled !production', 'GET {{origin}}/skipped', '###', '# @disabled stage === "prod"', 'GET {{origin}}/sent'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/sent']);
      assert.equal(exchanges[0]?.skipped, 'disabled by # @disabled');
    });
  });

  describe('@sleep and @ratelimit', () => {
    test('@sleep waits before sending (an expression too)', async () => {
      const started = performance.now();
      const exchanges = await run({ 'a.http': ['@pause = 30', '# @sleep 40', 'GET {{origin}}/late', '###', '# @sleep pause * 2', 'GET {{origin}}/later'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/late', '/later']);
      // Loosely: both waits happened; timers never fire early by more than a millisecond.
      assert.ok((received[0]?.at ?? 0) - started >= 39, 'the first request waited');
      assert.ok((received[1]?.at ?? 0) - (received[0]?.at ?? 0) >= 59, 'the second waited for its expression');
    });

    // The slot counts a request when it starts, so the waits add up from the run's start (arrival gaps also hold connection set-up).
    test('@ratelimit minIdleTime spaces the requests of a slot', async () => {
      const started = performance.now();
      const exchanges = await run({ 'a.http': ['# @loop for 3', '# @ratelimit slot spaced minIdleTime 40', 'GET {{origin}}/limited?i={{$index}}'] });
      assert.deepEqual(errors(exchanges), []);
      assert.equal(received.length, 3);
      assert.ok((received[2]?.at ?? 0) - started >= 79, 'the third request came after two idle times');
    });

    test('@ratelimit max N expire MS lets N through, then waits', async () => {
      const started = performance.now();
      const exchanges = await run({ 'a.http': ['# @loop for 3', '# @ratelimit slot burst max 2 expire 300', 'GET {{origin}}/burst?i={{$index}}'] });
      assert.deepEqual(errors(exchanges), []);
      assert.ok((received[2]?.at ?? 0) - started >= 299, 'the third waited for the first to expire');
      assert.ok((received[1]?.at ?? 0) - started < 299, 'the second did not wait');
    });
  });

  describe('@loop', () => {
    test('for N sends N times with {{$index}}; the passes of a named loop are name0, name1, ...', async () => {
      const exchanges = await run({ 'a.http': ['# @name page', '# @loop for 3', 'GET {{origin}}/page?i={{$index}}', '###', 'GET {{origin}}/after?last={{page2.response.body.$.query.i}}&first={{page.response.body.$.query.i}}'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/page?i=0', '/page?i=1', '/page?i=2', '/after?last=2&first=0']);
      assert.deepEqual(exchanges.map((exchange) => exchange.origin.iteration), [0, 1, 2, undefined]);
    });

    test('for x of EXPR: once per element, with the loop variable', async () => {
      const exchanges = await run({ 'a.http': ['@items = [{"id": 7}, "b"]', '# @loop for item of items', 'GET {{origin}}/each?i={{$index}}&item={{item}}'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths().map(decodeURIComponent), ['/each?i=0&item={"id":7}', '/each?i=1&item=b']);
    });

    test('for x of EXPR that is not an array is an error naming the line', async () => {
      const exchanges = await run({ 'a.http': ['@items = 5', '# @loop for item of items', 'GET {{origin}}/each'] });
      assert.deepEqual(paths(), []);
      assert.match(errors(exchanges)[0] ?? '', /a\.http:3: @loop for item of items needs an array, but the expression gave 5/);
    });

    test('while EXPR: checked before each pass, with $index and globals a handler sets', async () => {
      const exchanges = await run({
        'a.http': ['# @loop while $index < 5 && (typeof more === "undefined" || more)', 'GET {{origin}}/while?i={{$index}}', '', '> {%', '  client.global.set("more", String(request.iteration() < 1));', '%}'],
      });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/while?i=0', '/while?i=1']);
    });

    test('request.iteration() is the pass in scripts', async () => {
      const exchanges = await run({ 'a.http': ['# @loop for 2', 'GET {{origin}}/it?i={{$index}}', '', '> {%', '  client.test("pass " + request.iteration(), () => client.assert(response.body.query.i === String(request.iteration())));', '%}'] });
      assert.deepEqual(exchanges.flatMap((exchange) => (exchange.tests ?? []).map((result) => `${result.name}: ${result.outcome}`)), ['pass 0: passed', 'pass 1: passed']);
    });

    test('a failing expression is an error naming the file and line, not a crash', async () => {
      const exchanges = await run({ 'a.http': ['# @loop while nothing.here', 'GET {{origin}}/never'] });
      assert.deepEqual(paths(), []);
      assert.match(errors(exchanges)[0] ?? '', /a\.http:2: the expression of @loop failed/);
    });
  });

  describe('@title and @noLog', () => {
    test('the exchange carries them for reports and the history', async () => {
      const exchanges = await run({ 'a.http': ['# @title Create one', '# @noLog', 'GET {{origin}}/t'] });
      assert.equal(exchanges[0]?.origin.title, 'Create one');
      assert.equal(exchanges[0]?.origin.noLog, true);
    });

    test('@save marks the exchange for the editor (which asks where to save the body); the request is sent as usual', async () => {
      const exchanges = await run({ 'a.http': ['# @save', 'GET {{origin}}/s', '', '###', 'GET {{origin}}/plain'] });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(exchanges.map((exchange) => exchange.origin.save), [true, undefined]);
    });
  });

  describe('JetBrains import and run', () => {
    const shared = ['@who = shared', '### Shared login', '# @name login', 'GET {{origin}}/login?who={{who}}', '###', '# @name other', 'GET {{origin}}/other'];

    test('run #name sends an imported request where the line stands, with (@overrides)', async () => {
      const exchanges = await run({
        'main.http': ['import ./lib/shared.http', '', 'run #login', '', 'run #login (@who=me, @unused=1)', '', '###', 'GET {{origin}}/main?token={{login.response.body.$.token}}'],
        'lib/shared.http': shared,
      });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/login?who=shared', '/login?who=me', '/main?token=t-1']);
      assert.match(exchanges[0]?.origin.file ?? '', /lib[/\\]shared\.http$/);
    });

    test('run ./file.http sends all of it, in order, with the overrides', async () => {
      const exchanges = await run({ 'main.http': ['run ./lib/shared.http (@who=runner)', '###', 'GET {{origin}}/after'], 'lib/shared.http': shared });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/login?who=runner', '/other', '/after']);
    });

    test('files that run each other are a cycle, reported, not a hang', async () => {
      const exchanges = await run({ 'a.http': ['run ./b.http'], 'b.http': ['GET {{origin}}/b', '###', 'run ./a.http'] });
      assert.deepEqual(paths(), ['/b']);
      assert.match(errors(exchanges)[0] ?? '', /b\.http:4: run \.\/a\.http would run files in a cycle: .*a\.http -> .*b\.http -> .*a\.http/);
    });

    test('a missing file and an unknown name are errors with the file, line and what to do', async () => {
      const missing = await run({ 'a.http': ['run ./nowhere.http'] });
      assert.match(errors(missing)[0] ?? '', /a\.http:2: cannot run .*nowhere\.http: it does not exist: fix the path/);
      const unknown = await run({ 'a.http': ['import ./lib/shared.http', 'run #nobody'], 'lib/shared.http': shared });
      assert.match(errors(unknown)[0] ?? '', /a\.http:3: no request is named nobody in this file or the files it imports/);
    });

    test('a run line is selected by its line, as Send Request on it does', async () => {
      const exchanges = await run({ 'a.http': ['import ./lib/shared.http', 'run #other', '###', 'GET {{origin}}/not-this'], 'lib/shared.http': shared }, { kind: 'line', line: 3 });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/other']);
    });

    test("httpYac's # @import makes another file's requests and variables available to @ref", async () => {
      const exchanges = await run({ 'a.http': ['# @import ./lib/shared.http', '# @ref login', 'GET {{origin}}/use?who={{who}}'], 'lib/shared.http': shared });
      assert.deepEqual(errors(exchanges), []);
      assert.deepEqual(paths(), ['/login?who=shared', '/use?who=shared']);
    });
  });
});
