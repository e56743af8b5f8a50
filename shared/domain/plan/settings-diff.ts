import type { EffectiveItem, EffectiveSettings } from '../settings/effective-settings';
import { isMapping, type SettingsMapping, type SettingsValue } from '../settings/settings-value';
import { settingsValuesEqual } from './value-equality';

/** A value before and after; `undefined` on a side means the key is absent there. */
export interface ValueChange {
  readonly before?: SettingsValue;
  readonly after?: SettingsValue;
}

export interface KeyedValue {
  readonly key: string;
  readonly value: SettingsValue;
}

export interface KeyedChange {
  readonly key: string;
  readonly before: SettingsValue;
  readonly after: SettingsValue;
}

/** Key-by-key comparison of two mappings, each list sorted by key. */
export interface MappingDiff {
  readonly added: readonly KeyedValue[];
  readonly removed: readonly KeyedValue[];
  readonly changed: readonly KeyedChange[];
}

/** `preparation` or `purge` of one item. */
export interface SectionDiff {
  /** Present when `feature` changed (e.g. `disabled` → `enabled`). */
  readonly feature?: ValueChange;
  readonly variables: MappingDiff;
  /** Keys other than `feature` and `variables` (SPA rejects them; shown when they appear anyway), or `variables` itself when it is not a mapping. */
  readonly other: MappingDiff;
}

/** How one account or organizational unit present on both sides changed. */
export interface ItemChange {
  readonly identifier: string;
  readonly tags: MappingDiff;
  readonly preparation: SectionDiff;
  readonly purge: SectionDiff;
  readonly note?: ValueChange;
  readonly unsetTags?: ValueChange;
  /** Any other item key, or `account_tags` / `preparation` / `purge` when one side is not a mapping. */
  readonly other: MappingDiff;
}

export interface ItemsDiff {
  /** Items only in the new settings, sorted by identifier. */
  readonly added: readonly EffectiveItem[];
  /** Items only in the old settings, sorted by identifier. */
  readonly removed: readonly EffectiveItem[];
  /** Items on both sides that differ, sorted by identifier. */
  readonly changed: readonly ItemChange[];
}

/** One change of a top-level attribute, or of a key nested in it when both sides are mappings (`defaults.account_tags.owner`). */
export interface AttributeChange {
  readonly kind: 'added' | 'removed' | 'changed';
  /** Keys from the attribute name down (`['defaults', 'account_tags', 'owner']`). */
  readonly path: readonly string[];
  readonly before?: SettingsValue;
  readonly after?: SettingsValue;
}

export interface SettingsDiff {
  readonly accounts: ItemsDiff;
  readonly organizationalUnits: ItemsDiff;
  /** Sorted by path. */
  readonly attributes: readonly AttributeChange[];
  /**
   * Accounts and organizational units added, removed or changed. A change of `defaults` is already folded into
   * every effective item that inherits it, so this count is the blast radius of the change.
   */
  readonly blastRadius: { readonly accounts: number; readonly organizationalUnits: number };
}

const EMPTY_SETTINGS: EffectiveSettings = { accounts: {}, organizational_units: {}, attributes: {} };
const KNOWN_ITEM_KEYS = new Set(['identifier', 'account_tags', 'preparation', 'purge', 'note', 'unset_tags']);
const KNOWN_SECTION_KEYS = new Set(['feature', 'variables']);
/** Nested mappings of attributes are compared key by key down to this depth, then as whole values. */
const MAX_ATTRIBUTE_DEPTH = 8;

/**
 * The semantic difference between two effective settings. `undefined` stands for "no settings" (a new
 * environment on the `after` side, a removed one on the `before` side): everything is added or removed.
 * Output order is deterministic: identifiers, keys and paths sorted by UTF-16 code units.
 */
