/**
 * The pull request review on real parts for tests: the real CodeCommit adapters over an in-memory CodeCommit
 * (aws-sdk-client-mock, so tests assert exact calls), the real DynamoDB review store on dynalite, and mocks of
 * CodeBuild and STS that must never be called (the review starts no build and assumes no role).
 */
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { STSClient } from '@aws-sdk/client-sts';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
import { CodeCommitPullRequests } from '../../shared/adapters/codecommit-pull-requests';
import { CodeCommitSettingsRepository } from '../../shared/adapters/codecommit-settings-repository';
import { DynamoDbReviewStore } from '../../shared/adapters/dynamodb-review-store';
import { RecordingMetrics, type Log } from '../../shared/ports/telemetry';
import type { ReviewDependencies } from '../../shared/use-cases/review-pull-request';
import { freshHistoryTable, type LocalDynamo } from './dynalite';
import { FakeCodeCommit } from './fake-codecommit';

export const REPOSITORY = 'MyDemoRepo';

export class RecordingLog implements Log {
  readonly lines: Array<{ level: string; message: string; attributes: Record<string, unknown> }> = [];
  debug(message: string, attributes: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'debug', message, attributes });
  }
  info(message: string, attributes: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'info', message, attributes });
  }
  warn(message: string, attributes: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', message, attributes });
  }
  error(message: string, attributes: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', message, attributes });
  }
  messages(): string[] {
    return this.lines.map((line) => line.message);
  }
}

export class ReviewHarness {
  readonly codebuild: AwsClientStub<CodeBuildClient> = mockClient(CodeBuildClient);
  readonly sts: AwsClientStub<STSClient> = mockClient(STSClient);
  readonly metrics = new RecordingMetrics();
  readonly log = new RecordingLog();
  private clock = Date.parse('2026-01-01T00:00:00.000Z');

  private constructor(
    readonly fake: FakeCodeCommit,
    readonly store: DynamoDbReviewStore,
  ) {}

  static async create(local: LocalDynamo, options: { latencyMs?: number } = {}): Promise<ReviewHarness> {
    const store = new DynamoDbReviewStore(local.client, await freshHistoryTable(local, 'review'));
    return new ReviewHarness(new FakeCodeCommit({ repositoryName: REPOSITORY, ...(options.latencyMs !== undefined ? { latencyMs: options.latencyMs } : {}) }), store);
  }

  /** A clock that moves one millisecond per reading: reviews run one after the other are ordered. */
  now = (): Date => new Date((this.clock += 1));

  deps(overrides: Partial<ReviewDependencies> = {}): ReviewDependencies {
    return {
      repositoryName: REPOSITORY,
      repository: new CodeCommitSettingsRepository({ client: this.fake.client, repositoryName: REPOSITORY }),
      trunk: 'main',
      pullRequests: new CodeCommitPullRequests(this.fake.client),
      store: this.store,
      approvalGating: false,
      log: this.log,
      metrics: this.metrics,
      now: this.now,
      sleep: async () => {},
      ...overrides,
    };
  }

  restore(): void {
    this.fake.restore();
    this.codebuild.restore();
    this.sts.restore();
  }
}
