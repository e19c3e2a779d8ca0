// The extension's entry point: starts the language client, builds the context everything else acts
// on (client/context.ts) and registers the commands over it (client/commands.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type Middleware, type ServerOptions } from 'vscode-languageclient/node';
import { RunningRequests } from './codeLensState';
import { registerCommands } from './commands';
import { createCourierContext } from './context';
import type { EnvironmentQuestion } from './environmentPicker';
import type { ExchangeView, WebviewMessage } from './panel/messages';
import type { LiveStreamState, PageState } from './panel/responsePanel';
import type { TestRunSummary, TestTreeNode } from './testing/testExplorer';

/** What `activate` returns: read by integration tests and by extensions that build on Courier. */
export interface CourierApi {
  /** The server's name and version from its `initialize` answer; undefined until it has answered. */
  languageServer(): { readonly name: string; readonly version?: string } | undefined;
  /** The Test Explorer's tree as plain data, and what its last run reported (undefined before any). */
  tests(): { readonly tree: readonly TestTreeNode[]; readonly lastRun: TestRunSummary | undefined };
  /** What the response panel was last given to show (undefined before any response). */
  responsePanelView(): ExchangeView | undefined;
  /** What the shared response panel's page says it shows: how many pages it loaded, and the title of the exchange it shows whole. */
  responsePanelPage(): PageState | undefined;
  /** The stream the shared response panel shows live (or showed, until the next exchange): its count, and what its page says it shows. */
  responsePanelLive(): LiveStreamState | undefined;
  /** Hands the shared response panel a message as its page posts it (Stop, a typed WebSocket message); false without a panel. */
  responsePanelReceive(message: WebviewMessage): boolean;
  /** The Sessions view as it reads: each environment and its cookies and script globals. */
  sessionsView(): Promise<{ readonly environment: string; readonly items: readonly string[] }[]>;
  /** The last "which environment?" question a send without one asked: what it needed and the environments offered. */
  environmentQuestion(): EnvironmentQuestion | undefined;
}

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<CourierApi> {
  const running = new RunningRequests();
  const started = await startLanguageClient(context, running.middleware);
  client = started;
  const built = createCourierContext(context, started, running);
  // Commands go first on deactivation, before what they act on.
  context.subscriptions.push(registerCommands(built.context), built.disposable);
  const { tests, panels, sessionsTree, environments } = built.context;
  return {
    languageServer: () => started.initializeResult?.serverInfo,
    tests: () => ({ tree: tests.tree(), lastRun: tests.lastRun }),
    responsePanelView: () => panels.lastView,
    responsePanelPage: () => panels.sharedPage,
    responsePanelLive: () => panels.sharedLive,
    responsePanelReceive: (message) => panels.receiveInShared(message),
    sessionsView: () => sessionsTree.labels(),
    environmentQuestion: () => environments.lastQuestion,
  };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}

/** Starts the language server in a child Node process and connects to it over IPC. */
async function startLanguageClient(context: vscode.ExtensionContext, middleware: Middleware): Promise<LanguageClient> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = { documentSelector: [{ language: 'http' }], middleware };
  const languageClient = new LanguageClient('courier', 'Courier', serverOptions, clientOptions);
  try {
    await languageClient.start();
  } catch (error) {
    // Say so once, where the user looks; rethrow so VS Code marks the activation as failed.
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Courier: the language server did not start (${reason}). See Output > Courier.`);
    throw error;
  }
  return languageClient;
}
