// `/login` and `/me`: a session cookie and a bearer token for the same login,
// so samples can show cookies kept by the client and tokens chained by name.
import { randomBytes } from 'node:crypto';
import { DemoError, type Route, isObject, parseCookies, readJson, sendJson } from './exchange';

/** The one account the demo knows. */
export const demoCredentials = { username: 'demo', password: 'secret' } as const;

/** Sessions and tokens issued by one running demo API. */
export class SessionStore {
  private readonly usersBySession = new Map<string, string>();
  private readonly usersByToken = new Map<string, string>();

  open(username: string): { readonly session: string; readonly token: string } {
    const session = randomBytes(16).toString('hex');
    const token = randomBytes(24).toString('base64url');
    this.usersBySession.set(session, username);
    this.usersByToken.set(token, username);
    return { session, token };
  }

  userForSession(session: string | undefined): string | undefined {
    return session === undefined ? undefined : this.usersBySession.get(session);
  }

  userForToken(token: string | undefined): string | undefined {
    return token === undefined ? undefined : this.usersByToken.get(token);
  }

  close(session: string | undefined): void {
    if (session !== undefined) this.usersBySession.delete(session);
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

export function loginRoutes(sessions: SessionStore): readonly Route[] {
  return [
    {
      methods: ['POST'],
      path: '/login',
      handler: async ({ request, response }) => {
        const body = await readJson(request);
        if (!isObject(body) || typeof body.username !== 'string' || typeof body.password !== 'string') {
          throw new DemoError(400, 'expected {"username": "...", "password": "..."}');
        }
        if (body.username !== demoCredentials.username || body.password !== demoCredentials.password) {
          throw new DemoError(401, `wrong username or password (the demo account is ${demoCredentials.username} / ${demoCredentials.password})`);
        }
        const { session, token } = sessions.open(body.username);
        sendJson(response, 200, { token, username: body.username }, { 'Set-Cookie': `session=${session}; Path=/; HttpOnly; SameSite=Lax` });
      },
    },
    {
      methods: ['POST'],
      path: '/logout',
      handler: ({ request, response }) => {
        sessions.close(parseCookies(request.headers.cookie).session);
        sendJson(response, 200, { loggedOut: true }, { 'Set-Cookie': 'session=; Path=/; HttpOnly; Max-Age=0' });
      },
    },
    {
      methods: ['GET', 'HEAD'],
      path: '/me',
      handler: ({ request, response }) => {
        const fromToken = sessions.userForToken(bearerToken(request.headers.authorization));
        const fromCookie = sessions.userForSession(parseCookies(request.headers.cookie).session);
        const username = fromToken ?? fromCookie;
        if (username === undefined) {
          throw new DemoError(401, 'not logged in: POST /login first, then send its session cookie or "Authorization: Bearer <token>"', undefined, {
            'WWW-Authenticate': 'Bearer realm="courier-demo"',
          });
        }
        sendJson(response, 200, { username, authenticatedBy: fromToken !== undefined ? 'bearer' : 'cookie' });
      },
    },
  ];
}
