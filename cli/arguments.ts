// Command-line arguments to a typed command. Everything a user can get wrong is
// caught here and reported as a `UsageError` (exit code 2) before any file is read.

import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { parseSeverityAssignment, type SeverityLevel, type SeverityOverrides } from '../language/diagnosticSeverity';

export type ReporterName = 'pretty' | 'json' | 'junit';
const reporterNames: readonly ReporterName[] = ['pretty', 'json', 'junit'];

/** Which requests of the files to run. `line` is 1-based. */
export type RequestSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'names'; readonly names: readonly string[] }
  | { readonly kind: 'line'; readonly line: number };

export interface RunOptions {
  readonly files: readonly string[];
  readonly selection: RequestSelection;
  readonly environment: string | undefined;
  /** `--var key=value`, later ones win. */
  readonly variables: ReadonlyMap<string, string>;
  readonly reporter: ReporterName;
  readonly output: string | undefined;
  readonly fail: boolean;
  readonly bail: boolean;
  readonly insecure: boolean;
  /** `--cert-passphrase`: answers the passphrase question of an environment's client certificate key. */
  readonly certificatePassphrase: string | undefined;
  readonly timeoutMs: number | undefined;
  /** `--script-timeout SECONDS`: time allowed each pre-request script and response handler. */
  readonly scriptTimeoutMs: number | undefined;
  readonly cookieJar: string | undefined;
  /** `--token-store FILE`: OAuth tokens kept in FILE between runs (owner-only); in memory for the run without it. */
  readonly tokenStore: string | undefined;
  /** False with `--no-interactive` (or in CI): an OAuth grant that needs a browser or a device code fails instead of waiting. */
  readonly interactive: boolean;
  readonly verbose: boolean;
  /** `--diagnostic-severity CODE=LEVEL`, later ones win: what a problem code counts as before sending. */
  readonly diagnosticSeverities: SeverityOverrides;
  /** Responses checked against OpenAPI specs: `--openapi FILE` (repeatable), else the spec found near each file; `--no-openapi` turns it off. */
  readonly openapi: { readonly enabled: boolean; readonly files: readonly string[] };
  /** `--proto-path DIR` (repeatable): where imports of `# @proto` files are looked up, absolute. */
  readonly protoImportPaths: readonly string[];
}

export type Command =
  | { readonly kind: 'help'; readonly topic: 'general' | 'run' }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly options: RunOptions };

/** Bad usage: the message says what is wrong and what to do; the CLI exits with 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const optionSpec = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  all: { type: 'boolean' },
  name: { type: 'string', multiple: true },
  line: { type: 'string' },
  env: { type: 'string' },
  var: { type: 'string', multiple: true },
  reporter: { type: 'string' },
  output: { type: 'string', short: 'o' },
  fail: { type: 'boolean' },
  bail: { type: 'boolean' },
  insecure: { type: 'boolean', short: 'k' },
  'cert-passphrase': { type: 'string' },
  timeout: { type: 'string' },
  'script-timeout': { type: 'string' },
  'cookie-jar': { type: 'string' },
  'token-store': { type: 'string' },
  'no-interactive': { type: 'boolean' },
  interactive: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  'diagnostic-severity': { type: 'string', multiple: true },
  openapi: { type: 'string', multiple: true },
  'no-openapi': { type: 'boolean' },
  'proto-path': { type: 'string', multiple: true },
} as const;

/** Parses `argv` without the node executable and script (i.e. `process.argv.slice(2)`). */
export function parseCommand(argv: readonly string[], environment: Readonly<Record<string, string | undefined>> = {}): Command {
  const parsed = parseOrExplain(argv);
  const { values, positionals } = parsed;
  const [command, ...files] = positionals;

  if (command === undefined) {
    if (values.version === true) return { kind: 'version' };
    if (values.help === true) return { kind: 'help', topic: 'general' };
    throw new UsageError('no command given; try `courier run requests.http` or `courier --help`');
  }
  if (command === 'help') return { kind: 'help', topic: files[0] === 'run' ? 'run' : 'general' };
  if (command !== 'run') throw new UsageError(`unknown command '${command}'; the only command is \`run\` (see \`courier --help\`)`);
  if (values.help === true) return { kind: 'help', topic: 'run' };
  if (values.version === true) return { kind: 'version' };
  if (files.length === 0) throw new UsageError('`courier run` needs at least one .http file, e.g. `courier run api.http`');

  const selection = selectionFrom(values.all === true, values.name, values.line);
  if (selection.kind === 'line' && files.length > 1) {
    throw new UsageError(`--line ${selection.line} names a line of one file, but ${files.length} files were given; pass a single file with --line`);
  }
  return {
    kind: 'run',
    options: {
      files,
      selection,
      environment: nonEmpty('--env', values.env),
      variables: variablesFrom(values.var ?? []),
      reporter: reporterFrom(values.reporter),
      output: nonEmpty('--output', values.output),
      fail: values.fail === true,
      bail: values.bail === true,
      insecure: values.insecure === true,
      certificatePassphrase: values['cert-passphrase'],
      timeoutMs: timeoutFrom('--timeout', values.timeout),
      scriptTimeoutMs: timeoutFrom('--script-timeout', values['script-timeout']),
      cookieJar: nonEmpty('--cookie-jar', values['cookie-jar']),
      tokenStore: nonEmpty('--token-store', values['token-store']),
      interactive: interactiveFrom(values['no-interactive'] === true, values.interactive === true, environment),
      verbose: values.verbose === true,
      diagnosticSeverities: severitiesFrom(values['diagnostic-severity'] ?? []),
      openapi: openApiFrom(values.openapi ?? [], values['no-openapi'] === true),
      protoImportPaths: (values['proto-path'] ?? []).map((dir) => resolvePath(nonEmpty('--proto-path', dir) ?? dir)),
    },
  };
}

