/**
 * Port: read the files of a settings repository at one fixed revision.
 *
 * Adapters: a plain folder, a local git repository at a ref, CodeCommit at a commit.
 * All paths are repository-relative POSIX paths without a leading slash (`environments/prod/settings.yaml`).
 * An adapter bounds its own parallelism; callers may issue many reads at once.
 */
export type EntryKind = 'file' | 'executable' | 'symlink' | 'submodule';

export interface SourceEntry {
  readonly path: string;
  readonly kind: EntryKind;
  /** Size in bytes when the adapter knows it without reading the content (git, folder); undefined otherwise (CodeCommit GetFolder). */
  readonly size?: number;
}

export type ReadResult =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly kind: 'file' | 'executable' }
  | { readonly ok: false; readonly reason: 'not-found' }
  | { readonly ok: false; readonly reason: 'not-a-file'; readonly kind: EntryKind | 'folder' }
  | { readonly ok: false; readonly reason: 'too-large'; readonly size: number; readonly limit: number };

export interface SettingsSource {
  /** What this source is, for messages: `folder /path`, `git <commit>`, `codecommit repo@commit`. */
  readonly description: string;
  /** The immutable revision this source reads (a commit id), or undefined for a plain folder. */
  readonly revision?: string;
  /** Every entry under `folder` (recursively), sorted by path; empty when the folder does not exist. Symlinks are listed, never followed. */
  list(folder: string): Promise<SourceEntry[]>;
  /**
   * The bytes of one regular file. Never follows a symlink (reports `not-a-file`), and refuses a file larger than
   * `maxBytes` before reading or decoding its content (reports `too-large`). Other failures (network, permissions) throw.
   */
  read(path: string, maxBytes: number): Promise<ReadResult>;
}

/** Port: a settings repository with history (git, CodeCommit). */
export interface SettingsRepository {
  /** The full commit id a ref (commit, branch, tag, `HEAD~1` where supported) names; throws `UnknownRevisionError` when none. */
  resolve(ref: string): Promise<string>;
  /** The files at one commit. */
  at(commit: string): SettingsSource;
  /** Paths that differ between two commits (added, modified, deleted; both paths of a rename). */
  changedPaths(beforeCommit: string, afterCommit: string): Promise<string[]>;
}

export class UnknownRevisionError extends Error {
  override readonly name = 'UnknownRevisionError';
  constructor(readonly ref: string, detail?: string) {
    super(`unknown revision '${ref}'${detail ? `: ${detail}` : ''}`);
  }
}
