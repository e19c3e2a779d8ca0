// The demo API: a local server the samples run against. Every start gets fresh
// state (items, sessions, the identity provider's keys and tokens), so tests never see each other's changes.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { echoRoutes } from './echo';
import { DemoError, type Route, matchPath, sendJson } from './exchange';
import { graphqlRoute } from './graphql';
import { basicAuthRoute, digestAuthRoute } from './httpAuth';
import { type IdentityProviderOptions, accessTokenTtlOf, createIdentityProvider, generateSigningKey, identityProviderRoutes } from './identityProvider';
import { ItemStore, itemRoutes } from './items';
import { SessionStore, loginRoutes } from './login';
import { uploadRoute } from './multipart';
import { oidcMountPath } from './oauthClients';
import { responseRoutes } from './responses';
import { streamRoutes } from './streams';
import { webSocketEndpoints } from './websockets';

export interface DemoApi {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The identity provider's issuer, `<url>/oidc`; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  readonly oidcIssuer: string;
  /** Stops listening and drops open connections (streamed downloads included). */
  close(): Promise<void>;
}

export type DemoApiOptions = IdentityProviderOptions;

function allRoutes(getProvider: () => Provider): readonly Route[] {
  const items = new ItemStore();
  return [
    ...itemRoutes(items),
    ...loginRoutes(new SessionStore()),
    ...echoRoutes(),
    ...responseRoutes(),
    ...streamRoutes(),
    basicAuthRoute(),
    digestAuthRoute(),
    uploadRoute(),
    graphqlRoute(items),
    ...identityProviderRoutes(getProvider),
  ];
}

function routeIndex(routes: readonly Route[]): Record<string, string[]> {
  const index: Record<string, string[]> = {};
  for (const route of routes) {
    const methods = route.methods === 'any' ? ['ANY'] : [...route.methods];
    (index[route.path] ??= []).push(...methods);
  }
  return index;
}

async function dispatch(routes: readonly Route[], request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  const method = request.method ?? 'GET';
  if (url.pathname === '/' && (method === 'GET' || method === 'HEAD')) {
    sendJson(response, 200, { name: 'Courier demo API', endpoints: routeIndex(routes) });
    return;
  }
  const matching = routes.flatMap((route) => {
    const params = matchPath(route.path, url.pathname);
    return params === undefined ? [] : [{ route, params }];
  });
  if (matching.length === 0) throw new DemoError(404, `no endpoint at ${url.pathname}; GET / lists them`);
  const match = matching.find(({ route }) => route.methods === 'any' || route.methods.includes(method));
  if (match === undefined) {
    const allowed = [...new Set(matching.flatMap(({ route }) => (route.methods === 'any' ? [] : route.methods)))];
    throw new DemoError(405, `${method} is not allowed on ${url.pathname}; use ${allowed.join(', ')}`, undefined, { Allow: allowed.join(', ') });
  }
  await match.route.handler({ request, response, url, params: match.params });
}

function answerError(response: ServerResponse, error: unknown): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  if (error instanceof DemoError) {
    sendJson(response, error.status, { error: error.message, ...(error.details ? { details: error.details } : {}) }, error.headers);
  } else {
    sendJson(response, 500, { error: `demo API bug: ${(error as Error).message}` });
  }
}

/** Starts the demo API on 127.0.0.1:`port` (0 picks a free port). */
export async function startDemoApi(port = 0, options: DemoApiOptions = {}): Promise<DemoApi> {
  const accessTokenTtl = accessTokenTtlOf(options);
  const signingKey = await generateSigningKey();
  // The issuer names the port, known only once listening; nobody can know it before, except a
  // fixed port's user, who is told to retry.
  let provider: Provider | undefined;
  const getProvider = (): Provider => {
    if (provider === undefined) throw new DemoError(503, 'the identity provider is starting; try again', undefined, { 'Retry-After': '1' });
    return provider;
  };
  const routes = allRoutes(getProvider);
  const server = createServer((request, response) => {
    dispatch(routes, request, response).catch((error: unknown) => answerError(response, error));
  });
  const webSockets = webSocketEndpoints();
  server.on('upgrade', (request, socket, head) => webSockets.handleUpgrade(request, socket, head));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const { port: actualPort } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${actualPort}`;
      try {
        provider = createIdentityProvider(`${url}${oidcMountPath}`, signingKey, accessTokenTtl);
      } catch (error) {
        server.close();
        reject(error instanceof Error ? error : new Error(String(error)));
        return;
      }
      resolve({
        url,
        port: actualPort,
        oidcIssuer: `${url}${oidcMountPath}`,
        close: async () => {
          // Upgraded sockets are no longer the HTTP server's to close: their endpoints close them.
          await webSockets.close();
          await new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          });
        },
      });
    });
  });
}
