// Saving response bodies from the editor, all through the engine's one saver (`engine/bodySaver.ts`,
// which the CLI uses too): the panel's Save and `Courier: Save Response Body` offer the name
// `engine/bodyFileName.ts` suggests (Content-Disposition, else the URL with the MIME type's
// extension), and a request with `>> file` or `>>! file` has its body saved there after it is sent.
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { suggestedFileNameFor } from '../engine/bodyFileName';
import { saveBody } from '../engine/bodySaver';
import type { Exchange, ResponseBody } from '../engine/model';
import type { SaveTarget } from '../engine/runner';

/** The suggested name in the first workspace folder, else in the home folder. */
function suggestedSaveUri(exchange: Exchange): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  return vscode.Uri.joinPath(folder, suggestedFileNameFor(exchange));
}

/** Asks where to save the body of `exchange`, offering the suggested name; undefined when the user cancels. */
export async function askWhereToSaveBody(exchange: Exchange): Promise<vscode.Uri | undefined> {
  return vscode.window.showSaveDialog({ title: 'Save response body', defaultUri: suggestedSaveUri(exchange) });
}

/**
 * Saves the body of `exchange` to `target`, replacing what is there (a save dialog has asked); a
 * folder gets the suggested name inside it. Resolves to the file written.
 */
export async function saveBodyTo(exchange: Exchange, body: ResponseBody, target: vscode.Uri): Promise<vscode.Uri> {
  const file = (await isFolder(target)) ? vscode.Uri.joinPath(target, suggestedFileNameFor(exchange)) : target;
  if (file.scheme === 'file') {
    await saveBody(body, file.fsPath, 'overwrite');
  } else {
    // A remote workspace's file system: only VS Code can write there.
    await vscode.workspace.fs.writeFile(file, body.file !== undefined ? await vscode.workspace.fs.readFile(vscode.Uri.file(body.file)) : body.prefix);
  }
  return file;
}

async function isFolder(uri: vscode.Uri): Promise<boolean> {
  if (uri.scheme === 'file') return stat(uri.fsPath).then((info) => info.isDirectory(), () => false);
  return vscode.workspace.fs.stat(uri).then(
    (info) => (info.type & vscode.FileType.Directory) !== 0,
    () => false,
  );
}

/**
 * Honours a request's `>> path` (a new name when the file exists) or `>>! path` (replace) after it
 * was sent, and says where the body went. Never rejects: a failure is shown, naming the request's line.
 */
export async function saveRedirectedBody(exchange: Exchange, saveTo: SaveTarget | { readonly problem: string } | undefined): Promise<string | undefined> {
  const body = exchange.response?.body;
  if (saveTo === undefined || body === undefined) return undefined;
  const where = `${exchange.origin.file === undefined ? 'the request' : path.basename(exchange.origin.file)}:${exchange.origin.line}`;
  if ('problem' in saveTo) {
    void vscode.window.showWarningMessage(`Courier: the response body of ${where} was not saved: ${saveTo.problem}`);
    return undefined;
  }
  try {
    const saved = await saveBody(body, saveTo.path, saveTo.overwrite ? 'overwrite' : 'new-name');
    const renamed = saved === saveTo.path ? '' : ` (${path.basename(saveTo.path)} exists; >>! replaces it)`;
    void vscode.window.showInformationMessage(`Courier: response body of ${where} saved to ${saved}${renamed}`, 'Open').then((choice) => {
      if (choice === 'Open') void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(saved));
    });
    return saved;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    void vscode.window.showErrorMessage(`Courier: could not save the response body of ${where} to ${saveTo.path}: ${reason}. Check the path after >> in the request.`);
    return undefined;
  }
}
