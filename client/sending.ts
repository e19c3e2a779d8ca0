// Sending from the editor: finds the request at the cursor in the document parsed once for the
// send, runs it with the engine's Runner in the extension host (dependencies first, prompts and
// notes asked here), through the active environment's session, shows each exchange in the
// response panel and the history, and saves bodies where a request's `>> file` says. Scripts run
// in one sandbox for the window, and not at all in an untrusted workspace. Progress
// shows in the status bar, and in a cancellable notification once a request takes longer than a
// moment. Each env file is read once per send. `{{$auth.token("id")}}` reads the window's OAuth
// tokens (client/oauth/), which the history never keeps.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { chooseEnvironment, loadEnvironmentForSend, privateEnvironmentValuesOf, readEnvironmentFiles, type EnvironmentFiles, type LoadedEnvironment } from '../engine/environments';
import type { Exchange, ExchangeObserver, PreparedRequest, ResponseHead } from '../engine/model';
import type { OAuthTokens } from '../engine/oauth/oauthTokens';
import { OAuthTokenSource } from '../engine/oauth/tokenSource';
import { bothObservers, Runner, type Preparation, type PromptQuestion, type RequestSender, type RunSettings, type Selection } from '../engine/runner';
import { scriptGlobals } from '../engine/scripts/requestScripts';
import { ScriptSandbox } from '../engine/scripts/sandbox';
import { parse } from '../language/parser';
import { findRequestAtLine, offsetToPosition } from '../language/positions';
import type { HttpDocument } from '../language/syntax';
import { compositionLines } from '../language/syntaxViews';
import { askWhereToSaveBody, saveBodyTo, saveRedirectedBody } from './bodySaving';
import type { RunningRequests } from './codeLensState';
import { environmentNeed } from './environmentNeeds';
import type { EnvironmentPicker } from './environmentPicker';
import { EditorOpenApi } from './openApiValidation';
import { liveExchangeView, panelTitle } from './panel/exchangeView';
import type { LiveStream, ResponsePanel, ResponsePanels } from './panel/responsePanel';
import type { Sessions } from './sessions';
import type { Settings } from './settings';
import { environmentsDefiningWithSettings, settingsVariables, type CourierSettings } from './settingsSchema';
import type { ScriptPermission } from './sendConsent';
import type { TrustGate } from './trust';

/** How long a request runs before a cancellable notification appears. */
const notifyAfterMs = 500;

/** What to send from a document: the request at a 0-based line, or all of them. */
export type SendTarget =
  /** `unattended`: nobody is there to type (a test run): a WebSocket ends on a quiet server instead of waiting for Close. */
  | { readonly kind: 'line'; readonly line: number; readonly unattended?: boolean }
  | { readonly kind: 'all' };

/** What a recorded exchange was sent with. */
export interface RecordContext {
  readonly file: string;
  readonly environment: string | undefined;
  /** The private env file's values for the environment, from the send's one read of the env files: what the history redacts. */
  readonly privateValues: () => readonly string[];
  /** OAuth tokens and secrets the window has seen: redacted even when `courier.history.keepSecrets` keeps the rest. */
  readonly oauthSecrets: () => readonly string[];
}

/** Where sent exchanges are recorded (the history). */
export interface ExchangeRecorder {
  record(exchange: Exchange, context: RecordContext): void;
}

interface RunnerEntry {
  readonly runner: Runner;
  /** The environment as the env files know it; undefined when only settings define it. */
  readonly fileEnvironment: string | undefined;
  /** Settings variables for this run; refilled before each run (the runner keeps the reference). */
  readonly overrides: Map<string, string>;
  /** The env files as read for this run, and the environment chosen from them; refilled before each run (the runner reads it through `loadedEnvironment`, never the files). */
  readonly environment: { current: LoadedEnvironment; files: EnvironmentFiles };
}

