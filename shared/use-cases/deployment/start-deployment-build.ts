/**
 * Starting the build of a deployment that holds its environment (status STARTING): StartBuild with the exact
 * overrides and the deployment id as idempotency token, then record the build. Shared by every path that starts
 * builds (trunk push, build end promoting the queue, reconciler, `spa-cd deploy`).
 */
import type { Deployment } from '../../domain/deployment/deployment';
import { targetOf, type DeploymentDependencies } from './deployment-dependencies';

export type StartOutcome =
  | { readonly outcome: 'started'; readonly deployment: Deployment }
  /** CodeBuild busy after retries: the deployment keeps the environment (STARTING, no build); the reconciler retries. */
  | { readonly outcome: 'busy'; readonly deployment: Deployment; readonly reason: string }
  | { readonly outcome: 'failed-to-start'; readonly deployment: Deployment; readonly reason: string };

export async function startDeploymentBuild(deps: DeploymentDependencies, deployment: Deployment): Promise<StartOutcome> {
  const target = targetOf(deps, deployment.environment);
  if (target === undefined) {
    const reason = `no CodeBuild project is configured for environment '${deployment.environment}' (SPA_CD_ENVIRONMENTS)`;
    return failedToStart(deps, deployment, reason);
  }
  const result = await deps.builds.start({
    projectName: target.project,
    deploymentId: deployment.id,
    environment: deployment.environment,
    environmentPath: deployment.environmentPath,
    settingsCommit: deployment.settingsCommit,
    spaVersion: deployment.spaVersion,
    ...(deployment.spaCommit ? { spaCommit: deployment.spaCommit } : {}),
    codeGitUrl: deployment.codeGitUrl,
    idempotencyToken: deployment.id,
  });
  if (result.outcome === 'refused') return failedToStart(deps, deployment, result.reason);
  if (result.outcome === 'busy') {
    deps.log.warn('build service busy: the deployment waits for the reconciler', { deploymentId: deployment.id, reason: result.reason });
    return { outcome: 'busy', deployment, reason: result.reason };
  }
  const recorded = await deps.store.recordBuildStarted(deployment.id, {
    buildId: result.buildId,
    ...(result.logsUrl ? { logsUrl: result.logsUrl } : {}),
    ...(result.startedAt ? { startedAt: result.startedAt } : {}),
  });
  if (recorded.outcome === 'other-build') {
    // Two starters raced past the idempotency window: keep the recorded build, stop the stray one.
    deps.log.warn('a second build was started for one deployment: stopping it', { deploymentId: deployment.id, buildId: result.buildId });
    await deps.builds.stop(result.buildId).catch((error: unknown) => deps.log.error('could not stop the stray build', { buildId: result.buildId, error: String(error) }));
    return { outcome: 'started', deployment: recorded.deployment };
  }
  if (recorded.outcome === 'not-starting') {
    deps.log.warn('the deployment left STARTING before its build was recorded', { deploymentId: deployment.id, status: recorded.deployment.status });
    return { outcome: 'started', deployment: recorded.deployment };
  }
  deps.metrics.count('DeploymentsStarted', 1, deployment.environment);
  // Lead time: from the change (the merge event's time, the first part of the order key) to the build start.
  const changedAt = Date.parse(deployment.orderKey?.split('#')[0] ?? deployment.createdAt);
  const leadTime = (deps.now().getTime() - changedAt) / 1000;
  if (Number.isFinite(leadTime) && leadTime >= 0) deps.metrics.seconds('LeadTimeSeconds', leadTime, deployment.environment);
  deps.log.info('build started', { deploymentId: deployment.id, environment: deployment.environment, buildId: result.buildId });
  await deps.notifier.statusChanged(recorded.deployment, deployment.status);
  return { outcome: 'started', deployment: recorded.deployment };
}

/**
 * A deployment holds its environment (STARTING) but no build is recorded: a crash or a failed write interrupted the
 * start. Look for the build it may have started (its deployment id is in the build's variables); record it if found,
 * otherwise start it with the same idempotency token (CodeBuild answers with the same build within 5 minutes).
 */
export async function resumeInterruptedStart(deps: DeploymentDependencies, deployment: Deployment): Promise<StartOutcome> {
  const target = targetOf(deps, deployment.environment);
  const found = target === undefined ? undefined : await deps.builds.findBuild(target.project, deployment.id);
  if (found === undefined) return startDeploymentBuild(deps, deployment);
  const recorded = await deps.store.recordBuildStarted(deployment.id, {
    buildId: found.buildId,
    ...(found.logsUrl ? { logsUrl: found.logsUrl } : {}),
    ...(found.startedAt ? { startedAt: found.startedAt } : {}),
  });
  deps.log.info('recorded a build whose start had not been recorded', { deploymentId: deployment.id, buildId: found.buildId });
  if (recorded.outcome === 'recorded') await deps.notifier.statusChanged(recorded.deployment, deployment.status);
  return { outcome: 'started', deployment: recorded.deployment };
}

async function failedToStart(deps: DeploymentDependencies, deployment: Deployment, reason: string): Promise<StartOutcome> {
  const finished = await deps.store.markFailedToStart(deployment.id, reason);
  deps.metrics.count('DeploymentsFailedToStart', 1, deployment.environment);
  deps.log.error('build refused: deployment FAILED_TO_START', { deploymentId: deployment.id, reason });
  if (finished.changed) await deps.notifier.statusChanged(finished.deployment, deployment.status);
  if (finished.next) await startDeploymentBuild(deps, finished.next);
  return { outcome: 'failed-to-start', deployment: finished.deployment, reason };
}
