/**
 * `BuildService` on CodeBuild in the DevOps account (aws-facts.md (b)).
 *
 * start: StartBuild with the project, the deployment's variables as PLAINTEXT overrides (never secrets: CodeBuild echoes
 * them in events and BatchGetBuilds) and the caller's idempotency token. A full project (concurrent build limit),
 * throttling or a 5xx is "busy": retried with full-jitter exponential backoff, then reported busy. Access denied, a
 * missing project or invalid input is "refused". Anything else throws.
 */
import {
  BatchGetBuildsCommand,
  ListBuildsForProjectCommand,
  StartBuildCommand,
  StopBuildCommand,
  type Build,
  type CodeBuildClient,
  type EnvironmentVariable,
} from '@aws-sdk/client-codebuild';
import { BUILD_VARIABLES, type BuildInfo, type BuildService, type BuildStatus, type StartBuildRequest, type StartBuildResult } from '../ports/build-service';
import { BUILD_STATUSES, FAILED_PHASE_STATUSES, buildIdFromArn, normalizeBuildId } from '../events/codebuild';
import { BUILD_ID, PROJECT_NAME } from '../events/primitives';
import { describeError, errorName, httpStatusOf, isThrottlingOrServerError, isTransientNetworkError } from './aws-errors';

export const MAX_IDEMPOTENCY_TOKEN_LENGTH = 64;
export const MAX_ENVIRONMENT_VALUE_LENGTH = 4096;
/** BatchGetBuilds accepts at most 100 ids per call. */
export const BATCH_GET_BUILDS_LIMIT = 100;
const MAX_FAILURE_MESSAGE = 2000;
/** How many of a project's latest builds `findBuild` looks at (one ListBuildsForProject page). */
const RECENT_BUILDS_SEARCHED = 100;

/** A full project or account queue: try again later. */
const BUSY_ERRORS = ['AccountLimitExceededException'];
/** Will not work by retrying. */
const REFUSED_ERRORS = [
  'AccessDeniedException',
  'AccessDenied',
  'ResourceNotFoundException',
  'InvalidInputException',
  'OAuthProviderException',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'ValidationException',
];

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  readonly maxAttempts?: number;
  /** First backoff ceiling in ms (default 1000); doubles each attempt up to `maxDelayMs` (default 20000). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Injectable for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) (default Math.random). */
  readonly random?: () => number;
}

export interface CodeBuildBuildServiceOptions extends RetryOptions {
  /** A client with the trigger role's credentials, in the build region. */
  readonly client: CodeBuildClient;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Classification = 'busy' | 'refused' | 'unknown';

export function classifyStartBuildError(error: unknown): Classification {
  const name = errorName(error);
  if (BUSY_ERRORS.includes(name) || isThrottlingOrServerError(error) || isTransientNetworkError(error)) return 'busy';
  if (REFUSED_ERRORS.includes(name)) return 'refused';
  const status = httpStatusOf(error);
  return status !== undefined && status >= 400 && status < 500 ? 'refused' : 'unknown';
}

/** The StartBuild overrides of a deployment: every BUILD_VARIABLES name, in order, PLAINTEXT (an absent value is ''). */
export function buildEnvironmentOverrides(request: StartBuildRequest): EnvironmentVariable[] {
  return (Object.keys(BUILD_VARIABLES) as Array<keyof typeof BUILD_VARIABLES>).map((key) => ({
    name: BUILD_VARIABLES[key],
    value: request[key] ?? '',
    type: 'PLAINTEXT',
  }));
}

function checkRequest(request: StartBuildRequest, overrides: readonly EnvironmentVariable[]): string | undefined {
  if (!PROJECT_NAME.test(request.projectName)) return 'the project name is not a CodeBuild project name';
  if (request.idempotencyToken.length === 0 || request.idempotencyToken.length > MAX_IDEMPOTENCY_TOKEN_LENGTH) {
    return `the idempotency token must have 1 to ${MAX_IDEMPOTENCY_TOKEN_LENGTH} characters, it has ${request.idempotencyToken.length}`;
  }
  for (const variable of overrides) {
    const value = variable.value ?? '';
    if (value.length > MAX_ENVIRONMENT_VALUE_LENGTH) {
      return `${variable.name} has ${value.length} characters, CodeBuild accepts ${MAX_ENVIRONMENT_VALUE_LENGTH}`;
    }
    if (value.includes('\u0000')) return `${variable.name} contains a NUL character`;
  }
  return undefined;
}

function toBuildStatus(status: string | undefined): BuildStatus | undefined {
  return (BUILD_STATUSES as readonly string[]).includes(status ?? '') ? (status as BuildStatus) : undefined;
}

/** BatchGetBuilds' build → the port's BuildInfo; undefined when it has no usable id or status. */
export function toBuildInfo(build: Build): BuildInfo | undefined {
  const buildId = build.id !== undefined && BUILD_ID.test(build.id) ? build.id : build.arn === undefined ? undefined : buildIdFromArn(build.arn);
  const status = toBuildStatus(build.buildStatus);
  if (buildId === undefined || status === undefined) return undefined;
  const failed = (build.phases ?? []).find((phase) => phase.phaseStatus !== undefined && FAILED_PHASE_STATUSES.has(phase.phaseStatus));
  const failureMessage = failed?.contexts
    ?.map((context) => [context.statusCode, context.message].filter((part) => part !== undefined && part.trim() !== '').join(': '))
    .filter((message) => message !== '')
    .join('; ')
    .slice(0, MAX_FAILURE_MESSAGE);
  const deploymentId = build.environment?.environmentVariables?.find((variable) => variable.name === BUILD_VARIABLES.deploymentId)?.value;
  const start = build.startTime;
  const end = build.endTime;
  return {
    buildId,
    projectName: build.projectName ?? buildId.slice(0, buildId.indexOf(':')),
    status,
    ...(start === undefined ? {} : { startedAt: start.toISOString() }),
    ...(end === undefined ? {} : { endedAt: end.toISOString() }),
    ...(start === undefined || end === undefined ? {} : { durationSeconds: Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000)) }),
    ...(build.currentPhase === undefined ? {} : { currentPhase: build.currentPhase }),
    ...(failed?.phaseType === undefined ? {} : { failedPhase: failed.phaseType }),
    ...(failureMessage ? { failureMessage } : {}),
    ...(build.logs?.deepLink === undefined ? {} : { logsUrl: build.logs.deepLink }),
    ...(deploymentId === undefined ? {} : { deploymentId }),
  };
}

