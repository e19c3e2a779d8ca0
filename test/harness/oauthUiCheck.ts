// The UI check of OAuth's Authorization Code grant, as a person goes through it: clicking "Send
// Request" above a request that reads `{{$auth.token("ui-browser")}}` opens the demo identity
// provider's login page in a new browser tab (VS Code's openExternal); signing in there as
// demo / secret sends the browser back to Courier's loopback listener, whose page says the tab
// can be closed; the request then goes with the token, and the panel shows the profile the
// provider's resource answers for it. A screenshot of the login page and of the workbench are kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoApi, type DemoApi } from '../../samples/demo-api/server';
import { demoOAuthClients } from '../../samples/demo-api/oauthClients';
import type { RunningCodeServer } from './codeServerProcess';
import { keepScreenshot } from './screenshot';
import { clickSendRequestLens, expectText, openWithQuickOpen, runSendingCheck, waitForPanel } from './sendingWorkbench';

const fixtureFile = 'ui-oauth.http';
const timeoutMs = 60_000;

export async function checkOAuthUi(page: Page, server: RunningCodeServer, outputDir: string): Promise<boolean> {
  const identityProvider: DemoApi = await startDemoApi(0);
  try {
    return await runSendingCheck(
      page,
      server,
      outputDir,
      {
        fixtureFile,
        name: 'OAuth browser step',
        screenshot: 'ui-oauth.png',
        prepare: (folder, api) => writeEnvironment(folder, api.origin, identityProvider.url),
      },
      async ({ checks }) => {
        await openWithQuickOpen(page, fixtureFile);
        // code-server opens localhost URLs through its port proxy (/proxy/PORT/...), for a browser on
        // another machine; its path-stripping proxy breaks the provider's absolute paths. The
        // browser here is on the same machine, as on a desktop, where the URL opens as it is.
        const proxyPath = `/proxy/${identityProvider.port}/`;
        await page.context().route(`**${proxyPath}**`, (route) => {
          const proxied = new URL(route.request().url());
          return route.fulfill({ status: 302, headers: { Location: `${identityProvider.url}/${proxied.pathname.slice(proxied.pathname.indexOf(proxyPath) + proxyPath.length)}${proxied.search}` } });
        });
        const loginPage = page.context().waitForEvent('page', { timeout: timeoutMs });
        const clickedAt = await checks.run('the "Send Request" CodeLens is clicked above a request reading $auth.token', () => clickSendRequestLens(page));
        if (clickedAt === undefined) return false;
        const login = await checks.run("the identity provider's login page opens in a new browser tab", async () => {
          const opened = await loginPage;
          await opened.waitForLoadState('domcontentloaded');
          await opened.locator('input[name="username"]').waitFor({ timeout: timeoutMs });
          if (!opened.url().startsWith(`${identityProvider.url}/oidc/`)) throw new Error(`the new tab shows ${opened.url()}`);
          return opened;
        });
        if (login === undefined) return false;
        await keepScreenshot(login, outputDir, 'ui-oauth-login.png');
        await checks.run('signing in as demo sends the browser back to Courier, whose page says the tab can be closed', async () => {
          await login.locator('input[name="username"]').fill('demo');
          await login.locator('input[name="password"]').fill('secret');
          await Promise.all([login.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback/, { timeout: timeoutMs }), login.locator('button[type="submit"], input[type="submit"]').first().click()]);
          await login.getByText('You can close this tab').waitFor({ timeout: timeoutMs });
        });
        await login.close().catch(() => undefined);
        const panel = await checks.run('the request is sent with the token and the panel shows its answer', async () => {
          const found = await waitForPanel(page, timeoutMs, (record) => record.statuses.find((status) => status.at >= clickedAt));
          return found.frame;
        });
        if (panel === undefined) return false;
        await checks.run('the panel shows 200 and the profile of the demo user', async () => {
          await expectText(panel, 'main#app .status', /^200\b/, timeoutMs);
          await expectText(panel, '.rows', /"sub": "demo"/);
        });
        return true;
      },
    );
  } finally {
    await page.context().unrouteAll({ behavior: 'ignoreErrors' });
    await identityProvider.close();
  }
}

/** The env file of the scratch workspace: the UI server's origin and the provider's, with the configuration in `$shared`. */
function writeEnvironment(folder: string, uiOrigin: string, providerOrigin: string): void {
  const configuration = {
    Type: 'OAuth2',
    'Grant Type': 'Authorization Code',
    'Auth URL': '{{idpOrigin}}/oidc/auth',
    'Token URL': '{{idpOrigin}}/oidc/token',
    'Redirect URL': 'http://127.0.0.1/callback',
    'Client ID': demoOAuthClients.code.clientId,
    'Client Credentials': 'none',
    PKCE: true,
    Scope: 'openid profile',
  };
  const environment = { $shared: { uiCheckOrigin: uiOrigin, idpOrigin: providerOrigin, Security: { Auth: { 'ui-browser': configuration } } } };
  fs.writeFileSync(path.join(folder, 'http-client.env.json'), JSON.stringify(environment, null, 2));
}
