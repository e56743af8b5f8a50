import {
  CodeCommitClient,
  CommentDeletedException,
  CommentDoesNotExistException,
  GetCommentCommand,
  GetCommentsForPullRequestCommand,
  GetPullRequestCommand,
  IdempotencyParameterMismatchException,
  PostCommentForPullRequestCommand,
  PullRequestAlreadyClosedException,
  PullRequestCannotBeApprovedByAuthorException,
  PullRequestDoesNotExistException,
  RevisionNotCurrentException,
  UpdateCommentCommand,
  UpdatePullRequestApprovalStateCommand,
  CommentContentSizeLimitExceededException,
} from '@aws-sdk/client-codecommit';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeCommitPullRequests } from '../../shared/adapters/codecommit-pull-requests';
import { MAX_COMMENT_CHARACTERS } from '../../shared/ports/pull-requests';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const C3 = 'c'.repeat(40);
const meta = { $metadata: { httpStatusCode: 400 } };
const CONTROLLER = 'arn:aws:sts::123456789012:assumed-role/spa-cd-review/spa-cd-controller';

function setup() {
  const client = new CodeCommitClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  return { mock, pullRequests: new CodeCommitPullRequests(client) };
}

const POST = {
  pullRequestId: '7',
  repositoryName: 'spa-settings',
  beforeCommitId: C1,
  afterCommitId: C2,
  content: '## spa-cd review',
  clientRequestToken: 'spa-cd-7-summary-0123456789abcdef',
};

