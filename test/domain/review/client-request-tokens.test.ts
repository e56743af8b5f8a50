import { clientRequestToken, deploymentResultToken, inlineToken, MAX_CLIENT_REQUEST_TOKEN_LENGTH, summaryToken } from '../../../shared/domain/review/client-request-tokens';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const TOKEN = /^[A-Za-z0-9._:-]{1,128}$/;

describe('Function: clientRequestToken', () => {
  it('gives the same token for the same parts, every time', () => {
    // Prepare
    const parts = ['spa-settings', '7', C1, 'environments/prod/settings.yaml', 12, 'unknown-attribute'];

    // Act
    const first = clientRequestToken('inline', parts);
    const second = clientRequestToken('inline', [...parts]);

    // Assess
    expect(second).toBe(first);
  });

  it('keeps tokens within 64 characters of the alphabet CodeCommit accepts, whatever the parts', () => {
    // Prepare
    const hostile = ['x'.repeat(10_000), '\u202E`@all|<img>', 'ü'.repeat(500)];

    // Act
    const tokens = [clientRequestToken('summary', hostile), clientRequestToken('deployment', hostile), clientRequestToken('inline', [])];

    // Assess
    for (const token of tokens) {
      expect(token.length).toBeLessThanOrEqual(MAX_CLIENT_REQUEST_TOKEN_LENGTH);
      expect(token).toMatch(TOKEN);
    }
  });

  it('cannot be fooled by parts that concatenate alike', () => {
    // Act
    const a = clientRequestToken('inline', ['ab', 'c']);
    const b = clientRequestToken('inline', ['a', 'bc']);

    // Assess
    expect(a).not.toBe(b);
  });
});

describe('Function: summaryToken', () => {
  it('changes with the generation, so a deleted summary is replaced by a new comment', () => {
    // Prepare
    const base = { repository: 'spa-settings', pullRequestId: '7', sourceCommit: C2, destinationCommit: C1 };

    // Act
    const first = summaryToken({ ...base, generation: 0 });
    const replacement = summaryToken({ ...base, generation: 1 });

    // Assess
    expect(replacement).not.toBe(first);
    expect(first.startsWith('spa-cd-summary-')).toBe(true);
  });
});

describe('Function: inlineToken', () => {
  it('depends on pull request, commit, file, line and code', () => {
    // Prepare
    const base = { repository: 'spa-settings', pullRequestId: '7', commit: C1, file: 'environments/prod/settings.yaml', line: 3, code: 'unknown-attribute' };

    // Act
    const tokens = new Set([
      inlineToken(base),
      inlineToken({ ...base, pullRequestId: '8' }),
      inlineToken({ ...base, commit: C2 }),
      inlineToken({ ...base, file: 'environments/dev/settings.yaml' }),
      inlineToken({ ...base, line: 4 }),
      inlineToken({ ...base, code: 'wrong-type' }),
    ]);

    // Assess
    expect(tokens.size).toBe(6);
  });
});

describe('Function: deploymentResultToken', () => {
  it('differs per status of one deployment', () => {
    // Prepare
    const base = { repository: 'spa-settings', pullRequestId: '7', deploymentId: 'prod-abc' };

    // Act
    const queued = deploymentResultToken({ ...base, status: 'QUEUED' });
    const succeeded = deploymentResultToken({ ...base, status: 'SUCCEEDED' });

    // Assess
    expect(queued).not.toBe(succeeded);
    expect(succeeded).toMatch(TOKEN);
  });
});
