/** Lambda: a deployment build changed state (CodeBuild Build State Change forwarded from DevOps) → record it. */
import { loadControllerConfig } from '../../shared/config';
import { onBuildEvent } from '../../shared/use-cases/deployment/controller-events';
import { awsDeploymentDependencies, controllerOrigin, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';

const telemetry = lambdaTelemetry('on-build-state-change');
const config = loadControllerConfig(process.env);
const clients = createAwsClients(config);
const origin = controllerOrigin(config);

export const handler = observedHandler(telemetry, (event) => onBuildEvent(awsDeploymentDependencies(config, clients, telemetry), origin, event));
