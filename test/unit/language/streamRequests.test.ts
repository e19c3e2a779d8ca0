// The request forms that stream, as the language service reads them: JetBrains' `WEBSOCKET` (with
// its `===` / `=== wait-for-server` message script), httpYac's `WS` and `SSE`, `GRPC`, and GraphQL
// subscriptions to ws:// URLs. Each case says what a user writing these forms sees.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { type CompletionItem, DiagnosticSeverity, DiagnosticTag, MarkupContent, TextEdit, type Diagnostic } from 'vscode-languageserver-types';
import { Code } from '../../../language/codes';
import { complete } from '../../../language/completion';
import { diagnose } from '../../../language/diagnostics';
import { codeActions } from '../../../language/diagnosticsQuickFixes';
import { hover } from '../../../language/hover';
import { parse } from '../../../language/parser';
import { positionToOffset } from '../../../language/positions';
import { contextFor, cursor, textOf } from './featureContext';

const { Error: error, Warning: warning, Hint: hint } = DiagnosticSeverity;

/** Diagnostics with one code, as `[covered text, severity]`. */
function found(text: string, code: Code): (readonly [string, DiagnosticSeverity | undefined])[] {
  const context = contextFor(text);
  return diagnose(context)
    .filter((diagnostic) => diagnostic.code === code)
    .map((diagnostic) => [textOf(context, diagnostic.range), diagnostic.severity] as const);
}

/** Every diagnostic, as `code: covered text`, so a clean document reads as `[]`. */
function all(text: string): string[] {
  const context = contextFor(text);
  return diagnose(context).map((diagnostic) => `${String(diagnostic.code)}: ${textOf(context, diagnostic.range)}`);
}

