/**
 * The comments of the pull request review, besides the plan itself (plan-markdown.ts): the summary's review footer
 * (inline comment counts, approval, revision log), the "no environment affected" summary, the inline comment of one
 * place, and the result of a deployment posted back on the pull request that brought it.
 *
 * Every value from the repository, an event or a build is escaped (`escapeInline`, `code`); every comment fits
 * CodeCommit's 10,240 characters. Nothing here throws on any input.
 */
import type { Deployment, DeploymentStatus } from '../domain/deployment/deployment';
import type { Plan } from '../domain/plan/plan';
import { MAX_FINDINGS_PER_INLINE_COMMENT, type InlineFinding } from '../domain/review/inline-comments';
import type { RevisionLogEntry } from '../domain/review/revision-log';
import { countBySeverity, type Diagnostic } from '../domain/settings/diagnostics';
import { code, escapeInline, sliceSafely, truncate } from './markdown-escape';
import { CODECOMMIT_COMMENT_MAX_CHARS, renderPlanMarkdown, SUMMARY_MARKER } from './plan-markdown';
import { plural } from './plural';
import { shellOption } from './shell-quote';

export const REVIEW_HEADER = '## spa-cd review';
/** First line of a deployment result comment. */
export const DEPLOYMENT_MARKER = '<!-- spa-cd:deployment -->';
/** Revision log entries shown in the summary (the record keeps more). */
export const REVISION_LOG_SHOWN = 10;

const CAP = { name: 64, path: 200, ref: 100, message: 400, hint: 200, code: 64, title: 150, reason: 600, phase: 64, id: 128 } as const;

/** What the controller did about approval on this review (gating only). */
export type ApprovalOutcome =
  | 'approved'
  /** Invalid: the controller's earlier approval was revoked. */
  | 'revoked'
  /** Invalid, and the controller has no approval to take back. */
  | 'withheld'
  | 'author-cannot-approve'
  | 'pull-request-closed'
  /** The pull request moved on while this review ran: the newer revision's review decides. */
  | 'revision-moved'
  | 'failed';

export interface InlineSummary {
  /** Inline comments posted (or kept) on this revision. */
  readonly posted: number;
  /** Places commented on an earlier revision or review. */
  readonly alreadyPosted: number;
  /** Places left without an inline comment on this revision because of the cap. */
  readonly overLimit: number;
  /** Errors that cannot be placed on a line. */
  readonly unplaceable: number;
  readonly max: number;
}

export interface ReviewSummaryOptions {
  readonly revisions: readonly RevisionLogEntry[];
  readonly inline?: InlineSummary;
  readonly approval?: ApprovalOutcome;
  /** Default: CodeCommit's 10,240. */
  readonly maxChars?: number;
}

/**
 * The summary comment of a review: the plan (or the "no environment affected" text), then the review footer.
 * Never longer than `maxChars`: the footer is sized first and the plan gets the rest (it degrades by itself:
 * details collapsed, then cut with a visible note pointing at `spa-cd plan`).
 */
export function renderReviewSummary(plan: Plan, options: ReviewSummaryOptions): string {
  const max = Math.max(0, Math.floor(options.maxChars ?? CODECOMMIT_COMMENT_MAX_CHARS));
  try {
    let footer = renderFooter(options, REVISION_LOG_SHOWN);
    // A tiny limit (tests, or a future smaller one) keeps the plan's verdict rather than a long log.
    if (footer.length > max / 2) footer = renderFooter(options, 1);
    if (footer.length > max / 2) footer = '';
    const room = footer === '' ? max : max - footer.length - 1;
    const body = plan.environments.length === 0 ? renderNoEnvironmentSummary(plan, options.approval, room) : renderPlanMarkdown(plan, { header: REVIEW_HEADER, maxChars: room });
    return footer === '' ? body : `${body}\n${footer}`;
  } catch {
    return sliceSafely(`${SUMMARY_MARKER}\n${REVIEW_HEADER}\n⚠ spa-cd could not render this review; run \`spa-cd plan\` locally for the report.`, max);
  }
}

