import type { Diagnostic } from '../settings/diagnostics';

/**
 * A deployment: one attempt to bring one environment to one settings commit with one SPA version.
 * Statuses and their order are the contract of product.md section 6.
 */
export const DEPLOYMENT_STATUSES = [
  'PENDING', // merged while auto_deploy is false: waits for `spa-cd deploy`
  'QUEUED', // waits for the environment's running build to end
  'STARTING', // intent recorded, StartBuild sent or about to be
  'IN_PROGRESS', // the build runs
  'SUCCEEDED',
  'FAILED',
  'FAULT',
  'TIMED_OUT',
  'STOPPED',
  'REJECTED', // invalid settings (or frozen environment): not deployed
  'SUPERSEDED', // a newer deployment replaced it in the queue
  'FAILED_TO_START', // CodeBuild refused the build
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<DeploymentStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'FAULT',
  'TIMED_OUT',
  'STOPPED',
  'REJECTED',
  'SUPERSEDED',
  'FAILED_TO_START',
]);

/** Statuses that hold the environment: at most one deployment per environment is in one of these. */
export const RUNNING_STATUSES: ReadonlySet<DeploymentStatus> = new Set(['STARTING', 'IN_PROGRESS']);

export const DEPLOYMENT_TRIGGERS = ['merge', 'manual', 'redeploy', 'reconcile'] as const;
export type DeploymentTrigger = (typeof DEPLOYMENT_TRIGGERS)[number];

export interface Deployment {
  /**
   * Deterministic id: derived from (environment, settings commit, trigger, and for manual deploys a request id).
   * Build it with `deploymentIdFor` (deployment-id.ts): merge and reconcile of one commit share one id.
   */
  readonly id: string;
  readonly environment: string;
  readonly status: DeploymentStatus;
  /** Full 40-hex commit of the settings repository. */
  readonly settingsCommit: string;
  /** The environment folder in the settings repository (`environments/prod`). */
  readonly environmentPath: string;
  /** The pin as written (`v1.2.3`, a commit, or a branch with allow_floating_version). */
  readonly spaVersion: string;
  /** The commit the pin resolved to, when the code repository was reachable. */
  readonly spaCommit?: string;
  readonly codeGitUrl: string;
  readonly trigger: DeploymentTrigger;
  /** Who caused it: the pusher or merger (ARN or name), or the caller of `spa-cd deploy`. */
  readonly causedBy: string;
  readonly pullRequestId?: string;
  /** CodeBuild build id `project:uuid`. */
  readonly buildId?: string;
  readonly logsUrl?: string;
  /** ISO-8601 UTC times. */
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly durationSeconds?: number;
  readonly failedPhase?: string;
  /** Why it ended as it did: failed phase message, rejection summary, refusal reason, superseding deployment. */
  readonly reason?: string;
  /**
   * Position among the deployments of its environment (queue and history order): `<ISO time>#<sequence>#<id>`,
   * built by `orderKeyOf` (deployment-order.ts) from the merge event time or request time. Set by the store.
   */
  readonly orderKey?: string;
  /** When it took the environment (went STARTING): before StartBuild was sent. */
  readonly claimedAt?: string;
  /** The findings that made it REJECTED (capped by the store; `diagnosticsOmitted` counts the rest). */
  readonly diagnostics?: readonly Diagnostic[];
  readonly diagnosticsOmitted?: number;
}
