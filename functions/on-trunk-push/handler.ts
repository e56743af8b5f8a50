/** Lambda: the trunk branch of the settings repository moved (CodeCommit Repository State Change) → deploy. */
import { loadControllerConfig } from '../../shared/config';
import { onRepositoryEvent } from '../../shared/use-cases/deployment/controller-events';
import { awsDeploymentDependencies, controllerOrigin, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';

const telemetry = lambdaTelemetry('on-trunk-push');
const config = loadControllerConfig(process.env);
const clients = createAwsClients(config);
const origin = controllerOrigin(config);

export const handler = observedHandler(telemetry, (event) => onRepositoryEvent(awsDeploymentDependencies(config, clients, telemetry), origin, event));
