/**
 * Local mode: the controller on this machine, with real parts and the same code paths as on AWS.
 *
 *   git refs ──(ref-watcher)──▶ CodeCommit-shaped events ──▶ onRepositoryEvent / handlePullRequestEvent
 *   LocalBuildRunner ──(IN_PROGRESS, SUCCEEDED...)──▶ CodeBuild-shaped events ──▶ onBuildEvent
 *   reconcileDeployments after every scan: restarts continue where the last run stopped
 *
 * Store: dynalite under `<data>/dynamo` (DynamoDbDeploymentStore and DynamoDbReviewStore, as on AWS). Reviews:
 * LocalPullRequests keeps the comments, `<reviews>/<branch>.md` shows them. One job at a time (SerialQueue).
 * No network: no SPA version resolver is wired, so pins are checked offline and recorded as written.
 */
import { DEFAULT_CODE_GIT_URL } from '../../shared/domain/settings/deployment-manifest';
import { LocalTargets } from './local-targets';
import { join, relative } from 'node:path';
import { FanOutDeploymentNotifier } from '../../shared/adapters/logging-deployment-notifier';
import { GitSettingsRepository } from '../../shared/adapters/git-settings-repository';
import { PullRequestDeploymentNotifier } from '../../shared/adapters/pull-request-deployment-notifier';
import type { Deployment } from '../../shared/domain/deployment/deployment';
import { RecordingMetrics } from '../../shared/ports/telemetry';
import { renderHistoryTable } from '../../shared/rendering/deployment-table';
import { isSummaryComment } from '../../shared/rendering/plan-markdown';
import { DEPLOYMENT_MARKER } from '../../shared/rendering/review-comments';
import { formatDiagnostic } from '../../shared/rendering/diagnostics-text';
import { onBuildEvent, onRepositoryEvent } from '../../shared/use-cases/deployment/controller-events';
import type { DeploymentDependencies } from '../../shared/use-cases/deployment/deployment-dependencies';
import { reconcileDeployments, type ReconcileReport } from '../../shared/use-cases/deployment/reconcile-deployments';
import { linkMergeCommit, onPullRequestEvent, type ReviewDependencies, type ReviewOutcome } from '../../shared/use-cases/review-pull-request';
import { UsageError } from '../usage-error';
import { BuildspecError } from './local-buildspec';
import { LocalBuildRunner, type CliCommand } from './local-build-runner';
import { ConsoleLog, ConsoleNotifier, LocalConsole, safe, type ConsoleOutput } from './local-console';
import {
  buildStateChangeEvent,
  EventClock,
  localOrigin,
  localPrincipal,
  pullRequestStateChangeEvent,
  repositoryStateChangeEvent,
  type BuildStateChange,
} from './local-events';
import { STATE_FILE } from './local-paths';
import { LocalPullRequests } from './local-pull-requests';
import { openLocalStore, type LocalStore } from './local-store';
import { applyChange, plannedChanges, readBranches, StateFile, type PlannedChange, type WatchState } from './ref-watcher';
import { reviewFileOf, writeReviewFile } from './review-files';
import { SerialQueue } from './serial-queue';

export interface LocalOptions {
  /** Absolute paths. */
  readonly repo: string;
  readonly data: string;
  readonly reviews: string;
  readonly buildspec: string;
  readonly trunk: string;
  readonly cli: CliCommand;
  /** How often refs are read in watch mode (default 1000 ms). */
  readonly pollMs?: number;
  /** How often the reconciler runs in watch mode (default 5000 ms). */
  readonly reconcileMs?: number;
  /** How often running builds are shown in watch mode (default 10 s). */
  readonly heartbeatMs?: number;
  readonly buildTimeoutMinutes?: number;
  readonly verbose?: boolean;
  /** Print each review's markdown (default true). */
  readonly printReviews?: boolean;
  /** Where build work folders are made (default: the OS temporary folder). */
  readonly workRoot?: string;
  /** Variables of this machine every build receives (`--pass-env`). */
  readonly passEnv?: Readonly<Record<string, string>>;
  /** Paths are shown relative to this folder. */
  readonly cwd?: string;
}

