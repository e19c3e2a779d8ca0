// Serves the response panel's page exactly as the host builds it (panelHtml, with the real
// CSP and dist/webview.js + dist/webview.css) from a loopback server, and opens it in
// Chromium with a fake `acquireVsCodeApi` that records what the webview posts.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { createNonce, panelHtml } from '../../client/panel/panelHtml';
import { type HostMessage, type WebviewMessage } from '../../client/panel/messages';
import { launchBrowser } from '../harness/browser';
import { ensureChromium } from '../harness/chromiumInstall';

/** VS Code's Dark Modern values for the variables panel.css reads, as VS Code sets them on <html>. */
export const darkTheme: Readonly<Record<string, string>> = {
  '--vscode-font-family': 'system-ui, "Segoe UI", Ubuntu, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': '"DejaVu Sans Mono", "Droid Sans Mono", monospace',
  '--vscode-editor-font-size': '13px',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editorLineNumber-foreground': '#6e7681',
  '--vscode-editor-lineHighlightBackground': '#ffffff0a',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-widget-border': '#313131',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
  '--vscode-button-secondaryHoverBackground': '#3c3c3c',
  '--vscode-button-border': '#ffffff12',
  '--vscode-input-background': '#313131',
  '--vscode-input-foreground': '#cccccc',
  '--vscode-input-border': '#3c3c3c',
  '--vscode-input-placeholderForeground': '#989898',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-textLink-foreground': '#4daafc',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
  '--vscode-inputValidation-warningBackground': '#352a05',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-testing-iconPassed': '#73c991',
  '--vscode-debugTokenExpression-name': '#c586c0',
  '--vscode-debugTokenExpression-string': '#ce9178',
  '--vscode-debugTokenExpression-number': '#b5cea8',
  '--vscode-debugTokenExpression-boolean': '#4e94ce',
  '--vscode-editor-findMatchBackground': '#9e6a03',
  '--vscode-editor-findMatchHighlightBackground': '#ea5c0055',
  '--vscode-editor-foldBackground': '#264f784d',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-progressBar-background': '#0078d4',
};

export interface PanelPage {
  readonly page: Page;
  /** Delivers a message to the webview as VS Code does: a `message` event on its window. */
  post(message: HostMessage): Promise<void>;
  /** Messages the webview posted to the host so far. */
  sent(): Promise<WebviewMessage[]>;
  /** Console errors, CSP violations included. */
  readonly errors: string[];
  close(): Promise<void>;
}

function ensureBundle(): void {
  if (!existsSync('dist/webview.js') || !existsSync('dist/webview.css')) execFileSync(process.execPath, ['esbuild.mjs'], { stdio: 'inherit' });
}

async function servePanel(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (request.url === '/') {
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(panelHtml({ cspSource: origin, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css`, nonce: createNonce() }));
    } else if (request.url === '/dist/webview.js' || request.url === '/dist/webview.css') {
      response.setHeader('Content-Type', request.url.endsWith('.js') ? 'text/javascript' : 'text/css');
      response.end(readFileSync(join('dist', request.url.slice('/dist/'.length))));
    } else if (request.url === '/favicon.ico') {
      // Chromium asks for one; VS Code's webview host answers it, so the page never sees a 404.
      response.statusCode = 204;
      response.end();
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Launches Chromium and opens the panel page, with the dark theme applied and the webview ready. */
export async function openPanelPage(viewport = { width: 900, height: 700 }): Promise<PanelPage> {
  ensureBundle();
  const { server, origin } = await servePanel();
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser(await ensureChromium());
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await page.addInitScript(() => {
      const sent: unknown[] = [];
      (window as unknown as { courierSent: unknown[] }).courierSent = sent;
      // The webview state lives in sessionStorage, so it outlives a reload as VS Code's does.
      (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
        postMessage: (message: unknown) => sent.push(message),
        getState: (): unknown => {
          const saved = sessionStorage.getItem('courierWebviewState');
          return saved === null ? undefined : JSON.parse(saved);
        },
        setState: (state: unknown) => sessionStorage.setItem('courierWebviewState', JSON.stringify(state)),
      });
    });
    await page.goto(`${origin}/`);
    await page.evaluate((theme) => {
      for (const [name, value] of Object.entries(theme)) document.documentElement.style.setProperty(name, value);
      document.body.classList.add('vscode-dark');
    }, darkTheme);
    await page.waitForFunction(() => (window as unknown as { courierSent: { type: string }[] }).courierSent.some((message) => message.type === 'ready'), undefined, { timeout: 10_000 });
    const opened = browser;
    return {
      page,
      errors,
      post: async (message) => {
        await page.evaluate((data) => window.postMessage(data, '*'), message);
      },
      sent: () => page.evaluate(() => (window as unknown as { courierSent: WebviewMessage[] }).courierSent),
      close: async () => {
        await opened.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (error) {
    await browser?.close();
    server.close();
    throw error;
  }
}
