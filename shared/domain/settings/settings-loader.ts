/**
 * Checks one SPA settings file exactly as SPA's own loader reads it (PyYAML `safe_load`, then
 * `Configuration.set_from_settings` and the CSV lists of `features.with_csv_files`), and computes SPA's effective
 * settings. Every problem is a Diagnostic with the file, line and column of the offending key, value or CSV cell.
 * Reads files only through the SettingsSource port; never throws on content.
 */
import type { SettingsSource } from '../../ports/settings-source';
import { dictReader } from './csv-dict-reader';
import { hasErrors, sortDiagnostics, type Diagnostic, type Position } from './diagnostics';
import { lazyEffectiveSettings, type EffectiveItem, type EffectiveSettings } from './effective-settings';
import { LIMITS } from './limits';
import { newWalk, PyDict, PyList, pyToSettingsValue, setOwn, pyStr, pyRepr, valueAt, type PyValue } from './python-values';
import { indexEntries, normalizeRepoPath, repoDirname, resolveReferencedPath, symlinkOnPath } from './referenced-path';
import type { SettingsMapping, SettingsValue } from './settings-value';
import { replayCsvFile, replaySettings, Reporter, describeValue, type Toggles } from './spa-replay';
import { readTextFile } from './text-decoding';
import { checkAttributeValues, checkFeatures, checkJsonSerializable } from './value-checks';
import { loadPython, loadYaml, scalarPyType, toPython } from './yaml-loader';
import type { YamlNode } from './yaml-node';
import type { EntryKind } from '../../ports/settings-source';

export type ReferencedFileKind = 'csv' | 'preparation-buildspec' | 'purge-buildspec' | 'document' | 'markdown-template';

export interface ReferencedFile {
  /** Repository-relative, normalized. */
  readonly path: string;
  /**
   * What the settings use it for. `markdown-template` is never produced: SPA reads reporting.costs_markdown_template
   * as the markdown text itself, not as a file (a warning says so when the value looks like a path).
   */
  readonly kind: ReferencedFileKind;
  /** Where the settings file names it. */
  readonly line: number;
  readonly column: number;
  readonly exists: boolean;
}

export interface SettingsCheckResult {
  readonly diagnostics: Diagnostic[];
  /** SPA's effective settings, only when there is no error. */
  readonly effective?: EffectiveSettings;
  readonly referencedFiles: ReferencedFile[];
}

export interface SettingsCheckInput {
  readonly source: SettingsSource;
  /** Repository-relative path of the settings file (`environments/prod/settings.yaml`). */
  readonly settingsFile: string;
  /** Repository-relative folder of the environment, copied over SPA's code base at deployment. */
  readonly environmentFolder: string;
  /**
   * False: do not list the folder to check that referenced templates and documents exist (their warnings are not
   * reported). For the effective settings of a side that is only compared (a plan's base), not reviewed.
   */
  readonly referencedFileChecks?: boolean;
}

export async function checkSettings(input: SettingsCheckInput): Promise<SettingsCheckResult> {
  const settingsFile = normalizeRepoPath(input.settingsFile);
  const environmentFolder = normalizeRepoPath(input.environmentFolder);
  const referencedFiles: ReferencedFile[] = [];
  // The folder listing (for referenced files) does not depend on the settings: ask for it while the file is read.
  const listing =
    input.referencedFileChecks === false
      ? Promise.resolve(undefined)
      : input.source.list(environmentFolder).then(
          (entries) => entries,
          () => undefined,
        );
  const read = await readTextFile(input.source, settingsFile);
  if (!read.ok) return { diagnostics: [read.diagnostic], referencedFiles };
  const reporter = new Reporter(settingsFile);
  const diagnostics = reporter.diagnostics;
  const loaded = loadSettings(settingsFile, read.text, reporter);
  if (loaded === undefined) return finish(diagnostics, undefined, referencedFiles);
  const toggles = replaySettings(loaded.settings, reporter);

  const entries = await listing;
  const index: Map<string, EntryKind> | undefined = entries === undefined ? undefined : indexEntries(entries);

  await replayCsvFiles(input.source, toggles, settingsFile, environmentFolder, index, reporter, referencedFiles);
  checkTemplates(toggles, environmentFolder, index, reporter, referencedFiles);
  checkDocuments(toggles, environmentFolder, index, reporter, referencedFiles);
  checkAttributeValues(toggles, reporter);
  checkFeatures(toggles, reporter);
  // CSV cells are strings: only a date or binary value read from the YAML can break json.dumps
  if (loaded.datesAndBinaries > 0) checkJsonSerializable(toggles, reporter);
  return finish(diagnostics, hasErrors(diagnostics) ? undefined : effectiveOf(toggles), referencedFiles);
}

