/**
 * Replays SPA's settings loader (`Configuration.set_from_settings` and `set_from_account_settings` in
 * reply-fr/sustainable-personal-accounts, cdk/configuration.py) on the Python object model of python-values.ts: same
 * order, same in-place completion of items from `defaults` (so values shared through YAML aliases change together, as
 * in Python), same checks. Where SPA raises, a diagnostic says what SPA would do, at the offending key or value, and the
 * replay goes on as far as it sensibly can, so one run reports every problem.
 */
import { editDistance } from '../../support/edit-distance';
import { FILE_START, type Diagnostic, type Position } from './diagnostics';
import type { DictReaderResult } from './csv-dict-reader';
import {
  PyDict,
  isPyEntry,
  keyAt,
  type PyEntry,
  PyFloat,
  PyList,
  pyFloatRepr,
  pyIsDigit,
  pyKeyId,
  pyLen,
  pyRepr,
  pyStr,
  pyStrip,
  pyTruthy,
  pyTypeName,
  valueAt,
  type PyValue,
} from './python-values';
import { ALLOWED_ATTRIBUTES, ALLOWED_ITEM_ATTRIBUTES, hasKind, kindLabel, lookupKind, WORKER_KEYS, type SpaKind } from './spa-attributes';
import { CSV_CODES, SETTINGS_CODES, type CsvCode, type SettingsCode } from './settings-codes';
import { YamlBinary, YamlTimestamp } from './settings-value';

/** Where a top-level attribute was written. */
export interface AttributeSource {
  readonly keyAt: Position;
  readonly valueAt: Position;
  /** As written in the file: `automation.region` or `accounts`. */
  readonly writtenAs: string;
  /** The value's YAML source text when it is not a string. */
  readonly source?: string;
}

export interface AttributeValue extends AttributeSource {
  readonly value: PyValue;
}

