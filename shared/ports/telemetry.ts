/**
 * Ports: structured logs and metrics. Powertools Logger and Metrics implement them on Lambda;
 * the CLI and local mode use console-backed versions. Attributes are data, never interpolated into messages.
 */
export interface Log {
  debug(message: string, attributes?: Record<string, unknown>): void;
  info(message: string, attributes?: Record<string, unknown>): void;
  warn(message: string, attributes?: Record<string, unknown>): void;
  error(message: string, attributes?: Record<string, unknown>): void;
}

/** The dimension that metrics per environment carry (the dashboard groups by it). */
export const ENVIRONMENT_DIMENSION = 'environment';

export type MetricName =
  | 'DeploymentsStarted'
  | 'DeploymentsSucceeded'
  | 'DeploymentsFailed'
  | 'DeploymentsRejected'
  | 'DeploymentsSuperseded'
  | 'DeploymentsQueued'
  | 'DeploymentsFailedToStart'
  | 'LeadTimeSeconds'
  | 'BuildDurationSeconds'
  | 'EventsRejected'
  | 'EventsIgnored'
  | 'ReviewsPosted'
  | 'ReviewLatencySeconds'
  | 'CommentFailures'
  | 'ReconcilerRepairs';

export interface Metrics {
  /** Adds `value` (default 1) to a count, per environment when given. */
  count(name: MetricName, value?: number, environment?: string): void;
  /** Records a duration in seconds, per environment when given. */
  seconds(name: MetricName, value: number, environment?: string): void;
}

export const silentLog: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
export const noMetrics: Metrics = { count: () => {}, seconds: () => {} };

/** Keeps what was recorded: for tests and for the local mode's summary. */
export class RecordingMetrics implements Metrics {
  readonly records: Array<{ name: MetricName; value: number; environment?: string; unit: 'count' | 'seconds' }> = [];
  count(name: MetricName, value = 1, environment?: string): void {
    this.records.push({ name, value, unit: 'count', ...(environment ? { environment } : {}) });
  }
  seconds(name: MetricName, value: number, environment?: string): void {
    this.records.push({ name, value, unit: 'seconds', ...(environment ? { environment } : {}) });
  }
  total(name: MetricName, environment?: string): number {
    return this.records.filter((r) => r.name === name && (environment === undefined || r.environment === environment)).reduce((a, r) => a + r.value, 0);
  }
}