/**
 * The settings file as Python objects, or undefined when SPA would stop before its rules (diagnostics say why).
 * A common file is read without a node tree (loadPython); for any other, the YAML node tree lives only inside this
 * function: it is garbage once the Python objects are built, which keeps the peak memory of a large file down.
 */
function loadSettings(settingsFile: string, text: string, reporter: Reporter): { settings: PyDict; datesAndBinaries: number } | undefined {
  // the common file straight to Python objects; any other through the node tree, which also reports its problems
  const common = loadPython(settingsFile, text);
  if (common !== undefined) return { settings: common.value, datesAndBinaries: common.datesAndBinaries };
  const loaded = loadYaml(settingsFile, text);
  reporter.diagnostics.push(...loaded.diagnostics);
  const root = loaded.root;
  if (root === undefined) return undefined;
  if (root.kind !== 'mapping') {
    if (root.kind === 'scalar' && root.value === null) {
      reporter.report(
        'settings-empty',
        { line: root.line, column: root.column },
        "the settings file holds no settings (YAML reads it as null); SPA would stop with \"'NoneType' object has no attribute 'keys'\"",
        'write the settings as a mapping (environment_identifier: ..., automation: ..., accounts: ...)',
      );
    } else {
      const type = root.kind === 'sequence' ? 'list' : root.kind === 'scalar' ? scalarPyType(root) : 'dict';
      reporter.report(
        'settings-not-a-mapping',
        { line: root.line, column: root.column },
        `the top level of the settings file must be a mapping of keys to values, but YAML reads a ${type} here; SPA would stop with "'${type}' object has no attribute 'keys'"`,
        'start the file with keys such as environment_identifier: and automation:, not with - or a plain value',
      );
    }
    return undefined;
  }
  const settings = toPython(root, { aliases: loaded.aliases > 0 });
  if (!(settings instanceof PyDict)) return undefined;
  if (loaded.nonStringKeys > 0) warnNonStringKeys(root, reporter);
  return { settings, datesAndBinaries: loaded.datesAndBinaries };
}

function finish(diagnostics: Diagnostic[], effective: EffectiveSettings | undefined, referencedFiles: ReferencedFile[]): SettingsCheckResult {
  const sorted = sortDiagnostics(diagnostics);
  return effective ? { diagnostics: sorted, effective, referencedFiles } : { diagnostics: sorted, referencedFiles };
}

function existsAsFile(path: string, index: Map<string, EntryKind> | undefined): boolean {
  const kind = index?.get(path);
  return kind === 'file' || kind === 'executable';
}

