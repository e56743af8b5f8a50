import { isValidRefName, parseEvent } from '../../shared/events';
import { awsEvent, realisticCommitId } from '../support/aws-events';

const PUSH = 'codecommit-repository-state-change.referenceUpdated.branch-push.OBSERVED.json';
const MERGE = 'codecommit-repository-state-change.referenceUpdated.branch-merge.json';
const CREATED_TAG = 'codecommit-repository-state-change.referenceCreated.tag.json';
const DELETED_BRANCH = 'codecommit-repository-state-change.referenceDeleted.branch.json';
const PR_CREATED = 'codecommit-pull-request-state-change.pullRequestCreated.json';
const PR_NO_DESCRIPTION = 'codecommit-pull-request-state-change.pullRequestCreated.no-description.OBSERVED.json';
const PR_MERGED = 'codecommit-pull-request-state-change.pullRequestMergeStatusUpdated.json';
const COMMENT = 'codecommit-comment-on-pull-request.commentOnPullRequestCreated.json';

describe('Schema: CodeCommit Repository State Change', () => {
  it('reads a plain push with its old and new commit and the caller', () => {
    // Prepare
    const input = awsEvent(PUSH);

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toEqual({
      event: 'referenceUpdated',
      repositoryName: 'some-repo',
      repositoryId: '280e6f04-7a9c-4c72-8d8f-947d83e21a96',
      referenceType: 'branch',
      referenceName: 'main',
      referenceFullName: 'refs/heads/main',
      commitId: 'f485fcc95a795517f279d0a877227e51208b0dfc',
      oldCommitId: 'a399698fbd740af9c78fb2dd7f667656b70646b6',
      callerUserArn: 'arn:aws:iam::111111111111:user/admin',
    });
  });

  it('reads the merge-only fields of a CodeCommit merge', () => {
    // Prepare
    const input = awsEvent(MERGE);

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({
      mergeOption: 'THREE_WAY_MERGE',
      baseCommitId: realisticCommitId('3e5a9bf1BASE'),
      sourceCommitId: realisticCommitId('26a8f2SOURCE'),
      destinationCommitId: realisticCommitId('3e5983DESTINATION'),
      conflictDetailsLevel: 'LINE_LEVEL',
      conflictResolutionStrategy: 'AUTOMERGE',
    });
  });

  it('tells a tag from a branch', () => {
    // Prepare
    const input = awsEvent(CREATED_TAG);

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({ referenceType: 'tag', referenceFullName: 'refs/tags/myTag' });
  });

  it('refuses a tag that pretends to be a branch', () => {
    // Prepare
    const input = awsEvent(CREATED_TAG, (event) => {
      event.detail.referenceFullName = 'refs/heads/myTag';
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'detail.referenceFullName: referenceFullName does not match referenceType and referenceName' });
  });

  it('accepts a deletion without a new commit', () => {
    // Prepare
    const input = awsEvent(DELETED_BRANCH);

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok && result.event.detail.commitId).toBeUndefined();
  });

  it.each([
    ['the commit id is missing from an update', (d: Record<string, unknown>) => delete d.commitId, 'detail.commitId: Invalid input: expected string, received undefined'],
    ['the old commit id is missing from an update', (d: Record<string, unknown>) => delete d.oldCommitId, 'detail.oldCommitId: Invalid input: expected string, received undefined'],
    ['a commit id is abbreviated', (d: Record<string, unknown>) => (d.commitId = 'f485fcc'), 'detail.commitId: expected a full 40-character lowercase hexadecimal commit id'],
    ['a commit id is uppercase', (d: Record<string, unknown>) => (d.commitId = 'F485FCC95A795517F279D0A877227E51208B0DFC'), 'detail.commitId: expected a full 40-character lowercase hexadecimal commit id'],
    ['a commit id is an option', (d: Record<string, unknown>) => (d.commitId = '--upload-pack=touch /tmp/x'), 'detail.commitId: expected a full 40-character lowercase hexadecimal commit id'],
    ['a commit id is a number', (d: Record<string, unknown>) => (d.commitId = 42), 'detail.commitId: Invalid input: expected string, received number'],
    ['the event is unknown', (d: Record<string, unknown>) => (d.event = 'referenceRenamed'), 'detail.event: Invalid discriminator value. Expected'],
    ['the repository name has a slash', (d: Record<string, unknown>) => (d.repositoryName = '../other'), 'detail.repositoryName: expected a CodeCommit repository name'],
    ['the caller is not an ARN', (d: Record<string, unknown>) => (d.callerUserArn = 'admin'), 'detail.callerUserArn: expected an IAM or STS principal ARN'],
    ['the reference type is neither branch nor tag', (d: Record<string, unknown>) => (d.referenceType = 'note'), 'detail.referenceType: Invalid option'],
  ])('refuses an event where %s', (_case, edit, reason) => {
    // Prepare
    const input = awsEvent(PUSH, (event) => {
      edit(event.detail);
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it.each([
    ['a newline', 'main\nINFO forged log line'],
    ['a NUL byte', 'main\u0000'],
    ['a right-to-left override', 'main\u202egnp.exe'],
    ['a zero-width space', 'ma\u200bin'],
    ['a space', 'my branch'],
    ['a leading dash', '-main'],
    ['a double dot', 'a..b'],
    ['a reflog expression', 'main@{1}'],
    ['a colon', 'refs:main'],
    ['a glob', 'feat*'],
    ['a backslash', 'a\\b'],
    ['a .lock component', 'heads/x.lock'],
    ['a hidden component', 'feature/.hidden'],
    ['an empty name', ''],
    ['a name of 257 characters', 'a'.repeat(257)],
  ])('refuses a reference name with %s', (_case, name) => {
    // Prepare
    const input = awsEvent(PUSH, (event) => {
      event.detail.referenceName = name;
      event.detail.referenceFullName = `refs/heads/${name}`;
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('not a valid git reference name') });
  });

  it('keeps the reason on one safe line even for a hostile name', () => {
    // Prepare
    const input = awsEvent(PUSH, (event) => {
      event.detail.event = 'x\n\u202eevil';
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).not.toMatch(/[\n\u202e]/);
  });

  it.each(['main', 'feature/JIRA-123_fix', 'release/2024.06', 'v1.2.3', 'users/@me', 'été'])('accepts the reference name %s', (name) => {
    // Act
    const valid = isValidRefName(name);

    // Assess
    expect(valid).toBe(true);
  });
});

describe('Schema: CodeCommit Pull Request State Change', () => {
  it('turns isMerged into a boolean and keeps ids as strings', () => {
    // Prepare
    const input = awsEvent(PR_MERGED);

    // Act
    const result = parseEvent('pull-request-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({
      event: 'pullRequestMergeStatusUpdated',
      isMerged: true,
      pullRequestStatus: 'Closed',
      pullRequestId: '1',
      repositoryNames: ['MyDemoRepo'],
      mergeOption: 'FAST_FORWARD_MERGE',
      sourceReference: 'refs/heads/test-branch',
      destinationReference: 'refs/heads/main',
    });
  });

  it('reads an open pull request as not merged', () => {
    // Prepare
    const input = awsEvent(PR_CREATED);

    // Act
    const result = parseEvent('pull-request-state-change', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({ isMerged: false, pullRequestStatus: 'Open', description: 'An example description.' });
  });

  it('accepts a pull request without a description', () => {
    // Prepare
    const input = awsEvent(PR_NO_DESCRIPTION);

    // Act
    const result = parseEvent('pull-request-state-change', input);

    // Assess
    expect(result.ok && result.event.detail.description).toBeUndefined();
  });

  it('keeps the free-form dates as text without parsing them', () => {
    // Prepare
    const input = awsEvent(PR_CREATED);

    // Act
    const result = parseEvent('pull-request-state-change', input);

    // Assess
    expect(result.ok && result.event.detail.creationDate).toBe('Tue Feb 9 2019 10:18:42 PDT ');
  });

  it.each([
    ['isMerged is a boolean', (d: Record<string, unknown>) => (d.isMerged = true), 'detail.isMerged: expected "True" or "False"'],
    ['isMerged is lowercase', (d: Record<string, unknown>) => (d.isMerged = 'true'), 'detail.isMerged: expected "True" or "False"'],
    ['the id is a number', (d: Record<string, unknown>) => (d.pullRequestId = 1), 'detail.pullRequestId: Invalid input: expected string, received number'],
    ['the id is not numeric', (d: Record<string, unknown>) => (d.pullRequestId = '1; rm -rf /'), 'detail.pullRequestId: expected a numeric pull request id'],
    ['the status uses the API spelling', (d: Record<string, unknown>) => (d.pullRequestStatus = 'OPEN'), 'detail.pullRequestStatus: Invalid option'],
    ['repositoryNames is a string', (d: Record<string, unknown>) => (d.repositoryNames = 'some-repo'), 'detail.repositoryNames: Invalid input: expected array'],
    ['repositoryNames is empty', (d: Record<string, unknown>) => (d.repositoryNames = []), 'detail.repositoryNames: Too small'],
    ['the source commit is missing', (d: Record<string, unknown>) => delete d.sourceCommit, 'detail.sourceCommit: Invalid input'],
    ['the source reference is not a branch or tag', (d: Record<string, unknown>) => (d.sourceReference = 'refs/remotes/x'), 'detail.sourceReference: expected refs/heads/<branch>'],
    ['the revision id has a newline', (d: Record<string, unknown>) => (d.revisionId = 'abc\ndef'), 'detail.revisionId: expected an id'],
  ])('refuses an event where %s', (_case, edit, reason) => {
    // Prepare
    const input = awsEvent(PR_NO_DESCRIPTION, (event) => {
      edit(event.detail);
    });

    // Act
    const result = parseEvent('pull-request-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });
});

describe('Schema: CodeCommit Comment on Pull Request', () => {
  it('reads the comment, its commits and its author', () => {
    // Prepare
    const input = awsEvent(COMMENT);

    // Act
    const result = parseEvent('pull-request-comment', input);

    // Assess
    expect(result.ok && result.event.detail).toMatchObject({
      event: 'commentOnPullRequestCreated',
      pullRequestId: '201',
      callerUserArn: 'arn:aws:sts::123456789012:federated-user/Saanvi_Sarkar',
      beforeCommitId: realisticCommitId('3c5dEXAMPLE'),
      afterCommitId: realisticCommitId('f4d5EXAMPLE'),
    });
  });

  it('refuses a comment without its author', () => {
    // Prepare
    const input = awsEvent(COMMENT, (event) => {
      delete event.detail.callerUserArn;
    });

    // Act
    const result = parseEvent('pull-request-comment', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'detail.callerUserArn: Invalid input: expected string, received undefined' });
  });
});

describe('Schema: EventBridge envelope', () => {
  it.each([
    ['the account is not 12 digits', (e: Record<string, unknown>) => (e.account = '12345'), 'account: expected a 12-digit AWS account id'],
    ['the region is not a region', (e: Record<string, unknown>) => (e.region = 'moon'), 'region: expected an AWS region name'],
    ['the time is not ISO-8601', (e: Record<string, unknown>) => (e.time = 'yesterday'), 'time: expected an ISO-8601 time'],
    ['the source is not CodeCommit', (e: Record<string, unknown>) => (e.source = 'custom.codecommit'), 'source: Invalid input: expected "aws.codecommit"'],
    ['the detail is missing', (e: Record<string, unknown>) => delete e.detail, 'detail: Invalid input'],
  ])('refuses an event where %s', (_case, edit, reason) => {
    // Prepare
    const input = awsEvent(PUSH, (event) => {
      edit(event);
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it.each([null, undefined, 'text', 42, [], {}])('refuses %p with a reason instead of throwing', (input) => {
    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.any(String) });
  });

  it('refuses an object whose getters throw, without throwing', () => {
    // Prepare
    const input = Object.defineProperty({}, 'detail-type', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });

    // Act
    const result = parseEvent('repository-state-change', input);

    // Assess
    expect(result.ok).toBe(false);
  });
});
