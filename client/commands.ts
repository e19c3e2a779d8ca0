// Every Courier command, registered from one table (rust-analyzer's ctx.ts habit). Each entry
// has the form used while the language server runs and, where the server matters, a form that
// says plainly why nothing happens. Every command also answers sensibly when there is nothing
// to act on (no `.http` editor, no request at the cursor, nothing sent yet).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { RunningRequests } from './codeLensState';
import { EnvironmentPicker } from './environmentPicker';
import { ResponsePanels } from './panel/responsePanel';
import { Sender, type ExchangeRecorder } from './sending';
import { environmentLabel, Sessions, SessionsTree, type SessionNode } from './sessions';
import { Settings } from './settings';
import { TrustGate } from './trust';

/** Everything commands act on, built once per activation. */
export interface CommandContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly settings: Settings;
  readonly sessions: Sessions;
  readonly environments: EnvironmentPicker;
  readonly running: RunningRequests;
  readonly panels: ResponsePanels;
  readonly sender: Sender;
}

type Handler = (...args: unknown[]) => unknown;

interface CommandEntry {
  /** The command while the language server runs. */
  readonly enabled: (context: CommandContext) => Handler;
  /** The command while it does not; by default the enabled form (the command does not need the server). */
  readonly disabled?: (context: CommandContext) => Handler;
}

/** A position as the CodeLens passes it: `{ line, character }`. */
function isLinePosition(value: unknown): value is { readonly line: number; readonly character?: number } {
  return typeof value === 'object' && value !== null && typeof (value as { line?: unknown }).line === 'number';
}

function toUri(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  if (typeof value === 'string' && value !== '') return vscode.Uri.parse(value);
  return undefined;
}

/** The document and line a command acts on: its `[uri, position]` arguments, else the active `.http` editor's cursor; undefined (after saying why) when there is none. */
async function targetOf(args: readonly unknown[], action: string): Promise<{ readonly document: vscode.TextDocument; readonly line: number } | undefined> {
  const [first, second] = args;
  const uri = toUri(first);
  if (uri !== undefined) {
    const document = await vscode.workspace.openTextDocument(uri);
    const line = isLinePosition(second) ? second.line : vscode.window.activeTextEditor?.document === document ? vscode.window.activeTextEditor.selection.active.line : 0;
    return { document, line };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined || editor.document.languageId !== 'http') {
    void vscode.window.showInformationMessage(`Courier: open a .http file and put the cursor in a request to ${action}.`);
    return undefined;
  }
  return { document: editor.document, line: editor.selection.active.line };
}

async function activeHttpDocument(args: readonly unknown[], action: string): Promise<vscode.TextDocument | undefined> {
  const uri = toUri(args[0]);
  if (uri !== undefined) return vscode.workspace.openTextDocument(uri);
  const document = vscode.window.activeTextEditor?.document;
  if (document === undefined || document.languageId !== 'http') {
    void vscode.window.showInformationMessage(`Courier: open a .http file to ${action}.`);
    return undefined;
  }
  return document;
}

/** An environment argument: a name, `null` or `''` for none; undefined when absent. */
function environmentArgument(value: unknown): { readonly name: string | undefined } | undefined {
  if (typeof value === 'string') return { name: value === '' ? undefined : value };
  if (value === null) return { name: undefined };
  if (typeof value === 'object' && value !== null && (value as SessionNode).kind === 'environment') return { name: (value as SessionNode).environment };
  return undefined;
}

