// Every Courier command, registered from one table (rust-analyzer's ctx.ts habit). Each entry
// has the form used while the language server runs and, where the server matters, a form that
// says plainly why nothing happens. Every command also answers sensibly when there is nothing
// to act on (no `.http` editor, no request at the cursor, nothing sent yet).
import { copyFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toCurl } from '../engine/curl';
import { importCurl } from '../engine/curlImport';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import type { RunningRequests } from './codeLensState';
import { EnvironmentPicker } from './environmentPicker';
import { History } from './history';
import { ResponsePanels } from './panel/responsePanel';
import type { StoredCookie } from '../engine/cookieJar';
import { summarizeExchanges, summarizeHistoryEntry, type ExchangeSummary, type HistoryEntrySummary } from './sentExchanges';
import { Sender } from './sending';
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
  readonly history: History;
}

/**
 * What a command may give back: small plain values only, since a caller in another process (the
 * workbench after a CodeLens click, another extension) receives it as JSON. Never an engine exchange.
 */
type CommandResult = string | number | undefined | void | vscode.Uri | readonly ExchangeSummary[] | HistoryEntrySummary | readonly StoredCookie[];

type Handler = (...args: unknown[]) => CommandResult | Thenable<CommandResult>;

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

/** The open document at `uri`: the active editor's when it shows it (an untitled name can be reused by a newer document), else the one VS Code opens. */
async function documentAt(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const active = vscode.window.activeTextEditor?.document;
  if (active !== undefined && !active.isClosed && active.uri.toString() === uri.toString()) return active;
  return vscode.workspace.openTextDocument(uri);
}

/** The document and line a command acts on: its `[uri, position]` arguments, else the active `.http` editor's cursor; undefined (after saying why) when there is none. */
async function targetOf(args: readonly unknown[], action: string): Promise<{ readonly document: vscode.TextDocument; readonly line: number } | undefined> {
  const [first, second] = args;
  const uri = toUri(first);
  if (uri !== undefined) {
    const document = await documentAt(uri);
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
  if (uri !== undefined) return documentAt(uri);
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
        return summarizeExchanges(target === undefined ? [] : await sender.send(target.document, { kind: 'line', line: target.line }));
      },
  },
  'courier.sendAllRequests': {
    enabled:
      ({ sender }) =>
      async (...args) => {
        const document = await activeHttpDocument(args, 'send its requests');
        return summarizeExchanges(document === undefined ? [] : await sender.send(document, { kind: 'all' }));
      },
  },
  'courier.rerunLastRequest': {
    enabled:
      ({ sender }) =>
      async () =>
        summarizeExchanges(await sender.rerun()),
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
  'courier.copyAsCurl': {
    enabled:
      ({ sender }) =>
      async (...args) => {
        const target = await targetOf(args, 'copy it as cURL');
        if (target === undefined) return undefined;
        const prepared = await sender.prepareAt(target.document, target.line);
        if ('problem' in prepared) {
          void vscode.window.showWarningMessage(`Courier: cannot copy as cURL: ${prepared.problem}`);
          return undefined;
        }
        const command = toCurl(prepared.prepared);
        await vscode.env.clipboard.writeText(command);
        vscode.window.setStatusBarMessage('Courier: cURL command copied', 4000);
        return command;
      },
  },
  'courier.importCurl': {
    enabled: () => async (...args) => importCurlCommand(typeof args[0] === 'string' ? args[0] : undefined),
  },
  'courier.showHistory': {
    enabled:
      ({ history }) =>
      async (...args) => {
        // Tests and other extensions pass an entry id or an index (0 is the newest).
        const chosen = args[0];
        const entries = await history.entries();
        const entry = typeof chosen === 'string' ? entries.find((candidate) => candidate.id === chosen) : typeof chosen === 'number' ? entries[chosen] : await history.pick();
        if (entry === undefined) {
          if (chosen !== undefined) void vscode.window.showInformationMessage(`Courier: history entry ${JSON.stringify(chosen)} does not exist (the history holds ${entries.length}).`);
          return undefined;
        }
        return summarizeHistoryEntry(entry, await history.open(entry));
      },
  },
  'courier.openHistoryEntry': {
    enabled:
      () =>
      (...args) =>
        vscode.commands.executeCommand<HistoryEntrySummary | undefined>('courier.showHistory', args[0]),
  },
  'courier.clearHistory': {
    enabled:
      ({ history }) =>
      async () => {
        await history.clear();
        vscode.window.setStatusBarMessage('Courier: history cleared', 4000);
      },
  },
  'courier.saveResponseBody': {
    enabled:
      ({ history }) =>
      async (...args) => {
        const exchange = history.lastExchange;
        const body = exchange?.response?.body;
        if (exchange === undefined || body === undefined) {
          void vscode.window.showInformationMessage('Courier: no response to save yet. Send a request first.');
          return undefined;
        }
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const suggested = path.basename(new URL(exchange.request.url).pathname) || 'response';
        const target = toUri(args[0]) ?? (await vscode.window.showSaveDialog({ title: 'Save response body', ...(folder === undefined ? {} : { defaultUri: vscode.Uri.joinPath(folder, suggested) }) }));
        if (target === undefined) return undefined;
        // A large body is already in a temp file: copy it rather than read it into memory.
        if (target.scheme === 'file' && body.file !== undefined) await copyFile(body.file, target.fsPath);
        else if (target.scheme === 'file') await writeFile(target.fsPath, body.prefix);
        else await vscode.workspace.fs.writeFile(target, body.file !== undefined ? await vscode.workspace.fs.readFile(vscode.Uri.file(body.file)) : body.prefix);
        vscode.window.setStatusBarMessage(`Courier: response body saved to ${target.fsPath}`, 5000);
        return target;
      },
  },
};

