// Every Courier command, as one table (rust-analyzer's ctx.ts habit): id → handler over the
// context activation built (`context.ts`). Each entry has the form used while the language server
// runs and, where the server matters, a form that says plainly why nothing happens. Every command
// also answers sensibly when there is nothing to act on (no `.http` editor, no request at the
// cursor, nothing sent yet).
import * as vscode from 'vscode';
import { State } from 'vscode-languageclient/node';
import type { StoredCookie } from '../engine/cookieJar';
import { toCurl } from '../engine/curl';
import { askWhereToSaveBody, saveBodyTo } from './bodySaving';
import { activeHttpDocument, environmentArgument, isLinePosition, targetOf, toUri } from './commandArguments';
import type { CourierContext } from './context';
import { importCurlCommand } from './curlImporting';
import { acquireOAuthToken, clearAllOAuthTokens, clearOAuthToken, showOAuthTokens } from './oauth/oauthCommands';
import type { TokenSummaryView } from './oauth/tokenDescriptions';
import { importOpenApiCommand } from './openApiImporting';
import { importPostmanCommand } from './postmanImporting';
import { summarizeExchanges, summarizeHistoryEntry, type ExchangeSummary, type HistoryEntrySummary } from './sentExchanges';
import { environmentLabel, type SessionNode } from './sessions';
import type { TestRunSummary } from './testing/testExplorer';

/**
 * What a command may give back: small plain values only, since a caller in another process (the
 * workbench after a CodeLens click, another extension) receives it as JSON. Never an engine exchange.
 */
type CommandResult = string | number | undefined | void | vscode.Uri | readonly string[] | readonly ExchangeSummary[] | HistoryEntrySummary | readonly StoredCookie[] | TestRunSummary | TokenSummaryView | readonly TokenSummaryView[];

type Handler = (...args: unknown[]) => CommandResult | Thenable<CommandResult>;

interface CommandEntry {
  /** The command while the language server runs. */
  readonly enabled: (context: CourierContext) => Handler;
  /** The command while it does not; by default the enabled form (the command does not need the server). */
  readonly disabled?: (context: CourierContext) => Handler;
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
  'courier.clearScriptGlobals': {
    enabled:
      ({ sessions, environments }) =>
      async (...args) => {
        const node = args[0] as SessionNode | undefined;
        const environment = node?.kind === 'environment' || node?.kind === 'global' ? node.environment : (environmentArgument(args[0])?.name ?? environments.active);
        try {
          const count = await sessions.clearGlobals(environment);
          vscode.window.setStatusBarMessage(`Courier: ${count} script ${count === 1 ? 'global' : 'globals'} of ${environmentLabel(environment)} cleared`, 4000);
          return count;
        } catch (error) {
          void vscode.window.showErrorMessage(`Courier: ${describe(error)}`);
          return 0;
        }
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
  'courier.importPostman': {
    enabled: () => async (...args) => importPostmanCommand(args[0]),
  },
  'courier.importOpenApi': {
    enabled: () => async (...args) => importOpenApiCommand(args[0]),
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
  'courier.runTests': {
    enabled:
      ({ tests }) =>
      async (...args) => {
        // From the Explorer's context menu: `(uri, selected uris)`; from the lens: `(uri, { line })`; else the active file.
        const selected = Array.isArray(args[1]) ? args[1].map(toUri).filter((uri) => uri !== undefined) : [];
        if (selected.length > 1) return tests.runTestsOfAll(selected);
        const uri = toUri(args[0]) ?? (await activeHttpDocument([], 'run its tests'))?.uri;
        if (uri === undefined) return undefined;
        const position = args[1];
        return tests.runTests(uri, isLinePosition(position) ? position.line : undefined);
      },
  },
  'courier.acquireOAuthToken': {
    enabled: (context) => async (...args) => acquireOAuthToken(context, args),
  },
  'courier.showOAuthTokens': {
    enabled: (context) => async () => showOAuthTokens(context),
  },
  'courier.clearOAuthToken': {
    enabled: (context) => async (...args) => clearOAuthToken(context, args),
  },
  'courier.clearAllOAuthTokens': {
    enabled: (context) => async () => clearAllOAuthTokens(context),
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
        // A file argument is written as is; a folder argument gets the name the save dialog would offer.
        const target = toUri(args[0]) ?? (await askWhereToSaveBody(exchange));
        if (target === undefined) return undefined;
        const saved = await saveBodyTo(exchange, body, target);
        vscode.window.setStatusBarMessage(`Courier: response body saved to ${saved.fsPath}`, 5000);
        return saved;
      },
  },
};

/** Registers every command of the table over `context`; returns what to dispose on deactivation. */
export function registerCommands(context: CourierContext): vscode.Disposable {
  const { client } = context;
  return vscode.Disposable.from(
    ...Object.entries(commands).map(([id, entry]) => {
      const enabled = entry.enabled(context);
      const disabled = entry.disabled?.(context) ?? enabled;
      return vscode.commands.registerCommand(id, (...args: unknown[]) => (client.state === State.Running ? enabled(...args) : disabled(...args)));
    }),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
