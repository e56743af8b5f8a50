/**
 * Use case: the scheduled reconciler. Events are best effort, so every few minutes it repairs what they missed:
 * builds whose end was never reported, starts interrupted between StartBuild and recording the build, queues
 * whose environment is free, leases held by finished deployments, and trunk merges no event announced.
 */
import { MemoizedSettingsRepository } from '../../support/memoized-settings-repository';
import type { Deployment } from '../../domain/deployment/deployment';
import { environmentPath } from '../../domain/settings/environments';
import { recordBuildState } from './record-build-state';
import { queueOrStart, deploySettingsChange, type EnvironmentOutcome } from './deploy-settings-change';
import { resumeInterruptedStart, startDeploymentBuild } from './start-deployment-build';
import type { DeploymentDependencies } from './deployment-dependencies';
import { errorMessage } from '../../support/error-message';

export interface ReconcileOptions {
  /** The trunk branch whose head every environment should run. */
  readonly trunk: string;
  /** A STARTING deployment without build id older than this is repaired (default 120 s: longer than StartBuild with retries). */
  readonly stuckAfterSeconds?: number;
  /**
   * A running deployment whose build CodeBuild does not know any more, started longer ago than this (default 120),
   * is ended FAULT: no event will ever come for it.
   */
  readonly buildTimeoutMinutes?: number;
}

export interface ReconcileReport {
  readonly buildsChecked: number;
  readonly buildStatesApplied: number;
  readonly startsRepaired: number;
  readonly queuesStarted: number;
  readonly leasesReleased: number;
  readonly missedMerges: EnvironmentOutcome[];
}

export async function reconcileDeployments(deps: DeploymentDependencies, options: ReconcileOptions): Promise<ReconcileReport> {
  // The time of this pass, read before the trunk head: a missed merge is ordered before any merge that lands while the
  // pass runs, so a real later merge is never superseded by the reconciler's older commit.
  const passTime = deps.now().toISOString();
  const stuckAfterMs = (options.stuckAfterSeconds ?? 120) * 1000;
  const running = await deps.store.listRunning();
  let buildStatesApplied = 0;
  let startsRepaired = 0;
  let queuesStarted = 0;
  let leasesReleased = 0;

  // 1. Running deployments against their builds.
  const withBuild = running.active.filter((d): d is Deployment & { buildId: string } => d.buildId !== undefined);
  const described = withBuild.length === 0 ? [] : await isolated(deps, 'describing the running builds', () => deps.builds.describe(withBuild.map((d) => d.buildId)));
  const builds = described ?? [];
  for (const build of builds) {
    const deployment = withBuild.find((d) => d.buildId === build.buildId);
    if (deployment === undefined || sameState(deployment, build.status)) continue;
    const result = await isolated(deps, `applying the state of build ${build.buildId}`, () => recordBuildState(deps, build));
    if (result?.outcome === 'applied') buildStatesApplied += 1;
  }
  const timeoutMs = (options.buildTimeoutMinutes ?? 120) * 60_000;
  // Only when CodeBuild answered: a build it left out is unknown to it (a failed call says nothing).
  for (const deployment of described === undefined ? [] : withBuild) {
    if (builds.some((b) => b.buildId === deployment.buildId)) continue;
    const since = Date.parse(deployment.startedAt ?? deployment.claimedAt ?? deployment.createdAt);
    if (Number.isFinite(since) && deps.now().getTime() - since < timeoutMs) continue;
    deps.log.warn('reconciler: the build of a running deployment is unknown to CodeBuild; ended FAULT', { deploymentId: deployment.id, buildId: deployment.buildId });
    const project = deployment.buildId.slice(0, deployment.buildId.indexOf(':'));
    const result = await isolated(deps, `ending deployment ${deployment.id}`, () =>
      recordBuildState(deps, {
        buildId: deployment.buildId,
        projectName: project,
        status: 'FAULT',
        deploymentId: deployment.id,
        endedAt: deps.now().toISOString(),
        failureMessage: `CodeBuild does not know build ${deployment.buildId} any more, ${options.buildTimeoutMinutes ?? 120} minutes after it started: no result will come`,
      }),
    );
    if (result?.outcome === 'applied') buildStatesApplied += 1;
  }

  // 2. STARTING without a build id: the start was interrupted. Find the build it may have started; start it otherwise.
  const now = deps.now().getTime();
  for (const deployment of running.active) {
    if (deployment.buildId !== undefined || deployment.status !== 'STARTING') continue;
    const claimedAt = Date.parse(deployment.claimedAt ?? deployment.createdAt);
    if (Number.isFinite(claimedAt) && now - claimedAt < stuckAfterMs) continue;
    deps.log.info('reconciler: repairing an interrupted build start', { deploymentId: deployment.id });
    const repaired = await isolated(deps, `repairing the start of deployment ${deployment.id}`, async () => {
      const resumed = await resumeInterruptedStart(deps, deployment);
      // The build may have ended meanwhile: apply its real state.
      const build = resumed.deployment.buildId ? (await deps.builds.describe([resumed.deployment.buildId]))[0] : undefined;
      if (build !== undefined && build.status !== resumed.deployment.status) await recordBuildState(deps, build);
      return true;
    });
    if (repaired !== true) continue;
    startsRepaired += 1;
    deps.metrics.count('ReconcilerRepairs', 1, deployment.environment);
  }

  // 3. Queues whose environment is free, and leases held by finished deployments.
  for (const deployment of running.toStart) {
    const outcome = await isolated(deps, `starting queued deployment ${deployment.id}`, () => queueOrStart(deps, deployment, deployment.environment));
    if (outcome?.outcome === 'started' || outcome?.outcome === 'busy' || outcome?.outcome === 'failed-to-start') queuesStarted += 1;
  }
  for (const lease of running.staleLeases) {
    const released = await isolated(deps, `releasing environment ${lease.environment}`, async () => {
      const result = await deps.store.releaseEnvironment(lease.environment, lease.deploymentId);
      if (result.released && result.next) await startDeploymentBuild(deps, result.next);
      return result;
    });
    if (released?.released !== true) continue;
    leasesReleased += 1;
    deps.metrics.count('ReconcilerRepairs', 1, lease.environment);
  }

  // 4. Merges no event announced: the environment folder differs between its last deployment and the trunk head.
  const missedMerges: EnvironmentOutcome[] = [];
  const head = await deps.repository.resolve(options.trunk);
  // environments last deployed at the same commit ask for the same diff, and the deploy asks for it again: once a pass
  const pass = { ...deps, repository: new MemoizedSettingsRepository(deps.repository) };
  for (const target of deps.targets) {
    try {
      missedMerges.push(...(await deployMissedMerge(pass, target.name, head, passTime)));
    } catch (error) {
      // One environment's trouble (a file that cannot be read now) must not keep the others from being repaired.
      deps.log.error('reconciler: could not check an environment for a missed merge; next run retries', { environment: target.name, error: errorMessage(error) });
    }
  }

  return { buildsChecked: builds.length, buildStatesApplied, startsRepaired, queuesStarted, leasesReleased, missedMerges };
}

