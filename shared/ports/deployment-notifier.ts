import type { Deployment } from '../domain/deployment/deployment';

/**
 * Port: told of every status change of a deployment (logging now; pull request comments later).
 * A notifier never throws into the pipeline: implementations log and count their own failures.
 */
export interface DeploymentNotifier {
  statusChanged(deployment: Deployment, previousStatus: Deployment['status'] | undefined): Promise<void>;
}
