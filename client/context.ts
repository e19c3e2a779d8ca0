// The extension's composition root: activation builds, once, everything the commands and views
// act on (settings, sessions, environments, the response panels, the history, the sender, the
// Test Explorer, OAuth tokens) and registers the views and the env files' auth CodeLens. Commands (`commands.ts`) only read what is built here.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { RunningRequests } from './codeLensState';
import { EnvironmentPicker } from './environmentPicker';
import { History } from './history';
import { registerAuthCodeLens } from './oauth/authCodeLens';
import { EditorOAuth } from './oauth/editorOAuth';
import { ResponsePanels } from './panel/responsePanel';
import { Sender } from './sending';
import { Sessions, SessionsTree } from './sessions';
import { Settings } from './settings';
import { registerRunTestsLens } from './testing/testCodeLens';
import { TestExplorer } from './testing/testExplorer';
import { TrustGate } from './trust';

/** Everything commands act on, built once per activation. */
export interface CourierContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly settings: Settings;
  readonly sessions: Sessions;
  readonly sessionsTree: SessionsTree;
  readonly environments: EnvironmentPicker;
  readonly running: RunningRequests;
  readonly panels: ResponsePanels;
  readonly sender: Sender;
  readonly history: History;
  readonly tests: TestExplorer;
  /** OAuth tokens of the window (SecretStorage), the editor's user steps and the Auth log. */
  readonly oauth: EditorOAuth;
  readonly trust: TrustGate;
}

/** Builds the context over a started language client and registers the Sessions and History views and the Test Explorer; `disposable` undoes them. */
export function createCourierContext(extension: vscode.ExtensionContext, client: LanguageClient, running: RunningRequests): { readonly context: CourierContext; readonly disposable: vscode.Disposable } {
  const storage = extension.globalStorageUri.fsPath;
  const settings = new Settings();
  const sessions = new Sessions(path.join(storage, 'sessions'), settings);
  const environments = new EnvironmentPicker(extension.workspaceState, settings, client);
  const panels = new ResponsePanels(extension.extensionUri);
  const history = new History(path.join(storage, 'history.json'), settings, panels);
  const oauth = new EditorOAuth(extension);
  const trust = new TrustGate();
  const sender = new Sender(settings, sessions, environments, running, panels, trust, history, oauth.tokens);
  const sessionsTree = new SessionsTree(sessions);
  const tests = new TestExplorer(sender, () => oauth.secrets());
  const disposable = vscode.Disposable.from(
    settings,
    sessions,
    environments,
    panels,
    sender,
    running,
    sessionsTree,
    history,
    tests,
    registerRunTestsLens(tests),
    oauth,
    registerAuthCodeLens(oauth, environments),
    running.registerRefresh(),
    vscode.window.registerTreeDataProvider('courier.sessions', sessionsTree),
    vscode.window.registerTreeDataProvider('courier.history', history),
  );
  return { context: { extension, client, settings, sessions, sessionsTree, environments, running, panels, sender, history, tests, oauth, trust }, disposable };
}
