// `Courier: Import Postman Collection`: the CLI's `courier import postman` in the editor. The user
// picks the collection (and, in the same dialog, its environment if they like) and the folder to
// import into; the engine's importer converts, the files are written atomically, and the first
// `.http` file opens. What was not converted goes to the "Courier Import" output channel.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { writeFileAtomically } from '../engine/atomicFile';
import { importPostmanCollection, PostmanImportError, type PostmanImport } from '../engine/importers/postman';
import { safeFileStem } from '../engine/importers/postmanNames';

/** What a caller (a test, another extension) may pass instead of answering the dialogs. */
interface PostmanImportArguments {
  /** Paths of the collection and, optionally, an environment, in either order. */
  readonly files?: readonly string[];
  /** The folder to write into, exactly (the dialog's choice gets a folder named after the collection). */
  readonly out?: string;
  /** Replace existing files without asking. */
  readonly replace?: boolean;
}

let importLog: vscode.OutputChannel | undefined;

function argumentsOf(value: unknown): PostmanImportArguments {
  if (typeof value !== 'object' || value === null) return {};
  const given = value as Record<string, unknown>;
  return {
    files: Array.isArray(given.files) ? given.files.filter((file): file is string => typeof file === 'string') : undefined,
    out: typeof given.out === 'string' ? given.out : undefined,
    replace: given.replace === true,
  };
}

/** Runs the import; resolves to the paths written, or undefined when the user cancelled or the input was bad (said in a message). */
export async function importPostmanCommand(given: unknown): Promise<string[] | undefined> {
  const options = argumentsOf(given);
  const files = options.files ?? (await pickCollection());
  if (files === undefined || files.length === 0) return undefined;
  let inputs: { collection: Input; environment: Input | undefined };
  let converted: PostmanImport;
  try {
    inputs = await readInputs(files);
    converted = convert(inputs.collection, inputs.environment);
  } catch (error) {
    if (!(error instanceof InputProblem)) throw error;
    void vscode.window.showErrorMessage(`Courier: ${error.message}`);
    return undefined;
  }
  const outFolder = options.out ?? (await pickFolder(converted.collectionName));
  if (outFolder === undefined) return undefined;
  const targets = converted.files.map((file) => ({ path: join(outFolder, ...file.path.split('/')), text: file.text }));
  const existing = targets.filter((target) => existsSync(target.path));
  if (existing.length > 0 && options.replace !== true) {
    const replace = 'Replace';
    const names = existing.map((target) => basename(target.path)).slice(0, 5).join(', ');
    const answer = await vscode.window.showWarningMessage(`${existing.length} of the imported files already exist in ${outFolder} (${names}${existing.length > 5 ? ', ...' : ''}). Replace them?`, { modal: true }, replace);
    if (answer !== replace) return undefined;
  }
  for (const target of targets) {
    await mkdir(dirname(target.path), { recursive: true });
    await writeFileAtomically(target.path, target.text);
  }
  const firstHttp = targets.find((target) => target.path.endsWith('.http'));
  if (firstHttp !== undefined) await vscode.window.showTextDocument(vscode.Uri.file(firstHttp.path));
  reportNotes(converted, outFolder);
  return targets.map((target) => target.path);
}

async function pickCollection(): Promise<string[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Import a Postman collection (select its environment too, if you like)',
    openLabel: 'Import',
    canSelectMany: true,
    filters: { 'Postman collection or environment': ['json'] },
  });
  return picked?.map((uri) => uri.fsPath);
}

async function pickFolder(collectionName: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: `Where to import "${collectionName}" (a folder named after it is made there)`,
    openLabel: 'Import Here',
    canSelectFiles: false,
    canSelectFolders: true,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  const folder = picked?.[0];
  return folder === undefined ? undefined : join(folder.fsPath, safeFileStem(collectionName, 'postman'));
}

class InputProblem extends Error {}

interface Input {
  readonly path: string;
  readonly json: unknown;
}

/** The collection and the environment among the chosen files: an environment is the one with a `values` list. */
async function readInputs(files: readonly string[]): Promise<{ collection: Input; environment: Input | undefined }> {
  if (files.length > 2) throw new InputProblem('select one collection, and at most one environment with it');
  const inputs = await Promise.all(files.map(async (path) => ({ path, json: await readJson(path) })));
  const isEnvironment = (input: Input): boolean => typeof input.json === 'object' && input.json !== null && Array.isArray((input.json as { values?: unknown }).values);
  const environments = inputs.filter(isEnvironment);
  const collections = inputs.filter((input) => !isEnvironment(input));
  if (inputs.length === 2 && (environments.length !== 1 || collections.length !== 1)) {
    throw new InputProblem(`${basename(files[0])} and ${basename(files[1])}: select one collection and one environment (an environment has a "values" list)`);
  }
  return { collection: collections[0] ?? inputs[0], environment: inputs.length === 2 ? environments[0] : undefined };
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new InputProblem(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    throw new InputProblem(`${basename(path)} is not JSON (${(error as Error).message}); export the collection from Postman as Collection v2.1`);
  }
}

function convert(collection: Input, environment: Input | undefined): PostmanImport {
  try {
    return importPostmanCollection(collection.json, { environment: environment?.json });
  } catch (error) {
    if (!(error instanceof PostmanImportError)) throw error;
    const file = error.message.startsWith('the environment file') && environment !== undefined ? environment.path : collection.path;
    throw new InputProblem(`${basename(file)}: ${error.message}`);
  }
}

function reportNotes(converted: PostmanImport, outFolder: string): void {
  const files = converted.files.filter((file) => file.path.endsWith('.http')).length;
  const summary = `Courier: imported "${converted.collectionName}" into ${outFolder} (${files} .http ${files === 1 ? 'file' : 'files'}; environment "${converted.environmentName}")`;
  if (converted.notes.length === 0) {
    void vscode.window.showInformationMessage(`${summary}.`);
    return;
  }
  importLog ??= vscode.window.createOutputChannel('Courier Import');
  importLog.appendLine(`${summary}: ${converted.notes.length} notes (what was not converted is also a comment where it was)`);
  for (const note of converted.notes) importLog.appendLine(`  ${note.where}: ${note.message}`);
  const show = 'Show Notes';
  void vscode.window.showInformationMessage(`${summary}, with ${converted.notes.length} notes.`, show).then((answer) => {
    if (answer === show) importLog?.show(true);
  });
}
