/**
 * Port: what the pull request review remembers between events (DynamoDB on AWS, dynalite locally).
 *
 * Per pull request: the summary comment id, the revision log, the inline comments already posted, the approval
 * given, the deployment results already posted, and a short lease that serialises the summary writes of concurrent
 * reviews. Per commit: the pull request that brought it (so a deployment of a settings commit finds its pull request).
 *
 * Every method is safe to call again with the same arguments; concurrent reviews are decided by conditional writes.
 */
import type { RevisionFacts, RevisionLogEntry } from '../domain/review/revision-log';

export type ApprovalState = 'APPROVE' | 'REVOKE';

export interface ApprovalRecord {
  readonly state: ApprovalState;
  readonly revisionId: string;
  /** ISO-8601 UTC. */
  readonly at: string;
}

export interface PullRequestReview {
  readonly repository: string;
  readonly pullRequestId: string;
  /** The summary comment, once posted. */
  readonly summaryCommentId?: string;
  /** Summary comments posted so far (a deleted one is replaced by a new one): part of the next one's token. */
  readonly summaryGeneration: number;
  /** Oldest first; at most MAX_REVISION_LOG_ENTRIES. */
  readonly revisions: readonly RevisionLogEntry[];
  /** Error fingerprints of the newest revision. */
  readonly fingerprints: readonly string[];
  /** When the pull request state of the newest recorded review was read (ISO-8601): orders concurrent reviews. */
  readonly observedAt?: string;
  /** Keys (`inlineKey`) of the inline comments already posted, on any revision. */
  readonly inlineCommentKeys: ReadonlySet<string>;
  /** The last approval state the controller set. */
  readonly approval?: ApprovalRecord;
  /** Keys of the deployment results already posted (`<deployment id>#<status>`). */
  readonly notifications: ReadonlySet<string>;
}

export type RecordRevisionResult =
  | { readonly outcome: 'recorded'; readonly entry: RevisionLogEntry; readonly review: PullRequestReview }
  /** A review that read the pull request later has recorded already: this one must not write anything. */
  | { readonly outcome: 'stale'; readonly review: PullRequestReview };

export type LeaseResult =
  /** This review may write the summary now; `review` is the record as it stands (summary comment id, generation). */
  | { readonly outcome: 'acquired'; readonly review: PullRequestReview }
  /** Another review of the same pull request holds the lease: wait and ask again. */
  | { readonly outcome: 'busy' }
  /** A newer review was recorded: this one must not write the summary. */
  | { readonly outcome: 'stale' };

/** What links a commit to a pull request. */
export type CommitLink =
  /** The commit is a source commit of the pull request (reviewed, or merged when `merged`). */
  | { readonly kind: 'pull-request'; readonly pullRequestId: string; readonly merged: boolean }
  /** The commit is the merge commit a CodeCommit merge made from `sourceCommit`. */
  | { readonly kind: 'merge'; readonly sourceCommit: string };

export interface ReviewStore {
  /** The review of a pull request (strongly consistent), or undefined before its first review. */
  getReview(repository: string, pullRequestId: string): Promise<PullRequestReview | undefined>;

  /**
   * Appends (or refreshes, for the same commits) the revision log entry of this review, unless a review that read the
   * pull request later (`observedAt`) recorded already.
   */
  recordRevision(repository: string, pullRequestId: string, facts: RevisionFacts & { readonly observedAt: string }): Promise<RecordRevisionResult>;

  /**
   * Takes the right to write the summary comment for `leaseSeconds`: granted when this review is still the newest
   * recorded one (`observedAt`) and no other owner holds an unexpired lease. `stale`: a newer review took over.
   */
  acquireSummaryLease(repository: string, pullRequestId: string, lease: { readonly owner: string; readonly observedAt: string; readonly now: Date; readonly leaseSeconds: number }): Promise<LeaseResult>;

  /** Gives the lease back; with `postedCommentId`, records the new summary comment and counts one more generation. */
  releaseSummaryLease(repository: string, pullRequestId: string, release: { readonly owner: string; readonly postedCommentId?: string }): Promise<void>;

  /** Remembers inline comments as posted (a set: adding twice is harmless). */
  addInlineCommentKeys(repository: string, pullRequestId: string, keys: readonly string[]): Promise<void>;

  recordApproval(repository: string, pullRequestId: string, approval: ApprovalRecord): Promise<void>;

  /** Remembers a deployment result as posted (`<deployment id>#<status>`). */
  addNotification(repository: string, pullRequestId: string, key: string): Promise<void>;

  /**
   * Links a commit to a pull request. A link to a merged pull request is never replaced by a review link (a commit
   * reviewed in two pull requests belongs to the one that merged it).
   */
  linkCommit(repository: string, commit: string, link: CommitLink): Promise<void>;

  /** The pull request that brought a commit: directly, or through the merge commit's source commit. */
  pullRequestOfCommit(repository: string, commit: string): Promise<string | undefined>;
}

export class ReviewRecordError extends Error {
  override readonly name = 'ReviewRecordError';
}
