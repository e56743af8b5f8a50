import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { mockClient } from 'aws-sdk-client-mock';
import { assumeRoleCredentials, callerIdentity } from '../../shared/adapters/sts-credentials';

const ROLE = 'arn:aws:iam::210987654321:role/spa-cd-trigger';
const T0 = Date.parse('2024-06-01T12:00:00Z');
const MINUTE = 60_000;

function setup() {
  const client = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  const clock = { now: T0 };
  let issued = 0;
  mock.on(AssumeRoleCommand).callsFake(() => {
    issued += 1;
    return {
      Credentials: {
        AccessKeyId: `AKIA${issued}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(clock.now + 60 * MINUTE),
      },
    };
  });
  const provider = assumeRoleCredentials({ client, roleArn: ROLE, externalId: 'spa-cd-7Kq2xT', now: () => clock.now });
  return { mock, clock, provider, client };
}

describe('Function: assumeRoleCredentials', () => {
  it('assumes the trigger role with the external id, a stable session name and one hour', async () => {
    // Prepare
    const { mock, provider } = setup();

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials).toEqual({ accessKeyId: 'AKIA1', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(T0 + 60 * MINUTE) });
    expect(mock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'spa-cd-controller',
      ExternalId: 'spa-cd-7Kq2xT',
      DurationSeconds: 3600,
    });
  });

  it('plugs into an SDK client as its credentials', async () => {
    // Prepare
    const { provider } = setup();
    const codebuild = new CodeBuildClient({ region: 'eu-west-1', credentials: provider });

    // Act
    const credentials = await codebuild.config.credentials();

    // Assess
    expect(credentials).toMatchObject({ accessKeyId: 'AKIA1', sessionToken: 'token' });
  });

  it('reuses the credentials until 5 minutes before they expire', async () => {
    // Prepare
    const { mock, clock, provider } = setup();
    await provider();
    clock.now = T0 + 54 * MINUTE;

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials.accessKeyId).toBe('AKIA1');
    expect(mock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it('refreshes them within the last 5 minutes', async () => {
    // Prepare
    const { mock, clock, provider } = setup();
    await provider();
    clock.now = T0 + 56 * MINUTE;

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials.accessKeyId).toBe('AKIA2');
    expect(mock).toHaveReceivedCommandTimes(AssumeRoleCommand, 2);
    expect(provider.assumeRoleCalls()).toBe(2);
  });

  it('shares one AssumeRole between concurrent callers', async () => {
    // Prepare
    const { mock, provider } = setup();

    // Act
    const all = await Promise.all(Array.from({ length: 10 }, () => provider()));

    // Assess
    expect(new Set(all.map((credentials) => credentials.accessKeyId))).toEqual(new Set(['AKIA1']));
    expect(mock).toHaveReceivedCommandTimes(AssumeRoleCommand, 1);
  });

  it('keeps using still-valid credentials when an early refresh fails', async () => {
    // Prepare
    const { mock, clock, provider } = setup();
    await provider();
    clock.now = T0 + 57 * MINUTE;
    mock.on(AssumeRoleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }));

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials.accessKeyId).toBe('AKIA1');
  });

  it('fails when the refresh fails and the credentials have expired', async () => {
    // Prepare
    const { mock, clock, provider } = setup();
    await provider();
    clock.now = T0 + 61 * MINUTE;
    mock.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));

    // Act
    const resolving = provider();

    // Assess
    await expect(resolving).rejects.toThrow('not authorized');
  });

  it('tries again on the next call after a failure', async () => {
    // Prepare
    const { mock, provider } = setup();
    mock.on(AssumeRoleCommand).rejectsOnce(new Error('network')).resolves({
      Credentials: { AccessKeyId: 'AKIA9', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(T0 + 60 * MINUTE) },
    });
    await expect(provider()).rejects.toThrow('network');

    // Act
    const credentials = await provider();

    // Assess
    expect(credentials.accessKeyId).toBe('AKIA9');
  });

  it.each([
    [{ sessionName: 'spa cd' }, 'sessionName'],
    [{ sessionName: 'x' }, 'sessionName'],
    [{ sessionName: 'a'.repeat(65) }, 'sessionName'],
    [{ externalId: 'x' }, 'externalId'],
    [{ roleArn: 'spa-cd-trigger' }, 'roleArn'],
    [{ durationSeconds: 7200 }, 'durationSeconds'],
  ])('refuses the option %p', (override, name) => {
    // Prepare
    const client = new STSClient({ region: 'eu-west-1' });

    // Act
    const creating = () => assumeRoleCredentials({ client, roleArn: ROLE, externalId: 'spa-cd-7Kq2xT', ...override });

    // Assess
    expect(creating).toThrow(name);
  });
});

describe('Function: callerIdentity', () => {
  it('returns the account, ARN and user id of the caller', async () => {
    // Prepare
    const client = new STSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
    const mock = mockClient(client);
    mock.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice', UserId: 'AROA:alice' });

    // Act
    const identity = await callerIdentity(client);

    // Assess
    expect(identity).toEqual({ account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/alice', userId: 'AROA:alice' });
    expect(mock).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
  });
});
