import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { localRevisionId } from '../../cli/local/local-events';
import { LocalPullRequests, type CommentChange } from '../../cli/local/local-pull-requests';
import { renderReviewFile, reviewFileOf, writeReviewFile } from '../../cli/local/review-files';
import { GitWorkTree } from '../support/git-work-tree';

describe('Class: LocalPullRequests', () => {
  let tree: GitWorkTree;
  let folder: string;
  let seen: CommentChange[];
  let prs: LocalPullRequests;
  let base: string;
  let source: string;

  beforeEach(() => {
    tree = new GitWorkTree('spa-cd-pr-');
    base = tree.write('environments/app/settings.yaml', 'a: 1\n').commit('base');
    tree.git('checkout', '-q', '-b', 'feature/x');
    source = tree.write('environments/app/settings.yaml', 'a: 2\n').commit('change');
    tree.git('checkout', '-q', 'main');
    folder = mkdtempSync(join(tmpdir(), 'spa-cd-pr-data-'));
    seen = [];
    prs = new LocalPullRequests(new GitSettingsRepository(tree.dir), folder, 'local-settings', (_pr, _comment, change) => seen.push(change));
    prs.open({ pullRequestId: '1', title: 'Change a', authorArn: 'arn:aws:iam::000000000000:user/dev', sourceBranch: 'feature/x', destinationBranch: 'main' });
  });
  afterEach(() => {
    tree.cleanup();
    rmSync(folder, { recursive: true, force: true });
  });

  const post = (content: string, clientRequestToken = 'token-1') =>
    prs.postComment({ pullRequestId: '1', repositoryName: 'local-settings', beforeCommitId: base, afterCommitId: source, content, clientRequestToken });

  it('answers GetPullRequest from git: current commits, merge base and the revision id events carry', async () => {
    const pr = await prs.getPullRequest('1');

    expect(pr).toMatchObject({ status: 'OPEN', title: 'Change a', revisionId: localRevisionId('1', source) });
    expect(pr?.targets[0]).toMatchObject({ sourceCommit: source, destinationCommit: base, mergeBase: base, destinationReference: 'refs/heads/main' });
    expect(await prs.getPullRequest('2')).toBeUndefined();
  });

  it('posts a comment once per client request token, and refuses the same token with other content', async () => {
    const first = await post('hello');
    const again = await post('hello');
    const other = await post('changed');

    expect(first.ok && again.ok && first.comment.commentId === again.comment.commentId).toBe(true);
    expect(other).toMatchObject({ ok: false, refusal: 'idempotency-mismatch' });
    expect(await prs.listComments('1')).toHaveLength(1);
    expect(seen).toEqual(['posted']);
  });

  it('updates a comment in place and keeps comments across instances (restarts)', async () => {
    const posted = await post('v1');
    const id = posted.ok ? posted.comment.commentId : '';

    const updated = await prs.updateComment(id, 'v2');
    const reopened = new LocalPullRequests(new GitSettingsRepository(tree.dir), folder, 'local-settings');

    expect(updated.ok && updated.comment.content).toBe('v2');
    expect((await reopened.listComments('1')).map((c) => c.content)).toEqual(['v2']);
    expect(await prs.updateComment('missing', 'x')).toMatchObject({ ok: false, refusal: 'comment-does-not-exist' });
  });

  it("applies CodeCommit's content rules", async () => {
    expect(await post('   ')).toMatchObject({ ok: false, refusal: 'content-required' });
    expect(await post('x'.repeat(10_241))).toMatchObject({ ok: false, refusal: 'content-too-large' });
  });

  it('writes the review file with the summary, the inline comments by file and line, and the deployment results', async () => {
    await post('<!-- spa-cd:summary -->\n## spa-cd review\nall good', 'summary');
    await prs.postComment({
      pullRequestId: '1',
      repositoryName: 'local-settings',
      beforeCommitId: base,
      afterCommitId: source,
      content: 'an error here',
      clientRequestToken: 'inline',
      location: { filePath: 'environments/app/settings.yaml', filePosition: 1, relativeFileVersion: 'AFTER' },
    });
    await post('<!-- spa-cd:deployment -->\n### app: SUCCEEDED', 'result');
    const pr = prs.get('1');
    if (pr === undefined) throw new Error('no pull request');

    const file = writeReviewFile(join(folder, 'reviews'), pr);

    expect(file).toBe(reviewFileOf(join(folder, 'reviews'), 'feature/x'));
    expect(readFileSync(file, 'utf8')).toBe(renderReviewFile(pr));
    expect(renderReviewFile(pr)).toMatch(/all good[\s\S]*### Inline comments \(1\)[\s\S]*`environments\/app\/settings.yaml:1`[\s\S]*### Deployment results \(1\)[\s\S]*app: SUCCEEDED/);
  });

  it('closes a pull request and keeps the commits it had', async () => {
    prs.close('1', 'merged into main', { source, destination: source });

    const pr = await prs.getPullRequest('1');

    expect(pr).toMatchObject({ status: 'CLOSED' });
    expect(pr?.targets[0]).toMatchObject({ sourceCommit: source, isMerged: true });
  });
});
