// CodeLens above each `Security.Auth` entry of `http-client.env.json` and
// `http-client.private.env.json`: "Acquire token", and once one is stored, when it expires and
// "Clear". Provided by the extension (the env files are JSON, not the language server's `.http`).
import * as vscode from 'vscode';
import type { EnvironmentPicker } from '../environmentPicker';
import type { EditorOAuth } from './editorOAuth';
import { authEnvFileNames, envFileAuthEntries } from './envFileAuthEntries';
import { validityText } from './tokenDescriptions';

class AuthCodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(
    private readonly oauth: EditorOAuth,
    private readonly environments: EnvironmentPicker,
  ) {}

  /** Lenses read again: a token was acquired or cleared, or the active environment changed. */
  refresh(): void {
    this.changed.fire();
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const entries = envFileAuthEntries(document.getText());
    if (entries.length === 0) return [];
    const summaries = await this.oauth.tokens.summaries();
    const now = Date.now();
    const lenses: vscode.CodeLens[] = [];
    for (const entry of entries) {
      const range = new vscode.Range(document.positionAt(entry.start), document.positionAt(entry.end));
      // `$shared` configurations serve whichever environment is active: their tokens are kept under it.
      const environment = entry.environment === '$shared' ? (this.environments.active ?? '') : entry.environment;
      lenses.push(new vscode.CodeLens(range, { title: 'Acquire token', command: 'courier.acquireOAuthToken', arguments: [document.uri, { environment: entry.environment, id: entry.id }] }));
      const stored = summaries.find((summary) => summary.key.environment === environment && summary.key.id === entry.id);
      if (stored === undefined) continue;
      lenses.push(new vscode.CodeLens(range, { title: validityText(stored, now), command: 'courier.showOAuthTokens' }));
      lenses.push(new vscode.CodeLens(range, { title: 'Clear', command: 'courier.clearOAuthToken', arguments: [{ environment, id: entry.id }] }));
    }
    return lenses;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the env files' auth CodeLens; refreshed as tokens and the active environment change. */
export function registerAuthCodeLens(oauth: EditorOAuth, environments: EnvironmentPicker): vscode.Disposable {
  const provider = new AuthCodeLensProvider(oauth, environments);
  const selector = authEnvFileNames.flatMap((name) => ['json', 'jsonc'].map((language) => ({ language, pattern: `**/${name}` })));
  const storeChanges = oauth.store.onDidChange(() => provider.refresh());
  return vscode.Disposable.from(
    provider,
    vscode.languages.registerCodeLensProvider(selector, provider),
    environments.onDidChange(() => provider.refresh()),
    { dispose: () => storeChanges.dispose() },
  );
}
