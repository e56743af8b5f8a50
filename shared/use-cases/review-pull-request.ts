/**
 * Use case: the pull request review (product.md section 4).
 *
 * For a pull request into the trunk: read it (GetPullRequest: the merge base is not in events), plan the change
 * (affected environments from merge base to source, each validated at the source and compared with the destination),
 * record the revision, approve or revoke when gating is on, write the one summary comment (posted once, then updated
 * in place), then post inline comments on the lines of new errors. A merged pull request links its source commit to
 * it, so the result of the deployment it brings can be posted back on it.
 *
 * Safety: the review reads the repository through CodeCommit and writes comments; it runs nothing from the pull
 * request, starts no build and assumes no role (it has no dependency that could).
 *
 * Failures: a comment or approval failure is logged, counted (`CommentFailures`) and retried by the next event; it
 * never stops the rest of the review. Store and repository failures throw (the Lambda invocation is retried).
 */
import type { PullRequestInfo, PullRequests, PullRequestTargetInfo } from '../ports/pull-requests';
import { errorMessage } from '../support/error-message';
import { isPlanValid, type Plan, type PullRequestContext } from '../domain/plan/plan';
import { inlineToken, shortDigest, summaryToken } from '../domain/review/client-request-tokens';
import { MAX_INLINE_COMMENTS_PER_REVISION, selectInlineComments, type InlineFinding, type InlineSelection } from '../domain/review/inline-comments';
import { errorFingerprints } from '../domain/review/revision-log';
import { countBySeverity } from '../domain/settings/diagnostics';
import type { PullRequestStateChangeEvent } from '../events/codecommit';
import { COMMIT_ID } from '../events/primitives';
import { escapeForLog, isForeign, parseAnyEvent } from '../events/parse';
import { renderInlineComment, renderReviewSummary, type ApprovalOutcome } from '../rendering/review-comments';
import type { PullRequestReview, ReviewStore } from '../ports/review-store';
import { UnknownRevisionError, type SettingsRepository } from '../ports/settings-source';
import type { Log, Metrics } from '../ports/telemetry';
import type { VersionResolver } from '../ports/version-resolver';
import { ConcurrencyLimit } from '../support/concurrency-limit';
import { planChange } from './plan-change';
import { MemoizedSettingsRepository } from '../support/memoized-settings-repository';

/** The pull request calls the review makes (port `PullRequests`: CodeCommit on AWS, files in local mode). */
export type PullRequestApi = Pick<PullRequests, 'getPullRequest' | 'postComment' | 'updateComment' | 'listComments' | 'updateApprovalState'>;

export interface ReviewDependencies {
  /** The settings repository (CodeCommit) and its name. */
  readonly repositoryName: string;
  readonly repository: SettingsRepository;
  readonly trunk: string;
  readonly pullRequests: PullRequestApi;
  readonly store: ReviewStore;
  readonly resolver?: VersionResolver;
  /** The SPA code repository when deployment.yaml names none: the controller's, so the review resolves as the deploy does. */
  readonly defaultCodeGitUrl?: string;
  readonly approvalGating: boolean;
  readonly log: Log;
  readonly metrics: Metrics;
  readonly now: () => Date;
  /** Waits between attempts to take the summary lease (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long a review may hold the summary lease (default 30 s). */
  readonly leaseSeconds?: number;
  /** How long a review waits for another one's summary lease before giving up to the next event (default 10 s). */
  readonly leaseWaitMs?: number;
  /** Inline comments posted at once (default 5). */
  readonly commentConcurrency?: number;
}

export interface ReviewRequest {
  readonly pullRequestId: string;
  /** What the event says; the review follows what GetPullRequest says now when the pull request moved since. */
  readonly sourceCommit: string;
  readonly destinationCommit: string;
  readonly revisionId: string;
  readonly title?: string;
  /** The event's time (ISO-8601): the review latency is measured from it. */
  readonly eventTime?: string;
}

export type SummaryOutcome = 'posted' | 'updated' | 'skipped' | 'failed';

