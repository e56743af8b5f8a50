import { isForeign, parseAnyEvent, type AnyEvent } from '../../shared/events';
import { awsEvent, type JsonObject } from '../support/aws-events';

function parsed(input: JsonObject): AnyEvent['event'] {
  const result = parseAnyEvent(input);
  if (!result.ok) throw new Error(result.reason);
  return result.value.event;
}

const PUSH = 'codecommit-repository-state-change.referenceUpdated.branch-push.OBSERVED.json';
const PR = 'codecommit-pull-request-state-change.pullRequestCreated.no-description.OBSERVED.json';
const BUILD = 'codebuild-build-state-change.IN_PROGRESS.OBSERVED.json';
const HOME = { account: '111111111111', region: 'us-east-1', repositoryName: 'some-repo' };

describe('Function: isForeign', () => {
  it.each([PUSH, PR])('accepts %s from the configured account, region and repository', (file) => {
    // Prepare
    const event = parsed(awsEvent(file));

    // Act
    const reason = isForeign(event, HOME);

    // Assess
    expect(reason).toBeUndefined();
  });

  it('names another account', () => {
    // Prepare
    const event = parsed(awsEvent(PUSH));

    // Act
    const reason = isForeign(event, { ...HOME, account: '222222222222' });

    // Assess
    expect(reason).toBe('account 111111111111 is not the expected 222222222222');
  });

  it('names another region', () => {
    // Prepare
    const event = parsed(awsEvent(PUSH));

    // Act
    const reason = isForeign(event, { ...HOME, region: 'eu-west-1' });

    // Assess
    expect(reason).toBe('region us-east-1 is not the expected eu-west-1');
  });

  it('names another repository', () => {
    // Prepare
    const event = parsed(awsEvent(PUSH));

    // Act
    const reason = isForeign(event, { ...HOME, repositoryName: 'settings' });

    // Assess
    expect(reason).toBe('repository some-repo is not the expected settings');
  });

  it('refuses a pull request that spans another repository', () => {
    // Prepare
    const event = parsed(awsEvent(PR, (e) => void (e.detail.repositoryNames = ['some-repo', 'other-repo'])));

    // Act
    const reason = isForeign(event, HOME);

    // Assess
    expect(reason).toBe('repository other-repo is not the expected some-repo');
  });

  it('refuses a resource ARN from another account even when the envelope matches', () => {
    // Prepare
    const event = parsed(awsEvent(PUSH, (e) => void (e.resources = ['arn:aws:codecommit:us-east-1:999999999999:some-repo'])));

    // Act
    const reason = isForeign(event, HOME);

    // Assess
    expect(reason).toBe('resource in account 999999999999, expected 111111111111');
  });

  it('refuses a resource ARN naming another repository', () => {
    // Prepare
    const event = parsed(awsEvent(PUSH, (e) => void (e.resources = ['arn:aws:codecommit:us-east-1:111111111111:other-repo'])));

    // Act
    const reason = isForeign(event, HOME);

    // Assess
    expect(reason).toBe('resource repository other-repo is not the expected some-repo');
  });

  it('accepts a build of a configured project', () => {
    // Prepare
    const event = parsed(awsEvent(BUILD));

    // Act
    const reason = isForeign(event, { account: '111111111111', region: 'us-east-1', projectNames: ['codebuild-cicd'] });

    // Assess
    expect(reason).toBeUndefined();
  });

  it('names a build of a project that is not a configured environment', () => {
    // Prepare
    const event = parsed(awsEvent(BUILD));

    // Act
    const reason = isForeign(event, { account: '111111111111', region: 'us-east-1', projectNames: ['deploy-prod'] });

    // Assess
    expect(reason).toBe('project codebuild-cicd is not a configured environment project');
  });

  it('names a build whose ARN is in another account than its envelope', () => {
    // Prepare
    const arn = 'arn:aws:codebuild:us-east-1:999999999999:build/codebuild-cicd:171322d8-15cf-4cb2-9ee2-3e45c39538a3';
    const event = parsed(
      awsEvent(BUILD, (e) => {
        e.detail['build-id'] = arn;
        e.resources = [];
      }),
    );

    // Act
    const reason = isForeign(event, { account: '111111111111', region: 'us-east-1' });

    // Assess
    expect(reason).toBe('build in account 999999999999, expected 111111111111');
  });
});
