import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import type { EffectiveItem, EffectiveSettings } from '../../../shared/domain/settings/effective-settings';
import type { SettingsMapping, SettingsValue } from '../../../shared/domain/settings/settings-value';
import type { EnvironmentSnapshot, Plan } from '../../../shared/domain/plan/plan';

/** An effective item as SPA computes it, with overridable parts. */
export function item(
  identifier: string,
  parts: {
    tags?: SettingsMapping;
    preparation?: SettingsValue;
    purge?: SettingsValue;
    preparationVariables?: SettingsMapping;
    purgeVariables?: SettingsMapping;
    note?: SettingsValue;
    unsetTags?: SettingsValue;
  } = {},
): EffectiveItem {
  return {
    identifier,
    account_tags: parts.tags ?? {},
    preparation: { feature: parts.preparation ?? 'disabled', variables: parts.preparationVariables ?? {} },
    purge: { feature: parts.purge ?? 'disabled', variables: parts.purgeVariables ?? {} },
    ...(parts.note !== undefined ? { note: parts.note } : {}),
    ...(parts.unsetTags !== undefined ? { unset_tags: parts.unsetTags } : {}),
  };
}

export function settings(
  accounts: EffectiveItem[] = [],
  organizationalUnits: EffectiveItem[] = [],
  attributes: Record<string, SettingsValue> = {},
): EffectiveSettings {
  return {
    accounts: Object.fromEntries(accounts.map((a) => [a.identifier, a])),
    organizational_units: Object.fromEntries(organizationalUnits.map((o) => [o.identifier, o])),
    attributes,
  };
}

export const COMMIT_A = 'a'.repeat(40);
export const COMMIT_B = 'b'.repeat(40);
export const SPA_OLD = '1111111111111111111111111111111111111111';
export const SPA_NEW = '2222222222222222222222222222222222222222';

export function snapshot(effective: EffectiveSettings | undefined, overrides: Partial<EnvironmentSnapshot> = {}): EnvironmentSnapshot {
  return {
    ...(effective ? { effective } : {}),
    spaVersion: 'v1.0.0',
    spaResolved: { kind: 'tag', name: 'v1.0.0', commit: SPA_OLD, annotated: true },
    autoDeploy: true,
    frozen: false,
    allowFloatingVersion: false,
    ...overrides,
  };
}

export function diagnostic(overrides: Partial<Diagnostic> = {}): Diagnostic {
  return {
    file: 'environments/prod/settings.yaml',
    line: 1,
    column: 1,
    severity: 'error',
    code: 'unknown-attribute',
    message: 'The attribute is unknown',
    ...overrides,
  };
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    base: { ref: 'main', commit: COMMIT_A },
    head: { ref: 'feature', commit: COMMIT_B },
    environments: [],
    ...overrides,
  };
}

/** A 12-digit account identifier from a number. */
export function accountId(n: number): string {
  return String(n).padStart(12, '0');
}
