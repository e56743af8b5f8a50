/**
 * The controller's reaction to each event it receives, whatever delivers it (Lambda on AWS, local mode):
 * parse with the event schemas, drop what is not ours before any AWS call, then run the use case.
 * Never throws on a malformed or foreign event: it answers with what it did and why.
 */
import { isForeign, parseEvent, escapeForLog } from '../../events';
import { buildEventVariable, failedPhaseOfEvent, type BuildStateChangeDetail } from '../../events/codebuild';
import { BUILD_VARIABLES, type BuildInfo } from '../../ports/build-service';
import { deploySettingsChange, type EnvironmentOutcome } from './deploy-settings-change';
import type { DeploymentDependencies } from './deployment-dependencies';
import { recordBuildState } from './record-build-state';

export interface ControllerOrigin {
  /** CloudOps account and region: where the repository and its events are. */
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly trunk: string;
  /** DevOps account and region: where the builds run and their events come from. */
  readonly buildAccount: string;
  readonly buildRegion: string;
}

export type EventResult =
  | { readonly status: 'rejected'; readonly reason: string }
  | { readonly status: 'ignored'; readonly reason: string }
  | { readonly status: 'processed'; readonly outcomes?: EnvironmentOutcome[]; readonly detail?: string };

export async function onRepositoryEvent(deps: DeploymentDependencies, origin: ControllerOrigin, input: unknown): Promise<EventResult> {
  const parsed = parseEvent('repository-state-change', input);
  if (!parsed.ok) return reject(deps, parsed.reason);
  const event = parsed.event;
  const foreign = isForeign(event, { account: origin.account, region: origin.region, repositoryName: origin.repository });
  if (foreign !== undefined) return ignore(deps, `foreign event: ${foreign}`, 'warn');
  const detail = event.detail;
  if (detail.event !== 'referenceCreated' && detail.event !== 'referenceUpdated') return ignore(deps, `${detail.event} does not move the trunk`);
  if (detail.referenceFullName !== `refs/heads/${origin.trunk}`) {
    return ignore(deps, `${escapeForLog(detail.referenceFullName)} is not the trunk refs/heads/${escapeForLog(origin.trunk)}`);
  }
  if (detail.event === 'referenceUpdated' && detail.sourceCommitId !== undefined && deps.mergeLinks !== undefined) {
    // Before deploying: the deployment notifier looks the pull request up by this link.
    const link = { commitId: detail.commitId, sourceCommitId: detail.sourceCommitId };
    await deps.mergeLinks.link(link).catch((error: unknown) => deps.log.warn('could not link the merge to its pull request', { error: String(error) }));
  }
  const outcomes = await deploySettingsChange(deps, {
    ...(detail.event === 'referenceUpdated' ? { beforeCommit: detail.oldCommitId } : {}),
    afterCommit: detail.commitId,
    time: event.time,
    trigger: 'merge',
    causedBy: detail.callerUserArn ?? 'unknown (the event names no caller)',
  });
  deps.log.info('trunk change processed', { commit: detail.commitId, outcomes: outcomes.map((o) => `${o.environment}:${o.outcome}`) });
  return { status: 'processed', outcomes };
}

export async function onBuildEvent(deps: DeploymentDependencies, origin: ControllerOrigin, input: unknown): Promise<EventResult> {
  const parsed = parseEvent('build-state-change', input);
  if (!parsed.ok) return reject(deps, parsed.reason);
  const event = parsed.event;
  const foreign = isForeign(event, {
    account: origin.buildAccount,
    region: origin.buildRegion,
    projectNames: deps.targets.map((t) => t.project),
  });
  if (foreign !== undefined) return ignore(deps, `foreign event: ${foreign}`, 'warn');
  const result = await recordBuildState(deps, buildInfoOfEvent(event.detail, event.time));
  return { status: 'processed', detail: result.outcome };
}

/** What a build state change event says about its build, in the build-service port's terms. */
export function buildInfoOfEvent(detail: BuildStateChangeDetail, time: string): BuildInfo {
  const failed = failedPhaseOfEvent(detail);
  const deploymentId = buildEventVariable(detail, BUILD_VARIABLES.deploymentId);
  const phases = detail['additional-information']?.phases ?? [];
  const durationSeconds = phases.reduce((sum, phase) => sum + (phase['duration-in-seconds'] ?? 0), 0);
  const terminal = detail['build-status'] !== 'IN_PROGRESS';
  const logsUrl = detail['additional-information']?.logs?.['deep-link'];
  return {
    buildId: detail.buildId,
    projectName: detail['project-name'],
    status: detail['build-status'],
    ...(terminal ? { endedAt: time } : { startedAt: time }),
    ...(terminal && phases.length > 0 ? { durationSeconds: Math.round(durationSeconds) } : {}),
    ...(detail['current-phase'] ? { currentPhase: detail['current-phase'] } : {}),
    ...(failed ? { failedPhase: failed.phase, ...(failed.message ? { failureMessage: failed.message } : {}) } : {}),
    ...(logsUrl ? { logsUrl } : {}),
    ...(deploymentId ? { deploymentId } : {}),
  };
}

function reject(deps: DeploymentDependencies, reason: string): EventResult {
  deps.log.error('malformed event rejected', { reason });
  deps.metrics.count('EventsRejected');
  return { status: 'rejected', reason };
}

function ignore(deps: DeploymentDependencies, reason: string, level: 'info' | 'warn' = 'info'): EventResult {
  deps.log[level]('event ignored', { reason });
  deps.metrics.count('EventsIgnored');
  return { status: 'ignored', reason };
}