function only(text: string, code: Code): Diagnostic {
  const diagnostics = diagnose(contextFor(text)).filter((diagnostic) => diagnostic.code === code);
  assert.equal(diagnostics.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics)}`);
  const [diagnostic] = diagnostics;
  assert.ok(diagnostic);
  return diagnostic;
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** The quick fixes offered for the document's diagnostics, each as its title and the text it leaves. */
function fixes(text: string): { readonly title: string; readonly result: string }[] {
  const context = contextFor(text);
  const diagnostics = diagnose(context);
  return codeActions(context, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, diagnostics).map((action) => {
    let result = text;
    for (const edit of [...(action.edit?.changes?.[context.uri] ?? [])].reverse()) {
      result = result.slice(0, positionToOffset(context.document, edit.range.start)) + edit.newText + result.slice(positionToOffset(context.document, edit.range.end));
    }
    return { title: action.title, result };
  });
}

const webSocketTour = [
  '### Chat',
  'WEBSOCKET ws://localhost:3000/ws/chat',
  'Content-Type: application/json',
  '',
  '{"text": "hello"}',
  '=== wait-for-server',
  '=== wait-for-server',
  '{"text": "{{$uuid}}"}',
  '===',
  '{"text": "bye"}',
  '',
  '### Echo, httpYac style',
  'WS wss://example.com/echo',
  '',
  'a plain text message',
  '',
  '### Events',
  'SSE https://example.com/events',
  'Last-Event-ID: 41',
  '',
  '### Stream a chat answer',
  'POST https://example.com/chat',
  'Accept: text/event-stream',
  'Content-Type: application/json',
  '',
  '{"prompt": "hi"}',
  '',
  '### Greet',
  'GRPC localhost:50051/helloworld.Greeter/SayHello',
  'authorization: Bearer abc',
  '',
  '{"name": "Ann"}',
  '',
  '### Greet over TLS, streaming',
  'GRPC grpcs://example.com:443/helloworld.Greeter/SayHelloStream',
  '',
  '{"name": "Ann"}',
  '===',
  '{"name": "Bob"}',
  '',
  '### Ticks',
  'GRAPHQL wss://example.com/graphql',
  '',
  'subscription { ticks { at } }',
  '',
].join('\n');

describe('stream request lines: parsing', () => {
  test('WEBSOCKET, WS, SSE and GRPC are methods, their targets as written', () => {
    const document = parse(webSocketTour);
    assert.deepEqual(
      document.requests.map((request) => [request.method?.text, request.target.text]),
      [
        ['WEBSOCKET', 'ws://localhost:3000/ws/chat'],
        ['WS', 'wss://example.com/echo'],
        ['SSE', 'https://example.com/events'],
        ['POST', 'https://example.com/chat'],
        ['GRPC', 'localhost:50051/helloworld.Greeter/SayHello'],
        ['GRPC', 'grpcs://example.com:443/helloworld.Greeter/SayHelloStream'],
        ['GRAPHQL', 'wss://example.com/graphql'],
      ],
    );
    assert.deepEqual(document.problems, []);
  });

  test('the === lines belong to the body, whole, not to the headers', () => {
    const document = parse(webSocketTour);
    const [chat] = document.requests;
    assert.ok(chat);
    assert.deepEqual(chat.headers.map((header) => header.name.text), ['Content-Type']);
    const body = chat.body?.parts[0];
    assert.equal(body?.kind, 'text');
    assert.equal(body.text.text, '{"text": "hello"}\n=== wait-for-server\n=== wait-for-server\n{"text": "{{$uuid}}"}\n===\n{"text": "bye"}');
  });

  test('a separator right after the headers starts the body, as no header can be one', () => {
    const document = parse('WEBSOCKET ws://localhost:3000/ws\nOrigin: http://localhost\n=== wait-for-server\n{"a": 1}\n');
    assert.deepEqual(document.problems, []);
    assert.deepEqual(document.requests[0]?.headers.map((header) => header.name.text), ['Origin']);
    assert.equal(document.requests[0]?.body?.parts[0]?.kind === 'text' ? document.requests[0].body.parts[0].text.text : undefined, '=== wait-for-server\n{"a": 1}');
  });

  test('a stream method alone on its line is a request missing its target', () => {
    for (const method of ['WEBSOCKET', 'WS', 'SSE', 'GRPC']) {
      const document = parse(`${method}\n`);
      assert.deepEqual(document.problems.map((problem) => problem.code), [Code.RequestMissingTarget], method);
      assert.equal(document.requests[0]?.method?.text, method);
    }
  });

  test('a stream request line after a request starts the next one without ###, as httpYac reads it', () => {
    const document = parse('GET https://example.com/a\n\nWS wss://example.com/echo\n\nhello\n\nSSE https://example.com/events\n\nGRPC localhost:50051/a.B/C\n');
    assert.deepEqual(document.requests.map((request) => request.method?.text), ['GET', 'WS', 'SSE', 'GRPC']);
  });
});

describe('stream request lines: diagnostics', () => {
  test('a file of every form has no diagnostics', () => {
    assert.deepEqual(all(webSocketTour), []);
  });

  test('the stream methods are known methods', () => {
    for (const method of ['WEBSOCKET', 'WS', 'SSE', 'GRPC']) assert.deepEqual(found(`${method} https://example.com\n`, Code.MethodUnknown), [], method);
  });

  test('a gRPC target is not judged as a URL: no scheme, grpc:// and grpcs:// pass', () => {
    for (const target of ['localhost:50051/helloworld.Greeter/SayHello', 'grpc://localhost:50051/a.B/C', 'grpcs://example.com/a.B/C', '{{grpcHost}}/a.B/C', '[::1]:50051/a.B/C']) {
      const text = `@grpcHost = localhost:50051\nGRPC ${target}\n\n{}\n`;
      assert.deepEqual(all(text), [], target);
    }
  });

  describe('a scheme that does not fit the method', () => {
    test('a WebSocket URL with an HTTP method: an error at the method, fixed by WEBSOCKET', () => {
      const text = 'GET ws://localhost:3000/ws\n';
      assert.deepEqual(found(text, Code.UrlSchemeMethodMismatch), [['GET', error]]);
      assert.match(messageOf(only(text, Code.UrlSchemeMethodMismatch)), /a WebSocket URL needs WEBSOCKET \(or WS\), or GRAPHQL for a subscription: GET would send an HTTP request, which cannot go to ws:\/\//);
      assert.deepEqual(fixes(text), [{ title: "Change to 'WEBSOCKET'", result: 'WEBSOCKET ws://localhost:3000/ws\n' }]);
      assert.deepEqual(fixes('POST wss://example.com/x\nContent-Type: text/plain\n\nhi\n').map((fix) => fix.result), ['WEBSOCKET wss://example.com/x\nContent-Type: text/plain\n\nhi\n']);
    });

    test('without a method (GET implied), the fix writes WEBSOCKET before the target', () => {
      const text = 'ws://localhost:3000/ws\n';
      assert.deepEqual(found(text, Code.UrlSchemeMethodMismatch), [['ws://localhost:3000/ws', error]]);
      assert.deepEqual(fixes(text), [{ title: "Change to 'WEBSOCKET ws://localhost:3000/ws'", result: 'WEBSOCKET ws://localhost:3000/ws\n' }]);
    });

    test('a WebSocket method with an http(s) URL written: a hint at the scheme (it is sent as ws(s)), fixed to what is sent', () => {
      assert.deepEqual(found('WEBSOCKET http://localhost:3000/ws\n', Code.UrlSchemeMethodMismatch), [['http://', hint]]);
      assert.match(messageOf(only('WS https://example.com/ws\n', Code.UrlSchemeMethodMismatch)), /WS opens a WebSocket: https:\/\/ is sent as wss:\/\/\. Write wss:\/\/ to say so/);
      assert.deepEqual(fixes('WEBSOCKET http://localhost:3000/ws\n'), [{ title: "Change to 'ws://'", result: 'WEBSOCKET ws://localhost:3000/ws\n' }]);
      assert.deepEqual(fixes('WS HTTPS://example.com/ws\n').map((fix) => fix.result), ['WS wss://example.com/ws\n']);
    });

    test('SSE with a ws(s) URL: an error at the scheme, fixed to http:// (https:// for wss)', () => {
      assert.deepEqual(found('SSE wss://example.com/events\n', Code.UrlSchemeMethodMismatch), [['wss://', error]]);
      assert.match(messageOf(only('SSE ws://example.com/events\n', Code.UrlSchemeMethodMismatch)), /SSE reads an event stream over HTTP: write http:\/\/ instead of ws:\/\//);
      assert.deepEqual(fixes('SSE wss://example.com/events\n').map((fix) => fix.result), ['SSE https://example.com/events\n']);
    });

    test('a scheme from a variable is reported on the target, the method still fixable', () => {
      const text = '@base = ws://localhost\nGET {{base}}/ws\n';
      assert.match(messageOf(only(text, Code.UrlSchemeMethodMismatch)), /'\{\{base\}\}\/ws' \(= 'ws:\/\/localhost\/ws'\): a WebSocket URL needs WEBSOCKET/);
      assert.deepEqual(fixes(text).map((fix) => fix.result), ['@base = ws://localhost\nWEBSOCKET {{base}}/ws\n']);
      assert.deepEqual(found('@base = wss://example.com\nSSE {{base}}/events\n', Code.UrlSchemeMethodMismatch), [['{{base}}/events', error]]);
      assert.deepEqual(fixes('@base = wss://example.com\nSSE {{base}}/events\n'), []);
    });

    test('what fits passes: WebSocket methods to ws(s) or a bare host, GraphQL to either kind, HTTP methods and SSE to http(s)', () => {
      const fitting = [
        'WEBSOCKET ws://localhost:3000/ws',
        'websocket wss://example.com/ws',
        'WS localhost:3000/ws',
        'WEBSOCKET {{wsBase}}/ws',
        'WEBSOCKET {{httpBase}}/ws',
        'GRAPHQL wss://example.com/graphql\n\nsubscription { ticks }',
        'GRAPHQL https://example.com/graphql\n\nsubscription { ticks }',
        'POST wss://example.com/graphql\nX-Request-Type: GraphQL\n\nsubscription { ticks }',
        'SSE https://example.com/events',
        'SSE localhost:3000/events',
        'GET {{httpBase}}/x',
      ];
      for (const request of fitting) {
        const text = `@wsBase = ws://localhost:3000\n@httpBase = https://example.com\n\n${request}\n`;
        assert.deepEqual(found(text, Code.UrlSchemeMethodMismatch), [], request);
        assert.deepEqual(found(text, Code.UrlSchemeUnsupported), [], request);
      }
    });

    test('a scheme Courier does not send at all stays unsupported, whatever the method', () => {
      assert.deepEqual(found('WEBSOCKET ftp://example.com/x\n', Code.UrlSchemeUnsupported), [['ftp', error]]);
      assert.deepEqual(found('WEBSOCKET ftp://example.com/x\n', Code.UrlSchemeMethodMismatch), []);
    });
  });

  describe('=== lines in a request that sends no messages', () => {
    test('=== wait-for-server is a warning, a bare === a hint (it may be text), both at their line', () => {
      const text = 'POST https://example.com/notes\nContent-Type: text/plain\n\nfirst\n=== wait-for-server\nsecond\n===\nthird\n';
      assert.deepEqual(found(text, Code.MessageSeparatorUnexpected), [
        ['=== wait-for-server', warning],
        ['===', hint],
      ]);
      assert.match(messageOf(only('POST https://x\n\n=== wait-for-server\n', Code.MessageSeparatorUnexpected)), /Only a WebSocket or streaming gRPC request sends messages separated by ===: this POST request sends '=== wait-for-server' as body text/);
    });

    test('an SSE request and a GraphQL subscription send no messages either', () => {
      assert.deepEqual(found('GRAPHQL wss://example.com/graphql\n\nsubscription { a }\n=== wait-for-server\n', Code.MessageSeparatorUnexpected), [['=== wait-for-server', warning]]);
    });

    test('a line that only starts with === is not a separator: nothing to say', () => {
      assert.deepEqual(found('POST https://x\nContent-Type: text/markdown\n\n=== Title ===\n  ===\nx ===\n', Code.MessageSeparatorUnexpected), []);
    });

    test('in WEBSOCKET, WS and GRPC requests they separate messages: nothing to say', () => {
      for (const method of ['WEBSOCKET ws://x/ws', 'WS ws://x/ws', 'GRPC localhost:1/a.B/C', 'websocket ws://x/ws']) {
        assert.deepEqual(found(`${method}\n\n{}\n=== wait-for-server\n{}\n===\n{}\n`, Code.MessageSeparatorUnexpected), [], method);
      }
    });
  });

  describe('a line meant as a separator', () => {
    test('a near spelling of wait-for-server is a warning with the fix', () => {
      for (const line of ['=== wait-for-sever', '=== wait for server', '===WAIT-FOR-SERVER', '=== wait_for_server']) {
        const text = `WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n${line}\n{"b": 2}\n`;
        assert.deepEqual(found(text, Code.MessageSeparatorInvalid), [[line, warning]], line);
        assert.deepEqual(fixes(text), [{ title: "Change to '=== wait-for-server'", result: text.replace(line, '=== wait-for-server') }], line);
      }
    });

    test('a longer run of = is a misspelt ===', () => {
      const text = 'WS ws://localhost/ws\n\na\n=====\nb\n';
      assert.match(messageOf(only(text, Code.MessageSeparatorInvalid)), /'=====' is not a message separator, so it is sent as message text: write '==='/);
      assert.deepEqual(fixes(text), [{ title: "Change to '==='", result: 'WS ws://localhost/ws\n\na\n===\nb\n' }]);
    });

    test('text that only starts with === is message text: nothing to say', () => {
      assert.deepEqual(found('WEBSOCKET ws://localhost/ws\n\n=== Chapter one ===\n===> arrow\n', Code.MessageSeparatorInvalid), []);
    });
  });

  describe('messages as JSON', () => {
    test('each message of a JSON WebSocket body is judged alone, the error at its place', () => {
      const text = 'WEBSOCKET ws://localhost/ws\nContent-Type: application/json\n\n{"a": 1}\n=== wait-for-server\n{"b": }\n===\n[1, 2]\n';
      const diagnostic = only(text, Code.BodyInvalidJson);
      assert.equal(diagnostic.severity, warning);
      assert.match(messageOf(diagnostic), /^Invalid JSON in message 2 \(Content-Type is application\/json\): /);
      assert.equal(diagnostic.range.start.line, 5);
      assert.equal(textOf(contextFor(text), diagnostic.range), '}');
    });

    test('separators and {{references}} between JSON messages are no JSON errors', () => {
      assert.deepEqual(found('WS ws://localhost/ws\nContent-Type: application/json\n\n=== wait-for-server\n{"id": {{$randomInt 1 9}}}\n===\n{"a": "{{$uuid}}"}\n=== wait-for-server\n', Code.BodyInvalidJson), []);
    });

    test('a gRPC message is JSON without a Content-Type; a WebSocket message without one is text', () => {
      assert.match(messageOf(only('GRPC localhost:50051/a.B/C\n\n{"name": Ann}\n', Code.BodyInvalidJson)), /^Invalid JSON in the message \(a gRPC message is JSON\)/);
      assert.deepEqual(found('WEBSOCKET ws://localhost/ws\n\n{not json, and fine}\n===\nhello\n', Code.BodyInvalidJson), []);
    });
  });

  test('an SSE request with a body is a warning: the stream is opened with GET', () => {
    const diagnostic = only('SSE https://example.com/events\n\n{"a": 1}\n', Code.BodyOnGetOrHead);
    assert.equal(diagnostic.severity, warning);
    assert.match(messageOf(diagnostic), /An SSE request with a body: the event stream is opened with a GET, which sends none\. To stream the answer to a body, POST it/);
    assert.deepEqual(found('WEBSOCKET ws://x/ws\n\nhello\n###\nGRPC localhost:1/a.B/C\n\n{}\n', Code.BodyOnGetOrHead), []);
  });

  test('handshake headers a WebSocket client writes itself are hints, marked unnecessary, with a fix that removes them', () => {
    const text = 'WEBSOCKET ws://localhost/ws\nUpgrade: websocket\nconnection: Upgrade\nSec-WebSocket-Key: abc\nSec-WebSocket-Version: 13\nSec-WebSocket-Protocol: chat\n\nhi\n';
    assert.deepEqual(found(text, Code.HeaderWebSocketHandshake), [
      ['Upgrade: websocket', hint],
      ['connection: Upgrade', hint],
      ['Sec-WebSocket-Key: abc', hint],
      ['Sec-WebSocket-Version: 13', hint],
    ]);
    const diagnostic = diagnose(contextFor(text)).find((candidate) => candidate.code === Code.HeaderWebSocketHandshake);
    assert.deepEqual(diagnostic?.tags, [DiagnosticTag.Unnecessary]);
    assert.match(messageOf(only('WS ws://x/ws\nSec-WebSocket-Key: abc\n', Code.HeaderWebSocketHandshake)), /The WebSocket client writes Sec-WebSocket-Key itself for the handshake: the value written here is not sent/);
    assert.deepEqual(fixes('WS ws://x/ws\nSec-WebSocket-Key: abc\nOrigin: x\n'), [{ title: 'Remove Sec-WebSocket-Key header', result: 'WS ws://x/ws\nOrigin: x\n' }]);
    // The same headers on an HTTP request are the user's business.
    assert.deepEqual(found('GET https://example.com\nUpgrade: h2c\nConnection: Upgrade\n', Code.HeaderWebSocketHandshake), []);
  });

  test('severities stay as documented', () => {
    assert.equal(only('GRPC localhost:1/a.B/C\n\n{\n', Code.BodyInvalidJson).severity, warning);
    assert.equal(only('POST https://x\n\n===\n', Code.MessageSeparatorUnexpected).severity, hint);
  });
});