/** Turns a cURL command (the argument, else the selection, else the clipboard) into a request at the cursor; resolves to the inserted text. */
async function importCurlCommand(given: string | undefined): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const command = given ?? selection ?? (await vscode.env.clipboard.readText());
  if (command.trim() === '') {
    void vscode.window.showInformationMessage('Courier: select a cURL command or copy one to the clipboard, then run Import cURL Command.');
    return undefined;
  }
  const result = importCurl(command);
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Courier: ${result.error}`);
    return undefined;
  }
  if (result.warnings.length > 0) void vscode.window.showWarningMessage(`Courier: imported with changes: ${result.warnings.join('; ')}`);
  if (editor === undefined || editor.document.languageId !== 'http') {
    const document = await vscode.workspace.openTextDocument({ language: 'http', content: result.text });
    await vscode.window.showTextDocument(document);
    return result.text;
  }
  // The selected command is replaced; otherwise the request goes at the cursor, after a separator when text precedes it.
  const replacing = given === undefined && selection !== undefined;
  const range = replacing ? editor.selection : new vscode.Range(editor.selection.active, editor.selection.active);
  const before = editor.document.getText(new vscode.Range(new vscode.Position(0, 0), range.start));
  const separator = before.trim() === '' ? '' : `${before.endsWith('\n') ? '' : '\n'}###\n`;
  const inserted = separator + result.text;
  await editor.edit((edit) => edit.replace(range, inserted));
  return inserted;
}

/** Builds everything the commands need and registers them; returns what to dispose on deactivation. */
export function registerCommands(extension: vscode.ExtensionContext, client: LanguageClient, running: RunningRequests): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const settings = new Settings();
  const sessions = new Sessions(path.join(extension.globalStorageUri.fsPath, 'sessions'), settings);
  const environments = new EnvironmentPicker(extension.workspaceState, settings, client);
  const panels = new ResponsePanels(extension.extensionUri);
  const history = new History(path.join(extension.globalStorageUri.fsPath, 'history.json'), settings, panels);
  const sender = new Sender(client, settings, sessions, environments, running, panels, new TrustGate(), history);
  const context: CommandContext = { extension, client, settings, sessions, environments, running, panels, sender, history };
  const sessionsTree = new SessionsTree(sessions);
  disposables.push(settings, sessions, environments, panels, sender, running, sessionsTree, history, running.registerRefresh());
  disposables.push(vscode.window.registerTreeDataProvider('courier.sessions', sessionsTree), vscode.window.registerTreeDataProvider('courier.history', history));

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