/** SPA's `toggles` after loading: what the effective settings are computed from. */
export interface Toggles {
  defaults: PyValue;
  /** Where `defaults` was written (undefined when the file has none: SPA starts from `{}`). */
  defaultsSource: AttributeSource | undefined;
  accounts: PyDict;
  organizational_units: PyDict;
  /** Flattened attributes in the order SPA sets them (accounts and organizational_units excluded). */
  readonly attributes: Map<string, AttributeValue>;
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly file: string) {}

  report(code: SettingsCode | CsvCode, at: Position, message: string, hint?: string, file = this.file): void {
    const info = code in SETTINGS_CODES ? SETTINGS_CODES[code as SettingsCode] : CSV_CODES[code as CsvCode];
    const key = `${file}\0${code}\0${at.line}:${at.column}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const d: Diagnostic = { file, line: at.line, column: at.column, severity: info.severity, code, message };
    this.diagnostics.push(hint === undefined ? d : { ...d, hint });
  }

  /** Reports once per code and position, whatever the message (for values SPA copied into many items). */
  reportOnce(code: SettingsCode | CsvCode, at: Position, message: string, hint?: string, file = this.file): void {
    const key = `${file}\0${code}\0${at.line}:${at.column}\0*`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.report(code, at, message, hint, file);
  }
}

type ItemKind = 'account' | 'organizational unit';


/** Replays `Configuration.set_from_settings` on the top-level mapping. */
export function replaySettings(settings: PyDict, reporter: Reporter): Toggles {
  const toggles: Toggles = {
    defaults: new PyDict(FILE_START),
    defaultsSource: undefined,
    accounts: new PyDict(FILE_START),
    organizational_units: new PyDict(FILE_START),
    attributes: new Map(),
  };
  const replay = new SettingsReplay(toggles, reporter);
  const defaultsEntry = settings.getEntry('defaults');
  if (defaultsEntry) replay.setAttribute('defaults', defaultsEntry.value, sourceOf(defaultsEntry, 'defaults'));
  toggles.attributes.set('features_with_csv_files', { value: null, keyAt: FILE_START, valueAt: FILE_START, writtenAs: 'features.with_csv_files' });
  toggles.attributes.set('features_with_end_user_documents', { value: null, keyAt: FILE_START, valueAt: FILE_START, writtenAs: 'features.with_end_user_documents' });
  for (const entry of settings.entries) {
    if (entry.key === 'defaults') continue;
    if (entry.value instanceof PyDict) {
      for (const sub of entry.value.entries) {
        const name = `${pyStr(entry.key)}_${pyStr(sub.key)}`;
        replay.setAttribute(name, sub.value, sourceOf(sub, `${pyStr(entry.key)}.${pyStr(sub.key)}`));
      }
    } else if (typeof entry.key !== 'string') {
      const name = pyStr(entry.key);
      if (pyTruthy(entry.value)) replay.unknownAttribute(name, sourceOf(entry, name));
      else {
        reporter.report(
          'invalid-top-level-key',
          keyAt(entry),
          `the top-level key ${name} is read by YAML as ${article(pyTypeName(entry.key))} ${pyTypeName(entry.key)}, not a string; SPA would stop with "attribute name must be string"`,
          `quote the key ('${name}'), or remove it`,
        );
      }
    } else replay.setAttribute(entry.key, entry.value, sourceOf(entry, entry.key));
  }
  return toggles;
}

function sourceOf(entry: PyEntry, writtenAs: string): AttributeSource {
  return entry.source === undefined
    ? { keyAt: keyAt(entry), valueAt: valueAt(entry), writtenAs }
    : { keyAt: keyAt(entry), valueAt: valueAt(entry), writtenAs, source: entry.source };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** A short description of a Python value for messages: `the int 12`, `null`, `a list`. */
export function describeValue(value: PyValue, source?: string): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `the boolean ${source ?? (value ? 'true' : 'false')}`;
  if (typeof value === 'string') return `the string ${pyRepr(value)}`;
  if (value instanceof PyList) return value.items.length ? 'a list' : 'an empty list';
  if (value instanceof PyDict) return value.size ? 'a mapping' : 'an empty mapping';
  const type = pyTypeName(value);
  const shown = source ?? pyStr(value);
  return `${article(type)} ${type} (${shown})`;
}


/** The closest allowed name, written as in a settings file (`automation.region`), if one is close enough. */
function suggestion(name: string, table: Readonly<Record<string, SpaKind>>, written: boolean): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of Object.keys(table)) {
    const distance = editDistance(name.toLowerCase(), candidate, Number.POSITIVE_INFINITY);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  if (best === undefined || bestDistance > Math.max(2, Math.floor(name.length / 4))) return undefined;
  if (!written) return best;
  const section = ['automation', 'features', 'metering', 'reporting', 'worker'].find((s) => best?.startsWith(`${s}_`));
  return section ? `${section}.${best.slice(section.length + 1)}` : best;
}

interface ItemRecord {
  readonly item: PyDict;
  readonly at: Position;
  readonly identifier: string | undefined;
  readonly identifierAt: Position | undefined;
}

class SettingsReplay {
  private readonly fallbackDefaults = new PyDict(FILE_START);

  constructor(
    private readonly toggles: Toggles,
    private readonly reporter: Reporter,
  ) {}

  unknownAttribute(name: string, where: AttributeSource): void {
    const close = suggestion(name, ALLOWED_ATTRIBUTES, true);
    this.reporter.report(
      'unknown-attribute',
      where.keyAt,
      `${where.writtenAs === name ? `'${name}'` : `'${where.writtenAs}' (SPA reads it as '${name}')`} is not a setting SPA knows; SPA would stop with "Unknown configuration attribute '${name}'"`,
      close ? `did you mean ${close}?` : 'check the spelling against the settings reference of SPA, or remove the key',
    );
  }

  /** `Configuration.set_attribute`: validate, process accounts and units, store. */
  setAttribute(name: string, value: PyValue, where: AttributeSource): void {
    const kind = lookupKind(ALLOWED_ATTRIBUTES, name);
    if (pyTruthy(value)) {
      if (kind === undefined) {
        this.unknownAttribute(name, where);
        return;
      }
      if (!hasKind(value, kind)) {
        this.reporter.report(
          'invalid-type',
          where.valueAt,
          `${where.writtenAs} must be ${kindLabel(kind)}, but YAML reads ${describeValue(value, where.source)} here; SPA would stop with "Invalid type '${pyTypeName(value)}' for configuration attribute '${name}'"`,
          typeHint(kind, value, where.source),
        );
        return;
      }
    } else if (kind === undefined) {
      const close = suggestion(name, ALLOWED_ATTRIBUTES, true);
      this.reporter.report(
        'unknown-attribute-ignored',
        where.keyAt,
        `'${where.writtenAs}' is not a setting SPA knows; SPA ignores it only because its value is empty (it would stop as soon as a value is set)`,
        close ? `did you mean ${close}?` : 'remove the key',
      );
    }
    if (name === 'defaults') {
      this.toggles.defaults = value;
      this.toggles.defaultsSource = where;
      return;
    }
    if (name === 'accounts' || name === 'organizational_units') {
      const transformed = this.processItems(name === 'accounts' ? 'account' : 'organizational unit', value, where);
      if (transformed) this.toggles[name] = transformed;
      return;
    }
    this.toggles.attributes.set(name, { ...where, value });
  }

  private processItems(kind: ItemKind, value: PyValue, where: AttributeSource): PyDict | undefined {
    let items: PyValue[] = [];
    let itemsAt: Position[] = [];
    let listAliased = false;
    if (value instanceof PyList) {
      items = value.items;
      itemsAt = value.itemsAt;
      listAliased = value.aliased;
    } else if (!(value === '' || (value instanceof PyDict && value.size === 0) || value instanceof YamlBinary)) {
      this.reporter.report(
        'items-not-iterable',
        where.valueAt,
        `${where.writtenAs} is ${describeValue(value, where.source)}; SPA loops over it and would stop with "'${pyTypeName(value)}' object is not iterable"`,
        `write a list, or \`${where.writtenAs}: []\` for none, or remove the key`,
      );
      return undefined;
    }
    const records: ItemRecord[] = [];
    items.forEach((item, index) => {
      const at = itemsAt[index] ?? where.valueAt;
      if (!this.completeFromDefaults(kind, item, at)) return;
      if (!(item instanceof PyDict)) return;
      records.push(kind === 'account' ? this.validateAccount(item, at) : this.validateUnit(item, at));
    });
    const transformed = new PyDict(where.valueAt);
    for (const record of records) {
      if (record.identifier === undefined || record.identifierAt === undefined) continue;
      const previous = transformed.getEntry(pyKeyId(record.identifier));
      if (previous) {
        this.reporter.report(
          'duplicate-identifier',
          record.identifierAt,
          `the ${kind} ${record.identifier} is listed twice (first at line ${keyAt(previous).line}); SPA would stop with "Duplicate identifier'${record.identifier}' in settings"`,
          `merge the two entries of ${record.identifier} into one`,
        );
        continue;
      }
      // SPA stores `item.copy()`. The copy can be told from the item only where the item is reachable otherwise: when
      // YAML reaches the item or its list more than once (an alias; the top-level mapping itself cannot be aliased).
      // Else the item itself is stored: 10,000 dicts fewer to allocate.
      const shared = listAliased || record.item.aliased;
      transformed.set(record.identifier, shared ? record.item.copy() : record.item, record.identifierAt, record.at);
    }
    return transformed;
  }

  private itemName(kind: ItemKind, item: PyDict, at: Position): string {
    const identifier = item.get('identifier');
    return typeof identifier === 'string' && identifier !== '' ? `${kind} ${identifier}` : `the ${kind} at line ${at.line}`;
  }

  /** Where SPA-created defaults sections point: the `defaults` key when written, else the item being completed. */
  private defaultsAt(itemAt: Position): Position {
    return this.toggles.defaultsSource?.valueAt ?? itemAt;
  }

  /** `set_configuration_item_default_attributes`. Returns false when SPA would stop before validating the item. */
  private completeFromDefaults(kind: ItemKind, item: PyValue, itemAt: Position): boolean {
    let defaults = this.toggles.defaults;
    const source = this.toggles.defaultsSource;
    if (!(defaults instanceof PyDict)) {
      this.reporter.reportOnce(
        'defaults-not-a-mapping',
        source?.valueAt ?? FILE_START,
        `defaults is ${describeValue(defaults, source?.source)}; SPA completes each account and organizational unit from it and would stop at the first one (the ${kind} at line ${itemAt.line}) with "'${pyTypeName(defaults)}' object has no attribute 'keys'"`,
        'write defaults as a mapping (for example with account_tags, preparation and purge), or remove the key',
      );
      defaults = this.fallbackDefaults;
    }
    if (!(item instanceof PyDict)) {
      this.reporter.report(
        'item-not-a-mapping',
        itemAt,
        `each ${kind} must be a mapping (identifier, note, account_tags, ...), but YAML reads ${describeValue(item)} here; SPA would stop with "'${pyTypeName(item)}' object has no attribute 'keys'"`,
        kind === 'account' ? "write the account as a mapping: - identifier: '123456789012'" : "write the unit as a mapping: - identifier: 'ou-abcd-12345678'",
      );
      return false;
    }
    const name = this.itemName(kind, item, itemAt);
    const defaultsAt = this.defaultsAt(itemAt);
    for (const attribute of ['account_tags', 'preparation', 'purge']) {
      if (!defaults.has(attribute)) defaults.set(attribute, new PyDict(defaultsAt), defaultsAt, defaultsAt, 'spa');
      if (!item.has(attribute)) item.set(attribute, new PyDict(itemAt), itemAt, itemAt, 'spa');
    }
    for (const entry of [...defaults.entries]) {
      if (!item.has(idOf(entry))) item.setCopy(entry, 'defaults');
    }
    const defaultTags = defaults.getEntry('account_tags');
    const itemTags = item.getEntry('account_tags');
    const tagsOk = this.checkDefaultsSection(defaultTags, 'defaults.account_tags', name, itemAt) & this.checkItemSection(itemTags, 'account_tags', name);
    if (tagsOk && defaultTags?.value instanceof PyDict && itemTags?.value instanceof PyDict) {
      const target = itemTags.value;
      for (const entry of defaultTags.value.entries) {
        if (!target.has(idOf(entry))) target.setCopy(entry, 'defaults.account_tags');
      }
    }
    for (const attribute of ['preparation', 'purge']) this.completeWorker(attribute, item.getEntry(attribute), defaults.getEntry(attribute), name, itemAt);
    return true;
  }

  /** `set_configuration_item_worker_attributes` for preparation or purge. */
  private completeWorker(attribute: string, itemEntry: PyEntry | undefined, defaultsEntry: PyEntry | undefined, name: string, itemAt: Position): void {
    let defaults = defaultsEntry?.value;
    if (!this.checkDefaultsSection(defaultsEntry, `defaults.${attribute}`, name, itemAt) || !(defaults instanceof PyDict)) defaults = new PyDict(itemAt);
    const defaultsAt = defaults.at;
    if (!defaults.has('feature')) defaults.set('feature', 'disabled', defaultsAt, defaultsAt, 'spa');
    if (!defaults.has('variables')) defaults.set('variables', new PyDict(defaultsAt), defaultsAt, defaultsAt, 'spa');
    if (!this.checkItemSection(itemEntry, attribute, name) || !(itemEntry?.value instanceof PyDict)) return;
    const worker = itemEntry.value;
    const feature = defaults.getEntry('feature');
    if (!worker.has('feature') && feature) worker.setCopy(feature, `defaults.${attribute}`);
    if (!worker.has('variables')) worker.set('variables', new PyDict(worker.at), worker.at, worker.at, 'spa');
    const defaultVariables = defaults.getEntry('variables');
    const variables = worker.getEntry('variables');
    const ok = this.checkDefaultsSection(defaultVariables, `defaults.${attribute}.variables`, name, itemAt) & this.checkItemSection(variables, `${attribute}.variables`, name);
    if (ok && defaultVariables?.value instanceof PyDict && variables?.value instanceof PyDict) {
      const target = variables.value;
      for (const entry of defaultVariables.value.entries) {
        if (!target.has(idOf(entry))) target.setCopy(entry, `defaults.${attribute}.variables`);
      }
    }
  }

  /** 1 when the defaults section is a mapping; else an error (once) and 0. */
  private checkDefaultsSection(entry: PyEntry | undefined, path: string, name: string, itemAt: Position): 0 | 1 {
    if (entry === undefined || entry.value instanceof PyDict) return 1;
    this.reporter.reportOnce(
      'defaults-section-not-a-mapping',
      valueAt(entry),
      `${path} must be a mapping, but YAML reads ${describeValue(entry.value, entry.source)} here; SPA would stop while completing ${name} (line ${itemAt.line}) from defaults`,
      entry.value === null ? `write ${path}: {} or remove the key` : `write ${path} as a mapping of names to values`,
    );
    return 0;
  }

  /** 1 when the item's section is a mapping; else an error and 0. */
  private checkItemSection(entry: PyEntry | undefined, path: string, name: string): 0 | 1 {
    if (entry === undefined || entry.value instanceof PyDict) return 1;
    const copied = entry.copiedFrom !== undefined && entry.copiedFrom !== 'spa';
    const report = copied ? this.reporter.reportOnce.bind(this.reporter) : this.reporter.report.bind(this.reporter);
    report(
      'section-not-a-mapping',
      valueAt(entry),
      `${path} of ${name} must be a mapping, but YAML reads ${describeValue(entry.value, entry.source)} here${copied ? ` (copied from ${entry.copiedFrom})` : ''}; SPA would stop while completing it from defaults`,
      entry.value === null ? `write ${path.split('.').pop() ?? path}: {} or remove the key` : 'write it as a mapping of names to values',
    );
    return 0;
  }

  private identifierOf(kind: ItemKind, item: PyDict, at: Position): { identifier: string | undefined; identifierAt: Position | undefined } {
    const entry = item.getEntry('identifier');
    if (entry === undefined) {
      this.reporter.report(
        'identifier-missing',
        at,
        `this ${kind} has no identifier; SPA would stop with "Missing ${kind === 'account' ? 'account' : 'organizational unit'} 'identifier'"`,
        kind === 'account' ? "add identifier: '123456789012' (the 12-digit account id, quoted)" : "add identifier: 'ou-abcd-12345678'",
      );
      return { identifier: undefined, identifierAt: undefined };
    }
    const value = entry.value;
    if (typeof value !== 'string') {
      const method = kind === 'account' ? 'isdigit' : 'startswith';
      const digits = entry.source ?? (typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined);
      this.reporter.report(
        'identifier-not-a-string',
        valueAt(entry),
        `YAML reads this identifier as ${describeValue(value, entry.source)}, not a string; SPA would stop with "'${pyTypeName(value)}' object has no attribute '${method}'"`,
        digits !== undefined && kind === 'account' ? `quote the identifier: '${digits.padStart(12, '0')}'` : digits !== undefined ? `quote the identifier: '${digits}'` : 'write the identifier as a quoted string',
      );
      return { identifier: undefined, identifierAt: undefined };
    }
    return { identifier: value, identifierAt: valueAt(entry) };
  }

  /** `validate_account`. */
  private validateAccount(item: PyDict, at: Position): ItemRecord {
    const { identifier, identifierAt } = this.identifierOf('account', item, at);
    if (identifier !== undefined && identifierAt !== undefined) {
      if (!pyIsDigit(identifier) || pyLen(identifier) !== 12) {
        this.reporter.report(
          'account-identifier-invalid',
          identifierAt,
          `${pyRepr(identifier)} is not a 12-digit AWS account id; SPA would stop with "The identifier '${identifier}' is not valid for an AWS account"`,
          /^[0-9]{1,11}$/.test(identifier) ? `an account id has exactly 12 digits: did you drop leading zeros ('${identifier.padStart(12, '0')}')?` : 'an AWS account id is exactly 12 digits, quoted',
        );
      } else if (!/^[0-9]{12}$/.test(identifier)) {
        this.reporter.report(
          'account-identifier-unusual-digits',
          identifierAt,
          `${pyRepr(identifier)} is made of digits SPA accepts (Python's isdigit) but AWS account ids use 0-9 only`,
          'type the account id with the digits 0 to 9',
        );
      }
    }
    this.validateItem('account', item, at);
    return { item, at, identifier, identifierAt };
  }

  /** `validate_organizational_unit`. */
  private validateUnit(item: PyDict, at: Position): ItemRecord {
    const { identifier, identifierAt } = this.identifierOf('organizational unit', item, at);
    if (identifier !== undefined && identifierAt !== undefined) {
      if (!identifier.startsWith('ou-')) {
        this.reporter.report(
          'ou-identifier-invalid',
          identifierAt,
          `${pyRepr(identifier)} does not start with 'ou-'; SPA would stop with "The identifier '${identifier}' is not valid for an AWS Organizational Unit"`,
          'use the id of the organizational unit as shown in AWS Organizations (ou-xxxx-xxxxxxxx)',
        );
      } else if (!/^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$/.test(identifier)) {
        this.reporter.report(
          'ou-identifier-unusual',
          identifierAt,
          `${pyRepr(identifier)} starts with 'ou-' as SPA requires, but does not look like an AWS organizational unit id (ou-xxxx-xxxxxxxx)`,
          'copy the id from AWS Organizations',
        );
      }
    }
    this.validateItem('organizational unit', item, at);
    return { item, at, identifier, identifierAt };
  }

  /** `validate_configuration_item`: keys after completion, then preparation and purge keys. */
  private validateItem(kind: ItemKind, item: PyDict, at: Position): void {
    const name = this.itemName(kind, item, at);
    for (const entry of item.entries) {
      const key = pyStr(entry.key);
      const attributeKind = typeof entry.key === 'string' ? lookupKind(ALLOWED_ITEM_ATTRIBUTES, entry.key) : undefined;
      const copied = entry.copiedFrom === 'defaults';
      const where = copied ? `defaults.${key}` : key;
      if (pyTruthy(entry.value)) {
        if (attributeKind === undefined) {
          const close = suggestion(key, ALLOWED_ITEM_ATTRIBUTES, false);
          const message = copied
            ? `'${key}' in defaults is not a key SPA accepts for an account or unit; SPA copies it into ${name} and would stop with "Unknown configuration attribute '${key}'"`
            : `'${key}' is not a key SPA accepts for ${name}; SPA would stop with "Unknown configuration attribute '${key}'"`;
          const hint = close ? `did you mean ${close}?` : 'accounts and units accept identifier, note, account_tags, preparation, purge and unset_tags';
          if (copied) this.reporter.reportOnce('unknown-item-attribute', keyAt(entry), message, hint);
          else this.reporter.report('unknown-item-attribute', keyAt(entry), message, hint);
        } else if (!hasKind(entry.value, attributeKind) && entry.key !== 'identifier') {
          const message = `${where} must be ${kindLabel(attributeKind)}, but YAML reads ${describeValue(entry.value, entry.source)} here${copied ? ` (SPA copies it into ${name})` : ''}; SPA would stop with "Invalid type '${pyTypeName(entry.value)}' for configuration attribute '${key}'"`;
          const hint = typeHint(attributeKind, entry.value, entry.source);
          if (copied) this.reporter.reportOnce('invalid-item-type', valueAt(entry), message, hint);
          else this.reporter.report('invalid-item-type', valueAt(entry), message, hint);
        }
      } else if (attributeKind === undefined) {
        this.reporter.reportOnce(
          'unknown-attribute-ignored',
          keyAt(entry),
          `'${where}' is not a key SPA accepts for an account or unit; SPA ignores it only because its value is empty (it would stop as soon as a value is set)`,
          'remove the key',
        );
      }
    }
    for (const worker of ['preparation', 'purge']) {
      const section = item.get(worker);
      if (!(section instanceof PyDict)) continue;
      for (const entry of section.entries) {
        if (typeof entry.key === 'string' && WORKER_KEYS.includes(entry.key)) continue;
        const label = pyStr(entry.key);
        const identifier = item.get('identifier');
        const message = `${worker} may hold only feature and variables, but has '${label}'; SPA would stop with "Unexpected ${worker} parameter '${label}' for ${typeof identifier === 'string' ? identifier : pyStr(identifier ?? null)}"`;
        const hint = `move ${label} under ${worker}.variables if it is a variable for the buildspec`;
        if (entry.copiedFrom) this.reporter.reportOnce('unexpected-worker-parameter', keyAt(entry), message, hint);
        else this.reporter.report('unexpected-worker-parameter', keyAt(entry), message, hint);
      }
    }
  }
}

