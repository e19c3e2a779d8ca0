// Responses checked against OpenAPI specs in the editor: the specs `courier.openapi.specs` names
// (paths or globs in the workspace folder) and the one nearest each `.http` file, read by the
// engine's `SpecCatalog` once and again when the file changes. The sender hands the result to each
// runner (`RunSettings.openapi`), so violations are failed tests in the panel and the Test Explorer.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OpenApiValidation } from '../engine/openapi/responseValidation';
import { SpecCatalog } from '../engine/openapi/specCatalog';
import type { Settings } from './settings';

export class EditorOpenApi {
  /** One catalog per workspace folder and list of named specs: specs are read once per window. */
  private readonly catalogs = new Map<string, SpecCatalog>();

  constructor(private readonly settings: Settings) {}

  /** What runners of files under `root` validate responses with; undefined when `courier.openapi.validateResponses` is off. */
  validationFor(root: string | undefined): OpenApiValidation | undefined {
    const { openApiSpecs, openApiValidateResponses } = this.settings.value;
    if (!openApiValidateResponses) return undefined;
    const key = `${root ?? ''}\n${openApiSpecs.join('\n')}`;
    let catalog = this.catalogs.get(key);
    if (catalog === undefined) {
      catalog = new SpecCatalog({
        ...(openApiSpecs.length === 0 ? {} : { files: () => namedSpecFiles(openApiSpecs, root) }),
        discover: true,
        discoverBesidesNamed: true,
        ...(root === undefined ? {} : { root }),
        // Said once per spec and change; the language server marks the spec file itself too.
        warn: (message) => void vscode.window.showWarningMessage(`Courier: ${message}`),
      });
      this.catalogs.set(key, catalog);
    }
    return catalog.validation();
  }
}

/** The files the setting names: paths as written (relative to the folder), globs as the workspace finds them. */
async function namedSpecFiles(entries: readonly string[], root: string | undefined): Promise<string[]> {
  const files: string[] = [];
  for (const entry of entries) {
    if (!/[*?{[]/.test(entry)) {
      files.push(path.resolve(root ?? '.', entry));
      continue;
    }
    const base = root === undefined ? vscode.workspace.workspaceFolders?.[0] : vscode.Uri.file(root);
    if (base === undefined) continue;
    const found = await vscode.workspace.findFiles(new vscode.RelativePattern(base, entry), '**/node_modules/**');
    files.push(...found.map((uri) => uri.fsPath).sort());
  }
  return files;
}
