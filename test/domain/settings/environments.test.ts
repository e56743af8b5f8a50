import { affectedEnvironments, discoverEnvironments, environmentOfPath, isValidEnvironmentName } from '../../../shared/domain/settings/environments';

describe('Module: environments (the settings repository layout)', () => {
  it('maps a path under environments/<env>/ to its environment and anything else to none', () => {
    expect(environmentOfPath('environments/prod/settings.yaml')).toBe('prod');
    expect(environmentOfPath('environments/prod/lists/a.csv')).toBe('prod');
    expect(environmentOfPath('environments/README.md')).toBeUndefined();
    expect(environmentOfPath('README.md')).toBeUndefined();
  });

  it('lists the affected environments of a change, sorted, and the paths that affect none', () => {
    const result = affectedEnvironments(['environments/b/x', 'README.md', 'environments/a/y', 'environments/b/z']);
    expect(result).toEqual({ environments: ['a', 'b'], others: ['README.md'] });
  });

  it('refuses environment names that could not be a folder, a DynamoDB key and a build variable', () => {
    for (const name of ['prod', 'eu-west-1.sandbox', 'team_a']) expect(isValidEnvironmentName(name)).toBe(true);
    for (const name of ['', '.hidden', '-x', 'a b', 'a..b', 'x.lock', 'é', 'a'.repeat(65)]) expect(isValidEnvironmentName(name)).toBe(false);
  });

  it('reports an environment without settings.yaml and a folder whose name cannot be an environment', () => {
    const result = discoverEnvironments([
      { path: 'environments/prod/settings.yaml', kind: 'file' },
      { path: 'environments/empty/notes.md', kind: 'file' },
      { path: 'environments/bad name/settings.yaml', kind: 'file' },
    ]);

    expect(result.names).toEqual(['empty', 'prod']);
    expect(result.diagnostics.map((d) => [d.file, d.code])).toEqual([
      ['environments/bad name', 'invalid-environment-name'],
      ['environments/empty/settings.yaml', 'settings-missing'],
    ]);
  });
});
