/**
 * Local mode speaks the controller's language: every ref change and every build state change becomes the same
 * EventBridge-shaped event CodeCommit and CodeBuild send on AWS, and goes through the same parsing and the same
 * handlers. The events carry a fixed local origin (account 000000000000, region xx-local-1): values that pass the
 * event schemas and can never be mistaken for a real AWS account or region.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ControllerOrigin } from '../../shared/use-cases/deployment/controller-events';

export const LOCAL_ACCOUNT = '000000000000';
/** Passes the REGION pattern of shared/events/primitives.ts; not an AWS region. */
export const LOCAL_REGION = 'xx-local-1';
export const LOCAL_REPOSITORY = 'local-settings';

export function localOrigin(trunk: string, repository = LOCAL_REPOSITORY): ControllerOrigin {
  return { account: LOCAL_ACCOUNT, region: LOCAL_REGION, repository, trunk, buildAccount: LOCAL_ACCOUNT, buildRegion: LOCAL_REGION };
}

/** A principal ARN naming a local person (git author, OS user): `arn:aws:iam::000000000000:user/<name>`. */
export function localPrincipal(name: string): string {
  const clean = name
    .normalize('NFKD')
    .replace(/[^\w+=,.@-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return `arn:aws:iam::${LOCAL_ACCOUNT}:user/${clean || 'local-user'}`;
}

/** The CodeBuild project of an environment in local mode: a valid project name, unique per environment name. */
export function localProjectName(environment: string): string {
  const slug = environment.replace(/[^A-Za-z0-9_-]/g, '-');
  const base = `spa-cd-local-${slug}`;
  if (slug === environment) return base;
  return `${base}-${createHash('sha256').update(environment).digest('hex').slice(0, 8)}`;
}

export function localBuildArn(buildId: string, origin: Pick<ControllerOrigin, 'buildAccount' | 'buildRegion'>): string {
  return `arn:aws:codebuild:${origin.buildRegion}:${origin.buildAccount}:build/${buildId}`;
}

/**
 * Strictly increasing ISO-8601 times: merges are ordered by their event time, so two commits seen in the same
 * millisecond must still come in order (the newest wins the queue).
 */
export class EventClock {
  private last = 0;
  constructor(private readonly now: () => Date = () => new Date()) {}

  next(): string {
    const t = Math.max(this.now().getTime(), this.last + 1);
    this.last = t;
    return new Date(t).toISOString();
  }
}

interface Envelope<T extends string, S extends string, D> {
  version: '0';
  id: string;
  'detail-type': T;
  source: S;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: D;
}

function envelope<T extends string, S extends string, D>(detailType: T, source: S, account: string, region: string, time: string, resources: string[], detail: D): Envelope<T, S, D> {
  return { version: '0', id: randomUUID(), 'detail-type': detailType, source, account, time, region, resources, detail };
}

function repositoryArn(origin: ControllerOrigin): string {
  return `arn:aws:codecommit:${origin.region}:${origin.account}:${origin.repository}`;
}

function repositoryId(origin: ControllerOrigin): string {
  const h = createHash('sha256').update(`${origin.account}/${origin.region}/${origin.repository}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export interface ReferenceChange {
  readonly branch: string;
  /** The new tip; absent only for a deleted branch. */
  readonly commitId?: string;
  /** The previous tip; absent for a created branch. */
  readonly oldCommitId?: string;
  /** Who moved the ref (a principal ARN, see `localPrincipal`). */
  readonly caller: string;
  readonly time: string;
  /** For a merge commit: its parents, as CodeCommit reports a merge (destination = first parent, source = last). */
  readonly merge?: { readonly destinationCommitId: string; readonly sourceCommitId: string };
}

/** `CodeCommit Repository State Change`: referenceCreated, referenceUpdated or referenceDeleted of a branch. */
export function repositoryStateChangeEvent(origin: ControllerOrigin, change: ReferenceChange) {
  const event = change.commitId === undefined ? 'referenceDeleted' : change.oldCommitId === undefined ? 'referenceCreated' : 'referenceUpdated';
  return envelope('CodeCommit Repository State Change', 'aws.codecommit', origin.account, origin.region, change.time, [repositoryArn(origin)], {
    event,
    repositoryName: origin.repository,
    repositoryId: repositoryId(origin),
    referenceType: 'branch',
    referenceName: change.branch,
    referenceFullName: `refs/heads/${change.branch}`,
    ...(change.commitId !== undefined ? { commitId: change.commitId } : {}),
    ...(change.oldCommitId !== undefined ? { oldCommitId: change.oldCommitId } : {}),
    ...(change.merge !== undefined ? { ...change.merge, mergeOption: 'THREE_WAY_MERGE' as const } : {}),
    callerUserArn: change.caller,
  });
}

export interface PullRequestChange {
  readonly event: 'pullRequestCreated' | 'pullRequestSourceBranchUpdated' | 'pullRequestMergeStatusUpdated' | 'pullRequestStatusChanged';
  readonly pullRequestId: string;
  readonly title: string;
  readonly description?: string;
  readonly sourceBranch: string;
  readonly destinationBranch: string;
  readonly sourceCommit: string;
  readonly destinationCommit: string;
  readonly author: string;
  readonly time: string;
  /** Default: open and not merged. */
  readonly status?: 'Open' | 'Closed';
  readonly merged?: boolean;
}

/** `CodeCommit Pull Request State Change` for a local branch that differs from the trunk (or was merged or deleted). */
export function pullRequestStateChangeEvent(origin: ControllerOrigin, change: PullRequestChange) {
  return envelope('CodeCommit Pull Request State Change', 'aws.codecommit', origin.account, origin.region, change.time, [repositoryArn(origin)], {
    event: change.event,
    pullRequestId: change.pullRequestId,
    repositoryNames: [origin.repository],
    author: change.author,
    callerUserArn: change.author,
    title: change.title,
    ...(change.description !== undefined ? { description: change.description } : {}),
    sourceReference: `refs/heads/${change.sourceBranch}`,
    destinationReference: `refs/heads/${change.destinationBranch}`,
    sourceCommit: change.sourceCommit,
    destinationCommit: change.destinationCommit,
    revisionId: localRevisionId(change.pullRequestId, change.sourceCommit),
    isMerged: change.merged ? 'True' : 'False',
    pullRequestStatus: change.status ?? 'Open',
  });
}

/** The revision id of a pull request at a source commit: the same branch head is the same revision (events and GetPullRequest agree). */
export function localRevisionId(pullRequestId: string, sourceCommit: string): string {
  return createHash('sha256').update(`${pullRequestId}:${sourceCommit}`).digest('hex').slice(0, 40);
}

export type LocalBuildStatus = 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';

export interface LocalPhase {
  /** CodeBuild phase type: INSTALL, PRE_BUILD, BUILD, POST_BUILD... */
  readonly type: string;
  /** Absent while the phase runs. */
  readonly status?: 'SUCCEEDED' | 'FAILED' | 'FAULT' | 'TIMED_OUT' | 'STOPPED';
  readonly startTime: string;
  readonly endTime?: string;
  readonly durationSeconds?: number;
  readonly context?: readonly string[];
}

export interface BuildStateChange {
  readonly buildId: string;
  readonly projectName: string;
  readonly buildNumber: number;
  readonly status: LocalBuildStatus;
  readonly currentPhase: string;
  readonly startTime: string;
  readonly time: string;
  readonly phases: readonly LocalPhase[];
  /** The StartBuild environment overrides (SPA_CD_DEPLOYMENT_ID...). */
  readonly variables: Readonly<Record<string, string>>;
  readonly timeoutInMinutes: number;
}

/** `CodeBuild Build State Change`, shaped as CodeBuild sends it (IN_PROGRESS carries no phases). */
export function buildStateChangeEvent(origin: ControllerOrigin, change: BuildStateChange) {
  const arn = localBuildArn(change.buildId, origin);
  const terminal = change.status !== 'IN_PROGRESS';
  return envelope('CodeBuild Build State Change', 'aws.codebuild', origin.buildAccount, origin.buildRegion, change.time, [arn], {
    'build-status': change.status,
    'project-name': change.projectName,
    'build-id': arn,
    'current-phase': change.currentPhase,
    'current-phase-context': '[]',
    version: '1',
    'additional-information': {
      'build-complete': terminal,
      'build-number': change.buildNumber,
      initiator: 'spa-cd-local',
      'build-start-time': change.startTime,
      'timeout-in-minutes': change.timeoutInMinutes,
      source: { type: 'NO_SOURCE' },
      environment: {
        type: 'LOCAL_BASH',
        'environment-variables': Object.entries(change.variables).map(([name, value]) => ({ name, type: 'PLAINTEXT', value })),
      },
      ...(terminal
        ? {
            phases: change.phases.map((phase) => ({
              'phase-type': phase.type,
              ...(phase.status !== undefined ? { 'phase-status': phase.status } : {}),
              'start-time': phase.startTime,
              ...(phase.endTime !== undefined ? { 'end-time': phase.endTime } : {}),
              ...(phase.durationSeconds !== undefined ? { 'duration-in-seconds': phase.durationSeconds } : {}),
              'phase-context': [...(phase.context ?? [])],
            })),
          }
        : {}),
    },
  });
}
