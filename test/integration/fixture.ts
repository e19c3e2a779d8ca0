// Documents the integration tests work on: files of the fixture workspace, or
// `.http` files written from text, shown in an editor so pull diagnostics (which
// VS Code asks for only for visible documents) are requested.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CourierApi } from '../../client/extension';
import { waitFor } from './poll';
import { startLocalApi, type LocalApi } from './localApi';

export const extensionId = 'courier.courier-http';

/** The fixture workspace folder (`test/fixtures/workspace`) the host opened. */
export function fixtureFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'The integration host must open test/fixtures/workspace as the workspace folder.');
  return folder.uri;
}

/** Opens and shows a file of the fixture workspace. */
export async function openFixture(relativePath: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureFolder(), relativePath));
  return vscode.window.showTextDocument(document);
}

/**
 * The folder `openHttp` writes to: a fresh temp folder outside the workspace, so its files see no
 * env files (only their own folder is searched) and a relative path resolves inside it.
 */
let httpFolder: string | undefined;
let httpFiles = 0;

/**
 * Writes `content` to a new `.http` file and shows it. A real file with a name never used before:
 * a new untitled document may reuse a closed one's name (`Untitled-1`) before every part of
 * VS Code has forgotten its text, so a test could send the previous test's request.
 */
export async function openHttp(content: string): Promise<vscode.TextEditor> {
  httpFolder ??= mkdtempSync(join(tmpdir(), 'courier-requests-'));
  const file = join(httpFolder, `request-${++httpFiles}.http`);
  writeFileSync(file, content);
  return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(file)));
}

/** Deletes the files `openHttp` wrote; for a suite's `suiteTeardown`, after its editors are closed. */
export function removeHttpFiles(): void {
  if (httpFolder === undefined) return;
  rmSync(httpFolder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  httpFolder = undefined;
}

/** Waits for Courier to activate and returns what its `activate` returned. */
export async function courierApi(): Promise<CourierApi> {
  const extension = vscode.extensions.getExtension<CourierApi>(extensionId);
  assert.ok(extension, `Extension ${extensionId} is not loaded: check --extensionDevelopmentPath.`);
  // A suite run alone (COURIER_TEST_GREP) may start before any .http file has activated Courier.
  if (!extension.isActive) await extension.activate();
  return waitFor('Courier to activate', () => (extension.isActive ? extension.exports : undefined));
}

/**
 * Reverts and closes every editor so one case's documents do not leak into the next.
 * Reverting first matters: closing a dirty editor would wait on a "Save?" dialog.
 */
export async function closeAllEditors(): Promise<void> {
  for (let closed = 0; vscode.window.activeTextEditor !== undefined && closed < 50; closed++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/**
 * Registers the hooks every sending suite needs: Courier activated, a local API started for the
 * suite and closed after it, temp .http files removed. Returns a getter for the API.
 */
export function suiteWithLocalApi(): () => LocalApi {
  let api: LocalApi | undefined;
  suiteSetup(async () => {
    // Courier activates on the first http document.
    await openHttp('GET http://127.0.0.1:9/\n');
    await courierApi();
    await closeAllEditors();
    api = await startLocalApi();
  });
  suiteTeardown(async () => {
    await api?.close();
    removeHttpFiles();
  });
  return () => {
    if (api === undefined) throw new Error('the local API starts in suiteSetup: use it inside tests');
    return api;
  };
}

