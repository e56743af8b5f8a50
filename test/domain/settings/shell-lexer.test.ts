import fc from 'fast-check';
import { firstExpansion, lexShell, literalValue, simpleCommands, type ShellWord } from '../../../shared/domain/settings/shell-lexer';

function words(text: string): ShellWord[] {
  return lexShell(text).filter((t): t is ShellWord => t.kind === 'word');
}

describe('Function: lexShell', () => {
  it('splits words at blanks and operators, keeping their positions', () => {
    // Act
    const tokens = lexShell('a=1 b;c && d | e > f\n');

    // Assess
    expect(tokens.map((t) => (t.kind === 'word' ? t.raw : `op:${t.op}`))).toEqual(['a=1', 'b', 'op:;', 'c', 'op:&&', 'd', 'op:|', 'e', 'op:>', 'f', 'op:\n']);
    expect(tokens[3]).toMatchObject({ start: 6, end: 7 });
  });

  it('reads quotes and escapes as bash does', () => {
    // Act
    const [word] = words(`a'b c'"d\\"e\\$f\\x"g\\ h`);

    // Assess
    expect(word?.parts).toEqual([
      { kind: 'literal', value: 'a' },
      { kind: 'single-quoted', value: 'b c' },
      { kind: 'double-quoted', parts: [{ kind: 'literal', value: 'd"e$f\\x' }] },
      { kind: 'literal', value: 'g h' },
    ]);
    expect(literalValue(word?.parts ?? [])).toBe('ab cd"e$f\\xg h');
  });

  it('joins a line continuation', () => {
    // Act
    const tokens = lexShell('export A=v1\\\n.2\n');

    // Assess
    expect(words('export A=v1\\\n.2\n').map((w) => literalValue(w.parts))).toEqual(['export', 'A=v1.2']);
    expect(tokens).toHaveLength(3);
  });

  it.each([
    ['$X', 'parameter'],
    ['${X:-a b}', 'parameter'],
    ['$1', 'parameter'],
    ['$(echo a b)', 'command-substitution'],
    ['$(echo $(date) ")")', 'command-substitution'],
    ['`echo a`', 'command-substitution'],
    ['$((1 + 2))', 'arithmetic'],
    ["$'a\\'b'", 'ansi-c-quoted'],
    ['$"hello"', 'locale-quoted'],
    ['<(ls)', 'process-substitution'],
  ])('reads %s as one %s', (text, kind) => {
    // Act
    const tokens = lexShell(text);

    // Assess
    expect(tokens).toHaveLength(1);
    expect((tokens[0] as ShellWord).parts).toEqual([expect.objectContaining({ kind, raw: text })]);
  });

  it('finds an expansion inside double quotes', () => {
    // Act
    const [word] = words('"v1.$(date)"');

    // Assess
    expect(literalValue(word?.parts ?? [])).toBeUndefined();
    expect(firstExpansion(word?.parts ?? [])).toEqual({ kind: 'command-substitution', raw: '$(date)' });
  });

  it('keeps a lone dollar as literal text', () => {
    expect(words('a$ $').map((w) => literalValue(w.parts))).toEqual(['a$', '$']);
  });

  it('reads NAME=(...) as an array assignment in one word', () => {
    // Act
    const tokens = lexShell('A=(a "b c" $(d))');

    // Assess
    expect(tokens).toEqual([expect.objectContaining({ kind: 'word', parts: [{ kind: 'literal', value: 'A=' }, { kind: 'array', raw: '(a "b c" $(d))' }] })]);
  });

  it('skips comments and here-document bodies', () => {
    // Act
    const tokens = lexShell('cat <<-EOF # comment\n\tCODE_GIT_BRANCH=x\n\tEOF\necho done\n');

    // Assess
    expect(tokens.map((t) => (t.kind === 'word' ? t.raw : `op:${t.op}`))).toEqual(['cat', 'op:<<-', 'EOF', 'op:\n', 'echo', 'done', 'op:\n']);
  });

  it('never throws and always moves forward, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200, unit: 'binary' }), (text) => {
        // Act
        const tokens = lexShell(text);

        // Assess
        let last = 0;
        for (const token of tokens) {
          expect(token.start).toBeGreaterThanOrEqual(last);
          expect(token.end).toBeGreaterThan(token.start);
          expect(token.end).toBeLessThanOrEqual(text.length);
          last = token.end;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('Function: simpleCommands', () => {
  it('sees one plain command in an assignment ended by a semicolon', () => {
    // Act
    const result = simpleCommands(lexShell('export A=1 ;'));

    // Assess
    expect(result.plain).toBe(true);
    expect(result.commands).toHaveLength(1);
  });

  it('sets redirections apart', () => {
    // Act
    const result = simpleCommands(lexShell('A=1 > /dev/null 2>&1'));

    // Assess
    expect(result.plain).toBe(true);
    expect(result.commands[0]?.words.map((w) => w.raw)).toEqual(['A=1']);
  });

  it('splits a compound statement into its commands, with what came before each', () => {
    // Act
    const result = simpleCommands(lexShell('if test -f x; then A=1; else B=2; fi'));

    // Assess
    expect(result.plain).toBe(false);
    expect(result.commands.map((c) => [c.words.map((w) => w.raw).join(' '), c.after.at(-1)])).toEqual([
      ['test -f x', 'if'],
      ['A=1', 'then'],
      ['B=2', 'else'],
    ]);
  });
});
