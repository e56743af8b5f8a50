/**
 * Loads the EventBridge event samples (AWS documentation examples, real captures, derived shapes).
 *
 * Where they are read from, first match wins:
 * 1. `SPA_CD_AWS_EVENTS_DIR` when set;
 * 2. `test/fixtures/aws-events/` (a copy kept in the repository, so a fresh clone in CI has them);
 * 3. `../shared/aws-events` next to the repository (the team's shared originals).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixtureCopyDir = path.join(repoRoot, 'test/fixtures/aws-events');
export const sharedEventsDir = path.resolve(repoRoot, '../shared/aws-events');

export function awsEventsDir(): string {
  const override = process.env.SPA_CD_AWS_EVENTS_DIR;
  if (override) return path.resolve(override);
  if (existsSync(fixtureCopyDir)) return fixtureCopyDir;
  return sharedEventsDir;
}

/** File names of every sample (`*.json`), sorted. */
export function listAwsEventFiles(dir = awsEventsDir()): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}

export type JsonObject = { [key: string]: unknown };

/** One sample, parsed as it is on disk. */
export function loadAwsEvent(name: string, dir = awsEventsDir()): JsonObject {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as JsonObject;
}

/** The detail fields that hold commit ids in CodeCommit events. */
export const COMMIT_ID_FIELDS = [
  'commitId',
  'oldCommitId',
  'baseCommitId',
  'sourceCommitId',
  'destinationCommitId',
  'sourceCommit',
  'destinationCommit',
  'beforeCommitId',
  'afterCommitId',
] as const;

/** A stable, realistic 40-hex commit id standing for an AWS documentation placeholder (`3e5983DESTINATION`). */
export function realisticCommitId(placeholder: string): string {
  return createHash('sha1').update(placeholder).digest('hex');
}

/**
 * The sample with every placeholder commit id (AWS documentation examples use `3e5983DESTINATION`, `7f0103fMERGE`...)
 * replaced by a realistic 40-hex id derived from it: the same placeholder always maps to the same id, so
 * `oldCommitId` and `destinationCommitId` that were equal stay equal. Real 40-hex ids are kept.
 */
export function withRealisticIds(event: JsonObject): JsonObject {
  const copy = structuredClone(event);
  const detail = copy.detail;
  if (typeof detail === 'object' && detail !== null) {
    const fields = detail as JsonObject;
    for (const field of COMMIT_ID_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string' && !/^[0-9a-f]{40}$/.test(value)) fields[field] = realisticCommitId(value);
    }
  }
  return copy;
}

/** A sample made realistic (see `withRealisticIds`), then changed by `edit` on a deep copy. */
export function awsEvent(name: string, edit?: (event: JsonObject & { detail: JsonObject }) => void): JsonObject {
  const event = withRealisticIds(loadAwsEvent(name)) as JsonObject & { detail: JsonObject };
  edit?.(event);
  return event;
}
