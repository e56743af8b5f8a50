import type { SettingsMapping, SettingsValue } from './settings-value';

/**
 * What SPA computes from one settings file (and its CSV lists): the effective settings.
 * Field names are SPA's own; values keep their types (YAML numbers stay numbers, CSV values are strings).
 */
export interface EffectiveItem {
  identifier: string;
  account_tags: SettingsMapping;
  /** `feature` is absent only for a CSV-only account when `defaults` has none (SPA does not add it then). */
  preparation: { feature?: SettingsValue; variables: SettingsMapping } & SettingsMapping;
  purge: { feature?: SettingsValue; variables: SettingsMapping } & SettingsMapping;
  note?: SettingsValue;
  unset_tags?: SettingsValue;
}

export interface EffectiveSettings {
  /** Accounts keyed by their 12-digit identifier, in SPA's insertion order (YAML first, then CSV rows). */
  accounts: Record<string, EffectiveItem>;
  /** Organizational units keyed by identifier (`ou-...`). */
  organizational_units: Record<string, EffectiveItem>;
  /**
   * Every other flattened top-level attribute SPA keeps (`automation_region`, `features_with_csv_files`, `defaults`, ...),
   * after flattening, exactly as SPA holds them.
   */
  attributes: Record<string, SettingsValue>;
}
