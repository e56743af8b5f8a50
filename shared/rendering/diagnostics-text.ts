import { plural } from './plural';
import { countBySeverity, type Diagnostic } from '../domain/settings/diagnostics';

/** Control characters (and bidi overrides) from untrusted text never reach a terminal as such. */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point: they are shown, never sent
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/\n/g, '\\n');
}

/** Compiler style: `file:line:column: severity code message`, then the hint indented on its own line. */
export function formatDiagnostic(d: Diagnostic): string {
  const head = `${terminalSafe(d.file)}:${d.line}:${d.column}: ${d.severity} ${d.code} ${terminalSafe(d.message)}`;
  return d.hint === undefined ? head : `${head}\n    hint: ${terminalSafe(d.hint)}`;
}

export function formatSummary(diagnostics: readonly Diagnostic[], environments: number, strict: boolean): string {
  const { errors, warnings } = countBySeverity(diagnostics);
  const verdict = errors > 0 || (strict && warnings > 0) ? 'invalid' : 'valid';
  return `${verdict}: ${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(environments, 'environment')}${strict && errors === 0 && warnings > 0 ? ' (--strict: warnings count as errors)' : ''}`;
}
