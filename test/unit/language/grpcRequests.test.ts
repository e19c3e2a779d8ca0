// GRPC requests in the editor: the target read as host:port/package.Service/Method (and what is
// reported where it is not), completion of services and methods from a # @proto file, and hover.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { complete } from '../../../language/completion';
import type { FeatureContext } from '../../../language/context';
import { diagnose } from '../../../language/diagnostics';
import { grpcTargetUrl, isGrpcTargetProblem, parseGrpcTarget } from '../../../language/grpcTarget';
import { hover } from '../../../language/hover';
import { protoServices } from '../../../language/protoOutline';
import { contextFor, cursor, textOf } from './featureContext';

const greeterProto = readFileSync(join(__dirname, '..', '..', '..', '..', 'samples', 'streams', 'greeter.proto'), 'utf8');

function withProto(text: string): FeatureContext {
  const context = contextFor(text, { files: ['./greeter.proto'] });
  return { ...context, host: { ...context.host, readFile: (_uri, path) => (path === './greeter.proto' ? greeterProto : undefined) } };
}

function problems(context: FeatureContext): string[] {
  return diagnose(context).map((diagnostic) => `${String(diagnostic.code)}: ${textOf(context, diagnostic.range)}: ${typeof diagnostic.message === "string" ? diagnostic.message : diagnostic.message.value}`);
}

function hoverText(marked: string): string {
  const { text, offset } = cursor(marked);
  const answer = hover(withProto(text), offset);
  const contents = answer?.contents;
  return contents !== undefined && typeof contents === 'object' && 'value' in contents ? contents.value : '';
}