export class CodeBuildBuildService implements BuildService {
  private readonly client: CodeBuildClient;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;

  constructor(options: CodeBuildBuildServiceOptions) {
    this.client = options.client;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
  }

  /** Full jitter: a uniform wait between 0 and min(max, base × 2^(attempt-1)). */
  private backoff(attempt: number): number {
    return Math.floor(this.random() * Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
  }

  async start(request: StartBuildRequest): Promise<StartBuildResult> {
    const environmentVariablesOverride = buildEnvironmentOverrides(request);
    const invalid = checkRequest(request, environmentVariablesOverride);
    if (invalid !== undefined) return { outcome: 'refused', reason: invalid };
    const command = new StartBuildCommand({
      projectName: request.projectName,
      environmentVariablesOverride,
      idempotencyToken: request.idempotencyToken,
    });
    for (let attempt = 1; ; attempt += 1) {
      try {
        const output = await this.client.send(command);
        const build = output.build;
        const buildId = build?.id ?? (build?.arn === undefined ? undefined : buildIdFromArn(build.arn));
        if (buildId === undefined || !BUILD_ID.test(buildId)) throw new Error('StartBuild answered without a build id');
        return {
          outcome: 'started',
          buildId,
          ...(build?.logs?.deepLink === undefined ? {} : { logsUrl: build.logs.deepLink }),
          ...(build?.startTime === undefined ? {} : { startedAt: build.startTime.toISOString() }),
        };
      } catch (error) {
        const classification = classifyStartBuildError(error);
        if (classification === 'refused') return { outcome: 'refused', reason: describeError(error) };
        if (classification === 'unknown') throw error;
        if (attempt >= this.maxAttempts) return { outcome: 'busy', reason: `${describeError(error)} (after ${attempt} attempts)` };
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  async describe(buildIds: readonly string[]): Promise<BuildInfo[]> {
    const ids = [...new Set(buildIds.map(normalizeBuildId).filter((id): id is string => id !== undefined))];
    const infos: BuildInfo[] = [];
    for (let index = 0; index < ids.length; index += BATCH_GET_BUILDS_LIMIT) {
      const output = await this.client.send(new BatchGetBuildsCommand({ ids: ids.slice(index, index + BATCH_GET_BUILDS_LIMIT) }));
      for (const build of output.builds ?? []) {
        const info = toBuildInfo(build);
        if (info) infos.push(info);
      }
    }
    return infos;
  }

  /** ListBuildsForProject (newest first, one page: the project runs one build at a time) then BatchGetBuilds. */
  async findBuild(projectName: string, deploymentId: string): Promise<BuildInfo | undefined> {
    const listed = await this.client.send(new ListBuildsForProjectCommand({ projectName, sortOrder: 'DESCENDING' }));
    const ids = (listed.ids ?? []).slice(0, RECENT_BUILDS_SEARCHED);
    if (ids.length === 0) return undefined;
    const builds = await this.describe(ids);
    return builds.find((build) => build.deploymentId === deploymentId);
  }

  async stop(buildId: string): Promise<void> {
    const id = normalizeBuildId(buildId);
    if (id === undefined) throw new TypeError('not a CodeBuild build id or ARN');
    await this.client.send(new StopBuildCommand({ id }));
  }
}
