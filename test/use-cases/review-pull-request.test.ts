import {
  GetDifferencesCommand,
  GetPullRequestCommand,
  PostCommentForPullRequestCommand,
  UpdateCommentCommand,
  UpdatePullRequestApprovalStateCommand,
} from '@aws-sdk/client-codecommit';
import { StartBuildCommand } from '@aws-sdk/client-codebuild';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { inlineToken, summaryToken } from '../../shared/domain/review/client-request-tokens';
import { CODECOMMIT_COMMENT_MAX_CHARS, SUMMARY_MARKER } from '../../shared/rendering/plan-markdown';
import { REVIEW_HEADER } from '../../shared/rendering/review-comments';
import { handlePullRequestEvent, linkMergeCommit } from '../../shared/use-cases/review-pull-request';
import { outsideCode } from '../rendering/markdown-checks';
import { startDynalite, type LocalDynamo } from '../support/dynalite';
import { AUTHOR_ARN, type FakeComment } from '../support/fake-codecommit';
import { badAccountLine, pullRequestEvent, repositoryFiles } from '../support/review-fixtures';
import { REPOSITORY, ReviewHarness } from '../support/review-harness';

const PROD_SETTINGS = 'environments/prod/settings.yaml';

let local: LocalDynamo;
let h: ReviewHarness;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local.close();
});
beforeEach(async () => {
  h = await ReviewHarness.create(local);
});
afterEach(() => {
  // Safety, for every scenario: the review starts no build and assumes no role.
  expect(h.codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  expect(h.sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
  expect(h.codebuild.calls()).toHaveLength(0);
  expect(h.sts.calls()).toHaveLength(0);
  h.restore();
});

/** Trunk with prod and dev valid; the pull request changes prod, with `bad` errors (none: a valid new account). */
function scenario(bad: readonly number[] = [1, 2, 3]) {
  const destination = h.fake.addCommit(repositoryFiles({ prod: {}, dev: {} }));
  const source = h.fake.addCommit(repositoryFiles({ prod: bad.length === 0 ? { goodAccounts: [900] } : { badAccounts: bad }, dev: {} }));
  const pr = h.fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination, revisionId: 'r1' });
  const created = pullRequestEvent('pullRequestCreated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1' });
  return { destination, source, pr, created };
}

function summaries(): FakeComment[] {
  return h.fake.visibleComments('general').filter((c) => c.content.startsWith(SUMMARY_MARKER));
}

function inlineLines(): number[] {
  return h.fake
    .visibleComments('inline')
    .map((c) => c.location?.filePosition ?? 0)
    .sort((a, b) => a - b);
}

