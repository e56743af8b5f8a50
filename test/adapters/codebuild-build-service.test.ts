import {
  AccountLimitExceededException,
  BatchGetBuildsCommand,
  CodeBuildClient,
  InvalidInputException,
  ResourceNotFoundException,
  StartBuildCommand,
  StopBuildCommand,
  type Build,
} from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { CodeBuildBuildService, classifyStartBuildError } from '../../shared/adapters/codebuild-build-service';
import type { StartBuildRequest } from '../../shared/ports/build-service';

const SETTINGS = 'a'.repeat(40);
const SPA = 'b'.repeat(40);
const BUILD_ID = 'spa-cd-prod:0f1e2d3c-0000-4000-8000-000000000001';
const BUILD_ARN = `arn:aws:codebuild:eu-west-1:210987654321:build/${BUILD_ID}`;
const LOGS = 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups';

const REQUEST: StartBuildRequest = {
  projectName: 'spa-cd-prod',
  deploymentId: 'prod#aaaaaaaa#merge',
  environment: 'prod',
  environmentPath: 'environments/prod',
  settingsCommit: SETTINGS,
  spaVersion: 'v1.2.3',
  spaCommit: SPA,
  codeGitUrl: 'https://github.com/reply-fr/sustainable-personal-accounts.git',
  idempotencyToken: 'prod-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
};

const awsError = (name: string, status: number, message = name) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

function setup() {
  const client = new CodeBuildClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  const sleeps: number[] = [];
  const service = new CodeBuildBuildService({
    client,
    maxAttempts: 3,
    baseDelayMs: 1000,
    maxDelayMs: 20_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  });
  return { mock, service, sleeps };
}

