/** Lambda: scheduled reconciler — repairs what lost or failed events missed (missed merges, unreported builds, stuck queues). */
import { loadControllerConfig } from '../../shared/config';
import { reconcileDeployments } from '../../shared/use-cases/deployment/reconcile-deployments';
import { awsDeploymentDependencies, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';

const telemetry = lambdaTelemetry('reconcile');
const config = loadControllerConfig(process.env);
const clients = createAwsClients(config);
const deps = awsDeploymentDependencies(config, clients, telemetry);

export const handler = observedHandler(telemetry, async () => {
  const report = await reconcileDeployments({ ...deps, resolver: new SmartHttpVersionResolver() }, { trunk: config.trunk, buildTimeoutMinutes: config.buildTimeoutMinutes });
  telemetry.log.info('reconciliation done', { ...report, missedMerges: report.missedMerges.map((o) => `${o.environment}:${o.outcome}`) });
  return report;
});