describe('stream request lines: completion', () => {
  function completeAt(marked: string): { readonly text: string; readonly items: readonly CompletionItem[] } {
    const { text, offset } = cursor(marked);
    return { text, items: complete(contextFor(text), offset).items };
  }

  function accept(marked: string, label: string): string {
    const { text, items } = completeAt(marked);
    const item = items.find((candidate) => candidate.label === label);
    assert.ok(item !== undefined, `no item '${label}' among ${items.map((candidate) => candidate.label).join(', ')}`);
    const edit = item.textEdit;
    assert.ok(edit !== undefined && TextEdit.is(edit));
    const document = parse(text);
    return text.slice(0, positionToOffset(document, edit.range.start)) + edit.newText + text.slice(positionToOffset(document, edit.range.end));
  }

  test('the stream methods are offered at the start of a request line, described, with how they are written', () => {
    const { items } = completeAt('###\nWE|');
    const byLabel = new Map(items.map((item) => [item.label, item]));
    for (const method of ['WEBSOCKET', 'WS', 'SSE', 'GRPC']) {
      const item = byLabel.get(method);
      assert.ok(item !== undefined, method);
      assert.ok(typeof item.detail === 'string' && item.detail.length > 20, method);
      assert.ok(MarkupContent.is(item.documentation) && item.documentation.value.includes(`\`\`\`http\n${method} `), `${method} documentation shows a request`);
    }
    assert.equal(accept('###\nWEB|', 'WEBSOCKET'), '###\nWEBSOCKET ');
  });

  test('in a WebSocket or gRPC body, the separators complete at the start of a line', () => {
    for (const request of ['WEBSOCKET ws://localhost/ws', 'WS ws://localhost/ws', 'GRPC localhost:50051/a.B/C']) {
      assert.deepEqual(completeAt(`${request}\n\n{"a": 1}\n|`).items.map((item) => item.label), ['===', '=== wait-for-server'], request);
    }
    assert.equal(accept('WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n===|\n{"b": 2}\n', '=== wait-for-server'), 'WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n=== wait-for-server\n{"b": 2}\n');
    assert.equal(accept('WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n=== wa|it\n', '=== wait-for-server'), 'WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n=== wait-for-server\n');
    assert.equal(accept('WS ws://localhost/ws\n\nhi\n=|\n', '==='), 'WS ws://localhost/ws\n\nhi\n===\n');
  });

  test('no separators on a line of message text, nor in a request that sends no messages', () => {
    assert.deepEqual(completeAt('WEBSOCKET ws://localhost/ws\n\n|{"a": 1}\n').items.map((item) => item.label), []);
    assert.deepEqual(completeAt('POST https://example.com\n\nabc\n===|\n').items.map((item) => item.label), []);
  });
});

