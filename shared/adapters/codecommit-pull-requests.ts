/**
 * A thin typed wrapper over the CodeCommit pull request APIs the review needs (aws-facts.md (c)).
 * The documented refusals (author cannot approve, stale revision, closed pull request, deleted comment, idempotency
 * mismatch, oversized content...) come back as typed results; anything else (network, throttling after the SDK's own
 * retries, permissions) throws.
 */
import {
  GetCommentCommand,
  GetCommentsForPullRequestCommand,
  GetPullRequestCommand,
  PostCommentForPullRequestCommand,
  UpdateCommentCommand,
  UpdatePullRequestApprovalStateCommand,
  type CodeCommitClient,
  type Comment,
} from '@aws-sdk/client-codecommit';
import { describeError, errorName } from './aws-errors';
import {
  contentRefusal,
  type ApprovalResult,
  type CommentInfo,
  type CommentLocation,
  type CommentResult,
  type ListedComment,
  type PostCommentRequest,
  type PullRequestInfo,
  type PullRequestRefusal,
  type PullRequests,
  type Refused,
} from '../ports/pull-requests';

const CLIENT_REQUEST_TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The CodeCommit exception behind each refusal. */
export const REFUSALS: Readonly<Record<string, PullRequestRefusal>> = {
  PullRequestCannotBeApprovedByAuthorException: 'author-cannot-approve',
  RevisionNotCurrentException: 'revision-not-current',
  InvalidRevisionIdException: 'invalid-revision',
  PullRequestAlreadyClosedException: 'pull-request-closed',
  PullRequestDoesNotExistException: 'pull-request-does-not-exist',
  MaximumNumberOfApprovalsExceededException: 'too-many-approvals',
  CommentDeletedException: 'comment-deleted',
  CommentDoesNotExistException: 'comment-does-not-exist',
  CommentNotCreatedByCallerException: 'not-comment-author',
  IdempotencyParameterMismatchException: 'idempotency-mismatch',
  CommentContentSizeLimitExceededException: 'content-too-large',
  CommentContentRequiredException: 'content-required',
  BeforeCommitIdAndAfterCommitIdAreSameException: 'commits-are-the-same',
  InvalidFileLocationException: 'invalid-location',
  InvalidFilePositionException: 'invalid-location',
  PathDoesNotExistException: 'invalid-location',
};

function refusedOrThrow(error: unknown): Refused {
  const refusal = REFUSALS[errorName(error)];
  if (refusal === undefined) throw error;
  return { ok: false, refusal, message: describeError(error) };
}

function toCommentInfo(comment: Comment | undefined): CommentInfo {
  if (!comment?.commentId) throw new Error('CodeCommit answered without a comment');
  return {
    commentId: comment.commentId,
    content: comment.content ?? '',
    deleted: comment.deleted ?? false,
    ...(comment.authorArn === undefined ? {} : { authorArn: comment.authorArn }),
    ...(comment.clientRequestToken === undefined ? {} : { clientRequestToken: comment.clientRequestToken }),
    ...(comment.inReplyTo === undefined ? {} : { inReplyTo: comment.inReplyTo }),
    ...(comment.creationDate === undefined ? {} : { creationDate: comment.creationDate.toISOString() }),
    ...(comment.lastModifiedDate === undefined ? {} : { lastModifiedDate: comment.lastModifiedDate.toISOString() }),
  };
}


export class CodeCommitPullRequests implements PullRequests {
  private callCount = 0;

  constructor(private readonly client: CodeCommitClient) {}

  get calls(): number {
    return this.callCount;
  }

  private send<T>(request: (client: CodeCommitClient) => Promise<T>): Promise<T> {
    this.callCount += 1;
    return request(this.client);
  }

  /** The pull request, or undefined when it does not exist. */
  async getPullRequest(pullRequestId: string): Promise<PullRequestInfo | undefined> {
    let output;
    try {
      output = await this.send((client) => client.send(new GetPullRequestCommand({ pullRequestId })));
    } catch (error) {
      if (errorName(error) === 'PullRequestDoesNotExistException') return undefined;
      throw error;
    }
    const pr = output.pullRequest;
    if (!pr?.revisionId || (pr.pullRequestStatus !== 'OPEN' && pr.pullRequestStatus !== 'CLOSED')) {
      throw new Error('CodeCommit answered GetPullRequest without a revision or status');
    }
    return {
      pullRequestId: pr.pullRequestId ?? pullRequestId,
      revisionId: pr.revisionId,
      status: pr.pullRequestStatus,
      title: pr.title ?? '',
      ...(pr.authorArn === undefined ? {} : { authorArn: pr.authorArn }),
      targets: (pr.pullRequestTargets ?? []).map((target) => ({
        ...(target.repositoryName === undefined ? {} : { repositoryName: target.repositoryName }),
        ...(target.sourceReference === undefined ? {} : { sourceReference: target.sourceReference }),
        ...(target.destinationReference === undefined ? {} : { destinationReference: target.destinationReference }),
        ...(target.sourceCommit === undefined ? {} : { sourceCommit: target.sourceCommit }),
        ...(target.destinationCommit === undefined ? {} : { destinationCommit: target.destinationCommit }),
        ...(target.mergeBase === undefined ? {} : { mergeBase: target.mergeBase }),
        ...(target.mergeMetadata?.isMerged === undefined ? {} : { isMerged: target.mergeMetadata.isMerged }),
      })),
    };
  }

