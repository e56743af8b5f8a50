/**
 * `spa-cd deploy` against local mode: the same request use case, on the local repository and the local store.
 * The build is not run by this short-lived command: its build service answers "busy", which leaves the deployment
 * STARTING without a build, and the running (or next) `spa-cd local` starts it through its reconciler.
 */
import { LocalTargets } from './local-targets';
import { DEFAULT_CODE_GIT_URL } from '../../shared/domain/settings/deployment-manifest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import type { BuildService } from '../../shared/ports/build-service';
import { silentLog, noMetrics } from '../../shared/ports/telemetry';
import type { DeploymentDependencies } from '../../shared/use-cases/deployment/deployment-dependencies';
import type { CliIo } from '../cli-io';
import { DEFAULT_DATA_DIR, openStore } from '../store-connection';
import { UsageError } from '../usage-error';
import { localPrincipal } from './local-events';
import { DEFAULT_REPO_DIR, STATE_FILE } from './local-paths';
import { StateFile } from './ref-watcher';

export const HAND_OFF_REASON = 'handed to spa-cd local';

/** A build service that starts nothing: the deployment waits (STARTING) for `spa-cd local` to start it. */
export const handOffBuildService: BuildService = {
  start: async () => ({ outcome: 'busy', reason: HAND_OFF_REASON }),
  describe: async () => [],
  stop: async () => {},
  findBuild: async () => undefined,
};

export interface LocalDeployOptions {
  readonly repo?: string;
  readonly data?: string;
  readonly endpoint?: string;
  readonly table?: string;
}

export async function localDeploymentDependencies(
  options: LocalDeployOptions,
  io: CliIo,
): Promise<{ deps: DeploymentDependencies; requestedBy: string; trunk: string; close: () => Promise<void>; handOff: true }> {
  const repo = resolve(io.cwd, options.repo ?? DEFAULT_REPO_DIR);
  if (!existsSync(join(repo, '.git'))) {
    throw new UsageError(`${options.repo ?? DEFAULT_REPO_DIR}: not a git repository; run \`npm start\` (spa-cd local) first, or pass --repo`);
  }
  const repository = new GitSettingsRepository(repo);
  const data = resolve(io.cwd, options.data ?? DEFAULT_DATA_DIR);
  const state = new StateFile(join(data, STATE_FILE)).load(repository.directory);
  const trunk = state.trunk ?? 'main';
  // The local store, never an AWS table named by the environment.
  const connection = await openStore(
    { data, ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}), ...(options.table !== undefined ? { table: options.table } : {}) },
    { ...io, env: { ...io.env, SPA_CD_TABLE: undefined } },
  );
  try {
    const targets = new LocalTargets();
    targets.add((await connection.store.listEnvironments()).map((e) => e.name));
    const head = await repository.resolve(`refs/heads/${trunk}`).catch(() => undefined);
    if (head !== undefined) await targets.addFrom(repository.at(head));
    const deps: DeploymentDependencies = {
      repository,
      store: connection.store,
      builds: handOffBuildService,
      notifier: { statusChanged: async () => {} },
      targets: targets.list,
      defaultCodeGitUrl: DEFAULT_CODE_GIT_URL,
      log: silentLog,
      metrics: noMetrics,
      now: () => new Date(),
    };
    return { deps, requestedBy: localPrincipal(personName(repo)), trunk, close: () => connection.close(), handOff: true };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

/** Who asks: git's user.name in that repository, else the login name. */
function personName(repo: string): string {
  try {
    const name = execFileSync('git', ['-C', repo, 'config', 'user.name'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (name !== '') return name;
  } catch {
    // No user.name configured.
  }
  try {
    return userInfo().username;
  } catch {
    return 'local-user';
  }
}