/** The short summary of a pull request that changes nothing under `environments/`. */
export function renderNoEnvironmentSummary(plan: Plan, approval: ApprovalOutcome | undefined, maxChars = CODECOMMIT_COMMENT_MAX_CHARS): string {
  const lines = [SUMMARY_MARKER, REVIEW_HEADER, '✅ **No environment affected**: merging this pull request deploys nothing', ''];
  const ctx = plan.context;
  if (ctx) {
    const title = ctx.title !== undefined && String(ctx.title) !== '' ? `: ${escapeInline(ctx.title, CAP.title)}` : '';
    lines.push(`Pull request ${code(ctx.pullRequestId, { max: CAP.ref })}${title}  `);
    const revision = ctx.revisionId !== undefined ? `, revision ${code(ctx.revisionId, { max: CAP.ref })}` : '';
    lines.push(`Reviewed commit ${code(ctx.reviewedCommit, { max: CAP.ref })} into ${code(ctx.trunk, { max: CAP.ref })}${revision}  `);
  }
  if (approval === 'approved') lines.push('Approval: **approved** by spa-cd (no environment affected)  ');
  const paths = Array.isArray(plan.unaffectedChanges) ? plan.unaffectedChanges : [];
  lines.push(
    paths.length === 0
      ? 'No file under `environments/` differs from the merge base.'
      : `No file under \`environments/\` changes; ${plural(paths.length, 'path')} changed elsewhere:`,
  );
  for (const path of paths.slice(0, 10)) lines.push(`- ${code(path, { max: CAP.path })}`);
  if (paths.length > 10) lines.push(`- … and ${paths.length - 10} more`);
  return fitLines(lines, maxChars);
}

/** The review footer: inline comment counts, an approval note when approval was not given as asked, the revision log. */
export function renderFooter(options: Pick<ReviewSummaryOptions, 'revisions' | 'inline' | 'approval'>, shown = REVISION_LOG_SHOWN): string {
  const lines: string[] = [''];
  const inline = options.inline;
  if (inline && inline.posted + inline.alreadyPosted + inline.overLimit + inline.unplaceable > 0) {
    const parts = [inline.posted === 0 ? 'no new inline comment on this revision' : `${plural(inline.posted, 'inline comment')} on this revision`];
    if (inline.alreadyPosted > 0) parts.push(`${plural(inline.alreadyPosted, 'place')} commented on before`);
    if (inline.overLimit > 0) {
      parts.push(`**${inline.overLimit} more ${inline.overLimit === 1 ? 'error' : 'errors'}** not commented inline (at most ${inline.max} per revision; the summary above lists them)`);
    }
    if (inline.unplaceable > 0) parts.push(`${plural(inline.unplaceable, 'error')} not on a line of a file`);
    lines.push(`**Inline comments:** ${parts.join(' · ')}`);
  }
  const note = approvalNote(options.approval);
  if (note) lines.push(`**Approval:** ${note}`);
  const revisions = options.revisions.slice(-Math.max(1, shown)).reverse();
  if (revisions.length > 0) {
    if (lines.length > 1) lines.push('');
    const total = options.revisions.length;
    lines.push(`**Revision log**${total > revisions.length ? ` (newest ${revisions.length} of ${total})` : ''}`);
    for (const entry of revisions) lines.push(`- ${revisionLine(entry)}`);
  }
  return lines.length === 1 ? '' : lines.join('\n');
}

/** `revision 3 (`abc1234`): 2 errors fixed, 1 remaining`. */
export function revisionLine(entry: RevisionLogEntry): string {
  const head = `revision ${entry.revision} (${shortCommit(entry.sourceCommit)})`;
  const parts: string[] = [];
  if (entry.revision === 1) {
    parts.push(entry.errors === 0 ? 'no errors' : plural(entry.errors, 'error'));
  } else {
    if (entry.fixed > 0) parts.push(`${plural(entry.fixed, 'error')} fixed`);
    if (entry.introduced > 0) parts.push(`${entry.introduced} new`);
    if (entry.errors === 0) parts.push(entry.fixed > 0 ? 'none remaining ✅' : 'no errors');
    else parts.push(`${entry.errors} remaining`);
  }
  if (entry.warnings > 0) parts.push(plural(entry.warnings, 'warning'));
  return `${head}: ${parts.join(', ')}`;
}