describe('Class: CodeBuildBuildService', () => {
  describe('Method: start', () => {
    it('starts the project with exactly the deployment variables as PLAINTEXT and the idempotency token', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(StartBuildCommand).resolves({ build: { id: BUILD_ID, arn: BUILD_ARN, logs: { deepLink: LOGS }, startTime: new Date('2024-06-01T12:00:00Z') } });

      // Act
      const result = await service.start(REQUEST);

      // Assess
      expect(result).toEqual({ outcome: 'started', buildId: BUILD_ID, logsUrl: LOGS, startedAt: '2024-06-01T12:00:00.000Z' });
      expect(mock).toHaveReceivedCommandTimes(StartBuildCommand, 1);
      expect(mock.commandCalls(StartBuildCommand)[0]?.args[0].input).toEqual({
        projectName: 'spa-cd-prod',
        idempotencyToken: 'prod-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
        environmentVariablesOverride: [
          { name: 'SPA_CD_DEPLOYMENT_ID', value: 'prod#aaaaaaaa#merge', type: 'PLAINTEXT' },
          { name: 'SPA_CD_ENVIRONMENT', value: 'prod', type: 'PLAINTEXT' },
          { name: 'SPA_CD_ENVIRONMENT_PATH', value: 'environments/prod', type: 'PLAINTEXT' },
          { name: 'SPA_CD_SETTINGS_COMMIT', value: SETTINGS, type: 'PLAINTEXT' },
          { name: 'SPA_CD_SPA_VERSION', value: 'v1.2.3', type: 'PLAINTEXT' },
          { name: 'SPA_CD_SPA_COMMIT', value: SPA, type: 'PLAINTEXT' },
          { name: 'SPA_CD_CODE_GIT_URL', value: 'https://github.com/reply-fr/sustainable-personal-accounts.git', type: 'PLAINTEXT' },
        ],
      });
    });

    it('overrides an unresolved SPA commit with an empty value rather than leaving a project default', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(StartBuildCommand).resolves({ build: { id: BUILD_ID } });
      const { spaCommit: _omitted, ...unresolved } = REQUEST;

      // Act
      await service.start(unresolved);

      // Assess
      expect(mock).toHaveReceivedCommandWith(StartBuildCommand, {
        environmentVariablesOverride: expect.arrayContaining([{ name: 'SPA_CD_SPA_COMMIT', value: '', type: 'PLAINTEXT' }]),
      });
    });

    it('normalises a build ARN answer to project:uuid', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(StartBuildCommand).resolves({ build: { arn: BUILD_ARN } });

      // Act
      const result = await service.start(REQUEST);

      // Assess
      expect(result).toEqual({ outcome: 'started', buildId: BUILD_ID });
    });

    it('retries a busy project with full-jitter backoff and then starts', async () => {
      // Prepare
      const { mock, service, sleeps } = setup();
      mock
        .on(StartBuildCommand)
        .rejectsOnce(new AccountLimitExceededException({ message: 'Cannot have more than 1 builds in queue for the account', $metadata: { httpStatusCode: 400 } }))
        .rejectsOnce(awsError('ThrottlingException', 400, 'Rate exceeded'))
        .resolves({ build: { id: BUILD_ID } });

      // Act
      const result = await service.start(REQUEST);

      // Assess
      expect(result).toEqual({ outcome: 'started', buildId: BUILD_ID });
      expect(mock).toHaveReceivedCommandTimes(StartBuildCommand, 3);
      expect(mock).toHaveReceivedNthCommandWith(3, StartBuildCommand, { idempotencyToken: REQUEST.idempotencyToken });
      expect(sleeps).toEqual([500, 1000]);
    });

    it('reports busy after the last attempt', async () => {
      // Prepare
      const { mock, service, sleeps } = setup();
      mock.on(StartBuildCommand).rejects(awsError('ServiceUnavailableException', 503, 'try later'));

      // Act
      const result = await service.start(REQUEST);

      // Assess
      expect(result).toEqual({ outcome: 'busy', reason: 'ServiceUnavailableException: try later (after 3 attempts)' });
      expect(mock).toHaveReceivedCommandTimes(StartBuildCommand, 3);
      expect(sleeps).toHaveLength(2);
    });

    it('caps the backoff', async () => {
      // Prepare
      const client = new CodeBuildClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      mockClient(client).on(StartBuildCommand).rejects(awsError('TooManyRequestsException', 429));
      const sleeps: number[] = [];
      const service = new CodeBuildBuildService({ client, maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 5000, random: () => 0.999, sleep: async (ms) => void sleeps.push(ms) });

      // Act
      await service.start(REQUEST);

      // Assess
      expect(sleeps).toEqual([999, 1998, 3996, 4995, 4995, 4995, 4995]);
    });

    it.each([
      ['AccessDeniedException', awsError('AccessDeniedException', 403, 'not authorized to perform codebuild:StartBuild')],
      ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'Project cannot be found', $metadata: { httpStatusCode: 400 } })],
      ['InvalidInputException', new InvalidInputException({ message: 'EnvironmentVariable should be at most 4096 characters', $metadata: { httpStatusCode: 400 } })],
    ])('refuses at once on %s', async (name, error) => {
      // Prepare
      const { mock, service, sleeps } = setup();
      mock.on(StartBuildCommand).rejects(error);

      // Act
      const result = await service.start(REQUEST);

      // Assess
      expect(result).toEqual({ outcome: 'refused', reason: `${name}: ${error.message}` });
      expect(mock).toHaveReceivedCommandTimes(StartBuildCommand, 1);
      expect(sleeps).toEqual([]);
    });

    it.each([
      ['a value over 4096 characters', { spaVersion: 'v'.repeat(4097) }, 'SPA_CD_SPA_VERSION has 4097 characters, CodeBuild accepts 4096'],
      ['a NUL character', { environmentPath: 'environments/prod\u0000' }, 'SPA_CD_ENVIRONMENT_PATH contains a NUL character'],
      ['an idempotency token over 64 characters', { idempotencyToken: 't'.repeat(65) }, 'the idempotency token must have 1 to 64 characters, it has 65'],
      ['an empty idempotency token', { idempotencyToken: '' }, 'the idempotency token must have 1 to 64 characters, it has 0'],
      ['a hostile project name', { projectName: 'p;x' }, 'the project name is not a CodeBuild project name'],
    ])('refuses %s before calling CodeBuild', async (_case, override, reason) => {
      // Prepare
      const { mock, service } = setup();

      // Act
      const result = await service.start({ ...REQUEST, ...override });

      // Assess
      expect(result).toEqual({ outcome: 'refused', reason });
      expect(mock.calls()).toHaveLength(0);
    });

    it('lets an unclassified failure through', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(StartBuildCommand).rejects(new Error('bug'));

      // Act
      const starting = service.start(REQUEST);

      // Assess
      await expect(starting).rejects.toThrow('bug');
    });
  });

  describe('Method: describe', () => {
    function build(index: number, extra: Partial<Build> = {}): Build {
      return { id: `spa-cd-prod:00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, projectName: 'spa-cd-prod', buildStatus: 'SUCCEEDED', ...extra };
    }

    it('asks BatchGetBuilds in chunks of 100 ids', async () => {
      // Prepare
      const { mock, service } = setup();
      const ids = Array.from({ length: 250 }, (_, i) => build(i).id ?? '');
      mock.on(BatchGetBuildsCommand).callsFake((input: { ids: string[] }) => ({ builds: input.ids.map((id) => ({ id, buildStatus: 'IN_PROGRESS' })) }));

      // Act
      const infos = await service.describe(ids);

      // Assess
      expect(infos).toHaveLength(250);
      const sizes = mock.commandCalls(BatchGetBuildsCommand).map((call) => call.args[0].input.ids?.length);
      expect(sizes).toEqual([100, 100, 50]);
      expect(mock).toHaveReceivedNthCommandWith(3, BatchGetBuildsCommand, { ids: ids.slice(200) });
    });

    it('accepts ARNs, drops duplicates and invalid ids, and leaves unknown builds out', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(BatchGetBuildsCommand).resolves({ builds: [build(1, { id: BUILD_ID })], buildsNotFound: ['spa-cd-prod:gone'] });

      // Act
      const infos = await service.describe([BUILD_ARN, BUILD_ID, 'spa-cd-prod:gone', 'not an id']);

      // Assess
      expect(infos.map((info) => info.buildId)).toEqual([BUILD_ID]);
      expect(mock).toHaveReceivedCommandWith(BatchGetBuildsCommand, { ids: [BUILD_ID, 'spa-cd-prod:gone'] });
    });

    it('maps times, duration, the first failed phase with its contexts, the logs link and the deployment id', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(BatchGetBuildsCommand).resolves({
        builds: [
          {
            id: BUILD_ID,
            arn: BUILD_ARN,
            projectName: 'spa-cd-prod',
            buildStatus: 'FAILED',
            currentPhase: 'COMPLETED',
            startTime: new Date('2024-06-01T12:00:00Z'),
            endTime: new Date('2024-06-01T12:03:20.400Z'),
            logs: { deepLink: LOGS },
            environment: {
              type: 'LINUX_CONTAINER',
              image: 'aws/codebuild/standard:7.0',
              computeType: 'BUILD_GENERAL1_SMALL',
              environmentVariables: [
                { name: 'SPA_CD_ENVIRONMENT', value: 'prod', type: 'PLAINTEXT' },
                { name: 'SPA_CD_DEPLOYMENT_ID', value: 'prod#aaaaaaaa#merge', type: 'PLAINTEXT' },
              ],
            },
            phases: [
              { phaseType: 'SUBMITTED', phaseStatus: 'SUCCEEDED' },
              { phaseType: 'INSTALL', phaseStatus: 'SUCCEEDED', contexts: [{ statusCode: '', message: '' }] },
              {
                phaseType: 'BUILD',
                phaseStatus: 'FAILED',
                contexts: [{ statusCode: 'COMMAND_EXECUTION_ERROR', message: 'Error while executing command: make deploy. Reason: exit status 2' }],
              },
              { phaseType: 'POST_BUILD', phaseStatus: 'FAILED', contexts: [{ statusCode: 'X', message: 'later' }] },
              { phaseType: 'COMPLETED' },
            ],
          },
        ],
      });

      // Act
      const [info] = await service.describe([BUILD_ID]);

      // Assess
      expect(info).toEqual({
        buildId: BUILD_ID,
        projectName: 'spa-cd-prod',
        status: 'FAILED',
        startedAt: '2024-06-01T12:00:00.000Z',
        endedAt: '2024-06-01T12:03:20.400Z',
        durationSeconds: 200,
        currentPhase: 'COMPLETED',
        failedPhase: 'BUILD',
        failureMessage: 'COMMAND_EXECUTION_ERROR: Error while executing command: make deploy. Reason: exit status 2',
        logsUrl: LOGS,
        deploymentId: 'prod#aaaaaaaa#merge',
      });
    });

    it.each(['FAULT', 'TIMED_OUT', 'STOPPED', 'CLIENT_ERROR'])('reports a phase ending %s as the failed phase', async (phaseStatus) => {
      // Prepare
      const { mock, service } = setup();
      mock.on(BatchGetBuildsCommand).resolves({
        builds: [build(1, { buildStatus: 'STOPPED', phases: [{ phaseType: 'PROVISIONING', phaseStatus: phaseStatus as 'FAULT' }] })],
      });

      // Act
      const [info] = await service.describe([build(1).id ?? '']);

      // Assess
      expect(info).toMatchObject({ status: 'STOPPED', failedPhase: 'PROVISIONING' });
      expect(info).not.toHaveProperty('failureMessage');
    });

    it('asks nothing for an empty list', async () => {
      // Prepare
      const { mock, service } = setup();

      // Act
      const infos = await service.describe([]);

      // Assess
      expect(infos).toEqual([]);
      expect(mock.calls()).toHaveLength(0);
    });
  });

  describe('Method: stop', () => {
    it('stops a build given by ARN with its id', async () => {
      // Prepare
      const { mock, service } = setup();
      mock.on(StopBuildCommand).resolves({});

      // Act
      await service.stop(BUILD_ARN);

      // Assess
      expect(mock).toHaveReceivedCommandWith(StopBuildCommand, { id: BUILD_ID });
    });

    it('refuses something that is not a build id', async () => {
      // Prepare
      const { service } = setup();

      // Act
      const stopping = service.stop('../x');

      // Assess
      await expect(stopping).rejects.toThrow(TypeError);
    });
  });
});

describe('Function: classifyStartBuildError', () => {
  it.each([
    ['AccountLimitExceededException', 400, 'busy'],
    ['ThrottlingException', 400, 'busy'],
    ['TooManyRequestsException', 429, 'busy'],
    ['InternalFailure', 500, 'busy'],
    ['SomethingNew', 502, 'busy'],
    ['AccessDeniedException', 403, 'refused'],
    ['ResourceNotFoundException', 400, 'refused'],
    ['InvalidInputException', 400, 'refused'],
    ['SomethingElse', 400, 'refused'],
  ])('classifies %s (HTTP %d) as %s', (name, status, expected) => {
    // Act
    const classification = classifyStartBuildError(awsError(name, status));

    // Assess
    expect(classification).toBe(expected);
  });

  it('classifies a timeout without an answer as busy', () => {
    // Act
    const classification = classifyStartBuildError(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }));

    // Assess
    expect(classification).toBe('busy');
  });
});

describe('Method: findBuild', () => {
  it('finds the latest build started for a deployment among the project builds, newest first', async () => {
    const { mockClient } = await import('aws-sdk-client-mock');
    const { CodeBuildClient, ListBuildsForProjectCommand, BatchGetBuildsCommand } = await import('@aws-sdk/client-codebuild');
    const { CodeBuildBuildService } = await import('../../shared/adapters/codebuild-build-service');
    const mock = mockClient(CodeBuildClient);
    mock.on(ListBuildsForProjectCommand).resolves({ ids: ['prod:2', 'prod:1'] });
    mock.on(BatchGetBuildsCommand).resolves({
      builds: [
        { id: 'prod:2', projectName: 'prod', buildStatus: 'IN_PROGRESS', environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [{ name: 'SPA_CD_DEPLOYMENT_ID', value: 'other' }] } },
        { id: 'prod:1', projectName: 'prod', buildStatus: 'SUCCEEDED', environment: { type: 'LINUX_CONTAINER', image: 'x', computeType: 'BUILD_GENERAL1_SMALL', environmentVariables: [{ name: 'SPA_CD_DEPLOYMENT_ID', value: 'wanted' }] } },
      ],
    });
    const service = new CodeBuildBuildService({ client: new CodeBuildClient({ region: 'eu-west-1' }) });

    const found = await service.findBuild('prod', 'wanted');
    const missing = await service.findBuild('prod', 'absent');

    expect(found).toMatchObject({ buildId: 'prod:1', status: 'SUCCEEDED', deploymentId: 'wanted' });
    expect(missing).toBeUndefined();
    expect(mock).toHaveReceivedCommandWith(ListBuildsForProjectCommand, { projectName: 'prod', sortOrder: 'DESCENDING' });
    mock.restore();
  });
});