/** One repair that fails is logged and left to the next pass: it never keeps the other repairs from running. */
async function isolated<T>(deps: DeploymentDependencies, what: string, repair: () => Promise<T>): Promise<T | undefined> {
  try {
    return await repair();
  } catch (error) {
    deps.log.error(`reconciler: failed ${what}; the next pass retries`, { error: errorMessage(error) });
    return undefined;
  }
}

function sameState(deployment: Deployment, buildStatus: string): boolean {
  return deployment.status === buildStatus;
}

/** Deploys the trunk head to an environment whose folder differs between its last deployment and the head. */
async function deployMissedMerge(deps: DeploymentDependencies, environment: string, head: string, passTime: string): Promise<EnvironmentOutcome[]> {
  const last = (await deps.store.history({ environment, limit: 1 })).items[0];
  if (last?.settingsCommit === head) return [];
  let changed: boolean;
  if (last === undefined) changed = (await deps.repository.at(head).list(environmentPath(environment))).length > 0;
  else {
    const prefix = `${environmentPath(environment)}/`;
    changed = (await deps.repository.changedPaths(last.settingsCommit, head)).some((p) => p.startsWith(prefix));
  }
  if (!changed) return [];
  const outcomes = await deploySettingsChange(deps, {
    ...(last ? { beforeCommit: last.settingsCommit } : {}),
    afterCommit: head,
    time: passTime,
    trigger: 'reconcile',
    causedBy: 'spa-cd reconciler',
    only: [environment],
  });
  for (const outcome of outcomes) {
    if (outcome.outcome === 'already-attempted') continue;
    deps.log.info('reconciler: deployed a merge no event announced', { environment, commit: head, outcome: outcome.outcome });
    deps.metrics.count('ReconcilerRepairs', 1, environment);
  }
  return outcomes;
}
