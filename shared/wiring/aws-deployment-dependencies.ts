/**
 * Wiring for the Lambdas: AWS clients (built once per container by the caller) and configuration into the
 * dependencies of the deployment use cases. No business logic here.
 */
import { CodeBuildClient } from '@aws-sdk/client-codebuild';
import { STSClient } from '@aws-sdk/client-sts';
import { CodeBuildBuildService } from '../adapters/codebuild-build-service';
import { CodeCommitSettingsRepository } from '../adapters/codecommit-settings-repository';
import { DynamoDbDeploymentStore } from '../adapters/dynamodb-deployment-store';
import { FanOutDeploymentNotifier, LoggingDeploymentNotifier } from '../adapters/logging-deployment-notifier';
import { assumeRoleCredentials } from '../adapters/sts-credentials';
import { CodeCommitPullRequests } from '../adapters/codecommit-pull-requests';
import { DynamoDbReviewStore } from '../adapters/dynamodb-review-store';
import { PullRequestDeploymentNotifier } from '../adapters/pull-request-deployment-notifier';
import { linkMergeCommit } from '../use-cases/review-pull-request';
import type { ControllerConfig } from '../config';
import type { Log, Metrics } from '../ports/telemetry';
import { createReviewClients, type ReviewClients } from './aws-clients';
import type { DeploymentDependencies } from '../use-cases/deployment/deployment-dependencies';

export { controllerOrigin } from './aws-clients';

export interface AwsClients extends ReviewClients {
  readonly codebuild: CodeBuildClient;
}

/**
 * Clients for one container: the review's (CodeCommit, DynamoDB), and CodeBuild with the DevOps trigger role's
 * credentials (assumed, cached, refreshed).
 */
export function createAwsClients(config: ControllerConfig): AwsClients {
  const sts = new STSClient({ region: config.region });
  return {
    ...createReviewClients(config),
    codebuild: new CodeBuildClient({
      region: config.buildRegion,
      credentials: assumeRoleCredentials({ client: sts, roleArn: config.triggerRoleArn, externalId: config.externalId }),
    }),
  };
}

export function awsDeploymentDependencies(
  config: ControllerConfig,
  clients: AwsClients,
  telemetry: { log: Log; metrics: Metrics },
): DeploymentDependencies {
  const reviews = new DynamoDbReviewStore(clients.dynamodb, config.table);
  const pullRequestNotifier = new PullRequestDeploymentNotifier({
    repositoryName: config.repository,
    pullRequests: new CodeCommitPullRequests(clients.codecommit),
    store: reviews,
    log: telemetry.log,
    metrics: telemetry.metrics,
  });
  return {
    repository: new CodeCommitSettingsRepository({ client: clients.codecommit, repositoryName: config.repository }),
    store: new DynamoDbDeploymentStore(clients.dynamodb, config.table),
    builds: new CodeBuildBuildService({ client: clients.codebuild }),
    notifier: new FanOutDeploymentNotifier([new LoggingDeploymentNotifier(telemetry.log), pullRequestNotifier], telemetry.log),
    mergeLinks: { link: async (merge) => void (await linkMergeCommit(reviews, config.repository, merge)) },
    targets: config.environments.map((e) => ({ name: e.name, path: e.path, project: e.project })),
    defaultCodeGitUrl: config.defaultCodeGitUrl,
    log: telemetry.log,
    metrics: telemetry.metrics,
    now: () => new Date(),
  };
}

