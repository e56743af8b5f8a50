import type { Deployment } from '../domain/deployment/deployment';
import { errorMessage } from '../support/error-message';
import type { DeploymentNotifier } from '../ports/deployment-notifier';
import type { Log } from '../ports/telemetry';

/** The notifier port as a log line per status change. */
export class LoggingDeploymentNotifier implements DeploymentNotifier {
  constructor(private readonly log: Log) {}

  async statusChanged(deployment: Deployment, previousStatus: Deployment['status'] | undefined): Promise<void> {
    this.log.info('deployment status', {
      deploymentId: deployment.id,
      environment: deployment.environment,
      from: previousStatus ?? null,
      to: deployment.status,
      settingsCommit: deployment.settingsCommit,
      spaVersion: deployment.spaVersion,
      ...(deployment.buildId ? { buildId: deployment.buildId } : {}),
      ...(deployment.reason ? { reason: deployment.reason } : {}),
    });
  }
}

/** Tells every notifier; one notifier's failure is logged and never stops the others or the pipeline. */
export class FanOutDeploymentNotifier implements DeploymentNotifier {
  constructor(
    private readonly notifiers: readonly DeploymentNotifier[],
    private readonly log: Log,
  ) {}

  async statusChanged(deployment: Deployment, previousStatus: Deployment['status'] | undefined): Promise<void> {
    await Promise.all(
      this.notifiers.map((n) =>
        n.statusChanged(deployment, previousStatus).catch((error: unknown) =>
          this.log.error('a deployment notifier failed', { deploymentId: deployment.id, error: errorMessage(error) }),
        ),
      ),
    );
  }
}
