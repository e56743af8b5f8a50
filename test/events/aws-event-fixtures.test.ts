import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EVENT_SCHEMAS, parseAnyEvent, parseEvent, type EventKind } from '../../shared/events';
import {
  awsEventsDir,
  fixtureCopyDir,
  listAwsEventFiles,
  loadAwsEvent,
  sharedEventsDir,
  withRealisticIds,
} from '../support/aws-events';

/** The kind each sample must parse as; the build phase change is a detail-type spa-cd does not accept. */
function expectedKind(file: string): EventKind | undefined {
  if (file.startsWith('codecommit-repository-state-change.')) return 'repository-state-change';
  if (file.startsWith('codecommit-pull-request-state-change.')) return 'pull-request-state-change';
  if (file.startsWith('codecommit-comment-on-pull-request.')) return 'pull-request-comment';
  if (file.startsWith('codebuild-build-state-change.')) return 'build-state-change';
  return undefined;
}

const files = listAwsEventFiles();
const kinds = Object.keys(EVENT_SCHEMAS) as EventKind[];

describe('Fixtures: AWS event samples', () => {
  it('finds every sample of the shared folder', () => {
    // Prepare
    const dir = awsEventsDir();

    // Act
    const names = listAwsEventFiles(dir);

    // Assess
    expect(names.length).toBeGreaterThanOrEqual(21);
    expect(names).toContain('codebuild-build-state-change.SUCCEEDED.json');
  });

  it('reads from SPA_CD_AWS_EVENTS_DIR when it is set, else from the repository copy', () => {
    // Prepare
    const saved = process.env.SPA_CD_AWS_EVENTS_DIR;

    // Act
    process.env.SPA_CD_AWS_EVENTS_DIR = '/elsewhere/events';
    const overridden = awsEventsDir();
    delete process.env.SPA_CD_AWS_EVENTS_DIR;
    const fallback = awsEventsDir();
    if (saved !== undefined) process.env.SPA_CD_AWS_EVENTS_DIR = saved;

    // Assess
    expect(overridden).toBe('/elsewhere/events');
    expect(fallback).toBe(fixtureCopyDir);
  });

  it('keeps the repository copy identical to the shared originals when they are present', () => {
    // Prepare
    if (!existsSync(sharedEventsDir)) return; // a fresh clone without ../shared only has the copy
    const originals = listAwsEventFiles(sharedEventsDir);

    // Act
    const differing = originals.filter(
      (name) =>
        !existsSync(path.join(fixtureCopyDir, name)) ||
        readFileSync(path.join(fixtureCopyDir, name), 'utf8') !== readFileSync(path.join(sharedEventsDir, name), 'utf8'),
    );

    // Assess
    expect(differing).toEqual([]);
  });

  describe.each(files)('Sample: %s', (file) => {
    const kind = expectedKind(file);

    if (kind !== undefined) {
      it(`parses as ${kind} once placeholder commit ids are made realistic`, () => {
        // Prepare
        const event = withRealisticIds(loadAwsEvent(file));

        // Act
        const result = parseEvent(kind, event);

        // Assess
        expect(result).toEqual({ ok: true, event: expect.objectContaining({ account: event.account, region: event.region }) });
      });
    }

    it.each(kinds.filter((other) => other !== kind))('is rejected by the %s schema', (other) => {
      // Prepare
      const event = withRealisticIds(loadAwsEvent(file));

      // Act
      const result = parseEvent(other, event);

      // Assess
      expect(result.ok).toBe(false);
    });

    it('is recognised from its detail-type, or refused when spa-cd does not accept it', () => {
      // Prepare
      const event = withRealisticIds(loadAwsEvent(file));

      // Act
      const result = parseAnyEvent(event);

      // Assess
      if (kind === undefined) expect(result).toEqual({ ok: false, reason: 'detail-type: unsupported event type "CodeBuild Build Phase Change"' });
      else expect(result.ok && result.value.kind).toBe(kind);
    });
  });

  it.each(files.filter((file) => file.includes('.OBSERVED.')))('parses the real capture %s exactly as published', (file) => {
    // Prepare
    const kind = expectedKind(file);
    const event = loadAwsEvent(file);

    // Act
    const result = kind === undefined ? undefined : parseEvent(kind, event);

    // Assess
    expect(result?.ok).toBe(true);
  });

  it('refuses the documentation placeholders as commit ids, naming the field', () => {
    // Prepare
    const event = loadAwsEvent('codecommit-repository-state-change.referenceCreated.branch.json');

    // Act
    const result = parseEvent('repository-state-change', event);

    // Assess
    expect(result).toEqual({ ok: false, reason: 'detail.commitId: expected a full 40-character lowercase hexadecimal commit id' });
  });
});