describe('stream request lines: hover', () => {
  function markdownAt(marked: string): string | undefined {
    const { text, offset } = cursor(marked);
    const result = hover(contextFor(text), offset);
    if (result === null) return undefined;
    assert.ok(MarkupContent.is(result.contents));
    return result.contents.value;
  }

  test('on a stream method: what it does and how the request is written', () => {
    const websocket = markdownAt('WEB|SOCKET ws://localhost/ws\n');
    assert.match(websocket ?? '', /^\*\*WEBSOCKET\*\*\n\nOpen a WebSocket/);
    assert.match(websocket ?? '', /```http\nWEBSOCKET ws:\/\/localhost:3000\/chat\n[^]*=== wait-for-server/);
    assert.match(markdownAt('GR|PC localhost:50051/a.B/C\n') ?? '', /```http\nGRPC localhost:50051\/helloworld\.Greeter\/SayHello/);
    assert.match(markdownAt('S|SE https://x/events\n') ?? '', /\*\*SSE\*\*/);
    assert.match(markdownAt('W|S ws://x/ws\n') ?? '', /\*\*WS\*\*/);
  });

  test('on a separator of a WebSocket body: what it does', () => {
    const text = 'WEBSOCKET ws://localhost/ws\n\n{"a": 1}\n=== wait-|for-server\n{"b": 2}\n===|\n{"c": 3}\n';
    const marks = [...text.matchAll(/\|/g)].map((match) => match.index);
    const [first, second] = marks;
    assert.ok(first !== undefined && second !== undefined);
    const unmarked = text.replaceAll('|', '');
    const at = (offset: number): string => {
      const result = hover(contextFor(unmarked), offset);
      assert.ok(result !== null && MarkupContent.is(result.contents));
      return result.contents.value;
    };
    assert.match(at(first), /^\*\*=== wait-for-server\*\*\n\nEnds a message, and waits for the server to send one more message before the next one is sent/);
    assert.match(at(second - 1), /^\*\*===\*\*\n\nEnds a message: the text above it is sent as one message, the text below it as the next/);
  });

  test('on a separator of a request that sends no messages: that it is body text', () => {
    assert.match(markdownAt('POST https://x\n\na\n=|==\nb\n') ?? '', /Sent as body text: only a WebSocket request/);
    assert.equal(markdownAt('POST https://x\n\na\n=|== heading\n'), undefined);
  });
});
