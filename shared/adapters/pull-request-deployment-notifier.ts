/**
 * DeploymentNotifier that posts the result of a deployment on the pull request that brought its settings commit:
 * when it ends (SUCCEEDED, FAILED, FAULT, TIMED_OUT, STOPPED, FAILED_TO_START), is REJECTED or SUPERSEDED, is
 * recorded PENDING, or waits QUEUED behind another deployment. STARTING and IN_PROGRESS post nothing.
 *
 * The pull request is the deployment's own `pullRequestId`, else the one the review store links to the commit
 * (a reviewed or merged source commit, or a merge commit made from one). One comment per deployment and status:
 * remembered in the review record, and posted with a deterministic client request token, so duplicate events and
 * retries never post twice. Never throws: a failure is logged and counted (`CommentFailures`).
 */
import { RUNNING_STATUSES, type Deployment } from '../domain/deployment/deployment';
import { deploymentResultToken } from '../domain/review/client-request-tokens';
import { COMMIT_ID, PULL_REQUEST_ID } from '../events/primitives';
import type { DeploymentNotifier } from '../ports/deployment-notifier';
import type { ReviewStore } from '../ports/review-store';
import type { Log, Metrics } from '../ports/telemetry';
import { renderDeploymentResult } from '../rendering/review-comments';
import { describeError } from './aws-errors';
import type { PullRequests } from '../ports/pull-requests';


export interface PullRequestDeploymentNotifierOptions {
  readonly repositoryName: string;
  readonly pullRequests: Pick<PullRequests, 'getPullRequest' | 'postComment'>;
  readonly store: ReviewStore;
  readonly log: Log;
  readonly metrics: Metrics;
}

export class PullRequestDeploymentNotifier implements DeploymentNotifier {
  constructor(private readonly options: PullRequestDeploymentNotifierOptions) {}

  async statusChanged(deployment: Deployment, _previousStatus: Deployment['status'] | undefined): Promise<void> {
    // a pull request hears of every status but the build's own progress (STARTING, IN_PROGRESS)
    if (RUNNING_STATUSES.has(deployment.status)) return;
    const { log } = this.options;
    const about = { deploymentId: deployment.id, environment: deployment.environment, status: deployment.status };
    try {
      const pullRequestId = await this.pullRequestOf(deployment);
      if (pullRequestId === undefined) {
        log.debug('no pull request brought this deployment: nothing posted', about);
        return;
      }
      await this.post(deployment, pullRequestId);
    } catch (error) {
      this.failure('deployment result not posted', { ...about, error: describeError(error) });
    }
  }

  private async pullRequestOf(deployment: Deployment): Promise<string | undefined> {
    if (deployment.pullRequestId !== undefined && PULL_REQUEST_ID.test(deployment.pullRequestId)) return deployment.pullRequestId;
    if (!COMMIT_ID.test(deployment.settingsCommit)) return undefined;
    return this.options.store.pullRequestOfCommit(this.options.repositoryName, deployment.settingsCommit);
  }

  private async post(deployment: Deployment, pullRequestId: string): Promise<void> {
    const { store, pullRequests, repositoryName, log } = this.options;
    const key = `${deployment.id}#${deployment.status}`;
    const about = { deploymentId: deployment.id, status: deployment.status, pullRequestId };
    const review = await store.getReview(repositoryName, pullRequestId);
    if (review?.notifications.has(key)) {
      log.debug('deployment result already posted', about);
      return;
    }
    const commits = await this.commitsOf(pullRequestId, review?.revisions.at(-1));
    if (commits === undefined) {
      this.failure('deployment result not posted: no commits to comment on', about);
      return;
    }
    const clientRequestToken = deploymentResultToken({ repository: repositoryName, pullRequestId, deploymentId: deployment.id, status: deployment.status });
    const result = await pullRequests.postComment({
      pullRequestId,
      repositoryName,
      beforeCommitId: commits.before,
      afterCommitId: commits.after,
      content: renderDeploymentResult(deployment),
      clientRequestToken,
    });
    // A mismatch: this token posted already (the content may differ, e.g. a later reason): the result is there.
    if (!result.ok && result.refusal !== 'idempotency-mismatch') {
      this.failure('deployment result refused by CodeCommit', { ...about, refusal: result.refusal, message: result.message });
      return;
    }
    await store.addNotification(repositoryName, pullRequestId, key);
    log.info('deployment result posted on the pull request', about);
  }

  /**
   * The commit pair a general comment is attached to: the last reviewed revision (a pair CodeCommit accepted), else
   * the pull request's own target (merge base when source and destination are the same commit after a merge).
   */
  private async commitsOf(pullRequestId: string, last: { sourceCommit: string; destinationCommit: string } | undefined): Promise<{ before: string; after: string } | undefined> {
    if (last !== undefined && last.sourceCommit !== last.destinationCommit) return { before: last.destinationCommit, after: last.sourceCommit };
    const pr = await this.options.pullRequests.getPullRequest(pullRequestId);
    const target = pr?.targets.find((t) => t.repositoryName === this.options.repositoryName) ?? pr?.targets[0];
    const after = target?.sourceCommit;
    if (after === undefined) return undefined;
    const before = [target?.destinationCommit, target?.mergeBase].find((c) => c !== undefined && c !== after);
    return before === undefined ? undefined : { before, after };
  }

  private failure(what: string, attributes: Record<string, unknown>): void {
    this.options.metrics.count('CommentFailures');
    this.options.log.warn(what, attributes);
  }
}
