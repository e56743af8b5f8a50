/**
 * Reading AWS SDK v3 errors without depending on their classes: the SDK sets `name` to the modeled exception name
 * (`FileDoesNotExistException`) and `$metadata.httpStatusCode` when the service answered.
 */
import { errorMessage, errorName } from '../support/error-message';

export { errorName } from '../support/error-message';

export function isAwsError(error: unknown, ...names: readonly string[]): boolean {
  return names.includes(errorName(error));
}

export function httpStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** `Name: message`, escaped and cut for one log line or a stored reason. */
export const describeError = errorMessage;

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
]);

const SERVER = new Set(['InternalFailure', 'InternalServerError', 'InternalServerException', 'ServiceUnavailable', 'ServiceUnavailableException']);

/** Network-level failures where the request may not have reached the service. */
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'NetworkingError']);

/** Throttling, a 429 or a 5xx answer: worth retrying later. */
export function isThrottlingOrServerError(error: unknown): boolean {
  const name = errorName(error);
  if (THROTTLING.has(name) || SERVER.has(name)) return true;
  const status = httpStatusOf(error);
  if (status !== undefined) return status === 429 || status >= 500;
  return (error as { $fault?: unknown } | null)?.$fault === 'server';
}

/** No answer from the service at all (timeout, connection reset): worth retrying, the request is idempotent. */
export function isTransientNetworkError(error: unknown): boolean {
  if (TRANSIENT.has(errorName(error))) return true;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && TRANSIENT.has(code);
}