export type ReviewOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** A review that read the pull request later wrote already: this one wrote nothing. */
  | { readonly outcome: 'stale'; readonly reason: string }
  | { readonly outcome: 'linked'; readonly pullRequestId: string; readonly commits: readonly string[] }
  | {
      readonly outcome: 'reviewed';
      readonly pullRequestId: string;
      readonly revision: number;
      readonly sourceCommit: string;
      readonly destinationCommit: string;
      readonly environments: readonly string[];
      readonly valid: boolean;
      readonly summary: SummaryOutcome;
      readonly inline: { readonly posted: number; readonly failed: number; readonly overLimit: number };
      readonly approval?: ApprovalOutcome;
    };

const DEFAULT_LEASE_SECONDS = 30;
const DEFAULT_LEASE_WAIT_MS = 10_000;
const LEASE_POLL_MS = 250;

// ---------------------------------------------------------------------------------------------------------------
// Event routing

/**
 * Any event delivered to the review (Lambda or local mode): parse it, ignore what is not a pull request state change
 * (comment events, the controller's own included, never trigger a review), drop what is not from the settings
 * repository, then handle it. Never throws on a malformed event.
 */
export async function onPullRequestEvent(
  deps: ReviewDependencies,
  origin: { readonly account: string; readonly region: string; readonly repository: string },
  input: unknown,
): Promise<ReviewOutcome> {
  const parsed = parseAnyEvent(input);
  if (!parsed.ok) {
    deps.metrics.count('EventsRejected');
    deps.log.warn('event rejected', { reason: parsed.reason });
    return { outcome: 'ignored', reason: parsed.reason };
  }
  if (parsed.value.kind !== 'pull-request-state-change') {
    deps.metrics.count('EventsIgnored');
    deps.log.info('event ignored: not a pull request state change', { kind: parsed.value.kind });
    return { outcome: 'ignored', reason: `${parsed.value.kind} events are not reviewed` };
  }
  const event = parsed.value.event;
  const foreign = isForeign(event, { account: origin.account, region: origin.region, repositoryName: origin.repository });
  if (foreign !== undefined) {
    deps.metrics.count('EventsIgnored');
    deps.log.info('event ignored: not from the settings repository', { reason: foreign });
    return { outcome: 'ignored', reason: foreign };
  }
  return handlePullRequestEvent(deps, event);
}

export async function handlePullRequestEvent(deps: ReviewDependencies, event: PullRequestStateChangeEvent): Promise<ReviewOutcome> {
  const detail = event.detail;
  const trunkRef = `refs/heads/${deps.trunk}`;
  if (detail.destinationReference !== trunkRef) {
    return ignored(deps, `the pull request is into ${escapeForLog(detail.destinationReference, 100)}, not ${trunkRef}`, detail.pullRequestId);
  }
  const request: ReviewRequest = {
    pullRequestId: detail.pullRequestId,
    sourceCommit: detail.sourceCommit,
    destinationCommit: detail.destinationCommit,
    revisionId: detail.revisionId,
    title: detail.title,
    eventTime: event.time,
  };
  switch (detail.event) {
    case 'pullRequestCreated':
    case 'pullRequestSourceBranchUpdated':
      if (detail.pullRequestStatus !== 'Open') return ignored(deps, `${detail.event} of a closed pull request`, detail.pullRequestId);
      return reviewPullRequest(deps, request);
    case 'pullRequestStatusChanged':
      if (detail.pullRequestStatus === 'Open') return reviewPullRequest(deps, request);
      return ignored(deps, 'the pull request was closed', detail.pullRequestId);
    case 'pullRequestMergeStatusUpdated':
      if (detail.isMerged) return linkMergedPullRequest(deps, detail.pullRequestId, detail.sourceCommit);
      return ignored(deps, 'merge status changed without a merge', detail.pullRequestId);
    default:
      return ignored(deps, `${detail.event} needs no review`, detail.pullRequestId);
  }
}

function ignored(deps: ReviewDependencies, reason: string, pullRequestId?: string): ReviewOutcome {
  deps.log.info('pull request event ignored', { reason, ...(pullRequestId ? { pullRequestId } : {}) });
  return { outcome: 'ignored', reason };
}

/**
 * A merged pull request: its source commit is what a fast-forward merge puts on the trunk, and what the merge
 * commit of the other merge options was made from (the trunk push links that one, `linkMergeCommit`).
 */
