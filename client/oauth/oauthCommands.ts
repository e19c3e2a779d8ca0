// The OAuth commands: acquire a token now (a configuration of the env files near the active
// `.http` file or the env file being edited), show what is stored (never the token, unless the user
// asks to copy it), clear one, clear all. Each answers with plain data and never with a token.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TokenKey } from '../../engine/oauth/tokenStore';
import type { EnvironmentPicker } from '../environmentPicker';
import type { Settings } from '../settings';
import type { TrustGate } from '../trust';
import type { EditorOAuth } from './editorOAuth';
import { nearbyConfigurations } from './nearbyConfigurations';
import { tokenKeyLabel, tokenSummaryDetail, tokenSummaryView, validityText, type TokenSummaryView } from './tokenDescriptions';

/** What the OAuth commands act on. */
export interface OAuthCommandContext {
  readonly oauth: EditorOAuth;
  readonly environments: EnvironmentPicker;
  readonly settings: Settings;
  readonly trust: TrustGate;
}

/** Which configuration to act on, as the env file's CodeLens (or a test) passes it. */
interface ConfigurationArgument {
  /** The environment as the env file names it; `$shared` means the active environment. */
  readonly environment?: string;
  readonly id?: string;
}

function configurationArgument(value: unknown): ConfigurationArgument {
  if (typeof value !== 'object' || value === null) return {};
  const record = value as Record<string, unknown>;
  return {
    ...(typeof record.environment === 'string' ? { environment: record.environment } : {}),
    ...(typeof record.id === 'string' ? { id: record.id } : {}),
  };
}

function tokenKeyArgument(value: unknown): TokenKey | undefined {
  const argument = configurationArgument(value);
  return argument.id === undefined || argument.environment === undefined ? undefined : { environment: argument.environment, id: argument.id };
}

