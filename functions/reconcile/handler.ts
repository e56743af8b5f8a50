/** Lambda: scheduled reconciler — repairs what lost or failed events missed (missed merges, unreported builds, stuck queues). */
import { loadControllerConfig } from '../../shared/config';
import { reconcileDeployments } from '../../shared/use-cases/deployment/reconcile-deployments';
import { awsDeploymentDependencies, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';

const telemetry = lambdaTelemetry('reconcile');
const config = loadControllerConfig(process.env);
const clients = createAwsClients(config);

export const handler = observedHandler(telemetry, async () => {
  const report = await reconcileDeployments(awsDeploymentDependencies(config, clients, telemetry), { trunk: config.trunk });
  telemetry.log.info('reconciliation done', { ...report, missedMerges: report.missedMerges.map((o) => `${o.environment}:${o.outcome}`) });
  return report;
});
