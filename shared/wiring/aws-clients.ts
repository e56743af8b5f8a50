/**
 * The AWS clients every controller function shares, and where its events come from: the review's own (CodeCommit,
 * DynamoDB), without CodeBuild or STS, so that the review's bundle carries neither (test/infra/bundles.test.ts).
 */
import { CodeCommitClient } from '@aws-sdk/client-codecommit';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ControllerConfig } from '../config';
import type { ControllerOrigin } from '../use-cases/deployment/controller-events';

export interface ReviewClients {
  readonly codecommit: CodeCommitClient;
  readonly dynamodb: DynamoDBDocumentClient;
}

/** CodeCommit retried a little more than the SDK's default (a review makes many calls), DynamoDB without undefined values. */
export function createReviewClients(config: ControllerConfig): ReviewClients {
  return {
    codecommit: new CodeCommitClient({ region: config.region, maxAttempts: 5 }),
    dynamodb: DynamoDBDocumentClient.from(new DynamoDBClient({ region: config.region }), {
      marshallOptions: { removeUndefinedValues: true },
    }),
  };
}

export function controllerOrigin(config: ControllerConfig): ControllerOrigin {
  return {
    account: config.account,
    region: config.region,
    repository: config.repository,
    trunk: config.trunk,
    buildAccount: config.devopsAccount,
    buildRegion: config.buildRegion,
  };
}
