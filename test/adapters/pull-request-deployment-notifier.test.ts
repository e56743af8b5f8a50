import { PostCommentForPullRequestCommand } from '@aws-sdk/client-codecommit';
import { CodeCommitPullRequests } from '../../shared/adapters/codecommit-pull-requests';
import { DynamoDbReviewStore } from '../../shared/adapters/dynamodb-review-store';
import { PullRequestDeploymentNotifier } from '../../shared/adapters/pull-request-deployment-notifier';
import type { Deployment } from '../../shared/domain/deployment/deployment';
import { deploymentResultToken } from '../../shared/domain/review/client-request-tokens';
import { RecordingMetrics, silentLog } from '../../shared/ports/telemetry';
import { FakeCodeCommit } from '../support/fake-codecommit';
import { freshHistoryTable, startDynalite, type LocalDynamo } from '../support/dynalite';

const REPO = 'spa-settings';

let local: LocalDynamo;
let fake: FakeCodeCommit;
let store: DynamoDbReviewStore;
let metrics: RecordingMetrics;
let notifier: PullRequestDeploymentNotifier;
let source: string;
let destination: string;

beforeAll(async () => {
  local = await startDynalite();
});
afterAll(async () => {
  await local.close();
});
beforeEach(async () => {
  store = new DynamoDbReviewStore(local.client, await freshHistoryTable(local, 'notifier'));
  fake = new FakeCodeCommit({ repositoryName: REPO });
  destination = fake.addCommit({ 'README.md': 'trunk' });
  source = fake.addCommit({ 'README.md': 'trunk', 'environments/prod/settings.yaml': 'x: 1\n' });
  fake.openPullRequest({ pullRequestId: '7', sourceCommit: source, destinationCommit: destination });
  metrics = new RecordingMetrics();
  notifier = new PullRequestDeploymentNotifier({ repositoryName: REPO, pullRequests: new CodeCommitPullRequests(fake.client), store, log: silentLog, metrics });
});
afterEach(() => {
  fake.restore();
});

function deployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'prod-0123456789abcdef',
    environment: 'prod',
    status: 'SUCCEEDED',
    settingsCommit: source,
    environmentPath: 'environments/prod',
    spaVersion: 'v1.2.3',
    codeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
    trigger: 'merge',
    causedBy: 'arn:aws:sts::123456789012:assumed-role/Admin/Mary_Major',
    createdAt: '2026-01-01T00:00:00.000Z',
    durationSeconds: 95,
    ...overrides,
  };
}

describe('Class: PullRequestDeploymentNotifier', () => {
  describe('Method: statusChanged', () => {
    it('posts the result on the pull request linked to the settings commit, with a deterministic token', async () => {
      // Prepare
      await store.linkCommit(REPO, source, { kind: 'pull-request', pullRequestId: '7', merged: true });

      // Act
      await notifier.statusChanged(deployment(), 'IN_PROGRESS');

      // Assess
      const calls = fake.mock.commandCalls(PostCommentForPullRequestCommand);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.args[0].input).toEqual({
        pullRequestId: '7',
        repositoryName: REPO,
        beforeCommitId: destination,
        afterCommitId: source,
        content: expect.stringContaining('### ✅ `prod`: deployed'),
        clientRequestToken: deploymentResultToken({ repository: REPO, pullRequestId: '7', deploymentId: 'prod-0123456789abcdef', status: 'SUCCEEDED' }),
      });
      expect(calls[0]?.args[0].input.content).toContain('after 1 min 35 s');
    });

    it('finds the pull request of a merge commit through its source commit', async () => {
      // Prepare
      const merge = fake.addCommit({ 'README.md': 'merged' });
      await store.linkCommit(REPO, source, { kind: 'pull-request', pullRequestId: '7', merged: false });
      await store.linkCommit(REPO, merge, { kind: 'merge', sourceCommit: source });

      // Act
      await notifier.statusChanged(deployment({ settingsCommit: merge, status: 'FAILED', failedPhase: 'BUILD', reason: 'COMMAND_EXECUTION_ERROR: exit status 2' }), 'IN_PROGRESS');

      // Assess
      const content = fake.visibleComments('general')[0]?.content ?? '';
      expect(content).toContain('- **Failed phase:** `BUILD`: COMMAND\\_EXECUTION\\_ERROR: exit status 2');
    });

    it('posts one comment per deployment and status, whatever the number of calls', async () => {
      // Prepare
      const d = deployment({ pullRequestId: '7' });

      // Act
      await Promise.all([notifier.statusChanged(d, 'IN_PROGRESS'), notifier.statusChanged(d, 'IN_PROGRESS')]);
      await notifier.statusChanged(d, 'IN_PROGRESS');

      // Assess
      expect(fake.visibleComments('general')).toHaveLength(1);
      expect((await store.getReview(REPO, '7'))?.notifications.has('prod-0123456789abcdef#SUCCEEDED')).toBe(true);
    });

    it('posts queued, superseded and rejected deployments, but not starting or running ones', async () => {
      // Prepare
      const d = deployment({ pullRequestId: '7' });

      // Act
      for (const status of ['QUEUED', 'STARTING', 'IN_PROGRESS', 'SUPERSEDED'] as const) await notifier.statusChanged({ ...d, status }, undefined);
      await notifier.statusChanged({ ...d, id: 'prod-2', status: 'REJECTED', reason: 'invalid settings' }, undefined);

      // Assess
      const headlines = fake.visibleComments('general').map((c) => c.content.split('\n')[1]);
      expect(headlines).toEqual([
        '### ⏳ `prod`: queued: it waits for the deployment running in this environment',
        '### ⏭ `prod`: not deployed: a newer merge replaced it in the queue',
        '### ⛔ `prod`: not deployed: invalid settings',
      ]);
    });

    it('posts nothing for a commit no pull request brought', async () => {
      // Act
      await notifier.statusChanged(deployment(), 'IN_PROGRESS');

      // Assess
      expect(fake.mock.commandCalls(PostCommentForPullRequestCommand)).toHaveLength(0);
      expect(metrics.total('CommentFailures')).toBe(0);
    });

    it('never throws: a CodeCommit failure is logged and counted', async () => {
      // Prepare
      fake.mock.on(PostCommentForPullRequestCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

      // Act
      await notifier.statusChanged(deployment({ pullRequestId: '7' }), 'IN_PROGRESS');

      // Assess
      expect(metrics.total('CommentFailures')).toBe(1);
      expect((await store.getReview(REPO, '7'))?.notifications.size ?? 0).toBe(0);
    });
  });
});