describe('Function: handlePullRequestEvent', () => {
  describe('first review', () => {
    it('reads the merge base with GetPullRequest and diffs it with the source commit', async () => {
      // Prepare
      const { destination, source, created } = scenario();
      const base = h.fake.addCommit(repositoryFiles({ prod: {}, dev: {} }), 'older trunk');
      h.fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination, mergeBase: base });

      // Act
      await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(h.fake.mock).toHaveReceivedCommandWith(GetPullRequestCommand, { pullRequestId: '1' });
      expect(h.fake.mock.commandCalls(GetDifferencesCommand).map((call) => call.args[0].input)).toEqual([
        { repositoryName: REPOSITORY, beforeCommitSpecifier: base, afterCommitSpecifier: source },
      ]);
    });

    it('posts one summary comment on the destination and source commits, with a deterministic token', async () => {
      // Prepare
      const { destination, source, created } = scenario();

      // Act
      const outcome = await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'reviewed', revision: 1, environments: ['prod'], valid: false, summary: 'posted' });
      const general = h.fake.mock.commandCalls(PostCommentForPullRequestCommand).filter((call) => call.args[0].input.location === undefined);
      expect(general).toHaveLength(1);
      expect(general[0]?.args[0].input).toEqual({
        pullRequestId: '1',
        repositoryName: REPOSITORY,
        beforeCommitId: destination,
        afterCommitId: source,
        content: expect.stringMatching(new RegExp(`^${SUMMARY_MARKER}\\n${REVIEW_HEADER}\\n❌ `)),
        clientRequestToken: summaryToken({ repository: REPOSITORY, pullRequestId: '1', generation: 0, sourceCommit: source, destinationCommit: destination }),
      });
      const content = general[0]?.args[0].input.content ?? '';
      expect(content).toContain(`Reviewed commit \`${source}\` into \`main\`, revision \`r1\``);
      expect(content).toContain('revision 1 (');
      expect(h.metrics.total('ReviewsPosted')).toBe(1);
    });

    it('posts an inline comment on the exact line of each error, on the AFTER version, with a token per place', async () => {
      // Prepare
      const { destination, source, created } = scenario([1, 2, 3]);

      // Act
      await handlePullRequestEvent(h.deps(), created);

      // Assess
      const inline = h.fake.mock.commandCalls(PostCommentForPullRequestCommand).filter((call) => call.args[0].input.location !== undefined);
      expect(inline.map((call) => call.args[0].input.location)).toEqual(
        [0, 1, 2].map((i) => ({ filePath: PROD_SETTINGS, filePosition: badAccountLine(i), relativeFileVersion: 'AFTER' })),
      );
      const first = inline[0]?.args[0].input;
      expect(first).toMatchObject({ pullRequestId: '1', repositoryName: REPOSITORY, beforeCommitId: destination, afterCommitId: source });
      expect(first?.clientRequestToken).toBe(
        inlineToken({ repository: REPOSITORY, pullRequestId: '1', commit: source, file: PROD_SETTINGS, line: badAccountLine(0), code: (first?.content ?? '').split('`')[1] ?? '' }),
      );
      expect(first?.content).toMatch(/^❌ \*\*spa-cd error\*\* `/);
    });
  });

  describe('later revisions', () => {
    it('updates the same summary comment in place and posts only the new inline comments', async () => {
      // Prepare
      const { destination, created } = scenario([1, 2, 3]);
      await handlePullRequestEvent(h.deps(), created);
      const summaryId = summaries()[0]?.commentId;
      const fixed = h.fake.addCommit(repositoryFiles({ prod: { badAccounts: [1, 4] }, dev: {} }));
      h.fake.pushSource('1', fixed, 'r2');
      const postsBefore = h.fake.mock.commandCalls(PostCommentForPullRequestCommand).length;

      // Act
      const outcome = await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestSourceBranchUpdated', { sourceCommit: fixed, destinationCommit: destination, revisionId: 'r2' }));

      // Assess
      expect(outcome).toMatchObject({ outcome: 'reviewed', revision: 2, summary: 'updated' });
      expect(summaries().map((c) => c.commentId)).toEqual([summaryId]);
      expect(h.fake.mock).toHaveReceivedCommandWith(UpdateCommentCommand, { commentId: summaryId });
      const newPosts = h.fake.mock.commandCalls(PostCommentForPullRequestCommand).slice(postsBefore);
      // Account 1 keeps its line and its error (commented already); account 4 is a new error, on the line account 2 had.
      expect(newPosts.filter((call) => call.args[0].input.location !== undefined).map((call) => call.args[0].input.location?.filePosition)).toEqual([badAccountLine(1)]);
      expect(newPosts.filter((call) => call.args[0].input.location === undefined)).toHaveLength(0);
      const content = summaries()[0]?.content ?? '';
      expect(content).toMatch(/revision 2 \(`[0-9a-f]{7}`\): 2 errors fixed, 1 new, 2 remaining/);
      expect(content.indexOf('revision 2 (')).toBeLessThan(content.indexOf('revision 1 ('));
    });

    it('comments the error that appears on a new line of a new revision', async () => {
      // Prepare
      const { destination, created } = scenario([1]);
      await handlePullRequestEvent(h.deps(), created);
      const next = h.fake.addCommit(repositoryFiles({ prod: { badAccounts: [1, 2] }, dev: {} }));
      h.fake.pushSource('1', next, 'r2');

      // Act
      await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestSourceBranchUpdated', { sourceCommit: next, destinationCommit: destination, revisionId: 'r2' }));

      // Assess
      expect(inlineLines()).toEqual([badAccountLine(0), badAccountLine(1)]);
      expect(h.fake.visibleComments('inline').find((c) => c.location?.filePosition === badAccountLine(1))?.afterCommitId).toBe(next);
    });
  });

  describe('idempotency', () => {
    it('posts nothing twice when the same event comes again', async () => {
      // Prepare
      const { created } = scenario([1, 2]);
      await handlePullRequestEvent(h.deps(), created);
      const comments = h.fake.visibleComments().length;

      // Act
      const again = await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(again).toMatchObject({ outcome: 'reviewed', revision: 1, summary: 'updated', inline: { posted: 0 } });
      expect(h.fake.visibleComments()).toHaveLength(comments);
      expect(summaries()).toHaveLength(1);
    });

    it('posts nothing twice when a retry follows a crash between posting and recording', async () => {
      // Prepare
      const { created } = scenario([1, 2]);
      const crashing = h.deps({
        store: Object.assign(Object.create(h.store) as typeof h.store, {
          addInlineCommentKeys: async () => {
            throw new Error('crash after posting');
          },
        }),
      });
      await expect(handlePullRequestEvent(crashing, created)).rejects.toThrow('crash after posting');

      // Act
      await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(h.fake.visibleComments('inline')).toHaveLength(2);
      expect(summaries()).toHaveLength(1);
    });

    it('reviews the current revision when an older event arrives late', async () => {
      // Prepare
      const { destination, created } = scenario([1]);
      const next = h.fake.addCommit(repositoryFiles({ prod: {}, dev: {} }), 'fixed');
      h.fake.pushSource('1', next, 'r2');

      // Act
      const outcome = await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(outcome).toMatchObject({ outcome: 'reviewed', sourceCommit: next, destinationCommit: destination, valid: true });
      expect(h.fake.visibleComments('inline')).toHaveLength(0);
    });

    it('lets only one of two concurrent reviews post the summary', async () => {
      // Prepare
      const { created } = scenario([1]);

      // Act
      await Promise.all([handlePullRequestEvent(h.deps(), created), handlePullRequestEvent(h.deps(), created)]);

      // Assess
      expect(summaries()).toHaveLength(1);
      expect(h.fake.visibleComments('inline')).toHaveLength(1);
    });
  });

  describe('limits', () => {
    it('posts 25 inline comments out of 60 errors and says 35 more, within the size limit', async () => {
      // Prepare
      const { created } = scenario(Array.from({ length: 60 }, (_, i) => i + 1));

      // Act
      const outcome = await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect(outcome).toMatchObject({ inline: { posted: 25, overLimit: 35 } });
      expect(inlineLines()).toEqual(Array.from({ length: 25 }, (_, i) => badAccountLine(i)));
      const content = summaries()[0]?.content ?? '';
      expect(content).toContain('**35 more errors** not commented inline');
      expect(content.length).toBeLessThanOrEqual(CODECOMMIT_COMMENT_MAX_CHARS);
    });

    it('posts the next 25 inline comments on the next revision', async () => {
      // Prepare
      const bad = Array.from({ length: 60 }, (_, i) => i + 1);
      const { destination, created } = scenario(bad);
      await handlePullRequestEvent(h.deps(), created);
      const next = h.fake.addCommit(repositoryFiles({ prod: { badAccounts: bad }, dev: {} }, { 'README.md': 'changed' }));
      h.fake.pushSource('1', next, 'r2');

      // Act
      const outcome = await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestSourceBranchUpdated', { sourceCommit: next, destinationCommit: destination, revisionId: 'r2' }));

      // Assess
      expect(outcome).toMatchObject({ inline: { posted: 25, overLimit: 10 } });
      expect(h.fake.visibleComments('inline')).toHaveLength(50);
    });
  });

  describe('deleted summary', () => {
    it('posts a new summary when the stored one was deleted, and updates that one afterwards', async () => {
      // Prepare
      const { source, destination, created } = scenario([1]);
      await handlePullRequestEvent(h.deps(), created);
      const first = summaries()[0]?.commentId ?? '';
      h.fake.deleteComment(first);

      // Act
      const recreated = await handlePullRequestEvent(h.deps(), created);
      const updated = await handlePullRequestEvent(h.deps(), created);

      // Assess
      expect([recreated, updated]).toMatchObject([{ summary: 'posted' }, { summary: 'updated' }]);
      const live = summaries();
      expect(live).toHaveLength(1);
      expect(live[0]?.commentId).not.toBe(first);
      expect(live[0]?.clientRequestToken).toBe(summaryToken({ repository: REPOSITORY, pullRequestId: '1', generation: 1, sourceCommit: source, destinationCommit: destination }));
      expect((await h.store.getReview(REPOSITORY, '1'))?.summaryCommentId).toBe(live[0]?.commentId);
    });
  });

  describe('approval gating', () => {
    it('approves a valid pull request on the revision of the event', async () => {
      // Prepare
      const { created } = scenario([]);

      // Act
      const outcome = await handlePullRequestEvent(h.deps({ approvalGating: true }), created);

      // Assess
      expect(outcome).toMatchObject({ valid: true, approval: 'approved' });
      expect(h.fake.mock.commandCalls(UpdatePullRequestApprovalStateCommand).map((call) => call.args[0].input)).toEqual([
        { pullRequestId: '1', revisionId: 'r1', approvalState: 'APPROVE' },
      ]);
      expect(summaries()[0]?.content).toContain('Approval: **approved** by spa-cd');
    });

    it('re-reads a stale revision once and approves the current one', async () => {
      // Prepare
      const { created, pr } = scenario([]);
      pr.revisionId = 'r1-renamed';

      // Act
      const outcome = await handlePullRequestEvent(h.deps({ approvalGating: true }), created);

      // Assess
      expect(outcome).toMatchObject({ approval: 'approved' });
      expect(h.fake.mock.commandCalls(UpdatePullRequestApprovalStateCommand).map((call) => call.args[0].input.revisionId)).toEqual(['r1', 'r1-renamed']);
      expect(h.fake.mock.commandCalls(GetPullRequestCommand)).toHaveLength(2);
      expect((await h.store.getReview(REPOSITORY, '1'))?.approval).toMatchObject({ state: 'APPROVE', revisionId: 'r1-renamed' });
    });

    it('leaves approval to the newer event when the pull request moved during the review', async () => {
      // Prepare
      const { created, pr } = scenario([]);
      const deps = h.deps({ approvalGating: true });
      const read = deps.pullRequests.getPullRequest.bind(deps.pullRequests);
      let reads = 0;
      const moving = {
        ...deps,
        pullRequests: Object.assign(Object.create(deps.pullRequests) as typeof deps.pullRequests, {
          getPullRequest: async (id: string) => {
            reads += 1;
            if (reads === 2) h.fake.pushSource('1', h.fake.addCommit({ 'README.md': 'newer' }), 'r9');
            return read(id);
          },
        }),
      };
      // The event's revision id is stale already, and the re-read finds a newer push.
      pr.revisionId = 'r1-renamed';

      // Act
      const outcome = await handlePullRequestEvent(moving, created);

      // Assess
      expect(outcome).toMatchObject({ approval: 'revision-moved' });
      expect(h.fake.mock.commandCalls(UpdatePullRequestApprovalStateCommand)).toHaveLength(1);
      expect(summaries()[0]?.content).toContain('the review of the newer revision decides');
    });

    it('revokes its approval when a later revision breaks the settings, and never revokes what it did not approve', async () => {
      // Prepare
      const { destination, created } = scenario([]);
      const deps = h.deps({ approvalGating: true });
      await handlePullRequestEvent(deps, created);
      const broken = h.fake.addCommit(repositoryFiles({ prod: { badAccounts: [1] }, dev: {} }));
      h.fake.pushSource('1', broken, 'r2');
      const event = pullRequestEvent('pullRequestSourceBranchUpdated', { sourceCommit: broken, destinationCommit: destination, revisionId: 'r2' });

      // Act
      const revoked = await handlePullRequestEvent(deps, event);
      const again = await handlePullRequestEvent(deps, event);
      const broken3 = h.fake.addCommit(repositoryFiles({ prod: { badAccounts: [1, 2] }, dev: {} }));
      h.fake.pushSource('1', broken3, 'r3');
      const stillBroken = await handlePullRequestEvent(deps, pullRequestEvent('pullRequestSourceBranchUpdated', { sourceCommit: broken3, destinationCommit: destination, revisionId: 'r3' }));

      // Assess
      expect([revoked, again, stillBroken]).toMatchObject([{ approval: 'revoked' }, { approval: 'revoked' }, { approval: 'withheld' }]);
      expect(summaries()[0]?.content).toContain('**Approval:** not given: the settings are invalid');
      expect(h.fake.mock.commandCalls(UpdatePullRequestApprovalStateCommand).map((call) => call.args[0].input)).toEqual([
        { pullRequestId: '1', revisionId: 'r1', approvalState: 'APPROVE' },
        { pullRequestId: '1', revisionId: 'r2', approvalState: 'REVOKE' },
      ]);
    });

    it('says so when CodeCommit refuses because the controller is the author', async () => {
      // Prepare
      const { created } = scenario([]);
      h.fake.callerArn = AUTHOR_ARN;

      // Act
      const outcome = await handlePullRequestEvent(h.deps({ approvalGating: true }), created);

      // Assess
      expect(outcome).toMatchObject({ approval: 'author-cannot-approve', summary: 'posted' });
      expect(summaries()[0]?.content).toContain('not given: CodeCommit does not let the author of a pull request approve it');
    });
  });

  describe('no environment affected', () => {
    it('posts a short comment saying so, and approves with gating', async () => {
      // Prepare
      const destination = h.fake.addCommit(repositoryFiles({ prod: {} }));
      const source = h.fake.addCommit(repositoryFiles({ prod: {} }, { 'README.md': 'only the readme', 'docs/x.md': 'doc' }));
      h.fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination });

      // Act
      const outcome = await handlePullRequestEvent(h.deps({ approvalGating: true }), pullRequestEvent('pullRequestCreated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1' }));

      // Assess
      expect(outcome).toMatchObject({ environments: [], valid: true, approval: 'approved' });
      const content = summaries()[0]?.content ?? '';
      expect(content.split('\n').slice(0, 3)).toEqual([SUMMARY_MARKER, REVIEW_HEADER, '✅ **No environment affected**: merging this pull request deploys nothing']);
      expect(content).toContain('2 paths changed elsewhere');
      expect(content.length).toBeLessThan(1000);
    });
  });

  describe('hostile content', () => {
    it('escapes settings values, file names and titles so they cannot link, mention or break the markdown', async () => {
      // Prepare
      const hostile = '@all [click](https://evil.example) <img src=x onerror=alert(1)> </details> | `x` \u202Egnp.exe';
      const destination = h.fake.addCommit(repositoryFiles({ prod: {} }));
      const source = h.fake.addCommit(
        repositoryFiles({ prod: { note: hostile, badAccounts: [1] } }, { [`docs/${'@here [a](https://evil.example)'}.md`]: 'x', 'environments/prod/<img src=x>.csv': 'Account\n' }),
      );
      h.fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination, title: hostile });

      // Act
      await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestCreated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1', title: hostile }));

      // Assess
      for (const comment of h.fake.visibleComments()) {
        const outside = outsideCode(comment.content);
        expect(outside).not.toMatch(/\]\(https:\/\/evil/);
        expect(outside).not.toMatch(/@(all|here)\b/);
        expect(outside).not.toMatch(/<img|<\/details> \|/);
        expect(comment.content).not.toContain('\u202E');
      }
      expect(summaries()[0]?.content).toContain('\\[click\\]');
    });
  });

  describe('failures', () => {
    it('keeps reviewing when the summary comment fails: counted, logged, inline comments still posted', async () => {
      // Prepare
      const { created } = scenario([1]);
      const deps = h.deps();
      const post = deps.pullRequests.postComment.bind(deps.pullRequests);
      const failing = {
        ...deps,
        pullRequests: Object.assign(Object.create(deps.pullRequests) as typeof deps.pullRequests, {
          postComment: async (request: Parameters<typeof post>[0]) => {
            if (request.location === undefined) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
            return post(request);
          },
        }),
      };

      // Act
      const outcome = await handlePullRequestEvent(failing, created);

      // Assess
      expect(outcome).toMatchObject({ summary: 'failed', inline: { posted: 1 } });
      expect(h.metrics.total('CommentFailures')).toBe(1);
      expect(h.log.messages()).toContain('summary comment failed: retried on the next event');
      expect((await h.store.getReview(REPOSITORY, '1'))?.summaryCommentId).toBeUndefined();
    });
  });

  describe('events that ask for no review', () => {
    it('ignores a pull request into another branch, with a log line', async () => {
      // Prepare
      const { source, destination } = scenario();

      // Act
      const outcome = await handlePullRequestEvent(
        h.deps(),
        pullRequestEvent('pullRequestCreated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1', destinationReference: 'refs/heads/develop' }),
      );

      // Assess
      expect(outcome).toMatchObject({ outcome: 'ignored' });
      expect(h.fake.mock.calls()).toHaveLength(0);
      expect(h.log.messages()).toContain('pull request event ignored');
    });

    it('ignores a closed pull request and reviews a reopened one', async () => {
      // Prepare
      const { source, destination } = scenario([]);
      const fields = { sourceCommit: source, destinationCommit: destination, revisionId: 'r1' };

      // Act
      const closed = await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestStatusChanged', { ...fields, pullRequestStatus: 'Closed' }));
      const reopened = await handlePullRequestEvent(h.deps(), pullRequestEvent('pullRequestStatusChanged', { ...fields, pullRequestStatus: 'Open' }));

      // Assess
      expect([closed.outcome, reopened.outcome]).toEqual(['ignored', 'reviewed']);
    });

    it('links a merged pull request to its source commit, and a merge commit through it', async () => {
      // Prepare
      const { source, destination } = scenario([]);
      const mergeCommit = 'f'.repeat(40);

      // Act
      const outcome = await handlePullRequestEvent(
        h.deps(),
        pullRequestEvent('pullRequestMergeStatusUpdated', { sourceCommit: source, destinationCommit: destination, revisionId: 'r1', pullRequestStatus: 'Closed' }),
      );
      await linkMergeCommit(h.store, REPOSITORY, { commitId: mergeCommit, sourceCommitId: source });

      // Assess
      expect(outcome).toMatchObject({ outcome: 'linked', pullRequestId: '1' });
      expect(await h.store.pullRequestOfCommit(REPOSITORY, source)).toBe('1');
      expect(await h.store.pullRequestOfCommit(REPOSITORY, mergeCommit)).toBe('1');
      expect(h.fake.mock.calls()).toHaveLength(0);
    });
  });
});