/** `set_from_settings`: each file of features.with_csv_files, in order, relative to the settings file's folder. */
async function replayCsvFiles(
  source: SettingsSource,
  toggles: Toggles,
  settingsFile: string,
  environmentFolder: string,
  index: Map<string, EntryKind> | undefined,
  reporter: Reporter,
  referencedFiles: ReferencedFile[],
): Promise<void> {
  const attribute = toggles.attributes.get('features_with_csv_files');
  if (!attribute || !(attribute.value instanceof PyList) || attribute.value.items.length === 0) return;
  const list = attribute.value;
  let items = list.items.map((value, i) => ({ value, at: list.itemsAt[i] ?? attribute.valueAt }));
  if (items.length > LIMITS.maxCsvFiles) {
    reporter.report(
      'too-many-csv-files',
      attribute.valueAt,
      `${attribute.writtenAs} lists ${items.length} files; spa-cd checks at most ${LIMITS.maxCsvFiles} and ignores the rest`,
      'merge some of the CSV files',
    );
    items = items.slice(0, LIMITS.maxCsvFiles);
  }
  const base = repoDirname(settingsFile);
  const found: (ReferencedFile | undefined)[] = items.map(() => undefined);
  const reads = items.map(async ({ value, at }, position) => {
    if (typeof value !== 'string') {
      reporter.report(
        'csv-path-not-a-string',
        at,
        `${attribute.writtenAs} lists ${describeValue(value)}, not a file name; SPA would stop with a TypeError when it joins it to the settings folder`,
        'quote the file name',
      );
      return undefined;
    }
    const resolved = resolveReferencedPath(value, { relativeTo: base, root: environmentFolder, what: 'CSV file' });
    if (!resolved.ok) {
      reporter.report('referenced-path-invalid', at, resolved.message, resolved.hint);
      return undefined;
    }
    const path = resolved.path;
    const link = index ? symlinkOnPath(path, index) : undefined;
    if (link !== undefined) {
      found[position] = { path, kind: 'csv', line: at.line, column: at.column, exists: false };
      reporter.report('symlink-not-followed', at, `${link} is a symbolic link; spa-cd never follows links out of the settings`, 'replace the link with the file itself');
      return undefined;
    }
    const text = await readTextFile(source, path, { file: reporter.file, line: at.line, column: at.column });
    found[position] = { path, kind: 'csv', line: at.line, column: at.column, exists: text.ok || text.reason === 'invalid-utf8' || text.reason === 'too-large' };
    if (!text.ok) {
      const d = text.diagnostic;
      reporter.report(d.code as 'file-missing', { line: d.line, column: d.column }, d.code === 'file-missing' ? `the CSV file ${path} listed in ${attribute.writtenAs} does not exist; SPA would stop with FileNotFoundError` : d.message, d.hint, d.file);
      return undefined;
    }
    return { path, text: text.text };
  });
  const files = await Promise.all(reads);
  for (const file of found) if (file) referencedFiles.push(file);
  for (const file of files) {
    if (file === undefined) continue;
    const csv = dictReader(file.text, LIMITS.maxCsvRows);
    for (const notice of csv.notices) {
      if (notice.kind === 'stray-quote') {
        reporter.report(
          'csv-stray-quote',
          notice,
          notice.afterSpace
            ? 'this double quote follows a space, so it does not open a quoted cell (Python honours a quote only at the very start of a cell): it stays in the value, and a comma after it splits the cell'
            : 'a double quote inside an unquoted cell (or text right after a closing quote); Python keeps it as part of the value',
          notice.afterSpace ? 'remove the space between the comma and the opening quote' : 'quote the whole cell and double the inner quotes: "say ""hello"""',
          file.path,
        );
      } else {
        reporter.report(
          'csv-unterminated-quote',
          notice,
          'this quoted cell is never closed: Python reads everything up to the end of the file as one value',
          'add the closing double quote',
          file.path,
        );
      }
    }
    if (csv.failure) {
      reporter.report(
        'csv-field-too-large',
        csv.failure,
        `this cell is longer than Python's csv field limit; SPA would stop with "${csv.failure.message}"`,
        'check for an unclosed double quote above, or shorten the value',
        file.path,
      );
    }
    if (csv.truncated) {
      reporter.report('csv-too-many-rows', { line: 1, column: 1 }, `the file has more than ${LIMITS.maxCsvRows} rows; spa-cd checks only the first ones`, 'split the file', file.path);
    }
    replayCsvFile(toggles, csv, file.path, reporter);
  }
}

/** worker.*_buildspec_template_file: opened by SPA relative to its code base, where the environment is copied. */
function checkTemplates(toggles: Toggles, environmentFolder: string, index: Map<string, EntryKind> | undefined, reporter: Reporter, referencedFiles: ReferencedFile[]): void {
  for (const [name, kind] of [
    ['worker_preparation_buildspec_template_file', 'preparation-buildspec'],
    ['worker_purge_buildspec_template_file', 'purge-buildspec'],
  ] as const) {
    const attribute = toggles.attributes.get(name);
    if (!attribute || typeof attribute.value !== 'string' || attribute.value === '') continue;
    checkReferencedFile(attribute.value, attribute.valueAt, attribute.writtenAs, kind, 'buildspec template', 'template-missing', environmentFolder, index, reporter, referencedFiles);
  }
}

