/**
 * Every diagnostic code the settings engine emits, with its severity and a one-line summary.
 * docs/diagnostics/settings.md and docs/diagnostics/csv.md document each code; a test checks that they agree.
 */
import type { Severity } from './diagnostics';
import { YAML_CODES } from './yaml-loader';

export interface CodeInfo {
  readonly severity: Severity;
  readonly summary: string;
}

/** Codes of `readTextFile` (text-decoding.ts): reading any file of the settings. */
export const FILE_CODES = {
  'file-missing': { severity: 'error', summary: 'A file the settings need does not exist (the settings file itself, or a CSV list).' },
  'file-too-large': { severity: 'error', summary: 'A file is larger than the size limit; it was not read.' },
  'invalid-utf8': { severity: 'error', summary: 'A file is not valid UTF-8; SPA reads its files as UTF-8.' },
  'symlink-not-followed': { severity: 'error', summary: 'A file (or a folder on its path) is a symbolic link; spa-cd never follows links.' },
  'not-a-file': { severity: 'error', summary: 'The path names a folder or a submodule, not a regular file.' },
  'file-unreadable': { severity: 'error', summary: 'The file could not be read from the repository (network, permissions).' },
} as const satisfies Record<string, CodeInfo>;

export const SETTINGS_RULE_CODES = {
  'settings-empty': { severity: 'error', summary: 'The settings file holds no YAML document; SPA stops on it.' },
  'settings-not-a-mapping': { severity: 'error', summary: 'The top level of the settings file is not a mapping of keys to values.' },
  'unknown-attribute': { severity: 'error', summary: 'A top-level setting (after flattening) that SPA does not know.' },
  'unknown-attribute-ignored': { severity: 'warning', summary: 'An unknown setting that SPA ignores only because its value is empty.' },
  'invalid-type': { severity: 'error', summary: 'A setting whose value has the wrong Python type (a list where a string is needed, ...).' },
  'invalid-top-level-key': { severity: 'error', summary: 'A top-level key that is not a string, with an empty value: SPA cannot store it.' },
  'non-string-key': { severity: 'warning', summary: 'A mapping key that YAML reads as a number, boolean, null or date rather than a string.' },
  'items-not-iterable': { severity: 'error', summary: 'accounts or organizational_units is null, false or 0; SPA iterates over it and stops.' },
  'item-not-a-mapping': { severity: 'error', summary: 'An entry of accounts or organizational_units is not a mapping.' },
  'defaults-not-a-mapping': { severity: 'error', summary: 'defaults is not a mapping while an account or unit needs completing from it.' },
  'defaults-section-not-a-mapping': { severity: 'error', summary: 'defaults.account_tags, preparation, purge or their variables is not a mapping.' },
  'section-not-a-mapping': { severity: 'error', summary: "An item's account_tags, preparation, purge or variables is not a mapping." },
  'identifier-missing': { severity: 'error', summary: 'An account or organizational unit has no identifier.' },
  'identifier-not-a-string': { severity: 'error', summary: 'An identifier that YAML reads as a number (or another non-string).' },
  'account-identifier-invalid': { severity: 'error', summary: 'An account identifier that is not exactly 12 digits.' },
  'account-identifier-unusual-digits': { severity: 'warning', summary: 'An account identifier made of non-ASCII digits, which SPA accepts but AWS does not.' },
  'ou-identifier-invalid': { severity: 'error', summary: "An organizational unit identifier that does not start with 'ou-'." },
  'ou-identifier-unusual': { severity: 'warning', summary: 'An organizational unit identifier that does not look like an AWS one (ou-xxxx-xxxxxxxx).' },
  'unknown-item-attribute': { severity: 'error', summary: 'A key of an account or unit (possibly copied from defaults) that SPA does not know.' },
  'invalid-item-type': { severity: 'error', summary: 'A key of an account or unit whose value has the wrong type.' },
  'unexpected-worker-parameter': { severity: 'error', summary: 'preparation or purge holds a key other than feature and variables.' },
  'duplicate-identifier': { severity: 'error', summary: 'Two accounts (or two units) have the same identifier.' },
  'ignored-key': { severity: 'warning', summary: 'A key SPA never uses (for example defaults.preparation.foo, which is never copied).' },
  'unusual-feature-value': { severity: 'warning', summary: "A preparation or purge feature other than 'enabled' or 'disabled'." },
  'malformed-email': { severity: 'warning', summary: 'A value that does not look like an e-mail address.' },
  'malformed-arn': { severity: 'warning', summary: 'A value that does not look like the expected AWS ARN.' },
  'malformed-schedule': { severity: 'warning', summary: 'A maintenance window that is not an EventBridge cron(...) or rate(...) expression.' },
  'unknown-currency': { severity: 'warning', summary: 'An extra currency that is not an ISO 4217 code.' },
  'unknown-verbosity': { severity: 'warning', summary: 'A verbosity that is not a Python logging level name.' },
  'malformed-webhook-url': { severity: 'warning', summary: 'A Microsoft Teams webhook that is not an https URL.' },
  'markdown-template-looks-like-path': { severity: 'warning', summary: 'reporting.costs_markdown_template looks like a file path, but SPA uses it as the text itself.' },
  'not-json-serializable': { severity: 'error', summary: 'An account or unit value (a date, binary data) that SPA cannot store as JSON when it deploys.' },
  'csv-path-not-a-string': { severity: 'error', summary: 'An entry of features.with_csv_files that is not a string.' },
  'referenced-path-invalid': { severity: 'error', summary: 'A referenced file path that is absolute, uses .., a backslash or NUL, or leaves the environment folder.' },
  'too-many-csv-files': { severity: 'error', summary: 'features.with_csv_files lists more files than spa-cd accepts.' },
  'template-missing': { severity: 'warning', summary: 'A buildspec template that is not in the environment folder (it may be one of SPA\'s own files).' },
  'document-missing': { severity: 'warning', summary: 'An end-user document that is not in the environment folder (it may be one of SPA\'s own files).' },
  'document-path-not-a-string': { severity: 'warning', summary: 'An end-user document whose path is not a string; SPA would fail to open it.' },
} as const satisfies Record<string, CodeInfo>;

