// Builds the URL that opens code-server's workbench on a folder, optionally as an
// extension-development window that runs a test suite.

export interface WorkbenchUrlOptions {
  readonly origin: string;
  /** Absolute path, on the server's machine, of the folder to open. */
  readonly folder: string;
  /** Absolute path of the extension to load in development mode. */
  readonly extensionDevelopmentPath?: string;
  /** Absolute path of the test entry (`index.js` exporting `run()`); the extension host exits when it finishes. */
  readonly extensionTestsPath?: string;
}

export function workbenchUrl(options: WorkbenchUrlOptions): string {
  const authority = new URL(options.origin).host;
  const remote = (absolutePath: string): string => `vscode-remote://${authority}${absolutePath}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = `folder=${encodeURIComponent(options.folder)}` + (payload.length > 0 ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : '');
  return `${options.origin}/?${query}`;
}
