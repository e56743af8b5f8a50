/**
 * The revision log of a pull request review: one entry per reviewed revision (source and destination commits),
 * with what changed since the previous one ("revision 3: 2 errors fixed, 1 remaining").
 *
 * Errors are compared by fingerprint (file, code, message), not by line: a line inserted above an error does not
 * make it "fixed" and "new" at once. Fingerprints are a multiset: two identical errors count twice.
 */
import type { Diagnostic } from '../settings/diagnostics';
import { shortDigest } from './client-request-tokens';

/** Entries kept in the record; the summary shows the newest few. */
export const MAX_REVISION_LOG_ENTRIES = 50;
/** Fingerprints kept for the last revision (a review with more errors compares the first ones only). */
export const MAX_FINGERPRINTS = 2_000;

export interface RevisionLogEntry {
  /** 1 for the first reviewed revision, then +1 for each new source or destination commit. */
  readonly revision: number;
  readonly sourceCommit: string;
  readonly destinationCommit: string;
  /** CodeCommit's revision id at review time, when known. */
  readonly revisionId?: string;
  readonly errors: number;
  readonly warnings: number;
  /** Errors of the previous revision that are gone. */
  readonly fixed: number;
  /** Errors that the previous revision did not have. */
  readonly introduced: number;
  /** ISO-8601 UTC. */
  readonly reviewedAt: string;
}

export interface RevisionFacts {
  readonly sourceCommit: string;
  readonly destinationCommit: string;
  readonly revisionId?: string;
  readonly fingerprints: readonly string[];
  readonly warnings: number;
  readonly reviewedAt: string;
}

export interface RevisionLogState {
  readonly revisions: readonly RevisionLogEntry[];
  /** Error fingerprints of the newest entry. */
  readonly fingerprints: readonly string[];
}

/** One fingerprint per error (sorted; repeated when the same error appears twice). */
export function errorFingerprints(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => shortDigest(['error', d.file, d.code, d.message]))
    .sort()
    .slice(0, MAX_FINGERPRINTS);
}

/** Whether an entry is about these commits (a re-review of the same revision keeps its number). */
export function isSameRevision(entry: Pick<RevisionLogEntry, 'sourceCommit' | 'destinationCommit'> | undefined, facts: Pick<RevisionFacts, 'sourceCommit' | 'destinationCommit'>): boolean {
  return entry !== undefined && entry.sourceCommit === facts.sourceCommit && entry.destinationCommit === facts.destinationCommit;
}

/**
 * The log after reviewing `facts`: a new entry for a new revision, or the newest entry refreshed (same number,
 * same fixed/introduced counts) when the same revision is reviewed again (duplicate event, retry, reopen).
 */
export function nextRevisionLog(state: RevisionLogState, facts: RevisionFacts): { readonly entry: RevisionLogEntry; readonly state: RevisionLogState } {
  const last = state.revisions.at(-1);
  const errors = facts.fingerprints.length;
  const fingerprints = [...facts.fingerprints].sort();
  if (last !== undefined && isSameRevision(last, facts)) {
    const entry: RevisionLogEntry = {
      ...last,
      ...(facts.revisionId !== undefined ? { revisionId: facts.revisionId } : {}),
      errors,
      warnings: facts.warnings,
    };
    return { entry, state: { revisions: [...state.revisions.slice(0, -1), entry], fingerprints } };
  }
  const { gone, added } = multisetDifference(last === undefined ? [] : state.fingerprints, fingerprints);
  const entry: RevisionLogEntry = {
    revision: (last?.revision ?? 0) + 1,
    sourceCommit: facts.sourceCommit,
    destinationCommit: facts.destinationCommit,
    ...(facts.revisionId !== undefined ? { revisionId: facts.revisionId } : {}),
    errors,
    warnings: facts.warnings,
    fixed: gone,
    introduced: last === undefined ? 0 : added,
    reviewedAt: facts.reviewedAt,
  };
  return { entry, state: { revisions: [...state.revisions, entry].slice(-MAX_REVISION_LOG_ENTRIES), fingerprints } };
}

function multisetDifference(before: readonly string[], after: readonly string[]): { gone: number; added: number } {
  const counts = new Map<string, number>();
  for (const f of before) counts.set(f, (counts.get(f) ?? 0) + 1);
  let added = 0;
  for (const f of after) {
    const n = counts.get(f) ?? 0;
    if (n > 0) counts.set(f, n - 1);
    else added += 1;
  }
  let gone = 0;
  for (const n of counts.values()) gone += n;
  return { gone, added };
}
