import { countBySeverity, sortDiagnostics } from '../domain/settings/diagnostics';
import { environmentDiff, isPlanValid, type EnvironmentPlan, type EnvironmentSnapshot, type Plan } from '../domain/plan/plan';
import { mergeWillDeploy } from '../domain/plan/merge-outcome';
import { diffVersion } from '../domain/plan/version-diff';
import { YamlBinary, YamlTimestamp } from '../domain/settings/settings-value';
import { PyDict, PyFloat, PyList, pyToSettingsValue } from '../domain/settings/python-values';

/** Nesting converted before a value is replaced by `"…"` (guards against cyclic values from recursive YAML aliases). */
export const MAX_JSON_DEPTH = 64;

/**
 * The plan as a plain JSON-serialisable object (`spa-cd plan --json`), with the same facts as the markdown and
 * nothing cut. Settings values keep their JSON types; values JSON cannot hold are written as YAML would show
 * them: an integer beyond 2^53 as a string of digits, NaN and infinities as `".nan"`, `".inf"`, `"-.inf"`,
 * a date as its text, binary data as base64.
 */
export function renderPlanJson(plan: Plan): unknown {
  const environments = plan.environments.map(environmentJson);
  const totals = plan.environments.reduce(
    (acc, env) => {
      const c = countBySeverity(env.diagnostics);
      return { errors: acc.errors + c.errors, warnings: acc.warnings + c.warnings };
    },
    { errors: 0, warnings: 0 },
  );
  return toJsonSafe({
    valid: isPlanValid(plan),
    base: plan.base,
    head: plan.head,
    ...(plan.context ? { context: plan.context } : {}),
    summary: {
      environments: plan.environments.length,
      invalid: plan.environments.filter((env) => !env.valid).length,
      ...totals,
    },
    environments,
    unaffectedChanges: plan.unaffectedChanges ?? [],
  });
}

function environmentJson(env: EnvironmentPlan): unknown {
  const version = diffVersion(env.base, env.head);
  const diff = environmentDiff(env);
  const counts = countBySeverity(env.diagnostics);
  return {
    name: env.name,
    path: env.path,
    valid: env.valid,
    change: env.base === undefined ? 'added' : env.head === undefined ? 'removed' : 'changed',
    errors: counts.errors,
    warnings: counts.warnings,
    diagnostics: sortDiagnostics(env.diagnostics),
    spaVersion: {
      before: version.before?.pin ?? null,
      after: version.after?.pin ?? null,
      resolvedCommit: version.after?.commit ?? null,
      beforeResolvedCommit: version.before?.commit ?? null,
      resolution: version.after?.resolved ?? null,
      pinChanged: version.pinChanged,
      commitChanged: version.commitChanged,
    },
    manifest: {
      before: env.base ? manifestJson(env.base) : null,
      after: env.head ? manifestJson(env.head) : null,
      changes: version.flags,
    },
    diff: diff ?? null,
    mergeWillDeploy: mergeWillDeploy(env),
  };
}

function manifestJson(snapshot: EnvironmentSnapshot): unknown {
  return { autoDeploy: snapshot.autoDeploy, frozen: snapshot.frozen, allowFloatingVersion: snapshot.allowFloatingVersion };
}

/** A deep copy that `JSON.stringify` can write without throwing and without losing information silently. */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (value === Infinity) return '.inf';
    if (value === -Infinity) return '-.inf';
    return value;
  }
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (value instanceof YamlTimestamp) return String(value.text);
  if (value instanceof YamlBinary) return String(value.base64);
  if (value instanceof PyFloat) return toJsonSafe(value.value, depth);
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return null;
  if (depth >= MAX_JSON_DEPTH) return '…';
  if (value instanceof PyDict || value instanceof PyList) return toJsonSafe(pyToSettingsValue(value), depth);
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1));
  if (typeof value === 'object') {
    const entries: [string, unknown][] = [];
    for (const key of Object.keys(value)) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) entries.push([key, toJsonSafe(item, depth + 1)]);
    }
    return Object.fromEntries(entries);
  }
  return null;
}
