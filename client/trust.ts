// Workspace trust: an untrusted folder's `.http` files could send its secrets anywhere, so each
// send asks first (modal) until the user allows it for this window. Courier never executes code
// from a workspace: it has no response-handler scripts, so there is nothing else to restrict.
import * as vscode from 'vscode';

const send = 'Send';
const sendAlways = 'Send and Do Not Ask Again';

/** Asks before sending from an untrusted workspace; remembers "do not ask again" until the window closes. */
export class TrustGate {
  private allowedThisWindow = false;

  /** True when sending may go ahead. */
  async allowSend(what: string): Promise<boolean> {
    if (vscode.workspace.isTrusted || this.allowedThisWindow) return true;
    const answer = await vscode.window.showWarningMessage(
      `Courier: this workspace is not trusted. Send ${what}?`,
      { modal: true, detail: 'Requests from an untrusted folder may send its files, environment values or cookies to any host. Courier runs no scripts from the workspace.' },
      send,
      sendAlways,
    );
    if (answer === sendAlways) this.allowedThisWindow = true;
    return answer === send || answer === sendAlways;
  }
}
