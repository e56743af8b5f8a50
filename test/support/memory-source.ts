/**
 * An in-memory SettingsSource for tests: a map from repository path to bytes (or text) with an entry kind, honouring
 * the port contract (sorted recursive listing, symlinks listed and never read, size cap checked before reading).
 */
import type { EntryKind, ReadResult, SettingsSource, SourceEntry } from '../../shared/ports/settings-source';

export interface MemoryEntry {
  readonly kind: EntryKind;
  readonly bytes: Uint8Array;
}

export type MemoryFiles = Record<string, string | Uint8Array | { kind: EntryKind; content?: string | Uint8Array }>;

export class MemorySource implements SettingsSource {
  readonly description = 'memory';
  readonly revision = undefined;
  readonly entries = new Map<string, MemoryEntry>();
  /** Paths read, in order (to check that nothing outside the settings is read). */
  readonly reads: string[] = [];
  /** When set, read() throws for these paths (a network failure). */
  readonly failing = new Set<string>();

  constructor(files: MemoryFiles = {}) {
    for (const [path, content] of Object.entries(files)) this.put(path, content);
  }

  put(path: string, content: string | Uint8Array | { kind: EntryKind; content?: string | Uint8Array }): this {
    const encode = (c: string | Uint8Array | undefined): Uint8Array => (c === undefined ? new Uint8Array() : typeof c === 'string' ? new TextEncoder().encode(c) : c);
    if (typeof content === 'string' || content instanceof Uint8Array) this.entries.set(path, { kind: 'file', bytes: encode(content) });
    else this.entries.set(path, { kind: content.kind, bytes: encode(content.content) });
    return this;
  }

  async list(folder: string): Promise<SourceEntry[]> {
    const prefix = folder === '' ? '' : `${folder.replace(/\/+$/, '')}/`;
    const result: SourceEntry[] = [];
    for (const [path, entry] of this.entries) {
      if (path.startsWith(prefix)) result.push({ path, kind: entry.kind, size: entry.bytes.length });
    }
    return result.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async read(path: string, maxBytes: number): Promise<ReadResult> {
    this.reads.push(path);
    if (this.failing.has(path)) throw new Error('connection reset');
    const entry = this.entries.get(path);
    if (entry === undefined) {
      const isFolder = [...this.entries.keys()].some((p) => p.startsWith(`${path}/`));
      return isFolder ? { ok: false, reason: 'not-a-file', kind: 'folder' } : { ok: false, reason: 'not-found' };
    }
    if (entry.kind === 'symlink' || entry.kind === 'submodule') return { ok: false, reason: 'not-a-file', kind: entry.kind };
    if (entry.bytes.length > maxBytes) return { ok: false, reason: 'too-large', size: entry.bytes.length, limit: maxBytes };
    return { ok: true, bytes: entry.bytes, kind: entry.kind === 'executable' ? 'executable' : 'file' };
  }
}
