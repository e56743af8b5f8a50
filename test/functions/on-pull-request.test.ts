import { PostCommentForPullRequestCommand } from '@aws-sdk/client-codecommit';
import { CodeBuildClient, StartBuildCommand } from '@aws-sdk/client-codebuild';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { jest } from '@jest/globals';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SUMMARY_MARKER } from '../../shared/rendering/plan-markdown';
import { awsEvent } from '../support/aws-events';
import { freshHistoryTable, startDynalite, type LocalDynamo } from '../support/dynalite';
import { FakeCodeCommit } from '../support/fake-codecommit';
import { repositoryFiles } from '../support/review-fixtures';

type HandlerModule = typeof import('../../functions/on-pull-request/handler');

const context = {
  functionName: 'spa-cd-on-pull-request',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-2:123456789012:function:spa-cd-on-pull-request',
  memoryLimitInMB: '512',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/spa-cd-on-pull-request',
  logStreamName: 'stream',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
} satisfies Context;

let local: LocalDynamo;
let fake: FakeCodeCommit;
let handler: HandlerModule['handler'];
const codebuild = mockClient(CodeBuildClient);
const sts = mockClient(STSClient);
const saved = { ...process.env };

beforeAll(async () => {
  local = await startDynalite();
  Object.assign(process.env, {
    SPA_CD_ACCOUNT: '123456789012',
    SPA_CD_REGION: 'us-east-2',
    SPA_CD_REPOSITORY: 'MyDemoRepo',
    SPA_CD_TRUNK: 'main',
    SPA_CD_TABLE: await freshHistoryTable(local, 'handler'),
    SPA_CD_ENVIRONMENTS: '[{"name":"prod","path":"environments/prod","project":"spa-cd-prod"}]',
    SPA_CD_DEVOPS_ACCOUNT: '210987654321',
    SPA_CD_TRIGGER_ROLE_ARN: 'arn:aws:iam::210987654321:role/spa-cd-trigger',
    SPA_CD_EXTERNAL_ID: 'spa-cd-test',
    SPA_CD_APPROVAL_GATING: 'false',
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  fake = new FakeCodeCommit({ mockClass: true });
  // The SPA code repository is not reachable from tests: the pin stays unresolved, as offline.
  jest.spyOn(globalThis, 'fetch').mockRejectedValue(new TypeError('fetch failed: no network in tests'));
  ({ handler } = await import('../../functions/on-pull-request/handler'));
});
afterAll(async () => {
  jest.restoreAllMocks();
  fake.restore();
  codebuild.restore();
  sts.restore();
  process.env = saved;
  await local.close();
});
beforeEach(() => {
  fake.mock.resetHistory();
});
afterEach(() => {
  expect(codebuild.commandCalls(StartBuildCommand)).toHaveLength(0);
  expect(sts.commandCalls(AssumeRoleCommand)).toHaveLength(0);
});

describe('Lambda: on-pull-request', () => {
  it('reviews a pull request created into the trunk and posts its summary', async () => {
    // Prepare
    const destination = fake.addCommit(repositoryFiles({ prod: {} }));
    const source = fake.addCommit(repositoryFiles({ prod: { badAccounts: [1] } }));
    fake.openPullRequest({ pullRequestId: '1', sourceCommit: source, destinationCommit: destination, revisionId: 'bdc0cb9bEXAMPLE' });
    const event = awsEvent('codecommit-pull-request-state-change.pullRequestCreated.json', (e) => {
      Object.assign(e.detail, { sourceCommit: source, destinationCommit: destination });
    });

    // Act
    const outcome = await handler(event, context);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'reviewed', environments: ['prod'], valid: false, summary: 'posted' });
    expect(fake.visibleComments('general').filter((c) => c.content.startsWith(SUMMARY_MARKER))).toHaveLength(1);
    expect(fake.visibleComments('inline')).toHaveLength(1);
    expect(globalThis.fetch).toHaveBeenCalled();
  });

  it('never reviews on a comment event, the controller\'s own included', async () => {
    // Prepare
    const created = awsEvent('codecommit-comment-on-pull-request.commentOnPullRequestCreated.json');
    const updated = awsEvent('codecommit-comment-on-pull-request.commentOnPullRequestUpdated.json');

    // Act
    const outcomes = [await handler(created, context), await handler(updated, context)];

    // Assess
    expect(outcomes).toMatchObject([{ outcome: 'ignored' }, { outcome: 'ignored' }]);
    expect(fake.mock.calls()).toHaveLength(0);
  });

  it('ignores events of another account, region or repository', async () => {
    // Prepare
    const events = [
      awsEvent('codecommit-pull-request-state-change.pullRequestCreated.json', (e) => {
        e.account = '999999999999';
      }),
      awsEvent('codecommit-pull-request-state-change.pullRequestCreated.json', (e) => {
        e.region = 'eu-west-1';
      }),
      awsEvent('codecommit-pull-request-state-change.pullRequestCreated.json', (e) => {
        e.detail.repositoryNames = ['OtherRepo'];
      }),
    ];

    // Act
    const outcomes = await Promise.all(events.map((event) => handler(event, context)));

    // Assess
    expect(outcomes.map((o) => o.outcome)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(fake.mock.commandCalls(PostCommentForPullRequestCommand)).toHaveLength(0);
  });

  it('rejects a malformed event without calling CodeCommit', async () => {
    // Act
    const outcome = await handler({ 'detail-type': 'CodeCommit Pull Request State Change', detail: { pullRequestId: 'x' } }, context);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'ignored' });
    expect(fake.mock.calls()).toHaveLength(0);
  });

  it('ignores pull request events that ask for no review', async () => {
    // Prepare
    const approval = awsEvent('codecommit-pull-request-state-change.pullRequestApprovalStateChanged.APPROVE.json');

    // Act
    const outcome = await handler(approval, context);

    // Assess
    expect(outcome).toMatchObject({ outcome: 'ignored' });
    expect(fake.mock.calls()).toHaveLength(0);
  });
});
