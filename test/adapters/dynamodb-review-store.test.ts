import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbReviewStore, reviewKey } from '../../shared/adapters/dynamodb-review-store';
import { HISTORY_INDEXES } from '../../shared/adapters/dynamodb-deployment-store';
import { inlineKey } from '../../shared/domain/review/inline-comments';
import { ReviewRecordError } from '../../shared/ports/review-store';
import { freshHistoryTable, startDynalite, type LocalDynamo } from '../support/dynalite';

const REPO = 'spa-settings';
const PR = '7';
const D = 'd'.repeat(40);
const S1 = '1'.repeat(40);
const S2 = '2'.repeat(40);
const M = 'e'.repeat(40);

let local: LocalDynamo;
let store: DynamoDbReviewStore;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local.close();
});
beforeEach(async () => {
  tableName = await freshHistoryTable(local, 'review');
  store = new DynamoDbReviewStore(local.client, tableName);
});

function facts(sourceCommit: string, observedAt: string, fingerprints: string[] = []) {
  return { sourceCommit, destinationCommit: D, revisionId: `rev-${sourceCommit.slice(0, 4)}`, fingerprints, warnings: 0, reviewedAt: observedAt, observedAt };
}

describe('Class: DynamoDbReviewStore', () => {
  describe('Method: recordRevision', () => {
    it('starts the revision log of a pull request and appends one entry per new revision', async () => {
      // Act
      const first = await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z', ['a', 'b']));
      const second = await store.recordRevision(REPO, PR, facts(S2, '2026-01-01T00:00:02.000Z', ['b']));
      const review = await store.getReview(REPO, PR);

      // Assess
      expect(first.outcome === 'recorded' && first.entry.revision).toBe(1);
      expect(second.outcome === 'recorded' && second.entry).toMatchObject({ revision: 2, fixed: 1, introduced: 0, errors: 1 });
      expect(review?.revisions.map((r) => [r.revision, r.sourceCommit])).toEqual([
        [1, S1],
        [2, S2],
      ]);
      expect(review?.summaryGeneration).toBe(0);
    });

    it('refuses a review that read the pull request before the one already recorded', async () => {
      // Prepare
      await store.recordRevision(REPO, PR, facts(S2, '2026-01-01T00:00:05.000Z'));

      // Act
      const late = await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z'));

      // Assess
      expect(late.outcome).toBe('stale');
      expect((await store.getReview(REPO, PR))?.revisions.map((r) => r.sourceCommit)).toEqual([S2]);
    });

    it('numbers the entries of concurrent reviews without gaps, one per review not overtaken by a newer one', async () => {
      // Act
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store.recordRevision(REPO, PR, facts(String(i).repeat(40), `2026-01-01T00:00:0${i}.000Z`))),
      );

      // Assess
      const review = await store.getReview(REPO, PR);
      const recorded = results.filter((r) => r.outcome === 'recorded').length;
      expect(review?.revisions).toHaveLength(recorded);
      expect(review?.revisions.map((r) => r.revision)).toEqual(Array.from({ length: recorded }, (_, i) => i + 1));
    });
  });

  describe('Method: acquireSummaryLease', () => {
    it('grants the lease to the newest recorded review, makes others wait, and tells an older one it is stale', async () => {
      // Prepare
      const now = new Date('2026-01-01T00:01:00.000Z');
      await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z'));

      // Act
      const first = await store.acquireSummaryLease(REPO, PR, { owner: 'a', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });
      const again = await store.acquireSummaryLease(REPO, PR, { owner: 'a', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });
      const other = await store.acquireSummaryLease(REPO, PR, { owner: 'b', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });
      const older = await store.acquireSummaryLease(REPO, PR, { owner: 'c', observedAt: '2026-01-01T00:00:00.000Z', now, leaseSeconds: 30 });
      const later = await store.acquireSummaryLease(REPO, PR, { owner: 'b', observedAt: '2026-01-01T00:00:01.000Z', now: new Date(now.getTime() + 31_000), leaseSeconds: 30 });

      // Assess
      expect([first, again, other, older, later].map((lease) => lease.outcome)).toEqual(['acquired', 'acquired', 'busy', 'stale', 'acquired']);
      expect(first).toMatchObject({ review: { pullRequestId: PR, summaryGeneration: 0, revisions: [{ revision: 1 }] } });
    });
  });

  describe('Method: releaseSummaryLease', () => {
    it('records the posted summary comment, counts a generation and frees the lease', async () => {
      // Prepare
      const now = new Date('2026-01-01T00:01:00.000Z');
      await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z'));
      await store.acquireSummaryLease(REPO, PR, { owner: 'a', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });

      // Act
      await store.releaseSummaryLease(REPO, PR, { owner: 'a', postedCommentId: 'comment-1' });
      const next = await store.acquireSummaryLease(REPO, PR, { owner: 'b', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });

      // Assess
      const review = await store.getReview(REPO, PR);
      expect(review).toMatchObject({ summaryCommentId: 'comment-1', summaryGeneration: 1 });
      expect(next).toMatchObject({ outcome: 'acquired', review: { summaryCommentId: 'comment-1' } });
    });

    it('still records a posted comment when the lease was taken over meanwhile', async () => {
      // Prepare
      const now = new Date('2026-01-01T00:01:00.000Z');
      await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z'));
      await store.acquireSummaryLease(REPO, PR, { owner: 'b', observedAt: '2026-01-01T00:00:01.000Z', now, leaseSeconds: 30 });

      // Act
      await store.releaseSummaryLease(REPO, PR, { owner: 'a', postedCommentId: 'comment-9' });

      // Assess
      expect(await store.getReview(REPO, PR)).toMatchObject({ summaryCommentId: 'comment-9', summaryGeneration: 1 });
    });
  });

  describe('Method: addInlineCommentKeys', () => {
    it('remembers each posted inline comment once', async () => {
      // Prepare
      const a = inlineKey('environments/prod/settings.yaml', 1, 'wrong-type', ['m']);
      const b = inlineKey('environments/prod/settings.yaml', 2, 'wrong-type', ['m']);

      // Act
      await Promise.all([store.addInlineCommentKeys(REPO, PR, [a]), store.addInlineCommentKeys(REPO, PR, [a, b]), store.addInlineCommentKeys(REPO, PR, [])]);

      // Assess
      expect([...((await store.getReview(REPO, PR))?.inlineCommentKeys ?? [])].sort()).toEqual([a, b].sort());
    });
  });

  describe('Method: recordApproval', () => {
    it('keeps the last approval state with its revision', async () => {
      // Act
      await store.recordApproval(REPO, PR, { state: 'APPROVE', revisionId: 'r1', at: '2026-01-01T00:00:00.000Z' });
      await store.recordApproval(REPO, PR, { state: 'REVOKE', revisionId: 'r2', at: '2026-01-01T00:00:01.000Z' });

      // Assess
      expect((await store.getReview(REPO, PR))?.approval).toEqual({ state: 'REVOKE', revisionId: 'r2', at: '2026-01-01T00:00:01.000Z' });
    });
  });

  describe('Method: pullRequestOfCommit', () => {
    it('finds the pull request of a reviewed source commit, and of a merge commit made from it', async () => {
      // Prepare
      await store.linkCommit(REPO, S1, { kind: 'pull-request', pullRequestId: PR, merged: false });
      await store.linkCommit(REPO, M, { kind: 'merge', sourceCommit: S1 });

      // Act
      const direct = await store.pullRequestOfCommit(REPO, S1);
      const viaMerge = await store.pullRequestOfCommit(REPO, M);
      const unknown = await store.pullRequestOfCommit(REPO, S2);

      // Assess
      expect([direct, viaMerge, unknown]).toEqual([PR, PR, undefined]);
    });

    it('keeps the merged pull request of a commit that another pull request reviews later', async () => {
      // Prepare
      await store.linkCommit(REPO, S1, { kind: 'pull-request', pullRequestId: '7', merged: true });

      // Act
      await store.linkCommit(REPO, S1, { kind: 'pull-request', pullRequestId: '8', merged: false });

      // Assess
      expect(await store.pullRequestOfCommit(REPO, S1)).toBe('7');
    });

    it('never lets a fast-forward merge link replace the source commit link', async () => {
      // Prepare
      await store.linkCommit(REPO, S1, { kind: 'pull-request', pullRequestId: PR, merged: true });

      // Act
      await store.linkCommit(REPO, S1, { kind: 'merge', sourceCommit: S1 });

      // Assess
      expect(await store.pullRequestOfCommit(REPO, S1)).toBe(PR);
    });
  });

  describe('Table layout', () => {
    it('keeps review items out of every history index', async () => {
      // Prepare
      await store.recordRevision(REPO, PR, facts(S1, '2026-01-01T00:00:01.000Z', ['a']));
      await store.addInlineCommentKeys(REPO, PR, ['k1']);
      await store.addNotification(REPO, PR, 'prod-1#SUCCEEDED');
      await store.recordApproval(REPO, PR, { state: 'APPROVE', revisionId: 'r1', at: '2026-01-01T00:00:00.000Z' });
      await store.linkCommit(REPO, S1, { kind: 'pull-request', pullRequestId: PR, merged: false });

      // Act
      const { Items = [] } = await local.client.send(new ScanCommand({ TableName: tableName }));

      // Assess
      const indexed = new Set<string>(Object.values(HISTORY_INDEXES).flatMap((index) => ('sortKey' in index ? [index.partitionKey, index.sortKey] : [index.partitionKey])));
      for (const item of Items) {
        expect(String(item.pk)).toMatch(/^REVIEW(LINK)?#spa-settings#/);
        expect(Object.keys(item).filter((attribute) => indexed.has(attribute))).toEqual([]);
      }
      const { Item } = await local.client.send(new GetCommand({ TableName: tableName, Key: reviewKey(REPO, PR) }));
      expect(Item?.kind).toBe('review');
    });

    it('refuses keys that are not a repository name, a pull request id or a commit id', async () => {
      // Act and assess
      await expect(store.getReview('bad#name', PR)).rejects.toThrow(ReviewRecordError);
      await expect(store.getReview(REPO, 'x')).rejects.toThrow(ReviewRecordError);
      await expect(store.pullRequestOfCommit(REPO, 'HEAD')).rejects.toThrow(ReviewRecordError);
    });
  });
});
