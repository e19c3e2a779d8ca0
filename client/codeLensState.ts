// Requests in flight and the CodeLens that shows them: while a request runs, the server's
// "Send Request" lens on its line reads "Sending... (cancel)" and cancels it when clicked.
// The language client's middleware swaps the lens; a lens provider that adds none of its own
// only asks VS Code to recompute lenses when a request starts or ends.
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const sendingTitle = 'Sending... (cancel)';

/** One request being sent: where it is, and how to stop it. */
export interface RunningRequest {
  readonly id: number;
  readonly uri: string;
  /** 0-based line of the request line. */
  readonly line: number;
  readonly title: string;
  readonly controller: AbortController;
}

/** Which requests are in flight; the CodeLens middleware and `courier.cancelRequest` read it. */
export class RunningRequests implements vscode.Disposable {
  private readonly running = new Map<number, RunningRequest>();
  private nextId = 1;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  /** Records a request as running until the returned function is called. */
  start(uri: string, line: number, title: string, controller: AbortController): { readonly request: RunningRequest; readonly finish: () => void } {
    const request: RunningRequest = { id: this.nextId++, uri, line, title, controller };
    this.running.set(request.id, request);
    this.changed.fire();
    return {
      request,
      finish: () => {
        if (this.running.delete(request.id)) this.changed.fire();
      },
    };
  }

  get all(): readonly RunningRequest[] {
    return [...this.running.values()];
  }

  /** The running request on `line` of `uri`, if any. */
  at(uri: string, line: number): RunningRequest | undefined {
    return this.all.find((request) => request.uri === uri && request.line === line);
  }

  /** Language client middleware: lenses of running requests become "Sending... (cancel)". */
  get middleware(): Middleware {
    return {
      provideCodeLenses: async (document, token, next) => {
        const lenses = await next(document, token);
        if (lenses === null || lenses === undefined) return lenses;
        const uri = document.uri.toString();
        return lenses.map((lens) => {
          const running = lens.command?.command === 'courier.sendRequest' ? this.at(uri, lens.range.start.line) : undefined;
          if (running === undefined) return lens;
          return new vscode.CodeLens(lens.range, { title: sendingTitle, command: 'courier.cancelRequest', arguments: [uri, { line: running.line, character: 0 }], tooltip: `Cancel ${running.title}` });
        });
      },
    };
  }

  /** Registers the provider whose only job is to make VS Code ask for lenses again when a request starts or ends. */
  registerRefresh(): vscode.Disposable {
    const provider: vscode.CodeLensProvider = { onDidChangeCodeLenses: this.onDidChange, provideCodeLenses: () => [] };
    return vscode.languages.registerCodeLensProvider({ language: 'http' }, provider);
  }

  dispose(): void {
    for (const request of this.running.values()) request.controller.abort();
    this.running.clear();
    this.changed.dispose();
  }
}
