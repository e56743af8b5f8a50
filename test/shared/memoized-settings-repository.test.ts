import type { ReadResult, SettingsRepository, SettingsSource, SourceEntry } from '../../shared/ports/settings-source';
import { MemoizedSettingsRepository } from '../../shared/support/memoized-settings-repository';

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);

/** A repository that counts what it is asked. */
function counting(files: Record<string, string>) {
  const asked = { diffs: 0, lists: [] as string[], reads: [] as string[] };
  const source: SettingsSource = {
    description: 'test',
    revision: C2,
    list: async (folder: string): Promise<SourceEntry[]> => {
      asked.lists.push(folder);
      return Object.keys(files)
        .filter((path) => folder === '' || path.startsWith(`${folder}/`))
        .sort()
        .map((path) => ({ path, kind: 'file' }));
    },
    read: async (path: string): Promise<ReadResult> => {
      asked.reads.push(path);
      const text = files[path];
      return text === undefined ? { ok: false, reason: 'not-found' } : { ok: true, bytes: new TextEncoder().encode(text), kind: 'file' };
    },
  };
  const inner: SettingsRepository = {
    resolve: async (ref) => ref,
    at: () => source,
    changedPaths: async () => {
      asked.diffs += 1;
      return ['environments/prod/settings.yaml', 'README.md'];
    },
  };
  return { inner, asked };
}

describe('Class: MemoizedSettingsRepository', () => {
  it('asks each diff, listing and read once, and remembers the changed paths', async () => {
    // Prepare
    const { inner, asked } = counting({ 'environments/prod/settings.yaml': 'a: 1\n', 'environments/prod/x.csv': 'Account\n' });
    const repository = new MemoizedSettingsRepository(inner);

    // Act
    await Promise.all([repository.changedPaths(C1, C2), repository.changedPaths(C1, C2)]);
    const source = repository.at(C2);
    const [first, second] = await Promise.all([source.list('environments/prod'), repository.at(C2).list('environments/prod/')]);
    await Promise.all([source.read('environments/prod/settings.yaml', 100), source.read('environments/prod/settings.yaml', 100)]);

    // Assess
    expect(asked).toEqual({ diffs: 1, lists: ['environments/prod'], reads: ['environments/prod/settings.yaml'] });
    expect(second).toEqual(first);
    expect([...repository.changedFiles].sort()).toEqual(['README.md', 'environments/prod/settings.yaml']);
  });

  it('answers a folder under one already listed from that listing', async () => {
    // Prepare
    const { inner, asked } = counting({ 'environments/prod/settings.yaml': 'a', 'environments/dev/settings.yaml': 'b' });
    const source = new MemoizedSettingsRepository(inner).at(C2);
    await source.list('environments');

    // Act
    const prod = await source.list('environments/prod');

    // Assess
    expect(prod.map((e) => e.path)).toEqual(['environments/prod/settings.yaml']);
    expect(asked.lists).toEqual(['environments']);
  });

  it('forgets a failed call so that it can be asked again', async () => {
    // Prepare
    const { inner } = counting({});
    let calls = 0;
    const flaky: SettingsRepository = {
      ...inner,
      changedPaths: async () => {
        calls += 1;
        if (calls === 1) throw new Error('throttled');
        return [];
      },
    };
    const repository = new MemoizedSettingsRepository(flaky);

    // Act
    await expect(repository.changedPaths(C1, C2)).rejects.toThrow('throttled');
    const paths = await repository.changedPaths(C1, C2);

    // Assess
    expect(paths).toEqual([]);
    expect(calls).toBe(2);
  });
});
