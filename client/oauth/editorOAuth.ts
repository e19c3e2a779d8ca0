// OAuth in the window: one `OAuthTokens` over SecretStorage, the editor's user steps (browser,
// device code, the extension's URI handler) and the "Courier Auth" log, built once by the
// composition root (client/context.ts). Sends read tokens through it (client/sending.ts), the
// commands and the env files' CodeLens act on it.
import * as vscode from 'vscode';
import { OAuthTokens } from '../../engine/oauth/oauthTokens';
import { EditorAuthInteraction } from './editorAuthInteraction';
import { SecretTokenStore } from './secretTokenStore';

export class EditorOAuth implements vscode.Disposable {
  readonly tokens: OAuthTokens;
  readonly store: SecretTokenStore;
  readonly interaction: EditorAuthInteraction;
  /** The engine's Auth log: every request to a provider and its answer, never a secret. */
  readonly log: vscode.LogOutputChannel;
  private readonly disposable: vscode.Disposable;

  constructor(extension: vscode.ExtensionContext) {
    this.store = new SecretTokenStore(extension.secrets);
    this.interaction = new EditorAuthInteraction(extension.extension.id);
    this.log = vscode.window.createOutputChannel('Courier Auth', { log: true });
    this.tokens = new OAuthTokens({ store: this.store, interaction: this.interaction, log: (line) => this.log.info(line) });
    this.disposable = vscode.Disposable.from(
      this.log,
      vscode.window.registerUriHandler(this.interaction),
      extension.secrets.onDidChange((event) => this.store.secretsChanged(event.key)),
    );
  }

  /** Every token and OAuth secret this window has seen: what the history and test results never keep. */
  secrets(): readonly string[] {
    return this.tokens.secrets();
  }

  dispose(): void {
    this.disposable.dispose();
  }
}
