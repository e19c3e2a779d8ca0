// The Test Explorer: a test controller whose items are `.http` files, their requests that have
// tests, and those tests (language/testDiscovery.ts finds the ones known before a run). Open
// documents are discovered as they open and change; the workspace's files when the Test Explorer
// first asks, and again as they change on disk. A run sends through the extension's one sending
// path (client/sending.ts), so cookies, environments and globals are the session's, and reports
// each exchange's tests (client/testing/testOutcomes.ts), adding those only known at run time.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Exchange } from '../../engine/model';
import { redactExchange } from '../../engine/redaction';
import { parse } from '../../language/parser';
import { discoverTests, mayHaveTests, type ReadScriptFile, type RequestTests } from '../../language/testDiscovery';
import type { SendTarget } from '../sending';
import { countOutcomes, knownTestKeys, requestOutcomes, type OutcomeCounts, type TestOutcome, type TestState } from './testOutcomes';

/** What the Test Explorer sends through: the extension's `Sender`. */
export interface TestSender {
  send(document: vscode.TextDocument, target: SendTarget): Promise<readonly Exchange[]>;
  cancel(uri?: string, line?: number): number;
}

/** How long a document stays unchanged before its tests are discovered again; longer for a large one (20,000 requests take ~150 ms warm). */
const rediscoverAfterMs = 250;
const rediscoverLargeAfterMs = 1000;
const largeDocumentLines = 20_000;

/** The `.http` files the workspace search looks for. */
const httpFilesGlob = '**/*.{http,rest}';
const excludedFolders = '**/node_modules/**';

/** One test as a run reported it: plain data, for `courier.runTests`' answer and the integration tests. */
export interface ReportedTest {
  readonly file: string;
  readonly request: string;
  readonly name: string;
  readonly state: TestState;
  readonly message?: string;
  readonly expected?: string;
  readonly actual?: string;
  /** 0-based line, in `locationFile` when the test is in another file than the `.http` one. */
  readonly line?: number;
  readonly locationFile?: string;
}

/** What a run did: counts and each test. */
export interface TestRunSummary extends OutcomeCounts {
  readonly tests: readonly ReportedTest[];
}

/** The tree as the Test Explorer shows it, as plain data. */
export interface TestTreeNode {
  readonly id: string;
  readonly label: string;
  /** 0-based line, for requests and tests. */
  readonly line: number | undefined;
  /** The file the item opens: the `.http` file, or a handler file for a test written there. */
  readonly file: string | undefined;
  readonly children: readonly TestTreeNode[];
}

interface RequestEntry {
  readonly item: vscode.TestItem;
  readonly found: RequestTests;
}

interface FileEntry {
  readonly item: vscode.TestItem;
  requests: RequestEntry[];
  /** Document version discovered, or -1 when read from disk. */
  version: number;
}

export class TestExplorer implements vscode.Disposable {
  readonly controller: vscode.TestController;
  private readonly files = new Map<string, FileEntry>();
  /** Ids of test items created by a run (names only known then): kept when a file is discovered again. */
  private readonly runtimeItems = new Set<string>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the discovered tests change (the Run Tests lenses listen). */
  readonly onDidChange = this.changed.event;
  private workspaceDiscovered: Promise<void> | undefined;
  private last: TestRunSummary | undefined;

