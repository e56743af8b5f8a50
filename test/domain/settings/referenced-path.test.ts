import { indexEntries, normalizeRepoPath, repoDirname, resolveReferencedPath, symlinkOnPath } from '../../../shared/domain/settings/referenced-path';

const options = { relativeTo: 'environments/prod', root: 'environments/prod', what: 'CSV file' };

describe('Function: resolveReferencedPath', () => {
  it('resolves a relative path against its folder', () => {
    expect(resolveReferencedPath('lists/a.csv', options)).toEqual({ ok: true, path: 'environments/prod/lists/a.csv' });
    expect(resolveReferencedPath('./a.csv', options)).toEqual({ ok: true, path: 'environments/prod/a.csv' });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['../other/a.csv', 'parent-segment'],
    ['lists/../../a.csv', 'parent-segment'],
    ['lists\\a.csv', 'backslash'],
    ['a\0.csv', 'nul'],
  ])('refuses %j (%s) with a message and a hint', (reference, problem) => {
    const result = resolveReferencedPath(reference, options);
    expect(result).toMatchObject({ ok: false, problem });
    expect(result.ok ? '' : result.message).toContain('CSV file');
    expect(result.ok ? '' : result.hint.length).toBeGreaterThan(0);
  });

  it('accepts dots inside a file name', () => {
    expect(resolveReferencedPath('a..b.csv', options)).toEqual({ ok: true, path: 'environments/prod/a..b.csv' });
  });

  it('refuses a path that lands outside the root', () => {
    expect(resolveReferencedPath('a.csv', { ...options, relativeTo: 'environments' })).toMatchObject({ ok: false, problem: 'outside-root' });
  });

  it('accepts anything inside the repository when the root is the repository itself', () => {
    expect(resolveReferencedPath('a.csv', { relativeTo: '', root: '', what: 'CSV file' })).toEqual({ ok: true, path: 'a.csv' });
  });
});

describe('Function: symlinkOnPath', () => {
  it('finds a symlinked folder or file on the way to a path', () => {
    const index = indexEntries([
      { path: 'env/link', kind: 'symlink' },
      { path: 'env/a.csv', kind: 'file' },
      { path: 'env/b.csv', kind: 'symlink' },
    ]);
    expect(symlinkOnPath('env/link/x.csv', index)).toBe('env/link');
    expect(symlinkOnPath('env/b.csv', index)).toBe('env/b.csv');
    expect(symlinkOnPath('env/a.csv', index)).toBeUndefined();
  });
});

describe('Function: normalizeRepoPath', () => {
  it('removes empty and . segments and surrounding slashes', () => {
    expect(normalizeRepoPath('/a//./b/')).toBe('a/b');
    expect(repoDirname('environments/prod/settings.yaml')).toBe('environments/prod');
    expect(repoDirname('settings.yaml')).toBe('');
  });
});
