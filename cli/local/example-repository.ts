/**
 * The settings repository a newcomer gets on the first `npm start`: `examples/settings-repo/` committed on the trunk,
 * and a feature branch with two commits worth reviewing (a budget and tag change in sandbox, a new production
 * account written with an unquoted identifier — the validation error the review must point at).
 * Made with real git, in a temporary folder renamed into place, so an interrupted creation leaves nothing half done.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const EXAMPLES_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../examples');
export const EXAMPLE_SETTINGS = join(EXAMPLES_DIR, 'settings-repo');
export const EXAMPLE_FEATURE_DIR = join(EXAMPLES_DIR, 'feature-branch');
export const DEFAULT_LOCAL_BUILDSPEC = join(EXAMPLES_DIR, 'local-buildspec.yml');

export const EXAMPLE_FEATURE_BRANCH = 'feature/raise-sandbox-budgets';

/** The commits of the feature branch: each replaces repository files with files of examples/feature-branch/. */
export const EXAMPLE_FEATURE_COMMITS: readonly { readonly message: string; readonly files: Readonly<Record<string, string>> }[] = [
  {
    message: 'Raise sandbox budgets and tag the data science unit',
    files: { 'environments/sandbox/settings.yaml': 'sandbox-settings.yaml', 'environments/sandbox/sandbox-accounts.csv': 'sandbox-accounts.csv' },
  },
  {
    message: 'Add the analytics account to production',
    files: { 'environments/production/settings.yaml': 'production-settings.yaml' },
  },
];

const IDENTITY = { name: 'spa-cd example', email: 'spa-cd-example@example.com' };

function git(dir: string, args: readonly string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', ...args], {
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: IDENTITY.name,
      GIT_AUTHOR_EMAIL: IDENTITY.email,
      GIT_COMMITTER_NAME: IDENTITY.name,
      GIT_COMMITTER_EMAIL: IDENTITY.email,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Creates the example repository at `target` (which must not exist); returns the trunk and branch heads. */
export function createExampleRepository(target: string, trunk = 'main'): { trunkHead: string; branch: string; branchHead: string } {
  if (existsSync(target)) throw new Error(`${target} exists already`);
  mkdirSync(dirname(target), { recursive: true });
  const work = `${target}.creating-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  try {
    mkdirSync(work);
    git(work, ['init', '-q', '-b', trunk]);
    cpSync(EXAMPLE_SETTINGS, work, { recursive: true });
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'Initial SPA settings: sandbox and production environments']);
    const trunkHead = git(work, ['rev-parse', 'HEAD']);
    git(work, ['checkout', '-q', '-b', EXAMPLE_FEATURE_BRANCH]);
    for (const commit of EXAMPLE_FEATURE_COMMITS) {
      for (const [path, source] of Object.entries(commit.files)) writeFileSync(join(work, path), readFileSync(join(EXAMPLE_FEATURE_DIR, source)));
      git(work, ['add', '-A']);
      git(work, ['commit', '-q', '-m', commit.message]);
    }
    const branchHead = git(work, ['rev-parse', 'HEAD']);
    git(work, ['checkout', '-q', trunk]);
    renameSync(work, target);
    return { trunkHead, branch: EXAMPLE_FEATURE_BRANCH, branchHead };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}
