// Courier's settings on the extension host: reads `courier.*` (and REST Client's where Courier's
// are not set), normalises every value (client/settingsSchema.ts) and warns once per bad value, so
// a hand-edited settings.json never breaks a command; re-reads on change and tells subscribers.
import * as vscode from 'vscode';
import { applyRestClientFallbacks } from './restClientSettings';
import { normalizeCourierSettings, type CourierSettings } from './settingsSchema';

export type { CourierSettings } from './settingsSchema';

/** The current settings, re-read when `courier.*` changes. */
export class Settings implements vscode.Disposable {
  private current: CourierSettings;
  private readonly warned = new Set<string>();
  private readonly changed = new vscode.EventEmitter<CourierSettings>();
  private readonly subscription: vscode.Disposable;
  /** Fires with the new settings after `courier.*` changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    this.current = this.read();
    this.subscription = vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration('courier') && !event.affectsConfiguration('rest-client')) return;
      this.current = this.read();
      this.changed.fire(this.current);
    });
  }

  get value(): CourierSettings {
    return this.current;
  }

  private read(): CourierSettings {
    const configuration = vscode.workspace.getConfiguration('courier');
    const restClient = vscode.workspace.getConfiguration('rest-client');
    const { settings, problems } = applyRestClientFallbacks(
      normalizeCourierSettings((key) => configuration.get<unknown>(key)),
      (key) => userValue(restClient.inspect<unknown>(key)),
      vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    );
    for (const problem of problems) {
      if (this.warned.has(problem)) continue;
      this.warned.add(problem);
      void vscode.window.showWarningMessage(`Courier: setting ${problem}.`);
    }
    return settings;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** What the user set, most specific scope first; never the default REST Client declares (its User-Agent). */
function userValue(inspected: { readonly globalValue?: unknown; readonly workspaceValue?: unknown; readonly workspaceFolderValue?: unknown } | undefined): unknown {
  return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
}
