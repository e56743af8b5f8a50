import {
  buildEventVariable,
  buildIdFromArn,
  failedPhaseOfEvent,
  normalizeBuildId,
  parseBuildArn,
  parseEvent,
} from '../../shared/events';
import { awsEvent } from '../support/aws-events';

const SUCCEEDED = 'codebuild-build-state-change.SUCCEEDED.json';
const FAILED = 'codebuild-build-state-change.FAILED.DERIVED.json';
const IN_PROGRESS = 'codebuild-build-state-change.IN_PROGRESS.OBSERVED.json';
const ARN = 'arn:aws:codebuild:us-west-2:123456789012:build/my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX';

describe('Function: buildIdFromArn', () => {
  it('turns a build ARN into project:uuid', () => {
    // Act
    const id = buildIdFromArn(ARN);

    // Assess
    expect(id).toBe('my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX');
  });

  it.each([
    'my-sample-project:8745a7a9',
    'arn:aws:codebuild:us-west-2:123456789012:project/my-sample-project',
    'arn:aws:codebuild:us-west-2:1234:build/p1:abc',
    'arn:aws:codebuild:us-west-2:123456789012:build/p1:abc/../x',
    'arn:aws:codebuild:us-west-2:123456789012:build/p1:abc\n',
  ])('refuses %p', (value) => {
    // Act
    const id = buildIdFromArn(value);

    // Assess
    expect(id).toBeUndefined();
  });

  it('reads the region, account and project of an ARN in another partition', () => {
    // Act
    const parsed = parseBuildArn('arn:aws-cn:codebuild:cn-north-1:123456789012:build/deploy-prod:0f1e2d3c-0000-4000-8000-000000000000');

    // Assess
    expect(parsed).toEqual({
      region: 'cn-north-1',
      account: '123456789012',
      project: 'deploy-prod',
      buildId: 'deploy-prod:0f1e2d3c-0000-4000-8000-000000000000',
    });
  });

  it('accepts either an id or an ARN when normalising', () => {
    // Act
    const ids = [normalizeBuildId('p1:abc-1'), normalizeBuildId(ARN), normalizeBuildId('p1')];

    // Assess
    expect(ids).toEqual(['p1:abc-1', 'my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX', undefined]);
  });
});

describe('Schema: CodeBuild Build State Change', () => {
  it('adds the normalised build id next to the ARN', () => {
    // Prepare
    const input = awsEvent(SUCCEEDED);

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({
      'build-status': 'SUCCEEDED',
      'build-id': ARN,
      buildId: 'my-sample-project:8745a7a9-c340-456a-9166-edf953571bEX',
    });
  });

  it('reads an IN_PROGRESS event that has no build number, no phases and only a logs link', () => {
    // Prepare
    const input = awsEvent(IN_PROGRESS);

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result.ok && result.event.detail['additional-information']).toMatchObject({
      'build-complete': false,
      logs: { 'deep-link': 'https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#logsV2:log-groups' },
    });
    expect(result.ok && result.event.detail['additional-information']?.['build-number']).toBeUndefined();
  });

  it.each(['FAULT', 'TIMED_OUT'])('tolerates the undocumented status %s', (status) => {
    // Prepare
    const input = awsEvent(FAILED, (event) => {
      event.detail['build-status'] = status;
    });

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result.ok && result.event.detail['build-status']).toBe(status);
  });

  it('accepts numbers serialised as floats', () => {
    // Prepare
    const input = awsEvent(SUCCEEDED, (event) => {
      const info = event.detail['additional-information'] as Record<string, unknown>;
      info['timeout-in-minutes'] = 60.5;
      info['build-number'] = 55.0;
    });

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result.ok && result.event.detail['additional-information']?.['timeout-in-minutes']).toBe(60.5);
  });

  it('accepts an event without additional information', () => {
    // Prepare
    const input = awsEvent(SUCCEEDED, (event) => {
      delete event.detail['additional-information'];
    });

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('finds the failed phase and its context', () => {
    // Prepare
    const parsed = parseEvent('build-state-change', awsEvent(FAILED));
    if (!parsed.ok) throw new Error(parsed.reason);

    // Act
    const failed = failedPhaseOfEvent(parsed.event.detail);

    // Assess
    expect(failed).toEqual({ phase: 'BUILD', message: 'COMMAND_EXECUTION_ERROR: Error while executing command: ./deploy.sh. Reason: exit status 1' });
  });

  it('finds no failed phase in a successful build', () => {
    // Prepare
    const parsed = parseEvent('build-state-change', awsEvent(SUCCEEDED));
    if (!parsed.ok) throw new Error(parsed.reason);

    // Act
    const failed = failedPhaseOfEvent(parsed.event.detail);

    // Assess
    expect(failed).toBeUndefined();
  });

  it('reads a build variable echoed in the event', () => {
    // Prepare
    const parsed = parseEvent('build-state-change', awsEvent(IN_PROGRESS));
    if (!parsed.ok) throw new Error(parsed.reason);

    // Act
    const value = buildEventVariable(parsed.event.detail, 'CI_PULL_REQUEST_ID');

    // Assess
    expect(value).toBe('2');
  });

  it.each([
    ['the status is unknown', (d: Record<string, unknown>) => (d['build-status'] = 'EXPLODED'), 'detail.build-status: Invalid option'],
    ['the build id is not an ARN', (d: Record<string, unknown>) => (d['build-id'] = 'my-sample-project:8745a7a9'), 'detail.build-id: expected a CodeBuild build ARN'],
    ['the ARN names another project', (d: Record<string, unknown>) => (d['project-name'] = 'other-project'), 'detail.build-id: the project of build-id is not project-name'],
    ['the project name is hostile', (d: Record<string, unknown>) => (d['project-name'] = 'p;rm -rf'), 'detail.project-name: expected a CodeBuild project name'],
    [
      'a phase context is not a list',
      (d: Record<string, unknown>) => {
        const info = d['additional-information'] as { phases: Record<string, unknown>[] };
        if (info.phases[0]) info.phases[0]['phase-context'] = 'oops';
      },
      'detail.additional-information.phases[0].phase-context: Invalid input: expected array',
    ],
    [
      'the logs link leaves the AWS console',
      (d: Record<string, unknown>) => {
        const info = d['additional-information'] as { logs: Record<string, unknown> };
        info.logs['deep-link'] = 'https://console.aws.amazon.com.evil.example/x';
      },
      'detail.additional-information.logs.deep-link: expected an https link to the AWS console',
    ],
    [
      'the logs link is not https',
      (d: Record<string, unknown>) => {
        const info = d['additional-information'] as { logs: Record<string, unknown> };
        info.logs['deep-link'] = 'javascript:alert(1)';
      },
      'detail.additional-information.logs.deep-link: expected an https link to the AWS console',
    ],
    [
      'a number is a string',
      (d: Record<string, unknown>) => {
        (d['additional-information'] as Record<string, unknown>)['timeout-in-minutes'] = '60';
      },
      'detail.additional-information.timeout-in-minutes: Invalid input: expected number, received string',
    ],
  ])('refuses an event where %s', (_case, edit, reason) => {
    // Prepare
    const input = awsEvent(SUCCEEDED, (event) => {
      edit(event.detail);
    });

    // Act
    const result = parseEvent('build-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});
