// The active environment: chosen with a quick pick (or a command argument), shown in the status
// bar, remembered per workspace, and told to the language server so diagnostics and completion
// use the same variables as sending.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { EnvironmentsRequest, SetEnvironmentNotification } from '../server/protocol';
import type { EnvironmentNeed } from './environmentNeeds';
import type { Settings } from './settings';

const stateKey = 'courier.environment';
/** What workspaceState holds: a name, or null for an explicit "no environment". */
type Chosen = string | null;

/** A question asked before a send without an environment: what it needed and the environments offered, in order. */
export interface EnvironmentQuestion {
  readonly variables: readonly string[];
  readonly offered: readonly string[];
}

/** Holds the active environment and its status bar item. */
export class EnvironmentPicker implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  /** Fires with the new active environment. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private asked: EnvironmentQuestion | undefined;

  constructor(
    private readonly state: vscode.Memento,
    private readonly settings: Settings,
    private readonly client: LanguageClient,
  ) {
    this.item = vscode.window.createStatusBarItem('courier.environment', vscode.StatusBarAlignment.Left, 50);
    this.item.name = 'Courier Environment';
    this.item.command = 'courier.switchEnvironment';
    this.disposables.push(
      this.item,
      this.changed,
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      settings.onDidChange(() => this.render()),
    );
    this.render();
    const chosen = this.chosen();
    if (chosen !== undefined) void this.tellServer(chosen);
  }

  /** The environment requests are sent with: the one picked in this workspace, else `courier.environment`. */
  get active(): string | undefined {
    const chosen = this.chosen();
    if (chosen === undefined) return this.settings.value.environment;
    return chosen ?? undefined;
  }

  private chosen(): Chosen | undefined {
    const value = this.state.get<unknown>(stateKey);
    return typeof value === 'string' || value === null ? value : undefined;
  }

  /** Environment names for `document`: from its env files (via the server) and from `courier.environments`. */
  async names(document: vscode.TextDocument | undefined): Promise<string[]> {
    const names = new Set<string>();
    if (document !== undefined && document.languageId === 'http') {
      try {
        const result = await this.client.sendRequest<EnvironmentsRequest.Result>(EnvironmentsRequest.method, { uri: document.uri.toString() } satisfies EnvironmentsRequest.Params);
        for (const name of result.names) names.add(name);
      } catch {
        // The server is down or busy: the settings' environments are still offered.
      }
    }
    for (const name of this.settings.value.environments.keys()) if (name !== '$shared') names.add(name);
    return [...names];
  }

  /** Makes `name` active (undefined: none), persists it and tells the server. */
  async choose(name: string | undefined): Promise<void> {
    const chosen: Chosen = name ?? null;
    await this.state.update(stateKey, chosen);
    await this.tellServer(chosen);
    this.render();
    this.changed.fire(name);
  }

  /** Asks which environment to use; resolves to false when the user dismissed the pick. */
  async pick(document: vscode.TextDocument | undefined): Promise<boolean> {
    const names = await this.names(document);
    const active = this.active;
    const none = 'No environment';
    const items: vscode.QuickPickItem[] = [
      ...names.map((name) => ({ label: name, description: name === active ? 'active' : undefined })),
      { label: none, description: active === undefined ? 'active' : 'only $shared variables' },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Courier: Switch Environment',
      placeHolder: names.length === 0 ? 'No environments found: add http-client.env.json beside your .http file or courier.environments in settings' : 'Environment to send requests with',
    });
    if (picked === undefined) return false;
    await this.choose(picked.label === none ? undefined : picked.label);
    return true;
  }

  /** The last question `askFor` asked (read by the integration tests through the extension's API). */
  get lastQuestion(): EnvironmentQuestion | undefined {
    return this.asked;
  }

  /**
   * Asks which environment to send `title` with, when no environment is active and its requests
   * read variables only environments define (`need`); the answer becomes the active environment,
   * remembered for the workspace. Resolves to undefined when the user dismissed the question.
   */
  async askFor(need: EnvironmentNeed, title: string): Promise<string | undefined> {
    const items: vscode.QuickPickItem[] = need.candidates.map((candidate) => ({
      label: candidate.name,
      description: candidate.lacks.length === 0 ? `defines ${candidate.defines.join(', ')}` : `defines ${candidate.defines.join(', ')}, not ${candidate.lacks.join(', ')}`,
    }));
    this.asked = { variables: need.variables, offered: need.candidates.map((candidate) => candidate.name) };
    const variables = need.variables.map((name) => `{{${name}}}`).join(', ');
    const picked = await vscode.window.showQuickPick(items, {
      title: `Courier: no environment is selected: which one for ${title}?`,
      placeHolder: `Only environments define ${variables}: your pick is remembered for this workspace`,
      ignoreFocusOut: true,
    });
    if (picked === undefined) return undefined;
    await this.choose(picked.label);
    return picked.label;
  }

  private async tellServer(chosen: Chosen): Promise<void> {
    try {
      await this.client.sendNotification(SetEnvironmentNotification.method, { name: chosen } satisfies SetEnvironmentNotification.Params);
    } catch {
      // The server re-reads courier.environment when it restarts; sending still uses the choice.
    }
  }

  private render(): void {
    const active = this.active;
    this.item.text = `$(globe) ${active ?? 'No Env'}`;
    this.item.tooltip = active === undefined ? 'Courier: no environment (only $shared variables). Click to switch.' : `Courier: requests use environment "${active}". Click to switch.`;
    if (vscode.window.activeTextEditor?.document.languageId === 'http') this.item.show();
    else this.item.hide();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
