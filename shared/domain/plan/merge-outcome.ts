import { countBySeverity } from '../settings/diagnostics';
import type { ResolvedVersion } from '../../ports/version-resolver';
import type { EnvironmentPlan } from './plan';
import { resolvedCommit } from './version-diff';

/**
 * What merging the change does to one environment (product.md sections 5 and 6), decided in this order:
 * removed → nothing to deploy; invalid → REJECTED; frozen → blocked; auto_deploy false → PENDING; else deploy.
 * A change that only touches the folder (same effective settings) still deploys: the folder differs.
 */
export type MergeOutcome =
  | {
      readonly kind: 'deploy';
      readonly environment: string;
      readonly spaVersion?: string;
      readonly spaCommit?: string;
      /** How the pin resolved; absent when it was not asked. */
      readonly resolution?: ResolvedVersion['kind'];
    }
  | { readonly kind: 'pending'; readonly environment: string; readonly spaVersion?: string; readonly spaCommit?: string }
  | { readonly kind: 'frozen'; readonly environment: string }
  | { readonly kind: 'rejected'; readonly environment: string; readonly errors: number }
  | { readonly kind: 'removed'; readonly environment: string };

export function mergeWillDeploy(env: EnvironmentPlan): MergeOutcome {
  const environment = env.name;
  const head = env.head;
  if (head === undefined) return { kind: 'removed', environment };
  if (!env.valid) return { kind: 'rejected', environment, errors: countBySeverity(env.diagnostics).errors };
  if (head.frozen) return { kind: 'frozen', environment };
  const spaCommit = resolvedCommit(head.spaVersion, head.spaResolved);
  const version = {
    ...(head.spaVersion !== undefined ? { spaVersion: head.spaVersion } : {}),
    ...(spaCommit !== undefined ? { spaCommit } : {}),
  };
  if (!head.autoDeploy) return { kind: 'pending', environment, ...version };
  return { kind: 'deploy', environment, ...version, ...(head.spaResolved ? { resolution: head.spaResolved.kind } : {}) };
}