export function diffSettings(before: EffectiveSettings | undefined, after: EffectiveSettings | undefined): SettingsDiff {
  const b = before ?? EMPTY_SETTINGS;
  const a = after ?? EMPTY_SETTINGS;
  const accounts = diffItems(b.accounts, a.accounts);
  const organizationalUnits = diffItems(b.organizational_units, a.organizational_units);
  return {
    accounts,
    organizationalUnits,
    attributes: diffAttributes(b.attributes, a.attributes),
    blastRadius: { accounts: touched(accounts), organizationalUnits: touched(organizationalUnits) },
  };
}

/** True when the two settings are the same for SPA. */
export function isEmptyDiff(diff: SettingsDiff): boolean {
  return touched(diff.accounts) === 0 && touched(diff.organizationalUnits) === 0 && diff.attributes.length === 0;
}

export function isEmptyMappingDiff(diff: MappingDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function touched(items: ItemsDiff): number {
  return items.added.length + items.removed.length + items.changed.length;
}

function diffItems(before: Record<string, EffectiveItem> | undefined, after: Record<string, EffectiveItem> | undefined): ItemsDiff {
  const b = before ?? {};
  const a = after ?? {};
  const added: EffectiveItem[] = [];
  const removed: EffectiveItem[] = [];
  const changed: ItemChange[] = [];
  const identifiers = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort(compareStrings);
  for (const identifier of identifiers) {
    const old = Object.hasOwn(b, identifier) ? b[identifier] : undefined;
    const now = Object.hasOwn(a, identifier) ? a[identifier] : undefined;
    if (old === undefined && now !== undefined) added.push(now);
    else if (old !== undefined && now === undefined) removed.push(old);
    else if (old !== undefined && now !== undefined) {
      const change = diffItem(identifier, old, now);
      if (change !== undefined) changed.push(change);
    }
  }
  return { added, removed, changed };
}

function diffItem(identifier: string, before: EffectiveItem, after: EffectiveItem): ItemChange | undefined {
  const b = before as unknown as SettingsMapping;
  const a = after as unknown as SettingsMapping;
  const other = new MappingDiffBuilder();

  const tags = structured(b, a, 'account_tags', other, (x, y) => diffMappings(x, y));
  const preparation = structured(b, a, 'preparation', other, diffSection) ?? EMPTY_SECTION;
  const purge = structured(b, a, 'purge', other, diffSection) ?? EMPTY_SECTION;
  const note = valueChange(b, a, 'note');
  const unsetTags = valueChange(b, a, 'unset_tags');
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !KNOWN_ITEM_KEYS.has(k));
  other.compareKeys(b, a, keys);

  const change: ItemChange = {
    identifier,
    tags: tags ?? EMPTY_MAPPING_DIFF,
    preparation,
    purge,
    ...(note ? { note } : {}),
    ...(unsetTags ? { unsetTags } : {}),
    other: other.build(),
  };
  return isEmptyItemChange(change) ? undefined : change;
}

function isEmptyItemChange(change: ItemChange): boolean {
  const emptySection = (s: SectionDiff): boolean => s.feature === undefined && isEmptyMappingDiff(s.variables) && isEmptyMappingDiff(s.other);
  return (
    isEmptyMappingDiff(change.tags) &&
    emptySection(change.preparation) &&
    emptySection(change.purge) &&
    change.note === undefined &&
    change.unsetTags === undefined &&
    isEmptyMappingDiff(change.other)
  );
}

const EMPTY_MAPPING_DIFF: MappingDiff = { added: [], removed: [], changed: [] };
const EMPTY_SECTION: SectionDiff = { variables: EMPTY_MAPPING_DIFF, other: EMPTY_MAPPING_DIFF };

/**
 * Compares `key` of two items with `compare` when both sides are mappings (or absent); otherwise reports
 * the whole value in `other` and returns undefined.
 */
