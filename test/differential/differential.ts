// The differential run: the CLI of a base commit and of the head (this checkout by default) send
// the same documents, a recording server keeps the exact bytes each one sent, and every request
// is compared. See README.md in this folder.
//   npm run differential -- [--base REV] [--head REV|DIR] [--documents N] [--seed N] [--only samples|generated] [--strict] [--no-build] [--keep]
// Exit code: 0 no unexpected difference, 1 an unexpected difference, 2 the run could not be made.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { documentIndexOf, generatedOrigins, generatedRequestId, sampleOrigins } from './attribution';
import { type Build, prepareBuild } from './builds';
import { type ComparableRequest, compareRequests } from './compare';
import { expectedFor } from './expectedDifferences';
import { type GeneratedDocument, type GeneratedWorkspace, type RequestTag, generateWorkspace } from './generator';
import { normaliseRequest, requestFields } from './normalise';
import { type CliRun, cliTimeoutMs, fixedSourcesPath, reportedRequests, runCli, startDemoApi } from './processes';
import { type RecordedRequest, Recorder } from './recorder';
import { Report, type TaggedComparison, runDifference } from './report';
import { parse } from '../../language/parser';

/** The commit before issue 12's work. */
const defaultBase = '1804f58';

interface Options {
  readonly base: string;
  readonly head: string;
  readonly documents: number;
  readonly seed: number;
  readonly batch: number;
  readonly only: 'all' | 'samples' | 'generated';
  readonly strict: boolean;
  readonly build: boolean;
  readonly keep: boolean;
}

const usage = `Usage: npm run differential -- [options]
  --base REV          commit (or checkout folder) of the old CLI (default ${defaultBase})
  --head REV|DIR      the new CLI: a commit or a checkout folder (default: this checkout)
  --documents N       generated documents (default 300)
  --seed N            seed of the generated documents (default 12)
  --batch N           generated documents per CLI process (default 25)
  --only WHAT         samples or generated (default: both)
  --strict            expected differences fail the run too
  --no-build          use folders' dist/ as they are (e.g. a scratch copy with a planted bug)
  --keep              keep the temporary folder (worktrees, generated documents)`;

class UsageError extends Error {}

function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      base: { type: 'string' },
      head: { type: 'string' },
      documents: { type: 'string' },
      seed: { type: 'string' },
      batch: { type: 'string' },
      only: { type: 'string' },
      strict: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help === true) throw new UsageError('');
  const count = (name: string, value: string | undefined, fallback: number, minimum: number): number => {
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < minimum) throw new UsageError(`--${name} takes a whole number from ${minimum}, not '${value}'`);
    return Number(value);
  };
  const only = values.only ?? 'all';
  if (only !== 'all' && only !== 'samples' && only !== 'generated') throw new UsageError(`--only takes samples or generated, not '${only}'`);
  return {
    base: values.base ?? defaultBase,
    head: values.head ?? '.',
    documents: count('documents', values.documents, 300, 0),
    seed: count('seed', values.seed, 12, 0),
    batch: count('batch', values.batch, 25, 1),
    only,
    strict: values.strict === true,
    build: values['no-build'] !== true,
    keep: values.keep === true,
  };
}

/** What one side of one CLI run sent. */
interface SideRun {
  readonly run: CliRun;
  readonly recorded: readonly RecordedRequest[];
}

