/**
 * The settings repository on CodeCommit: `SettingsRepository` and `SettingsSource` over GetBranch, GetCommit,
 * GetDifferences, GetFolder and GetFile (aws-facts.md (c)).
 *
 * All calls of one instance (and of the sources it hands out) share one small semaphore, so a validation that reads
 * hundreds of files at once never has more than `concurrency` CodeCommit requests in flight. `calls` counts requests.
 */
import { remember } from '../support/remember';
import {
  GetBranchCommand,
  GetCommitCommand,
  GetDifferencesCommand,
  GetFileCommand,
  GetFolderCommand,
  type CodeCommitClient,
  type FileModeTypeEnum,
  type GetFolderOutput,
} from '@aws-sdk/client-codecommit';
import { COMMIT_ID, isValidRefName, REPOSITORY_NAME } from '../events/primitives';
import { escapeForLog } from '../events/parse';
import { UnknownRevisionError, type EntryKind, type ReadResult, type SettingsRepository, type SettingsSource, type SourceEntry } from '../ports/settings-source';
import { isAwsError } from './aws-errors';
import { ConcurrencyLimit } from '../support/concurrency-limit';

/** CodeCommit refuses GetFile above 6 MB (quota); a FileTooLargeException means at least this many bytes. */
export const CODECOMMIT_MAX_FILE_BYTES = 6_291_456;
export const DEFAULT_CODECOMMIT_CONCURRENCY = 8;
/** Most folders one `list` walks (one GetFolder each); a hostile pull request cannot make the controller loop for hours. */
export const DEFAULT_MAX_FOLDERS = 2_000;
const RECENT_SNAPSHOTS = 32;

export interface CodeCommitSettingsRepositoryOptions {
  readonly client: CodeCommitClient;
  readonly repositoryName: string;
  /** Most CodeCommit requests in flight at once for this instance (default 8). */
  readonly concurrency?: number;
  /** Most folders one `list` call walks before it fails (default 2,000). */
  readonly maxFolders?: number;
}

const COMMIT_NOT_FOUND = ['CommitDoesNotExistException', 'CommitIdDoesNotExistException', 'InvalidCommitIdException', 'InvalidCommitException'];

export class CodeCommitSettingsRepository implements SettingsRepository {
  readonly repositoryName: string;
  private readonly client: CodeCommitClient;
  private readonly semaphore: ConcurrencyLimit;
  private readonly maxFolders: number;
  private callCount = 0;
  private peak = 0;

  constructor(options: CodeCommitSettingsRepositoryOptions) {
    if (!REPOSITORY_NAME.test(options.repositoryName)) throw new TypeError('not a CodeCommit repository name');
    this.client = options.client;
    this.repositoryName = options.repositoryName;
    this.semaphore = new ConcurrencyLimit(options.concurrency ?? DEFAULT_CODECOMMIT_CONCURRENCY);
    this.maxFolders = options.maxFolders ?? DEFAULT_MAX_FOLDERS;
  }

  /** CodeCommit requests sent so far by this instance and its sources. */
  get calls(): number {
    return this.callCount;
  }

  /** The most requests that were in flight at the same time. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** Runs one request under the shared bound and counts it. */
  send<T>(request: (client: CodeCommitClient) => Promise<T>): Promise<T> {
    return this.semaphore.run(() => {
      this.callCount += 1;
      this.peak = Math.max(this.peak, this.semaphore.inFlight);
      return request(this.client);
    });
  }

