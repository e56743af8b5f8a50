/**
 * Use case: the trunk moved (a merge or push, or the reconciler found a missed one). For each affected environment:
 * validate at the new commit, record the deployment (REJECTED, PENDING or QUEUED) before anything else, then take
 * the environment and start the build, or queue behind the running one (the newest queued wins).
 * Safe to run again with the same input at any point: the deterministic id and the store's conditional writes make
 * duplicates and retries finish what was started instead of starting twice.
 */
import type { Deployment, DeploymentTrigger } from '../../domain/deployment/deployment';
import { automaticDeploymentId } from '../../domain/deployment/deployment-id';
import { countBySeverity, type Diagnostic } from '../../domain/settings/diagnostics';
import { affectedEnvironments, environmentPath } from '../../domain/settings/environments';
import { pinnedCommit, validateEnvironment } from '../validate-settings';
import { targetOf, type DeploymentDependencies } from './deployment-dependencies';
import { resumeInterruptedStart, startDeploymentBuild } from './start-deployment-build';

export interface SettingsChange {
  /** The trunk tip before the change; absent when the trunk was created (every environment is affected). */
  readonly beforeCommit?: string;
  readonly afterCommit: string;
  /** When the change happened (the event's `time`): orders merges in the queue. */
  readonly time: string;
  readonly trigger: Extract<DeploymentTrigger, 'merge' | 'reconcile'>;
  readonly causedBy: string;
  readonly pullRequestId?: string;
  /** Only these environments (the reconciler deploys one environment at a time). */
  readonly only?: readonly string[];
}

export type EnvironmentOutcome =
  | { readonly environment: string; readonly outcome: 'already-attempted'; readonly deployment: Deployment }
  | { readonly environment: string; readonly outcome: 'removed' }
  | { readonly environment: string; readonly outcome: 'rejected' | 'pending' | 'queued' | 'superseded' | 'started' | 'busy' | 'failed-to-start' | 'in-flight'; readonly deployment: Deployment };

export async function deploySettingsChange(deps: DeploymentDependencies, change: SettingsChange): Promise<EnvironmentOutcome[]> {
  const names = await affectedBy(deps, change);
  // Every environment runs to its end (no build start left halfway because a sibling failed), then the first failure
  // is raised so the event is retried; environments that succeeded answer "already attempted" on the retry.
  const settled = await Promise.allSettled(names.map((name) => deployEnvironment(deps, change, name)));
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<EnvironmentOutcome>).value);
}

async function affectedBy(deps: DeploymentDependencies, change: SettingsChange): Promise<string[]> {
  let names: string[];
  if (change.beforeCommit === undefined) {
    const listing = await deps.repository.at(change.afterCommit).list('environments');
    names = affectedEnvironments(listing.map((e) => e.path)).environments;
  } else {
    names = affectedEnvironments(await deps.repository.changedPaths(change.beforeCommit, change.afterCommit)).environments;
  }
  return change.only === undefined ? names : names.filter((n) => change.only?.includes(n));
}

