import type { PyDict } from './python-values';
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

/** The Python dicts SPA holds for the accounts and units (see pythonItemsOf). */
export interface PythonItems {
  readonly accounts: PyDict;
  readonly organizational_units: PyDict;
}

const PYTHON_ITEMS = Symbol('python items');

/**
 * Effective settings whose accounts and units are computed from SPA's Python dicts on first read (then kept): a
 * command that only writes them as JSON can write the dicts directly (pythonItemsOf), without the 20,000 plain
 * objects of a large environment. Both properties are enumerable, so spreading, JSON.stringify and deep equality see
 * the values as for a plain object. Once both were read, the dicts are let go (pythonItemsOf then gives undefined):
 * a caller that keeps the settings (a plan keeps two sides) does not keep both forms.
 */
export function lazyEffectiveSettings(items: PythonItems, attributes: Record<string, SettingsValue>, toItems: (dict: PyDict) => Record<string, EffectiveItem>): EffectiveSettings {
  const effective = {} as EffectiveSettings;
  let source: PythonItems | undefined = items;
  const computed: { accounts?: Record<string, EffectiveItem>; organizational_units?: Record<string, EffectiveItem> } = {};
  const read = (name: 'accounts' | 'organizational_units'): Record<string, EffectiveItem> => {
    let value = computed[name];
    if (value === undefined) {
      value = toItems((source as PythonItems)[name]);
      computed[name] = value;
      if (computed.accounts !== undefined && computed.organizational_units !== undefined) {
        source = undefined;
        delete (effective as { [PYTHON_ITEMS]?: PythonItems })[PYTHON_ITEMS];
      }
    }
    return value;
  };
  for (const name of ['accounts', 'organizational_units'] as const) {
    Object.defineProperty(effective, name, {
      enumerable: true,
      configurable: true,
      get: () => read(name),
      set: (value: Record<string, EffectiveItem>) => {
        computed[name] = value;
      },
    });
  }
  effective.attributes = attributes;
  Object.defineProperty(effective, PYTHON_ITEMS, { value: items, enumerable: false, configurable: true });
  return effective;
}

/** The Python dicts of effective settings made by lazyEffectiveSettings; undefined for any other object. */
export function pythonItemsOf(effective: EffectiveSettings): PythonItems | undefined {
  return (effective as { [PYTHON_ITEMS]?: PythonItems })[PYTHON_ITEMS];
}
