import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderSettingsSource } from '../../shared/adapters/folder-settings-source';

describe('Class: FolderSettingsSource', () => {
  let root: string;
  let outside: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'spa-cd-folder-'));
    outside = mkdtempSync(join(tmpdir(), 'spa-cd-outside-'));
    writeFileSync(join(outside, 'secret.csv'), 'Account\n123456789012\n');
    mkdirSync(join(root, 'environments/prod/lists'), { recursive: true });
    writeFileSync(join(root, 'environments/prod/settings.yaml'), 'accounts: []\n');
    writeFileSync(join(root, 'environments/prod/prepare.sh'), '#!/bin/sh\n');
    chmodSync(join(root, 'environments/prod/prepare.sh'), 0o755);
    symlinkSync(join(outside, 'secret.csv'), join(root, 'environments/prod/lists/link.csv'));
    symlinkSync(outside, join(root, 'environments/prod/escape'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('lists files recursively with kinds and sizes, symlinks listed but not followed', async () => {
    const entries = await new FolderSettingsSource(root).list('environments/prod');
    expect(entries.map((e) => [e.path, e.kind])).toEqual([
      ['environments/prod/escape', 'symlink'],
      ['environments/prod/lists/link.csv', 'symlink'],
      ['environments/prod/prepare.sh', 'executable'],
      ['environments/prod/settings.yaml', 'file'],
    ]);
  });

  it('reads a regular file and refuses a file over the cap before reading it', async () => {
    const source = new FolderSettingsSource(root);
    const ok = await source.read('environments/prod/settings.yaml', 100);
    expect(ok.ok && Buffer.from(ok.bytes).toString()).toBe('accounts: []\n');
    await expect(source.read('environments/prod/settings.yaml', 4)).resolves.toEqual({ ok: false, reason: 'too-large', size: 13, limit: 4 });
  });

  it('never follows a symlink, neither as the file nor in the middle of the path', async () => {
    const source = new FolderSettingsSource(root);
    await expect(source.read('environments/prod/lists/link.csv', 100)).resolves.toEqual({ ok: false, reason: 'not-a-file', kind: 'symlink' });
    await expect(source.read('environments/prod/escape/secret.csv', 100)).resolves.toEqual({ ok: false, reason: 'not-a-file', kind: 'symlink' });
  });

  it('treats paths that leave the root as missing', async () => {
    const source = new FolderSettingsSource(join(root, 'environments/prod'));
    for (const path of ['../../etc/passwd', '/etc/passwd', 'a\\b', 'a\0b']) {
      await expect(source.read(path, 100)).resolves.toEqual({ ok: false, reason: 'not-found' });
    }
  });
});
