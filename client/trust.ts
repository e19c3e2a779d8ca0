// Workspace trust: an untrusted folder's `.http` files could send its secrets anywhere, so each
// send asks first (modal) until the user allows it for this window. Courier never executes code
// from a workspace: it has no response-handler scripts, so there is nothing else to restrict.
// The decisions live in client/sendConsent.ts; this file only shows the question.
import * as vscode from 'vscode';
import { SendConsent } from './sendConsent';

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
}
