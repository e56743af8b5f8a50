/**
 * An in-memory CodeCommit behind aws-sdk-client-mock, for the pull request review tests and benchmark: commits of
 * files, pull requests, comments with CodeCommit's idempotency rules (same token and parameters → the first comment;
 * same token, other parameters → IdempotencyParameterMismatchException), comment authorship, deletion, approval
 * states with revision checks. Every call goes through the mock, so tests still assert the exact parameters with
 * `fake.mock.commandCalls(...)`. An optional latency is applied to every call (the benchmark's 50 ms).
 */
import { createHash } from 'node:crypto';
import {
  BeforeCommitIdAndAfterCommitIdAreSameException,
  CodeCommitClient,
  CommentContentSizeLimitExceededException,
  CommentDeletedException,
  CommentDoesNotExistException,
  CommentNotCreatedByCallerException,
  FileDoesNotExistException,
  FolderDoesNotExistException,
  GetCommentCommand,
  GetCommentsForPullRequestCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  GetPullRequestCommand,
  IdempotencyParameterMismatchException,
  PathDoesNotExistException,
  PostCommentForPullRequestCommand,
  PullRequestAlreadyClosedException,
  PullRequestCannotBeApprovedByAuthorException,
  PullRequestDoesNotExistException,
  RevisionNotCurrentException,
  UpdateCommentCommand,
  UpdatePullRequestApprovalStateCommand,
  type Comment,
  type Difference,
  type Location,
} from '@aws-sdk/client-codecommit';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export const CONTROLLER_ARN = 'arn:aws:sts::123456789012:assumed-role/spa-cd-on-pull-request/spa-cd-on-pull-request';
export const AUTHOR_ARN = 'arn:aws:sts::123456789012:assumed-role/Admin/Mary_Major';
const meta = { $metadata: { httpStatusCode: 400 } };

export type Files = Record<string, string>;

export interface FakePullRequest {
  pullRequestId: string;
  title: string;
  status: 'OPEN' | 'CLOSED';
  authorArn: string;
  revisionId: string;
  sourceReference: string;
  destinationReference: string;
  sourceCommit: string;
  destinationCommit: string;
  mergeBase: string;
}

export interface FakeComment {
  commentId: string;
  pullRequestId: string;
  beforeCommitId: string;
  afterCommitId: string;
  location?: Location;
  content: string;
  authorArn: string;
  clientRequestToken: string;
  deleted: boolean;
  /** JSON of the parameters the token was first used with. */
  parameters: string;
}

export class FakeCodeCommit {
  readonly client: CodeCommitClient;
  readonly mock: AwsClientStub<CodeCommitClient>;
  readonly commits = new Map<string, Map<string, string>>();
  readonly pullRequests = new Map<string, FakePullRequest>();
  readonly comments: FakeComment[] = [];
  readonly approvals: Array<{ pullRequestId: string; revisionId: string; state: string; by: string }> = [];
  /** Who calls (the controller's role session): the author of its comments and approvals. */
  callerArn = CONTROLLER_ARN;
  latencyMs = 0;
  private nextComment = 1;

  /** With `mockClass`, every CodeCommitClient (those a handler builds at module scope too) answers from this fake. */
  readonly repositoryName: string;

