// `Courier: Import cURL Command`: a cURL command (the argument, the selection or the clipboard)
// becomes a request in the editor, through the engine's importer.
import * as vscode from 'vscode';
import { importCurl } from '../engine/importers/curlImport';

/** Turns a cURL command (the argument, else the selection, else the clipboard) into a request at the cursor; resolves to the inserted text. */
export async function importCurlCommand(given: string | undefined): Promise<string | undefined> {
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