function idOf(entry: PyEntry): string {
  return pyKeyId(entry.key);
}

function typeHint(kind: SpaKind, value: PyValue, source?: string): string {
  if (kind === 'str' && !(value instanceof PyList) && !(value instanceof PyDict)) return `quote the value: '${source ?? pyStr(value)}'`;
  if (kind === 'int' && typeof value === 'string' && /^[0-9]+$/.test(value)) return `remove the quotes: ${value}`;
  if (kind === 'int' && value instanceof PyFloat) return `write a whole number: ${Math.trunc(value.value)}`;
  if (kind === 'bool') return 'write true or false (unquoted)';
  if (kind === 'list') return `write a list, for example on separate lines starting with '- ', or [a, b]`;
  if (kind === 'dict') return 'write a mapping of names to values on indented lines';
  return `write ${kindLabel(kind)}`;
}

// ---- CSV account lists -----------------------------------------------------------------------------------------

const CSV_LABELS = ['Account', 'Note', 'Tag', 'Preparation', 'Purge'] as const;
type CsvLabel = (typeof CSV_LABELS)[number];

interface ParsedHeader {
  readonly label: string;
  /** `parts[1].strip()`, or null without a colon. */
  readonly key: string | null;
}

/** SPA's `key.split(':', 1)` then strip of each part. */
export function parseCsvHeader(name: string): ParsedHeader {
  const colon = name.indexOf(':');
  if (colon < 0) return { label: pyStrip(name), key: null };
  return { label: pyStrip(name.slice(0, colon)), key: pyStrip(name.slice(colon + 1)) };
}

