/**
 * Port: the deployment history and the per-environment queue (DynamoDB on AWS, dynalite locally).
 *
 * Every method is safe to call again with the same arguments (duplicate and out-of-order events), and safe to call
 * concurrently: the store decides with conditional writes, so exactly one caller is ever told to start a build.
 *
 * Typical use (trunk push, per affected environment):
 *   const { deployment } = await store.createDeployment({ ...fields, status: 'QUEUED', order: { time: event.time } });
 *   const r = await store.startOrQueue(deployment.id);
 *   if (r.action === 'start') { const b = await builds.start(...); await store.recordBuildStarted(r.deployment.id, b) }
 * Build state change: `const r = await store.applyBuildState(info); if (r.next) start r.next's build`.
 */
import type { Deployment, DeploymentStatus, DeploymentTrigger } from '../domain/deployment/deployment';
import type { DeploymentOrder } from '../domain/deployment/deployment-order';
import type { BuildStatusName, InitialStatus } from '../domain/deployment/deployment-state';
import type { Diagnostic } from '../domain/settings/diagnostics';

export interface NewDeployment {
  /** `deploymentIdFor(...)` (deployment-id.ts); for `merge` and `reconcile` the store requires exactly that id. */
  readonly id: string;
  readonly environment: string;
  /** PENDING (auto_deploy false), QUEUED (to be started with `startOrQueue`) or REJECTED (invalid: recorded, never run). */
  readonly status: InitialStatus;
  readonly settingsCommit: string;
  readonly environmentPath: string;
  readonly spaVersion: string;
  readonly spaCommit?: string;
  readonly codeGitUrl: string;
  readonly trigger: DeploymentTrigger;
  readonly causedBy: string;
  readonly pullRequestId?: string;
  /** ISO-8601 UTC. */
  readonly createdAt: string;
  /** Queue and history order; defaults to `{ time: createdAt }`. For merges pass the event `time`. */
  readonly order?: DeploymentOrder;
  /** For REJECTED: the summary and the findings. */
  readonly reason?: string;
  readonly diagnostics?: readonly Diagnostic[];
}

export interface CreateResult {
  /** False when a deployment with this id existed already (duplicate event, or a commit already attempted). */
  readonly created: boolean;
  /** The stored deployment: the new one, or the one that existed. */
  readonly deployment: Deployment;
}

export type StartOrQueueResult =
  /** This call took the environment and moved the deployment to STARTING: start its build now. */
  | { readonly action: 'start'; readonly deployment: Deployment }
  /**
   * Already STARTING or IN_PROGRESS (another call took it). Do nothing; a STARTING deployment without build id whose
   * `claimedAt` is old is repaired by the reconciler (ask the build service by deployment id, never start blindly).
   */
  | { readonly action: 'in-flight'; readonly deployment: Deployment }
  /** Waits behind `runningId`; `superseded` lists the older queued deployment(s) this call marked SUPERSEDED. */
  | { readonly action: 'queued'; readonly deployment: Deployment; readonly runningId: string; readonly superseded: readonly Deployment[] }
  /** A newer deployment is queued, running or already ran: this one is SUPERSEDED by `by` and never runs. */
  | { readonly action: 'superseded'; readonly deployment: Deployment; readonly by: string }
  /** PENDING or finished: nothing to do. */
  | { readonly action: 'none'; readonly deployment: Deployment };

export interface BuildStarted {
  readonly buildId: string;
  readonly logsUrl?: string;
  readonly startedAt?: string;
}

export type RecordBuildResult =
  | { readonly outcome: 'recorded'; readonly deployment: Deployment }
  /** Another build id is recorded for this deployment: this build is a stray (stop it). */
  | { readonly outcome: 'other-build'; readonly deployment: Deployment }
  /** The deployment is not STARTING any more (e.g. FAILED_TO_START) and has no build id. */
  | { readonly outcome: 'not-starting'; readonly deployment: Deployment };

/** What a build state change tells the store (a subset of the build-service port's BuildInfo). */
export interface BuildStateUpdate {
  readonly buildId: string;
  readonly status: BuildStatusName;
  readonly deploymentId?: string;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationSeconds?: number;
  readonly failedPhase?: string;
  readonly failureMessage?: string;
  readonly logsUrl?: string;
}

export type ApplyBuildResult =
  /** No deployment has this build (nor the deployment id it carries). */
  | { readonly outcome: 'unknown-build' }
  /** The deployment records another build id: this event is about a stray build and changed nothing. */
  | { readonly outcome: 'other-build'; readonly deployment: Deployment }
  /** The status moved forward. `next`, when present, took the environment (now STARTING): start its build. */
  | { readonly outcome: 'applied'; readonly deployment: Deployment; readonly previousStatus: DeploymentStatus; readonly next?: Deployment }
  /** Older than what is recorded (late IN_PROGRESS, duplicate): nothing changed, but a pending release was completed. */
  | { readonly outcome: 'stale'; readonly deployment: Deployment; readonly next?: Deployment };

export interface FinishResult {
  readonly changed: boolean;
  readonly deployment: Deployment;
  /** The queued deployment that took the environment (now STARTING): start its build. */
  readonly next?: Deployment;
}

