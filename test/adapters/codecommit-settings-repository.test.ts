import {
  BranchDoesNotExistException,
  CodeCommitClient,
  CommitIdDoesNotExistException,
  FileDoesNotExistException,
  FileTooLargeException,
  FolderDoesNotExistException,
  GetBranchCommand,
  GetCommitCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  type GetFolderOutput,
} from '@aws-sdk/client-codecommit';
import { mockClient } from 'aws-sdk-client-mock';
import { CODECOMMIT_MAX_FILE_BYTES, CodeCommitSettingsRepository } from '../../shared/adapters/codecommit-settings-repository';
import { ConcurrencyLimit } from '../../shared/support/concurrency-limit';
import { UnknownRevisionError } from '../../shared/ports/settings-source';

const REPO = 'spa-settings';
const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);
const meta = { $metadata: {} };

function setup(options: { concurrency?: number; maxFolders?: number } = {}) {
  const client = new CodeCommitClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
  const mock = mockClient(client);
  const repository = new CodeCommitSettingsRepository({ client, repositoryName: REPO, ...options });
  return { mock, repository };
}

/** A mock handler that records how many calls are in flight at once; each call waits a few event-loop turns. */
function concurrencyProbe() {
  const probe = { inFlight: 0, max: 0 };
  const delayed = async <T>(answer: () => T): Promise<T> => {
    probe.inFlight += 1;
    probe.max = Math.max(probe.max, probe.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 2));
    probe.inFlight -= 1;
    return answer();
  };
  return { probe, delayed };
}

