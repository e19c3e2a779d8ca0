// The arguments commands take: what a CodeLens, a view, a keybinding or another extension passes
// (`[uri, { line }]`, an environment name, a Sessions node), else the active editor, with a
// sentence saying what to do when there is nothing to act on.
import * as vscode from 'vscode';
import type { SessionNode } from './sessions';

/** A position as the CodeLens passes it: `{ line, character }`. */
export function isLinePosition(value: unknown): value is { readonly line: number; readonly character?: number } {
  return typeof value === 'object' && value !== null && typeof (value as { line?: unknown }).line === 'number';
}

/** A URI argument, as a `Uri` or its string form; undefined for anything else. */
export function toUri(value: unknown): vscode.Uri | undefined {
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
export async function targetOf(args: readonly unknown[], action: string): Promise<{ readonly document: vscode.TextDocument; readonly line: number } | undefined> {
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

/** The document a command acts on whole: its `uri` argument, else the active `.http` editor's; undefined (after saying why) when there is none. */
export async function activeHttpDocument(args: readonly unknown[], action: string): Promise<vscode.TextDocument | undefined> {
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
export function environmentArgument(value: unknown): { readonly name: string | undefined } | undefined {
  if (typeof value === 'string') return { name: value === '' ? undefined : value };
  if (value === null) return { name: undefined };
  if (typeof value === 'object' && value !== null && (value as SessionNode).kind === 'environment') return { name: (value as SessionNode).environment };
  return undefined;
}
