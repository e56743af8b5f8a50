/**
 * Any thrown value as one safe line for a log or a stored reason: `Name: message`, escaped and cut.
 * (The AWS SDK sets `name` to the modeled exception name, so this also names AWS errors.)
 */
import { escapeForLog } from '../events/parse';

export function errorName(error: unknown): string {
  if (error instanceof Error) return error.name;
  if (typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string') {
    return (error as { name: string }).name;
  }
  return 'Error';
}

export function errorMessage(error: unknown, max = 300): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return escapeForLog(message && message !== name ? `${name}: ${message}` : name, max);
}
