import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import { inlineKey, isCommentablePath, selectInlineComments } from '../../../shared/domain/review/inline-comments';

function error(file: string, line: number, code = 'wrong-type', message = 'bad value'): Diagnostic {
  return { file, line, column: 1, severity: 'error', code, message };
}

const SETTINGS = 'environments/prod/settings.yaml';

describe('Function: selectInlineComments', () => {
  it('selects one comment per file, line and code, errors only', () => {
    // Prepare
    const diagnostics: Diagnostic[] = [
      error(SETTINGS, 3),
      error(SETTINGS, 3, 'wrong-type', 'another message at the same place'),
      error(SETTINGS, 3, 'unknown-attribute'),
      { ...error(SETTINGS, 9), severity: 'warning' },
    ];

    // Act
    const selection = selectInlineComments(diagnostics, { alreadyPosted: new Set() });

    // Assess
    expect(selection.selected.map((f) => [f.line, f.code, f.diagnostics.length])).toEqual([
      [3, 'unknown-attribute', 1],
      [3, 'wrong-type', 2],
    ]);
    expect(selection.places).toBe(2);
  });

  it('caps a revision at 25 comments and counts the rest', () => {
    // Prepare
    const diagnostics = Array.from({ length: 60 }, (_, i) => error(SETTINGS, i + 1));

    // Act
    const selection = selectInlineComments(diagnostics, { alreadyPosted: new Set() });

    // Assess
    expect(selection.selected).toHaveLength(25);
    expect(selection.overLimit).toBe(35);
    expect(selection.selected[0]?.line).toBe(1);
  });

  it('skips places already commented on', () => {
    // Prepare
    const diagnostics = [error(SETTINGS, 1), error(SETTINGS, 2)];
    const alreadyPosted = new Set([inlineKey(SETTINGS, 1, 'wrong-type', ['bad value'])]);

    // Act
    const selection = selectInlineComments(diagnostics, { alreadyPosted });

    // Assess
    expect(selection.selected.map((f) => f.line)).toEqual([2]);
    expect(selection.alreadyPosted).toBe(1);
  });

  it('comments again a place whose errors changed', () => {
    // Prepare
    const alreadyPosted = new Set([inlineKey(SETTINGS, 1, 'wrong-type', ['old message'])]);

    // Act
    const selection = selectInlineComments([error(SETTINGS, 1)], { alreadyPosted });

    // Assess
    expect(selection.selected).toHaveLength(1);
  });

  it('puts errors of files the pull request changes first', () => {
    // Prepare
    const diagnostics = [error('environments/prod/a.csv', 1), error(SETTINGS, 5)];

    // Act
    const selection = selectInlineComments(diagnostics, { alreadyPosted: new Set(), changedFiles: new Set([SETTINGS]), max: 1 });

    // Assess
    expect(selection.selected.map((f) => f.file)).toEqual([SETTINGS]);
    expect(selection.overLimit).toBe(1);
  });

  it('leaves errors without a usable file or line to the summary', () => {
    // Prepare
    const diagnostics = [error('/etc/passwd', 1), error('environments/../x', 1), error(SETTINGS, 0), error(SETTINGS, 1.5)];

    // Act
    const selection = selectInlineComments(diagnostics, { alreadyPosted: new Set() });

    // Assess
    expect(selection.selected).toEqual([]);
    expect(selection.unplaceable).toBe(4);
  });
});

describe('Function: isCommentablePath', () => {
  it('accepts repository-relative paths only', () => {
    // Assess
    expect(isCommentablePath(SETTINGS)).toBe(true);
    expect(isCommentablePath('')).toBe(false);
    expect(isCommentablePath('a//b')).toBe(false);
    expect(isCommentablePath('a/\u0000b')).toBe(false);
  });
});
