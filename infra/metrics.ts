/**
 * The metrics the alarms and the dashboard read: CloudWatch embedded metric format (Powertools Metrics) in
 * namespace `spa-cd`. The dashboard and alarms use Metrics Insights queries (`SELECT ... FROM "spa-cd"`), which
 * aggregate over every dimension set, so a handler may add dimensions (service, environment, status) freely;
 * the GROUP BY widgets expect the dimension names below.
 */
export const METRICS_NAMESPACE = 'spa-cd';

export const METRIC_NAMES = {
  /** Count, one per deployment that reached a terminal status; dimensions `environment`, `status`. */
  deployments: 'Deployments',
  /** Count, one per deployment that ended FAILED, FAULT, TIMED_OUT or FAILED_TO_START; dimension `environment`. */
  deploymentsFailed: 'DeploymentsFailed',
  /** Count, one per deployment REJECTED for invalid settings; dimension `environment`. */
  deploymentsRejected: 'DeploymentsRejected',
  /** Seconds from the merge (commit time) to the end of a successful build; dimension `environment`. */
  leadTime: 'LeadTimeSeconds',
  /** Seconds a build ran; dimension `environment`. */
  buildDuration: 'BuildDurationSeconds',
  /** Seconds from a pull request event to the posted review. */
  reviewLatency: 'ReviewLatencySeconds',
} as const;

export const METRIC_DIMENSIONS = { environment: 'environment', status: 'status' } as const;
