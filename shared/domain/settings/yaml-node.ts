import type { SettingsValue } from './settings-value';

/**
 * A loaded YAML document with positions (1-based line and column of each node's first character).
 * Scalars carry the value PyYAML `safe_load` (YAML 1.1) would produce. Mapping entries keep every key in
 * source order, duplicates included (PyYAML keeps the last one; checks report the earlier ones).
 */
export type YamlNode = YamlScalarNode | YamlSequenceNode | YamlMappingNode;

interface NodeBase {
  readonly line: number;
  readonly column: number;
}

export interface YamlScalarNode extends NodeBase {
  readonly kind: 'scalar';
  readonly value: SettingsValue;
}

export interface YamlSequenceNode extends NodeBase {
  readonly kind: 'sequence';
  readonly items: readonly YamlNode[];
}

export interface YamlMappingEntry {
  readonly key: YamlNode;
  readonly value: YamlNode;
}

export interface YamlMappingNode extends NodeBase {
  readonly kind: 'mapping';
  readonly entries: readonly YamlMappingEntry[];
}