/** How one run watches each exchange it sends: a stream-shaped response shows live in the panel. */
interface RunWatch {
  readonly observe: (request: PreparedRequest) => { readonly observer: ExchangeObserver; readonly sent: (exchange: Exchange) => void };
  /**
   * The request the user sent on its own (not a dependency, not "send all", not a test run): a
   * WebSocket it opens stays open for the panel's message box until Close, Stop or `# @timeout`.
   */
  readonly interactive: { readonly file: string; readonly line: number } | undefined;
}

/** The request at a line of the document being sent. */
interface Located {
  readonly line: number;
  readonly title: string;
}

/** Sends requests of open documents and remembers the last one for "Rerun". */
export class Sender implements vscode.Disposable {
  private readonly runners = new Map<string, RunnerEntry>();
  private last: { readonly uri: vscode.Uri; readonly target: SendTarget } | undefined;
  private readonly subscription: vscode.Disposable;
  /** One script worker for every runner of the window, started by the first script (QuickJS is loaded only then). */
  private readonly sandbox = new ScriptSandbox();
  /** The OpenAPI specs responses are checked against. */
  private readonly openapi: EditorOpenApi;
  /** Each run's observer of the exchanges it sends, by the run's abort signal (the one the runner hands the sender). */
  private readonly watches = new WeakMap<AbortSignal, RunWatch>();

  constructor(
    private readonly settings: Settings,
    private readonly sessions: Sessions,
    private readonly environments: EnvironmentPicker,
    private readonly running: RunningRequests,
    private readonly panels: ResponsePanels,
    private readonly trust: TrustGate,
    private readonly recorder: ExchangeRecorder,
    private readonly tokens: OAuthTokens,
  ) {
    this.openapi = new EditorOpenApi(settings);
    // Send defaults and whether scripts run live in each runner's settings; new settings or trust need new runners.
    this.subscription = vscode.Disposable.from(
      settings.onDidChange(() => this.runners.clear()),
      trust.onDidGrant(() => this.runners.clear()),
    );
  }

  /** Whether a request was sent in this window, so "Rerun" has something to do. */
  get hasLast(): boolean {
    return this.last !== undefined;
  }

  /** Sends what `target` selects in `document`; resolves to every exchange, in the order sent (empty when nothing was sent). */
  async send(document: vscode.TextDocument, target: SendTarget): Promise<readonly Exchange[]> {
    let located: Located;
    // Parsed once here; the runner and the environment reuse this tree instead of parsing again.
    const parsed = parse(document.getText());
    if (target.kind === 'line') {
      const found = locate(parsed, target.line);
      if (found === undefined) {
        void vscode.window.showInformationMessage(`Courier: there is no request at line ${target.line + 1} of ${path.basename(document.uri.path)}. Put the cursor inside a request block.`);
        return [];
      }
      located = found;
    } else {
      if (parsed.requests.length === 0 && compositionLines(parsed).every((runLine) => runLine.kind === 'import')) {
        void vscode.window.showInformationMessage(`Courier: ${path.basename(document.uri.path)} holds no requests to send.`);
        return [];
      }
      located = { line: 0, title: `all requests of ${path.basename(document.uri.path)}` };
    }
    if (!(await this.trust.allowSend(located.title))) return [];
    // Without an active environment the env files are read first, to know whether to ask for one.
    const file = filePathOf(document);
    const files = this.environments.active === undefined ? readEnvironmentFiles(file, searchRootOf(vscode.Uri.file(file))) : undefined;
    if (files !== undefined && !(await this.environmentIfNeeded(parsed, target, located, files))) {
      vscode.window.setStatusBarMessage(`Courier: ${located.title} was not sent: no environment was chosen`, 5000);
      return [];
    }
    this.last = { uri: document.uri, target };
    return this.run(document, target, located, parsed, files);
  }

