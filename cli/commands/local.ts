import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliIo } from '../cli-io';
import { DEFAULT_DATA_DIR } from '../store-connection';
import { UsageError } from '../usage-error';
import { createExampleRepository, DEFAULT_LOCAL_BUILDSPEC, EXAMPLE_FEATURE_BRANCH } from '../local/example-repository';
import { LocalController, type LocalOptions } from '../local/local-controller';
import { defaultReviewsDir, DEFAULT_REPO_DIR, localCliCommand } from '../local/local-paths';

interface LocalCommandOptions {
  repo?: string;
  buildspec?: string;
  once?: boolean;
  data?: string;
  trunk: string;
  reviews?: string;
  verbose?: boolean;
  pollMs: string;
  buildTimeout: string;
  passEnv?: string[];
}

export function registerLocal(program: Command, io: CliIo): void {
  program
    .command('local')
    .description('run the controller on this machine: a local git repository, an embedded store, a local build runner (npm start)')
    .option('--repo <dir>', `the settings repository (default ${DEFAULT_REPO_DIR}, created from examples/ on the first run)`)
    .option('--buildspec <file>', 'the buildspec each deployment runs (default examples/local-buildspec.yml: no network; infra/buildspec.yml is the real one)')
    .option('--once', 'process what is pending, wait for its builds, print the history and exit (0, or 1 if a deployment failed)')
    .option('--data <dir>', `data folder: history store, build logs, pull request comments (default ${DEFAULT_DATA_DIR})`)
    .option('--trunk <branch>', 'the branch whose commits are deployed', 'main')
    .option('--reviews <dir>', 'where reviews of branches are written (default .spa-cd/reviews, or <data>/reviews with --data)')
    .option('--verbose', 'also print the controller log')
    .addOption(new Option('--poll-ms <ms>', 'how often refs are read in watch mode').default('1000').hideHelp())
    .option('--build-timeout <minutes>', 'a build running longer is stopped and recorded TIMED_OUT', '60')
    .option('--pass-env <name...>', "variables of this shell every build receives (builds start from a minimal environment), e.g. AWS_PROFILE for --buildspec infra/buildspec.yml")
    .action(async (options: LocalCommandOptions) => {
      io.exitCode = await runLocal(options, io);
    });
}

async function runLocal(options: LocalCommandOptions, io: CliIo): Promise<number> {
  const pollMs = Number(options.pollMs);
  if (!Number.isInteger(pollMs) || pollMs < 50 || pollMs > 60_000) throw new UsageError(`--poll-ms ${options.pollMs}: expected 50 to 60000`);
  const timeout = Number(options.buildTimeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 480) throw new UsageError(`--build-timeout ${options.buildTimeout}: expected a whole number of minutes from 1 to 480`);
  const repo = resolve(io.cwd, options.repo ?? DEFAULT_REPO_DIR);
  if (options.repo === undefined && !existsSync(repo)) {
    const created = createExampleRepository(repo, options.trunk);
    io.out(
      `created the example settings repository ${relative(io.cwd, repo)}: trunk ${options.trunk} at ${created.trunkHead.slice(0, 8)}, branch ${EXAMPLE_FEATURE_BRANCH} to review.\n` +
        `Change it with git (commit on ${options.trunk} to deploy, on a branch to get a review); spa-cd local follows.`,
    );
  }
  if (!isDirectory(repo) || !existsSync(join(repo, '.git'))) throw new UsageError(`--repo ${options.repo ?? DEFAULT_REPO_DIR}: not a git repository (a folder with .git)`);
  const buildspec = options.buildspec === undefined ? DEFAULT_LOCAL_BUILDSPEC : resolve(io.cwd, options.buildspec);
  if (!existsSync(buildspec)) throw new UsageError(`--buildspec ${options.buildspec ?? buildspec}: no such file`);
  const passEnv: Record<string, string> = {};
  for (const name of options.passEnv ?? []) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--pass-env ${name}: not a variable name`);
    const value = io.env[name];
    if (value === undefined) throw new UsageError(`--pass-env ${name}: not set in this shell`);
    passEnv[name] = value;
  }
  const localOptions: LocalOptions = {
    repo,
    data: resolve(io.cwd, options.data ?? DEFAULT_DATA_DIR),
    reviews: options.reviews === undefined ? defaultReviewsDir(io.cwd, options.data) : resolve(io.cwd, options.reviews),
    buildspec,
    trunk: options.trunk,
    cli: localCliCommand(),
    pollMs,
    buildTimeoutMinutes: timeout,
    verbose: options.verbose ?? false,
    cwd: io.cwd,
    passEnv,
  };
  const controller = await LocalController.start(localOptions, io);
  const abort = new AbortController();
  const onSignal = (): void => {
    if (abort.signal.aborted) {
      // A second Ctrl-C: the user does not want to wait for the builds to stop.
      process.exit(130);
    }
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return options.once ? await controller.once(abort.signal) : await controller.watch(abort.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
