/**
 * Deterministic deployment ids.
 *
 * Automatic deployments (trigger `merge` or `reconcile`) of one environment at one settings commit share ONE id:
 * the store's conditional create on that id is what guarantees "a commit already attempted for an environment is
 * never attempted again automatically" (product.md 5.5), strongly consistent and without a second item, even when
 * the reconciler and a late merge event race. Requested deployments (`manual`, `redeploy`) carry the caller's
 * request id, so retrying the same request is idempotent and every new request is a new attempt.
 *
 * Shape: `<env-slug>-<commit12>-<hash10>` or `<env-slug>-<commit12>-<trigger>-<hash10>`; at most 60 characters of
 * `[a-z0-9-]`, safe in a CodeBuild environment variable, an idempotency token (64 max), a URL and a shell word.
 * The hash covers the exact inputs, so two environment names with the same slug never share an id.
 */
import { createHash } from 'node:crypto';
import type { DeploymentTrigger } from './deployment';

export type AutomaticTrigger = Extract<DeploymentTrigger, 'merge' | 'reconcile'>;
export type RequestedTrigger = Extract<DeploymentTrigger, 'manual' | 'redeploy'>;

export function isAutomaticTrigger(trigger: DeploymentTrigger): trigger is AutomaticTrigger {
  return trigger === 'merge' || trigger === 'reconcile';
}

const MAX_SLUG = 24;

function slug(environment: string): string {
  const s = environment
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG)
    .replace(/-+$/g, '');
  return s || 'env';
}

function shortCommit(commit: string): string {
  const hex = commit.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 12);
  return hex || 'nocommit';
}

function hash(parts: readonly string[]): string {
  const h = createHash('sha256');
  for (const part of parts) h.update(`${part.length}:${part}\u0000`);
  return h.digest('hex').slice(0, 10);
}

/** The one id of the automatic (merge or reconcile) deployment of `environment` at `settingsCommit`. */
export function automaticDeploymentId(environment: string, settingsCommit: string): string {
  return `${slug(environment)}-${shortCommit(settingsCommit)}-${hash(['auto', environment, settingsCommit])}`;
}

/** The id of a requested deployment; the same request (same `requestId`) always gives the same id. */
export function requestedDeploymentId(environment: string, settingsCommit: string, trigger: RequestedTrigger, requestId: string): string {
  if (requestId.length === 0) throw new Error(`a ${trigger} deployment needs a request id`);
  return `${slug(environment)}-${shortCommit(settingsCommit)}-${trigger}-${hash([trigger, environment, settingsCommit, requestId])}`;
}

export interface DeploymentIdInput {
  readonly environment: string;
  readonly settingsCommit: string;
  readonly trigger: DeploymentTrigger;
  /** Required for `manual` and `redeploy`: unique per request (a UUID made by the CLI), reused when the request is retried. */
  readonly requestId?: string;
}

export function deploymentIdFor(input: DeploymentIdInput): string {
  const { environment, settingsCommit, trigger } = input;
  if (isAutomaticTrigger(trigger)) return automaticDeploymentId(environment, settingsCommit);
  return requestedDeploymentId(environment, settingsCommit, trigger, input.requestId ?? '');
}
