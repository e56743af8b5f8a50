/**
 * Deterministic physical names and ARNs shared by the three stacks. A stack refers to a resource of another
 * account by the name it will have, so no stack needs another's exports and the stacks can be deployed
 * in any order (trust policies name principals through `aws:PrincipalArn` conditions, which do not require
 * the principal to exist yet).
 */
import type { EnvironmentSettings, InstallationConfig } from './config/installation-config';

/** The controller's Lambda functions: `functions/<name>/handler.ts`, bundled to `dist/<name>/index.mjs`. */
export const CONTROLLER_FUNCTIONS = ['on-trunk-push', 'on-pull-request', 'on-build-state-change', 'reconcile'] as const;
export type ControllerFunction = (typeof CONTROLLER_FUNCTIONS)[number];

/** Functions that start or inspect builds, hence assume the trigger role in the DevOps account. */
export const BUILD_STARTERS: readonly ControllerFunction[] = ['on-trunk-push', 'on-build-state-change', 'reconcile'];

export interface InstallationNames {
  readonly partition: string;
  readonly repositoryName: string;
  readonly repositoryArn: string;
  readonly tableName: string;
  readonly buildEventBusName: string;
  readonly buildEventBusArn: string;
  readonly readSettingsRoleName: string;
  readonly readSettingsRoleArn: string;
  readonly triggerRoleName: string;
  readonly triggerRoleArn: string;
  functionName(fn: ControllerFunction): string;
  functionRoleName(fn: ControllerFunction): string;
  functionRoleArn(fn: ControllerFunction): string;
  projectName(environment: EnvironmentSettings): string;
  projectArn(environment: EnvironmentSettings): string;
  buildRoleName(environment: EnvironmentSettings): string;
  buildRoleArn(environment: EnvironmentSettings): string;
  deployRoleName(environment: EnvironmentSettings): string;
  deployRoleArn(environment: EnvironmentSettings): string;
}

/** Partition of a region (`aws`, `aws-cn`, `aws-us-gov`): ARNs of other accounts cannot use the AWS::Partition token. */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export function installationNames(config: InstallationConfig): InstallationNames {
  const prefix = config.name;
  const partition = partitionOf(config.region);
  const { cloudOps, devOps, automation } = config.accounts;
  const role = (account: string, name: string): string => `arn:${partition}:iam::${account}:role/${name}`;
  const repositoryName = 'create' in config.repository ? config.repository.name : config.repository.import;
  const buildEventBusName = `${prefix}-build-events`;
  const readSettingsRoleName = `${prefix}-read-settings`;
  const triggerRoleName = `${prefix}-trigger`;
  const functionRoleName = (fn: ControllerFunction): string => `${prefix}-${fn}`;
  const projectName = (environment: EnvironmentSettings): string => `${prefix}-deploy-${environment.name}`;
  const buildRoleName = (environment: EnvironmentSettings): string => `${prefix}-build-${environment.name}`;
  const deployRoleName = (environment: EnvironmentSettings): string => `${prefix}-deploy-${environment.name}`;
  return {
    partition,
    repositoryName,
    repositoryArn: `arn:${partition}:codecommit:${config.region}:${cloudOps}:${repositoryName}`,
    tableName: `${prefix}-history`,
    buildEventBusName,
    buildEventBusArn: `arn:${partition}:events:${config.region}:${cloudOps}:event-bus/${buildEventBusName}`,
    readSettingsRoleName,
    readSettingsRoleArn: role(cloudOps, readSettingsRoleName),
    triggerRoleName,
    triggerRoleArn: role(devOps, triggerRoleName),
    functionName: (fn) => `${prefix}-${fn}`,
    functionRoleName,
    functionRoleArn: (fn) => role(cloudOps, functionRoleName(fn)),
    projectName,
    projectArn: (environment) => `arn:${partition}:codebuild:${config.region}:${devOps}:project/${projectName(environment)}`,
    buildRoleName,
    buildRoleArn: (environment) => role(devOps, buildRoleName(environment)),
    deployRoleName,
    deployRoleArn: (environment) => role(automation, deployRoleName(environment)),
  };
}
