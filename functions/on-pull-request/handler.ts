/**
 * Lambda: reviews pull requests into the trunk (CodeCommit Pull Request State Change) and links merged ones to
 * their commits. Logger and Metrics middlewares, then parsing; configuration and AWS clients once per cold start.
 * The review reads the repository and comments with this function's own role: no build client, no role assumption.
 */
import { CodeCommitPullRequests } from '../../shared/adapters/codecommit-pull-requests';
import { CodeCommitSettingsRepository } from '../../shared/adapters/codecommit-settings-repository';
import { DynamoDbReviewStore } from '../../shared/adapters/dynamodb-review-store';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';
import { loadControllerConfig } from '../../shared/config';
import { onPullRequestEvent, type ReviewDependencies, type ReviewOutcome } from '../../shared/use-cases/review-pull-request';
import { controllerOrigin, createReviewClients } from '../../shared/wiring/aws-clients';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';

const config = loadControllerConfig(process.env);
const telemetry = lambdaTelemetry('on-pull-request');
const { log, metrics } = telemetry;
const { codecommit, dynamodb } = createReviewClients(config);

const deps: ReviewDependencies = {
  repositoryName: config.repository,
  repository: new CodeCommitSettingsRepository({ client: codecommit, repositoryName: config.repository, concurrency: 16 }),
  trunk: config.trunk,
  pullRequests: new CodeCommitPullRequests(codecommit),
  store: new DynamoDbReviewStore(dynamodb, config.table),
  approvalGating: config.approvalGating,
  defaultCodeGitUrl: config.defaultCodeGitUrl,
  log,
  metrics,
  now: () => new Date(),
};

const origin = controllerOrigin(config);

/** A resolver per event: it caches each code repository's refs, which must not outlive the review (tags move). */
export function onPullRequest(input: unknown): Promise<ReviewOutcome> {
  return onPullRequestEvent({ ...deps, resolver: new SmartHttpVersionResolver() }, origin, input);
}

export const handler = observedHandler(telemetry, onPullRequest);
