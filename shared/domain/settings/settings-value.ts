/**
 * Values as SPA sees them after PyYAML `safe_load` (YAML 1.1) or Python's csv module.
 * YAML numbers stay numbers, booleans stay booleans, CSV values are strings.
 * A YAML 1.1 timestamp (`2024-01-31`) is kept as a `YamlTimestamp` so type checks can tell it from a string.
 */
export type SettingsValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | YamlTimestamp
  | YamlBinary
  | SettingsValue[]
  | SettingsMapping;

export interface SettingsMapping {
  [key: string]: SettingsValue;
}

/** A YAML 1.1 `!!timestamp` (Python `datetime.date` or `datetime.datetime`); `text` is its source text. */
export class YamlTimestamp {
  constructor(readonly text: string, readonly hasTime: boolean) {}
  toJSON(): string {
    return this.text;
  }
}

/** A YAML `!!binary` value (Python `bytes`): never a `str`. */
export class YamlBinary {
  constructor(readonly base64: string) {}
  toJSON(): string {
    return this.base64;
  }
}

export function isMapping(value: SettingsValue | undefined): value is SettingsMapping {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof YamlTimestamp) &&
    !(value instanceof YamlBinary)
  );
}