function structured<T>(
  before: SettingsMapping,
  after: SettingsMapping,
  key: string,
  other: MappingDiffBuilder,
  compare: (b: SettingsMapping, a: SettingsMapping) => T,
): T | undefined {
  const b = Object.hasOwn(before, key) ? before[key] : undefined;
  const a = Object.hasOwn(after, key) ? after[key] : undefined;
  const bOk = b === undefined || isMapping(b);
  const aOk = a === undefined || isMapping(a);
  if (bOk && aOk) return compare(isMapping(b) ? b : {}, isMapping(a) ? a : {});
  other.compareKeys(before, after, [key]);
  return undefined;
}

function diffSection(before: SettingsMapping, after: SettingsMapping): SectionDiff {
  const other = new MappingDiffBuilder();
  const feature = valueChange(before, after, 'feature');
  const variables = structured(before, after, 'variables', other, (x, y) => diffMappings(x, y)) ?? EMPTY_MAPPING_DIFF;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !KNOWN_SECTION_KEYS.has(k));
  other.compareKeys(before, after, keys);
  return { ...(feature ? { feature } : {}), variables, other: other.build() };
}

function valueChange(before: SettingsMapping, after: SettingsMapping, key: string): ValueChange | undefined {
  const b = Object.hasOwn(before, key) ? before[key] : undefined;
  const a = Object.hasOwn(after, key) ? after[key] : undefined;
  if (settingsValuesEqual(b, a)) return undefined;
  return { ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) };
}

/** Key-by-key comparison of two mappings (shallow: a nested value that differs is one change). */
export function diffMappings(before: SettingsMapping, after: SettingsMapping): MappingDiff {
  const builder = new MappingDiffBuilder();
  builder.compareKeys(before, after, [...new Set([...Object.keys(before), ...Object.keys(after)])]);
  return builder.build();
}

class MappingDiffBuilder {
  private readonly added: KeyedValue[] = [];
  private readonly removed: KeyedValue[] = [];
  private readonly changed: KeyedChange[] = [];

  compareKeys(before: SettingsMapping, after: SettingsMapping, keys: readonly string[]): void {
    for (const key of keys) {
      const inBefore = Object.hasOwn(before, key);
      const inAfter = Object.hasOwn(after, key);
      const b = before[key];
      const a = after[key];
      if (inAfter && a !== undefined && (!inBefore || b === undefined)) this.added.push({ key, value: a });
      else if (inBefore && b !== undefined && (!inAfter || a === undefined)) this.removed.push({ key, value: b });
      else if (a !== undefined && b !== undefined && !settingsValuesEqual(b, a)) this.changed.push({ key, before: b, after: a });
    }
  }

  build(): MappingDiff {
    const byKey = (x: { key: string }, y: { key: string }): number => compareStrings(x.key, y.key);
    return { added: this.added.sort(byKey), removed: this.removed.sort(byKey), changed: this.changed.sort(byKey) };
  }
}

function diffAttributes(before: Record<string, SettingsValue> | undefined, after: Record<string, SettingsValue> | undefined): AttributeChange[] {
  const changes: AttributeChange[] = [];
  walkAttributes(before ?? {}, after ?? {}, [], changes);
  return changes.sort((x, y) => comparePaths(x.path, y.path));
}

function walkAttributes(before: SettingsMapping, after: SettingsMapping, path: string[], out: AttributeChange[]): void {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const b = Object.hasOwn(before, key) ? before[key] : undefined;
    const a = Object.hasOwn(after, key) ? after[key] : undefined;
    const here = [...path, key];
    if (b === undefined && a === undefined) continue;
    if (b === undefined) out.push({ kind: 'added', path: here, after: a });
    else if (a === undefined) out.push({ kind: 'removed', path: here, before: b });
    else if (isMapping(b) && isMapping(a) && here.length < MAX_ATTRIBUTE_DEPTH) walkAttributes(b, a, here, out);
    else if (!settingsValuesEqual(b, a)) out.push({ kind: 'changed', path: here, before: b, after: a });
  }
}

function comparePaths(a: readonly string[], b: readonly string[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i += 1) {
    const c = compareStrings(a[i] ?? '', b[i] ?? '');
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
