import { buildInfoOfEvent } from '../../shared/use-cases/deployment/controller-events';
import { isForeign, parseEvent } from '../../shared/events';
import {
  buildStateChangeEvent,
  EventClock,
  localOrigin,
  localPrincipal,
  localProjectName,
  pullRequestStateChangeEvent,
  repositoryStateChangeEvent,
  type BuildStateChange,
} from '../../cli/local/local-events';

const origin = localOrigin('main');
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function buildChange(overrides: Partial<BuildStateChange> = {}): BuildStateChange {
  return {
    buildId: 'spa-cd-local-sandbox:0b9d6d6c-2f6e-4a8e-9a43-7f1c2d3e4f50',
    projectName: 'spa-cd-local-sandbox',
    buildNumber: 3,
    status: 'FAILED',
    currentPhase: 'COMPLETED',
    startTime: '2026-01-01T00:00:00.000Z',
    time: '2026-01-01T00:00:05.000Z',
    phases: [
      { type: 'PRE_BUILD', status: 'SUCCEEDED', startTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:00:01.000Z', durationSeconds: 1, context: [] },
      {
        type: 'BUILD',
        status: 'FAILED',
        startTime: '2026-01-01T00:00:01.000Z',
        endTime: '2026-01-01T00:00:04.400Z',
        durationSeconds: 3.4,
        context: ['COMMAND_EXECUTION_ERROR: Error while executing command: false. Reason: exit status 1'],
      },
      { type: 'COMPLETED', startTime: '2026-01-01T00:00:05.000Z' },
    ],
    variables: { SPA_CD_DEPLOYMENT_ID: 'sandbox-aaaaaaaaaaaa-1234567890', SPA_CD_ENVIRONMENT: 'sandbox' },
    timeoutInMinutes: 60,
    ...overrides,
  };
}

describe('Module: local-events', () => {
  it('makes trunk changes that the repository event schema accepts and the controller calls its own', () => {
    const created = repositoryStateChangeEvent(origin, { branch: 'main', commitId: A, caller: localPrincipal('Ada Lovelace'), time: '2026-01-01T00:00:00.000Z' });
    const updated = repositoryStateChangeEvent(origin, { branch: 'main', commitId: B, oldCommitId: A, caller: localPrincipal('x'), time: '2026-01-01T00:00:01.000Z' });

    const parsedCreated = parseEvent('repository-state-change', created);
    const parsedUpdated = parseEvent('repository-state-change', updated);

    expect(parsedCreated.ok && parsedCreated.event.detail.event).toBe('referenceCreated');
    expect(parsedUpdated.ok && parsedUpdated.event.detail).toMatchObject({ event: 'referenceUpdated', oldCommitId: A, commitId: B, referenceFullName: 'refs/heads/main' });
    expect(parsedUpdated.ok && isForeign(parsedUpdated.event, { account: origin.account, region: origin.region, repositoryName: origin.repository })).toBeUndefined();
  });

  it('reports a merge commit on the trunk as CodeCommit reports a merge: destination and source commits', () => {
    const event = repositoryStateChangeEvent(origin, {
      branch: 'main',
      commitId: B,
      oldCommitId: A,
      caller: localPrincipal('x'),
      time: '2026-01-01T00:00:00.000Z',
      merge: { destinationCommitId: A, sourceCommitId: 'c'.repeat(40) },
    });

    const parsed = parseEvent('repository-state-change', event);

    expect(parsed.ok && parsed.event.detail).toMatchObject({ sourceCommitId: 'c'.repeat(40), destinationCommitId: A, mergeOption: 'THREE_WAY_MERGE' });
  });

  it('makes pull request events that the pull request schema accepts, with one revision per source commit', () => {
    const change = {
      event: 'pullRequestCreated' as const,
      pullRequestId: '7',
      title: 'Raise budgets',
      sourceBranch: 'feature/raise',
      destinationBranch: 'main',
      sourceCommit: B,
      destinationCommit: A,
      author: localPrincipal('Grace Hopper'),
      time: '2026-01-01T00:00:00.000Z',
    };

    const first = parseEvent('pull-request-state-change', pullRequestStateChangeEvent(origin, change));
    const again = parseEvent('pull-request-state-change', pullRequestStateChangeEvent(origin, { ...change, event: 'pullRequestSourceBranchUpdated' }));

    expect(first.ok && first.event.detail).toMatchObject({ pullRequestStatus: 'Open', isMerged: false, sourceReference: 'refs/heads/feature/raise' });
    expect(first.ok && again.ok && first.event.detail.revisionId === again.event.detail.revisionId).toBe(true);
  });

  it('makes build events that the build schema accepts, carrying the deployment id, the failed phase and the duration', () => {
    const event = buildStateChangeEvent(origin, buildChange());

    const parsed = parseEvent('build-state-change', event);

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(isForeign(parsed.event, { account: origin.buildAccount, region: origin.buildRegion, projectNames: ['spa-cd-local-sandbox'] })).toBeUndefined();
    expect(buildInfoOfEvent(parsed.event.detail, parsed.event.time)).toMatchObject({
      buildId: 'spa-cd-local-sandbox:0b9d6d6c-2f6e-4a8e-9a43-7f1c2d3e4f50',
      status: 'FAILED',
      deploymentId: 'sandbox-aaaaaaaaaaaa-1234567890',
      failedPhase: 'BUILD',
      durationSeconds: 4,
      endedAt: '2026-01-01T00:00:05.000Z',
    });
  });

  it('reports IN_PROGRESS with its start time and no phases, as CodeBuild does', () => {
    const event = buildStateChangeEvent(origin, buildChange({ status: 'IN_PROGRESS', currentPhase: 'PRE_BUILD', time: '2026-01-01T00:00:00.000Z' }));

    const parsed = parseEvent('build-state-change', event);

    expect(parsed.ok && parsed.event.detail['additional-information']?.phases).toBeUndefined();
    expect(parsed.ok && buildInfoOfEvent(parsed.event.detail, parsed.event.time)).toMatchObject({ status: 'IN_PROGRESS', startedAt: '2026-01-01T00:00:00.000Z' });
  });

  it('names principals and projects with the characters AWS allows, and keeps project names apart', () => {
    expect(localPrincipal('Ana María; rm -rf /')).toMatch(/^arn:aws:iam::000000000000:user\/[\w+=,.@-]+$/);
    expect(localPrincipal('')).toBe('arn:aws:iam::000000000000:user/local-user');
    expect(localProjectName('prod')).toBe('spa-cd-local-prod');
    expect(localProjectName('prod.eu')).not.toBe(localProjectName('prod-eu'));
    expect(localProjectName('prod.eu')).toMatch(/^[A-Za-z0-9][A-Za-z0-9_-]+$/);
  });

  it('gives strictly increasing times even when the clock stands still', () => {
    const clock = new EventClock(() => new Date('2026-01-01T00:00:00.000Z'));

    const times = [clock.next(), clock.next(), clock.next()];

    expect(times).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.001Z', '2026-01-01T00:00:00.002Z']);
  });
});
