/**
 * CodeCommit events on EventBridge (aws-facts.md (a)): repository state change, pull request state change,
 * comment on pull request. Written from the AWS documentation examples and real captures in /work/shared/aws-events.
 */
import { z } from 'zod';
import { eventEnvelope } from './envelope';
import {
  commitIdSchema,
  freeText,
  fullRefNameSchema,
  opaqueIdSchema,
  principalArnSchema,
  pullRequestIdSchema,
  refNameSchema,
  repositoryNameSchema,
  tokenText,
} from './primitives';

export const MERGE_OPTIONS = ['FAST_FORWARD_MERGE', 'SQUASH_MERGE', 'THREE_WAY_MERGE'] as const;

/** Fields every repository event may carry, whatever moved. */
const repositoryCommon = {
  repositoryName: repositoryNameSchema,
  repositoryId: opaqueIdSchema,
  callerUserArn: principalArnSchema.optional(),
  /** Only when the caller's session has these session tags. */
  displayName: freeText(256).optional(),
  emailAddress: freeText(256).optional(),
};

const referenceFields = {
  referenceType: z.enum(['branch', 'tag']),
  referenceName: refNameSchema,
  referenceFullName: fullRefNameSchema,
};

/** Present only when the reference moved because of a CodeCommit merge (console or API); absent on a plain push. */
const mergeFields = {
  baseCommitId: commitIdSchema.optional(),
  sourceCommitId: commitIdSchema.optional(),
  destinationCommitId: commitIdSchema.optional(),
  mergeOption: z.enum(MERGE_OPTIONS).optional(),
  conflictDetailsLevel: tokenText(64).optional(),
  conflictResolutionStrategy: tokenText(64).optional(),
};

const referenceCreated = z.object({
  ...repositoryCommon,
  ...referenceFields,
  ...mergeFields,
  event: z.literal('referenceCreated'),
  /** The new tip. */
  commitId: commitIdSchema,
  oldCommitId: commitIdSchema.optional(),
});

const referenceUpdated = z.object({
  ...repositoryCommon,
  ...referenceFields,
  ...mergeFields,
  event: z.literal('referenceUpdated'),
  commitId: commitIdSchema,
  oldCommitId: commitIdSchema,
});

const referenceDeleted = z.object({
  ...repositoryCommon,
  ...referenceFields,
  event: z.literal('referenceDeleted'),
  /** Absent on deletion in every example; tolerated if present. */
  commitId: commitIdSchema.optional(),
  oldCommitId: commitIdSchema,
});

const unreferencedMergeCommitCreated = z.object({
  ...repositoryCommon,
  ...mergeFields,
  event: z.literal('unreferencedMergeCommitCreated'),
  commitId: commitIdSchema.optional(),
});

/** `referenceFullName` must agree with `referenceType` and `referenceName`: a tag can never pass for a branch. */
function refAgrees(detail: { event: string; referenceType?: 'branch' | 'tag'; referenceName?: string; referenceFullName?: string }): boolean {
  if (detail.referenceType === undefined) return true;
  const prefix = detail.referenceType === 'branch' ? 'refs/heads/' : 'refs/tags/';
  return detail.referenceFullName === `${prefix}${detail.referenceName ?? ''}`;
}

export const repositoryStateChangeDetailSchema = z
  .discriminatedUnion('event', [referenceCreated, referenceUpdated, referenceDeleted, unreferencedMergeCommitCreated])
  .refine(refAgrees, { message: 'referenceFullName does not match referenceType and referenceName', path: ['referenceFullName'] });

export const repositoryStateChangeSchema = eventEnvelope(
  'CodeCommit Repository State Change',
  'aws.codecommit',
  repositoryStateChangeDetailSchema,
);
export type RepositoryStateChangeEvent = z.infer<typeof repositoryStateChangeSchema>;
export type RepositoryStateChangeDetail = z.infer<typeof repositoryStateChangeDetailSchema>;

export const PULL_REQUEST_EVENTS = [
  'pullRequestCreated',
  'pullRequestSourceBranchUpdated',
  'pullRequestStatusChanged',
  'pullRequestMergeStatusUpdated',
  'pullRequestApprovalRuleCreated',
  'pullRequestApprovalRuleUpdated',
  'pullRequestApprovalRuleDeleted',
  'pullRequestApprovalRuleOverridden',
  'pullRequestApprovalStateChanged',
] as const;

export const pullRequestStateChangeDetailSchema = z.object({
  event: z.enum(PULL_REQUEST_EVENTS),
  pullRequestId: pullRequestIdSchema,
  repositoryNames: z.array(repositoryNameSchema).min(1).max(10),
  author: principalArnSchema,
  callerUserArn: principalArnSchema,
  title: freeText(1024),
  /** Absent when the pull request has none. */
  description: freeText(20_000).optional(),
  sourceReference: fullRefNameSchema,
  destinationReference: fullRefNameSchema,
  sourceCommit: commitIdSchema,
  destinationCommit: commitIdSchema,
  revisionId: opaqueIdSchema,
  /** The string "True" / "False" in events. */
  isMerged: z.enum(['True', 'False'], { message: 'expected "True" or "False"' }).transform((value) => value === 'True'),
  /** "Open" / "Closed" in events (the API says OPEN / CLOSED). */
  pullRequestStatus: z.enum(['Open', 'Closed']),
  /** Free-form dates in inconsistent formats: kept as text, never parsed (use the envelope `time`). */
  creationDate: freeText(128).optional(),
  lastModifiedDate: freeText(128).optional(),
  notificationBody: freeText(65_536).optional(),
  mergeOption: z.enum(MERGE_OPTIONS).optional(),
  approvalStatus: z.enum(['APPROVE', 'REVOKE']).optional(),
  overrideStatus: z.enum(['OVERRIDE', 'REVOKE']).optional(),
  approvalRuleId: opaqueIdSchema.optional(),
  approvalRuleName: freeText(100).optional(),
  approvalRuleContentSha256: opaqueIdSchema.optional(),
  displayName: freeText(256).optional(),
  emailAddress: freeText(256).optional(),
});

export const pullRequestStateChangeSchema = eventEnvelope(
  'CodeCommit Pull Request State Change',
  'aws.codecommit',
  pullRequestStateChangeDetailSchema,
);
export type PullRequestStateChangeEvent = z.infer<typeof pullRequestStateChangeSchema>;

export const pullRequestCommentDetailSchema = z.object({
  event: z.enum(['commentOnPullRequestCreated', 'commentOnPullRequestUpdated']),
  repositoryName: repositoryNameSchema,
  repositoryId: opaqueIdSchema,
  pullRequestId: pullRequestIdSchema,
  commentId: opaqueIdSchema,
  inReplyTo: opaqueIdSchema.optional(),
  beforeCommitId: commitIdSchema,
  afterCommitId: commitIdSchema,
  /** Compare with the controller's own identity to ignore its own comments (loop prevention). */
  callerUserArn: principalArnSchema,
  notificationBody: freeText(65_536).optional(),
  displayName: freeText(256).optional(),
  emailAddress: freeText(256).optional(),
});

export const pullRequestCommentSchema = eventEnvelope(
  'CodeCommit Comment on Pull Request',
  'aws.codecommit',
  pullRequestCommentDetailSchema,
);
export type PullRequestCommentEvent = z.infer<typeof pullRequestCommentSchema>;
