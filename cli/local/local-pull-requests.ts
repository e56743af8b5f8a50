/**
 * Adapter: the pull request calls of the review (`PullRequestApi`, CodeCommit on AWS) on a local git repository.
 * A "pull request" is a branch that differs from the trunk; its commits are read from git now (as GetPullRequest
 * answers with the current revision), its comments are kept in a JSON file per pull request under the data folder,
 * with CodeCommit's rules: a client request token posts once (the same token with other content is refused), content
 * is 1 to 10,240 characters. Every posted or updated comment is handed to `onComment` (local mode prints it and
 * writes the review file).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import {
  contentRefusal,
  type ApprovalResult,
  type CommentInfo,
  type CommentLocation,
  type CommentResult,
  type ListedComment,
  type PostCommentRequest,
  type PullRequestInfo,
} from '../../shared/ports/pull-requests';
import { PULL_REQUEST_ID } from '../../shared/events/primitives';
import type { PullRequestApi } from '../../shared/use-cases/review-pull-request';
import { localRevisionId } from './local-events';
import { mergeBase } from './ref-watcher';

export interface LocalComment extends CommentInfo {
  readonly beforeCommitId: string;
  readonly afterCommitId: string;
  readonly location?: CommentLocation;
}

export interface LocalPullRequest {
  readonly version: 1;
  readonly pullRequestId: string;
  readonly title: string;
  readonly description?: string;
  readonly authorArn: string;
  readonly sourceBranch: string;
  readonly destinationBranch: string;
  status: 'OPEN' | 'CLOSED';
  /** Why it closed: merged into the trunk, or the branch was deleted. */
  closedBecause?: string;
  /** The source commit when it closed (a merged pull request keeps pointing at what was merged). */
  lastSourceCommit?: string;
  lastDestinationCommit?: string;
  comments: LocalComment[];
}

export type CommentChange = 'posted' | 'updated';

export class LocalPullRequests implements PullRequestApi {
  constructor(
    private readonly repository: GitSettingsRepository,
    private readonly folder: string,
    private readonly repositoryName: string,
    private readonly onComment: (pr: LocalPullRequest, comment: LocalComment, change: CommentChange) => void = () => {},
    private readonly now: () => Date = () => new Date(),
  ) {
    mkdirSync(folder, { recursive: true });
  }

  /** Opens (or refreshes the title of) the pull request of a branch. */
  open(input: { pullRequestId: string; title: string; description?: string; authorArn: string; sourceBranch: string; destinationBranch: string }): LocalPullRequest {
    const existing = this.read(input.pullRequestId);
    const pr: LocalPullRequest = {
      version: 1,
      ...input,
      status: 'OPEN',
      comments: existing?.comments ?? [],
    };
    this.write(pr);
    return pr;
  }

  close(pullRequestId: string, because: string, commits?: { source: string; destination: string }): LocalPullRequest | undefined {
    const pr = this.read(pullRequestId);
    if (pr === undefined) return undefined;
    pr.status = 'CLOSED';
    pr.closedBecause = because;
    if (commits) {
      pr.lastSourceCommit = commits.source;
      pr.lastDestinationCommit = commits.destination;
    }
    this.write(pr);
    return pr;
  }

  get(pullRequestId: string): LocalPullRequest | undefined {
    return this.read(pullRequestId);
  }

  async getPullRequest(pullRequestId: string): Promise<PullRequestInfo | undefined> {
    const pr = this.read(pullRequestId);
    if (pr === undefined) return undefined;
    let source = pr.lastSourceCommit;
    let destination = pr.lastDestinationCommit;
    if (pr.status === 'OPEN') {
      source = await this.head(pr.sourceBranch);
      destination = await this.head(pr.destinationBranch);
    }
    const base = source !== undefined && destination !== undefined ? await mergeBase(this.repository, destination, source) : undefined;
    return {
      pullRequestId,
      revisionId: localRevisionId(pullRequestId, source ?? ''),
      status: pr.status,
      title: pr.title,
      authorArn: pr.authorArn,
      targets: [
        {
          repositoryName: this.repositoryName,
          sourceReference: `refs/heads/${pr.sourceBranch}`,
          destinationReference: `refs/heads/${pr.destinationBranch}`,
          ...(source !== undefined ? { sourceCommit: source } : {}),
          ...(destination !== undefined ? { destinationCommit: destination } : {}),
          ...(base !== undefined ? { mergeBase: base } : {}),
          isMerged: pr.closedBecause?.startsWith('merged') ?? false,
        },
      ],
    };
  }