  /**
   * With no environment active, asks for one when what `target` sends reads variables only
   * environments define (a first run, before anyone chose one), and makes the answer active.
   * False when the question was dismissed: then nothing is sent.
   */
  private async environmentIfNeeded(parsed: HttpDocument, target: SendTarget, located: Located, files: EnvironmentFiles): Promise<boolean> {
    const loaded = chooseEnvironment(files, undefined);
    const settings = this.settings.value;
    const settingsNames = [...settings.environments.keys()].filter((name) => name !== '$shared' && !loaded.names.includes(name));
    const names = [...loaded.names, ...settingsNames];
    if (names.length === 0) return true;
    const fileVariables = new Set(parsed.variables.map((variable) => variable.name.text));
    const globals = await this.sessions.session(undefined).then((session) => session.state.get(scriptGlobals), () => undefined);
    const definedIn = environmentsDefiningWithSettings(loaded.definedInEnvironments ?? new Map(), (name) => loaded.variables.has(name), settings.environments, names);
    const requests = target.kind === 'all' ? parsed.requests : [findRequestAtLine(parsed, located.line)].filter((request) => request !== undefined);
    const need = environmentNeed(parsed, requests, {
      names,
      definedIn,
      shared: loaded.variables,
      definedWithout: (name) => fileVariables.has(name) || loaded.variables.has(name) || settings.environments.get('$shared')?.has(name) === true || globals?.has(name) === true,
    });
    return need === undefined || (await this.environments.askFor(need, located.title)) !== undefined;
  }

  /** Sends the last request again, from its document's current text. */
  async rerun(): Promise<readonly Exchange[]> {
    const last = this.last;
    if (last === undefined) {
      void vscode.window.showInformationMessage('Courier: no request was sent in this window yet. Send one with Courier: Send Request (Ctrl+Alt+R).');
      return [];
    }
    const document = await vscode.workspace.openTextDocument(last.uri);
    return this.send(document, last.target);
  }

  /** Cancels the request on `line` of `uri`, or every running request; resolves to how many were cancelled. */
  cancel(uri?: string, line?: number): number {
    const targets = uri === undefined ? this.running.all : this.running.all.filter((request) => request.uri === uri && (line === undefined || request.line === line));
    for (const request of targets) request.controller.abort();
    return targets.length;
  }

