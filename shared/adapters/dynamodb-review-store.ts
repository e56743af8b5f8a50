/**
 * ReviewStore on the history table (single-table design, docs/review-records.md): review records live beside the
 * deployments under their own partition key prefixes and never set an attribute that a history index keys on.
 *
 * Like the deployment store, every decision is one conditional write on one item (dynalite has no transactions):
 * the revision log is a read-modify-write guarded by a version number, the summary lease a conditional update,
 * the sets of posted comments are `ADD`s (commutative, so concurrent reviews cannot lose one).
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { MAX_FINGERPRINTS, nextRevisionLog, type RevisionFacts } from '../domain/review/revision-log';
import { COMMIT_ID, PULL_REQUEST_ID, REPOSITORY_NAME } from '../events/primitives';
import {
  ReviewRecordError,
  type ApprovalRecord,
  type CommitLink,
  type LeaseResult,
  type PullRequestReview,
  type RecordRevisionResult,
  type ReviewStore,
} from '../ports/review-store';
import { isAwsError } from './aws-errors';

/** Partition key prefixes of the review items (the history table's own items use DEPLOYMENT# and ENVIRONMENTS). */
export const REVIEW_KEY_PREFIX = 'REVIEW#';
export const REVIEW_LINK_KEY_PREFIX = 'REVIEWLINK#';
const REVIEW_SORT = 'PULL_REQUEST';
const LINK_SORT = 'COMMIT';
const MAX_ATTEMPTS = 10;
/** Most keys one set keeps (inline comments, notifications): far above 25 per revision, far below the 400 KB item limit. */
const MAX_SET_SIZE = 5_000;
const KEY_PATTERN = /^[A-Za-z0-9._:#-]{1,200}$/;
const COMMENT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function reviewKey(repository: string, pullRequestId: string): { pk: string; sk: string } {
  checkRepository(repository);
  if (!PULL_REQUEST_ID.test(pullRequestId)) throw new ReviewRecordError('not a pull request id');
  return { pk: `${REVIEW_KEY_PREFIX}${repository}#${pullRequestId}`, sk: REVIEW_SORT };
}

export function commitLinkKey(repository: string, commit: string): { pk: string; sk: string } {
  checkRepository(repository);
  if (!COMMIT_ID.test(commit)) throw new ReviewRecordError('not a full commit id');
  return { pk: `${REVIEW_LINK_KEY_PREFIX}${repository}#${commit}`, sk: LINK_SORT };
}

function checkRepository(repository: string): void {
  if (!REPOSITORY_NAME.test(repository)) throw new ReviewRecordError('not a CodeCommit repository name');
}

const entrySchema = z.object({
  revision: z.number().int().positive(),
  sourceCommit: z.string().regex(COMMIT_ID),
  destinationCommit: z.string().regex(COMMIT_ID),
  revisionId: z.string().optional(),
  errors: z.number().int().nonnegative(),
  warnings: z.number().int().nonnegative(),
  fixed: z.number().int().nonnegative(),
  introduced: z.number().int().nonnegative(),
  reviewedAt: z.string(),
});

const stringSet = z
  .custom<Set<unknown>>((value) => value instanceof Set)
  .transform((set) => new Set([...set].filter((v): v is string => typeof v === 'string')));

const reviewItemSchema = z.object({
  kind: z.literal('review'),
  repository: z.string(),
  pullRequestId: z.string(),
  summaryCommentId: z.string().regex(COMMENT_ID).optional(),
  summaryGeneration: z.number().int().nonnegative().optional(),
  revisions: z.array(entrySchema).optional(),
  fingerprints: z.array(z.string()).optional(),
  observedAt: z.string().optional(),
  version: z.number().int().nonnegative().optional(),
  inlineCommentKeys: stringSet.optional(),
  notifications: stringSet.optional(),
  approval: z.object({ state: z.enum(['APPROVE', 'REVOKE']), revisionId: z.string(), at: z.string() }).optional(),
});
type ReviewItem = z.infer<typeof reviewItemSchema>;

const linkItemSchema = z.object({
  kind: z.literal('review-link'),
  linkKind: z.enum(['pull-request', 'merge']),
  pullRequestId: z.string().regex(PULL_REQUEST_ID).optional(),
  merged: z.boolean().optional(),
  sourceCommit: z.string().regex(COMMIT_ID).optional(),
});

function toReview(repository: string, pullRequestId: string, item: ReviewItem | undefined): PullRequestReview {
  return {
    repository,
    pullRequestId,
    ...(item?.summaryCommentId !== undefined ? { summaryCommentId: item.summaryCommentId } : {}),
    summaryGeneration: item?.summaryGeneration ?? 0,
    revisions: item?.revisions ?? [],
    fingerprints: item?.fingerprints ?? [],
    ...(item?.observedAt !== undefined ? { observedAt: item.observedAt } : {}),
    inlineCommentKeys: item?.inlineCommentKeys ?? new Set(),
    ...(item?.approval !== undefined ? { approval: item.approval } : {}),
    notifications: item?.notifications ?? new Set(),
  };
}

function parseReview(item: Record<string, unknown>, where: string): ReviewItem {
  const parsed = reviewItemSchema.safeParse(item);
  if (!parsed.success) throw new ReviewRecordError(`review item ${where} is malformed: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

function isConditionFailure(error: unknown): boolean {
  return isAwsError(error, 'ConditionalCheckFailedException');
}

export class DynamoDbReviewStore implements ReviewStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
  ) {}

  async getReview(repository: string, pullRequestId: string): Promise<PullRequestReview | undefined> {
    const item = await this.readReview(repository, pullRequestId);
    return item === undefined ? undefined : toReview(repository, pullRequestId, item);
  }

  async recordRevision(repository: string, pullRequestId: string, facts: RevisionFacts & { readonly observedAt: string }): Promise<RecordRevisionResult> {
    const key = reviewKey(repository, pullRequestId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const item = await this.readReview(repository, pullRequestId);
      const review = toReview(repository, pullRequestId, item);
      if (item?.observedAt !== undefined && item.observedAt > facts.observedAt) return { outcome: 'stale', review };
      const next = nextRevisionLog({ revisions: review.revisions, fingerprints: review.fingerprints }, facts);
      const version = item?.version;
      try {
        await this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression:
              'SET #kind = :kind, #repository = :repository, #pr = :pr, #revisions = :revisions, #fingerprints = :fingerprints, ' +
              '#observedAt = :observedAt, #version = :next, #generation = if_not_exists(#generation, :zero), #updatedAt = :now',
            ConditionExpression: version === undefined ? 'attribute_not_exists(#version)' : '#version = :version',
            ExpressionAttributeNames: {
              '#kind': 'kind',
              '#repository': 'repository',
              '#pr': 'pullRequestId',
              '#revisions': 'revisions',
              '#fingerprints': 'fingerprints',
              '#observedAt': 'observedAt',
              '#version': 'version',
              '#generation': 'summaryGeneration',
              '#updatedAt': 'updatedAt',
            },
            ExpressionAttributeValues: {
              ':kind': 'review',
              ':repository': repository,
              ':pr': pullRequestId,
              ':revisions': next.state.revisions,
              ':fingerprints': next.state.fingerprints.slice(0, MAX_FINGERPRINTS),
              ':observedAt': facts.observedAt,
              ':next': (version ?? 0) + 1,
              ':zero': 0,
              ':now': new Date().toISOString(),
              ...(version === undefined ? {} : { ':version': version }),
            },
          }),
        );
        return {
          outcome: 'recorded',
          entry: next.entry,
          review: { ...review, revisions: next.state.revisions, fingerprints: next.state.fingerprints, observedAt: facts.observedAt },
        };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    }
    throw new ReviewRecordError(`the review record of pull request ${pullRequestId} changed ${MAX_ATTEMPTS} times in a row`);
  }

  async acquireSummaryLease(
    repository: string,
    pullRequestId: string,
    lease: { readonly owner: string; readonly observedAt: string; readonly now: Date; readonly leaseSeconds: number },
  ): Promise<LeaseResult> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reviewKey(repository, pullRequestId),
          UpdateExpression: 'SET #owner = :owner, #until = :until',
          ReturnValues: 'ALL_NEW',
          ConditionExpression: '#observedAt = :observedAt AND (attribute_not_exists(#owner) OR #until < :now OR #owner = :owner)',
          ExpressionAttributeNames: { '#owner': 'leaseOwner', '#until': 'leaseUntil', '#observedAt': 'observedAt' },
          ExpressionAttributeValues: {
            ':owner': lease.owner,
            ':until': new Date(lease.now.getTime() + lease.leaseSeconds * 1000).toISOString(),
            ':now': lease.now.toISOString(),
            ':observedAt': lease.observedAt,
          },
        }),
      );
      return { outcome: 'acquired', review: toReview(repository, pullRequestId, parseReview(Attributes ?? {}, 'lease')) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const item = await this.readReview(repository, pullRequestId);
    return { outcome: item?.observedAt === lease.observedAt ? 'busy' : 'stale' };
  }

  async releaseSummaryLease(repository: string, pullRequestId: string, release: { readonly owner: string; readonly postedCommentId?: string }): Promise<void> {
    const key = reviewKey(repository, pullRequestId);
    const posted = release.postedCommentId;
    if (posted !== undefined && !COMMENT_ID.test(posted)) throw new ReviewRecordError('not a comment id');
    const recordPosted: Pick<UpdateCommandInput, 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> & { set: string } =
      posted === undefined
        ? { set: '', ExpressionAttributeNames: {}, ExpressionAttributeValues: {} }
        : {
            set: 'SET #comment = :comment ADD #generation :one ',
            ExpressionAttributeNames: { '#comment': 'summaryCommentId', '#generation': 'summaryGeneration' },
            ExpressionAttributeValues: { ':comment': posted, ':one': 1 },
          };
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: `${recordPosted.set}REMOVE #owner, #until`,
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { ...recordPosted.ExpressionAttributeNames, '#owner': 'leaseOwner', '#until': 'leaseUntil' },
          ExpressionAttributeValues: { ...recordPosted.ExpressionAttributeValues, ':owner': release.owner },
        }),
      );
      return;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    // The lease expired and another review holds it now: still remember the comment this one posted.
    if (posted === undefined) return;
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'SET #comment = :comment ADD #generation :one',
        ExpressionAttributeNames: recordPosted.ExpressionAttributeNames,
        ExpressionAttributeValues: recordPosted.ExpressionAttributeValues,
      }),
    );
  }

  async addInlineCommentKeys(repository: string, pullRequestId: string, keys: readonly string[]): Promise<void> {
    await this.addToSet(repository, pullRequestId, 'inlineCommentKeys', keys);
  }

  async addNotification(repository: string, pullRequestId: string, key: string): Promise<void> {
    await this.addToSet(repository, pullRequestId, 'notifications', [key]);
  }

  async recordApproval(repository: string, pullRequestId: string, approval: ApprovalRecord): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: reviewKey(repository, pullRequestId),
        UpdateExpression: 'SET #kind = if_not_exists(#kind, :kind), #repository = :repository, #pr = :pr, #approval = :approval',
        ExpressionAttributeNames: { '#kind': 'kind', '#repository': 'repository', '#pr': 'pullRequestId', '#approval': 'approval' },
        ExpressionAttributeValues: {
          ':kind': 'review',
          ':repository': repository,
          ':pr': pullRequestId,
          ':approval': { state: approval.state, revisionId: approval.revisionId, at: approval.at },
        },
      }),
    );
  }

  async linkCommit(repository: string, commit: string, link: CommitLink): Promise<void> {
    const key = commitLinkKey(repository, commit);
    const now = new Date().toISOString();
    if (link.kind === 'merge') {
      if (!COMMIT_ID.test(link.sourceCommit)) throw new ReviewRecordError('not a full commit id');
      // A fast-forward merge makes no new commit: the source commit's own link says it all.
      if (link.sourceCommit === commit) return;
      await this.putUnless(
        { ...key, kind: 'review-link', linkKind: 'merge', sourceCommit: link.sourceCommit, linkedAt: now },
        'attribute_not_exists(#pk) OR #linkKind = :merge',
        { '#pk': 'pk', '#linkKind': 'linkKind' },
        { ':merge': 'merge' },
      );
      return;
    }
    if (!PULL_REQUEST_ID.test(link.pullRequestId)) throw new ReviewRecordError('not a pull request id');
    const item = { ...key, kind: 'review-link', linkKind: 'pull-request', pullRequestId: link.pullRequestId, merged: link.merged, linkedAt: now };
    if (link.merged) await this.client.send(new PutCommand({ TableName: this.tableName, Item: item }));
    else await this.putUnless(item, 'attribute_not_exists(#pk) OR #merged = :false', { '#pk': 'pk', '#merged': 'merged' }, { ':false': false });
  }

  async pullRequestOfCommit(repository: string, commit: string): Promise<string | undefined> {
    const link = await this.readLink(repository, commit);
    if (link === undefined) return undefined;
    if (link.linkKind === 'pull-request') return link.pullRequestId;
    if (link.sourceCommit === undefined) return undefined;
    const source = await this.readLink(repository, link.sourceCommit);
    return source?.linkKind === 'pull-request' ? source.pullRequestId : undefined;
  }

  // ---- helpers ---------------------------------------------------------------------------------------------------

  private async readReview(repository: string, pullRequestId: string): Promise<ReviewItem | undefined> {
    const key = reviewKey(repository, pullRequestId);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return Item === undefined ? undefined : parseReview(Item, key.pk);
  }

  private async readLink(repository: string, commit: string): Promise<z.infer<typeof linkItemSchema> | undefined> {
    const key = commitLinkKey(repository, commit);
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    if (Item === undefined) return undefined;
    const parsed = linkItemSchema.safeParse(Item);
    if (!parsed.success) throw new ReviewRecordError(`review link ${key.pk} is malformed`);
    return parsed.data;
  }

  private async addToSet(repository: string, pullRequestId: string, attribute: 'inlineCommentKeys' | 'notifications', keys: readonly string[]): Promise<void> {
    const valid = [...new Set(keys)];
    if (valid.length === 0) return;
    if (valid.some((k) => !KEY_PATTERN.test(k))) throw new ReviewRecordError(`not a ${attribute} key`);
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: reviewKey(repository, pullRequestId),
          UpdateExpression: 'SET #kind = if_not_exists(#kind, :kind), #repository = :repository, #pr = :pr ADD #set :keys',
          // Bounded: a pull request reviewed thousands of times stops remembering rather than outgrowing the item.
          ConditionExpression: 'attribute_not_exists(#set) OR size(#set) < :max',
          ExpressionAttributeNames: { '#kind': 'kind', '#repository': 'repository', '#pr': 'pullRequestId', '#set': attribute },
          ExpressionAttributeValues: { ':kind': 'review', ':repository': repository, ':pr': pullRequestId, ':keys': new Set(valid), ':max': MAX_SET_SIZE },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      throw new ReviewRecordError(`the ${attribute} of pull request ${pullRequestId} reached ${MAX_SET_SIZE} entries`);
    }
  }

  private async putUnless(item: Record<string, unknown>, condition: string, names: Record<string, string>, values: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: condition, ExpressionAttributeNames: names, ExpressionAttributeValues: values }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