function isLabel(label: string): label is CsvLabel {
  return (CSV_LABELS as readonly string[]).includes(label);
}

/** What json.dumps cannot serialize, and where. */
class JsonCopyFailure {
  constructor(
    readonly at: Position,
    readonly what: string,
  ) {}
}

/** Python `json.loads(json.dumps(value))`, or the entry that json.dumps cannot serialize. */
function jsonCopy(value: PyValue, at: Position): { ok: true; value: PyValue } | { ok: false; at: Position; what: string } {
  const copy = jsonCopyOf(value, at);
  return copy instanceof JsonCopyFailure ? { ok: false, at: copy.at, what: copy.what } : { ok: true, value: copy };
}

/** jsonCopy's work; `where` is the value's position, or the entry holding it (its position is made only on failure). */
function jsonCopyOf(value: PyValue, where: Position | PyEntry): PyValue | JsonCopyFailure {
  if (value instanceof YamlTimestamp) return new JsonCopyFailure(positionOf(where), `a ${value.hasTime ? 'datetime' : 'date'} (${pyStr(value)})`);
  if (value instanceof YamlBinary) return new JsonCopyFailure(positionOf(where), 'binary data');
  if (value instanceof PyList) {
    const items: PyValue[] = [];
    for (let i = 0; i < value.items.length; i += 1) {
      const copy = jsonCopyOf(value.items[i] ?? null, value.itemsAt[i] ?? value.at);
      if (copy instanceof JsonCopyFailure) return copy;
      items.push(copy);
    }
    return new PyList(items, [...value.itemsAt], value.at);
  }
  if (value instanceof PyDict) {
    const dict = new PyDict(value.at);
    for (const entry of value.entries) {
      const key = entry.key;
      let jsonKey: string;
      if (typeof key === 'string') jsonKey = key;
      else if (key === null) jsonKey = 'null';
      else if (typeof key === 'boolean') jsonKey = key ? 'true' : 'false';
      else if (typeof key === 'number' || typeof key === 'bigint') jsonKey = String(key);
      else if (key instanceof PyFloat) jsonKey = Number.isNaN(key.value) ? 'NaN' : key.value === Infinity ? 'Infinity' : key.value === -Infinity ? '-Infinity' : pyFloatRepr(key.value);
      else return new JsonCopyFailure(keyAt(entry), `a key that is ${describeValue(key)}`);
      const copy = jsonCopyOf(entry.value, entry);
      if (copy instanceof JsonCopyFailure) return copy;
      dict.setAtEntry(jsonKey, copy, entry, entry.copiedFrom ?? 'defaults', entry.source);
    }
    return dict;
  }
  return value;
}

