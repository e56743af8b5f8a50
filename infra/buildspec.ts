/** infra/buildspec.yml, read once and parsed, for the CodeBuild projects (inline buildspec: NO_SOURCE projects). */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const BUILDSPEC_FILE = join(dirname(fileURLToPath(import.meta.url)), 'buildspec.yml');

export function loadBuildspec(path = BUILDSPEC_FILE): Record<string, unknown> {
  const value: unknown = parse(readFileSync(path, 'utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !('phases' in value)) {
    throw new Error(`${path}: not a buildspec (no phases)`);
  }
  return value as Record<string, unknown>;
}
