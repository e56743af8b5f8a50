import { countBySeverity, sortDiagnostics, type Diagnostic } from '../shared/domain/settings/diagnostics';

describe('Module: diagnostics', () => {
  it('sorts by file, line, column, errors first', () => {
    const d = (file: string, line: number, severity: Diagnostic['severity']): Diagnostic => ({ file, line, column: 1, severity, code: 'x', message: 'm' });
    const sorted = sortDiagnostics([d('b', 1, 'error'), d('a', 2, 'warning'), d('a', 2, 'error')]);
    expect(sorted.map((x) => `${x.file}${x.line}${x.severity}`)).toEqual(['a2error', 'a2warning', 'b1error']);
    expect(countBySeverity(sorted)).toEqual({ errors: 2, warnings: 1 });
  });
});