  /** `oauthSecrets`: the window's OAuth tokens, which test results (kept by VS Code across sessions) never hold. */
  constructor(
    private readonly sender: TestSender,
    private readonly oauthSecrets: () => readonly string[] = () => [],
  ) {
    this.controller = vscode.tests.createTestController('courier', 'Courier');
    this.controller.resolveHandler = async (item) => {
      if (item === undefined) await this.discoverWorkspace();
      else if (item.uri !== undefined && item.parent === undefined) await this.discoverFile(item.uri);
    };
    this.controller.refreshHandler = async () => {
      this.workspaceDiscovered = undefined;
      await this.discoverWorkspace();
    };
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token).then(() => undefined), true);
    const watcher = vscode.workspace.createFileSystemWatcher(httpFilesGlob);
    this.disposables.push(
      this.controller,
      this.changed,
      watcher,
      watcher.onDidCreate((uri) => this.onDiskChange(uri)),
      watcher.onDidChange((uri) => this.onDiskChange(uri)),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidOpenTextDocument((document) => this.discoverDocument(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.scheduleDiscovery(event.document)),
      vscode.workspace.onDidCloseTextDocument((document) => this.onClose(document)),
    );
    for (const document of vscode.workspace.textDocuments) this.discoverDocument(document);
  }

  /** The requests with tests of an open document, discovered for its current version. */
  requestsOf(document: vscode.TextDocument): readonly RequestTests[] {
    if (!isHttp(document)) return [];
    const entry = this.files.get(document.uri.toString());
    if (entry !== undefined && entry.version === document.version) return entry.requests.map((request) => request.found);
    this.discoverDocument(document);
    return this.files.get(document.uri.toString())?.requests.map((request) => request.found) ?? [];
  }

  /** The tree the Test Explorer shows, as plain data. */
  tree(): TestTreeNode[] {
    const node = (item: vscode.TestItem): TestTreeNode => ({ id: item.id, label: item.label, line: item.range?.start.line, file: item.uri?.fsPath, children: childrenOf(item).map(node) });
    return childrenOf(this.controller.items).map(node);
  }

  /** What the last run reported; undefined before any. */
  get lastRun(): TestRunSummary | undefined {
    return this.last;
  }

  /**
   * Runs the tests of `uri`: a folder's `.http` files, a file, or with `line` the request at that
   * 0-based line; resolves to what the run reported.
   */
  async runTests(uri: vscode.Uri, line?: number): Promise<TestRunSummary> {
    const include: vscode.TestItem[] = [];
    if ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.Directory) {
      const files = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, httpFilesGlob), excludedFolders);
      files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
      for (const file of files) {
        const entry = await this.discoverFile(file);
        if (entry !== undefined) include.push(entry.item);
      }
    } else {
      const document = await vscode.workspace.openTextDocument(uri);
      this.discoverDocument(document);
      const entry = this.files.get(uri.toString());
      if (entry === undefined) {
        void vscode.window.showInformationMessage(`Courier: ${path.basename(uri.fsPath)} has no tests: add a \`?? status == 200\` line or a \`> {% client.test(...) %}\` handler to a request.`);
        return summaryOf([]);
      }
      if (line === undefined) include.push(entry.item);
      else {
        const request = entry.requests.find((candidate) => candidate.found.line === line);
        if (request === undefined) {
          void vscode.window.showInformationMessage(`Courier: the request at line ${line + 1} of ${path.basename(uri.fsPath)} has no tests.`);
          return summaryOf([]);
        }
        include.push(request.item);
      }
    }
    if (include.length === 0) {
      void vscode.window.showInformationMessage(`Courier: no .http file under ${path.basename(uri.fsPath)} has tests.`);
      return summaryOf([]);
    }
    const cancellation = new vscode.CancellationTokenSource();
    try {
      return await this.run(new vscode.TestRunRequest(include), cancellation.token);
    } finally {
      cancellation.dispose();
    }
  }

  /** Runs the tests of several files and folders (a selection in the Explorer), one after the other; resolves to what they reported together. */
  async runTestsOfAll(uris: readonly vscode.Uri[]): Promise<TestRunSummary> {
    const tests: ReportedTest[] = [];
    for (const uri of uris) tests.push(...(await this.runTests(uri)).tests);
    this.last = summaryOf(tests);
    return this.last;
  }

  /** The run profile's handler: sends what `request` selects, file by file, and reports each exchange's tests. */
  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<TestRunSummary> {
    const run = this.controller.createTestRun(request);
    const reported: ReportedTest[] = [];
    const excluded = new Set(request.exclude?.map((item) => item.id) ?? []);
    try {
      for (const [fileUri, selection] of this.selectionByFile(request.include ?? childrenOf(this.controller.items), excluded)) {
        if (token.isCancellationRequested) break;
        const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(fileUri));
        // Sent from the text as it is now: discover it again so lines and tests match what is sent.
        this.discoverDocument(document);
        const entry = this.files.get(fileUri);
        if (entry === undefined) continue;
        // By item, not line: an edit since the run was asked for may have moved the requests.
        const requests = selection === 'all' ? entry.requests : entry.requests.filter((candidate) => selection.has(candidate.item.id));
        for (const requestEntry of requests) markStarted(run, requestEntry.item, excluded);
        const cancelOnToken = token.onCancellationRequested(() => this.sender.cancel(fileUri));
        const targets: SendTarget[] = selection === 'all' ? [{ kind: 'all' }] : requests.map((candidate) => ({ kind: 'line', line: candidate.found.line, unattended: true }));
        const exchanges: Exchange[] = [];
        try {
          for (const target of targets) {
            if (token.isCancellationRequested) break;
            exchanges.push(...(await this.sender.send(document, target)));
          }
        } finally {
          cancelOnToken.dispose();
        }
        this.report(run, document, entry, requests, exchanges, excluded, reported);
      }
    } finally {
      run.end();
    }
    this.last = summaryOf(reported);
    return this.last;
  }

  /** Files to run, each whole (`all`) or some requests by item id. */
  private selectionByFile(items: readonly vscode.TestItem[], excluded: ReadonlySet<string>): Map<string, 'all' | Set<string>> {
    const byFile = new Map<string, 'all' | Set<string>>();
    for (const item of items) {
      if (excluded.has(item.id) || item.uri === undefined) continue;
      const file = item.uri.toString();
      const entry = this.files.get(file);
      if (entry === undefined) continue;
      if (item === entry.item) {
        byFile.set(file, 'all');
        continue;
      }
      const request = entry.requests.find((candidate) => candidate.item === item || candidate.item === item.parent);
      const current = byFile.get(file);
      if (request === undefined || current === 'all') continue;
      byFile.set(file, (current ?? new Set<string>()).add(request.item.id));
    }
    return byFile;
  }

  private report(run: vscode.TestRun, document: vscode.TextDocument, entry: FileEntry, requests: readonly RequestEntry[], exchanges: readonly Exchange[], excluded: ReadonlySet<string>, reported: ReportedTest[]): void {
    const file = document.uri.scheme === 'file' ? document.uri.fsPath : undefined;
    const byLine = new Map<number, Exchange>();
    // A request sent twice (as a dependency and itself) is judged by its last exchange.
    const secrets = this.oauthSecrets();
    for (const sent of exchanges) {
      // A test's actual value can be a header or body that carries a token.
      const exchange = secrets.length === 0 ? sent : redactExchange(sent, { secrets, keepCredentialHeaders: true });
      if (file === undefined || exchange.origin.file === undefined || exchange.origin.file === file) byLine.set(exchange.origin.line - 1, exchange);
    }
    for (const requestEntry of entry.requests) {
      const exchange = byLine.get(requestEntry.found.line);
      const selected = requests.includes(requestEntry);
      if (exchange === undefined) {
        if (selected) for (const item of [requestEntry.item, ...childrenOf(requestEntry.item)]) if (!excluded.has(item.id)) run.skipped(item);
        continue;
      }
      const outcomes = requestOutcomes(requestEntry.found.tests, exchange);
      if (outcomes.length === 0) {
        // A request whose handlers tested nothing passes when its exchange did.
        if (exchange.error === undefined) run.passed(requestEntry.item, exchange.timings.total);
        else run.errored(requestEntry.item, new vscode.TestMessage(exchange.error.message), exchange.timings.total);
        continue;
      }
      for (const outcome of outcomes) {
        const item = this.itemFor(requestEntry, outcome, document.uri);
        if (excluded.has(item.id)) continue;
        applyOutcome(run, item, outcome, document.uri);
        reported.push(reportedTest(document.uri, requestEntry.found.label, outcome));
      }
    }
  }

  /** The test item of an outcome, created under its request when only the run knew it. */
  private itemFor(request: RequestEntry, outcome: TestOutcome, uri: vscode.Uri): vscode.TestItem {
    const id = `${request.item.id}\n${outcome.key}`;
    const existing = request.item.children.get(id);
    if (existing !== undefined) return existing;
    const item = this.controller.createTestItem(id, outcome.name, uri);
    // Shown at its line when it is in this document (a `.js` handler's test has no place in it).
    if (outcome.location !== undefined && (outcome.location.file === undefined || (uri.scheme === 'file' && outcome.location.file === uri.fsPath))) item.range = lineRange(outcome.location.line);
    request.item.children.add(item);
    this.runtimeItems.add(id);
    return item;
  }

  private discoverWorkspace(): Promise<void> {
    this.workspaceDiscovered ??= (async () => {
      const files = await vscode.workspace.findFiles(httpFilesGlob, excludedFolders);
      for (const uri of files) await this.discoverFile(uri);
    })();
    return this.workspaceDiscovered;
  }

  /** Discovers a file from its open document, else from disk. */
  private async discoverFile(uri: vscode.Uri): Promise<FileEntry | undefined> {
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open !== undefined) {
      this.discoverDocument(open);
      return this.files.get(uri.toString());
    }
    let text: string;
    try {
      text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      this.remove(uri);
      return undefined;
    }
    this.update(uri, text, -1);
    return this.files.get(uri.toString());
  }

  private discoverDocument(document: vscode.TextDocument): void {
    if (!isHttp(document)) return;
    const key = document.uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(key);
    // The lenses and the debounced discovery both ask after an edit: parse each version once.
    if (this.files.get(key)?.version === document.version) return;
    this.update(document.uri, document.getText(), document.version);
  }

  private scheduleDiscovery(document: vscode.TextDocument): void {
    if (!isHttp(document)) return;
    const key = document.uri.toString();
    const timer = this.pending.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.pending.set(key, setTimeout(() => this.discoverDocument(document), document.lineCount > largeDocumentLines ? rediscoverLargeAfterMs : rediscoverAfterMs));
  }

  private onDiskChange(uri: vscode.Uri): void {
    // An open document is discovered from its text, which may be ahead of the disk.
    if (vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString())) return;
    void this.discoverFile(uri);
  }

  private onClose(document: vscode.TextDocument): void {
    const timer = this.pending.get(document.uri.toString());
    if (timer !== undefined) clearTimeout(timer);
    this.pending.delete(document.uri.toString());
    // Files of the workspace stay (read from disk again); others leave with their editor.
    if (document.uri.scheme !== 'file' || vscode.workspace.getWorkspaceFolder(document.uri) === undefined) this.remove(document.uri);
    else void this.discoverFile(document.uri);
  }

  private remove(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.files.delete(key)) return;
    this.controller.items.delete(key);
    for (const id of [...this.runtimeItems]) if (id.startsWith(`${key}\n`)) this.runtimeItems.delete(id);
    this.changed.fire();
  }

  /** Replaces a file's items with what `text` holds, keeping the tests runs created under requests that are still there. */
  private update(uri: vscode.Uri, text: string, version: number): void {
    const key = uri.toString();
    const found = mayHaveTests(text) ? discoverTests(parse(text), uri.scheme === 'file' ? handlerFileReader(uri) : undefined) : [];
    if (found.length === 0) {
      if (this.files.has(key)) this.remove(uri);
      return;
    }
    let entry = this.files.get(key);
    if (entry === undefined) {
      const item = this.controller.createTestItem(key, path.basename(uri.path), uri);
      // Files of one name in several folders are told apart by their folder.
      const folder = path.dirname(vscode.workspace.asRelativePath(uri, false));
      if (folder !== '.') item.description = folder;
      entry = { item, requests: [], version };
      this.files.set(key, entry);
      this.controller.items.add(item);
    }
    entry.version = version;
    const labels = new Map<string, number>();
    entry.requests = found.map((request) => {
      const ordinal = labels.get(request.label) ?? 0;
      labels.set(request.label, ordinal + 1);
      const id = `${key}\n${request.label}${ordinal === 0 ? '' : `#${ordinal + 1}`}`;
      const item = entry.item.children.get(id) ?? this.controller.createTestItem(id, request.label, uri);
      item.range = lineRange(request.line);
      const keys = knownTestKeys(request.tests);
      const known = request.tests.map((test, index) => {
        const testId = `${id}\n${keys[index]}`;
        const testItem = item.children.get(testId) ?? this.controller.createTestItem(testId, test.name, test.file === undefined ? uri : vscode.Uri.file(test.file));
        testItem.range = lineRange(test.line);
        this.runtimeItems.delete(testId);
        return testItem;
      });
      const createdByRuns = childrenOf(item).filter((child) => this.runtimeItems.has(child.id));
      item.children.replace([...known, ...createdByRuns]);
      return { item, found: request };
    });
    entry.item.children.replace(entry.requests.map((request) => request.item));
    this.changed.fire();
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Reads the handler files a `.http` file names (`> ./checks.js`), relative to its folder: they are small, and read once per discovery. */
function handlerFileReader(uri: vscode.Uri): ReadScriptFile {
  const folder = path.dirname(uri.fsPath);
  return (written) => {
    const full = path.resolve(folder, written);
    try {
      return { path: full, text: readFileSync(full, 'utf8') };
    } catch {
      return undefined;
    }
  };
}

function isHttp(document: vscode.TextDocument): boolean {
  return document.languageId === 'http' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}

function childrenOf(collection: vscode.TestItem | vscode.TestItemCollection): vscode.TestItem[] {
  const items: vscode.TestItem[] = [];
  ('children' in collection ? collection.children : collection).forEach((item) => items.push(item));
  return items;
}

function lineRange(line: number): vscode.Range {
  return new vscode.Range(line, 0, line, 0);
}

function markStarted(run: vscode.TestRun, item: vscode.TestItem, excluded: ReadonlySet<string>): void {
  if (excluded.has(item.id)) return;
  run.started(item);
  for (const child of childrenOf(item)) markStarted(run, child, excluded);
}

function applyOutcome(run: vscode.TestRun, item: vscode.TestItem, outcome: TestOutcome, documentUri: vscode.Uri): void {
  const location = outcome.location === undefined ? undefined : new vscode.Location(outcome.location.file === undefined ? documentUri : vscode.Uri.file(outcome.location.file), new vscode.Position(outcome.location.line, outcome.location.character));
  switch (outcome.state) {
    case 'passed':
      run.passed(item);
      return;
    case 'skipped':
      run.skipped(item);
      // A skipped test has no message of its own in the Test Explorer: the output says why.
      if (outcome.message !== undefined) run.appendOutput(`${outcome.name}: skipped (${outcome.message})\r\n`, location, item);
      return;
    case 'failed':
    case 'errored': {
      const message = outcome.diff !== undefined ? vscode.TestMessage.diff(outcome.message ?? `${outcome.name} failed`, outcome.diff.expected, outcome.diff.actual) : new vscode.TestMessage(outcome.message ?? `${outcome.name} failed`);
      message.location = location;
      if (outcome.state === 'failed') run.failed(item, message);
      else run.errored(item, message);
      return;
    }
  }
}

function reportedTest(uri: vscode.Uri, request: string, outcome: TestOutcome): ReportedTest {
  return {
    file: uri.scheme === 'file' ? uri.fsPath : uri.toString(),
    request,
    name: outcome.name,
    state: outcome.state,
    ...(outcome.message !== undefined ? { message: outcome.message } : {}),
    ...(outcome.diff !== undefined ? { expected: outcome.diff.expected, actual: outcome.diff.actual } : {}),
    ...(outcome.location !== undefined ? { line: outcome.location.line } : {}),
    ...(outcome.location?.file !== undefined ? { locationFile: outcome.location.file } : {}),
  };
}

function summaryOf(tests: readonly ReportedTest[]): TestRunSummary {
  return { ...countOutcomes(tests), tests };
}