  async resolve(ref: string): Promise<string> {
    if (COMMIT_ID.test(ref)) {
      try {
        const output = await this.send((client) => client.send(new GetCommitCommand({ repositoryName: this.repositoryName, commitId: ref })));
        return checkedCommit(output.commit?.commitId ?? ref, ref);
      } catch (error) {
        if (isAwsError(error, ...COMMIT_NOT_FOUND)) throw new UnknownRevisionError(ref, 'no such commit in the repository');
        throw error;
      }
    }
    const isTag = ref.startsWith('refs/tags/');
    const name = ref.replace(/^refs\/(heads|tags)\//, '');
    if (!isValidRefName(name)) throw new UnknownRevisionError(escapeForLog(ref), 'not a commit id, branch or tag name CodeCommit can resolve');
    if (!isTag) {
      try {
        const output = await this.send((client) => client.send(new GetBranchCommand({ repositoryName: this.repositoryName, branchName: name })));
        return checkedCommit(output.branch?.commitId, ref);
      } catch (error) {
        if (!isAwsError(error, 'BranchDoesNotExistException', 'InvalidBranchNameException')) throw error;
      }
    }
    // Not a branch: CodeCommit has no GetTag, but any commit specifier (a tag too) resolves through GetFolder.
    try {
      const output = await this.send((client) =>
        client.send(new GetFolderCommand({ repositoryName: this.repositoryName, folderPath: '/', commitSpecifier: name })),
      );
      return checkedCommit(output.commitId, ref);
    } catch (error) {
      if (isAwsError(error, ...COMMIT_NOT_FOUND, 'FolderDoesNotExistException')) throw new UnknownRevisionError(ref, 'no such branch or tag');
      throw error;
    }
  }

  async changedPaths(beforeCommit: string, afterCommit: string): Promise<string[]> {
    if (beforeCommit === afterCommit) return [];
    const paths = new Set<string>();
    const tokens = new Set<string>();
    let token: string | undefined;
    do {
      const nextToken = token;
      let output;
      try {
        output = await this.send((client) =>
          client.send(
            new GetDifferencesCommand({
              repositoryName: this.repositoryName,
              beforeCommitSpecifier: beforeCommit,
              afterCommitSpecifier: afterCommit,
              ...(nextToken === undefined ? {} : { NextToken: nextToken }),
            }),
          ),
        );
      } catch (error) {
        if (isAwsError(error, ...COMMIT_NOT_FOUND)) throw new UnknownRevisionError(`${beforeCommit}..${afterCommit}`, 'a commit does not exist');
        throw error;
      }
      for (const difference of output.differences ?? []) {
        for (const blob of [difference.beforeBlob, difference.afterBlob]) {
          if (blob?.path) paths.add(stripSlashes(blob.path));
        }
      }
      token = output.NextToken || undefined;
      if (token !== undefined) {
        if (tokens.has(token)) throw new Error('GetDifferences returned the same NextToken twice');
        tokens.add(token);
      }
    } while (token !== undefined);
    return [...paths].sort();
  }

  /** Snapshots of recent commits: immutable, so a warm Lambda reuses their folder listings across duplicate events. */
  private readonly snapshots = new Map<string, CodeCommitSettingsSource>();

  at(commit: string): SettingsSource {
    if (!COMMIT_ID.test(commit)) throw new TypeError('CodeCommitSettingsRepository.at() needs a full 40-hex commit id (resolve the ref first)');
    let snapshot = this.snapshots.get(commit);
    if (snapshot === undefined) {
      snapshot = new CodeCommitSettingsSource(this, commit, this.maxFolders);
      this.snapshots.set(commit, snapshot);
      if (this.snapshots.size > RECENT_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value ?? '');
    }
    return snapshot;
  }
}

function checkedCommit(commitId: string | undefined, ref: string): string {
  if (commitId === undefined || !COMMIT_ID.test(commitId)) throw new Error(`CodeCommit answered without a valid commit id for ${escapeForLog(ref)}`);
  return commitId;
}

function stripSlashes(path: string): string {
  return path.replace(/^\/+/, '').replace(/\/+$/, '');
}

/** A repository-relative path made canonical, or undefined when it could name something outside the repository. */
function normalizePath(path: string): string | undefined {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.some((part) => part === '..' || /[\p{Cc}]/u.test(part))) return undefined;
  return parts.join('/');
}

function kindOfMode(mode: FileModeTypeEnum | string | undefined): EntryKind {
  if (mode === 'EXECUTABLE') return 'executable';
  if (mode === 'SYMLINK') return 'symlink';
  return 'file';
}