  /** Sends what `target` selects; `filesRead` are the env files when `send` read them already. */
  private async run(document: vscode.TextDocument, target: SendTarget, located: Located, parsed: HttpDocument, filesRead?: EnvironmentFiles): Promise<readonly Exchange[]> {
    const settings = this.settings.value;
    const environment = this.environments.active;
    const file = filePathOf(document);
    const entry = await this.runnerFor(environment, file, parsed, settings, filesRead);
    const controller = new AbortController();
    const uri = document.uri.toString();
    const { finish } = this.running.start(uri, located.line, located.title, controller);
    const selection: Selection = target.kind === 'all' ? { kind: 'all' } : { kind: 'line', line: located.line + 1 };
    const resend = (): void => void this.send(document, target);
    const copyAsCurl = (): void => void vscode.commands.executeCommand('courier.copyAsCurl', document.uri, { line: located.line, character: 0 });
    const panelOptions = { reuse: settings.responsePanelReuse, maxBodyBytesInPanel: settings.responsePanelMaxBodyBytes, onResend: resend, onCopyAsCurl: copyAsCurl };
    const pendingPanel = this.panels.showPending(located.title, { reuse: settings.responsePanelReuse, onCancel: () => controller.abort() });
    const lives = new WeakMap<Exchange, LiveStream>();
    this.watches.set(controller.signal, {
      observe: (request) => this.observeLive(request, pendingPanel, settings.responsePanelReuse, (exchange, live) => lives.set(exchange, live)),
      interactive: target.kind === 'line' && target.unattended !== true ? { file, line: located.line + 1 } : undefined,
    });
    const show = (exchange: Exchange): void => void this.panels.show(exchange, panelOptions, lives.get(exchange));
    const status = vscode.window.setStatusBarMessage(`$(sync~spin) Courier: sending ${located.title}…`);
    const done = new Promise<void>((resolve) => controller.signal.addEventListener('abort', () => resolve(), { once: true }));
    let finished = (): void => undefined;
    const ended = new Promise<void>((resolve) => (finished = resolve));
    const notify = setTimeout(() => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Courier: sending ${located.title}`, cancellable: true }, async (_progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        await Promise.race([ended, done]);
      });
    }, notifyAfterMs);
    const exchanges: Exchange[] = [];
    /** `>> file` saves, started as each exchange arrives; they never reject. */
    const saves: Promise<unknown>[] = [];
    const files = entry.environment.files;
    let privateValues: readonly string[] | undefined;
    // Script globals are kept out of the history like private environment values: a handler's token is one.
    const globals = await this.sessions.session(environment).then((session) => session.state.get(scriptGlobals), () => undefined);
    const context: RecordContext = {
      file,
      environment,
      privateValues: () => [...(privateValues ??= privateEnvironmentValuesOf(files, environment)), ...(globals?.values() ?? []), ...this.tokens.secrets()],
      oauthSecrets: () => this.tokens.secrets(),
    };
    /** Ends the request's progress: the lens reads "Send Request" again as soon as the exchange is done, before anything is shown. */
    const settle = (): void => {
      clearTimeout(notify);
      finished();
      status.dispose();
      finish();
    };
    try {
      await entry.runner.run({ path: file, document: parsed }, selection, controller.signal, (exchange, details) => {
        exchanges.push(exchange);
        if (details.saveTo !== undefined) saves.push(saveRedirectedBody(exchange, details.saveTo));
        // With "send all" every exchange shows as it arrives; a single request shows once, after its dependencies.
        if (target.kind === 'all') {
          if (exchange.origin.save === true) saves.push(this.saveOrShow(exchange, () => show(exchange)));
          else show(exchange);
          this.recorder.record(exchange, context);
        }
      });
      settle();
      const shown = exchanges.at(-1);
      if (target.kind === 'line' && shown !== undefined) {
        if (shown.origin.save === true) saves.push(this.saveOrShow(shown, () => show(shown)));
        else show(shown);
      }
      // The history never delays the panel: it records once the panel has its exchange.
      if (target.kind === 'line') for (const exchange of exchanges) this.recorder.record(exchange, context);
      if (exchanges.length === 0) void vscode.window.showInformationMessage(`Courier: nothing was sent for ${located.title}.`);
      // The command resolves once the bodies are on disk, so whoever sent can read them.
      await Promise.all(saves);
    } catch (error) {
      void vscode.window.showErrorMessage(`Courier: sending ${located.title} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      settle();
      this.sessions.notifyChanged();
    }
    return exchanges;
  }

  /**
   * Watches one exchange: when its response turns out to be a stream, the panel shows its head and
   * a live table at once, and each message as it comes; `sent` hands the exchange its live stream.
   */
  private observeLive(request: PreparedRequest, panel: ResponsePanel, reuse: boolean, sent: (exchange: Exchange, live: LiveStream) => void): ReturnType<RunWatch['observe']> {
    const started = performance.now();
    let head: ResponseHead | undefined;
    let live: LiveStream | undefined;
    const observer: ExchangeObserver = {
      onResponseHead: (received) => (head = received),
      onStreamOpen: (control) => {
        const opened = head ?? { status: 0, statusText: '', httpVersion: '1.1', headers: [] };
        const title = panelTitle({ origin: request.origin, request: { ...request, bodySize: 0 }, response: opened, error: undefined });
        live = this.panels.openLive(panel, reuse, liveExchangeView(request, opened, control.protocol, performance.now() - started, title), control);
      },
      onMessage: (message) => live?.feed.add(message),
    };
    return {
      observer,
      sent: (exchange) => {
        if (live !== undefined) sent(exchange, live);
      },
    };
  }