/** Every code checkSettings can emit about the settings file (YAML, rules, files). */
export const SETTINGS_CODES = { ...FILE_CODES, ...YAML_CODES, ...SETTINGS_RULE_CODES } as const satisfies Record<string, CodeInfo>;

/** Every code about CSV account lists (features.with_csv_files). */
export const CSV_CODES = {
  'csv-header-unknown-label': { severity: 'error', summary: "A header cell whose label is not Account, Note, Tag:, Preparation: or Purge:." },
  'csv-header-without-key': { severity: 'warning', summary: 'A Tag/Preparation/Purge header without a key after the colon.' },
  'csv-header-blank': { severity: 'error', summary: 'The first line of the CSV file is blank, so every row has cells without a header.' },
  'csv-duplicate-column': { severity: 'warning', summary: 'Two header cells name the same column; the later one wins.' },
  'csv-row-too-long': { severity: 'error', summary: 'A row with more cells than the header.' },
  'csv-row-too-short': { severity: 'error', summary: 'A row with fewer cells than the header.' },
  'csv-account-missing': { severity: 'error', summary: 'A row without a value in the Account column.' },
  'csv-account-identifier-invalid': { severity: 'warning', summary: 'An Account value that is not 12 digits (SPA does not check it).' },
  'csv-defaults-incomplete': { severity: 'error', summary: 'A CSV row creates an account, but defaults lacks account_tags or preparation/purge variables.' },
  'csv-defaults-not-copyable': { severity: 'error', summary: 'A CSV row creates an account, but defaults holds a value SPA cannot copy (a date, binary data).' },
  'csv-field-too-large': { severity: 'error', summary: "A cell longer than Python's csv field limit (131072 characters)." },
  'csv-too-many-rows': { severity: 'error', summary: 'A CSV file with more rows than spa-cd accepts.' },
  'csv-stray-quote': { severity: 'warning', summary: 'A double quote inside an unquoted cell, or text after a closing quote.' },
  'csv-unterminated-quote': { severity: 'warning', summary: 'A quoted cell that is never closed: the rest of the file becomes one cell.' },
} as const satisfies Record<string, CodeInfo>;

export type SettingsCode = keyof typeof SETTINGS_CODES;
export type CsvCode = keyof typeof CSV_CODES;