class CodeCommitSettingsSource implements SettingsSource {
  readonly description: string;

  constructor(
    private readonly repository: CodeCommitSettingsRepository,
    readonly revision: string,
    private readonly maxFolders: number,
  ) {
    this.description = `codecommit ${repository.repositoryName}@${revision}`;
  }

  /** Listings of this immutable commit, by folder: one walk per folder however many checks ask for it. */
  private readonly listings = new Map<string, Promise<SourceEntry[]>>();

  list(folder: string): Promise<SourceEntry[]> {
    const root = normalizePath(folder);
    if (root === undefined) return Promise.resolve([]);
    return remember(this.listings, root, () => this.walkFolder(root));
  }

  private async walkFolder(root: string): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    let folders = 0;
    const walk = async (path: string): Promise<void> => {
      folders += 1;
      if (folders > this.maxFolders) throw new Error(`more than ${this.maxFolders} folders under ${escapeForLog(root || '/')} in ${this.description}`);
      let output: GetFolderOutput;
      try {
        output = await this.repository.send((client) =>
          client.send(
            new GetFolderCommand({ repositoryName: this.repository.repositoryName, commitSpecifier: this.revision, folderPath: path === '' ? '/' : path }),
          ),
        );
      } catch (error) {
        if (isAwsError(error, 'FolderDoesNotExistException')) return;
        throw error;
      }
      const child = (item: { absolutePath?: string; relativePath?: string }): string | undefined => {
        const full = item.absolutePath ?? (item.relativePath === undefined ? undefined : `${path}/${item.relativePath}`);
        return full === undefined ? undefined : normalizePath(full);
      };
      for (const file of output.files ?? []) {
        const filePath = child(file);
        if (filePath) entries.push({ path: filePath, kind: kindOfMode(file.fileMode) });
      }
      for (const link of output.symbolicLinks ?? []) {
        const linkPath = child(link);
        if (linkPath) entries.push({ path: linkPath, kind: 'symlink' });
      }
      for (const module of output.subModules ?? []) {
        const modulePath = child(module);
        if (modulePath) entries.push({ path: modulePath, kind: 'submodule' });
      }
      // Only strictly deeper folders: an answer can never make the walk loop.
      const prefix = path === '' ? '' : `${path}/`;
      const subFolders = (output.subFolders ?? []).map(child).filter((sub): sub is string => sub !== undefined && sub.startsWith(prefix) && sub !== path);
      await Promise.all(subFolders.map((sub) => walk(sub)));
    };
    await walk(root);
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const filePath = normalizePath(path);
    if (!filePath) return { ok: false, reason: 'not-found' };
    let output;
    try {
      output = await this.repository.send((client) =>
        client.send(new GetFileCommand({ repositoryName: this.repository.repositoryName, commitSpecifier: this.revision, filePath })),
      );
    } catch (error) {
      if (isAwsError(error, 'FileDoesNotExistException', 'PathDoesNotExistException', 'InvalidPathException', 'PathRequiredException')) {
        return { ok: false, reason: 'not-found' };
      }
      if (isAwsError(error, 'FileTooLargeException')) return { ok: false, reason: 'too-large', size: CODECOMMIT_MAX_FILE_BYTES + 1, limit: maxBytes };
      throw error;
    }
    // Decide from the metadata first: a symlink is never followed, a large file is refused before its content is used.
    if (output.fileMode === 'SYMLINK') return { ok: false, reason: 'not-a-file', kind: 'symlink' };
    const declared = output.fileSize ?? output.fileContent?.byteLength ?? 0;
    if (declared > maxBytes) return { ok: false, reason: 'too-large', size: declared, limit: maxBytes };
    const bytes = output.fileContent ?? new Uint8Array(0);
    if (bytes.byteLength > maxBytes) return { ok: false, reason: 'too-large', size: bytes.byteLength, limit: maxBytes };
    return { ok: true, bytes, kind: output.fileMode === 'EXECUTABLE' ? 'executable' : 'file' };
  }
}