const progress = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message === '' ? '' : `differential: ${message}\n\n`}${usage}\n`);
    return 2;
  }
  const repository = process.cwd();
  const temporaryRoot = mkdtempSync(join(tmpdir(), 'courier-differential-'));
  // Also after a crash or Ctrl+C; builds.ts's own exit listener, registered first, removes the worktrees.
  if (!options.keep) process.once('exit', () => rmSync(temporaryRoot, { recursive: true, force: true }));
  const builds: Build[] = [];
  let recorder: Recorder | undefined;
  try {
    const buildOptions = { repository, temporaryRoot, buildDirectories: options.build };
    progress(`building the base (${options.base}) and the head (${options.head})...`);
    const base = await prepareBuild('base', options.base, buildOptions);
    builds.push(base);
    const head = await prepareBuild('head', options.head, buildOptions);
    builds.push(head);
    // The test suite's certificate for localhost and 127.0.0.1 (test/fixtures/tls/README.md).
    const tls = join(repository, 'test', 'fixtures', 'tls');
    recorder = await Recorder.start({ key: readFileSync(join(tls, 'server.key')), cert: readFileSync(join(tls, 'server.pem')) });
    const context: RunContext = {
      base,
      head,
      recorder,
      report: new Report((text) => process.stdout.write(text), options.strict),
      preload: fixedSourcesPath(repository),
      // Whole seconds: a date written without milliseconds reads the same.
      now: Math.floor(Date.now() / 1000) * 1000,
      outputFolder: join(temporaryRoot, 'runs'),
    };
    mkdirSync(context.outputFolder);
    process.stdout.write(`Courier differential run\n  base  ${base.description}\n  head  ${head.description}\n\n`);
    const started = Date.now();
    if (options.only !== 'generated') await runSamples(context);
    if (options.only !== 'samples') await runGenerated(context, options, temporaryRoot);
    context.report.print();
    const unexpected = context.report.unexpectedCount;
    process.stdout.write(`${unexpected === 0 ? 'No unexpected difference' : `${unexpected} unexpected difference${unexpected === 1 ? '' : 's'}`} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
    return unexpected === 0 ? 0 : 1;
  } catch (error) {
    process.stderr.write(`differential: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  } finally {
    await recorder?.close();
    for (const build of builds) await build.dispose();
    if (options.keep) progress(`kept ${temporaryRoot}`);
  }
}

interface RunContext {
  readonly base: Build;
  readonly head: Build;
  readonly recorder: Recorder;
  readonly report: Report;
  readonly preload: string;
  readonly now: number;
  /** Where each CLI run's json report and stderr are written (kept with --keep). */
  readonly outputFolder: string;
}

function keepOutput(context: RunContext, name: string, run: CliRun): void {
  writeFileSync(join(context.outputFolder, `${name}.jsonl`), run.stdout);
  writeFileSync(join(context.outputFolder, `${name}.stderr`), run.stderr);
}

/** Every `samples/*.http` of the head with `--env local`, against a fresh demo API per run, through the recorder. */
async function runSamples(context: RunContext): Promise<void> {
  const { base, head, recorder, report, preload, now } = context;
  const folder = join(head.root, 'samples');
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.http'))
    .sort();
  for (const file of files) {
    const text = readFileSync(join(folder, file), 'utf8');
    const sides: SideRun[] = [];
    for (const build of [base, head]) {
      const api = await startDemoApi(head.root, preload);
      recorder.begin({ kind: 'proxy', port: api.port });
      const args = [file, '--env', 'local', '--reporter', 'json', '--var', `baseUrl=http://127.0.0.1:${recorder.mainPort}`];
      const run = await runCli(build.root, args, { cwd: folder, now, preload });
      keepOutput(context, `${file}.${build.label}`, run);
      const recorded = await recorder.end();
      await api.stop();
      sides.push({ run, recorded });
    }
    const [old, current] = sides as [SideRun, SideRun];
    if (old.run.exitCode === 2 && current.run.exitCode !== 2 && current.run.exitCode !== null) {
      // Syntax the base did not read yet: nothing to compare, and the head must have run it.
      report.addRunDifference(`samples/${file}: the base cannot read it (exit 2)`, old.run.stderr.trim(), expectedFor(['new-syntax']));
      progress(`samples/${file}: ${current.recorded.length} requests sent by the head; the base could not read the file`);
      continue;
    }
    requireUsable(old, `samples/${file}`);
    const comparable = (side: SideRun): ComparableRequest[] => {
      const origins = sampleOrigins(side.recorded, reportedRequests(side.run.stdout));
      return side.recorded.map((request, index) => toComparable(request, text, `samples/${origins[index] ?? '?'}`));
    };
    // A sample with scripts sends what they set: a base without scripts cannot.
    const tags: RequestTag[] = usesScripts(text) ? ['scripts'] : [];
    const comparisons = compareRequests(comparable(old), comparable(current)).map((comparison) => ({ ...comparison, tags }));
    report.addDocument(`samples/${file}`, comparisons);
    compareExitCodes(report, `samples/${file}`, old, current, comparisons);
    progress(`samples/${file}: ${summarise(comparisons)}`);
  }
}

/** Whether a document has pre-request scripts, response handlers or `??` lines. */
function usesScripts(text: string): boolean {
  return parse(text).requests.some((request) => request.preRequestScripts.length > 0 || request.handlers.length > 0 || request.assertions.length > 0);
}

/** The generated documents, in batches of `--batch` files per CLI process, answered by the recorder. */
async function runGenerated(context: RunContext, options: Options, temporaryRoot: string): Promise<void> {
  const { recorder } = context;
  const workspace = generateWorkspace({ count: options.documents, seed: options.seed, mainPort: recorder.mainPort, otherPort: recorder.otherPort, securePort: recorder.securePort });
  const folder = join(temporaryRoot, 'generated');
  writeWorkspace(folder, workspace);
  for (let start = 0; start < workspace.documents.length; start += options.batch) {
    const batch = workspace.documents.slice(start, start + options.batch);
    const label = `generated ${batch[0]?.fileName ?? ''}..${batch.at(-1)?.fileName ?? ''}`;
    const [old, current] = await runBatch(context, workspace, folder, batch, `generated-${start}`);
    requireUsable(old, label);
    if (current.run.timedOut && batch.length > 1) {
      // A hang would lose every document after the one that hung: report it, then compare the
      // batch one document per CLI process (both sides, so their sessions still match).
      compareExitCodes(context.report, label, old, current, []);
      progress(`${label}: the head CLI hung; comparing these documents one by one`);
      for (const document of batch) {
        const [alone, aloneHead] = await runBatch(context, workspace, folder, [document], `${document.fileName}-alone`);
        requireUsable(alone, document.fileName);
        const comparisons = compareBatch(context.report, workspace, [document], alone, aloneHead);
        compareExitCodes(context.report, document.fileName, alone, aloneHead, comparisons);
        progress(`${document.fileName} alone: ${summarise(comparisons)}`);
      }
      continue;
    }
    const comparisons = compareBatch(context.report, workspace, batch, old, current);
    compareExitCodes(context.report, label, old, current, comparisons);
    progress(`${label}: ${summarise(comparisons)}`);
  }
}

/** One CLI process per side over `batch`, each recorded from a fresh start. */
async function runBatch(context: RunContext, workspace: GeneratedWorkspace, folder: string, batch: readonly GeneratedDocument[], name: string): Promise<[SideRun, SideRun]> {
  const sides: SideRun[] = [];
  for (const build of [context.base, context.head]) {
    context.recorder.begin({ kind: 'answer' });
    const args = [...batch.map((document) => document.fileName), '--env', workspace.environment, '--reporter', 'json'];
    const run = await runCli(build.root, args, { cwd: folder, now: context.now, preload: context.preload, env: workspace.processEnv });
    keepOutput(context, `${name}.${build.label}`, run);
    sides.push({ run, recorded: await context.recorder.end() });
  }
  return sides as [SideRun, SideRun];
}

/** Compares a batch's recordings document by document, reports them, and returns every comparison. */
function compareBatch(report: Report, workspace: GeneratedWorkspace, batch: readonly GeneratedDocument[], old: SideRun, current: SideRun): TaggedComparison[] {
  const oldByDocument = groupByDocument(old.recorded, workspace.documents);
  const currentByDocument = groupByDocument(current.recorded, workspace.documents);
  const tagsOf = (requestLine: string): readonly RequestTag[] => {
    const id = generatedRequestId(requestLine);
    return id === undefined ? [] : (workspace.documents[documentIndexOf(id)]?.requests.find((request) => request.id === id)?.tags ?? []);
  };
  const all: TaggedComparison[] = [];
  for (const index of [...batch.map((document) => workspace.documents.indexOf(document)), -1]) {
    const document = workspace.documents[index];
    const comparisons = compareRequests(oldByDocument.get(index) ?? [], currentByDocument.get(index) ?? []).map((comparison): TaggedComparison => ({
      ...comparison,
      tags: tagsOf((comparison.kind === 'only-head' ? comparison.head : comparison.base).requestLine),
    }));
    if (document === undefined && comparisons.length === 0) continue;
    report.addDocument(document?.fileName ?? 'requests without a document id', comparisons);
    all.push(...comparisons);
  }
  return all;
}

function writeWorkspace(folder: string, workspace: GeneratedWorkspace): void {
  for (const [name, content] of workspace.files) {
    mkdirSync(dirname(join(folder, name)), { recursive: true });
    writeFileSync(join(folder, name), content);
  }
  for (const document of workspace.documents) writeFileSync(join(folder, document.fileName), document.text);
}

/** The recorded requests of a generated batch, by document index (-1: no id in the URL). */
function groupByDocument(recorded: readonly RecordedRequest[], documents: readonly GeneratedDocument[]): Map<number, ComparableRequest[]> {
  const origins = generatedOrigins(recorded, documents);
  const groups = new Map<number, ComparableRequest[]>();
  recorded.forEach((request, position) => {
    const id = generatedRequestId(request.requestLine);
    const index = id === undefined ? -1 : documentIndexOf(id);
    const text = documents[index]?.text ?? '';
    let group = groups.get(index);
    if (group === undefined) groups.set(index, (group = []));
    group.push(toComparable(request, text, origins[position] ?? '?'));
  });
  return groups;
}

function toComparable(request: RecordedRequest, documentText: string, origin: string): ComparableRequest {
  return {
    requestLine: request.requestLine,
    bytes: normaliseRequest(request.raw, documentText),
    fields: requestFields(request, documentText),
    listener: request.listener,
    origin,
  };
}

/** A base run that could not start (exit 2: bad usage or a syntax error) compares nothing: stop with its message. */
function requireUsable(side: SideRun, label: string): void {
  if (side.run.exitCode === 2 || side.run.exitCode === null) {
    const how = side.run.timedOut ? `hung (killed after ${cliTimeoutMs / 1000} s)` : `exited with ${side.run.exitCode ?? 'a signal'}`;
    throw new Error(`${label}: the base CLI ${how}, so there is nothing to compare:\n${side.run.stderr.trim()}`);
  }
}

function compareExitCodes(report: Report, label: string, old: SideRun, current: SideRun, comparisons: readonly TaggedComparison[]): void {
  const difference = runDifference(old.run, current.run, comparisons, cliTimeoutMs);
  if (difference !== undefined) report.addRunDifference(`${label}: ${difference.what}`, difference.detail, difference.expected);
}

function summarise(comparisons: readonly TaggedComparison[]): string {
  const identical = comparisons.filter((comparison) => comparison.kind === 'identical').length;
  return `${comparisons.length} requests, ${identical} identical${identical === comparisons.length ? '' : `, ${comparisons.length - identical} not`}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`differential: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
