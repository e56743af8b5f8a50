/**
 * The metrics the alarms and the dashboard read: CloudWatch embedded metric format (Powertools Metrics) in
 * namespace `spa-cd`. The dashboard and alarms use Metrics Insights queries (`SELECT ... FROM "spa-cd"`), which
 * aggregate over every dimension set, so a handler may add dimensions (service, environment, status) freely;
 * the GROUP BY widgets expect the dimension names below.
 */
export { METRICS_NAMESPACE } from '../shared/adapters/powertools-telemetry';
export { ENVIRONMENT_DIMENSION } from '../shared/ports/telemetry';

import type { MetricName } from '../shared/ports/telemetry';

/** The names the controller emits (shared/ports/telemetry.ts `MetricName`): a renamed metric fails compilation here. */
export const METRIC_NAMES = {
  /** Count per deployment outcome (dimension `environment`): the dashboard stacks them per environment. */
  deploymentOutcomes: [
    'DeploymentsStarted',
    'DeploymentsSucceeded',
    'DeploymentsFailed',
    'DeploymentsRejected',
    'DeploymentsSuperseded',
    'DeploymentsFailedToStart',
  ],
  /** Count, one per deployment that ended FAILED, FAULT, TIMED_OUT or STOPPED; dimension `environment`. */
  deploymentsFailed: 'DeploymentsFailed',
  /** Count, one per deployment REJECTED (invalid settings, frozen environment); dimension `environment`. */
  deploymentsRejected: 'DeploymentsRejected',
  /** Seconds from the merge event to the build start; dimension `environment`. */
  leadTime: 'LeadTimeSeconds',
  /** Seconds a build ran; dimension `environment`. */
  buildDuration: 'BuildDurationSeconds',
  /** Seconds from a pull request event to the posted review. */
  reviewLatency: 'ReviewLatencySeconds',
} as const satisfies { deploymentOutcomes: readonly MetricName[] } & Record<string, MetricName | readonly MetricName[]>;

