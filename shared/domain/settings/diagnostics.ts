/**
 * A diagnostic is one finding about one place in one file of a settings repository.
 * Every check of the settings engine reports through this shape; nothing throws.
 */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  /** Repository-relative POSIX path (e.g. `environments/prod/settings.yaml`), or the path given on the command line. */
  readonly file: string;
  /** 1-based line of the offending key, value or CSV cell. */
  readonly line: number;
  /** 1-based column (in characters) of the offending key, value or CSV cell. */
  readonly column: number;
  readonly severity: Severity;
  /** Stable code, documented in docs/diagnostics.md (e.g. `unknown-attribute`). */
  readonly code: string;
  /** What is wrong, in words a CloudOps engineer understands without reading SPA's code. */
  readonly message: string;
  /** What to do about it, when there is something useful to say. */
  readonly hint?: string;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** The start of a file: where findings about a whole file point. */
export const FILE_START: Position = { line: 1, column: 1 };

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === 'error') errors += 1;
    else warnings += 1;
  }
  return { errors, warnings };
}

/** Sorted by file, line, column, then errors before warnings, then code: a stable order for output and comparisons. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
