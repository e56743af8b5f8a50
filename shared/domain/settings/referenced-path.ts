/**
 * Paths written inside settings (CSV lists, buildspec templates, documents) are untrusted: they must name a file
 * inside the environment folder, written plainly. This module resolves such a reference to a repository path, or
 * says why it is refused. Pure functions, reusable for any file a setting points at.
 */
import type { EntryKind, SourceEntry } from '../../ports/settings-source';

export type ReferencedPathProblem = 'empty' | 'absolute' | 'parent-segment' | 'backslash' | 'nul' | 'outside-root';

export type ReferencedPathResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly problem: ReferencedPathProblem; readonly message: string; readonly hint: string };

export interface ReferencedPathOptions {
  /** Repository folder the reference is relative to (`environments/prod` for a CSV next to its settings file). */
  readonly relativeTo: string;
  /** Repository folder the result must stay inside (the environment folder). */
  readonly root: string;
  /** What the path is, for messages: `CSV file`, `buildspec template`, ... */
  readonly what: string;
}

/** Normalizes a repository path: forward slashes, no `.` segments, no empty segments, no leading or trailing slash. */
export function normalizeRepoPath(path: string): string {
  return path
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.')
    .join('/');
}

/** The folder part of a repository path (`''` for a file at the root). */
export function repoDirname(path: string): string {
  const normalized = normalizeRepoPath(path);
  const slash = normalized.lastIndexOf('/');
  return slash < 0 ? '' : normalized.slice(0, slash);
}

function joinRepoPath(folder: string, relative: string): string {
  return normalizeRepoPath(folder === '' ? relative : `${folder}/${relative}`);
}

function isInside(path: string, root: string): boolean {
  const r = normalizeRepoPath(root);
  return r === '' || path === r || path.startsWith(`${r}/`);
}

/**
 * Resolves `reference` (as written in the settings) against `relativeTo`. Refused: an empty path, an absolute path,
 * a `..` segment, a backslash, a NUL character, and anything that lands outside `root`.
 */
export function resolveReferencedPath(reference: string, options: ReferencedPathOptions): ReferencedPathResult {
  const { what } = options;
  const shown = JSON.stringify(reference);
  if (reference.trim() === '') {
    return { ok: false, problem: 'empty', message: `the ${what} path is empty`, hint: `write the path of the ${what}, relative to ${options.relativeTo || 'the repository root'}` };
  }
  if (reference.includes('\0')) {
    return { ok: false, problem: 'nul', message: `the ${what} path ${shown} contains a NUL character (Python's open() refuses it)`, hint: 'remove the character' };
  }
  if (reference.includes('\\')) {
    return {
      ok: false,
      problem: 'backslash',
      message: `the ${what} path ${shown} contains a backslash; SPA runs on Linux, where it is part of the file name`,
      hint: 'separate folders with forward slashes (/)',
    };
  }
  if (reference.startsWith('/')) {
    return {
      ok: false,
      problem: 'absolute',
      message: `the ${what} path ${shown} is absolute; spa-cd only accepts files inside the environment folder`,
      hint: `write the path relative to ${options.relativeTo || 'the repository root'}`,
    };
  }
  if (reference.split('/').some((segment) => segment === '..')) {
    return {
      ok: false,
      problem: 'parent-segment',
      message: `the ${what} path ${shown} contains '..'; spa-cd only accepts files inside the environment folder`,
      hint: 'move the file into the environment folder and refer to it without ..',
    };
  }
  const path = joinRepoPath(options.relativeTo, reference);
  if (!isInside(path, options.root)) {
    return {
      ok: false,
      problem: 'outside-root',
      message: `the ${what} path ${shown} resolves to ${path}, outside the environment folder ${normalizeRepoPath(options.root)}`,
      hint: 'keep referenced files inside the environment folder',
    };
  }
  return { ok: true, path };
}

/** Kinds of the listed entries, by normalized path, for existence and symlink checks without reading files. */
export function indexEntries(entries: readonly SourceEntry[]): Map<string, EntryKind> {
  const index = new Map<string, EntryKind>();
  for (const entry of entries) index.set(normalizeRepoPath(entry.path), entry.kind);
  return index;
}

/** The first symlink on the way to `path` (a parent folder or the file itself), if the listing shows one. */
export function symlinkOnPath(path: string, index: ReadonlyMap<string, EntryKind>): string | undefined {
  const segments = normalizeRepoPath(path).split('/');
  for (let i = 1; i <= segments.length; i += 1) {
    const prefix = segments.slice(0, i).join('/');
    if (index.get(prefix) === 'symlink') return prefix;
  }
  return undefined;
}
