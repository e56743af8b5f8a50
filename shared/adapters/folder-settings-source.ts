import { lstat, open, readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { ReadResult, SettingsSource, SourceEntry } from '../ports/settings-source';

/**
 * Adapter: a plain folder on disk as a settings source (`spa-cd validate <folder>`).
 * Symlinks are listed and never followed, also when they stand in the middle of a path.
 */
export class FolderSettingsSource implements SettingsSource {
  readonly description: string;
  readonly revision = undefined;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.description = `folder ${this.root}`;
  }

  async list(folder: string): Promise<SourceEntry[]> {
    const start = this.absolute(folder);
    if (start === undefined) return [];
    if ((await this.inspectPath(folder)) !== 'plain') return [];
    const entries: SourceEntry[] = [];
    const walk = async (relative: string): Promise<void> => {
      let names: string[];
      try {
        names = await readdir(join(this.root, relative));
      } catch {
        return;
      }
      for (const name of names.sort()) {
        const path = relative === '' ? name : `${relative}/${name}`;
        const stat = await lstat(join(this.root, path));
        if (stat.isSymbolicLink()) entries.push({ path, kind: 'symlink', size: stat.size });
        else if (stat.isDirectory()) await walk(path);
        else if (stat.isFile()) entries.push({ path, kind: stat.mode & 0o111 ? 'executable' : 'file', size: stat.size });
      }
    };
    await walk(trimSlashes(folder));
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    const absolute = this.absolute(path);
    if (absolute === undefined) return { ok: false, reason: 'not-found' };
    const inspected = await this.inspectPath(path);
    if (inspected === 'missing') return { ok: false, reason: 'not-found' };
    if (inspected === 'symlink') return { ok: false, reason: 'not-a-file', kind: 'symlink' };
    const stat = await lstat(absolute);
    if (stat.isDirectory()) return { ok: false, reason: 'not-a-file', kind: 'folder' };
    if (!stat.isFile()) return { ok: false, reason: 'not-a-file', kind: 'file' };
    if (stat.size > maxBytes) return { ok: false, reason: 'too-large', size: stat.size, limit: maxBytes };
    // Read at most maxBytes + 1 bytes: a file that grew since lstat is still refused, never read whole.
    const handle = await open(absolute, 'r');
    try {
      const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      if (length > maxBytes) return { ok: false, reason: 'too-large', size: length, limit: maxBytes };
      return { ok: true, bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, length), kind: stat.mode & 0o111 ? 'executable' : 'file' };
    } finally {
      await handle.close();
    }
  }

  /** The absolute path of a repository-relative path, or undefined when the path would leave the root. */
  private absolute(path: string): string | undefined {
    if (path.includes('\0') || path.startsWith('/') || path.includes('\\')) return undefined;
    const absolute = resolve(this.root, path);
    if (absolute !== this.root && !absolute.startsWith(this.root + sep)) return undefined;
    return absolute;
  }

  /** Whether every component of the path exists and none is a symlink. */
  private async inspectPath(path: string): Promise<'plain' | 'missing' | 'symlink'> {
    const parts = trimSlashes(path).split('/').filter((p) => p !== '' && p !== '.');
    let current = this.root;
    for (const part of parts) {
      current = join(current, part);
      try {
        const stat = await lstat(current);
        if (stat.isSymbolicLink()) return 'symlink';
      } catch {
        return 'missing';
      }
    }
    return 'plain';
  }
}

function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/^\.$/, '');
}
