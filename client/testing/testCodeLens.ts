// "Run Tests" above each request that has tests known before a run, beside the server's "Send
// Request". It comes from the extension, not the language server: the Test Explorer has already
// discovered the document's tests, and the lens runs them through it.
import * as vscode from 'vscode';
import type { TestExplorer } from './testExplorer';

export const runTestsCommand = 'courier.runTests';

/** Registers the lens provider over the Test Explorer's discovery. */
export function registerRunTestsLens(explorer: TestExplorer): vscode.Disposable {
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: explorer.onDidChange,
    provideCodeLenses: (document) =>
      explorer
        .requestsOf(document)
        .filter((request) => request.tests.length > 0)
        .map((request) => {
          const count = request.tests.length;
          return new vscode.CodeLens(new vscode.Range(request.line, 0, request.line, 0), {
            title: 'Run Tests',
            command: runTestsCommand,
            arguments: [document.uri, { line: request.line, character: 0 }],
            tooltip: `Send ${request.label} and run its ${count} ${count === 1 ? 'test' : 'tests'}`,
          });
        }),
  };
  return vscode.languages.registerCodeLensProvider({ language: 'http' }, provider);
}
