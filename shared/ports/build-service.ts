/**
 * Port: the build service that runs a deployment (CodeBuild in the DevOps account, or the local runner).
 */
import type { BuildStatusName } from '../domain/deployment/deployment-state';

export interface StartBuildRequest {
  readonly projectName: string;
  readonly deploymentId: string;
  readonly environment: string;
  readonly environmentPath: string;
  readonly settingsCommit: string;
  readonly spaVersion: string;
  readonly spaCommit?: string;
  readonly codeGitUrl: string;
  /** Deterministic, at most 64 characters: the same deployment never starts two builds within CodeBuild's 5-minute window. */
  readonly idempotencyToken: string;
}

export type StartBuildResult =
  | { readonly outcome: 'started'; readonly buildId: string; readonly logsUrl?: string; readonly startedAt?: string }
  /** The project's concurrent-build limit or throttling, after retries: try again later. */
  | { readonly outcome: 'busy'; readonly reason: string }
  /** Access denied, project missing, invalid input: will not work by retrying. */
  | { readonly outcome: 'refused'; readonly reason: string };

/** As CodeBuild reports it (one list: the deployment domain's BUILD_STATUSES). */
export type BuildStatus = BuildStatusName;

export interface BuildInfo {
  /** `project:uuid` (never the ARN). */
  readonly buildId: string;
  readonly projectName: string;
  readonly status: BuildStatus;
  readonly startedAt?: string;
  readonly endedAt?: string;
  readonly durationSeconds?: number;
  readonly currentPhase?: string;
  readonly failedPhase?: string;
  readonly failureMessage?: string;
  readonly logsUrl?: string;
  /** The SPA_CD_DEPLOYMENT_ID environment variable of the build, when present. */
  readonly deploymentId?: string;
}

export interface BuildService {
  start(request: StartBuildRequest): Promise<StartBuildResult>;
  /** Builds by id (`project:uuid` or ARN); unknown ids are left out. */
  describe(buildIds: readonly string[]): Promise<BuildInfo[]>;
  stop(buildId: string): Promise<void>;
  /**
   * The most recent build of a project started for a deployment (its SPA_CD_DEPLOYMENT_ID), among the project's
   * latest builds: how a crash between StartBuild and recording the build id is repaired without a second build.
   */
  findBuild(projectName: string, deploymentId: string): Promise<BuildInfo | undefined>;
}

/** Names of the environment variables a deployment build receives (StartBuild overrides, local runner). Never secrets. */
export const BUILD_VARIABLES = {
  deploymentId: 'SPA_CD_DEPLOYMENT_ID',
  environment: 'SPA_CD_ENVIRONMENT',
  environmentPath: 'SPA_CD_ENVIRONMENT_PATH',
  settingsCommit: 'SPA_CD_SETTINGS_COMMIT',
  spaVersion: 'SPA_CD_SPA_VERSION',
  spaCommit: 'SPA_CD_SPA_COMMIT',
  codeGitUrl: 'SPA_CD_CODE_GIT_URL',
} as const;
