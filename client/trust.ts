// Workspace trust: an untrusted folder's `.http` files could send its secrets anywhere, so each
// send asks first (modal) until the user allows it for this window; and its scripts (handlers,
// pre-request scripts, `?? js`) do not run at all: their tests are reported as skipped.
// The decisions live in client/sendConsent.ts; this file only reads the trust and shows the question.
import * as vscode from 'vscode';
import { scriptPermission, SendConsent, type ScriptPermission } from './sendConsent';

/** Asks before sending from an untrusted workspace; remembers "do not ask again" until the window closes. */
export class TrustGate {
  private readonly consent = new SendConsent();

  /** True when sending may go ahead. */
  async allowSend(what: string): Promise<boolean> {
    const question = this.consent.questionFor(what, vscode.workspace.isTrusted);
    if (question === undefined) return true;
    const choice = await vscode.window.showWarningMessage(question.message, { modal: true, detail: question.detail }, ...question.choices);
    return this.consent.answer(choice);
  }

  /** Whether the workspace's scripts may run now. */
  scripts(): ScriptPermission {
    return scriptPermission(vscode.workspace.isTrusted);
  }

  /** Fires when the user trusts the workspace, so what was set up without scripts is set up again. */
  onDidGrant(listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidGrantWorkspaceTrust(listener);
  }
}
