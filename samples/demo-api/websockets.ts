// The demo API's WebSocket endpoints, on the same port as its HTTP routes (the server's `upgrade`
// event comes here):
//   /ws/echo   answers each message with the same message, text as text and binary as binary;
//              its 101 sets a `ws-visits` cookie, counting the handshakes that sent it back.
//   /ws/chat   greets on connect (by the `name` cookie, when the handshake sends one), relays each
//              text message to every connected client, and closes the sender's connection with a
//              code and reason of its choice on `/close <code> [reason]`.
//   /graphql   GraphQL subscriptions over graphql-transport-ws (graphql-ws's server, graphql 16):
//              `countdown(from: Int!)` counts down to 0 and completes; `ticks(everyMs: Int)` never ends.
// Any other path answers the handshake with a 404 and a JSON body, as the HTTP routes do.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, GraphQLInt, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';

/** The WebSocket side of the demo API: hand it every upgrade request; close it with the server. */
export interface WebSocketEndpoints {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Creates the endpoints with fresh state (chat members, visit counts). */
export function webSocketEndpoints(): WebSocketEndpoints {
  const echo = echoServer();
  const chat = chatServer();
  const graphql = graphqlServer();
  const byPath = new Map<string, WebSocketServer>([
    ['/ws/echo', echo],
    ['/ws/chat', chat],
    ['/graphql', graphql],
  ]);
  return {
    handleUpgrade: (request, socket, head) => {
      const path = new URL(request.url ?? '/', 'http://demo').pathname;
      const server = byPath.get(path);
      if (server === undefined) {
        refuse(socket, 404, `no WebSocket endpoint at ${path}; try /ws/echo, /ws/chat or /graphql`);
        return;
      }
      server.handleUpgrade(request, socket, head, (client) => server.emit('connection', client, request));
    },
    close: async () => {
      await Promise.all(
        [...byPath.values()].map(
          (server) =>
            new Promise<void>((closed) => {
              for (const client of server.clients) client.terminate();
              server.close(() => closed());
            }),
        ),
      );
    },
  };
}

/** Answers a handshake with an HTTP error and a JSON body, then hangs up. */
function refuse(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(`HTTP/1.1 ${status} Not Found\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function cookieOf(request: IncomingMessage, name: string): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = pair.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function echoServer(): WebSocketServer {
  const server = new WebSocketServer({ noServer: true });
  server.on('headers', (headers, request) => {
    const visits = Number(cookieOf(request, 'ws-visits') ?? '0') + 1;
    headers.push(`Set-Cookie: ws-visits=${visits}; Path=/; HttpOnly`);
  });
  server.on('connection', (client: WebSocket) => {
    client.on('message', (data, isBinary) => client.send(data, { binary: isBinary }));
  });
  return server;
}

function chatServer(): WebSocketServer {
  const server = new WebSocketServer({ noServer: true });
  let guests = 0;
  server.on('connection', (client: WebSocket, request: IncomingMessage) => {
    const name = cookieOf(request, 'name') ?? `guest-${++guests}`;
    client.send(JSON.stringify({ type: 'welcome', name, online: server.clients.size }));
    client.on('message', (data, isBinary) => {
      if (isBinary) {
        client.send(JSON.stringify({ type: 'error', error: 'the chat relays text messages only' }));
        return;
      }
      const text = Buffer.from(data as Buffer).toString('utf8');
      const close = /^\/close(?:\s+(\d{4}))?(?:\s+(.*))?$/.exec(text.trim());
      if (close !== null) {
        // 1000 and 3000-4999 are codes an endpoint may send (RFC 6455 7.4).
        const code = Number(close[1] ?? '1000');
        client.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, close[2] ?? '');
        return;
      }
      const relayed = JSON.stringify({ type: 'message', from: name, text });
      for (const member of server.clients) member.send(relayed);
    });
  });
  return server;
}

function graphqlServer(): WebSocketServer {
  const server = new WebSocketServer({ noServer: true });
  useServer({ schema: subscriptionSchema() }, server);
  return server;
}

function subscriptionSchema(): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { hello: { type: GraphQLString, resolve: () => 'Subscriptions are at this URL over graphql-transport-ws; queries over HTTP POST.' } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        countdown: {
          type: new GraphQLNonNull(GraphQLInt),
          description: 'Counts down from `from` to 0, one number every 20 ms, then completes.',
          args: { from: { type: new GraphQLNonNull(GraphQLInt) } },
          subscribe: (_source, args: { from: number }) => {
            if (args.from < 0 || args.from > 1000) throw new GraphQLError('from must be between 0 and 1000');
            return numbers(args.from, -1, 20, (n) => n >= 0);
          },
          resolve: (n: number) => n,
        },
        ticks: {
          type: new GraphQLNonNull(GraphQLInt),
          description: 'Counts up from 1 every `everyMs` milliseconds (100 by default), forever.',
          args: { everyMs: { type: GraphQLInt } },
          subscribe: (_source, args: { everyMs?: number | null }) => numbers(1, 1, Math.max(1, args.everyMs ?? 100), () => true),
          resolve: (n: number) => n,
        },
      },
    }),
  });
}

/** `start`, `start + step`, ... while `more`, one every `everyMs`. */
async function* numbers(start: number, step: number, everyMs: number, more: (n: number) => boolean): AsyncGenerator<number> {
  for (let n = start; more(n); n += step) {
    yield n;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
