// The pages a person sees at the demo identity provider: the sign-in form (oidc-provider's
// login interaction), the device flow's code and confirmation pages, and errors. Consent is
// given without a page: the demo user owns the demo clients.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { type Route, readBody } from './exchange';
import { demoCredentials } from './login';
import { oidcMountPath } from './oauthClients';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Courier demo</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
label { display: block; margin: 0.75rem 0; }
input[type=text], input[type=password], input:not([type]) { display: block; width: 100%; box-sizing: border-box; padding: 0.4rem; font-size: 1rem; }
button { padding: 0.4rem 1.2rem; font-size: 1rem; margin: 0.75rem 0.5rem 0 0; }
.error { color: #b00020; font-weight: bold; }
.hint, small { color: #555; }
code { font-size: 1.2rem; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${content}
</body>
</html>
`;
}

function sendHtml(response: ServerResponse, status: number, html: string): void {
  const body = Buffer.from(html, 'utf8');
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  response.end(body);
}

function loginPage(action: string, clientId: string, error?: string): string {
  return page(
    'Sign in',
    `<p><strong>${escapeHtml(clientId)}</strong> asks you to sign in to the Courier demo API.</p>
${error === undefined ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}">
<label>Username <input type="text" name="username" autocomplete="username" autofocus required></label>
<label>Password <input type="password" name="password" autocomplete="current-password" required></label>
<button type="submit">Sign in</button>
</form>
<p class="hint">The demo account is ${escapeHtml(demoCredentials.username)} / ${escapeHtml(demoCredentials.password)}.</p>`,
  );
}

/** oidc-provider's device flow pages and error page, in the same plain look as the sign-in page. */
export const providerPages = {
  userCodeInputSource: (ctx: KoaContextWithOIDC, form: string, _out: unknown, error: unknown): void => {
    const userCodeWrong = error instanceof Error && (error.name === 'NoCodeError' || 'userCode' in error);
    const message =
      error === undefined
        ? 'Enter the code your device shows.'
        : userCodeWrong
          ? 'That code is wrong, expired or already used. Enter the code your device shows.'
          : error instanceof Error && error.name === 'AbortedError'
            ? 'The sign-in was cancelled.'
            : 'Something went wrong. Enter the code your device shows.';
    ctx.type = 'html';
    ctx.body = page('Connect a device', `<p${error === undefined ? '' : ' class="error" role="alert"'}>${message}</p>\n${form}\n<button type="submit" form="op.deviceInputForm">Continue</button>`);
  },
  userCodeConfirmSource: (ctx: KoaContextWithOIDC, form: string, client: { readonly clientId: string }, _deviceInfo: unknown, userCode: string): void => {
    ctx.type = 'html';
    ctx.body = page(
      'Confirm the device',
      `<p><strong>${escapeHtml(client.clientId)}</strong> asks for access. Continue only if your device shows this code:</p>
<p><code>${escapeHtml(userCode)}</code></p>
${form}
<button type="submit" form="op.deviceConfirmForm">Continue</button>
<button type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button>`,
    );
  },
  successSource: (ctx: KoaContextWithOIDC): void => {
    ctx.type = 'html';
    ctx.body = page('Device connected', '<p>The device is signed in. You can close this page.</p>');
  },
  renderError: (ctx: KoaContextWithOIDC, out: { readonly error: string; readonly error_description?: string | undefined }): void => {
    ctx.type = 'html';
    ctx.body = page('Sign-in failed', `<p class="error" role="alert">${escapeHtml(out.error)}: ${escapeHtml(out.error_description ?? '')}</p>`);
  },
} satisfies Pick<Configuration, 'renderError'> & Pick<NonNullable<NonNullable<Configuration['features']>['deviceFlow']>, 'userCodeInputSource' | 'userCodeConfirmSource' | 'successSource'>;

/** Where oidc-provider sends the browser when it needs a sign-in or a consent. */
export function interactionPath(uid: string): string {
  return `${oidcMountPath}/interaction/${uid}`;
}

/** Consent for everything the request asks: the demo user owns the demo clients. */
async function grantRequestedAccess(provider: Provider, interaction: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<string> {
  const { accountId } = interaction.session ?? {};
  const clientId = interaction.params.client_id;
  if (accountId === undefined || typeof clientId !== 'string') throw new errors.SessionNotFound('the consent has no signed-in user or client');
  const grant = interaction.grantId === undefined ? new provider.Grant({ accountId, clientId }) : await provider.Grant.find(interaction.grantId);
  if (grant === undefined) throw new errors.SessionNotFound('the grant being extended no longer exists');
  const details = interaction.prompt.details;
  if (Array.isArray(details.missingOIDCScope)) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (Array.isArray(details.missingOIDCClaims)) grant.addOIDCClaims(details.missingOIDCClaims as string[]);
  return grant.save();
}

function expiredSignIn(response: ServerResponse): void {
  sendHtml(response, 400, page('Sign-in expired', '<p class="error" role="alert">This sign-in has expired or its cookie is missing. Start again from the application.</p>'));
}

/** `GET /oidc/interaction/:uid` (the sign-in form, or consent given at once) and `POST …/login`. */
/** The sign-in under way for this browser, or undefined after answering that it expired. */
async function interactionOf(provider: Provider, request: IncomingMessage, response: ServerResponse): Promise<Awaited<ReturnType<Provider['interactionDetails']>> | undefined> {
  try {
    return await provider.interactionDetails(request, response);
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    expiredSignIn(response);
    return undefined;
  }
}

export function interactionRoutes(getProvider: () => Provider): readonly Route[] {
  return [
    {
      methods: ['GET'],
      path: `${oidcMountPath}/interaction/:uid`,
      handler: async ({ request, response }) => {
        const provider = getProvider();
        const interaction = await interactionOf(provider, request, response);
        if (interaction === undefined) return;
        if (interaction.prompt.name === 'login') {
          sendHtml(response, 200, loginPage(`${interactionPath(interaction.uid)}/login`, String(interaction.params.client_id)));
          return;
        }
        const grantId = await grantRequestedAccess(provider, interaction);
        // A grant being extended is already the session's: only a new one is handed over.
        await provider.interactionFinished(request, response, { consent: interaction.grantId === undefined ? { grantId } : {} }, { mergeWithLastSubmission: true });
      },
    },
    {
      methods: ['POST'],
      path: `${oidcMountPath}/interaction/:uid/login`,
      handler: async ({ request, response }) => {
        const provider = getProvider();
        const form = new URLSearchParams((await readBody(request, 64 * 1024)).toString('utf8'));
        const interaction = await interactionOf(provider, request, response);
        if (interaction === undefined) return;
        if (interaction.prompt.name !== 'login') {
          sendHtml(response, 400, page('Already signed in', '<p class="error" role="alert">This sign-in is past the login step. Start again from the application.</p>'));
          return;
        }
        if (form.get('username') !== demoCredentials.username || form.get('password') !== demoCredentials.password) {
          sendHtml(response, 200, loginPage(`${interactionPath(interaction.uid)}/login`, String(interaction.params.client_id), 'Wrong username or password.'));
          return;
        }
        await provider.interactionFinished(request, response, { login: { accountId: demoCredentials.username } }, { mergeWithLastSubmission: false });
      },
    },
  ];
}
