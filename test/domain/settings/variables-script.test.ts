import fc from 'fast-check';
import { MAX_VARIABLES_SCRIPT_BYTES, parseShell, readPinFromVariablesScript } from '../../../shared/domain/settings/variables-script';

const FILE = 'environments/prod/variables.sh';

async function read(text: string) {
  return readPinFromVariablesScript(FILE, text);
}

describe('Function: readPinFromVariablesScript', () => {
  describe('a literal pin', () => {
    it.each([
      ['export with a plain word', 'export CODE_GIT_BRANCH=v1.2.3\n', 1, 24],
      ['a plain assignment', 'CODE_GIT_BRANCH=v1.2.3\n', 1, 17],
      ['single quotes', "export CODE_GIT_BRANCH='v1.2.3'\n", 1, 24],
      ['double quotes', 'export CODE_GIT_BRANCH="v1.2.3"\n', 1, 24],
      ['a comment after it', 'export CODE_GIT_BRANCH=v1.2.3  # the SPA release\n', 1, 24],
      ['a semicolon after it', 'CODE_GIT_BRANCH=v1.2.3;\n', 1, 17],
      ['declare -x', 'declare -x CODE_GIT_BRANCH=v1.2.3\n', 1, 28],
      ['readonly', 'readonly CODE_GIT_BRANCH=v1.2.3\n', 1, 26],
      ['other exports on the same line', 'export A=1 CODE_GIT_BRANCH=v1.2.3 B=$HOME\n', 1, 28],
      ['a quoted piece in the middle', 'CODE_GIT_BRANCH=v1."2".3\n', 1, 17],
      ['redirections', 'CODE_GIT_BRANCH=v1.2.3 2>/dev/null >&2\n', 1, 17],
    ])('reads the pin written with %s, at its value', async (_, text, line, column) => {
      // Act
      const result = await read(text);

      // Assess
      expect(result).toEqual({ diagnostics: [], pin: { value: 'v1.2.3', line, column } });
    });

    it('finds the pin among other statements, with line and column in characters', async () => {
      // Prepare
      const line3 = 'export TEAM="équipe 🚀"; export CODE_GIT_BRANCH=v2.0.0';
      const text = ['#!/usr/bin/env bash', '# Paramètres de l’environnement', line3, 'export AWS_REGION=eu-west-1', ''].join('\n');

      // Act
      const result = await read(text);

      // Assess
      const column = [...line3.slice(0, line3.indexOf('v2.0.0'))].length + 1;
      expect(column).toBe(48);
      expect(result).toEqual({ diagnostics: [], pin: { value: 'v2.0.0', line: 3, column } });
    });

    it('accepts the same value set twice', async () => {
      // Act
      const result = await read('CODE_GIT_BRANCH=v1\nexport CODE_GIT_BRANCH=v1\n');

      // Assess
      expect(result).toEqual({ diagnostics: [], pin: { value: 'v1', line: 1, column: 17 } });
    });

    it('keeps the carriage return of a Windows line ending in the value, as bash does', async () => {
      // Act
      const result = await read('export CODE_GIT_BRANCH=v1.2.3\r\n');

      // Assess
      expect(result.pin?.value).toBe('v1.2.3\r');
    });
  });

  describe('no pin', () => {
    it.each([
      ['an empty file', ''],
      ['other variables', 'export AWS_REGION=eu-west-1\nexport SPA_ENV=prod\n'],
      ['the name in a comment', '# CODE_GIT_BRANCH=v1.2.3\n'],
      ['the name in a here-document', 'cat <<EOF\nCODE_GIT_BRANCH=v1.2.3\nEOF\n'],
      ['the name as an argument', 'echo CODE_GIT_BRANCH=v1.2.3\n'],
      ['the name quoted, which is not an assignment', '"CODE_GIT_BRANCH"=v1.2.3\n'],
      ['an escaped name, which is not an assignment', 'CODE_GIT_BR\\ANCH=v1.2.3\n'],
      ['only the export attribute', 'export CODE_GIT_BRANCH\n'],
      ['a similar name', 'CODE_GIT_BRANCH_OLD=v1\nMY_CODE_GIT_BRANCH=v2\n'],
    ])('finds none in %s', async (_, text) => {
      // Act
      const result = await read(text);

      // Assess
      expect(result).toEqual({ diagnostics: [] });
    });
  });

  describe('a pin that is not literal', () => {
    it.each([
      ['a variable', 'CODE_GIT_BRANCH=$X\n', "from the variable '$X'", 17],
      ['a braced variable', 'CODE_GIT_BRANCH=${X:-v1}\n', "from the variable '${X:-v1}'", 17],
      ['a variable inside double quotes', 'export CODE_GIT_BRANCH="v1.$MINOR"\n', "from the variable '$MINOR'", 24],
      ['a command substitution', 'CODE_GIT_BRANCH=$(git describe --tags)\n', "by running the command '$(git describe --tags)'", 17],
      ['a backquoted command', 'CODE_GIT_BRANCH=`cat version`\n', "by running the command '`cat version`'", 17],
      ['arithmetic', 'CODE_GIT_BRANCH=$((1+2))\n', "by the arithmetic '$((1+2))'", 17],
      ['ANSI-C quoting', "CODE_GIT_BRANCH=$'v1\\x2e2'\n", 'with the escape sequences of', 17],
      ['a tilde', 'CODE_GIT_BRANCH=~/spa\n', 'uses ~', 17],
      ['an array', 'CODE_GIT_BRANCH=(v1 v2)\n', 'is set to an array', 17],
      ['an append', 'CODE_GIT_BRANCH+=v1\n', 'is appended to (+=)', 1],
      ['an array element', 'CODE_GIT_BRANCH[0]=v1\n', 'is set as an array element', 1],
      ['declare -n', 'declare -n CODE_GIT_BRANCH=OTHER\n', "is declared with the option '-n'", 12],
      ['export -n', 'export -n CODE_GIT_BRANCH=v1\n', "is declared with the option '-n'", 11],
      ['eval', 'eval "CODE_GIT_BRANCH=v1"\n', "is set or changed by 'eval'", 6],
      ['read', 'read -r CODE_GIT_BRANCH < version.txt\n', "is set or changed by 'read'", 9],
      ['unset', 'CODE_GIT_BRANCH=v1\nunset CODE_GIT_BRANCH\n', "is set or changed by 'unset'", 7],
      ['printf -v', 'printf -v CODE_GIT_BRANCH %s v1\n', "is set or changed by 'printf'", 11],
    ])('rejects %s', async (_, text, reason, column) => {
      // Act
      const result = await read(text);

      // Assess
      expect(result.pin).toBeUndefined();
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'pin-not-literal', severity: 'error', column, message: expect.stringContaining(reason) })]);
    });
  });

  describe('a pin that is not set at the top level', () => {
    it.each([
      ['inside an if', 'if [ -n "$PROD" ]; then\n  export CODE_GIT_BRANCH=v1\nfi\n', 'inside an if', 2],
      ['inside a loop', 'for x in a; do CODE_GIT_BRANCH=v1; done\n', 'inside a loop', 1],
      ['inside a case', 'case $E in prod) CODE_GIT_BRANCH=v1 ;; esac\n', 'inside a case', 1],
      ['inside a function', 'pin() {\n  CODE_GIT_BRANCH=v1\n}\n', 'inside a function', 2],
      ['inside a subshell', '(CODE_GIT_BRANCH=v1)\n', 'inside a function, a group { } or a subshell ( )', 1],
      ['in a list', 'test -f x && CODE_GIT_BRANCH=v1\n', 'in a list (&& or ||)', 1],
      ['first in a list', 'CODE_GIT_BRANCH=v1 || true\n', 'in a list (&& or ||)', 1],
      ['in a pipeline', 'echo | CODE_GIT_BRANCH=v1\n', 'in a pipeline', 1],
      ['in the background', 'CODE_GIT_BRANCH=v1 &\n', 'in the background', 1],
      ['for one command only', 'CODE_GIT_BRANCH=v1 make deploy\n', "for the command 'make' only", 1],
      ['with local', 'local CODE_GIT_BRANCH=v1\n', "with 'local'", 1],
    ])('rejects an assignment %s', async (_, text, where, line) => {
      // Act
      const result = await read(text);

      // Assess
      expect(result.pin).toBeUndefined();
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'pin-not-top-level', severity: 'error', line, message: expect.stringContaining(where) })]);
    });
  });

  it('rejects a second assignment to another value, at the second one', async () => {
    // Act
    const result = await read('export CODE_GIT_BRANCH=v1\nexport AWS_REGION=eu-west-1\nexport CODE_GIT_BRANCH=v2\n');

    // Assess
    expect(result.pin).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'pin-reassigned', severity: 'error', line: 3, column: 24, message: "CODE_GIT_BRANCH is set again, to 'v2', after 'v1' at line 1" }),
    ]);
  });

  it('reports a syntax error at its line and column (in characters)', async () => {
    // Act
    const result = await read('export A=1\n# déjà\nexport A="déjà" B=\'x\n');

    // Assess
    expect(result).toEqual({
      diagnostics: [
        expect.objectContaining({ file: FILE, code: 'variables-syntax-error', severity: 'error', line: 3, column: 19, message: expect.stringContaining('reached EOF without closing quote') }),
      ],
    });
  });

  it('reports a statement that bash refuses', async () => {
    // Act
    const result = await read('export A=1\nif true; then\n');

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-syntax-error', line: 2 })]);
  });

  it('rejects a byte-order mark, which bash runs as part of the first command', async () => {
    // Act
    const result = await read('\ufeffexport CODE_GIT_BRANCH=v1\n');

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-byte-order-mark', line: 1, column: 1 })]);
  });

  it('refuses to analyse a script larger than the cap', async () => {
    // Act
    const result = await read(`# ${'x'.repeat(MAX_VARIABLES_SCRIPT_BYTES)}\n`);

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-unparsable', message: expect.stringContaining(`at most ${MAX_VARIABLES_SCRIPT_BYTES} bytes`) })]);
  });

  it('survives an input that makes the WASM parser crash', async () => {
    // Act
    const result = await read('#\n'.repeat(8000));

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-unparsable', severity: 'error' })]);
  });

  it('survives an input that makes the WASM parser loop forever, by its deadline', async () => {
    // Act
    const result = await readPinFromVariablesScript(FILE, 'A=1;'.repeat(6000), { timeoutMs: 1000, isolation: 'worker', maxBytes: 64 * 1024 });

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-unparsable', message: expect.stringContaining('took longer than 1000 ms') })]);
  });

  it('survives a parser crash in this thread too', async () => {
    // Act
    const result = await readPinFromVariablesScript(FILE, '#\n'.repeat(8000), { isolation: 'in-process' });

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'variables-unparsable', message: expect.stringContaining('the shell parser failed') })]);
  });

  it('reads the same pin and the same syntax errors in this thread as in a worker', async () => {
    // Prepare
    const texts = ['export A=1\nexport CODE_GIT_BRANCH="v1.2.3"\n', "é=1\nexport A='x\n", 'if true; then CODE_GIT_BRANCH=v1; fi\n'];

    // Act
    const here = await Promise.all(texts.map((t) => readPinFromVariablesScript(FILE, t, { isolation: 'in-process' })));
    const worker = await Promise.all(texts.map((t) => readPinFromVariablesScript(FILE, t, { isolation: 'worker' })));

    // Assess
    expect(here).toEqual(worker);
    expect(here[0]?.pin?.value).toBe('v1.2.3');
    expect(here[1]?.diagnostics[0]?.code).toBe('variables-syntax-error');
  });

  it('never executes the script', async () => {
    // Act
    const result = await read('CODE_GIT_BRANCH=v1\nkill -9 $$\nrm -rf /tmp/spa-cd-should-not-exist\n$(touch /tmp/spa-cd-pwned)\n');

    // Assess
    expect(result.pin?.value).toBe('v1');
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('never throws and keeps positions inside the file, whatever the text', async () => {
    const pieces = fc.constantFrom('CODE_GIT_BRANCH=', 'export ', 'v1', '$X', '$(', ')', '"', "'", '`', ';', '&&', '|', '\n', ' ', '#', 'if ', 'then ', 'fi', '<<E\n', 'E\n', '\\', 'é', '\r', '{', '}', '(', '=', '~');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(pieces, { maxLength: 16 }).map((p) => p.join('')), fc.string({ maxLength: 60 })), async (text) => {
        // Act
        const result = await read(text);

        // Assess
        const lines = text.split('\n');
        for (const d of [...result.diagnostics, ...(result.pin ? [{ ...result.pin, file: FILE }] : [])]) {
          expect(d.file).toBe(FILE);
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeLessThanOrEqual([...(lines[d.line - 1] ?? '')].length + 1);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('Function: parseShell', () => {
  it('gives the top-level statements with their text, position and words', async () => {
    // Act
    const parsed = await parseShell(FILE, 'export A=1\nB=$(date) ; echo "é $B"\n');

    // Assess
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.statements.map((s) => [s.text, s.line, s.column])).toEqual([
      ['export A=1', 1, 1],
      ['B=$(date) ;', 2, 1],
      ['echo "é $B"', 2, 13],
    ]);
    expect(parsed.statements[1]?.tokens[0]).toMatchObject({ kind: 'word', raw: 'B=$(date)', parts: [{ kind: 'literal', value: 'B=' }, { kind: 'command-substitution', raw: '$(date)' }] });
    expect(parsed.ast.Stmts).toHaveLength(3);
  });

  it('gives a syntax error as a diagnostic', async () => {
    // Act
    const parsed = await parseShell(FILE, 'a=(\n');

    // Assess
    expect(parsed).toEqual({ ok: false, diagnostic: expect.objectContaining({ code: 'variables-syntax-error', file: FILE }) });
  });
});
