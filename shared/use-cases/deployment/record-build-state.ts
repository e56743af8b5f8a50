/**
 * Use case: a build changed state (CodeBuild event, local runner, or the reconciler reading BatchGetBuilds).
 * The deployment moves forward only; a terminal state releases the environment and starts the newest queued deployment.
 */
import type { BuildInfo } from '../../ports/build-service';
import type { ApplyBuildResult } from '../../ports/deployment-store';
import type { DeploymentDependencies } from './deployment-dependencies';
import { startDeploymentBuild } from './start-deployment-build';

const OUTCOME_METRICS = {
  SUCCEEDED: 'DeploymentsSucceeded',
  FAILED: 'DeploymentsFailed',
  FAULT: 'DeploymentsFailed',
  TIMED_OUT: 'DeploymentsFailed',
  STOPPED: 'DeploymentsFailed',
} as const;

export async function recordBuildState(deps: DeploymentDependencies, build: BuildInfo): Promise<ApplyBuildResult> {
  const result = await deps.store.applyBuildState({
    buildId: build.buildId,
    status: build.status,
    ...(build.deploymentId ? { deploymentId: build.deploymentId } : {}),
    ...(build.startedAt ? { startedAt: build.startedAt } : {}),
    ...(build.endedAt ? { endedAt: build.endedAt } : {}),
    ...(build.durationSeconds !== undefined ? { durationSeconds: build.durationSeconds } : {}),
    ...(build.failedPhase ? { failedPhase: build.failedPhase } : {}),
    ...(build.failureMessage ? { failureMessage: build.failureMessage } : {}),
    ...(build.logsUrl ? { logsUrl: build.logsUrl } : {}),
  });
  switch (result.outcome) {
    case 'unknown-build':
      deps.log.warn('build state for a build no deployment knows: ignored', { buildId: build.buildId, status: build.status });
      break;
    case 'other-build':
      deps.log.warn('build state for a stray build of a deployment that records another build: ignored', {
        buildId: build.buildId,
        deploymentId: result.deployment.id,
      });
      break;
    case 'stale':
      deps.log.info('build state older than the recorded one: nothing changed', { buildId: build.buildId, status: build.status, recorded: result.deployment.status });
      break;
    case 'applied': {
      const d = result.deployment;
      deps.log.info('deployment status changed', { deploymentId: d.id, environment: d.environment, from: result.previousStatus, to: d.status });
      if (build.status !== 'IN_PROGRESS') {
        deps.metrics.count(OUTCOME_METRICS[build.status], 1, d.environment);
        if (d.durationSeconds !== undefined) deps.metrics.seconds('BuildDurationSeconds', d.durationSeconds, d.environment);
      }
      await deps.notifier.statusChanged(d, result.previousStatus);
      break;
    }
  }
  if ((result.outcome === 'applied' || result.outcome === 'stale') && result.next) {
    await deps.notifier.statusChanged(result.next, 'QUEUED');
    await startDeploymentBuild(deps, result.next);
  }
  return result;
}
