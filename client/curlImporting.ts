// `Courier: Import cURL Command`: a cURL command (the argument, the selection or the clipboard)
// becomes a request in the editor, through the engine's importer.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as vscode from 'vscode';
import { importCurl, type CurlImportOptions } from '../engine/importers/curlImport';

/** Turns a cURL command (the argument, else the selection, else the clipboard) into a request at the cursor; resolves to the inserted text. */
export async function importCurlCommand(given: string | undefined): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const selection = editor !== undefined && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : undefined;
  const command = given ?? selection ?? (await vscode.env.clipboard.readText());
  if (command.trim() === '') {
    void vscode.window.showInformationMessage('Courier: select a cURL command or copy one to the clipboard, then run Import cURL Command.');
    return undefined;
  }
  const result = importCurl(command, fileOptions(editor));
  if ('error' in result) {
    void vscode.window.showWarningMessage(`Courier: ${result.error}`);
    return undefined;
  }
  // Each thing a .http file cannot say as curl would send it, so none goes unnoticed.
  if (result.warnings.length > 0) void vscode.window.showWarningMessage(`Courier: the request does not send exactly what curl sends: ${result.warnings.join('; ')}`);
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

/**
 * curl reads the files it names (`-d @file`, whose line breaks it strips) from where it runs; the
 * best guess here is the folder the request's `< file` lines resolve from: the .http file's, else
 * the workspace's. Paths are written as in the command.
 */
function fileOptions(editor: vscode.TextEditor | undefined): CurlImportOptions {
  const document = editor?.document;
  const folder = document !== undefined && document.uri.scheme === 'file' ? dirname(document.uri.fsPath) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder === undefined) return {};
  return {
    readFile: (path) => {
      try {
        return readFileSync(resolve(folder, path));
      } catch {
        return undefined;
      }
    },
  };
}