const commands: Readonly<Record<string, CommandEntry>> = {
  'courier.sendRequest': {
    enabled:
      ({ sender }) =>
      async (...args) => {
        const target = await targetOf(args, 'send it');
        return target === undefined ? [] : sender.send(target.document, { kind: 'line', line: target.line });
      },
  },
  'courier.sendAllRequests': {
    enabled:
      ({ sender }) =>
      async (...args) => {
        const document = await activeHttpDocument(args, 'send its requests');
        return document === undefined ? [] : sender.send(document, { kind: 'all' });
      },
  },
  'courier.rerunLastRequest': {
    enabled:
      ({ sender }) =>
      () =>
        sender.rerun(),
  },
  'courier.cancelRequest': {
    enabled:
      ({ sender }) =>
      (...args) => {
        const uri = toUri(args[0]);
        const position = args[1];
        const cancelled = sender.cancel(uri?.toString(), isLinePosition(position) ? position.line : undefined);
        if (cancelled === 0) void vscode.window.showInformationMessage('Courier: no request is being sent.');
        return cancelled;
      },
  },
  'courier.switchEnvironment': {
    enabled:
      ({ environments }) =>
      async (...args) => {
        const chosen = environmentArgument(args[0]);
        if (chosen !== undefined) {
          await environments.choose(chosen.name);
          return chosen.name;
        }
        await environments.pick(vscode.window.activeTextEditor?.document);
        return environments.active;
      },
    disabled:
      ({ environments }) =>
      async (...args) => {
        // Sending does not need the server, so the choice still counts; the server learns it when it restarts.
        const chosen = environmentArgument(args[0]);
        if (chosen !== undefined) await environments.choose(chosen.name);
        else await environments.pick(undefined);
        return environments.active;
      },
  },
  'courier.showCookies': {
    enabled:
      ({ sessions, environments }) =>
      async (...args) => {
        const environment = environmentArgument(args[0])?.name ?? environments.active;
        await vscode.commands.executeCommand('courier.sessions.focus');
        try {
          const cookies = await sessions.cookies(environment);
          if (cookies.length === 0) void vscode.window.showInformationMessage(`Courier: no cookies are stored for ${environmentLabel(environment)}.`);
          return cookies;
        } catch (error) {
          void vscode.window.showErrorMessage(`Courier: ${describe(error)}`);
          return [];
        }
      },
  },
  'courier.clearCookies': {
    enabled:
      ({ sessions, environments }) =>
      async (...args) => {
        const environment = environmentArgument(args[0])?.name ?? environments.active;
        try {
          await sessions.clear(environment);
          vscode.window.setStatusBarMessage(`Courier: cookies of ${environmentLabel(environment)} cleared`, 4000);
        } catch (error) {
          void vscode.window.showErrorMessage(`Courier: ${describe(error)}`);
        }
      },
  },
  'courier.clearAllCookies': {
    enabled:
      ({ sessions }) =>
      async () => {
        const all = await sessions.environments();
        if (all.length === 0) {
          void vscode.window.showInformationMessage('Courier: no cookies are stored.');
          return;
        }
        const failures: string[] = [];
        for (const environment of all) await sessions.clear(environment).catch((error: unknown) => failures.push(describe(error)));
        if (failures.length > 0) void vscode.window.showErrorMessage(`Courier: ${failures.join('; ')}`);
        else vscode.window.setStatusBarMessage('Courier: all cookies cleared', 4000);
      },
  },
  'courier.clearCookiesOfDomain': {
    enabled:
      ({ sessions }) =>
      async (...args) => {
        const node = args[0] as SessionNode | undefined;
        if (node?.kind !== 'cookie') {
          void vscode.window.showInformationMessage('Courier: pick a cookie in the Sessions view to clear its domain.');
          return 0;
        }
        return sessions.clearDomain(node.environment, node.cookie.domain);
      },
  },
};

/** Builds everything the commands need and registers them; returns what to dispose on deactivation. */
export function registerCommands(extension: vscode.ExtensionContext, client: LanguageClient, running: RunningRequests): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const settings = new Settings();
  const sessions = new Sessions(path.join(extension.globalStorageUri.fsPath, 'sessions'), settings);
  const environments = new EnvironmentPicker(extension.workspaceState, settings, client);
  const panels = new ResponsePanels(extension.extensionUri);
  const recorder: ExchangeRecorder = { record: () => undefined };
  const sender = new Sender(client, settings, sessions, environments, running, panels, new TrustGate(), recorder);
  const context: CommandContext = { extension, client, settings, sessions, environments, running, panels, sender };
  const sessionsTree = new SessionsTree(sessions);
  disposables.push(settings, sessions, environments, panels, sender, running, sessionsTree, running.registerRefresh());
  disposables.push(vscode.window.registerTreeDataProvider('courier.sessions', sessionsTree));

  for (const [id, entry] of Object.entries(commands)) {
    const enabled = entry.enabled(context);
    const disabled = entry.disabled?.(context) ?? enabled;
    disposables.push(vscode.commands.registerCommand(id, (...args: unknown[]) => (client.state === State.Running ? enabled(...args) : disabled(...args))));
  }
  return vscode.Disposable.from(...disposables);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