/** `courier.acquireOAuthToken [uri] [{ environment, id }]`: acquires a token now, whatever is stored; resolves to what was stored (without the token). */
export async function acquireOAuthToken(context: OAuthCommandContext, args: readonly unknown[]): Promise<TokenSummaryView | undefined> {
  const uri = args[0] instanceof vscode.Uri ? args[0] : typeof args[0] === 'string' ? vscode.Uri.parse(args[0]) : vscode.window.activeTextEditor?.document.uri;
  if (uri === undefined || uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Courier: open a .http file (or an http-client.env.json file) to acquire a token of the env files beside it.');
    return undefined;
  }
  const argument = configurationArgument(args[1]);
  // `$shared` (a lens in the shared section) means the active environment; `''` means none, as in the token keys.
  const environment = argument.environment === undefined || argument.environment === '$shared' ? context.environments.active : argument.environment === '' ? undefined : argument.environment;
  const searchRoot = (vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
  const nearby = nearbyConfigurations(uri.fsPath, environment, searchRoot, context.settings.value.environments);
  if (nearby.error !== undefined) {
    void vscode.window.showErrorMessage(`Courier: ${nearby.error}`);
    return undefined;
  }
  if (nearby.choices.length === 0) {
    void vscode.window.showInformationMessage(`Courier: the env files near ${path.basename(uri.fsPath)} have no OAuth configuration for ${nearby.environmentLabel}: add one under "Security": { "Auth": { ... } } in http-client.env.json.`);
    return undefined;
  }
  let id = argument.id;
  if (id === undefined) {
    const picked = await vscode.window.showQuickPick(
      nearby.choices.map((choice) => ({ label: choice.id, description: choice.grantType ?? '', detail: choice.problem, id: choice.id })),
      { title: `Courier: Acquire OAuth Token (${nearby.environmentLabel})`, placeHolder: 'Configuration to acquire a token for' },
    );
    if (picked === undefined) return undefined;
    id = picked.id;
  }
  const configuration = nearby.configuration(id);
  if ('problem' in configuration) {
    void vscode.window.showErrorMessage(`Courier: ${configuration.problem}`);
    return undefined;
  }
  const title = `a token for "${id}" (${nearby.environmentLabel})`;
  // Acquiring sends the client's credentials where the workspace's env file says: asked like a send.
  if (!(await context.trust.allowSend(title))) return undefined;
  const controller = new AbortController();
  try {
    const tokens = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Courier: acquiring ${title}…`, cancellable: true }, (_progress, token) => {
      token.onCancellationRequested(() => controller.abort());
      return context.oauth.tokens.acquireNow({ configuration: configuration.value, environment: nearby.environment, signal: controller.signal });
    });
    const summary = (await context.oauth.tokens.summaries()).find((candidate) => candidate.key.environment === nearby.environment && candidate.key.id === id);
    vscode.window.setStatusBarMessage(`Courier: acquired ${title}; ${validityText({ expiresAt: tokens.expiresAt, hasRefreshToken: tokens.refreshToken !== undefined }, Date.now()).toLowerCase()}`, 6000);
    return summary === undefined ? undefined : tokenSummaryView(summary);
  } catch (error) {
    // The engine's messages name the configuration and the provider's answer, never a secret.
    void vscode.window.showErrorMessage(`Courier: ${controller.signal.aborted ? `acquiring ${title} was cancelled` : describe(error)}`);
    return undefined;
  }
}

/** `courier.showOAuthTokens`: lists stored tokens (expiry, scope, grant, refresh token) and offers to copy or clear one; resolves at once to the list. */
export async function showOAuthTokens(context: OAuthCommandContext): Promise<readonly TokenSummaryView[]> {
  const summaries = await context.oauth.tokens.summaries();
  if (summaries.length === 0) {
    void vscode.window.showInformationMessage('Courier: no OAuth tokens are stored. Acquire one with Courier: Acquire OAuth Token, or send a request that reads {{$auth.token("id")}}.');
    return [];
  }
  // The pick runs on its own: whoever ran the command gets the list without waiting for the user.
  void pickTokenAction(context, summaries);
  return summaries.map(tokenSummaryView);
}

async function pickTokenAction(context: OAuthCommandContext, summaries: Awaited<ReturnType<EditorOAuth['tokens']['summaries']>>): Promise<void> {
  const now = Date.now();
  const picked = await vscode.window.showQuickPick(
    summaries.map((summary) => ({ label: tokenKeyLabel(summary.key), detail: tokenSummaryDetail(summary, now), summary })),
    { title: 'Courier: OAuth Tokens', placeHolder: 'A token to copy or clear (tokens are kept in VS Code\'s secret storage)', matchOnDetail: true },
  );
  if (picked === undefined) return;
  const { key, hasIdToken } = picked.summary;
  const actions = ['Copy Access Token', ...(hasIdToken ? ['Copy ID Token'] : []), 'Clear Token'];
  const action = await vscode.window.showQuickPick(actions, { title: `Courier: ${tokenKeyLabel(key)}` });
  if (action === 'Clear Token') {
    await context.oauth.tokens.clear(key);
    vscode.window.setStatusBarMessage(`Courier: token of ${tokenKeyLabel(key)} cleared`, 4000);
    return;
  }
  if (action === undefined) return;
  const stored = await context.oauth.tokens.storedTokens(key);
  const value = action === 'Copy ID Token' ? stored?.idToken : stored?.accessToken;
  if (value === undefined) {
    void vscode.window.showInformationMessage(`Courier: the token of ${tokenKeyLabel(key)} is no longer stored.`);
    return;
  }
  await vscode.env.clipboard.writeText(value);
  vscode.window.setStatusBarMessage(`Courier: ${action === 'Copy ID Token' ? 'ID token' : 'access token'} of ${tokenKeyLabel(key)} copied`, 4000);
}

/** `courier.clearOAuthToken [{ environment, id }]`: forgets one configuration's tokens (picked when not given); resolves to how many were cleared. */
export async function clearOAuthToken(context: OAuthCommandContext, args: readonly unknown[]): Promise<number> {
  let key = tokenKeyArgument(args[0]);
  if (key === undefined) {
    const summaries = await context.oauth.tokens.summaries();
    if (summaries.length === 0) {
      void vscode.window.showInformationMessage('Courier: no OAuth tokens are stored.');
      return 0;
    }
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(
      summaries.map((summary) => ({ label: tokenKeyLabel(summary.key), detail: tokenSummaryDetail(summary, now), key: summary.key })),
      { title: 'Courier: Clear OAuth Token', placeHolder: 'Token to forget' },
    );
    if (picked === undefined) return 0;
    key = picked.key;
  }
  const cleared = await context.oauth.tokens.clear(key);
  vscode.window.setStatusBarMessage(`Courier: token of ${tokenKeyLabel(key)} cleared`, 4000);
  return cleared;
}

/** `courier.clearAllOAuthTokens`: forgets every stored token; resolves to how many configurations had one. */
export async function clearAllOAuthTokens(context: OAuthCommandContext): Promise<number> {
  const cleared = await context.oauth.tokens.clear();
  vscode.window.setStatusBarMessage(cleared === 0 ? 'Courier: no OAuth tokens were stored' : `Courier: ${cleared} OAuth ${cleared === 1 ? 'token' : 'tokens'} cleared`, 4000);
  return cleared;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