  async postComment(request: PostCommentRequest): Promise<CommentResult> {
    const refused = contentRefusal(request.content);
    if (refused) return refused;
    const pr = this.read(request.pullRequestId);
    if (pr === undefined) return { ok: false, refusal: 'pull-request-does-not-exist', message: `no pull request ${request.pullRequestId}` };
    const same = pr.comments.find((c) => c.clientRequestToken === request.clientRequestToken);
    if (same !== undefined) {
      if (same.content === request.content) return { ok: true, comment: same };
      return { ok: false, refusal: 'idempotency-mismatch', message: 'this client request token posted other content already' };
    }
    const at = this.now().toISOString();
    const comment: LocalComment = {
      commentId: randomUUID(),
      content: request.content,
      authorArn: 'spa-cd-local',
      deleted: false,
      clientRequestToken: request.clientRequestToken,
      creationDate: at,
      lastModifiedDate: at,
      beforeCommitId: request.beforeCommitId,
      afterCommitId: request.afterCommitId,
      ...(request.location ? { location: request.location } : {}),
    };
    pr.comments.push(comment);
    this.write(pr);
    this.onComment(pr, comment, 'posted');
    return { ok: true, comment };
  }

  async updateComment(commentId: string, content: string): Promise<CommentResult> {
    const refused = contentRefusal(content);
    if (refused) return refused;
    for (const pr of this.all()) {
      const index = pr.comments.findIndex((c) => c.commentId === commentId);
      const existing = pr.comments[index];
      if (existing === undefined) continue;
      if (existing.deleted) return { ok: false, refusal: 'comment-deleted', message: 'the comment was deleted' };
      const updated: LocalComment = { ...existing, content, lastModifiedDate: this.now().toISOString() };
      pr.comments[index] = updated;
      this.write(pr);
      this.onComment(pr, updated, 'updated');
      return { ok: true, comment: updated };
    }
    return { ok: false, refusal: 'comment-does-not-exist', message: `no comment ${commentId}` };
  }

  async listComments(pullRequestId: string): Promise<ListedComment[]> {
    return [...(this.read(pullRequestId)?.comments ?? [])];
  }

  /** Local mode does not gate: approvals are accepted and change nothing. */
  async updateApprovalState(): Promise<ApprovalResult> {
    return { ok: true };
  }

  private async head(branch: string): Promise<string | undefined> {
    try {
      return await this.repository.resolve(`refs/heads/${branch}`);
    } catch {
      return undefined;
    }
  }

  private file(pullRequestId: string): string {
    if (!PULL_REQUEST_ID.test(pullRequestId)) throw new Error('not a pull request id');
    return join(this.folder, `${pullRequestId}.json`);
  }

  private read(pullRequestId: string): LocalPullRequest | undefined {
    if (!PULL_REQUEST_ID.test(pullRequestId)) return undefined;
    try {
      const value = JSON.parse(readFileSync(this.file(pullRequestId), 'utf8')) as Partial<LocalPullRequest>;
      return value.version === 1 && Array.isArray(value.comments) ? (value as LocalPullRequest) : undefined;
    } catch {
      return undefined;
    }
  }

  private all(): LocalPullRequest[] {
    return readdirSync(this.folder)
      .map((name) => /^(\d{1,20})\.json$/.exec(name)?.[1])
      .filter((id): id is string => id !== undefined)
      .map((id) => this.read(id))
      .filter((pr): pr is LocalPullRequest => pr !== undefined);
  }

  private write(pr: LocalPullRequest): void {
    const file = this.file(pr.pullRequestId);
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(pr, null, 2)}\n`);
    renameSync(temporary, file);
  }
}