/** Statuses that make `--once` exit 1. */
export const FAILED_STATUSES: ReadonlySet<Deployment['status']> = new Set(['FAILED', 'FAULT', 'TIMED_OUT', 'STOPPED', 'FAILED_TO_START', 'REJECTED']);

interface ReviewShown {
  readonly branch: string;
  readonly file: string;
  readonly valid?: boolean;
}

export class LocalController {
  private readonly console: LocalConsole;
  private readonly queue: SerialQueue;
  /** Reviews run beside deployments (two Lambdas on AWS): a long review never delays a build's events. */
  private readonly reviewQueue: SerialQueue;
  private readonly clock = new EventClock();
  private readonly origin;
  private readonly targets = new LocalTargets();
  private readonly metrics = new RecordingMetrics();
  private readonly notifier: ConsoleNotifier;
  private readonly stateFile: StateFile;
  private state: WatchState;
  private readonly repository: GitSettingsRepository;
  private readonly reviews = new Map<string, ReviewShown>();
  private deps!: DeploymentDependencies;
  private reviewDeps!: ReviewDependencies;
  private runner!: LocalBuildRunner;
  private pullRequests!: LocalPullRequests;
  private lastReconcile = 0;
  private closed = false;

  private constructor(
    private readonly options: LocalOptions,
    io: ConsoleOutput,
    private readonly local: LocalStore,
  ) {
    this.console = new LocalConsole(io, () => new Date(), options.verbose ?? false);
    const onError = (label: string, error: unknown): void => this.console.warn(`${label} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    this.queue = new SerialQueue(onError);
    this.reviewQueue = new SerialQueue(onError);
    this.origin = localOrigin(options.trunk);
    this.notifier = new ConsoleNotifier(this.console);
    this.stateFile = new StateFile(join(options.data, STATE_FILE));
    this.repository = new GitSettingsRepository(options.repo);
    this.state = this.stateFile.load(this.repository.directory);
    this.state.trunk = options.trunk;
  }

  static async start(options: LocalOptions, io: ConsoleOutput): Promise<LocalController> {
    const local = await openLocalStore(options.data);
    try {
      const controller = new LocalController(options, io, local);
      await controller.init();
      return controller;
    } catch (error) {
      await local.close();
      throw error;
    }
  }

  private async init(): Promise<void> {
    const { options, console } = this;
    const log = new ConsoleLog(console);
    let trunkHead: string;
    try {
      trunkHead = await this.repository.resolve(`refs/heads/${options.trunk}`);
    } catch {
      throw new UsageError(`${options.repo} has no branch '${options.trunk}': pass --trunk with the branch that holds the deployed settings`);
    }
    this.runner = LocalBuildRunner.open({
      buildspecPath: options.buildspec,
      stateDir: `${options.data}/builds`,
      settingsRepo: this.repository.directory,
      cli: options.cli,
      buildAccount: this.origin.buildAccount,
      buildRegion: this.origin.buildRegion,
      onStateChange: (change) => void this.queue.push(`build ${change.buildId} ${change.status}`, () => this.handleBuild(change)),
      output: (line) => console.raw(line),
      ...(options.buildTimeoutMinutes !== undefined ? { timeoutMinutes: options.buildTimeoutMinutes } : {}),
      ...(options.workRoot !== undefined ? { workRoot: options.workRoot } : {}),
      ...(options.passEnv !== undefined ? { passEnv: options.passEnv } : {}),
    });
    try {
      this.runner.checkBuildspec();
    } catch (error) {
      if (error instanceof BuildspecError) throw new UsageError(error.message);
      throw error;
    }
    await this.targets.addFrom(this.repository.at(trunkHead));
    this.targets.add((await this.local.store.listEnvironments()).map((e) => e.name));
    this.pullRequests = new LocalPullRequests(this.repository, `${options.data}/pull-requests`, this.origin.repository, (pr, comment, change) => {
      // a review's comments reach the file once the review ends (handlePullRequest); a deployment result comes alone
      if (!comment.content.startsWith(DEPLOYMENT_MARKER)) return;
      const file = writeReviewFile(options.reviews, pr);
      if (change === 'posted') {
        this.console.line(safe(`pull request #${pr.pullRequestId} (${pr.sourceBranch}): deployment result posted → ${this.shown(file)}`));
      }
    });
    const targets = this.targets;
    const reviews = this.local.reviews;
    const notifier = new FanOutDeploymentNotifier(
      [
        this.notifier,
        new PullRequestDeploymentNotifier({ repositoryName: this.origin.repository, pullRequests: this.pullRequests, store: this.local.reviews, log, metrics: this.metrics }),
      ],
      log,
    );
    this.deps = {
      repository: this.repository,
      store: this.local.store,
      builds: this.runner,
      notifier,
      get targets() {
        return targets.list;
      },
      defaultCodeGitUrl: DEFAULT_CODE_GIT_URL,
      log,
      metrics: this.metrics,
      now: () => new Date(),
      mergeLinks: { link: async (merge) => void (await linkMergeCommit(reviews, this.origin.repository, merge)) },
    };
    this.reviewDeps = {
      repositoryName: this.origin.repository,
      repository: this.repository,
      trunk: options.trunk,
      pullRequests: this.pullRequests,
      store: this.local.reviews,
      approvalGating: false,
      log,
      metrics: this.metrics,
      now: () => new Date(),
    };
    const shown = (path: string) => safe(relative(options.cwd ?? process.cwd(), path) || '.');
    console.line(
      `spa-cd local: settings ${shown(options.repo)} (trunk ${safe(options.trunk)}), history ${shown(options.data)} on ${this.local.endpoint}, buildspec ${shown(options.buildspec)}`,
    );
  }

  get endpoint(): string {
    return this.local.endpoint;
  }

  // ---- modes -------------------------------------------------------------------------------------------------

  /** Processes what is pending, waits for the builds, prints the history; 0, or 1 when a deployment of this run failed. */
  async once(signal?: AbortSignal): Promise<number> {
    const stop = (): void => {
      this.console.line('stopping: running builds are stopped and recorded');
      void this.runner.stopAll();
    };
    signal?.addEventListener('abort', stop, { once: true });
    try {
      let head = await this.push('scan', () => this.scanAndReconcile());
      let previous = '';
      for (let round = 0; ; round += 1) {
        await this.settle();
        const running = await this.local.store.listRunning();
        if (running.active.length === 0 && running.toStart.length === 0 && running.staleLeases.length === 0) break;
        const fingerprint = JSON.stringify([running.active.map((d) => `${d.id}:${d.status}`), running.toStart.map((d) => d.id)]);
        if (fingerprint === previous || round > 50) {
          this.console.warn(`still running after the last reconciliation: ${running.active.map((d) => `${d.environment} ${d.status}`).join(', ')}`);
          break;
        }
        previous = fingerprint;
        head = await this.push('reconcile', async () => {
          await this.reconcile(head);
          return head;
        });
      }
      return await this.finish();
    } finally {
      signal?.removeEventListener('abort', stop);
      await this.close();
    }
  }

  /** Watches the repository until `signal` aborts (Ctrl-C): then stops the running builds, records them, and exits 0. */
  async watch(signal: AbortSignal): Promise<number> {
    const { options } = this;
    const timers: NodeJS.Timeout[] = [];
    try {
      let scanning = true;
      const scan = (): void => {
        scanning = true;
        void this.push('scan', () => this.scanAndReconcile())
          .catch(() => undefined)
          .finally(() => (scanning = false));
      };
      scan();
      const poll = (): void => {
        if (!signal.aborted && !scanning) scan();
      };
      timers.push(setInterval(poll, options.pollMs ?? 1000));
      timers.push(setInterval(() => this.heartbeat(), options.heartbeatMs ?? 10_000));
      this.console.line('watching for commits and branches (Ctrl-C to stop)');
      await new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      });
      for (const timer of timers) clearInterval(timer);
      this.console.line('stopping: running builds are stopped and recorded');
      await this.queue.idle();
      await this.reviewQueue.idle();
      await this.runner.stopAll();
      await this.settle();
      await this.finish();
      return 0;
    } finally {
      for (const timer of timers) clearInterval(timer);
      await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runner?.stopAll();
    await this.reviewQueue.idle();
    await this.queue.idle();
    await this.local.close();
  }

  // ---- jobs --------------------------------------------------------------------------------------------------

  private push<T>(label: string, job: () => Promise<T>): Promise<T> {
    let result: T | undefined;
    let failed: unknown;
    return this.queue
      .push(label, async () => {
        try {
          result = await job();
        } catch (error) {
          failed = error;
          throw error;
        }
      })
      .then(() => {
        if (failed !== undefined) throw failed;
        return result as T;
      });
  }

  /** Until no event waits, no review runs and no build runs. */
  private async settle(): Promise<void> {
    for (;;) {
      await this.reviewQueue.idle();
      await this.queue.idle();
      await this.runner.idle();
      await this.queue.idle();
      if (!this.runner.isBusy && this.queue.size === 0 && this.reviewQueue.size === 0) return;
    }
  }

  /** Reads the refs, announces what changed (oldest first), then reconciles against the trunk head it read. */
  private async scanAndReconcile(): Promise<string | undefined> {
    const branches = await readBranches(this.repository);
    const head = branches.get(this.options.trunk);
    if (head === undefined) {
      this.console.warn(`the trunk branch '${safe(this.options.trunk)}' is gone: nothing is deployed until it is back`);
      return undefined;
    }
    // While reviews run, pull request changes wait for the next scan: the state is only current once they are done.
    const reviewsBusy = this.reviewQueue.size > 0;
    const changes = await plannedChanges(this.repository, this.state, branches, this.options.trunk, localPrincipal);
    const order = (c: PlannedChange): number => (c.kind === 'pull-request-closed' ? 0 : c.kind === 'trunk' ? 1 : 2);
    for (const change of [...changes].sort((a, b) => order(a) - order(b))) {
      if (change.kind === 'trunk') {
        await this.handleTrunk(change);
        this.record(change);
      } else if (!reviewsBusy) {
        void this.reviewQueue.push(`review of ${change.branch}`, async () => {
          await this.handleChange(change, head);
          this.record(change);
        });
      }
    }
    if (changes.length > 0 || Date.now() - this.lastReconcile >= (this.options.reconcileMs ?? 5000)) {
      // A job of its own: the build events reported meanwhile are handled first (the reconciler only repairs).
      this.lastReconcile = Date.now();
      void this.queue.push('reconcile', () => this.reconcile(head));
    }
    return head;
  }

  private record(change: PlannedChange): void {
    applyChange(this.state, change);
    this.stateFile.save(this.state);
  }

  private async handleChange(change: Exclude<PlannedChange, { kind: 'trunk' }>, trunkHead: string): Promise<void> {
    switch (change.kind) {
      case 'pull-request':
        return this.handlePullRequest(change);
      case 'pull-request-closed':
        return this.handleClosed(change, trunkHead);
    }
  }

  private async handleTrunk(change: Extract<PlannedChange, { kind: 'trunk' }>): Promise<void> {
    await this.targets.addFrom(this.repository.at(change.commit));
    const parents = (await this.repository.git(['rev-list', '--parents', '-n', '1', change.commit])).trim().split(' ').slice(1);
    const [first, last] = [parents[0], parents[parents.length - 1]];
    const merge = parents.length > 1 && first !== undefined && last !== undefined ? { destinationCommitId: first, sourceCommitId: last } : undefined;
    const event = repositoryStateChangeEvent(this.origin, {
      branch: change.branch,
      commitId: change.commit,
      ...(change.oldCommit !== undefined ? { oldCommitId: change.oldCommit } : {}),
      caller: change.caller,
      time: this.clock.next(),
      ...(merge !== undefined ? { merge } : {}),
    });
    const moved = change.oldCommit === undefined ? `at ${change.commit.slice(0, 8)}` : `${change.oldCommit.slice(0, 8)} → ${change.commit.slice(0, 8)}`;
    this.console.line(safe(`event ${event.detail.event}: trunk ${change.branch} ${moved} "${change.subject}"`));
    const result = await onRepositoryEvent(this.deps, this.origin, event);
    if (result.status !== 'processed') {
      this.console.warn(`trunk event ${result.status}: ${safe(result.reason)}`);
      return;
    }
    const outcomes = result.outcomes ?? [];
    if (outcomes.length === 0) this.console.line('  no environment changed: nothing to deploy');
    for (const outcome of outcomes) {
      if (outcome.outcome === 'removed') this.console.line(safe(`${outcome.environment}: folder removed, nothing to deploy`));
      else if (outcome.outcome === 'already-attempted') this.console.line(safe(`${outcome.environment}: commit already attempted (${outcome.deployment.status}), not deployed again`));
      else if (outcome.outcome === 'rejected') {
        for (const d of (outcome.deployment.diagnostics ?? []).filter((x) => x.severity === 'error').slice(0, 5)) this.console.raw(`    ${formatDiagnostic(d)}`);
      } else if (outcome.outcome === 'busy') this.console.line(safe(`${outcome.environment}: the build runner is busy; the reconciler starts it later`));
    }
  }

  private async handlePullRequest(change: Extract<PlannedChange, { kind: 'pull-request' }>): Promise<void> {
    this.pullRequests.open({
      pullRequestId: change.pullRequestId,
      title: change.title,
      description: change.description,
      authorArn: change.author,
      sourceBranch: change.branch,
      destinationBranch: change.trunk,
    });
    const event = pullRequestStateChangeEvent(this.origin, {
      event: change.event,
      pullRequestId: change.pullRequestId,
      title: change.title,
      ...(change.description !== '' ? { description: change.description } : {}),
      sourceBranch: change.branch,
      destinationBranch: change.trunk,
      sourceCommit: change.sourceCommit,
      destinationCommit: change.destinationCommit,
      author: change.author,
      time: this.clock.next(),
    });
    const verb = change.event === 'pullRequestCreated' ? 'opened' : 'updated';
    this.console.line(safe(`event ${change.event}: pull request #${change.pullRequestId} ${verb}, ${change.branch} → ${change.trunk} at ${change.sourceCommit.slice(0, 8)} "${change.title}"`));
    let outcome: ReviewOutcome | undefined;
    let file: string;
    try {
      outcome = await this.routePullRequestEvent(event);
    } finally {
      // what the review posted before a failure reaches the file too
      file = this.writeReview(change.pullRequestId);
    }
    if (outcome?.outcome === 'reviewed') {
      this.reviews.set(change.branch, { branch: change.branch, file, valid: outcome.valid });
      const envs = outcome.environments.length === 0 ? 'no environment affected' : outcome.environments.join(', ');
      this.console.line(safe(`review of ${change.branch}: ${outcome.valid ? 'valid' : 'INVALID'} (${envs}), ${outcome.inline.posted} inline comment(s) → ${this.shown(file)}`));
      if (this.options.printReviews ?? true) this.printReview(change.pullRequestId);
    } else if (outcome !== undefined) {
      this.console.line(safe(`review of ${change.branch}: ${outcome.outcome}${'reason' in outcome ? ` (${outcome.reason})` : ''}`));
    }
  }

  private async handleClosed(change: Extract<PlannedChange, { kind: 'pull-request-closed' }>, trunkHead: string): Promise<void> {
    const pr = this.pullRequests.get(change.pullRequestId);
    const merged = change.reason.startsWith('merged');
    const known = this.state.branches[change.branch]?.head;
    const current = merged ? await this.repository.resolve(`refs/heads/${change.branch}`).catch(() => undefined) : undefined;
    const source = current ?? known;
    if (pr !== undefined && source !== undefined) {
      const event = pullRequestStateChangeEvent(this.origin, {
        event: merged ? 'pullRequestMergeStatusUpdated' : 'pullRequestStatusChanged',
        pullRequestId: change.pullRequestId,
        title: pr.title,
        sourceBranch: change.branch,
        destinationBranch: pr.destinationBranch,
        sourceCommit: source,
        destinationCommit: trunkHead,
        author: pr.authorArn,
        time: this.clock.next(),
        status: 'Closed',
        merged,
      });
      this.pullRequests.close(change.pullRequestId, change.reason, { source: event.detail.sourceCommit, destination: trunkHead });
      await this.routePullRequestEvent(event);
      this.writeReview(change.pullRequestId);
    }
    this.console.line(safe(`pull request #${change.pullRequestId} (${change.branch}) closed: ${change.reason}`));
  }

  /** The pull request handler of the Lambda, on a local event: parse, drop what is not ours, review. */
  private async routePullRequestEvent(raw: unknown): Promise<ReviewOutcome | undefined> {
    const outcome = await onPullRequestEvent(this.reviewDeps, this.origin, raw);
    if (outcome.outcome === 'ignored') this.console.line(`pull request event ignored: ${safe(outcome.reason)}`);
    return outcome;
  }

  private async handleBuild(change: BuildStateChange): Promise<void> {
    const result = await onBuildEvent(this.deps, this.origin, buildStateChangeEvent(this.origin, change));
    if (result.status !== 'processed') this.console.warn(`build event ${result.status}: ${safe(result.reason)}`);
  }

  private async reconcile(head: string | undefined): Promise<void> {
    if (head === undefined) return;
    this.lastReconcile = Date.now();
    const report = await reconcileDeployments(this.deps, { trunk: head, stuckAfterSeconds: 0 });
    const repaired = describeRepairs(report);
    if (repaired !== undefined) this.console.line(`reconciler: ${repaired}`);
  }

  // ---- output ------------------------------------------------------------------------------------------------

  private heartbeat(): void {
    for (const build of this.runner.runningBuilds()) {
      const seconds = Math.round((Date.now() - Date.parse(build.startTime)) / 1000);
      this.console.line(safe(`${build.environment} build#${build.number}: ${build.phase}${build.step ? ` — ${build.step}` : ''} (${seconds}s)`));
    }
  }

  private writeReview(pullRequestId: string): string {
    const pr = this.pullRequests.get(pullRequestId);
    if (pr === undefined) return '';
    return writeReviewFile(this.options.reviews, pr);
  }

  private printReview(pullRequestId: string): void {
    const pr = this.pullRequests.get(pullRequestId);
    if (pr === undefined) return;
    const file = reviewFileOf(this.options.reviews, pr.sourceBranch);
    this.console.raw(
      ['', `──── review of ${pr.sourceBranch} (pull request #${pr.pullRequestId}) ────`, readSummary(pr), `──── end of review (${this.shown(file)}) ────`, ''].join('\n'),
    );
  }

  private shown(path: string): string {
    return relative(this.options.cwd ?? process.cwd(), path) || '.';
  }

  private async finish(): Promise<number> {
    const deployments: Deployment[] = [];
    for (const id of this.notifier.touched.keys()) {
      const stored = await this.local.store.get(id);
      if (stored !== undefined) deployments.push(stored);
    }
    const page = await this.local.store.history({ limit: Math.max(10, Math.min(100, deployments.length)) });
    this.console.raw(`\nhistory (${this.shown(this.options.data)}, newest first):\n${renderHistoryTable(page.items, new Date())}`);
    for (const [branch, { pullRequestId }] of Object.entries(this.state.branches)) {
      const review = this.reviews.get(branch);
      const verdict = review === undefined ? 'reviewed before' : review.valid === false ? 'INVALID' : 'valid';
      this.console.raw(safe(`review of ${branch} (pull request #${pullRequestId}): ${verdict} → ${this.shown(reviewFileOf(this.options.reviews, branch))}`));
    }
    const failed = deployments.filter((d) => FAILED_STATUSES.has(d.status));
    if (failed.length > 0) {
      this.console.raw(`\n${failed.length} deployment(s) of this run did not succeed: ${failed.map((d) => `${d.environment} ${d.status}`).join(', ')}`);
      return 1;
    }
    return 0;
  }
}

function readSummary(pr: { comments: readonly { content: string; location?: unknown; deleted: boolean }[] }): string {
  const summary = [...pr.comments].reverse().find((c) => c.location === undefined && !c.deleted && isSummaryComment(c.content));
  return summary?.content ?? '(no summary comment)';
}

function describeRepairs(report: ReconcileReport): string | undefined {
  const parts: string[] = [];
  if (report.buildStatesApplied > 0) parts.push(`${report.buildStatesApplied} build result(s) applied`);
  if (report.startsRepaired > 0) parts.push(`${report.startsRepaired} interrupted or handed-off start(s) resumed`);
  if (report.queuesStarted > 0) parts.push(`${report.queuesStarted} queued deployment(s) started`);
  if (report.leasesReleased > 0) parts.push(`${report.leasesReleased} environment lease(s) released`);
  const missed = report.missedMerges.filter((o) => o.outcome !== 'already-attempted');
  if (missed.length > 0) parts.push(`missed trunk changes deployed: ${missed.map((o) => `${o.environment} ${o.outcome}`).join(', ')}`);
  return parts.length > 0 ? parts.join('; ') : undefined;
}
