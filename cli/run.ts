// `courier run`: reads and checks the files, opens one session for all of them,
// runs each file's selected requests through the engine's runner, saves bodies,
// reports every exchange and decides the exit code.

import { resolve } from 'node:path';
import { loadEnvironment } from '../engine/environments';
import type { Exchange, ExchangeObserver, PreparedRequest, ResponseBody, StreamControl, StreamMessage } from '../engine/model';
import { OAuthTokens } from '../engine/oauth/oauthTokens';
import { OAuthTokenSource } from '../engine/oauth/tokenSource';
import { FileTokenStore, MemoryTokenStore } from '../engine/oauth/tokenStore';
import { SpecCatalog } from '../engine/openapi/specCatalog';
import { OpenApiSpecError } from '../engine/openapi/specLoader';
import { redactExchange, redactText } from '../engine/redaction';
import { Runner, type RunSettings, type SaveTarget } from '../engine/runner';
import { Session } from '../engine/session';
import type { RunOptions } from './arguments';
import { terminalAuthInteraction } from './authInteraction';
import { askHidden, type TerminalInput } from './terminalPrompt';
import { displayPath, InputError, planRun, readHttpFiles, type HttpFile, type PlannedFile } from './documents';
import { BatchedWriter } from './liveOutput';
import { OutputTarget, saveBody } from './output';
import { Progress, type ProgressStream } from './progress';
import { createReporter } from './reporters/create';
import type { LiveRequest, ReportedExchange, Reporter, RunSummary } from './reporters/reporter';
import { createStyle, shouldColour } from './style';
import { ExitCode, exitCodeFor, judge, type Verdict } from './verdict';

export { InputError };

/** The process around a run, injectable so it can be driven without a real terminal. */
export interface CliIo {
  readonly stdout: ProgressStream;
  readonly stderr: ProgressStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Where questions are answered when it is a terminal (`process.stdin`). */
  readonly stdin?: TerminalInput;
}