  /**
   * httpYac's `# @save`: the body goes where the user says, without the panel; a cancelled dialog,
   * or an exchange without a body, shows the panel as usual. Never rejects: a failure is shown.
   */
  private async saveOrShow(exchange: Exchange, show: () => void): Promise<void> {
    const body = exchange.response?.body;
    const target = body === undefined ? undefined : await askWhereToSaveBody(exchange);
    if (body === undefined || target === undefined) {
      show();
      return;
    }
    try {
      const saved = await saveBodyTo(exchange, body, target);
      vscode.window.setStatusBarMessage(`Courier: response body saved to ${saved.fsPath} (# @save)`, 5000);
    } catch (error) {
      void vscode.window.showErrorMessage(`Courier: saving the response body failed: ${error instanceof Error ? error.message : String(error)}`);
      show();
    }
  }

  /**
   * The request at `line` (0-based) of `document` prepared with the active environment, for "Copy as cURL":
   * other requests' responses come from what this window's runner remembers; nothing is sent.
   */
  async prepareAt(document: vscode.TextDocument, line: number): Promise<Preparation> {
    const file = filePathOf(document);
    const parsed = parse(document.getText());
    const settings = this.settings.value;
    const result = await (await this.runnerFor(this.environments.active, file, parsed, settings)).runner.prepare({ path: file, document: parsed }, line + 1);
    return 'problem' in result ? result : { prepared: withDefaultHeaders(result.prepared, settings.defaultHeaders) };
  }

  /** One runner per environment and file: named requests are remembered per file and environment, script globals per environment (in its session). */
  private async runnerFor(environment: string | undefined, file: string, parsed: HttpDocument, settings: CourierSettings, filesRead?: EnvironmentFiles): Promise<RunnerEntry> {
    const key = `${environment ?? ''}\n${file}`;
    const searchRoot = searchRootOf(vscode.Uri.file(file));
    // The one read of the env files for this send; the runner takes it through `loadedEnvironment`.
    const { files, loaded, fileEnvironment } = loadEnvironmentForSend(file, environment, searchRoot, filesRead);
    const fileVariables = new Set(parsed.variables.map((variable) => variable.name.text));
    // An environment only settings define still gets the files' `$shared` variables.
    const overrides = settingsVariables(settings.environments, environment, (name) => loaded.variables.has(name) || fileVariables.has(name));
    let entry = this.runners.get(key);
    if (entry === undefined || entry.fileEnvironment !== fileEnvironment) {
      // Script globals live in the environment's session, beside its cookies: every file's runner
      // shares them. A session that cannot open fails the send itself, with its reason.
      const state = await this.sessions.session(environment).then((session) => session.state, () => undefined);
      const sender: RequestSender = {
        send: async (request, signal, observer) => {
          const session = await this.sessions.session(environment);
          const run = signal === undefined ? undefined : this.watches.get(signal);
          const watch = run?.observe(request);
          const interactive = run?.interactive !== undefined && request.origin.file === run.interactive.file && request.origin.line === run.interactive.line;
          const sent = interactive ? { ...request, options: { ...request.options, keepStreamOpen: true } } : request;
          const exchange = await session.send(withDefaultHeaders(sent, this.settings.value.defaultHeaders), signal, bothObservers(observer, watch?.observer));
          watch?.sent(exchange);
          return exchange;
        },
        ...(state === undefined ? {} : { state }),
      };
      const loadedForRun = { current: loaded, files };
      const runSettings: RunSettings = {
        environment: fileEnvironment,
        overrides: new Map(),
        defaults: sendDefaults(settings, searchRoot),
        searchRoot,
        loadedEnvironment: () => loadedForRun.current,
        prompt: askPrompt,
        confirm: confirmNote,
        scripts: scriptSettings(this.trust.scripts(), this.sandbox, Math.round(settings.scriptsTimeoutSeconds * 1000)),
        environmentAdvice: (name) => `select ${name} with the environment in the status bar or Courier: Switch Environment`,
        // `{{$auth.token("id")}}`: the window's tokens, kept in SecretStorage.
        variableSources: [new OAuthTokenSource(this.tokens)],
        ...openApiSettings(this.openapi.validationFor(searchRoot)),
      };
      entry = { runner: new Runner(sender, runSettings), fileEnvironment, overrides: runSettings.overrides as Map<string, string>, environment: loadedForRun };
      this.runners.set(key, entry);
    }
    entry.environment.current = loaded;
    entry.environment.files = files;
    entry.overrides.clear();
    for (const [name, value] of overrides) entry.overrides.set(name, value);
    return entry;
  }

