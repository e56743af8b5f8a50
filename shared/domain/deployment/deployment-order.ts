/**
 * The order of deployments within an environment: "newer" wins the queue, and history lists newest first.
 *
 * The order key is `<ISO-8601 UTC time, milliseconds>#<sequence, 15 digits>#<deployment id>`: plain string comparison
 * sorts it. The time is the trunk push as the merge event reports it (event `time`), or the time of the request for
 * `spa-cd deploy` and the reconciler. Two merges reported in the same second are told apart by `sequence` when the
 * caller knows one (e.g. the number of commits on trunk up to the merged commit), then by id: the outcome is the
 * same whatever order the events arrive in.
 */
export interface DeploymentOrder {
  /** ISO-8601 time (any offset); normalised to UTC milliseconds. */
  readonly time: string;
  /** Non-negative integer that grows with trunk history; 0 when unknown. */
  readonly sequence?: number;
}

export class InvalidOrderError extends Error {
  override readonly name = 'InvalidOrderError';
}

const SEQUENCE_DIGITS = 15;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Normalises an ISO-8601 time with an explicit offset to `YYYY-MM-DDTHH:MM:SS.mmmZ`; undefined when it is not one. */
export function normaliseTime(time: string): string | undefined {
  if (!ISO_TIME.test(time)) return undefined;
  const ms = Date.parse(time);
  if (!Number.isFinite(ms)) return undefined;
  const iso = new Date(ms).toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

export function orderKeyOf(order: DeploymentOrder, deploymentId: string): string {
  const time = normaliseTime(order.time);
  if (time === undefined) throw new InvalidOrderError(`deployment order time '${order.time}' is not an ISO-8601 time with an offset (e.g. 2024-05-01T12:00:00Z)`);
  const sequence = order.sequence ?? 0;
  if (!Number.isSafeInteger(sequence) || sequence < 0 || String(sequence).length > SEQUENCE_DIGITS) {
    throw new InvalidOrderError(`deployment order sequence ${String(sequence)} is not an integer between 0 and ${'9'.repeat(SEQUENCE_DIGITS)}`);
  }
  return `${time}#${String(sequence).padStart(SEQUENCE_DIGITS, '0')}#${deploymentId}`;
}

/** Negative when `a` is older than `b`. */
export function compareOrderKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
