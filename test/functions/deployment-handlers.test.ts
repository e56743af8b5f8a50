import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { awsEvent } from '../support/aws-events';

const ENV = {
  SPA_CD_ACCOUNT: '111111111111',
  SPA_CD_REGION: 'us-east-1',
  SPA_CD_REPOSITORY: 'spa-settings',
  SPA_CD_TRUNK: 'main',
  SPA_CD_TABLE: 'spa-cd-history',
  SPA_CD_ENVIRONMENTS: JSON.stringify([{ name: 'prod', path: 'environments/prod', project: 'spa-prod' }]),
  SPA_CD_DEVOPS_ACCOUNT: '222222222222',
  SPA_CD_TRIGGER_ROLE_ARN: 'arn:aws:iam::222222222222:role/spa-cd-trigger',
  SPA_CD_EXTERNAL_ID: 'spa-cd-external-id',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
};

const context = { functionName: 'test', awsRequestId: 'req-1', functionVersion: '1', invokedFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:test', memoryLimitInMB: '256', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

type Handler = (event: unknown, context: Context) => Promise<{ status: string; reason?: string }>;

describe('Lambdas: on-trunk-push and on-build-state-change', () => {
  const sts = mockClient(STSClient);
  const codecommit = mockClient(CodeCommitClient);
  const codebuild = mockClient(CodeBuildClient);
  const dynamodb = mockClient(DynamoDBDocumentClient);
  let onTrunkPush: Handler;
  let onBuildStateChange: Handler;

  beforeAll(async () => {
    Object.assign(process.env, ENV);
    onTrunkPush = (await import('../../functions/on-trunk-push/handler')).handler as unknown as Handler;
    onBuildStateChange = (await import('../../functions/on-build-state-change/handler')).handler as unknown as Handler;
  });
  afterEach(() => {
    sts.reset();
    codecommit.reset();
    codebuild.reset();
    dynamodb.reset();
  });
  afterAll(() => {
    sts.restore();
    codecommit.restore();
    codebuild.restore();
    dynamodb.restore();
  });

  const push = (edit: (e: Record<string, unknown> & { detail: Record<string, unknown> }) => void) =>
    awsEvent('codecommit-repository-state-change.referenceUpdated.branch-push.OBSERVED.json', (e) => {
      e.resources = ['arn:aws:codecommit:us-east-1:111111111111:spa-settings'];
      e.detail.repositoryName = 'spa-settings';
      edit(e);
    });

  it.each([
    ['another account', push((e) => (e.account = '999999999999'))],
    ['another region', push((e) => (e.region = 'eu-west-3'))],
    ['another repository', push((e) => ((e.detail.repositoryName = 'other-repo'), (e.resources = ['arn:aws:codecommit:us-east-1:111111111111:other-repo'])))],
    ['another branch', push((e) => ((e.detail.referenceFullName = 'refs/heads/feature'), (e.detail.referenceName = 'feature')))],
  ])('ignores a push from %s before any AWS call', async (_label, event) => {
    const result = await onTrunkPush(event, context);

    expect(result.status).toBe('ignored');
    expect(sts).toHaveReceivedCommandTimes(AssumeRoleCommand, 0);
    expect(codecommit.calls()).toHaveLength(0);
    expect(codebuild.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it('ignores a build of a project that is not a configured environment before any AWS call', async () => {
    const event = awsEvent('codebuild-build-state-change.SUCCEEDED.json', (e) => {
      const arn = 'arn:aws:codebuild:us-east-1:222222222222:build/other-project:11111111-2222-4333-8444-555555555555';
      e.account = '222222222222';
      e.region = 'us-east-1';
      e.resources = [arn];
      e.detail['build-id'] = arn;
      e.detail['project-name'] = 'other-project';
    });

    const result = await onBuildStateChange(event, context);

    expect(result).toMatchObject({ status: 'ignored' });
    expect(result.reason).toMatch(/project other-project is not a configured environment project/);
    expect(sts.calls()).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
  });

  it.each([
    ['null', null],
    ['a string', 'hello'],
    ['an empty object', {}],
    ['a push without commit id', push((e) => delete e.detail.commitId)],
    ['a push with a hostile commit id', push((e) => (e.detail.commitId = '$(touch /tmp/pwned)'))],
    ['a build event sent to the push handler', awsEvent('codebuild-build-state-change.SUCCEEDED.json')],
  ])('rejects %s with a logged reason instead of crashing', async (_label, event) => {
    const result = await onTrunkPush(event, context);

    expect(result.status).toBe('rejected');
    expect(result.reason).toEqual(expect.any(String));
    expect(sts.calls()).toHaveLength(0);
    expect(codecommit.calls()).toHaveLength(0);
  });
});