export async function linkMergedPullRequest(deps: Pick<ReviewDependencies, 'store' | 'repositoryName' | 'log'>, pullRequestId: string, sourceCommit: string): Promise<ReviewOutcome> {
  await deps.store.linkCommit(deps.repositoryName, sourceCommit, { kind: 'pull-request', pullRequestId, merged: true });
  deps.log.info('merged pull request linked to its source commit', { pullRequestId, sourceCommit });
  return { outcome: 'linked', pullRequestId, commits: [sourceCommit] };
}

/**
 * For the trunk push of a CodeCommit merge (the repository event carries `commitId`, `sourceCommitId`): links the
 * merge commit to the source commit, hence to the pull request. Safe to call for any push (does nothing without them).
 */
export async function linkMergeCommit(
  store: ReviewStore,
  repositoryName: string,
  merge: { readonly commitId: string; readonly sourceCommitId?: string },
): Promise<boolean> {
  if (merge.sourceCommitId === undefined || !COMMIT_ID.test(merge.sourceCommitId) || !COMMIT_ID.test(merge.commitId)) return false;
  await store.linkCommit(repositoryName, merge.commitId, { kind: 'merge', sourceCommit: merge.sourceCommitId });
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// The review

export async function reviewPullRequest(deps: ReviewDependencies, request: ReviewRequest): Promise<ReviewOutcome> {
  const { pullRequestId } = request;
  const pr = await deps.pullRequests.getPullRequest(pullRequestId);
  if (pr === undefined) return ignored(deps, 'the pull request does not exist', pullRequestId);
  if (pr.status !== 'OPEN') return ignored(deps, 'the pull request is closed', pullRequestId);
  const target = targetOf(pr, deps.repositoryName);
  if (target === undefined) return ignored(deps, 'the pull request has no target in the settings repository', pullRequestId);
  if (target.destinationReference !== `refs/heads/${deps.trunk}`) return ignored(deps, 'the pull request is not into the trunk', pullRequestId);
  const source = target.sourceCommit;
  const destination = target.destinationCommit;
  if (source === undefined || destination === undefined || !COMMIT_ID.test(source) || !COMMIT_ID.test(destination)) {
    return ignored(deps, 'GetPullRequest gave no source or destination commit', pullRequestId);
  }
  const current = source === request.sourceCommit && destination === request.destinationCommit;
  if (!current) {
    deps.log.info('the pull request moved since the event: reviewing its current revision', { pullRequestId, eventSourceCommit: request.sourceCommit, sourceCommit: source });
  }
  const revisionId = current ? request.revisionId : pr.revisionId;
  const mergeBase = target.mergeBase !== undefined && COMMIT_ID.test(target.mergeBase) ? target.mergeBase : destination;
  if (target.mergeBase === undefined) deps.log.warn('GetPullRequest gave no merge base: affected environments from the destination', { pullRequestId });
  const observedAt = deps.now().toISOString();

  // -- plan: what the change does to each affected environment
  const repository = new MemoizedSettingsRepository(deps.repository);
  const sourceRef = (target.sourceReference ?? '').replace(/^refs\/heads\//, '') || source;
  const title = pr.title !== '' ? pr.title : request.title;
  const context: PullRequestContext = {
    pullRequestId,
    ...(title !== undefined && title !== '' ? { title } : {}),
    revisionId,
    reviewedCommit: source,
    trunk: deps.trunk,
  };
  let plan: Plan;
  try {
    ({ plan } = await planChange(repository, { ref: deps.trunk, commit: destination }, { ref: sourceRef, commit: source }, {
      affectedFrom: mergeBase,
      context,
      ...(deps.resolver ? { resolver: deps.resolver } : {}),
      ...(deps.defaultCodeGitUrl ? { defaultCodeGitUrl: deps.defaultCodeGitUrl } : {}),
    }));
  } catch (error) {
    if (error instanceof UnknownRevisionError) return ignored(deps, `a commit of the pull request is gone: ${error.message}`, pullRequestId);
    throw error;
  }
  const diagnostics = plan.environments.flatMap((env) => env.diagnostics);
  const valid = isPlanValid(plan);
  const counts = countBySeverity(diagnostics);

  // -- the revision log (and the decision between concurrent reviews)
  const recorded = await deps.store.recordRevision(deps.repositoryName, pullRequestId, {
    sourceCommit: source,
    destinationCommit: destination,
    revisionId,
    fingerprints: errorFingerprints(diagnostics),
    warnings: counts.warnings,
    reviewedAt: observedAt,
    observedAt,
  });
  if (recorded.outcome === 'stale') {
    deps.log.info('a newer review of this pull request was recorded: this one writes nothing', { pullRequestId, sourceCommit: source });
    return { outcome: 'stale', reason: 'a newer review was recorded' };
  }
  const review = recorded.review;

  // -- approval first, so the summary tells what was done
  const approval = deps.approvalGating ? await applyApproval(deps, { pullRequestId, revisionId, valid, review, source, destination }) : undefined;

  // -- the summary
  const selection = selectInlineComments(diagnostics, { alreadyPosted: review.inlineCommentKeys, changedFiles: repository.changedFiles });
  const gated = approval === 'approved' || approval === 'revoked';
  const shownPlan: Plan = { ...plan, context: { ...context, gating: gated } };
  const content = renderReviewSummary(shownPlan, {
    revisions: review.revisions,
    inline: {
      posted: selection.selected.length,
      alreadyPosted: selection.alreadyPosted,
      overLimit: selection.overLimit,
      unplaceable: selection.unplaceable,
      max: MAX_INLINE_COMMENTS_PER_REVISION,
    },
    ...(approval !== undefined ? { approval } : {}),
  });
  const summary = await writeSummary(deps, { pullRequestId, source, destination, observedAt, content });
  if (summary === 'posted' || summary === 'updated') {
    deps.metrics.count('ReviewsPosted');
    const from = Date.parse(request.eventTime ?? '');
    const latency = (deps.now().getTime() - from) / 1000;
    if (Number.isFinite(latency) && latency >= 0) deps.metrics.seconds('ReviewLatencySeconds', latency);
  }

  // -- inline comments on the lines of new errors (after the summary: the summary is what a person waits for)
  const inline = summary === 'skipped' ? { posted: 0, failed: 0 } : await postInlineComments(deps, { pullRequestId, source, destination, selection });

  await deps.store.linkCommit(deps.repositoryName, source, { kind: 'pull-request', pullRequestId, merged: false });
  const environments = plan.environments.map((env) => env.name);
  deps.log.info('pull request reviewed', {
    pullRequestId,
    revision: recorded.entry.revision,
    sourceCommit: source,
    environments,
    valid,
    errors: counts.errors,
    warnings: counts.warnings,
    summary,
    inlinePosted: inline.posted,
    ...(approval !== undefined ? { approval } : {}),
  });
  return {
    outcome: 'reviewed',
    pullRequestId,
    revision: recorded.entry.revision,
    sourceCommit: source,
    destinationCommit: destination,
    environments,
    valid,
    summary,
    inline: { posted: inline.posted, failed: inline.failed, overLimit: selection.overLimit },
    ...(approval !== undefined ? { approval } : {}),
  };
}

function targetOf(pr: PullRequestInfo, repositoryName: string): PullRequestTargetInfo | undefined {
  return pr.targets.find((t) => t.repositoryName === repositoryName) ?? (pr.targets.length === 1 && pr.targets[0]?.repositoryName === undefined ? pr.targets[0] : undefined);
}

function commentFailure(deps: Pick<ReviewDependencies, 'log' | 'metrics'>, what: string, attributes: Record<string, unknown>): void {
  deps.metrics.count('CommentFailures');
  deps.log.warn(`${what}: retried on the next event`, attributes);
}

// ---------------------------------------------------------------------------------------------------------------
// Approval gating

async function applyApproval(
  deps: ReviewDependencies,
  input: { pullRequestId: string; revisionId: string; valid: boolean; review: PullRequestReview; source: string; destination: string },
): Promise<ApprovalOutcome> {
  const desired = input.valid ? 'APPROVE' : 'REVOKE';
  const outcome: ApprovalOutcome = input.valid ? 'approved' : 'revoked';
  const previous = input.review.approval;
  // CodeCommit may refuse to revoke what the controller never approved: there is nothing to take back.
  if (desired === 'REVOKE' && previous?.state !== 'APPROVE') return previous?.state === 'REVOKE' && previous.revisionId === input.revisionId ? 'revoked' : 'withheld';
  if (previous?.state === desired && previous.revisionId === input.revisionId) return outcome;
  let revisionId = input.revisionId;
  try {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const result = await deps.pullRequests.updateApprovalState({ pullRequestId: input.pullRequestId, revisionId, state: desired });
      if (result.ok) {
        await deps.store.recordApproval(deps.repositoryName, input.pullRequestId, { state: desired, revisionId, at: deps.now().toISOString() });
        deps.log.info(`pull request ${desired === 'APPROVE' ? 'approved' : 'approval revoked'}`, { pullRequestId: input.pullRequestId, revisionId });
        return outcome;
      }
      switch (result.refusal) {
        case 'revision-not-current':
        case 'invalid-revision': {
          if (attempt > 0) break;
          // The revision id moved: read the pull request once; same commits → the new revision id, else a newer event decides.
          const pr = await deps.pullRequests.getPullRequest(input.pullRequestId);
          const target = pr === undefined ? undefined : targetOf(pr, deps.repositoryName);
          if (pr?.status === 'OPEN' && target?.sourceCommit === input.source && target.destinationCommit === input.destination && pr.revisionId !== revisionId) {
            revisionId = pr.revisionId;
            continue;
          }
          deps.log.info('approval left to the review of the newer revision', { pullRequestId: input.pullRequestId });
          return 'revision-moved';
        }
        case 'author-cannot-approve':
          deps.log.warn('CodeCommit does not let the author approve: the controller runs as the pull request author', { pullRequestId: input.pullRequestId });
          return 'author-cannot-approve';
        case 'pull-request-closed':
          return 'pull-request-closed';
        default:
          deps.log.warn('approval refused', { pullRequestId: input.pullRequestId, refusal: result.refusal, message: result.message });
          return 'failed';
      }
    }
    return 'revision-moved';
  } catch (error) {
    deps.log.error('approval failed: retried on the next event', { pullRequestId: input.pullRequestId, error: errorMessage(error) });
    return 'failed';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The summary comment

async function writeSummary(
  deps: ReviewDependencies,
  input: { pullRequestId: string; source: string; destination: string; observedAt: string; content: string },
): Promise<SummaryOutcome> {
  const { pullRequestId } = input;
  const repo = deps.repositoryName;
  // One owner per revision: a retry or a duplicate event of the same revision continues where the other left off.
  const owner = `review-${shortDigest([input.source, input.destination])}`;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const waitMs = deps.leaseWaitMs ?? DEFAULT_LEASE_WAIT_MS;
  let review: PullRequestReview;
  for (let waited = 0; ; waited += LEASE_POLL_MS) {
    const lease = await deps.store.acquireSummaryLease(repo, pullRequestId, {
      owner,
      observedAt: input.observedAt,
      now: deps.now(),
      leaseSeconds: deps.leaseSeconds ?? DEFAULT_LEASE_SECONDS,
    });
    if (lease.outcome === 'acquired') {
      // The record as the lease was taken: a summary another review posted meanwhile is in it.
      review = lease.review;
      break;
    }
    if (lease.outcome === 'stale') {
      deps.log.info('a newer review took over the summary', { pullRequestId });
      return 'skipped';
    }
    if (waited >= waitMs) {
      commentFailure(deps, 'summary comment not written: another review holds it', { pullRequestId });
      return 'failed';
    }
    await sleep(LEASE_POLL_MS);
  }
  let postedCommentId: string | undefined;
  try {
    const existing = review.summaryCommentId;
    if (existing !== undefined) {
      const updated = await deps.pullRequests.updateComment(existing, input.content);
      if (updated.ok && !updated.comment.deleted) return 'updated';
      const refusal = updated.ok ? 'comment-deleted' : updated.refusal;
      if (refusal !== 'comment-deleted' && refusal !== 'comment-does-not-exist' && refusal !== 'not-comment-author') {
        commentFailure(deps, 'summary comment not updated', { pullRequestId, refusal, ...(updated.ok ? {} : { message: updated.message }) });
        return 'failed';
      }
      deps.log.info('the summary comment is gone: posting a new one', { pullRequestId, refusal });
    }
    const clientRequestToken = summaryToken({
      repository: repo,
      pullRequestId,
      generation: review.summaryGeneration,
      sourceCommit: input.source,
      destinationCommit: input.destination,
    });
    const request = { pullRequestId, repositoryName: repo, beforeCommitId: input.destination, afterCommitId: input.source, content: input.content, clientRequestToken };
    const posted = await deps.pullRequests.postComment(request);
    if (posted.ok) {
      postedCommentId = posted.comment.commentId;
      return 'posted';
    }
    if (posted.refusal === 'idempotency-mismatch') {
      // An earlier attempt posted with this token and other content: find it and bring it up to date.
      const earlier = (await deps.pullRequests.listComments(pullRequestId)).find((c) => c.clientRequestToken === clientRequestToken && !c.deleted);
      if (earlier !== undefined) {
        postedCommentId = earlier.commentId;
        const updated = await deps.pullRequests.updateComment(earlier.commentId, input.content);
        return updated.ok ? 'posted' : 'failed';
      }
    }
    commentFailure(deps, 'summary comment not posted', { pullRequestId, refusal: posted.refusal, message: posted.message });
    return 'failed';
  } catch (error) {
    commentFailure(deps, 'summary comment failed', { pullRequestId, error: errorMessage(error) });
    return 'failed';
  } finally {
    await deps.store.releaseSummaryLease(repo, pullRequestId, { owner, ...(postedCommentId !== undefined ? { postedCommentId } : {}) });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Inline comments

async function postInlineComments(
  deps: ReviewDependencies,
  input: { pullRequestId: string; source: string; destination: string; selection: InlineSelection },
): Promise<{ posted: number; failed: number }> {
  const limit = new ConcurrencyLimit(deps.commentConcurrency ?? 5);
  const done: string[] = [];
  let failed = 0;
  await Promise.all(
    input.selection.selected.map((finding) =>
      limit.run(async () => {
        const result = await postInline(deps, input, finding);
        if (result === 'failed') failed += 1;
        else done.push(finding.key);
      }),
    ),
  );
  await deps.store.addInlineCommentKeys(deps.repositoryName, input.pullRequestId, done);
  return { posted: done.length, failed };
}

async function postInline(
  deps: ReviewDependencies,
  input: { pullRequestId: string; source: string; destination: string },
  finding: InlineFinding,
): Promise<'posted' | 'unplaceable' | 'failed'> {
  const where = { pullRequestId: input.pullRequestId, file: escapeForLog(finding.file, 200), line: finding.line, code: escapeForLog(finding.code, 64) };
  try {
    const result = await deps.pullRequests.postComment({
      pullRequestId: input.pullRequestId,
      repositoryName: deps.repositoryName,
      beforeCommitId: input.destination,
      afterCommitId: input.source,
      location: { filePath: finding.file, filePosition: finding.line, relativeFileVersion: 'AFTER' },
      content: renderInlineComment(finding, input.source),
      clientRequestToken: inlineToken({
        repository: deps.repositoryName,
        pullRequestId: input.pullRequestId,
        commit: input.source,
        file: finding.file,
        line: finding.line,
        code: finding.code,
      }),
    });
    // A mismatch means this token posted already (same place, same commit): the comment exists.
    if (result.ok || result.refusal === 'idempotency-mismatch') return 'posted';
    if (result.refusal === 'invalid-location') {
      // CodeCommit cannot place a comment there (e.g. a missing file): remembered, so no later review tries again.
      deps.log.info('no inline comment possible at this place; the summary lists the error', where);
      return 'unplaceable';
    }
    commentFailure(deps, 'inline comment not posted', { ...where, refusal: result.refusal, message: result.message });
    return 'failed';
  } catch (error) {
    commentFailure(deps, 'inline comment failed', { ...where, error: errorMessage(error) });
    return 'failed';
  }
}