describe('gRPC targets', () => {
  test('JetBrains\' and httpYac\'s forms read into host, port, service and method; the scheme decides TLS', () => {
    const plain = parseGrpcTarget('localhost:50051/demo.Greeter/SayHello');
    assert.ok(!isGrpcTargetProblem(plain));
    assert.deepEqual([plain.host, plain.port, plain.service, plain.method, plain.tls], ['localhost', 50051, 'demo.Greeter', 'SayHello', false]);
    assert.equal(grpcTargetUrl(plain), 'grpc://localhost:50051/demo.Greeter/SayHello');
    const secure = parseGrpcTarget('grpcs://api.example.com/helloworld.Greeter/SayHello');
    assert.ok(!isGrpcTargetProblem(secure));
    assert.equal(grpcTargetUrl(secure), 'grpcs://api.example.com:443/helloworld.Greeter/SayHello');
    const https = parseGrpcTarget('https://[::1]:8443/Greeter/SayHello');
    assert.ok(!isGrpcTargetProblem(https));
    assert.equal(grpcTargetUrl(https), 'grpcs://[::1]:8443/Greeter/SayHello');
    const port443 = parseGrpcTarget('grpcb.in:443/hello.HelloService/SayHello');
    assert.ok(!isGrpcTargetProblem(port443) && port443.tls, 'port 443 without a scheme is TLS');
    const http = parseGrpcTarget('http://localhost:443/a.B/C');
    assert.ok(!isGrpcTargetProblem(http) && !http.tls, 'a written scheme wins over the port');
  });

  test('a target that is not Service/Method is http.grpc.invalid-target, at the part that is wrong', () => {
    assert.deepEqual(problems(contextFor('GRPC localhost:50051/demo.Greeter\n')), [
      "http.grpc.invalid-target: demo.Greeter: 'demo.Greeter' is not Service/Method: write host:port/package.Service/Method, e.g. localhost:50051/helloworld.Greeter/SayHello.",
    ]);
    assert.deepEqual(problems(contextFor('GRPC localhost:50051\n')).map((problem) => problem.split(': ').slice(0, 2).join(': ')), ['http.grpc.invalid-target: localhost:50051']);
    assert.deepEqual(problems(contextFor('GRPC ws://localhost:1/a.B/C\n')).map((problem) => problem.split(': ').slice(0, 2).join(': ')), ['http.grpc.invalid-target: ws']);
    assert.deepEqual(problems(contextFor('GRPC localhost:1/a.B/C/D\n')).map((problem) => problem.split(': ').slice(0, 2).join(': ')), ['http.grpc.invalid-target: a.B/C/D']);
    assert.deepEqual(problems(contextFor('GRPC localhost:1/a-b.B/C\n')).map((problem) => problem.split(': ').slice(0, 2).join(': ')), ['http.grpc.invalid-target: a-b.B']);
    assert.deepEqual(problems(contextFor('GRPC localhost:50051/demo.Greeter/SayHello\n\n{ "name": "Ada" }\n')), [], 'a good target, and no unsupported-scheme or URL problem');
    assert.deepEqual(problems(contextFor('GRPC grpcs://localhost/demo.Greeter/SayHello\n')), []);
  });

  test('variables are expanded first; the problem names what they made', () => {
    const context = contextFor('@host = localhost:50051\n\nGRPC {{host}}/demo.Greeter\n');
    assert.deepEqual(problems(context).map((problem) => problem.split(': ').slice(0, 2).join(': ')), ['http.grpc.invalid-target: {{host}}/demo.Greeter']);
    assert.match(problems(context)[0] ?? '', /= 'localhost:50051\/demo\.Greeter'/);
    assert.deepEqual(problems(contextFor('@host = localhost:50051\n\nGRPC {{host}}/demo.Greeter/SayHello\n')), []);
  });

  test('a .proto file\'s services and rpcs, comments and nested blocks skipped', () => {
    const services = protoServices('syntax = "proto3";\n// service Fake {}\npackage a.b;\nservice S { option (x) = { y: 1 }; rpc One (Req) returns (stream .a.b.Res) {}\n /* rpc Two (X) returns (Y); */ rpc Three(stream Req)returns(Res); }\nservice T {}\n');
    assert.deepEqual(services, [
      {
        name: 'a.b.S',
        methods: [
          { name: 'One', requestStream: false, requestType: 'Req', responseStream: true, responseType: '.a.b.Res' },
          { name: 'Three', requestStream: true, requestType: 'Req', responseStream: false, responseType: 'Res' },
        ],
      },
      { name: 'a.b.T', methods: [] },
    ]);
  });

  test('completion offers the # @proto file\'s services after host:port/, then their methods', () => {
    const services = cursor('# @proto ./greeter.proto\nGRPC localhost:50051/|\n');
    const serviceItems = complete(withProto(services.text), services.offset).items;
    assert.deepEqual(serviceItems.map((item) => [item.label, item.textEdit !== undefined && 'newText' in item.textEdit ? item.textEdit.newText : '']), [['demo.Greeter', 'demo.Greeter/']]);
    const methods = cursor('# @proto ./greeter.proto\nGRPC localhost:50051/demo.Greeter/Co|\n');
    const methodItems = complete(withProto(methods.text), methods.offset).items;
    assert.deepEqual(
      methodItems.map((item) => item.label),
      ['SayHello', 'Countdown', 'Sum', 'Chat', 'Fail'],
    );
    assert.equal(methodItems.find((item) => item.label === 'Countdown')?.detail, 'server streaming: rpc Countdown (CountdownRequest) returns (stream Tick)');
    const range = methodItems[0]?.textEdit !== undefined && 'range' in methodItems[0].textEdit ? methodItems[0].textEdit.range : undefined;
    assert.equal(range === undefined ? '' : textOf(withProto(methods.text), range), 'Co', 'the typed part of the method is replaced');
  });

  test('hover on the method says what it takes and returns, and how the body is written', () => {
    const text = hoverText('# @proto ./greeter.proto\nGRPC localhost:50051/demo.Greeter/Su|m\n');
    assert.match(text, /\*\*gRPC method\*\* \(client streaming\) from `\.\/greeter\.proto`/);
    assert.match(text, /rpc Sum \(stream Number\) returns \(SumReply\)/);
    assert.match(text, /separated by `===` lines/);
    assert.match(hoverText('# @proto ./greeter.proto\nGRPC localhost:50051/demo.Gre|eter/Sum\n'), /\*\*gRPC service\*\* `demo\.Greeter`[\s\S]*rpc Chat \(stream ChatMessage\) returns \(stream ChatMessage\) \(bidirectional streaming\)/);
    assert.match(hoverText('# @proto ./greeter.proto\nGRPC localhost:50051/demo.Greeter/Nope|\n'), /has no method `Nope`.*`SayHello`/);
    assert.match(hoverText('# @pro|to ./greeter.proto\nGRPC localhost:50051/demo.Greeter/Sum\n'), /reads the service's types from this `\.proto` file/);
  });
});
