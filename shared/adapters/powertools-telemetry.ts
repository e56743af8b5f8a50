/**
 * Adapters: the Log and Metrics ports on Powertools for AWS Lambda (structured JSON logs, CloudWatch EMF metrics).
 * Metrics per environment go through `singleMetric()` so the `environment` dimension never leaks onto other metrics.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import { ENVIRONMENT_DIMENSION, type Log, type MetricName, type Metrics } from '../ports/telemetry';

export function powertoolsLog(logger: Logger): Log {
  return {
    debug: (message, attributes) => logger.debug(message, attributes ?? {}),
    info: (message, attributes) => logger.info(message, attributes ?? {}),
    warn: (message, attributes) => logger.warn(message, attributes ?? {}),
    error: (message, attributes) => logger.error(message, attributes ?? {}),
  };
}

export function powertoolsMetrics(metrics: PowertoolsMetrics): Metrics {
  const add = (name: MetricName, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number, environment?: string): void => {
    if (environment === undefined) {
      metrics.addMetric(name, unit, value);
      return;
    }
    const single = metrics.singleMetric();
    single.addDimension(ENVIRONMENT_DIMENSION, environment);
    single.addMetric(name, unit, value);
  };
  return {
    count: (name, value = 1, environment) => add(name, MetricUnit.Count, value, environment),
    seconds: (name, value, environment) => add(name, MetricUnit.Seconds, value, environment),
  };
}

/** The EMF namespace of every spa-cd metric (alarms and the dashboard use it). */
export const METRICS_NAMESPACE = 'spa-cd';
