// Documents the integration tests work on: files of the fixture workspace, or
// untitled `http` documents built from text, shown in an editor so pull
// diagnostics (which VS Code asks for only for visible documents) are requested.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CourierApi } from '../../client/extension';
import { waitFor } from './poll';

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

/** Opens and shows an untitled `http` document holding `content`. */
export async function openHttp(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'http', content });
  return vscode.window.showTextDocument(document);
}

/** Waits for Courier to activate and returns what its `activate` returned. */
export async function courierApi(): Promise<CourierApi> {
  const extension = vscode.extensions.getExtension<CourierApi>(extensionId);
  assert.ok(extension, `Extension ${extensionId} is not loaded: check --extensionDevelopmentPath.`);
  return waitFor('Courier to activate', () => (extension.isActive ? extension.exports : undefined));
}

/**
 * Reverts and closes every editor so one case's documents do not leak into the next.
 * Reverting first matters: closing a dirty untitled editor would wait on a "Save?" dialog.
 */
export async function closeAllEditors(): Promise<void> {
  for (let closed = 0; vscode.window.activeTextEditor !== undefined && closed < 50; closed++) {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}
