/**
 * A settings repository (and source) that answers each question once: the same folder listed at the same commit
 * (whether an environment exists, then its validation), the same file read twice, the same diff asked twice, cost one
 * call to the repository behind it. A folder under one already listed is answered from that listing. The repository
 * also remembers the changed paths it was asked for, so a review knows which files the pull request changes without
 * asking again.
 *
 * One instance lives for one review, one reconciler pass or one validation: commits are immutable, so nothing it holds
 * can go stale.
 */
import type { ReadResult, SettingsRepository, SettingsSource, SourceEntry } from '../ports/settings-source';
import { remember } from './remember';

export class MemoizedSettingsRepository implements SettingsRepository {
  private readonly diffs = new Map<string, Promise<string[]>>();
  private readonly sources = new Map<string, MemoizedSource>();
  private readonly changed = new Set<string>();

  constructor(private readonly inner: SettingsRepository) {}

  resolve(ref: string): Promise<string> {
    return this.inner.resolve(ref);
  }

  changedPaths(beforeCommit: string, afterCommit: string): Promise<string[]> {
    return remember(this.diffs, `${beforeCommit}..${afterCommit}`, async () => {
      const paths = await this.inner.changedPaths(beforeCommit, afterCommit);
      for (const path of paths) this.changed.add(path);
      return paths;
    });
  }

  at(commit: string): SettingsSource {
    let source = this.sources.get(commit);
    if (source === undefined) {
      source = new MemoizedSource(this.inner.at(commit));
      this.sources.set(commit, source);
    }
    return source;
  }

  /** Every path any `changedPaths` call answered so far. */
  get changedFiles(): ReadonlySet<string> {
    return this.changed;
  }
}

export class MemoizedSource implements SettingsSource {
  readonly description: string;
  readonly revision?: string;
  private readonly listings = new Map<string, Promise<SourceEntry[]>>();
  private readonly reads = new Map<string, Promise<ReadResult>>();

  constructor(private readonly inner: SettingsSource) {
    this.description = inner.description;
    if (inner.revision !== undefined) this.revision = inner.revision;
  }

  list(folder: string): Promise<SourceEntry[]> {
    const key = canonical(folder);
    const cached = this.listings.get(key);
    if (cached !== undefined) return cached;
    const ancestor = [...this.listings.keys()].find((candidate) => candidate === '' || key.startsWith(`${candidate}/`));
    const parent = ancestor === undefined ? undefined : this.listings.get(ancestor);
    if (parent !== undefined) {
      const prefix = `${key}/`;
      return parent.then((entries) => entries.filter((entry) => entry.path.startsWith(prefix)));
    }
    return remember(this.listings, key, () => this.inner.list(folder));
  }

  read(path: string, maxBytes: number): Promise<ReadResult> {
    return remember(this.reads, `${maxBytes}:${canonical(path)}`, () => this.inner.read(path, maxBytes));
  }
}

function canonical(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
