// The user's part of an OAuth grant in the editor: the authorization page opens in the user's
// browser (`vscode.env.openExternal`), with a notification "Waiting for the browser" whose Cancel
// stops the grant; a loopback Redirect URL is received by the engine's listener, the extension's
// own `vscode://` URI by the URI handler registered here; a device code shows in a notification
// with "Copy Code" and "Open Page". The wait ends after five minutes.
import * as vscode from 'vscode';
import type { AuthInteraction, BrowserWait, DeviceCodePrompt } from '../../engine/oauth/browserStep';
import { isOwnRedirect, RedirectWaits } from './redirectWaits';

/** How long a grant waits for the user in the browser or on the other device. */
export const authWaitMs = 5 * 60_000;

/** The path of the extension's own Redirect URL: `vscode://courier.courier-http/oauth/callback`. */
export const callbackPath = '/oauth/callback';

export class EditorAuthInteraction implements AuthInteraction, vscode.UriHandler {
  readonly interactive = true;
  private readonly redirects = new RedirectWaits();

  /** `extensionId`: the authority of the extension's URIs (`publisher.name`). */
  constructor(
    private readonly extensionId: string,
    readonly timeoutMs: number = authWaitMs,
  ) {}

  /** The Redirect URL the URI handler receives, in this editor's scheme (`vscode`, `vscode-insiders`, ...). */
  get ownRedirectUrl(): string {
    return `${vscode.env.uriScheme}://${this.extensionId}${callbackPath}`;
  }

  async openBrowser(configuration: string, url: string, wait: BrowserWait): Promise<void> {
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Courier: waiting for the browser to authorize ${configuration}…`, cancellable: true },
      async (_progress, token) => {
        const cancelling = token.onCancellationRequested(() => wait.cancel());
        await wait.ended;
        cancelling.dispose();
      },
    );
    // The URL as a string: a `vscode.Uri` would decode and re-encode its query (redirect_uri, scope)
    // on the way to the browser (microsoft/vscode#83645, #85930); the extension host accepts the string as it is.
    const opened = await vscode.env.openExternal(url as unknown as vscode.Uri);
    if (!opened) throw new Error(`the authorization page of ${new URL(url).origin} was not opened in a browser`);
  }

  showDeviceCode(prompt: DeviceCodePrompt): () => void {
    let hidden = false;
    let ended = (): void => undefined;
    const done = new Promise<void>((resolve) => (ended = resolve));
    const page = prompt.verificationUriComplete ?? prompt.verificationUri;
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Courier: waiting for the code ${prompt.userCode} to be entered at ${prompt.verificationUri}…` }, () => done);
    const offer = async (): Promise<void> => {
      // Offered again after each button, until dismissed or no longer needed: copy, then open.
      while (!hidden) {
        const choice = await vscode.window.showInformationMessage(`Courier: to authorize ${prompt.configuration}, enter the code ${prompt.userCode} at ${prompt.verificationUri}`, 'Copy Code', 'Open Page');
        if (choice === undefined || hidden) return;
        if (choice === 'Copy Code') {
          await vscode.env.clipboard.writeText(prompt.userCode);
          vscode.window.setStatusBarMessage(`Courier: code ${prompt.userCode} copied`, 4000);
        } else {
          await vscode.env.openExternal(page as unknown as vscode.Uri);
        }
      }
    };
    void offer();
    return () => {
      hidden = true;
      ended();
    };
  }

  readonly receiveRedirect = (redirectUrl: string, signal: AbortSignal): Promise<URL> => {
    const expected = new URL(redirectUrl);
    if (!isOwnRedirect(expected, vscode.env.uriScheme, this.extensionId)) {
      return Promise.reject(new Error(`its Redirect URL ${redirectUrl} is not one Courier can receive: set "Redirect URL" to http://127.0.0.1:PORT/callback (any free port and path, registered at the provider), or to ${this.ownRedirectUrl}`));
    }
    return this.redirects.wait(expected.pathname, signal);
  };

  /** The browser came back to the extension's URI: hands the redirect to the grant waiting for its path. */
  handleUri(uri: vscode.Uri): void {
    // VS Code hands the query decoded; `toString(true)` leaves it so, and `URL` reads its parameters
    // (OAuth's code, state and iss are URL-safe; `=` and `&` must stay separators, not escapes).
    this.redirects.arrived(new URL(uri.toString(true)));
  }
}
