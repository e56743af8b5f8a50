/**
 * Use case: `spa-cd deploy` — a person asks to deploy an environment at a commit (trigger `manual`) or to run a
 * previous deployment again (trigger `redeploy`, same settings commit and SPA version). Goes through the same queue.
 */
import type { Deployment } from '../../domain/deployment/deployment';
import { deploymentIdFor } from '../../domain/deployment/deployment-id';
import { countBySeverity } from '../../domain/settings/diagnostics';
import { environmentPath } from '../../domain/settings/environments';
import { DeploymentNotFoundError } from '../../ports/deployment-store';
import { pinnedCommit, validateEnvironment } from '../validate-settings';
import { queueOrStart, type EnvironmentOutcome } from './deploy-settings-change';
import type { DeploymentDependencies } from './deployment-dependencies';

export type DeploymentRequest =
  | { readonly kind: 'commit'; readonly environment: string; readonly commit: string; readonly requestId: string; readonly requestedBy: string }
  | { readonly kind: 'redeploy'; readonly deploymentId: string; readonly requestId: string; readonly requestedBy: string };

export class DeploymentRequestError extends Error {
  override readonly name = 'DeploymentRequestError';
}

export async function requestDeployment(deps: DeploymentDependencies, request: DeploymentRequest): Promise<EnvironmentOutcome> {
  let base: Pick<Deployment, 'environment' | 'settingsCommit' | 'spaVersion' | 'codeGitUrl'> & { spaCommit?: string };
  if (request.kind === 'redeploy') {
    const previous = await deps.store.get(request.deploymentId);
    if (previous === undefined) throw new DeploymentNotFoundError(request.deploymentId);
    if (previous.spaVersion === '') throw new DeploymentRequestError(`deployment ${previous.id} has no SPA version to redeploy (it was rejected before a version was known)`);
    base = previous;
  } else {
    const validation = await validateEnvironment(deps.repository.at(request.commit), request.environment, { defaultCodeGitUrl: deps.defaultCodeGitUrl, ...(deps.resolver ? { resolver: deps.resolver } : {}) });
    if (!validation.valid) {
      const { errors } = countBySeverity(validation.diagnostics);
      throw new DeploymentRequestError(`environment '${request.environment}' is invalid at ${request.commit.slice(0, 12)} (${errors} errors): run spa-cd validate`);
    }
    if (validation.deployment?.frozen) throw new DeploymentRequestError(`environment '${request.environment}' is frozen at ${request.commit.slice(0, 12)} (deployment.yaml)`);
    const spaCommit = pinnedCommit(validation);
    base = {
      environment: request.environment,
      settingsCommit: request.commit,
      spaVersion: validation.deployment?.spaVersion ?? '',
      codeGitUrl: validation.deployment?.codeGitUrl ?? deps.defaultCodeGitUrl,
      ...(spaCommit ? { spaCommit } : {}),
    };
  }
  const trigger = request.kind === 'redeploy' ? 'redeploy' : 'manual';
  const id = deploymentIdFor({ environment: base.environment, settingsCommit: base.settingsCommit, trigger, requestId: request.requestId });
  const { deployment, created } = await deps.store.createDeployment({
    id,
    environment: base.environment,
    status: 'QUEUED',
    settingsCommit: base.settingsCommit,
    environmentPath: environmentPath(base.environment),
    spaVersion: base.spaVersion,
    ...(base.spaCommit ? { spaCommit: base.spaCommit } : {}),
    codeGitUrl: base.codeGitUrl,
    trigger,
    causedBy: request.requestedBy,
    createdAt: deps.now().toISOString(),
    order: { time: deps.now().toISOString() },
  });
  if (!created) deps.log.info('deployment request already recorded', { deploymentId: deployment.id });
  return queueOrStart(deps, deployment, base.environment);
}