function positionOf(where: Position | PyEntry): Position {
  return isPyEntry(where) ? valueAt(where) : where;
}

/**
 * Replays `set_from_csv_file` for one parsed CSV file: each row through `set_from_account_settings`, updating
 * `toggles.accounts` in place. `csvFile` is the CSV's repository path (diagnostics about cells point there).
 */
export function replayCsvFile(toggles: Toggles, csv: DictReaderResult, csvFile: string, reporter: Reporter): void {
  const header = csv.header ?? [];
  const parsedHeaders = new Map<string, ParsedHeader>();
  const badHeaders = new Set<string>();
  if (csv.rows.length > 0 && csv.header !== undefined && csv.header.length === 0) {
    const first = csv.rows[0];
    reporter.report(
      'csv-header-blank',
      { line: 1, column: 1 },
      `the first line is blank, so Python's DictReader takes it as an empty header and every row has cells without a column name; SPA would stop on the row at line ${first?.record.line ?? 2}`,
      'put the header line (Account, Note, Tag: ..., Preparation: ..., Purge: ...) on the first line',
      csvFile,
    );
    return;
  }
  const seenNames = new Map<string, { line: number; column: number }>();
  for (const cell of header) {
    const parsed = parseCsvHeader(cell.text);
    parsedHeaders.set(cell.text, parsed);
    const labelKey = `${parsed.label}\0${parsed.key ?? ''}`;
    const previous = seenNames.get(labelKey);
    if (previous && isLabel(parsed.label)) {
      reporter.report(
        'csv-duplicate-column',
        cell,
        `the column ${JSON.stringify(cell.text)} repeats the column at column ${previous.column}; SPA keeps the value of the last one`,
        'remove one of the two columns',
        csvFile,
      );
    } else seenNames.set(labelKey, cell);
    if (!isLabel(parsed.label)) {
      badHeaders.add(cell.text);
      if (csv.rows.length === 0) continue;
      const bom = cell.text.startsWith('\uFEFF');
      const caseMatch = CSV_LABELS.find((l) => l.toLowerCase() === parsed.label.toLowerCase());
      reporter.report(
        'csv-header-unknown-label',
        cell,
        `the header ${JSON.stringify(cell.text)} has the label ${JSON.stringify(parsed.label)}; SPA accepts only Account, Note, Tag: <key>, Preparation: <key> and Purge: <key>, and would stop with KeyError on the first row`,
        bom
          ? 'the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM'
          : caseMatch
            ? `labels are case-sensitive: write ${caseMatch}${parsed.key !== null ? `: ${parsed.key}` : ''}`
            : 'rename the column to one of the accepted labels',
        csvFile,
      );
    } else if ((parsed.label === 'Tag' || parsed.label === 'Preparation' || parsed.label === 'Purge') && !parsed.key) {
      reporter.report(
        'csv-header-without-key',
        cell,
        `the header ${JSON.stringify(cell.text)} has no key after '${parsed.label}:'; SPA accepts it and sets a ${parsed.label === 'Tag' ? 'tag' : 'variable'} named ${parsed.key === null ? 'None' : "''"} on every account of the file`,
        `name the ${parsed.label === 'Tag' ? 'tag' : 'variable'}: ${parsed.label}: <key>`,
        csvFile,
      );
    }
  }
  let newAccountProblemReported = false;
  // SPA collects each row's tags and variables in three dicts, then updates the account's with them
  const tags = new PendingSets();
  const preparation = new PendingSets();
  const purge = new PendingSets();
  for (const row of csv.rows) {
    let ok = true;
    let account: { value: string; at: Position } | undefined;
    let note: { value: string; at: Position } | undefined;
    tags.clear();
    preparation.clear();
    purge.clear();
    let shortReported = false;
    for (const field of row.fields) {
      if (field.name === null) {
        reporter.report(
          'csv-row-too-long',
          field.cell ?? row.record,
          `this row has ${header.length + (Array.isArray(field.value) ? field.value.length : 0)} cells but the header has ${header.length}; SPA would stop on it (Python's DictReader files the extra cells under the key None)`,
          'remove the extra cells, or quote a value that contains a comma',
          csvFile,
        );
        ok = false;
        continue;
      }
      if (badHeaders.has(field.name)) {
        ok = false;
        continue;
      }
      if (field.value === null || typeof field.value !== 'string') {
        if (!shortReported) {
          reporter.report(
            'csv-row-too-short',
            { line: row.record.endLine, column: row.record.endColumn },
            `this row has fewer cells than the header (no value for ${JSON.stringify(field.name)}); SPA would stop on it ('NoneType' object has no attribute 'strip')`,
            'add the missing cells, empty if need be (a trailing comma per missing cell)',
            csvFile,
          );
          shortReported = true;
        }
        ok = false;
        continue;
      }
      const parsed = parsedHeaders.get(field.name) ?? parseCsvHeader(field.name);
      const value = pyStrip(field.value);
      const at = field.cell ?? row.record;
      switch (parsed.label) {
        case 'Account':
          account = { value, at };
          break;
        case 'Note':
          note = { value, at };
          break;
        case 'Tag':
          tags.add(parsed.key, value, field.header ?? at, at);
          break;
        case 'Preparation':
          preparation.add(parsed.key, value, field.header ?? at, at);
          break;
        case 'Purge':
          purge.add(parsed.key, value, field.header ?? at, at);
          break;
        default:
          ok = false;
      }
    }
    if (!ok) continue;
    if (!account || account.value === '') {
      reporter.report(
        'csv-account-missing',
        account?.at ?? row.record,
        `this row has no account id in the Account column; SPA would stop with "Missing value in column 'Account'"`,
        'fill the Account cell with the 12-digit account id, or remove the row',
        csvFile,
      );
      continue;
    }
    if (!/^[0-9]{12}$/.test(account.value)) {
      reporter.report(
        'csv-account-identifier-invalid',
        account.at,
        `${JSON.stringify(account.value)} is not a 12-digit account id; SPA does not check CSV accounts and would manage an account with this identifier`,
        /^[0-9]{1,11}$/.test(account.value) ? `a spreadsheet may have dropped leading zeros: ${account.value.padStart(12, '0')}?` : 'write the 12-digit AWS account id',
        csvFile,
      );
    }
    const existing = toggles.accounts.get(pyKeyId(account.value));
    let configuration: PyDict;
    const isNew = !(existing instanceof PyDict && pyTruthy(existing));
    if (existing instanceof PyDict && !isNew) configuration = existing;
    else {
      const created = copyDefaultsForCsv(toggles, account, row.record.line, csvFile, reporter, newAccountProblemReported);
      if (!created) {
        newAccountProblemReported = true;
        continue;
      }
      configuration = created;
    }
    configuration.set('identifier', account.value, account.at, account.at);
    if (note && note.value !== '') configuration.set('note', note.value, note.at, note.at);
    const problems: string[] = [];
    const tagsTarget = configuration.get('account_tags');
    const preparationTarget = configuration.get('preparation');
    const purgeTarget = configuration.get('purge');
    const preparationVariables = preparationTarget instanceof PyDict ? preparationTarget.get('variables') : undefined;
    const purgeVariables = purgeTarget instanceof PyDict ? purgeTarget.get('variables') : undefined;
    if (!(tagsTarget instanceof PyDict)) problems.push('account_tags');
    if (!(preparationVariables instanceof PyDict)) problems.push('preparation.variables');
    if (!(purgeVariables instanceof PyDict)) problems.push('purge.variables');
    if (problems.length) {
      if (isNew && !newAccountProblemReported) {
        reporter.report(
          'csv-defaults-incomplete',
          account.at,
          `SPA creates account ${account.value} (not in the YAML settings) as a copy of defaults, but defaults has no mapping ${problems.join(', ')}; SPA would stop on this row`,
          `add ${problems.map((p) => `defaults.${p}: {}`).join(', ')} to the settings, or list the account in the YAML settings`,
          csvFile,
        );
        newAccountProblemReported = true;
      }
      continue;
    }
    tags.applyTo(tagsTarget as PyDict);
    preparation.applyTo(preparationVariables as PyDict);
    purge.applyTo(purgeVariables as PyDict);
    toggles.accounts.set(account.value, configuration, account.at, account.at);
  }
}