  dispose(): void {
    this.subscription.dispose();
    this.runners.clear();
    void this.sandbox.close();
  }
}

function openApiSettings(validation: RunSettings['openapi']): Pick<RunSettings, 'openapi'> {
  return validation === undefined ? {} : { openapi: validation };
}

/** How runners treat scripts: in the window's sandbox within `courier.scripts.timeout`, or (an untrusted workspace) not at all, each reported as skipped with the reason. */
function scriptSettings(permission: ScriptPermission, sandbox: ScriptSandbox, timeoutMs: number): RunSettings['scripts'] {
  return permission.run ? { sandbox, timeoutMs } : { sandbox, timeoutMs, skipReason: permission.reason };
}

/** The request whose block holds the 0-based `line`, with the line of its request line and its title. */
function locate(parsed: HttpDocument, line: number): Located | undefined {
  // A `run #Name` or `run ./file.http` line runs what it names (the runner reads the other files).
  const runLine = compositionLines(parsed).find((candidate) => candidate.kind !== 'import' && offsetToPosition(parsed, candidate.start).line === line);
  if (runLine !== undefined) return { line, title: parsed.text.slice(runLine.start, runLine.end) };
  const request = findRequestAtLine(parsed, line);
  if (request === undefined) return undefined;
  return { line: offsetToPosition(parsed, request.start).line, title: request.name?.text ?? `${request.methodName} ${request.target.text}` };
}


/** Headers of `courier.defaultHeaders` the request does not set itself. */
function withDefaultHeaders(request: PreparedRequest, defaults: CourierSettings['defaultHeaders']): PreparedRequest {
  const present = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const missing = defaults.filter(([name]) => !present.has(name.toLowerCase()));
  return missing.length === 0 ? request : { ...request, headers: [...request.headers, ...missing] };
}

function sendDefaults(settings: CourierSettings, workspaceFolder: string | undefined): RunSettings['defaults'] {
  // `courier.grpc.protoImportPaths` may be relative: to the workspace folder of the file sent.
  const protoImportPaths = settings.grpcProtoImportPaths.map((dir) => (path.isAbsolute(dir) || workspaceFolder === undefined ? dir : path.join(workspaceFolder, dir)));
  return { followRedirects: settings.followRedirects, maxRedirects: settings.maxRedirects, timeoutMs: settings.timeoutMs, protoImportPaths };
}

/** The path env files and relative bodies are found from; an untitled document acts as if saved in the first workspace folder. */
function filePathOf(document: vscode.TextDocument): string {
  if (document.uri.scheme === 'file') return document.uri.fsPath;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? os.homedir();
  return path.join(folder, `${path.basename(document.uri.path) || 'untitled'}.http`);
}

function searchRootOf(uri: vscode.Uri): string | undefined {
  return (vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath;
}

async function askPrompt(question: PromptQuestion): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Courier: value for ${question.name}`,
    prompt: question.description ?? `Value of {{${question.name}}} for this request`,
    password: question.secret,
    ignoreFocusOut: true,
  });
}

async function confirmNote(note: string): Promise<boolean> {
  const answer = await vscode.window.showWarningMessage(note, { modal: true, detail: 'This request is marked with # @note: confirm before it is sent.' }, 'Send');
  return answer === 'Send';
}
