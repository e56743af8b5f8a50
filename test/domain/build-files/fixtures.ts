/** Loads a folder of test/fixtures/build-files into a MemorySource, under `environments/<name>/`, keeping executable bits. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MemoryFiles } from '../../support/memory-source';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/build-files');

export function fixtureFiles(name: string, folder = `environments/${name}`): MemoryFiles {
  const files: MemoryFiles = {};
  const walk = (relative: string): void => {
    for (const entry of readdirSync(join(FIXTURES, name, relative)).sort()) {
      const path = relative === '' ? entry : `${relative}/${entry}`;
      const absolute = join(FIXTURES, name, path);
      const stat = statSync(absolute);
      if (stat.isDirectory()) walk(path);
      else files[`${folder}/${path}`] = { kind: stat.mode & 0o111 ? 'executable' : 'file', content: readFileSync(absolute) };
    }
  };
  walk('');
  return files;
}
