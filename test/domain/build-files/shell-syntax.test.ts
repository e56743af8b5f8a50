import { createShellSyntaxChecker, type ShellSyntaxChecker } from '../../../shared/domain/build-files/shell-syntax';

const CORPUS = [
  'echo hi',
  'echo "unterminated',
  'if true; then\n  echo',
  'é="x"; echo "ü',
  'cat <<EOF\nabc',
  'echo $(( 1 + ))',
  'for x in a b; do echo "$x"; done',
  'fi',
  'x;'.repeat(3000),
  '',
];

describe('Function: createShellSyntaxChecker', () => {
  let worker: ShellSyntaxChecker;
  let inProcess: ShellSyntaxChecker;

  beforeAll(() => {
    worker = createShellSyntaxChecker({ isolation: 'worker' });
    inProcess = createShellSyntaxChecker({ isolation: 'in-process' });
  });

  afterAll(async () => {
    await worker.close();
    await inProcess.close();
  });

  it('tells valid bash from a syntax error, with the UTF-16 index of the error', async () => {
    // Act
    const outcomes = await worker.check(CORPUS);

    // Assess
    expect(outcomes).toEqual([
      { kind: 'ok' },
      { kind: 'syntax-error', message: 'reached EOF without closing quote `"`', index: 5 },
      { kind: 'syntax-error', message: '`if` statement must end with `fi`', index: 0 },
      { kind: 'syntax-error', message: 'reached EOF without closing quote `"`', index: 12 },
      { kind: 'syntax-error', message: 'unclosed here-document `EOF`', index: 4 },
      { kind: 'syntax-error', message: '`+` must be followed by an expression', index: 11 },
      { kind: 'ok' },
      { kind: 'syntax-error', message: '`fi` can only be used to end an `if`', index: 0 },
      { kind: 'ok' },
      { kind: 'ok' },
    ]);
  });

  it('gives the same outcomes in a worker thread and in this thread', async () => {
    // Act
    const [a, b] = await Promise.all([worker.check(CORPUS), inProcess.check(CORPUS)]);

    // Assess
    expect(b).toEqual(a);
  });

  it('keeps answering right far beyond what one parser instance can serve', async () => {
    // Prepare: 1,200 texts, dense ones among them, about 3 MB of parser output in all
    const texts = Array.from({ length: 1200 }, (_, i) => (i % 3 === 0 ? `echo "${i}` : i % 3 === 1 ? `${'x;'.repeat(1000)} # ${i}` : `A${i}=$(date) && echo "$A${i}" | tr a b`));

    // Act
    const outcomes = await worker.check(texts);

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(texts.map((_, i) => (i % 3 === 0 ? 'syntax-error' : 'ok')));
  });

  it('does not parse a text over the size cap', async () => {
    // Act
    const [outcome] = await worker.check(['#'.repeat(20_000)]);

    // Assess
    expect(outcome).toEqual({ kind: 'not-analysed', reason: 'it is 20000 bytes; spa-cd parses at most 16384 bytes of shell at once' });
  });

  it('stops a parse that overruns its deadline, reports it, and goes on with the next texts', async () => {
    // Prepare: far above the cap the WASM parser loops; a checker with a raised cap shows the deadline at work
    const checker = createShellSyntaxChecker({ isolation: 'worker', maxBytes: 1024 * 1024, timeoutMs: 1_000, workers: 1 });

    // Act
    const outcomes = await checker.check(['echo before', 'A=1\n'.repeat(50_000), 'echo after', 'echo "broken']);
    await checker.close();

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'not-analysed', 'ok', 'syntax-error']);
    expect(outcomes[1]).toEqual({ kind: 'not-analysed', reason: 'the shell parser took longer than 1000 ms' });
  });

  it('parses a text given several times once, and answers each', async () => {
    // Act
    const outcomes = await worker.check(['echo "x', 'echo ok', 'echo "x']);

    // Assess
    expect(outcomes.map((o) => o.kind)).toEqual(['syntax-error', 'ok', 'syntax-error']);
  });

  it('answers an empty list at once', async () => {
    // Act
    const outcomes = await worker.check([]);

    // Assess
    expect(outcomes).toEqual([]);
  });
});
