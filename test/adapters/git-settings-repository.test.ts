import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { UnknownRevisionError } from '../../shared/ports/settings-source';
import { GitWorkTree } from '../support/git-work-tree';

describe('Class: GitSettingsRepository', () => {
  let tree: GitWorkTree;
  let first: string;
  let second: string;
  let repository: GitSettingsRepository;

  beforeAll(() => {
    tree = new GitWorkTree();
    tree.write('environments/prod/settings.yaml', 'accounts: []\n').write('README.md', 'hello\n');
    tree.write('environments/prod/prepare.sh', '#!/bin/sh\n', { executable: true });
    tree.symlink('environments/prod/link.csv', '/etc/passwd');
    first = tree.commit('first');
    tree.git('tag', 'v1');
    tree.git('tag', '-a', 'v1-annotated', '-m', 'annotated');
    tree.write('environments/prod/settings.yaml', 'accounts: [1]\n').write('environments/dev/settings.yaml', 'x: 1\n').remove('README.md');
    second = tree.commit('second');
    tree.git('branch', 'feature');
    repository = new GitSettingsRepository(tree.dir);
  });
  afterAll(() => tree.cleanup());

  describe('Method: resolve', () => {
    it('resolves branches, lightweight and annotated tags and abbreviated commits to full commit ids', async () => {
      await expect(repository.resolve('main')).resolves.toBe(second);
      await expect(repository.resolve('feature')).resolves.toBe(second);
      await expect(repository.resolve('v1')).resolves.toBe(first);
      await expect(repository.resolve('v1-annotated')).resolves.toBe(first);
      await expect(repository.resolve(first.slice(0, 10))).resolves.toBe(first);
      await expect(repository.resolve('HEAD~1')).resolves.toBe(first);
    });

    it('refuses names that could act as options or carry control characters, without running git on them', async () => {
      for (const ref of ['--output=/tmp/x', '-h', 'a b', 'a\nb', '']) {
        await expect(repository.resolve(ref)).rejects.toBeInstanceOf(UnknownRevisionError);
      }
    });

    it('reports an unknown revision as UnknownRevisionError', async () => {
      await expect(repository.resolve('no-such-branch')).rejects.toThrow("unknown revision 'no-such-branch'");
    });
  });

  describe('Method: at', () => {
    it('lists every entry of a folder at a commit with its kind and size, symlinks included but not followed', async () => {
      const entries = await repository.at(first).list('environments/prod');
      expect(entries).toEqual([
        { path: 'environments/prod/link.csv', kind: 'symlink', size: '/etc/passwd'.length },
        { path: 'environments/prod/prepare.sh', kind: 'executable', size: 10 },
        { path: 'environments/prod/settings.yaml', kind: 'file', size: 13 },
      ]);
    });

    it('reads a file as it was at the commit, not as it is now', async () => {
      const result = await repository.at(first).read('environments/prod/settings.yaml', 1000);
      expect(result.ok && Buffer.from(result.bytes).toString('utf8')).toBe('accounts: []\n');
    });

    it('refuses a symlink, a folder, a missing file and a file over the size cap without reading its content', async () => {
      const source = repository.at(first);
      await expect(source.read('environments/prod/link.csv', 1000)).resolves.toEqual({ ok: false, reason: 'not-a-file', kind: 'symlink' });
      await expect(source.read('environments/prod', 1000)).resolves.toEqual({ ok: false, reason: 'not-a-file', kind: 'folder' });
      await expect(source.read('environments/prod/nope.yaml', 1000)).resolves.toEqual({ ok: false, reason: 'not-found' });
      await expect(source.read('environments/prod/settings.yaml', 5)).resolves.toEqual({ ok: false, reason: 'too-large', size: 13, limit: 5 });
      await expect(source.read('../outside', 1000)).resolves.toEqual({ ok: false, reason: 'not-found' });
    });

    it('lists nothing for a folder that does not exist at the commit', async () => {
      await expect(repository.at(first).list('environments/dev')).resolves.toEqual([]);
    });
  });

  describe('Method: changedPaths', () => {
    it('returns added, modified and deleted paths between two commits', async () => {
      await expect(repository.changedPaths(first, second)).resolves.toEqual([
        'README.md',
        'environments/dev/settings.yaml',
        'environments/prod/settings.yaml',
      ]);
    });
  });
});