function approvalNote(outcome: ApprovalOutcome | undefined): string | undefined {
  switch (outcome) {
    case 'withheld':
      return 'not given: the settings are invalid (spa-cd approves once every affected environment is valid)';
    case 'author-cannot-approve':
      return 'not given: CodeCommit does not let the author of a pull request approve it (spa-cd runs as the author)';
    case 'pull-request-closed':
      return 'not changed: the pull request is closed';
    case 'revision-moved':
      return 'not changed: the pull request moved on while this review ran; the review of the newer revision decides';
    case 'failed':
      return 'not changed: CodeCommit refused or failed; the next review retries';
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inline comments

/** The inline comment of one place: its errors (capped), a hint, and which commit was reviewed. */
export function renderInlineComment(finding: InlineFinding, reviewedCommit: string, maxFindings = MAX_FINDINGS_PER_INLINE_COMMENT): string {
  const shown = finding.diagnostics.slice(0, maxFindings);
  const lines: string[] = [];
  for (const d of shown) {
    const hint = d.hint !== undefined && String(d.hint) !== '' ? escapeInline(d.hint, CAP.hint) : undefined;
    const label = d.severity === 'error' ? '❌ **spa-cd error**' : '⚠ **spa-cd warning**';
    // Two trailing spaces: a hard line break before the hint, inside the same paragraph.
    lines.push(`${label} ${code(d.code, { max: CAP.code })}: ${escapeInline(d.message, CAP.message)}${hint !== undefined ? '  ' : ''}`);
    if (hint !== undefined) lines.push(`What to do: ${hint}`);
    lines.push('');
  }
  const rest = finding.diagnostics.length - shown.length;
  if (rest > 0) lines.push(`… and ${rest} more here (the summary comment lists them).`, '');
  lines.push(`spa-cd review of commit ${shortCommit(reviewedCommit)}, line ${finding.line} of ${code(finding.file, { max: CAP.path })}`);
  return fitLines(lines, CODECOMMIT_COMMENT_MAX_CHARS);
}

// ---------------------------------------------------------------------------------------------------------------
// Deployment results

const STATUS_TEXT: Record<DeploymentStatus, { icon: string; text: string }> = {
  PENDING: { icon: '⏸', text: 'recorded PENDING: auto_deploy is false, nothing runs until a manual deploy' },
  QUEUED: { icon: '⏳', text: 'queued: it waits for the deployment running in this environment' },
  STARTING: { icon: '🚀', text: 'starting' },
  IN_PROGRESS: { icon: '🚀', text: 'in progress' },
  SUCCEEDED: { icon: '✅', text: 'deployed' },
  FAILED: { icon: '❌', text: 'deployment failed' },
  FAULT: { icon: '❌', text: 'deployment failed (CodeBuild fault)' },
  TIMED_OUT: { icon: '❌', text: 'deployment timed out' },
  STOPPED: { icon: '⏹', text: 'deployment stopped' },
  REJECTED: { icon: '⛔', text: 'not deployed: invalid settings' },
  SUPERSEDED: { icon: '⏭', text: 'not deployed: a newer merge replaced it in the queue' },
  FAILED_TO_START: { icon: '❌', text: 'not deployed: CodeBuild refused to start the build' },
};

/** One deployment's result, as posted on the pull request that brought its commit. */
export function renderDeploymentResult(deployment: Deployment, maxChars = CODECOMMIT_COMMENT_MAX_CHARS): string {
  try {
    return fitLines(deploymentLines(deployment), maxChars);
  } catch {
    return sliceSafely(`${DEPLOYMENT_MARKER}\n⚠ spa-cd could not render the result of a deployment; run \`spa-cd history\`.`, maxChars);
  }
}

function deploymentLines(d: Deployment): string[] {
  const status = STATUS_TEXT[d.status] ?? { icon: '❔', text: 'unknown status' };
  const env = code(d.environment, { max: CAP.name });
  const lines = [DEPLOYMENT_MARKER, `### ${status.icon} ${env}: ${status.text}`, ''];
  lines.push(`- **Environment:** ${env} (folder ${code(d.environmentPath, { max: CAP.path })})`);
  const duration = durationOf(d);
  lines.push(`- **Status:** **${code(d.status, { max: 32 })}**${duration !== undefined ? ` after ${formatDuration(duration)}` : ''}`);
  lines.push(`- **Settings commit:** ${code(d.settingsCommit, { max: CAP.ref })}`);
  const spaCommit = d.spaCommit !== undefined ? ` (commit ${shortCommit(d.spaCommit)})` : '';
  lines.push(`- **SPA version:** ${code(d.spaVersion, { max: CAP.ref })}${spaCommit}`);
  const logs = safeConsoleUrl(d.logsUrl);
  if (logs !== undefined) lines.push(`- **Build logs:** [CodeBuild console](${logs})`);
  else if (d.buildId !== undefined) lines.push(`- **Build:** ${code(d.buildId, { max: 300 })}`);
  if (d.failedPhase !== undefined && String(d.failedPhase) !== '') {
    const message = d.reason !== undefined && String(d.reason) !== '' ? `: ${escapeInline(d.reason, CAP.reason)}` : '';
    lines.push(`- **Failed phase:** ${code(d.failedPhase, { max: CAP.phase })}${message}`);
  } else if (d.reason !== undefined && String(d.reason) !== '') {
    lines.push(`- **Reason:** ${escapeInline(d.reason, CAP.reason)}`);
  }
  if (d.status === 'PENDING') {
    lines.push(`- **To deploy it:** ${code(`spa-cd deploy ${shellOption('env', String(d.environment))} ${shellOption('commit', String(d.settingsCommit))}`, { max: 300 })}`);
  }
  lines.push(`- **Deployment:** ${code(d.id, { max: CAP.id })} (${code(`spa-cd history ${shellOption('env', String(d.environment))}`, { max: 200 })})`);
  const diagnostics = Array.isArray(d.diagnostics) ? d.diagnostics : [];
  if (diagnostics.length > 0) {
    const counts = countBySeverity(diagnostics);
    const omitted = typeof d.diagnosticsOmitted === 'number' && d.diagnosticsOmitted > 0 ? d.diagnosticsOmitted : 0;
    lines.push('', `**Findings** (${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}${omitted ? `, ${omitted} more not recorded` : ''}):`);
    for (const diagnostic of diagnostics.slice(0, 20)) lines.push(`- ${diagnosticLine(diagnostic)}`);
    if (diagnostics.length > 20) lines.push(`- … and ${diagnostics.length - 20} more`);
  }
  return lines;
}

function diagnosticLine(d: Diagnostic): string {
  const where = `${String(d.file)}:${String(d.line)}:${String(d.column)}`;
  return `${code(where, { max: CAP.path + 24 })} **${d.severity === 'error' ? 'error' : 'warning'}** ${code(d.code, { max: CAP.code })} ${escapeInline(d.message, CAP.message)}`;
}

function durationOf(d: Deployment): number | undefined {
  if (typeof d.durationSeconds === 'number' && Number.isFinite(d.durationSeconds) && d.durationSeconds >= 0) return d.durationSeconds;
  if (d.startedAt === undefined || d.finishedAt === undefined) return undefined;
  const seconds = (Date.parse(d.finishedAt) - Date.parse(d.startedAt)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

/** `45 s`, `12 min 5 s`, `2 h 3 min`. */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
  const minutes = Math.floor((s % 3600) / 60);
  return `${Math.floor(s / 3600)} h${minutes ? ` ${minutes} min` : ''}`;
}

/**
 * The build log link when it is an https link to the AWS console (what CodeBuild gives), made safe for a markdown
 * link destination; undefined for anything else (the build id is shown instead).
 */
export function safeConsoleUrl(url: string | undefined): string | undefined {
  if (typeof url !== 'string' || url.length > 2000 || !URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const host = parsed.hostname;
  const console = host === 'console.aws.amazon.com' || host.endsWith('.console.aws.amazon.com') || host === 'console.amazonaws.cn' || host.endsWith('.console.amazonaws.cn');
  if (parsed.protocol !== 'https:' || !console || parsed.username !== '' || parsed.password !== '' || parsed.port !== '') return undefined;
  // `href` percent-encodes spaces and most quotes; parentheses would end the link destination early, a backslash
  // would escape the next character, and the rest is encoded wherever the URL parser left it.
  return parsed.href.replace(/[()\\`<>"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function shortCommit(commit: string): string {
  const text = String(commit);
  return code(/^[0-9a-f]{40}$/.test(text) ? text.slice(0, 7) : truncate(text, 40));
}


/** Joins lines, dropping whole lines from the end (with a visible note) until the text fits. */
function fitLines(lines: string[], max: number): string {
  const text = lines.join('\n');
  if (text.length <= max) return text;
  const note = '\n\n✂ truncated to fit the comment size limit';
  const kept: string[] = [];
  let used = note.length;
  for (const line of lines) {
    if (used + line.length + 1 > max) break;
    kept.push(line);
    used += line.length + 1;
  }
  return sliceSafely(`${kept.join('\n')}${note}`, max);
}
