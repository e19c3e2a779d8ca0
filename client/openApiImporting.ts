// `Courier: Import OpenAPI...`: the CLI's `courier import openapi` in the editor. The user picks the
// spec and the folder (its own folder by default); the engine writes a `.http` file per tag and an
// env file per server, adding to what an earlier import wrote without changing it; the first file
// it wrote opens. Notes on what was not generated go to the "Courier Import" output channel.
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { importOpenApiInto, type WrittenImport } from '../engine/importers/openapiFiles';
import { OpenApiSpecError } from '../engine/openapi/specLoader';

/** What a caller (a test, another extension) may pass instead of answering the dialogs. */
interface OpenApiImportArguments {
  readonly spec?: string;
  readonly out?: string;
}

let importLog: vscode.OutputChannel | undefined;

function argumentsOf(value: unknown): OpenApiImportArguments {
  if (typeof value !== 'object' || value === null) return {};
  const given = value as Record<string, unknown>;
  return { spec: typeof given.spec === 'string' ? given.spec : undefined, out: typeof given.out === 'string' ? given.out : undefined };
}

/** Runs the import; resolves to the paths written (empty when there was nothing to add), or undefined when cancelled or the spec cannot be read (said in a message). */
export async function importOpenApiCommand(given: unknown): Promise<string[] | undefined> {
  const options = argumentsOf(given);
  const spec = options.spec ?? (await pickSpec());
  if (spec === undefined) return undefined;
  const out = options.out ?? (await pickFolder(dirname(spec)));
  if (out === undefined) return undefined;
  let result: WrittenImport;
  try {
    result = await importOpenApiInto(spec, out);
  } catch (error) {
    if (!(error instanceof OpenApiSpecError)) throw error;
    void vscode.window.showErrorMessage(`Courier: cannot import ${error.describe()}`);
    return undefined;
  }
  const firstHttp = result.written.find((file) => file.path.endsWith('.http'));
  if (firstHttp !== undefined) await vscode.window.showTextDocument(vscode.Uri.file(firstHttp.absolutePath));
  if (result.written.length === 0) void vscode.window.showInformationMessage(`Courier: every operation of "${result.imported.title}" is in ${out} already; nothing was changed.`);
  if (result.imported.notes.length > 0) {
    importLog ??= vscode.window.createOutputChannel('Courier Import');
    importLog.appendLine(`Import of "${result.imported.title}" into ${out}:`);
    for (const note of result.imported.notes) importLog.appendLine(`  ${note}`);
  }
  return result.written.map((file) => file.absolutePath);
}

async function pickSpec(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import an OpenAPI spec (3.0, 3.1 or Swagger 2.0)',
    openLabel: 'Import',
    filters: { 'OpenAPI spec': ['yaml', 'yml', 'json'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

async function pickFolder(beside: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Where to write the .http files (importing again there adds only new operations)',
    openLabel: 'Import Here',
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: vscode.Uri.file(beside),
  });
  return picked?.[0]?.fsPath;
}
