import { DOMParser } from '@xmldom/xmldom';
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Exchange } from '../../../engine/model';
import { createJsonReporter } from '../../../cli/reporters/json';
import { junitXml } from '../../../cli/reporters/junit';
import { createPrettyReporter } from '../../../cli/reporters/pretty';
import type { ReportedExchange } from '../../../cli/reporters/reporter';
import { createStyle, shouldColour } from '../../../cli/style';
import { judge } from '../../../cli/verdict';
import { errorExchange, responseExchange } from './exchangeFixtures';

function reported(exchange: Exchange, fail = false): ReportedExchange {
  return { exchange, verdict: judge(exchange, fail), file: 'api.http', savedTo: [] };
}

function capture(): { write: (text: string) => void; text: () => string } {
  let buffer = '';
  return { write: (text) => (buffer += text), text: () => buffer };
}

test('json: one object per line with the contract fields', () => {
  const out = capture();
  const reporter = createJsonReporter(out.write);
  reporter.exchange(reported(responseExchange({ name: 'users', line: 4 })));
  reporter.exchange(reported(errorExchange()));
  reporter.finish({ results: [], durationMs: 1, stoppedBy: undefined });
  const lines = out.text().trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.deepEqual(
    { file: lines[0]?.file, name: lines[0]?.name, line: lines[0]?.line, method: lines[0]?.method, url: lines[0]?.url, status: lines[0]?.status, ok: lines[0]?.ok, error: lines[0]?.error, size: lines[0]?.size, timings: lines[0]?.timings },
    { file: 'api.http', name: 'users', line: 4, method: 'GET', url: 'http://127.0.0.1:9/users', status: 200, ok: true, error: null, size: 8, timings: { connect: 1, firstByte: 4, download: 1, total: 6 } },
  );
  assert.equal(lines[1]?.status, null);
  assert.equal(lines[1]?.ok, false);
  assert.equal(lines[1]?.errorCode, 'refused');
  assert.match(String(lines[1]?.error), /connection refused/);
});

test('json: with --fail a 404 is ok (a response arrived) but failed', () => {
  const out = capture();
  createJsonReporter(out.write).exchange(reported(responseExchange({ status: 404, statusText: 'Not Found' }), true));
  const record = JSON.parse(out.text()) as Record<string, unknown>;
  assert.equal(record.ok, true);
  assert.equal(record.failed, true);
});

test('json: the HTTP version the connection spoke, null without a response', () => {
  const out = capture();
  const reporter = createJsonReporter(out.write);
  reporter.exchange(reported(responseExchange({ httpVersion: '2' })));
  reporter.exchange(reported(errorExchange()));
  const [answered, failed] = out.text().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(answered?.httpVersion, '2');
  assert.equal(failed?.httpVersion, null);
});

test('junit: well-formed XML with a testcase per request and a failure per failed one', () => {
  const results = [reported(responseExchange({ name: 'a & <b>' })), reported(errorExchange()), reported(responseExchange({ status: 500, statusText: 'Boom "x"' }), true)];
  const xml = junitXml({ results, durationMs: 1234, stoppedBy: undefined });
  const errors: string[] = [];
  const document = new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  assert.deepEqual(errors, []);
  const suites = document.getElementsByTagName('testsuites')[0];
  assert.equal(suites?.getAttribute('tests'), '3');
  assert.equal(suites?.getAttribute('failures'), '2');
  assert.equal(suites?.getAttribute('time'), '1.234');
  const cases = Array.from(document.getElementsByTagName('testcase'));
  assert.equal(cases.length, 3);
  assert.equal(cases[0]?.getAttribute('name'), 'a & <b> (line 3)');
  assert.equal(cases[0]?.getElementsByTagName('failure').length, 0);
  assert.equal(cases[1]?.getElementsByTagName('failure')[0]?.getAttribute('type'), 'refused');
  assert.match(cases[2]?.getElementsByTagName('failure')[0]?.getAttribute('message') ?? '', /500 Boom "x"/);
});

test('junit: control characters that XML cannot carry are replaced, not emitted', () => {
  const xml = junitXml({ results: [reported(errorExchange('other', 'bad byte \u0001 here'))], durationMs: 1, stoppedBy: undefined });
  assert.ok(!xml.includes('\u0001'));
  assert.match(xml, /bad byte \\u0001 here/);
  const errors: string[] = [];
  new DOMParser({ onError: (level, message) => errors.push(`${level}: ${message}`) }).parseFromString(xml, 'text/xml');
  assert.deepEqual(errors, []);
});

test('pretty: a status line per request, no escape codes without colour', () => {
  const out = capture();
  const reporter = createPrettyReporter(out.write, { style: createStyle(false), verbose: false });
  reporter.exchange(reported(responseExchange({ name: 'users' })));
  reporter.exchange(reported(errorExchange()));
  reporter.finish({ results: [reported(responseExchange()), reported(errorExchange())], durationMs: 20, stoppedBy: 'bail' });
  const text = out.text();
  assert.ok(!text.includes('\u001b['));
  assert.match(text, /✓ 200 OK GET http:\/\/127\.0\.0\.1:9\/users 6 ms · 8 B {2}users · api\.http:3/);
  assert.match(text, /✗ ERR refused POST http:\/\/127\.0\.0\.1:9\/login .*login · api\.http:9/);
  assert.match(text, /connection refused by 127\.0\.0\.1:9/);
  assert.match(text, /2 requests: 1 passed, 1 failed in 20 ms \(stopped at the first failure: --bail\)/);
});

test('pretty: colour when enabled', () => {
  const out = capture();
  createPrettyReporter(out.write, { style: createStyle(true), verbose: false }).exchange(reported(responseExchange()));
  assert.ok(out.text().includes('\u001b[32m'));
});

test('pretty --verbose: headers both ways, timings and the decoded body', () => {
  const out = capture();
  const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9]); // "café" in ISO-8859-1
  createPrettyReporter(out.write, { style: createStyle(false), verbose: true }).exchange(reported(responseExchange({ body: latin1, contentType: 'text/plain; charset=iso-8859-1', charset: 'iso-8859-1' })));
  const text = out.text();
  assert.match(text, /^> GET http:\/\/127\.0\.0\.1:9\/users$/m);
  assert.match(text, /^> accept: \*\/\*$/m);
  assert.match(text, /^< HTTP\/1\.1 200 OK$/m);
  assert.match(text, /^< content-type: /m);
  assert.match(text, /connect 1 ms · first byte 4 ms · download 1 ms · total 6 ms/);
  assert.match(text, /^café$/m);
});

test('colour: TTY or FORCE_COLOR turn it on, NO_COLOR always off', () => {
  assert.equal(shouldColour({}, true), true);
  assert.equal(shouldColour({}, false), false);
  assert.equal(shouldColour({ FORCE_COLOR: '1' }, false), true);
  assert.equal(shouldColour({ FORCE_COLOR: '0' }, true), false);
  assert.equal(shouldColour({ NO_COLOR: '1', FORCE_COLOR: '1' }, true), false);
  assert.equal(shouldColour({ TERM: 'dumb' }, true), false);
});
