/**
 * The environment variables of the controller Lambdas for an installation: every variable the controller
 * reads (shared/config/controller-config.ts), typed so that a new variable there fails compilation here.
 */
import type { ControllerVariableName } from '../shared/config/controller-config';
import type { InstallationConfig } from './config/installation-config';
import { installationNames } from './names';

export function controllerEnvironment(config: InstallationConfig): Record<ControllerVariableName, string> {
  const names = installationNames(config);
  return {
    SPA_CD_ACCOUNT: config.accounts.cloudOps,
    SPA_CD_REGION: config.region,
    SPA_CD_REPOSITORY: names.repositoryName,
    SPA_CD_TRUNK: config.trunk,
    SPA_CD_TABLE: names.tableName,
    SPA_CD_ENVIRONMENTS: JSON.stringify(config.environments.map((e) => ({ name: e.name, path: e.folder, project: names.projectName(e) }))),
    SPA_CD_DEVOPS_ACCOUNT: config.accounts.devOps,
    SPA_CD_TRIGGER_ROLE_ARN: names.triggerRoleArn,
    SPA_CD_EXTERNAL_ID: config.externalId,
    SPA_CD_BUILD_REGION: config.region,
    SPA_CD_DEFAULT_CODE_GIT_URL: config.spaCodeUrl,
    SPA_CD_APPROVAL_GATING: String(config.approvalGating),
    // The reconciler checks a running deployment against its build after the longest build timeout.
    SPA_CD_BUILD_TIMEOUT_MINUTES: String(Math.max(...config.environments.map((e) => e.buildTimeoutMinutes))),
  };
}