  async postComment(request: PostCommentRequest): Promise<CommentResult> {
    if (!CLIENT_REQUEST_TOKEN.test(request.clientRequestToken)) {
      throw new TypeError('postComment needs a deterministic clientRequestToken of 1-128 characters [A-Za-z0-9._:-]');
    }
    const refused = contentRefusal(request.content);
    if (refused) return refused;
    try {
      const output = await this.send((client) =>
        client.send(
          new PostCommentForPullRequestCommand({
            pullRequestId: request.pullRequestId,
            repositoryName: request.repositoryName,
            beforeCommitId: request.beforeCommitId,
            afterCommitId: request.afterCommitId,
            content: request.content,
            clientRequestToken: request.clientRequestToken,
            ...(request.location === undefined
              ? {}
              : {
                  location: {
                    filePath: request.location.filePath,
                    filePosition: request.location.filePosition,
                    relativeFileVersion: request.location.relativeFileVersion,
                  },
                }),
          }),
        ),
      );
      return { ok: true, comment: toCommentInfo(output.comment) };
    } catch (error) {
      return refusedOrThrow(error);
    }
  }

  /** Replaces the content of a comment the controller wrote (only its author may). */
  async updateComment(commentId: string, content: string): Promise<CommentResult> {
    const refused = contentRefusal(content);
    if (refused) return refused;
    try {
      const output = await this.send((client) => client.send(new UpdateCommentCommand({ commentId, content })));
      return { ok: true, comment: toCommentInfo(output.comment) };
    } catch (error) {
      return refusedOrThrow(error);
    }
  }

  /** One comment; `deleted` is true when someone deleted it (or a `comment-deleted` refusal when CodeCommit says so). */
  async getComment(commentId: string): Promise<CommentResult> {
    try {
      const output = await this.send((client) => client.send(new GetCommentCommand({ commentId })));
      return { ok: true, comment: toCommentInfo(output.comment) };
    } catch (error) {
      return refusedOrThrow(error);
    }
  }

  /** Every comment of a pull request (all pages), optionally only those on one before/after commit pair. */
  async listComments(
    pullRequestId: string,
    on?: { readonly repositoryName: string; readonly beforeCommitId: string; readonly afterCommitId: string },
  ): Promise<ListedComment[]> {
    const comments: ListedComment[] = [];
    const tokens = new Set<string>();
    let token: string | undefined;
    do {
      const nextToken = token;
      const output = await this.send((client) =>
        client.send(
          new GetCommentsForPullRequestCommand({
            pullRequestId,
            ...(on === undefined ? {} : { repositoryName: on.repositoryName, beforeCommitId: on.beforeCommitId, afterCommitId: on.afterCommitId }),
            ...(nextToken === undefined ? {} : { nextToken }),
          }),
        ),
      );
      for (const group of output.commentsForPullRequestData ?? []) {
        for (const comment of group.comments ?? []) {
          if (!comment.commentId) continue;
          comments.push({
            ...toCommentInfo(comment),
            ...(group.beforeCommitId === undefined ? {} : { beforeCommitId: group.beforeCommitId }),
            ...(group.afterCommitId === undefined ? {} : { afterCommitId: group.afterCommitId }),
            ...(group.location === undefined ? {} : { location: group.location as Partial<CommentLocation> }),
          });
        }
      }
      token = output.nextToken || undefined;
      if (token !== undefined) {
        if (tokens.has(token)) throw new Error('GetCommentsForPullRequest returned the same nextToken twice');
        tokens.add(token);
      }
    } while (token !== undefined);
    return comments;
  }

  /** APPROVE or REVOKE the given revision as the controller. */
  async updateApprovalState(request: { readonly pullRequestId: string; readonly revisionId: string; readonly state: 'APPROVE' | 'REVOKE' }): Promise<ApprovalResult> {
    try {
      await this.send((client) =>
        client.send(
          new UpdatePullRequestApprovalStateCommand({ pullRequestId: request.pullRequestId, revisionId: request.revisionId, approvalState: request.state }),
        ),
      );
      return { ok: true };
    } catch (error) {
      return refusedOrThrow(error);
    }
  }
}