async function deployEnvironment(deps: DeploymentDependencies, change: SettingsChange, environment: string): Promise<EnvironmentOutcome> {
  const id = automaticDeploymentId(environment, change.afterCommit);
  const source = deps.repository.at(change.afterCommit);
  const path = environmentPath(environment);
  // The duplicate check, the folder's existence and the validation are independent reads: run them together
  // (lead time), and drop the validation when the deployment turns out to exist already.
  const [existing, folder, validation] = await Promise.all([
    deps.store.get(id),
    source.list(path),
    validateEnvironment(source, environment, { defaultCodeGitUrl: deps.defaultCodeGitUrl, ...(deps.resolver ? { resolver: deps.resolver } : {}) }),
  ]);
  if (existing !== undefined) {
    // A duplicate event or a retry: finish what the first delivery started, never start a second attempt.
    if (existing.status === 'QUEUED') return queueOrStart(deps, existing, environment);
    if (existing.status === 'STARTING' && existing.buildId === undefined && startLooksInterrupted(deps, existing)) {
      const resumed = await resumeInterruptedStart(deps, existing);
      return { environment, outcome: resumed.outcome, deployment: resumed.deployment };
    }
    deps.log.info('commit already attempted for this environment', { environment, deploymentId: id, status: existing.status });
    return { environment, outcome: 'already-attempted', deployment: existing };
  }
  if (folder.length === 0) {
    deps.log.info('environment removed by this change: nothing to deploy', { environment });
    return { environment, outcome: 'removed' };
  }
  // A file that could not be read (throttling, network) says nothing about the settings: never record REJECTED for
  // it (a commit is attempted only once); fail, so the event is retried and the reconciler tries again later.
  const unreadable = validation.diagnostics.find((d) => d.code === 'file-unreadable');
  if (unreadable !== undefined) throw new SettingsUnreadableError(`${environment}: ${unreadable.message}`);
  const pin = validation.deployment;
  const spaCommit = pinnedCommit(validation);
  const target = targetOf(deps, environment);
  const rejection = !validation.valid
    ? rejectionSummary(validation.diagnostics)
    : target === undefined
      ? `no CodeBuild project is configured for environment '${environment}': add it to the controller configuration, then run spa-cd deploy`
      : pin?.frozen
        ? 'the environment is frozen (deployment.yaml: frozen: true): deploys are blocked until it is unfrozen'
        : undefined;
  const status = rejection !== undefined ? 'REJECTED' : pin?.autoDeploy === false ? 'PENDING' : 'QUEUED';
  const { created, deployment } = await deps.store.createDeployment({
    id,
    environment,
    status,
    settingsCommit: change.afterCommit,
    environmentPath: path,
    spaVersion: pin?.spaVersion ?? '',
    ...(spaCommit ? { spaCommit } : {}),
    codeGitUrl: pin?.codeGitUrl ?? deps.defaultCodeGitUrl,
    trigger: change.trigger,
    causedBy: change.causedBy,
    ...(change.pullRequestId ? { pullRequestId: change.pullRequestId } : {}),
    createdAt: deps.now().toISOString(),
    order: { time: change.time },
    ...(rejection !== undefined ? { reason: rejection, diagnostics: validation.diagnostics } : {}),
  });
  if (!created) {
    // Lost a race with a concurrent delivery: behave as a duplicate.
    if (deployment.status === 'QUEUED') return queueOrStart(deps, deployment, environment);
    return { environment, outcome: 'already-attempted', deployment };
  }
  // A QUEUED record is announced by queueOrStart once it knows whether it starts or waits.
  if (status !== 'QUEUED') await deps.notifier.statusChanged(deployment, undefined);
  if (status === 'REJECTED') {
    deps.metrics.count('DeploymentsRejected', 1, environment);
    deps.log.warn('deployment rejected', { environment, deploymentId: id, reason: rejection });
    return { environment, outcome: 'rejected', deployment };
  }
  if (status === 'PENDING') {
    deps.log.info('auto_deploy is false: deployment PENDING until spa-cd deploy', { environment, deploymentId: id });
    return { environment, outcome: 'pending', deployment };
  }
  return queueOrStart(deps, deployment, environment);
}

/** Takes the environment and starts the build, or queues (superseding older queued deployments). */
export async function queueOrStart(deps: DeploymentDependencies, deployment: Deployment, environment: string): Promise<EnvironmentOutcome> {
  const decision = await deps.store.startOrQueue(deployment.id, deployment);
  switch (decision.action) {
    case 'start': {
      await deps.notifier.statusChanged(decision.deployment, deployment.status);
      const started = await startDeploymentBuild(deps, decision.deployment);
      return { environment, outcome: started.outcome, deployment: started.deployment };
    }
    case 'queued':
      deps.metrics.count('DeploymentsQueued', 1, environment);
      await deps.notifier.statusChanged(decision.deployment, undefined);
      for (const old of decision.superseded) {
        deps.metrics.count('DeploymentsSuperseded', 1, environment);
        await deps.notifier.statusChanged(old, 'QUEUED');
      }
      deps.log.info('environment busy: deployment queued', { environment, deploymentId: deployment.id, running: decision.runningId });
      return { environment, outcome: 'queued', deployment: decision.deployment };
    case 'superseded':
      deps.metrics.count('DeploymentsSuperseded', 1, environment);
      await deps.notifier.statusChanged(decision.deployment, deployment.status);
      return { environment, outcome: 'superseded', deployment: decision.deployment };
    case 'in-flight':
      return { environment, outcome: 'in-flight', deployment: decision.deployment };
    case 'none':
      return { environment, outcome: 'already-attempted', deployment: decision.deployment };
  }
}

/** The settings could not be read (a transient repository error): nothing was recorded; retry the event. */
export class SettingsUnreadableError extends Error {
  override readonly name = 'SettingsUnreadableError';
}

/**
 * A STARTING deployment without build id is normal while its first delivery is calling StartBuild (with retries).
 * Past this delay the start was interrupted (Lambda retries a failed invocation after a minute): resume it.
 */
export const RESUME_START_AFTER_SECONDS = 60;

function startLooksInterrupted(deps: DeploymentDependencies, deployment: Deployment): boolean {
  const claimedAt = Date.parse(deployment.claimedAt ?? deployment.createdAt);
  return !Number.isFinite(claimedAt) || deps.now().getTime() - claimedAt >= RESUME_START_AFTER_SECONDS * 1000;
}

function rejectionSummary(diagnostics: readonly Diagnostic[]): string {
  const { errors } = countBySeverity(diagnostics);
  const first = diagnostics.find((d) => d.severity === 'error');
  const where = first ? ` first: ${first.file}:${first.line} ${first.code} ${first.message}` : '';
  return `invalid settings: ${errors} error${errors === 1 ? '' : 's'};${where}`.slice(0, 1000);
}