  constructor(options: { mockClass?: boolean; latencyMs?: number; repositoryName?: string } = {}) {
    this.repositoryName = options.repositoryName ?? 'MyDemoRepo';
    this.client = new CodeCommitClient({ region: 'us-east-2', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    this.mock = options.mockClass ? mockClient(CodeCommitClient) : mockClient(this.client);
    this.latencyMs = options.latencyMs ?? 0;
    this.install();
  }

  /** A commit holding exactly these files; its id is derived from the content (the same files, the same id). */
  addCommit(files: Files, salt = ''): string {
    const id = createHash('sha1').update(JSON.stringify([salt, Object.entries(files).sort()])).digest('hex');
    this.commits.set(id, new Map(Object.entries(files)));
    return id;
  }

  openPullRequest(pr: Partial<FakePullRequest> & Pick<FakePullRequest, 'sourceCommit' | 'destinationCommit'>): FakePullRequest {
    const full: FakePullRequest = {
      pullRequestId: '1',
      title: 'Change settings',
      status: 'OPEN',
      authorArn: AUTHOR_ARN,
      revisionId: 'r1',
      sourceReference: 'refs/heads/feature',
      destinationReference: 'refs/heads/main',
      mergeBase: pr.destinationCommit,
      ...pr,
    };
    this.pullRequests.set(full.pullRequestId, full);
    return full;
  }

  /** A push to the source branch: new source commit, new revision id. */
  pushSource(pullRequestId: string, sourceCommit: string, revisionId: string): void {
    const pr = this.pullRequests.get(pullRequestId);
    if (pr === undefined) throw new Error(`no pull request ${pullRequestId}`);
    pr.sourceCommit = sourceCommit;
    pr.revisionId = revisionId;
  }

  deleteComment(commentId: string): void {
    const comment = this.comments.find((c) => c.commentId === commentId);
    if (comment) {
      comment.deleted = true;
      comment.content = '';
    }
  }

  /** Comments not deleted, general (no location) or inline. */
  visibleComments(kind: 'general' | 'inline' | 'all' = 'all'): FakeComment[] {
    return this.comments.filter((c) => !c.deleted && (kind === 'all' || (kind === 'inline') === (c.location !== undefined)));
  }

  restore(): void {
    this.mock.restore();
  }

  private async delay(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }

  private files(commit: string | undefined): Map<string, string> {
    const files = commit === undefined ? undefined : this.commits.get(commit);
    if (files === undefined) throw Object.assign(new Error('commit does not exist'), { name: 'CommitDoesNotExistException', ...meta });
    return files;
  }

  private toComment(c: FakeComment): Comment {
    return { commentId: c.commentId, content: c.content, authorArn: c.authorArn, clientRequestToken: c.clientRequestToken, deleted: c.deleted, creationDate: new Date(0), lastModifiedDate: new Date(0) };
  }

  private install(): void {
    this.mock.on(GetDifferencesCommand).callsFake(async (input: { beforeCommitSpecifier?: string; afterCommitSpecifier: string }) => {
      await this.delay();
      const before = input.beforeCommitSpecifier === undefined ? new Map<string, string>() : this.files(input.beforeCommitSpecifier);
      const after = this.files(input.afterCommitSpecifier);
      const differences: Difference[] = [];
      for (const path of new Set([...before.keys(), ...after.keys()])) {
        const a = before.get(path);
        const b = after.get(path);
        if (a === b) continue;
        differences.push({
          changeType: a === undefined ? 'A' : b === undefined ? 'D' : 'M',
          ...(a === undefined ? {} : { beforeBlob: { path, blobId: blobId(a), mode: '100644' } }),
          ...(b === undefined ? {} : { afterBlob: { path, blobId: blobId(b), mode: '100644' } }),
        });
      }
      return { differences };
    });

    this.mock.on(GetFolderCommand).callsFake(async (input: { folderPath: string; commitSpecifier?: string }) => {
      await this.delay();
      const files = this.files(input.commitSpecifier);
      const folder = input.folderPath.replace(/^\/+|\/+$/g, '');
      const prefix = folder === '' ? '' : `${folder}/`;
      const direct: string[] = [];
      const subFolders = new Set<string>();
      for (const path of files.keys()) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (slash < 0) direct.push(path);
        else subFolders.add(`${prefix}${rest.slice(0, slash)}`);
      }
      if (folder !== '' && direct.length === 0 && subFolders.size === 0) {
        throw new FolderDoesNotExistException({ message: 'folder does not exist', ...meta });
      }
      return {
        commitId: input.commitSpecifier,
        folderPath: folder,
        files: direct.map((path) => ({ absolutePath: path, relativePath: path.slice(prefix.length), blobId: blobId(files.get(path) ?? ''), fileMode: 'NORMAL' as const })),
        subFolders: [...subFolders].map((path) => ({ absolutePath: path, relativePath: path.slice(prefix.length) })),
        symbolicLinks: [],
        subModules: [],
      };
    });

    this.mock.on(GetFileCommand).callsFake(async (input: { filePath: string; commitSpecifier?: string }) => {
      await this.delay();
      const content = this.files(input.commitSpecifier).get(input.filePath.replace(/^\/+/, ''));
      if (content === undefined) throw new FileDoesNotExistException({ message: 'file does not exist', ...meta });
      const bytes = new TextEncoder().encode(content);
      return { commitId: input.commitSpecifier, blobId: blobId(content), filePath: input.filePath, fileMode: 'NORMAL', fileSize: bytes.byteLength, fileContent: bytes };
    });

    this.mock.on(GetPullRequestCommand).callsFake(async (input: { pullRequestId: string }) => {
      await this.delay();
      const pr = this.pullRequests.get(input.pullRequestId);
      if (pr === undefined) throw new PullRequestDoesNotExistException({ message: 'no such pull request', ...meta });
      return {
        pullRequest: {
          pullRequestId: pr.pullRequestId,
          title: pr.title,
          pullRequestStatus: pr.status,
          authorArn: pr.authorArn,
          revisionId: pr.revisionId,
          pullRequestTargets: [
            {
              repositoryName: this.repositoryName,
              sourceReference: pr.sourceReference,
              destinationReference: pr.destinationReference,
              sourceCommit: pr.sourceCommit,
              destinationCommit: pr.destinationCommit,
              mergeBase: pr.mergeBase,
              mergeMetadata: { isMerged: false },
            },
          ],
        },
      };
    });

    this.mock.on(PostCommentForPullRequestCommand).callsFake(
      async (input: { pullRequestId: string; repositoryName: string; beforeCommitId: string; afterCommitId: string; content: string; location?: Location; clientRequestToken?: string }) => {
        await this.delay();
        const token = input.clientRequestToken ?? `random-${this.nextComment}`;
        const parameters = JSON.stringify([input.pullRequestId, input.repositoryName, input.beforeCommitId, input.afterCommitId, input.content, input.location ?? null]);
        const earlier = this.comments.find((c) => c.clientRequestToken === token);
        if (earlier !== undefined) {
          if (earlier.parameters !== parameters) throw new IdempotencyParameterMismatchException({ message: 'token reused with other parameters', ...meta });
          return { ...this.commentAnswer(earlier) };
        }
        if (!this.pullRequests.has(input.pullRequestId)) throw new PullRequestDoesNotExistException({ message: 'no such pull request', ...meta });
        if (input.beforeCommitId === input.afterCommitId) throw new BeforeCommitIdAndAfterCommitIdAreSameException({ message: 'same commits', ...meta });
        if (input.content.length > 10_240) throw new CommentContentSizeLimitExceededException({ message: 'too large', ...meta });
        if (input.location?.filePath !== undefined && !this.files(input.afterCommitId).has(input.location.filePath)) {
          throw new PathDoesNotExistException({ message: 'no such path', ...meta });
        }
        const comment: FakeComment = {
          commentId: `comment-${this.nextComment++}`,
          pullRequestId: input.pullRequestId,
          beforeCommitId: input.beforeCommitId,
          afterCommitId: input.afterCommitId,
          ...(input.location ? { location: input.location } : {}),
          content: input.content,
          authorArn: this.callerArn,
          clientRequestToken: token,
          deleted: false,
          parameters,
        };
        this.comments.push(comment);
        return this.commentAnswer(comment);
      },
    );

    this.mock.on(UpdateCommentCommand).callsFake(async (input: { commentId: string; content: string }) => {
      await this.delay();
      const comment = this.comments.find((c) => c.commentId === input.commentId);
      if (comment === undefined) throw new CommentDoesNotExistException({ message: 'no such comment', ...meta });
      if (comment.deleted) throw new CommentDeletedException({ message: 'comment deleted', ...meta });
      if (comment.authorArn !== this.callerArn) throw new CommentNotCreatedByCallerException({ message: 'Only comment authors can modify or delete their comments', ...meta });
      if (input.content.length > 10_240) throw new CommentContentSizeLimitExceededException({ message: 'too large', ...meta });
      comment.content = input.content;
      return { comment: this.toComment(comment) };
    });

    this.mock.on(GetCommentCommand).callsFake(async (input: { commentId: string }) => {
      await this.delay();
      const comment = this.comments.find((c) => c.commentId === input.commentId);
      if (comment === undefined) throw new CommentDoesNotExistException({ message: 'no such comment', ...meta });
      return { comment: this.toComment(comment) };
    });

    this.mock.on(GetCommentsForPullRequestCommand).callsFake(async (input: { pullRequestId: string }) => {
      await this.delay();
      return {
        commentsForPullRequestData: this.comments
          .filter((c) => c.pullRequestId === input.pullRequestId)
          .map((c) => ({ pullRequestId: c.pullRequestId, repositoryName: this.repositoryName, beforeCommitId: c.beforeCommitId, afterCommitId: c.afterCommitId, ...(c.location ? { location: c.location } : {}), comments: [this.toComment(c)] })),
      };
    });

    this.mock.on(UpdatePullRequestApprovalStateCommand).callsFake(async (input: { pullRequestId: string; revisionId: string; approvalState: string }) => {
      await this.delay();
      const pr = this.pullRequests.get(input.pullRequestId);
      if (pr === undefined) throw new PullRequestDoesNotExistException({ message: 'no such pull request', ...meta });
      if (pr.status === 'CLOSED') throw new PullRequestAlreadyClosedException({ message: 'closed', ...meta });
      if (pr.revisionId !== input.revisionId) throw new RevisionNotCurrentException({ message: 'revision not current', ...meta });
      if (pr.authorArn === this.callerArn) throw new PullRequestCannotBeApprovedByAuthorException({ message: 'author cannot approve', ...meta });
      this.approvals.push({ pullRequestId: input.pullRequestId, revisionId: input.revisionId, state: input.approvalState, by: this.callerArn });
      return {};
    });
  }

  private commentAnswer(c: FakeComment) {
    return {
      repositoryName: this.repositoryName,
      pullRequestId: c.pullRequestId,
      beforeCommitId: c.beforeCommitId,
      afterCommitId: c.afterCommitId,
      ...(c.location ? { location: c.location } : {}),
      comment: this.toComment(c),
    };
  }
}

function blobId(content: string): string {
  return createHash('sha1').update(content).digest('hex');
}
