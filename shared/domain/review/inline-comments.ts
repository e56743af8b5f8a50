/**
 * Which errors get an inline comment on a revision of a pull request: one comment per (file, line, code) on the
 * AFTER version of the file, errors only, never one that was posted already (the same errors at the same place, on
 * this or an earlier revision),
 * at most 25 per revision (the summary says how many more), files changed by the pull request first.
 */
import { sortDiagnostics, type Diagnostic } from '../settings/diagnostics';
import { shortDigest } from './client-request-tokens';

export const MAX_INLINE_COMMENTS_PER_REVISION = 25;
/** A comment on one place shows at most this many findings (more would be noise; the summary lists them all). */
export const MAX_FINDINGS_PER_INLINE_COMMENT = 5;

/** The errors of one place: what one inline comment says. */
export interface InlineFinding {
  /** Stable key of (file, line, code, messages): what the review record remembers as posted. */
  readonly key: string;
  readonly file: string;
  readonly line: number;
  readonly code: string;
  /** The errors at that place with that code (usually one), sorted. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface InlineSelection {
  /** The inline comments to post on this revision (at most `max`). */
  readonly selected: readonly InlineFinding[];
  /** Places with an error that get no inline comment on this revision because of the cap. */
  readonly overLimit: number;
  /** Places with an error already commented on (this revision or an earlier one). */
  readonly alreadyPosted: number;
  /** Errors that cannot be placed on a line (no usable file or line). */
  readonly unplaceable: number;
  /** Every place with an error. */
  readonly places: number;
}

/** The key of a place: file, line, code and what the errors say (a different error on a commented line is new). */
export function inlineKey(file: string, line: number, code: string, messages: readonly string[]): string {
  return shortDigest(['inline', file, line, code, ...[...messages].sort()]);
}

/** A repository-relative file path CodeCommit can place a comment on (no absolute path, no `..`, no control character). */
export function isCommentablePath(file: string): boolean {
  if (typeof file !== 'string' || file === '' || file.length > 4096 || file.startsWith('/')) return false;
  const parts = file.split('/');
  return parts.every((part) => part !== '' && part !== '.' && part !== '..') && !/[\p{Cc}]/u.test(file);
}

export function selectInlineComments(
  diagnostics: readonly Diagnostic[],
  options: {
    readonly alreadyPosted: ReadonlySet<string>;
    /** Files the pull request changes: their errors come first. */
    readonly changedFiles?: ReadonlySet<string>;
    readonly max?: number;
  },
): InlineSelection {
  const max = Math.max(0, Math.floor(options.max ?? MAX_INLINE_COMMENTS_PER_REVISION));
  const places = new Map<string, { file: string; line: number; code: string; diagnostics: Diagnostic[] }>();
  let unplaceable = 0;
  for (const d of sortDiagnostics(diagnostics)) {
    if (d.severity !== 'error') continue;
    if (!isCommentablePath(d.file) || !Number.isSafeInteger(d.line) || d.line < 1) {
      unplaceable += 1;
      continue;
    }
    const where = JSON.stringify([d.file, d.line, d.code]);
    const place = places.get(where);
    if (place) place.diagnostics.push(d);
    else places.set(where, { file: d.file, line: d.line, code: d.code, diagnostics: [d] });
  }
  const changed = options.changedFiles;
  const candidates: InlineFinding[] = [];
  let alreadyPosted = 0;
  for (const place of places.values()) {
    const key = inlineKey(place.file, place.line, place.code, place.diagnostics.map((d) => d.message));
    if (options.alreadyPosted.has(key)) alreadyPosted += 1;
    else candidates.push({ key, ...place });
  }
  // Stable: changed files first, then the diagnostics order (file, line, code).
  const rank = (f: InlineFinding): number => (changed === undefined || changed.has(f.file) ? 0 : 1);
  const ordered = candidates.map((finding, index) => ({ finding, index })).sort((a, b) => rank(a.finding) - rank(b.finding) || a.index - b.index);
  const selected = ordered.slice(0, max).map((entry) => entry.finding);
  return { selected, overLimit: candidates.length - selected.length, alreadyPosted, unplaceable, places: places.size };
}