/** features.with_end_user_documents: label → file, each opened by SPA when it deploys. */
function checkDocuments(toggles: Toggles, environmentFolder: string, index: Map<string, EntryKind> | undefined, reporter: Reporter, referencedFiles: ReferencedFile[]): void {
  const attribute = toggles.attributes.get('features_with_end_user_documents');
  if (!attribute || !(attribute.value instanceof PyDict)) return;
  for (const entry of attribute.value.entries) {
    const where = `${attribute.writtenAs}.${pyStr(entry.key)}`;
    if (typeof entry.value !== 'string') {
      reporter.report(
        'document-path-not-a-string',
        valueAt(entry),
        `${where} is ${describeValue(entry.value, entry.source)}, not a file name; SPA would fail to open it when it deploys`,
        'write the path of the document, relative to the environment folder',
      );
      continue;
    }
    checkReferencedFile(entry.value, valueAt(entry), where, 'document', 'document', 'document-missing', environmentFolder, index, reporter, referencedFiles);
  }
}

function checkReferencedFile(
  reference: string,
  at: Position,
  writtenAs: string,
  kind: 'preparation-buildspec' | 'purge-buildspec' | 'document',
  what: string,
  missingCode: 'template-missing' | 'document-missing',
  environmentFolder: string,
  index: Map<string, EntryKind> | undefined,
  reporter: Reporter,
  referencedFiles: ReferencedFile[],
): void {
  const resolved = resolveReferencedPath(reference, { relativeTo: environmentFolder, root: environmentFolder, what });
  if (!resolved.ok) {
    reporter.report('referenced-path-invalid', at, `${writtenAs}: ${resolved.message}`, resolved.hint);
    return;
  }
  const path = resolved.path;
  const link = index ? symlinkOnPath(path, index) : undefined;
  if (link !== undefined) {
    reporter.report('symlink-not-followed', at, `${writtenAs}: ${link} is a symbolic link; spa-cd never follows links`, 'replace the link with the file itself');
    referencedFiles.push({ path, kind, line: at.line, column: at.column, exists: false });
    return;
  }
  const exists = existsAsFile(path, index);
  referencedFiles.push({ path, kind, line: at.line, column: at.column, exists });
  if (!exists && index !== undefined) {
    reporter.report(
      missingCode,
      at,
      `${writtenAs} names ${pyRepr(reference)}, which is not in the environment folder (${path}); SPA opens it relative to its own code base, so the deployment works only if it is one of SPA's own files (such as fixtures/buildspec/...)`,
      `add the file to ${environmentFolder || 'the environment folder'}, or check that SPA's code base has ${reference}`,
    );
  }
}

/** A key that YAML reads as a number, boolean, null or date inside a section (tags, variables, ...). */
function warnNonStringKeys(root: YamlNode, reporter: Reporter): void {
  const visited = new Set<YamlNode>();
  const visit = (node: YamlNode, depth: number): void => {
    if (node.kind === 'scalar' || visited.has(node)) return;
    visited.add(node);
    if (node.kind === 'sequence') {
      for (const item of node.items) visit(item, depth + 1);
      return;
    }
    for (const { key, value } of node.entries) {
      if (depth >= 2 && key.kind === 'scalar' && scalarPyType(key) !== 'str') {
        const type = scalarPyType(key);
        const text = (key as { text?: string }).text ?? pyStr(key.value === null ? null : (key.value as PyValue));
        reporter.report(
          'non-string-key',
          { line: key.line, column: key.column },
          `YAML reads the key ${text} as ${type === 'NoneType' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`}, not a string; SPA keeps it that way (tags and variables get a key ${pyStr(key.value === null ? null : (key.value as PyValue))})`,
          `quote the key: '${text}'`,
        );
      }
      visit(value, depth + 1);
    }
  };
  visit(root, 0);
}

/**
 * SPA's toggles as EffectiveSettings: accounts and units keyed by identifier (computed when first read, see
 * lazyEffectiveSettings), attributes as SPA holds them.
 */
function effectiveOf(toggles: Toggles): EffectiveSettings {
  const walk = newWalk();
  const attributes: Record<string, SettingsValue> = {};
  setOwn(attributes, 'defaults', pyToSettingsValue(toggles.defaults, walk));
  for (const [name, attribute] of toggles.attributes) setOwn(attributes, name, pyToSettingsValue(attribute.value, walk));
  return lazyEffectiveSettings({ accounts: toggles.accounts, organizational_units: toggles.organizational_units }, attributes, (dict) => {
    // the same walk as the attributes: a dict shared by an account and an attribute (a YAML alias) stays one object
    const result: Record<string, EffectiveItem> = {};
    for (const entry of dict.entries) setOwn(result as unknown as SettingsMapping, pyStr(entry.key), pyToSettingsValue(entry.value, walk));
    return result;
  });
}
