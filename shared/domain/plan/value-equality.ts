import { isMapping, YamlBinary, YamlTimestamp, type SettingsValue } from '../settings/settings-value';

/**
 * Deepest nesting compared structurally. Settings need 5 levels; beyond this (or in a cyclic value built from
 * recursive YAML aliases) values are compared by identity, so comparison always ends.
 */
const MAX_DEPTH = 64;

/**
 * Whether two settings values are the same value for SPA.
 *
 * Python semantics where they matter to a reviewer:
 * - the type counts: `1` and `"1"` differ, a date and the string of the same date differ;
 * - key order of mappings does not count (Python dicts compare by content), list order does;
 * - an integer and a float of the same value are equal (`1 == 1.0` in Python), whether JavaScript holds them as
 *   `number` or `bigint`.
 * One deliberate difference: Python has `True == 1`, but SPA renders them differently (`True` vs `1` in a
 * variable or a tag), so a change from `1` to `true` is reported.
 * A NaN equals a NaN here (the value did not change).
 */
export function settingsValuesEqual(a: SettingsValue | undefined, b: SettingsValue | undefined): boolean {
  return equal(a, b, 0);
}

function equal(a: SettingsValue | undefined, b: SettingsValue | undefined, depth: number): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return false;
  if (isNumeric(a) && isNumeric(b)) return numericEqual(a, b);
  if (typeof a === 'string' || typeof b === 'string') return false;
  if (isNumeric(a) || isNumeric(b)) return false;
  if (a instanceof YamlTimestamp || b instanceof YamlTimestamp) {
    return a instanceof YamlTimestamp && b instanceof YamlTimestamp && a.text === b.text && a.hasTime === b.hasTime;
  }
  if (a instanceof YamlBinary || b instanceof YamlBinary) {
    return a instanceof YamlBinary && b instanceof YamlBinary && stripSpace(a.base64) === stripSpace(b.base64);
  }
  if (depth >= MAX_DEPTH) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) {
      if (!equal(a[i], b[i], depth + 1)) return false;
    }
    return true;
  }
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) {
      if (!Object.hasOwn(b, key) || !equal(a[key], b[key], depth + 1)) return false;
    }
    return true;
  }
  return false;
}

function isNumeric(value: SettingsValue): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function numericEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  const n = typeof a === 'number' ? a : (b as number);
  const big = typeof a === 'bigint' ? a : (b as bigint);
  return Number.isInteger(n) && BigInt(n) === big;
}

function stripSpace(text: string): string {
  return text.replace(/\s+/g, '');
}