export interface ReleaseResult {
  /** True when this call freed the environment or handed it over. */
  readonly released: boolean;
  readonly next?: Deployment;
}

export interface DeploymentSummary {
  readonly id: string;
  readonly settingsCommit: string;
  readonly spaVersion: string;
  readonly spaCommit?: string;
  readonly orderKey: string;
  /** Running: when it took the environment; queued: when it was queued; last succeeded: when it finished. */
  readonly since: string;
}

export interface EnvironmentState {
  readonly name: string;
  readonly firstSeenAt: string;
  readonly running?: DeploymentSummary;
  readonly queued?: DeploymentSummary;
  /** What runs now: the settings and SPA version of the last successful deployment. */
  readonly lastSucceeded?: DeploymentSummary;
}

export interface HistoryQuery {
  readonly environment?: string;
  readonly status?: DeploymentStatus;
  readonly commit?: string;
  /** 1 to 1000. */
  readonly limit: number;
  /** `nextCursor` of the previous page of the same query. */
  readonly cursor?: string;
}

export interface HistoryPage {
  /** Newest first. */
  readonly items: readonly Deployment[];
  /** Present when more items follow: opaque, pass it back as `cursor`. */
  readonly nextCursor?: string;
}

export interface RunningOverview {
  /** STARTING and IN_PROGRESS deployments: compare each with its build. */
  readonly active: readonly Deployment[];
  /** QUEUED deployments that hold or could take their environment (a call crashed halfway): call `startOrQueue`. */
  readonly toStart: readonly Deployment[];
  /** Environments held by a finished (or missing) deployment: call `releaseEnvironment`. */
  readonly staleLeases: readonly { readonly environment: string; readonly deploymentId: string }[];
}

export interface DeploymentStore {
  /** Idempotent: a second create with the same id changes nothing and returns the stored deployment. */
  createDeployment(deployment: NewDeployment): Promise<CreateResult>;
  get(id: string): Promise<Deployment | undefined>;
  /** The automatic (merge or reconcile) deployment of this environment at this commit, whatever its status. */
  findAutomaticAttempt(environment: string, settingsCommit: string): Promise<Deployment | undefined>;

  /** Takes the environment (STARTING), queues behind the running one, or supersedes: see StartOrQueueResult. */
  /** `known`: the deployment as the caller just created or read it (saves a read; conditions still decide). */
  startOrQueue(id: string, known?: Deployment): Promise<StartOrQueueResult>;
  recordBuildStarted(id: string, build: BuildStarted): Promise<RecordBuildResult>;
  /** Moves the deployment forward only; on a terminal status releases the environment and promotes the queued one. */
  applyBuildState(update: BuildStateUpdate): Promise<ApplyBuildResult>;
  /** STARTING -> FAILED_TO_START (the build service refused), then releases the environment. */
  markFailedToStart(id: string, reason: string): Promise<FinishResult>;
  /** PENDING or QUEUED -> REJECTED, leaving the queue. */
  markRejected(id: string, reason: string, diagnostics?: readonly Diagnostic[]): Promise<FinishResult>;
  /** Frees the environment held by a finished deployment (repair); refuses while the deployment still runs. */
  releaseEnvironment(environment: string, deploymentId: string): Promise<ReleaseResult>;

  /** STARTING deployments of an environment (a build may or may not have been started for them). */
  findStarting(environment: string): Promise<Deployment[]>;
  listRunning(): Promise<RunningOverview>;

  listEnvironments(): Promise<EnvironmentState[]>;
  environmentState(environment: string): Promise<EnvironmentState | undefined>;
  history(query: HistoryQuery): Promise<HistoryPage>;
  byBuildId(buildId: string): Promise<Deployment | undefined>;
  /** Every deployment of a settings commit (all environments), newest first. */
  byCommit(settingsCommit: string): Promise<Deployment[]>;
  /** When a SPA version (the pin as written) first reached an environment: its first SUCCEEDED deployment. */
  firstSuccessWithVersion(environment: string, spaVersion: string): Promise<Deployment | undefined>;
}

/** Errors of the port (named, so use cases and the CLI can tell them apart). */
export class DeploymentNotFoundError extends Error {
  override readonly name = 'DeploymentNotFoundError';
  constructor(readonly deploymentId: string) {
    super(`no deployment with id '${deploymentId}'`);
  }
}

/** The input of createDeployment is not a valid deployment (a programming error of the caller). */
export class InvalidDeploymentError extends Error {
  override readonly name = 'InvalidDeploymentError';
}

/** A bad history query: limit out of range, unknown status, or a cursor that is not one of ours. */
export class InvalidHistoryQueryError extends Error {
  override readonly name: string = 'InvalidHistoryQueryError';
}

export class InvalidCursorError extends InvalidHistoryQueryError {
  override readonly name = 'InvalidCursorError';
  constructor(detail: string) {
    super(`invalid history cursor: ${detail}; pass the cursor printed by the previous page of the same query, or start again without one`);
  }
}

/** An item in the table does not have the shape this version of spa-cd writes. */
export class CorruptRecordError extends Error {
  override readonly name = 'CorruptRecordError';
}

/** Too many concurrent writers on one environment: the call changed nothing it cannot finish later; retry it. */
export class StoreContentionError extends Error {
  override readonly name = 'StoreContentionError';
}