/**
 * The `tags[key] = value` of one CSV row, kept to be applied with `target.update(tags)` once the row is known to be
 * good. Setting them one by one on the target gives what updating it with the row's dict gives (an equal key keeps
 * its first place and takes the last value and positions), without a dict per row: the arrays serve every row.
 */
class PendingSets {
  private readonly keys: (string | null)[] = [];
  private readonly values: string[] = [];
  private readonly keysAt: Position[] = [];
  private readonly valuesAt: Position[] = [];

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.keysAt.length = 0;
    this.valuesAt.length = 0;
  }

  add(key: string | null, value: string, keyAt: Position, valueAt: Position): void {
    this.keys.push(key);
    this.values.push(value);
    this.keysAt.push(keyAt);
    this.valuesAt.push(valueAt);
  }

  applyTo(target: PyDict): void {
    for (let i = 0; i < this.keys.length; i += 1) {
      target.set(this.keys[i] ?? null, this.values[i] ?? '', this.keysAt[i] ?? FILE_START, this.valuesAt[i] ?? FILE_START);
    }
  }
}

/** `json.loads(json.dumps(toggles.defaults))` for an account first seen in a CSV file. */
function copyDefaultsForCsv(
  toggles: Toggles,
  account: { value: string; at: Position },
  rowLine: number,
  csvFile: string,
  reporter: Reporter,
  alreadyReported: boolean,
): PyDict | undefined {
  const defaults = toggles.defaults;
  const copy = jsonCopy(defaults, toggles.defaultsSource?.valueAt ?? FILE_START);
  if (!copy.ok) {
    if (!alreadyReported) {
      reporter.report(
        'csv-defaults-not-copyable',
        copy.at,
        `defaults holds ${copy.what}; SPA copies defaults with json.dumps to create account ${account.value} from ${csvFile} (line ${rowLine}) and would stop with "not JSON serializable"`,
        'quote the value in defaults so that it is a string',
      );
    }
    return undefined;
  }
  if (!(copy.value instanceof PyDict)) {
    if (!alreadyReported) {
      reporter.report(
        'csv-defaults-incomplete',
        account.at,
        `SPA creates account ${account.value} (not in the YAML settings) as a copy of defaults, but defaults is ${describeValue(defaults)}; SPA would stop on this row`,
        'write defaults as a mapping with account_tags, preparation.variables and purge.variables',
        csvFile,
      );
    }
    return undefined;
  }
  return copy.value;
}
