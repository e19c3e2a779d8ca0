// What the untrusted-workspace gate decides, free of VS Code so it is unit-tested in plain Node:
// when to ask before a send, what to ask, and what each answer means, and whether the workspace's
// scripts may run. client/trust.ts shows the question in a modal dialog.

/** Sends this one request. */
export const sendChoice = 'Send';
/** Sends, and stops asking until the window closes. */
export const sendAlwaysChoice = 'Send and Do Not Ask Again';

/** A modal question: the message, the smaller text under it, and the buttons (Cancel is added by the editor). */
export interface ConsentQuestion {
  readonly message: string;
  readonly detail: string;
  readonly choices: readonly string[];
}

/** Remembers "do not ask again" for one window and turns answers into yes or no. */
export class SendConsent {
  private allowedThisWindow = false;

  /** The question to ask before sending `what`; undefined when sending may go ahead unasked. */
  questionFor(what: string, workspaceTrusted: boolean): ConsentQuestion | undefined {
    if (workspaceTrusted || this.allowedThisWindow) return undefined;
    return {
      message: `Courier: this workspace is not trusted. Send ${what}?`,
      detail: 'Requests from an untrusted folder may send its files, environment values or cookies to any host. Its scripts do not run: their tests are reported as skipped.',
      choices: [sendChoice, sendAlwaysChoice],
    };
  }

  /** Records the user's `choice` (undefined: dismissed); true when the send may go ahead. */
  answer(choice: string | undefined): boolean {
    if (choice === sendAlwaysChoice) this.allowedThisWindow = true;
    return choice === sendChoice || choice === sendAlwaysChoice;
  }
}

/** Why a request's scripts did not run, as its skipped tests say. */
export const untrustedScriptsReason = 'scripts run only in a trusted workspace';

/** Whether the workspace's scripts may run, and if not, why. */
export type ScriptPermission = { readonly run: true } | { readonly run: false; readonly reason: string };

/**
 * Scripts (`< {% %}`, `> {% %}`, `.js` handlers, and `?? js EXPRESSION`, which is JavaScript from the
 * workspace too) run only in a trusted workspace. The other `??` lines compare the response with a
 * value and run code from nowhere, so they run in either.
 */
export function scriptPermission(workspaceTrusted: boolean): ScriptPermission {
  return workspaceTrusted ? { run: true } : { run: false, reason: untrustedScriptsReason };
}
