// The two CLIs a differential run compares. A revision is checked out into a temporary git
// worktree (node_modules linked from this checkout's) and built with its own esbuild.mjs; a
// directory is used as it is (built first unless told not to, e.g. for a scratch copy whose
// dist/ was edited by hand).

import { execFile, execFileSync } from 'node:child_process';
import { existsSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

// Worktrees not yet removed, by repository. A crash or Ctrl+C must not leave them registered:
// they are removed synchronously on exit (the only work an 'exit' listener can do).
const pendingWorktrees = new Map<string, string>();
process.once('exit', () => {
  for (const [worktree, repository] of pendingWorktrees) {
    try {
      execFileSync('git', ['-C', repository, 'worktree', 'remove', '--force', worktree], { stdio: 'ignore' });
    } catch {
      // Already gone; `git worktree prune` clears what is left.
    }
  }
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export interface Build {
  /** `base` or `head`. */
  readonly label: string;
  /** The checkout: dist/cli.js, dist/demo-api.js and samples/ are read from it. */
  readonly root: string;
  /** What was built, for the report: a commit or a directory. */
  readonly description: string;
  /** Removes the temporary worktree, if one was made. */
  dispose(): Promise<void>;
}

export interface BuildOptions {
  /** The git checkout revisions are resolved in (and whose node_modules a worktree links to). */
  readonly repository: string;
  /** Where temporary worktrees go. */
  readonly temporaryRoot: string;
  /** Build directories given as they are; revisions are always built. */
  readonly buildDirectories: boolean;
}

/** A built CLI from `spec`: a checkout folder, else a git revision of `options.repository`. */
export async function prepareBuild(label: string, spec: string, options: BuildOptions): Promise<Build> {
  const directory = resolve(spec);
  // A checkout (package.json) or a built copy (dist/cli.js): `client` is a folder of this
  // checkout and a branch name too, and means the branch.
  if (statSync(directory, { throwIfNoEntry: false })?.isDirectory() === true && (existsSync(join(directory, 'package.json')) || existsSync(join(directory, 'dist', 'cli.js')))) {
    if (options.buildDirectories) await esbuild(directory, label);
    const commit = await git(directory, ['rev-parse', '--short', 'HEAD']).catch(() => 'not a git checkout');
    const dirty = await git(directory, ['status', '--porcelain', '--untracked-files=no']).catch(() => '');
    requireBuilt(directory, label);
    return { label, root: directory, description: `directory ${directory} (${commit}${dirty === '' ? '' : ', with uncommitted changes'})`, dispose: () => Promise.resolve() };
  }
  const commit = await git(options.repository, ['rev-parse', '--verify', `${spec}^{commit}`]).catch(() => {
    throw new Error(`${label}: '${spec}' is neither a checkout folder (package.json or dist/cli.js) nor a revision of ${options.repository}; pass a commit, a branch or a checkout folder`);
  });
  const worktree = join(options.temporaryRoot, `${label}-${commit.slice(0, 10)}`);
  await git(options.repository, ['worktree', 'add', '--detach', worktree, commit]);
  pendingWorktrees.set(worktree, options.repository);
  const dispose = async (): Promise<void> => {
    await git(options.repository, ['worktree', 'remove', '--force', worktree]).catch(() => undefined);
    pendingWorktrees.delete(worktree);
  };
  try {
    symlinkSync(realpathSync(join(options.repository, 'node_modules')), join(worktree, 'node_modules'), 'dir');
    await esbuild(worktree, label);
    requireBuilt(worktree, label);
  } catch (error) {
    await dispose();
    throw error;
  }
  const subject = await git(worktree, ['log', '-1', '--format=%h %s']);
  return { label, root: worktree, description: `commit ${subject.length > 90 ? `${subject.slice(0, 87)}...` : subject}`, dispose };
}

async function git(cwd: string, args: readonly string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', cwd, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return stdout.trim();
}

async function esbuild(root: string, label: string): Promise<void> {
  try {
    await run(process.execPath, ['esbuild.mjs'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${label}: \`node esbuild.mjs\` failed in ${root}:\n${stderr ?? (error as Error).message}`, { cause: error });
  }
}

function requireBuilt(root: string, label: string): void {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${label}: ${cli} is missing; build it (node esbuild.mjs) or drop --no-build`);
}
