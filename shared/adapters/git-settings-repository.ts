import { remember } from '../support/remember';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  UnknownRevisionError,
  type EntryKind,
  type ReadResult,
  type SettingsRepository,
  type SettingsSource,
  type SourceEntry,
} from '../ports/settings-source';
import { ConcurrencyLimit } from '../support/concurrency-limit';

const run = promisify(execFile);
const COMMIT = /^[0-9a-f]{40}$/;
const RECENT_SNAPSHOTS = 32;

/**
 * Adapter: a local git repository (`spa-cd plan`, local mode). Reads objects with `git ls-tree` and `git cat-file`:
 * no checkout, no hooks, nothing from the repository is executed. Every ref is validated and passed after
 * `--end-of-options`, so no value can act as an option.
 */
export class GitSettingsRepository implements SettingsRepository {
  readonly directory: string;
  private readonly limit: ConcurrencyLimit;

  constructor(directory: string, options: { parallelism?: number } = {}) {
    this.directory = resolve(directory);
    this.limit = new ConcurrencyLimit(options.parallelism ?? 8);
  }

  async resolve(ref: string): Promise<string> {
    if (!isPlausibleRef(ref)) throw new UnknownRevisionError(ref, 'not a valid revision name');
    try {
      const out = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
      const commit = out.trim();
      if (!COMMIT.test(commit)) throw new UnknownRevisionError(ref);
      return commit;
    } catch (error) {
      if (error instanceof UnknownRevisionError) throw error;
      throw new UnknownRevisionError(ref, `not found in ${this.directory}`);
    }
  }

  /** Snapshots of recent commits (immutable, so their listings can be reused by every check that reads them). */
  private readonly snapshots = new Map<string, GitSnapshot>();

  at(commit: string): SettingsSource {
    if (!COMMIT.test(commit)) throw new UnknownRevisionError(commit, 'expected a full 40-hex commit id');
    let snapshot = this.snapshots.get(commit);
    if (snapshot === undefined) {
      snapshot = new GitSnapshot(this, commit);
      this.snapshots.set(commit, snapshot);
      if (this.snapshots.size > RECENT_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value ?? '');
    }
    return snapshot;
  }

  async changedPaths(beforeCommit: string, afterCommit: string): Promise<string[]> {
    for (const commit of [beforeCommit, afterCommit]) {
      if (!COMMIT.test(commit)) throw new UnknownRevisionError(commit, 'expected a full 40-hex commit id');
    }
    const out = await this.git(['diff', '--name-only', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', beforeCommit, afterCommit, '--']);
    return out.split('\0').filter((p) => p !== '');
  }

  /** Runs git without a shell, without hooks or pagers, with a bounded number of processes at once. */
  async git(args: readonly string[]): Promise<string> {
    return (await this.gitBytes(args)).toString('utf8');
  }

  gitBytes(args: readonly string[]): Promise<Buffer> {
    return this.limit.run(async () => {
      const { stdout } = await run('git', ['-C', this.directory, '-c', 'core.quotePath=false', ...args], {
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'buffer',
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' },
      });
      return stdout;
    });
  }
}

interface TreeEntry {
  readonly mode: string;
  readonly object: string;
  readonly size: number | undefined;
  readonly path: string;
}

class GitSnapshot implements SettingsSource {
  readonly description: string;

  constructor(
    private readonly repository: GitSettingsRepository,
    readonly revision: string,
  ) {
    this.description = `git ${repository.directory} at ${revision.slice(0, 12)}`;
  }

  async list(folder: string): Promise<SourceEntry[]> {
    const entries = await this.tree(folder, true);
    return entries
      .filter((e) => e.mode !== '040000')
      .map((e) => ({ path: e.path, kind: kindOf(e.mode), ...(e.size === undefined ? {} : { size: e.size }) }));
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    if (!isSafePath(path)) return { ok: false, reason: 'not-found' };
    const entries = await this.tree(path, false);
    const entry = entries.find((e) => e.path === path);
    if (entry === undefined) return { ok: false, reason: 'not-found' };
    if (entry.mode === '040000') return { ok: false, reason: 'not-a-file', kind: 'folder' };
    const kind = kindOf(entry.mode);
    if (kind !== 'file' && kind !== 'executable') return { ok: false, reason: 'not-a-file', kind };
    if (entry.size !== undefined && entry.size > maxBytes) return { ok: false, reason: 'too-large', size: entry.size, limit: maxBytes };
    const bytes = await this.repository.gitBytes(['cat-file', 'blob', entry.object]);
    return { ok: true, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), kind };
  }

  private readonly trees = new Map<string, Promise<TreeEntry[]>>();

  /** `git ls-tree` of a path at this commit, once per path and mode (a failed one is asked again next time). */
  private tree(path: string, recursive: boolean): Promise<TreeEntry[]> {
    return remember(this.trees, `${recursive ? 'r' : 'n'}:${path}`, () => this.listTree(path, recursive));
  }

  private async listTree(path: string, recursive: boolean): Promise<TreeEntry[]> {
    const clean = path.replace(/^\/+|\/+$/g, '');
    if (clean !== '' && !isSafePath(clean)) return [];
    const args = ['ls-tree', '-l', '-z', '--full-tree', ...(recursive ? ['-r'] : []), this.revision, '--', ...(clean === '' ? [] : [clean])];
    const out = await this.repository.git(args);
    const entries: TreeEntry[] = [];
    for (const record of out.split('\0')) {
      if (record === '') continue;
      const tab = record.indexOf('\t');
      const [mode, , object, size] = record.slice(0, tab).split(/ +/);
      const entryPath = record.slice(tab + 1);
      if (mode === undefined || object === undefined) continue;
      if (recursive && clean !== '' && !(entryPath === clean || entryPath.startsWith(`${clean}/`))) continue;
      entries.push({ mode, object, size: size === undefined || size === '-' ? undefined : Number(size), path: entryPath });
    }
    return entries;
  }
}

function kindOf(mode: string): EntryKind {
  switch (mode) {
    case '100755':
      return 'executable';
    case '120000':
      return 'symlink';
    case '160000':
      return 'submodule';
    default:
      return 'file';
  }
}

/** A revision name git may be asked about: no option-like start, no control characters, no whitespace. */
export function isPlausibleRef(ref: string): boolean {
  return ref.length > 0 && ref.length <= 256 && !ref.startsWith('-') && !/[\0-\x20\x7f]/.test(ref);
}

function isSafePath(path: string): boolean {
  return path.length > 0 && !path.startsWith('/') && !path.includes('\0') && !path.split('/').includes('..');
}
