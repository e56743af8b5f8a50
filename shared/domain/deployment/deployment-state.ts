/**
 * The deployment state machine: which status may follow which, as pure rules.
 *
 * Status only moves forward. The rank orders the statuses:
 *   PENDING, QUEUED (0) < STARTING (1) < IN_PROGRESS (2) < every terminal status (3).
 * A transition is allowed only to a higher rank, and only along the edges below, so a late IN_PROGRESS
 * never overwrites SUCCEEDED and a finished deployment never changes again. The store turns these rules
 * into the conditions of its writes (`allowedPredecessors`), so two writers racing cannot break them.
 *
 *   (created) -> PENDING | QUEUED | REJECTED
 *   PENDING   -> REJECTED | SUPERSEDED
 *   QUEUED    -> STARTING | REJECTED | SUPERSEDED
 *   STARTING  -> IN_PROGRESS | SUCCEEDED | FAILED | FAULT | TIMED_OUT | STOPPED | FAILED_TO_START
 *   IN_PROGRESS -> SUCCEEDED | FAILED | FAULT | TIMED_OUT | STOPPED
 */
import { DEPLOYMENT_STATUSES, RUNNING_STATUSES, TERMINAL_STATUSES, type DeploymentStatus } from './deployment';

export type StatusRank = 0 | 1 | 2 | 3;

/** Statuses a deployment may be created with. */
export const INITIAL_STATUSES = ['PENDING', 'QUEUED', 'REJECTED'] as const;
export type InitialStatus = (typeof INITIAL_STATUSES)[number];

/** Build statuses as CodeBuild (or the local runner) reports them; structurally the same as the build-service port's. */
export const BUILD_STATUSES = ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'] as const;
export type BuildStatusName = (typeof BUILD_STATUSES)[number];


export function statusRank(status: DeploymentStatus): StatusRank {
  switch (status) {
    case 'PENDING':
    case 'QUEUED':
      return 0;
    case 'STARTING':
      return 1;
    case 'IN_PROGRESS':
      return 2;
    default:
      return 3;
  }
}

export function isTerminal(status: DeploymentStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** STARTING or IN_PROGRESS: the deployment holds its environment. */
export function isRunning(status: DeploymentStatus): boolean {
  return RUNNING_STATUSES.has(status);
}

export function isInitialStatus(status: DeploymentStatus): status is InitialStatus {
  return (INITIAL_STATUSES as readonly DeploymentStatus[]).includes(status);
}

const EDGES: Readonly<Record<DeploymentStatus, readonly DeploymentStatus[]>> = {
  PENDING: ['REJECTED', 'SUPERSEDED'],
  QUEUED: ['STARTING', 'REJECTED', 'SUPERSEDED'],
  STARTING: ['IN_PROGRESS', 'SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED', 'FAILED_TO_START'],
  IN_PROGRESS: ['SUCCEEDED', 'FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED'],
  SUCCEEDED: [],
  FAILED: [],
  FAULT: [],
  TIMED_OUT: [],
  STOPPED: [],
  REJECTED: [],
  SUPERSEDED: [],
  FAILED_TO_START: [],
};

/** May a deployment in `from` move to `to`? Never to the same status, never backwards, never out of a terminal status. */
export function canTransition(from: DeploymentStatus, to: DeploymentStatus): boolean {
  return EDGES[from].includes(to) && statusRank(to) > statusRank(from);
}

/** The statuses from which `to` may be reached (the `IN` list of a conditional write), in the order of DEPLOYMENT_STATUSES. */
export function allowedPredecessors(to: DeploymentStatus): DeploymentStatus[] {
  return DEPLOYMENT_STATUSES.filter((from) => canTransition(from, to));
}

/** The deployment status a build status gives: the same name (every build status is a deployment status). */
export function statusForBuild(buildStatus: BuildStatusName): DeploymentStatus {
  return buildStatus;
}

/**
 * The status after a build event, or undefined when the event is stale or not applicable
 * (a late IN_PROGRESS after SUCCEEDED, a second terminal result, a build event for a deployment that never started).
 */
export function nextStatusForBuild(current: DeploymentStatus, buildStatus: BuildStatusName): DeploymentStatus | undefined {
  const next = statusForBuild(buildStatus);
  return canTransition(current, next) ? next : undefined;
}
