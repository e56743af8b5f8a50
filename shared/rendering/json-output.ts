import { toJsonSafe } from './plan-json';

/** JSON for machines, two-space indented: big integers, NaN and infinities made JSON-safe (see toJsonSafe). */
export function toJson(value: unknown): string {
  return JSON.stringify(toJsonSafe(value), null, 2);
}