/** Runs the command; throws `InputError` for problems found before sending (exit 2). */
export async function runRequests(options: RunOptions, io: CliIo): Promise<ExitCode> {
  const startedAt = performance.now();
  const files = await readHttpFiles(options.files, io.cwd);
  const plan = planRun(files, options.selection, options.diagnosticSeverities);
  checkEnvironments(plan, options.environment, io.cwd);

  const stderrStyle = createStyle(shouldColour(io.env, io.stderr.isTTY === true));
  const warn = (message: string) => io.stderr.write(`${stderrStyle.yellow(`warning: ${message}`)}\n`);
  for (const warning of plan.flatMap((planned) => planned.warnings)) warn(`${warning} (not sent in this run)`);
  for (const file of files) if (file.document.requests.length === 0) warn(`${file.display} has no requests: nothing to send from it`);
  if (options.insecure) warn('TLS certificate verification is disabled (--insecure): responses could come from anyone');

  const openapi = await openApiCatalog(options, io.cwd, warn);

  const progress = new Progress(io.stderr, io.stderr.isTTY === true);
  // Set when stdout's reader went away (`courier run ... | head`): the run stops, writing nothing more.
  let outputClosed = false;
  // A stream's messages are written a turn of the event loop at a time; the report's own lines
  // write what was gathered first, so the order is kept.
  const live = new BatchedWriter((text) => {
    progress.clear();
    if (!outputClosed) io.stdout.write(text);
  });
  // The indicator shares the terminal with the report: erase it before each write.
  const write = (text: string) => {
    live.flush();
    progress.clear();
    if (!outputClosed) io.stdout.write(text);
  };
  const reporter = createReporter(options.reporter, write, {
    style: createStyle(shouldColour(io.env, io.stdout.isTTY === true)),
    verbose: options.verbose,
    writeLive: (text) => live.write(text),
  });
  const output = options.output === undefined ? undefined : await OutputTarget.for(options.output, io.cwd);

  const session = await Session.open({ cookieJarFile: options.cookieJar === undefined ? undefined : resolve(io.cwd, options.cookieJar) }).catch((error: unknown) => {
    throw new InputError(`cannot start: ${error instanceof Error ? error.message : String(error)}`);
  });
  for (const warning of session.warnings) warn(warning);

  // OAuth tokens live for the run, or in --token-store between runs; the Auth log shows with --verbose.
  const tokens = new OAuthTokens({
    store: options.tokenStore === undefined ? new MemoryTokenStore() : new FileTokenStore(resolve(io.cwd, options.tokenStore)),
    interaction: terminalAuthInteraction(io.stderr, stderrStyle, options.interactive),
    ...(options.verbose ? { log: (line: string) => io.stderr.write(`${stderrStyle.dim(`auth: ${line}`)}\n`) } : {}),
  });
  // Streams open now, which Ctrl+C stops (as `stopped`) rather than abandoning the run mid-stream.
  const openStreams = new Set<StreamControl>();
  let currentFile: HttpFile | undefined;
  const runner = new Runner(session, {
    observe: (request) => streamObserver(request, reporter, openStreams, () => tokens.secrets(), (file) => (file === undefined || file === currentFile?.path ? (currentFile?.display ?? '') : displayPath(file, io.cwd))),
    environment: options.environment,
    overrides: options.variables,
    defaults: { timeoutMs: options.timeoutMs, insecure: options.insecure, ...(options.protoImportPaths.length === 0 ? {} : { protoImportPaths: options.protoImportPaths }) },
    searchRoot: io.cwd,
    scripts: options.scriptTimeoutMs === undefined ? {} : { timeoutMs: options.scriptTimeoutMs },
    variableSources: [new OAuthTokenSource(tokens)],
    ...(openapi === undefined ? {} : { openapi: openapi.validation() }),
    ...certificatePassphraseAnswer(options.certificatePassphrase, options.interactive, io, progress),
  });
  const stop = new AbortController();
  const results: ReportedExchange[] = [];
  // Saving is asynchronous: while a save is pending, later exchanges queue behind it so reports keep the order of completion.
  let queue = Promise.resolve();
  let pendingSaves = 0;
  let stoppedBy: RunSummary['stoppedBy'];

  const report = (sent: Exchange, file: HttpFile, verdict: Verdict, savedTo: readonly string[]) => {
    // Tokens and OAuth secrets this run has seen never reach a report.
    const secrets = tokens.secrets();
    const exchange = secrets.length === 0 ? sent : redactExchange(sent, { secrets });
    // A request of another file (`run ./other.http`, `import`, `# @ref`) is shown with its own file.
    const origin = exchange.origin.file;
    const shown = origin === undefined || origin === file.path ? file.display : displayPath(origin, io.cwd);
    const result: ReportedExchange = { exchange, verdict, file: shown, savedTo };
    results.push(result);
    reporter.exchange(result);
  };

  const deliver = (exchange: Exchange, file: HttpFile, saveTo: SaveTarget | { readonly problem: string } | undefined) => {
    deliverOne(exchange, file, saveTo);
    // Ctrl+C stopped this stream: it is reported like any other, and nothing after it is sent.
    if (stoppedBy === 'stream-stopped') stop.abort();
  };

  const deliverOne = (exchange: Exchange, file: HttpFile, saveTo: SaveTarget | { readonly problem: string } | undefined) => {
    // After --bail fired, whatever the runner still hands back was cut short by us: not a result.
    if (stop.signal.aborted) return;
    // Requests are sent one at a time: whatever stream was open has ended with this exchange.
    openStreams.clear();
    const verdict = judge(exchange, options.fail);
    if (verdict.failed && options.bail) {
      stoppedBy = 'bail';
      stop.abort();
    }
    // The next request is already on its way; naming the last one would mislead, so name the file.
    progress.advance(results.length + pendingSaves + 1, file.display);
    const { response } = exchange;
    if (response === undefined || (output === undefined && saveTo === undefined)) {
      if (pendingSaves === 0) report(exchange, file, verdict, []);
      else queue = queue.then(() => report(exchange, file, verdict, []));
      return;
    }
    pendingSaves += 1;
    queue = queue.then(async () => {
      const { savedTo, problem } = await saveBodies(exchange, response.body, saveTo, output, io.cwd);
      pendingSaves -= 1;
      report(exchange, file, problem === undefined ? verdict : { ok: verdict.ok, failed: true, reason: problem }, savedTo);
    });
  };

  // Ctrl+C stops sending but still reports what completed and closes the session (which saves the
  // cookie jar). During a stream it ends the stream as `stopped`, a normal end that is reported with
  // the run's usual exit code. Another Ctrl+C meets Node's default handler, which ends the process.
  const interrupt = () => {
    if (openStreams.size > 0 && stoppedBy === undefined) {
      stoppedBy = 'stream-stopped';
      for (const control of openStreams) control.stop();
      openStreams.clear();
      return;
    }
    stoppedBy ??= 'interrupt';
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  // An endless stream piped into `head` ends when head does, as a program does on SIGPIPE: stopped, not crashed.
  const outputGone = (error: Error) => {
    if (outputClosed) return;
    outputClosed = true;
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') warn(`cannot write the report: ${error.message}`);
    for (const control of openStreams) control.stop();
    openStreams.clear();
    stoppedBy ??= 'interrupt';
    stop.abort();
  };
  io.stdout.on?.('error', outputGone);
  progress.start();
  try {
    for (const planned of plan) {
      if (stop.signal.aborted) break;
      currentFile = planned.file;
      progress.advance(results.length, planned.file.display);
      // The file is already parsed (to check its syntax): the runner uses that tree rather than parsing again.
      await runner.run({ path: planned.file.path, document: planned.file.document }, planned.selection, stop.signal, (exchange, details) => deliver(exchange, planned.file, details.saveTo));
    }
    await queue;
  } finally {
    process.off('SIGINT', interrupt);
    io.stdout.off?.('error', outputGone);
    live.flush();
    progress.stop();
    // Closing deletes the engine's temp files, so it comes after every body is saved.
    await session.close();
    await runner.close();
  }
  reporter.finish({ results, durationMs: performance.now() - startedAt, stoppedBy });
  return stoppedBy === 'interrupt' ? ExitCode.Interrupted : exitCodeFor(results.map((result) => result.verdict));
}

/**
 * Tells the reporter of a request's stream as it happens: when it opens and each message (with the
 * run's OAuth secrets redacted, as in reports). The same for every protocol: SSE, NDJSON, WebSocket, gRPC.
 */
function streamObserver(request: PreparedRequest, reporter: Reporter, openStreams: Set<StreamControl>, secrets: () => readonly string[], shownFile: (file: string | undefined) => string): ExchangeObserver {
  const live: LiveRequest = { file: shownFile(request.origin.file), origin: request.origin, method: request.method, url: request.url };
  return {
    onStreamOpen: (control) => {
      openStreams.add(control);
      reporter.streamOpened?.(live, control.protocol);
    },
    onMessage: (message) => {
      const hidden = secrets();
      reporter.message?.(live, hidden.length === 0 || typeof message.data !== 'string' ? message : redactedMessage(message, hidden));
    },
  };
}

function redactedMessage(message: StreamMessage, secrets: readonly string[]): StreamMessage {
  return { ...message, data: redactText(message.data as string, secrets) };
}

/**
 * How the passphrase of an environment's client certificate key is answered: `--cert-passphrase`,
 * else on the terminal (not with `--no-interactive`), else not at all (the request says what to pass).
 */
function certificatePassphraseAnswer(given: string | undefined, interactive: boolean, io: CliIo, progress: Progress): Pick<RunSettings, 'certificatePassphrase'> {
  if (given !== undefined) return { certificatePassphrase: () => Promise.resolve(given) };
  const stdin = io.stdin;
  if (!interactive || stdin?.isTTY !== true || io.stderr.isTTY !== true) return {};
  return {
    certificatePassphrase: async (question) => {
      // The spinner would draw over the question.
      progress.stop();
      try {
        return await askHidden(stdin, io.stderr, `${question.description ?? question.name}: `);
      } finally {
        progress.start();
      }
    },
  };
}

/**
 * The specs responses are checked against: those `--openapi` names, read before anything is sent
 * (one that cannot be read is bad input), else those found near each file; none with `--no-openapi`.
 */
async function openApiCatalog(options: RunOptions, cwd: string, warn: (message: string) => void): Promise<SpecCatalog | undefined> {
  if (!options.openapi.enabled) return undefined;
  const catalog = new SpecCatalog({ files: options.openapi.files, discover: true, root: cwd, warn });
  try {
    await catalog.loadNamed();
  } catch (error) {
    if (error instanceof OpenApiSpecError) throw new InputError(`--openapi ${displayPath(error.file, cwd)}${error.line === undefined ? '' : `:${error.line}`}: ${error.message}`);
    throw error;
  }
  return catalog;
}

/** An unknown `--env` or a malformed env file is bad input, reported before anything is sent. */
function checkEnvironments(plan: readonly PlannedFile[], environment: string | undefined, cwd: string): void {
  for (const { file } of plan) {
    const loaded = loadEnvironment(file.path, environment, cwd);
    if (loaded.error !== undefined) throw new InputError(`${file.display}: ${loaded.error.message}`);
  }
}

/** Saves the body where `>>`/`>>!` and `--output` say; a failure to save fails the request. */
async function saveBodies(
  exchange: Exchange,
  body: ResponseBody,
  saveTo: SaveTarget | { readonly problem: string } | undefined,
  output: OutputTarget | undefined,
  cwd: string,
): Promise<{ savedTo: string[]; problem: string | undefined }> {
  const savedTo: string[] = [];
  try {
    if (saveTo !== undefined && 'problem' in saveTo) throw new Error(saveTo.problem);
    if (saveTo !== undefined) savedTo.push(await saveBody(body, saveTo.path, saveTo.overwrite ? 'overwrite' : 'new-name'));
    if (output !== undefined) savedTo.push(await saveBody(body, await output.fileFor(exchange, body), 'overwrite'));
    return { savedTo: savedTo.map((path) => displayPath(path, cwd)), problem: undefined };
  } catch (error) {
    return { savedTo: savedTo.map((path) => displayPath(path, cwd)), problem: `could not save the response body: ${error instanceof Error ? error.message : String(error)}` };
  }
}
