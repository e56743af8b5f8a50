/**
 * Powertools logger and metrics for one Lambda (built once per container), the middy middlewares in the house order
 * (logger, then metrics), and the ports the use cases log and count through.
 */
import middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context } from 'aws-lambda';
import { METRICS_NAMESPACE, powertoolsLog, powertoolsMetrics } from '../adapters/powertools-telemetry';
import type { Log, Metrics as MetricsPort } from '../ports/telemetry';

export interface LambdaTelemetry {
  readonly logger: Logger;
  readonly powertoolsMetrics: Metrics;
  readonly log: Log;
  readonly metrics: MetricsPort;
}

export function lambdaTelemetry(functionName: string): LambdaTelemetry {
  const logger = new Logger({ serviceName: 'spa-cd', persistentKeys: { function: functionName } });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'spa-cd', defaultDimensions: { function: functionName } });
  return { logger, powertoolsMetrics: metrics, log: powertoolsLog(logger), metrics: powertoolsMetrics(metrics) };
}

/** A handler with the logger and metrics middlewares; the body parses its own event (see controller-events.ts). */
export function observedHandler<R>(telemetry: LambdaTelemetry, body: (event: unknown, context: Context) => Promise<R>) {
  return middy(body)
    .use(injectLambdaContext(telemetry.logger, { resetKeys: true }))
    .use(logMetrics(telemetry.powertoolsMetrics, { captureColdStartMetric: true }));
}
