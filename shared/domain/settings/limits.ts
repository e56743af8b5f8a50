/**
 * Safety limits of the settings engine. Every limit is checked before the work it protects,
 * and exceeding one is an error diagnostic, never an exception.
 */
export const LIMITS = {
  /** Largest file read from a settings repository: 5 MiB, below CodeCommit's 6 MB GetFile limit. Checked before reading. */
  maxFileBytes: 5 * 1024 * 1024,
  /** Deepest nesting of YAML collections. SPA settings need 5 levels; 64 leaves room for any real file. */
  maxYamlDepth: 64,
  /** Most YAML nodes (keys, values, items) in one file: well above 10,000 accounts with tags and variables. */
  maxYamlNodes: 2_000_000,
  /** Most alias references (`*name`) in one file; an alias bomb needs many. */
  maxYamlAliases: 100,
  /** Most CSV rows in one file. */
  maxCsvRows: 200_000,
  /** Most CSV files one settings file may list. */
  maxCsvFiles: 100,
} as const;
