/** Lambda: a deployment build changed state (CodeBuild Build State Change forwarded from DevOps) → record it. */
import { loadControllerConfig } from '../../shared/config';
import { onBuildEvent } from '../../shared/use-cases/deployment/controller-events';
import { awsDeploymentDependencies, controllerOrigin, createAwsClients } from '../../shared/wiring/aws-deployment-dependencies';
import { lambdaTelemetry, observedHandler } from '../../shared/wiring/lambda-telemetry';
import { SmartHttpVersionResolver } from '../../shared/adapters/smart-http-version-resolver';

const telemetry = lambdaTelemetry('on-build-state-change');
const config = loadControllerConfig(process.env);
const clients = createAwsClients(config);
const origin = controllerOrigin(config);
const deps = awsDeploymentDependencies(config, clients, telemetry);

// Adapters are built once per container (their caches of immutable commits survive warm invocations); the version
// resolver is new for every event, since tags can move.
export const handler = observedHandler(telemetry, (event) => onBuildEvent({ ...deps, resolver: new SmartHttpVersionResolver() }, origin, event));
