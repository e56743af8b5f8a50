import fc from 'fast-check';
import { checkScriptText, scriptRunBy, shebangInterpreter, syntaxDiagnostic, textPositions } from '../../../shared/domain/build-files/shell-scripts';

const FILE = 'env/scripts/run.sh';

describe('Function: checkScriptText', () => {
  it('accepts a script with a bash shebang and Unix line endings', () => {
    // Act
    const result = checkScriptText(FILE, '#!/usr/bin/env bash\necho hi\n');

    // Assess
    expect(result).toEqual({ diagnostics: [], bash: true });
  });

  it('warns about a script without a shebang, and still checks it as bash', () => {
    // Act
    const result = checkScriptText(FILE, 'echo hi\n');

    // Assess
    expect(result.bash).toBe(true);
    expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['script-missing-shebang@1:1']);
  });

  it('warns about a byte-order mark that hides the shebang', () => {
    // Act
    const result = checkScriptText(FILE, '\ufeff#!/bin/bash\necho hi\n');

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'script-missing-shebang', message: expect.stringContaining('byte-order mark') })]);
  });

  it('warns about Windows line endings at the first one', () => {
    // Act
    const result = checkScriptText(FILE, '#!/bin/bash\necho é\r\necho b\r\n');

    // Assess
    expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['script-windows-line-endings@2:7']);
  });

  it.each([
    ['#!/bin/bash', 'bash', true],
    ['#!/bin/sh -e', 'sh', true],
    ['#!/usr/bin/env -S bash -euo pipefail', 'bash', true],
    ['#!/usr/bin/env python3', 'python3', false],
    ['#!/bin/zsh', 'zsh', false],
  ])('reads the interpreter of %s', (line, interpreter, bash) => {
    // Act
    const result = checkScriptText(FILE, `${line}\necho\n`);

    // Assess
    expect([shebangInterpreter(`${line}\n`), result.bash]).toEqual([interpreter, bash]);
  });
});

describe('Function: scriptRunBy', () => {
  const scripts = [
    { path: 'environments/prod/scripts/a.sh', kind: 'executable' as const },
    { path: 'environments/prod/tools/a.sh', kind: 'file' as const },
    { path: 'environments/prod/scripts/b.sh', kind: 'file' as const },
  ];

  it.each([
    ['./scripts/a.sh', 'environments/prod/scripts/a.sh'],
    ['scripts/b.sh', 'environments/prod/scripts/b.sh'],
    ['./b.sh', 'environments/prod/scripts/b.sh'],
    ['$CODEBUILD_SRC_DIR/tools/a.sh', 'environments/prod/tools/a.sh'],
    ['./a.sh', undefined],
    ['/usr/local/bin/b.sh', undefined],
    ['../b.sh', undefined],
    ['./c.sh', undefined],
  ])('finds the script %s runs', (written, expected) => {
    // Act
    const script = scriptRunBy(written, scripts);

    // Assess
    expect(script?.path).toEqual(expected);
  });
});

describe('Function: syntaxDiagnostic', () => {
  const at = textPositions('line one\nline "two\n');

  it('places a syntax error at its line and column', () => {
    // Act
    const found = syntaxDiagnostic(FILE, { kind: 'syntax-error', message: 'reached EOF without closing quote `"`', index: 14 }, at, FILE, 'fix it');

    // Assess
    expect(found).toEqual({
      file: FILE,
      line: 2,
      column: 6,
      severity: 'error',
      code: 'shell-syntax-error',
      message: 'env/scripts/run.sh is not valid bash: reached EOF without closing quote `"`',
      hint: 'fix it',
    });
  });

  it('makes an unclosed here-document a warning, as bash only warns', () => {
    // Act
    const found = syntaxDiagnostic(FILE, { kind: 'syntax-error', message: 'unclosed here-document `EOF`', index: 0 }, at, FILE, 'fix it');

    // Assess
    expect(found).toEqual(expect.objectContaining({ code: 'shell-heredoc-unterminated', severity: 'warning', line: 1, column: 1 }));
  });

  it('reports a text that was not analysed as a warning, and nothing for a valid one', () => {
    // Act
    const skipped = syntaxDiagnostic(FILE, { kind: 'not-analysed', reason: 'too large' }, at, FILE, 'fix it');
    const valid = syntaxDiagnostic(FILE, { kind: 'ok' }, at, FILE, 'fix it');

    // Assess
    expect([skipped?.code, skipped?.severity, valid]).toEqual(['shell-not-analysed', 'warning', undefined]);
  });
});

describe('Function: textPositions', () => {
  it('never leaves the text, for any index', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), fc.integer({ min: -10, max: 200 }), (text, index) => {
        const at = textPositions(text)(index);
        return at.line >= 1 && at.line <= text.split('\n').length && at.column >= 1;
      }),
    );
  });

  it('never throws on any script text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => Array.isArray(checkScriptText(FILE, text).diagnostics)));
  });
});