/**
 * Whether OAuth grants may wait for the user: yes unless `--no-interactive`, and not by default in
 * CI (the `CI` variable CI services set), where nobody would answer; `--interactive` insists.
 */
function interactiveFrom(no: boolean, yes: boolean, environment: Readonly<Record<string, string | undefined>>): boolean {
  if (no && yes) throw new UsageError('--interactive and --no-interactive cannot be combined');
  if (no || yes) return yes;
  const ci = environment.CI;
  return ci === undefined || ci === '' || ci === 'false' || ci === '0';
}

function parseOrExplain(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: optionSpec, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(explainParseError(error));
  }
}

/** Node's parseArgs messages are long and mention internals; say it the CLI's way. */
function explainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const option = /'(-[^']*)'/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) {
    return `unknown option ${option} (see \`courier run --help\`)`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    const flag = option.split(' ')[0];
    return message.includes('does not take')
      ? `option ${flag} takes no value (see \`courier run --help\`)`
      : `option ${flag} needs a value (see \`courier run --help\`)`;
  }
  return message;
}

function selectionFrom(all: boolean, names: readonly string[] | undefined, line: string | undefined): RequestSelection {
  const chosen = [all && '--all', names !== undefined && '--name', line !== undefined && '--line'].filter((flag) => flag !== false);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')} cannot be combined; pick one way to select requests`);
  if (names !== undefined) {
    const blank = names.find((name) => name.trim() === '');
    if (blank !== undefined) throw new UsageError('--name needs a request name, e.g. --name login');
    return { kind: 'names', names: [...new Set(names)] };
  }
  if (line !== undefined) {
    if (!/^\d+$/.test(line) || Number(line) < 1) throw new UsageError(`--line takes a line number from 1, not '${line}'`);
    return { kind: 'line', line: Number(line) };
  }
  return { kind: 'all' };
}

function variablesFrom(assignments: readonly string[]): ReadonlyMap<string, string> {
  const variables = new Map<string, string>();
  for (const assignment of assignments) {
    const equals = assignment.indexOf('=');
    const name = equals < 0 ? '' : assignment.slice(0, equals).trim();
    if (name === '') throw new UsageError(`--var takes name=value, not '${assignment}' (e.g. --var baseUrl=http://localhost:8080)`);
    variables.set(name, assignment.slice(equals + 1));
  }
  return variables;
}

function openApiFrom(files: readonly string[], off: boolean): RunOptions['openapi'] {
  if (off && files.length > 0) throw new UsageError('--openapi and --no-openapi cannot be combined');
  if (files.some((file) => file.trim() === '')) throw new UsageError('--openapi needs a spec file, e.g. --openapi openapi.yaml');
  return { enabled: !off, files };
}

function severitiesFrom(assignments: readonly string[]): SeverityOverrides {
  const severities = new Map<string, SeverityLevel>();
  for (const assignment of assignments) {
    const problem = parseSeverityAssignment(assignment, severities);
    if (problem !== undefined) throw new UsageError(`--diagnostic-severity: ${problem}`);
  }
  return severities;
}

function reporterFrom(value: string | undefined): ReporterName {
  if (value === undefined) return 'pretty';
  const reporter = reporterNames.find((name) => name === value);
  if (reporter === undefined) throw new UsageError(`--reporter must be one of ${reporterNames.join(', ')}, not '${value}'`);
  return reporter;
}

function timeoutFrom(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${flag} takes a number of seconds greater than 0, not '${value}'`);
  }
  return Math.round(seconds * 1000);
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new UsageError(`${flag} needs a value`);
  return value;
}
