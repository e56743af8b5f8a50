import { pinnedCommit, type EnvironmentValidation } from '../../shared/use-cases/validate-settings';
import { diffVersion } from '../../shared/domain/plan/version-diff';

function validation(spaVersion: string, spaResolved?: EnvironmentValidation['spaResolved']): EnvironmentValidation {
  return {
    name: 'prod',
    path: 'environments/prod',
    valid: true,
    diagnostics: [],
    referencedFiles: [],
    deployment: { spaVersion, codeGitUrl: 'https://example.com/spa.git', autoDeploy: true, frozen: false, allowFloatingVersion: false },
    ...(spaResolved ? { spaResolved } : {}),
  };
}

describe('Function: pinnedCommit', () => {
  it('gives the commit a plan shows: a commit pin in lower case, a tag or branch as resolved, nothing when unresolved', () => {
    const upper = 'ABCDEF0123456789ABCDEF0123456789ABCDEF01';
    expect(pinnedCommit(validation(upper))).toBe(upper.toLowerCase());
    expect(pinnedCommit(validation(upper))).toBe(diffVersion(undefined, { spaVersion: upper, autoDeploy: true, frozen: false, allowFloatingVersion: false }).after?.commit);
    expect(pinnedCommit(validation('v1.4.0', { kind: 'tag', name: 'v1.4.0', commit: 'c'.repeat(40), annotated: false }))).toBe('c'.repeat(40));
    expect(pinnedCommit(validation('v1.4.0'))).toBeUndefined();
  });
});
