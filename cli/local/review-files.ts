/**
 * Reviews of local branches as files: `.spa-cd/reviews/<branch>.md` holds what the pull request would show on
 * CodeCommit — the summary comment (updated in place), the inline comments with their file and line, and the
 * deployment results posted after a merge.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isSummaryComment } from '../../shared/rendering/plan-markdown';
import { DEPLOYMENT_MARKER } from '../../shared/rendering/review-comments';
import { isValidRefName } from '../../shared/events/primitives';
import type { LocalComment, LocalPullRequest } from './local-pull-requests';

/** `<reviews>/<branch>.md`; a branch `feature/x` is `<reviews>/feature/x.md` (git ref names are safe paths). */
export function reviewFileOf(reviewsDir: string, branch: string): string {
  if (!isValidRefName(branch)) throw new Error('not a valid branch name');
  return join(reviewsDir, `${branch}.md`);
}

export function renderReviewFile(pr: LocalPullRequest): string {
  const live = pr.comments.filter((c) => !c.deleted);
  const summary = [...live].reverse().find((c) => c.location === undefined && isSummaryComment(c.content));
  const inline = live.filter((c) => c.location !== undefined);
  const results = live.filter((c) => c.location === undefined && c.content.startsWith(DEPLOYMENT_MARKER));
  const state = pr.status === 'OPEN' ? 'open' : `closed (${pr.closedBecause ?? 'closed'})`;
  const lines = [
    `<!-- spa-cd local: pull request #${pr.pullRequestId}, ${pr.sourceBranch} → ${pr.destinationBranch}, ${state} -->`,
    '',
    summary?.content ?? '_No review yet._',
  ];
  if (inline.length > 0) {
    lines.push('', '---', '', `### Inline comments (${inline.length})`);
    for (const comment of inline) lines.push('', `#### \`${locationOf(comment)}\` (commit ${comment.afterCommitId.slice(0, 8)})`, '', comment.content);
  }
  if (results.length > 0) {
    lines.push('', '---', '', `### Deployment results (${results.length})`);
    for (const comment of results) lines.push('', comment.content);
  }
  return `${lines.join('\n')}\n`;
}

export function writeReviewFile(reviewsDir: string, pr: LocalPullRequest): string {
  const file = reviewFileOf(reviewsDir, pr.sourceBranch);
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, renderReviewFile(pr));
  renameSync(temporary, file);
  return file;
}

export function locationOf(comment: LocalComment): string {
  return comment.location === undefined ? '' : `${comment.location.filePath}:${comment.location.filePosition}`;
}
