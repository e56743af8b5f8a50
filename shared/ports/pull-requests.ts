/**
 * Port: the pull request operations the review needs (CodeCommit on AWS; files in local mode).
 * The documented refusals (author cannot approve, stale revision, closed pull request, deleted comment, idempotency
 * mismatch, oversized content...) come back as typed results; anything else throws.
 */
/** CodeCommit's comment size limit, in characters. */
export const MAX_COMMENT_CHARACTERS = 10_240;

export type PullRequestRefusal =
  | 'author-cannot-approve'
  | 'revision-not-current'
  | 'invalid-revision'
  | 'pull-request-closed'
  | 'pull-request-does-not-exist'
  | 'too-many-approvals'
  | 'comment-deleted'
  | 'comment-does-not-exist'
  | 'not-comment-author'
  | 'idempotency-mismatch'
  | 'content-too-large'
  | 'content-required'
  | 'commits-are-the-same'
  | 'invalid-location';

export interface Refused {
  readonly ok: false;
  readonly refusal: PullRequestRefusal;
  /** The service's message, escaped and cut for a log line. */
  readonly message: string;
}

export interface PullRequestTargetInfo {
  readonly repositoryName?: string;
  readonly sourceReference?: string;
  readonly destinationReference?: string;
  readonly sourceCommit?: string;
  readonly destinationCommit?: string;
  /** The merge base of source and destination: the `before` of "files changed by this pull request". */
  readonly mergeBase?: string;
  readonly isMerged?: boolean;
}

export interface PullRequestInfo {
  readonly pullRequestId: string;
  readonly revisionId: string;
  readonly status: 'OPEN' | 'CLOSED';
  readonly title: string;
  readonly authorArn?: string;
  readonly targets: readonly PullRequestTargetInfo[];
}

export interface CommentInfo {
  readonly commentId: string;
  readonly content: string;
  readonly authorArn?: string;
  readonly deleted: boolean;
  readonly clientRequestToken?: string;
  readonly inReplyTo?: string;
  readonly creationDate?: string;
  readonly lastModifiedDate?: string;
}

export interface CommentLocation {
  readonly filePath: string;
  /** 1-based line number. */
  readonly filePosition: number;
  readonly relativeFileVersion: 'BEFORE' | 'AFTER';
}

export interface PostCommentRequest {
  readonly pullRequestId: string;
  readonly repositoryName: string;
  /** The destination tip. */
  readonly beforeCommitId: string;
  /** The source tip. */
  readonly afterCommitId: string;
  readonly content: string;
  /** Omit for a general comment on the pull request. */
  readonly location?: CommentLocation;
  /**
   * Required and deterministic (e.g. a hash of repository, pull request, source commit and comment kind): the SDK would
   * otherwise generate a random one and a Lambda retry would post the comment twice.
   */
  readonly clientRequestToken: string;
}

export interface ListedComment extends CommentInfo {
  readonly beforeCommitId?: string;
  readonly afterCommitId?: string;
  readonly location?: Partial<CommentLocation>;
}

/** Why CodeCommit refuses a comment's content (empty, or over MAX_COMMENT_CHARACTERS), or undefined. */
export function contentRefusal(content: string): Refused | undefined {
  if (content.trim() === '') return { ok: false, refusal: 'content-required', message: 'the comment is empty' };
  if (content.length > MAX_COMMENT_CHARACTERS) {
    return { ok: false, refusal: 'content-too-large', message: `the comment has ${content.length} characters, CodeCommit accepts ${MAX_COMMENT_CHARACTERS}` };
  }
  return undefined;
}

export type CommentResult = { readonly ok: true; readonly comment: CommentInfo } | Refused;
export type ApprovalResult = { readonly ok: true } | Refused;

export interface PullRequests {
  getPullRequest(pullRequestId: string): Promise<PullRequestInfo | undefined>;
  postComment(request: PostCommentRequest): Promise<CommentResult>;
  updateComment(commentId: string, content: string): Promise<CommentResult>;
  getComment(commentId: string): Promise<CommentResult>;
  listComments(
    pullRequestId: string,
    on?: { readonly repositoryName: string; readonly beforeCommitId: string; readonly afterCommitId: string },
  ): Promise<ListedComment[]>;
  updateApprovalState(request: { readonly pullRequestId: string; readonly revisionId: string; readonly state: 'APPROVE' | 'REVOKE' }): Promise<ApprovalResult>;
}