describe('Class: CodeCommitPullRequests', () => {
  describe('Method: getPullRequest', () => {
    it('returns the revision, status, author and targets with the merge base', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(GetPullRequestCommand).resolves({
        pullRequest: {
          pullRequestId: '7',
          title: 'Add accounts',
          pullRequestStatus: 'OPEN',
          authorArn: 'arn:aws:iam::123456789012:user/alice',
          revisionId: 'r1',
          pullRequestTargets: [
            {
              repositoryName: 'spa-settings',
              sourceReference: 'refs/heads/feature',
              destinationReference: 'refs/heads/main',
              sourceCommit: C2,
              destinationCommit: C1,
              mergeBase: C3,
              mergeMetadata: { isMerged: false },
            },
          ],
        },
      });

      // Act
      const pr = await pullRequests.getPullRequest('7');

      // Assess
      expect(pr).toEqual({
        pullRequestId: '7',
        revisionId: 'r1',
        status: 'OPEN',
        title: 'Add accounts',
        authorArn: 'arn:aws:iam::123456789012:user/alice',
        targets: [
          {
            repositoryName: 'spa-settings',
            sourceReference: 'refs/heads/feature',
            destinationReference: 'refs/heads/main',
            sourceCommit: C2,
            destinationCommit: C1,
            mergeBase: C3,
            isMerged: false,
          },
        ],
      });
      expect(mock).toHaveReceivedCommandWith(GetPullRequestCommand, { pullRequestId: '7' });
    });

    it('returns undefined for a pull request that does not exist', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(GetPullRequestCommand).rejects(new PullRequestDoesNotExistException({ message: 'no', ...meta }));

      // Act
      const pr = await pullRequests.getPullRequest('999');

      // Assess
      expect(pr).toBeUndefined();
    });
  });

  describe('Method: postComment', () => {
    it('posts an inline comment with the caller token and location', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(PostCommentForPullRequestCommand).resolves({ comment: { commentId: 'c-1', content: 'x', authorArn: CONTROLLER, deleted: false } });

      // Act
      const result = await pullRequests.postComment({
        ...POST,
        content: 'unknown key',
        location: { filePath: 'environments/prod/settings.yaml', filePosition: 12, relativeFileVersion: 'AFTER' },
      });

      // Assess
      expect(result).toEqual({ ok: true, comment: { commentId: 'c-1', content: 'x', authorArn: CONTROLLER, deleted: false } });
      expect(mock.commandCalls(PostCommentForPullRequestCommand)[0]?.args[0].input).toEqual({
        pullRequestId: '7',
        repositoryName: 'spa-settings',
        beforeCommitId: C1,
        afterCommitId: C2,
        content: 'unknown key',
        clientRequestToken: 'spa-cd-7-summary-0123456789abcdef',
        location: { filePath: 'environments/prod/settings.yaml', filePosition: 12, relativeFileVersion: 'AFTER' },
      });
    });

    it('posts a general comment without a location', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(PostCommentForPullRequestCommand).resolves({ comment: { commentId: 'c-2' } });

      // Act
      await pullRequests.postComment(POST);

      // Assess
      expect(mock.commandCalls(PostCommentForPullRequestCommand)[0]?.args[0].input).not.toHaveProperty('location');
      expect(mock).toHaveReceivedCommandWith(PostCommentForPullRequestCommand, { clientRequestToken: POST.clientRequestToken });
    });

    it.each([
      ['IdempotencyParameterMismatchException', 'idempotency-mismatch', new IdempotencyParameterMismatchException({ message: 'mismatch', ...meta })],
      ['CommentContentSizeLimitExceededException', 'content-too-large', new CommentContentSizeLimitExceededException({ message: 'too big', ...meta })],
      ['PullRequestAlreadyClosedException', 'pull-request-closed', new PullRequestAlreadyClosedException({ message: 'closed', ...meta })],
    ])('turns %s into the refusal %s', async (_name, refusal, error) => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(PostCommentForPullRequestCommand).rejects(error);

      // Act
      const result = await pullRequests.postComment(POST);

      // Assess
      expect(result).toEqual({ ok: false, refusal, message: expect.stringContaining(error.name) });
    });

    it('refuses content over 10,240 characters without calling CodeCommit', async () => {
      // Prepare
      const { mock, pullRequests } = setup();

      // Act
      const result = await pullRequests.postComment({ ...POST, content: 'x'.repeat(MAX_COMMENT_CHARACTERS + 1) });

      // Assess
      expect(result).toEqual({ ok: false, refusal: 'content-too-large', message: 'the comment has 10241 characters, CodeCommit accepts 10240' });
      expect(mock.calls()).toHaveLength(0);
    });

    it('requires a deterministic client request token', async () => {
      // Prepare
      const { pullRequests } = setup();

      // Act
      const posting = pullRequests.postComment({ ...POST, clientRequestToken: '' });

      // Assess
      await expect(posting).rejects.toThrow(TypeError);
    });

    it('lets an unexpected failure through', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(PostCommentForPullRequestCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

      // Act
      const posting = pullRequests.postComment(POST);

      // Assess
      await expect(posting).rejects.toThrow('Rate exceeded');
    });
  });

  describe('Method: updateComment', () => {
    it('replaces the content of a comment', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(UpdateCommentCommand).resolves({ comment: { commentId: 'c-1', content: 'v2' } });

      // Act
      const result = await pullRequests.updateComment('c-1', 'v2');

      // Assess
      expect(result).toEqual({ ok: true, comment: { commentId: 'c-1', content: 'v2', deleted: false } });
      expect(mock).toHaveReceivedCommandWith(UpdateCommentCommand, { commentId: 'c-1', content: 'v2' });
    });

    it.each([
      ['CommentDeletedException', 'comment-deleted', new CommentDeletedException({ message: 'deleted', ...meta })],
      ['CommentDoesNotExistException', 'comment-does-not-exist', new CommentDoesNotExistException({ message: 'gone', ...meta })],
    ])('turns %s into the refusal %s so the caller can post a new one', async (_name, refusal, error) => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(UpdateCommentCommand).rejects(error);

      // Act
      const result = await pullRequests.updateComment('c-1', 'v2');

      // Assess
      expect(result).toMatchObject({ ok: false, refusal });
    });
  });

  describe('Method: getComment', () => {
    it('reports a deleted comment with its flag', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(GetCommentCommand).resolves({ comment: { commentId: 'c-1', content: '', deleted: true, creationDate: new Date('2024-01-02T03:04:05Z') } });

      // Act
      const result = await pullRequests.getComment('c-1');

      // Assess
      expect(result).toEqual({ ok: true, comment: { commentId: 'c-1', content: '', deleted: true, creationDate: '2024-01-02T03:04:05.000Z' } });
    });

    it('reports a missing comment as a refusal', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(GetCommentCommand).rejects(new CommentDoesNotExistException({ message: 'gone', ...meta }));

      // Act
      const result = await pullRequests.getComment('c-1');

      // Assess
      expect(result).toMatchObject({ ok: false, refusal: 'comment-does-not-exist' });
    });
  });

  describe('Method: listComments', () => {
    it('reads every page and keeps each comment with its commits and location', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock
        .on(GetCommentsForPullRequestCommand, { nextToken: undefined })
        .resolves({ commentsForPullRequestData: [{ beforeCommitId: C1, afterCommitId: C2, comments: [{ commentId: 'c-1', content: 'a', authorArn: CONTROLLER }] }], nextToken: 'n1' })
        .on(GetCommentsForPullRequestCommand, { nextToken: 'n1' })
        .resolves({
          commentsForPullRequestData: [
            { beforeCommitId: C1, afterCommitId: C2, location: { filePath: 'f', filePosition: 3, relativeFileVersion: 'AFTER' }, comments: [{ commentId: 'c-2', content: 'b' }] },
          ],
        });

      // Act
      const comments = await pullRequests.listComments('7', { repositoryName: 'spa-settings', beforeCommitId: C1, afterCommitId: C2 });

      // Assess
      expect(comments.map((comment) => [comment.commentId, comment.location?.filePosition])).toEqual([
        ['c-1', undefined],
        ['c-2', 3],
      ]);
      expect(mock).toHaveReceivedNthCommandWith(2, GetCommentsForPullRequestCommand, {
        pullRequestId: '7',
        repositoryName: 'spa-settings',
        beforeCommitId: C1,
        afterCommitId: C2,
        nextToken: 'n1',
      });
    });
  });

  describe('Method: updateApprovalState', () => {
    it('approves the given revision', async () => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(UpdatePullRequestApprovalStateCommand).resolves({});

      // Act
      const result = await pullRequests.updateApprovalState({ pullRequestId: '7', revisionId: 'r1', state: 'APPROVE' });

      // Assess
      expect(result).toEqual({ ok: true });
      expect(mock).toHaveReceivedCommandWith(UpdatePullRequestApprovalStateCommand, { pullRequestId: '7', revisionId: 'r1', approvalState: 'APPROVE' });
    });

    it.each([
      ['PullRequestCannotBeApprovedByAuthorException', 'author-cannot-approve', new PullRequestCannotBeApprovedByAuthorException({ message: 'author', ...meta })],
      ['RevisionNotCurrentException', 'revision-not-current', new RevisionNotCurrentException({ message: 'stale', ...meta })],
      ['PullRequestAlreadyClosedException', 'pull-request-closed', new PullRequestAlreadyClosedException({ message: 'closed', ...meta })],
    ])('turns %s into the refusal %s', async (_name, refusal, error) => {
      // Prepare
      const { mock, pullRequests } = setup();
      mock.on(UpdatePullRequestApprovalStateCommand).rejects(error);

      // Act
      const result = await pullRequests.updateApprovalState({ pullRequestId: '7', revisionId: 'r0', state: 'REVOKE' });

      // Assess
      expect(result).toEqual({ ok: false, refusal, message: `${error.name}: ${error.message}` });
    });
  });
});