describe('Class: CodeCommitSettingsRepository', () => {
  describe('Method: resolve', () => {
    it('checks a full commit id with GetCommit and returns it', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetCommitCommand).resolves({ commit: { commitId: C1 } });

      // Act
      const commit = await repository.resolve(C1);

      // Assess
      expect(commit).toBe(C1);
      expect(mock).toHaveReceivedCommandWith(GetCommitCommand, { repositoryName: REPO, commitId: C1 });
      expect(mock).not.toHaveReceivedCommand(GetBranchCommand);
    });

    it('reports an unknown commit as an unknown revision', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetCommitCommand).rejects(new CommitIdDoesNotExistException({ message: 'no', ...meta }));

      // Act
      const resolving = repository.resolve(C1);

      // Assess
      await expect(resolving).rejects.toBeInstanceOf(UnknownRevisionError);
    });

    it.each(['main', 'refs/heads/main'])('resolves the branch %s with GetBranch', async (ref) => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetBranchCommand).resolves({ branch: { branchName: 'main', commitId: C2 } });

      // Act
      const commit = await repository.resolve(ref);

      // Assess
      expect(commit).toBe(C2);
      expect(mock).toHaveReceivedCommandWith(GetBranchCommand, { repositoryName: REPO, branchName: 'main' });
    });

    it('resolves a tag through GetFolder when no branch has that name', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetBranchCommand).rejects(new BranchDoesNotExistException({ message: 'no', ...meta }));
      mock.on(GetFolderCommand).resolves({ commitId: C1, folderPath: '/' });

      // Act
      const commit = await repository.resolve('v1.2.3');

      // Assess
      expect(commit).toBe(C1);
      expect(mock).toHaveReceivedCommandWith(GetFolderCommand, { repositoryName: REPO, folderPath: '/', commitSpecifier: 'v1.2.3' });
    });

    it('reports a name that is neither branch nor tag as an unknown revision', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetBranchCommand).rejects(new BranchDoesNotExistException({ message: 'no', ...meta }));
      mock.on(GetFolderCommand).rejects(Object.assign(new Error('no'), { name: 'CommitDoesNotExistException' }));

      // Act
      const resolving = repository.resolve('nope');

      // Assess
      await expect(resolving).rejects.toThrow("unknown revision 'nope': no such branch or tag");
    });

    it.each(['HEAD~1', 'main\nx', '-x', 'a..b'])('refuses %p without calling CodeCommit', async (ref) => {
      // Prepare
      const { mock, repository } = setup();

      // Act
      const resolving = repository.resolve(ref);

      // Assess
      await expect(resolving).rejects.toBeInstanceOf(UnknownRevisionError);
      expect(mock.calls()).toHaveLength(0);
    });
  });

  describe('Method: changedPaths', () => {
    it('follows NextToken through every page and keeps both paths of a rename', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock
        .on(GetDifferencesCommand, { NextToken: undefined })
        .resolves({ differences: [{ changeType: 'M', beforeBlob: { path: 'environments/prod/settings.yaml' }, afterBlob: { path: 'environments/prod/settings.yaml' } }], NextToken: 't1' })
        .on(GetDifferencesCommand, { NextToken: 't1' })
        .resolves({ differences: [{ changeType: 'A', afterBlob: { path: 'environments/dev/accounts.csv' } }], NextToken: 't2' })
        .on(GetDifferencesCommand, { NextToken: 't2' })
        .resolves({ differences: [{ changeType: 'D', beforeBlob: { path: 'README.md' } }, { beforeBlob: { path: 'environments/a/x' }, afterBlob: { path: 'environments/b/x' } }] });

      // Act
      const paths = await repository.changedPaths(C1, C2);

      // Assess
      expect(paths).toEqual(['README.md', 'environments/a/x', 'environments/b/x', 'environments/dev/accounts.csv', 'environments/prod/settings.yaml']);
      expect(mock).toHaveReceivedCommandTimes(GetDifferencesCommand, 3);
      expect(mock).toHaveReceivedNthCommandWith(1, GetDifferencesCommand, { repositoryName: REPO, beforeCommitSpecifier: C1, afterCommitSpecifier: C2 });
      expect(mock.commandCalls(GetDifferencesCommand)[0]?.args[0].input).not.toHaveProperty('NextToken');
      expect(mock).toHaveReceivedNthCommandWith(2, GetDifferencesCommand, { repositoryName: REPO, beforeCommitSpecifier: C1, afterCommitSpecifier: C2, NextToken: 't1' });
      expect(mock).toHaveReceivedNthCommandWith(3, GetDifferencesCommand, { NextToken: 't2' });
      expect(repository.calls).toBe(3);
    });

    it('asks nothing when both commits are the same', async () => {
      // Prepare
      const { mock, repository } = setup();

      // Act
      const paths = await repository.changedPaths(C1, C1);

      // Assess
      expect(paths).toEqual([]);
      expect(mock.calls()).toHaveLength(0);
    });

    it('stops when CodeCommit repeats a NextToken', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetDifferencesCommand).resolves({ differences: [], NextToken: 'again' });

      // Act
      const diffing = repository.changedPaths(C1, C2);

      // Assess
      await expect(diffing).rejects.toThrow('GetDifferences returned the same NextToken twice');
    });
  });

  describe('Method: at().list', () => {
    it('walks sub-folders with more GetFolder calls and reports files, executables, symlinks and submodules', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock
        .on(GetFolderCommand, { folderPath: 'environments/prod' })
        .resolves({
          commitId: C1,
          folderPath: 'environments/prod',
          files: [
            { absolutePath: 'environments/prod/settings.yaml', relativePath: 'settings.yaml', fileMode: 'NORMAL' },
            { absolutePath: 'environments/prod/deploy.sh', relativePath: 'deploy.sh', fileMode: 'EXECUTABLE' },
          ],
          symbolicLinks: [{ absolutePath: 'environments/prod/link.csv', relativePath: 'link.csv', fileMode: 'SYMLINK' }],
          subModules: [{ absolutePath: 'environments/prod/vendor', relativePath: 'vendor', commitId: C2 }],
          subFolders: [{ absolutePath: 'environments/prod/lists', relativePath: 'lists' }],
        })
        .on(GetFolderCommand, { folderPath: 'environments/prod/lists' })
        .resolves({
          commitId: C1,
          folderPath: 'environments/prod/lists',
          files: [{ absolutePath: 'environments/prod/lists/accounts.csv', relativePath: 'accounts.csv', fileMode: 'NORMAL' }],
          subFolders: [{ absolutePath: 'environments/prod/lists/old', relativePath: 'old' }],
        })
        .on(GetFolderCommand, { folderPath: 'environments/prod/lists/old' })
        .resolves({ commitId: C1, folderPath: 'environments/prod/lists/old', files: [{ relativePath: 'a.csv', fileMode: 'NORMAL' }] });

      // Act
      const entries = await repository.at(C1).list('environments/prod/');

      // Assess
      expect(entries).toEqual([
        { path: 'environments/prod/deploy.sh', kind: 'executable' },
        { path: 'environments/prod/link.csv', kind: 'symlink' },
        { path: 'environments/prod/lists/accounts.csv', kind: 'file' },
        { path: 'environments/prod/lists/old/a.csv', kind: 'file' },
        { path: 'environments/prod/settings.yaml', kind: 'file' },
        { path: 'environments/prod/vendor', kind: 'submodule' },
      ]);
      expect(mock).toHaveReceivedCommandTimes(GetFolderCommand, 3);
      expect(mock).toHaveReceivedCommandWith(GetFolderCommand, { repositoryName: REPO, commitSpecifier: C1, folderPath: 'environments/prod/lists/old' });
    });

    it('lists a missing folder as empty', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFolderCommand).rejects(new FolderDoesNotExistException({ message: 'no', ...meta }));

      // Act
      const entries = await repository.at(C1).list('environments/gone');

      // Assess
      expect(entries).toEqual([]);
    });

    it('lists the repository root with folderPath "/"', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFolderCommand).resolves({ commitId: C1, folderPath: '/', files: [{ absolutePath: 'README.md', fileMode: 'NORMAL' }] });

      // Act
      const entries = await repository.at(C1).list('');

      // Assess
      expect(entries).toEqual([{ path: 'README.md', kind: 'file' }]);
      expect(mock).toHaveReceivedCommandWith(GetFolderCommand, { folderPath: '/' });
    });

    it('gives up on a tree with more folders than allowed', async () => {
      // Prepare
      const { mock, repository } = setup({ maxFolders: 5 });
      mock.on(GetFolderCommand).callsFake((input: { folderPath: string }) => ({
        commitId: C1,
        folderPath: input.folderPath,
        subFolders: [{ absolutePath: `${input.folderPath}/d` }],
      }));

      // Act
      const listing = repository.at(C1).list('environments');

      // Assess
      await expect(listing).rejects.toThrow('more than 5 folders under environments');
    });

    it('refuses to walk out of the repository', async () => {
      // Prepare
      const { mock, repository } = setup();

      // Act
      const entries = await repository.at(C1).list('environments/../..');

      // Assess
      expect(entries).toEqual([]);
      expect(mock.calls()).toHaveLength(0);
    });
  });

  describe('Method: at().read', () => {
    it('returns the bytes of a regular file read at the commit', async () => {
      // Prepare
      const { mock, repository } = setup();
      const bytes = new TextEncoder().encode('accounts: []\n');
      mock.on(GetFileCommand).resolves({ commitId: C1, blobId: 'b', filePath: 'environments/prod/settings.yaml', fileMode: 'NORMAL', fileSize: bytes.length, fileContent: bytes });

      // Act
      const result = await repository.at(C1).read('environments/prod/settings.yaml', 1000);

      // Assess
      expect(result).toEqual({ ok: true, bytes, kind: 'file' });
      expect(mock).toHaveReceivedCommandWith(GetFileCommand, { repositoryName: REPO, commitSpecifier: C1, filePath: 'environments/prod/settings.yaml' });
    });

    it('reports an executable file as such', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFileCommand).resolves({ fileMode: 'EXECUTABLE', fileSize: 2, fileContent: new Uint8Array([35, 33]) });

      // Act
      const result = await repository.at(C1).read('environments/prod/deploy.sh', 1000);

      // Assess
      expect(result).toMatchObject({ ok: true, kind: 'executable' });
    });

    it('refuses a symlink instead of following it', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFileCommand).resolves({ fileMode: 'SYMLINK', fileSize: 11, fileContent: new TextEncoder().encode('/etc/passwd') });

      // Act
      const result = await repository.at(C1).read('environments/prod/accounts.csv', 1000);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'not-a-file', kind: 'symlink' });
    });

    it('refuses a file larger than the limit from its declared size, before touching its content', async () => {
      // Prepare
      const { mock, repository } = setup();
      const touched: string[] = [];
      const output = Object.defineProperty({ fileMode: 'NORMAL', fileSize: 5_000_000 }, 'fileContent', {
        enumerable: true,
        get() {
          touched.push('fileContent');
          return new Uint8Array(0);
        },
      });
      mock.on(GetFileCommand).callsFake(() => output);

      // Act
      const result = await repository.at(C1).read('environments/prod/big.csv', 1_000_000);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'too-large', size: 5_000_000, limit: 1_000_000 });
      expect(touched).toEqual([]);
    });

    it('reports a file CodeCommit will not return as too large', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFileCommand).rejects(new FileTooLargeException({ message: 'too large', ...meta }));

      // Act
      const result = await repository.at(C1).read('environments/prod/huge.csv', 1_000_000);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'too-large', size: CODECOMMIT_MAX_FILE_BYTES + 1, limit: 1_000_000 });
    });

    it('reports a missing file as not found', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFileCommand).rejects(new FileDoesNotExistException({ message: 'no', ...meta }));

      // Act
      const result = await repository.at(C1).read('environments/prod/deployment.yaml', 1000);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'not-found' });
    });

    it('lets other failures through', async () => {
      // Prepare
      const { mock, repository } = setup();
      mock.on(GetFileCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

      // Act
      const reading = repository.at(C1).read('environments/prod/settings.yaml', 1000);

      // Assess
      await expect(reading).rejects.toThrow('denied');
    });

    it('reports a path leaving the repository as not found without calling CodeCommit', async () => {
      // Prepare
      const { mock, repository } = setup();

      // Act
      const result = await repository.at(C1).read('environments/prod/../../../etc/passwd', 1000);

      // Assess
      expect(result).toEqual({ ok: false, reason: 'not-found' });
      expect(mock.calls()).toHaveLength(0);
    });

    it('describes itself with the repository and the commit', () => {
      // Prepare
      const { repository } = setup();

      // Act
      const source = repository.at(C1);

      // Assess
      expect({ description: source.description, revision: source.revision }).toEqual({ description: `codecommit ${REPO}@${C1}`, revision: C1 });
    });

    it('refuses a ref where a commit id is needed', () => {
      // Prepare
      const { repository } = setup();

      // Act
      const opening = () => repository.at('main');

      // Assess
      expect(opening).toThrow(TypeError);
    });
  });

  describe('Parallelism', () => {
    it('never has more than 8 calls in flight, across reads and folder walks of the same instance', async () => {
      // Prepare
      const { mock, repository } = setup();
      const { probe, delayed } = concurrencyProbe();
      mock.on(GetFileCommand).callsFake(() => delayed(() => ({ fileMode: 'NORMAL', fileSize: 1, fileContent: new Uint8Array([1]) })));
      mock.on(GetFolderCommand).callsFake((input: { folderPath: string }) =>
        delayed((): GetFolderOutput => ({
          commitId: C1,
          folderPath: input.folderPath,
          subFolders: input.folderPath === 'environments' ? Array.from({ length: 30 }, (_, i) => ({ absolutePath: `environments/e${i}` })) : [],
          files: [{ absolutePath: `${input.folderPath}/f`, fileMode: 'NORMAL' }],
        })),
      );
      const source = repository.at(C1);

      // Act
      await Promise.all([source.list('environments'), ...Array.from({ length: 40 }, (_, i) => source.read(`environments/e${i % 30}/f`, 10))]);

      // Assess
      expect(probe.max).toBe(8);
      expect(repository.peakInFlight).toBe(8);
      expect(repository.calls).toBe(31 + 40);
    });

    it('respects a configured bound', async () => {
      // Prepare
      const { mock, repository } = setup({ concurrency: 3 });
      const { probe, delayed } = concurrencyProbe();
      mock.on(GetFileCommand).callsFake(() => delayed(() => ({ fileMode: 'NORMAL', fileSize: 0, fileContent: new Uint8Array(0) })));
      const source = repository.at(C1);

      // Act
      await Promise.all(Array.from({ length: 20 }, (_, i) => source.read(`f${i}`, 10)));

      // Assess
      expect(probe.max).toBe(3);
    });

    it('frees its slot when a call fails', async () => {
      // Prepare
      const semaphore = new ConcurrencyLimit(1);

      // Act
      const failed = semaphore.run(() => Promise.reject(new Error('x'))).catch(() => 'failed');
      const next = semaphore.run(() => Promise.resolve('ran'));

      // Assess
      await expect(Promise.all([failed, next])).resolves.toEqual(['failed', 'ran']);
      expect(semaphore.inFlight).toBe(0);
    });
  });
});
