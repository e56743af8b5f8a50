import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { checkManifest } from '../../../shared/domain/settings/deployment-manifest';
import { checkPin, checkPinValue, checkRefName, checkResolvedPin, pinKind, type VersionPin } from '../../../shared/domain/settings/version-pin';
import type { VariablesPinResult } from '../../../shared/domain/settings/variables-script';

const MANIFEST = 'environments/prod/deployment.yaml';
const VARIABLES = 'environments/prod/variables.sh';
const URL = 'https://github.com/reply-fr/sustainable-personal-accounts.git';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

/** What real git says: `git check-ref-format [--allow-onelevel] <name>`. */
function gitAccepts(name: string, allowOneLevel: boolean): boolean {
  const run = (args: string[]): boolean => spawnSync('git', ['check-ref-format', ...args], { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } }).status === 0;
  // git would take a leading '-' for an option: check the same name one level down, which has the same verdict
  if (name.startsWith('-')) return run([`x/${name}`]) && (allowOneLevel || name.includes('/'));
  return run([...(allowOneLevel ? ['--allow-onelevel'] : []), name]);
}

function variables(value: string, line = 3, column = 24): VariablesPinResult {
  return { diagnostics: [], pin: { value, line, column } };
}

describe('Function: checkRefName', () => {
  it.each([
    ['v1.2.3', true],
    ['release/2024-01', true],
    ['a/b/c', true],
    ['héllo', true],
    ['a..b', false],
    ['a b', false],
    ['a~1', false],
    ['a^', false],
    ['a:b', false],
    ['a?', false],
    ['a*', false],
    ['a[1]', false],
    ['a\\b', false],
    ['a\tb', false],
    ['a\u0001b', false],
    ['a\u007fb', false],
    ['/a', false],
    ['a/', false],
    ['a//b', false],
    ['.a', false],
    ['a/.b', false],
    ['a.lock', false],
    ['a.lock/b', false],
    ['a.', false],
    ['a@{1}', false],
    ['@', false],
    ['a@b', true],
    ['@a', true],
    ['a{b}', true],
    ['-a', true],
    ['', false],
  ])('agrees with git check-ref-format --allow-onelevel on %j', (name, valid) => {
    // Act
    const result = checkRefName(name, { allowOneLevel: true });

    // Assess
    expect(result.ok).toBe(valid);
    if (name !== '') expect(gitAccepts(name, true)).toBe(valid);
  });

  it('needs two parts without allowOneLevel, as git does', () => {
    // Act
    const one = checkRefName('main');
    const two = checkRefName('refs/heads/main');

    // Assess
    expect(one).toEqual({ ok: false, reason: expect.stringContaining('only one part') });
    expect(two.ok).toBe(true);
    expect(gitAccepts('main', false)).toBe(false);
  });

  it('explains each refusal in words', () => {
    expect(checkRefName('a..b', { allowOneLevel: true })).toEqual({ ok: false, reason: "contains '..', which git forbids in a ref name" });
    expect(checkRefName('a/.b', { allowOneLevel: true })).toEqual({ ok: false, reason: "has a part starting with '.' ('.b')" });
    expect(checkRefName('a.lock', { allowOneLevel: true })).toEqual({ ok: false, reason: "has a part ending with '.lock' ('a.lock')" });
    expect(checkRefName('a//b', { allowOneLevel: true })).toEqual({ ok: false, reason: "contains '//'" });
  });

  it('agrees with git check-ref-format on random names', () => {
    const alphabet = fc.constantFrom('a', 'b', '1', '.', '/', '@', '{', '}', '-', '~', '^', ':', '?', '*', '[', '\\', ' ', '\t', 'l', 'o', 'c', 'k', '\u0001', '\u007f', 'é');
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 12 }).map((chars) => chars.join('')), fc.boolean(), (name, oneLevel) => {
        // Act
        const ours = checkRefName(name, { allowOneLevel: oneLevel }).ok;

        // Assess
        expect(ours).toBe(gitAccepts(name, oneLevel));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300, unit: 'binary' }), (name) => {
        expect(typeof checkRefName(name).ok).toBe('boolean');
      }),
    );
  });
});

describe('Function: checkPinValue', () => {
  it.each([
    ['v1.2.3', 'tag'],
    ['1.10', 'tag'],
    ['2.0.0-rc.1', 'tag'],
    ['v3', 'tag'],
    [COMMIT, 'commit'],
    [COMMIT.toUpperCase(), 'commit'],
    ['main', 'ambiguous'],
    ['release/2024-01', 'ambiguous'],
    ['feature_x+y', 'ambiguous'],
  ])('accepts %j as a %s', (pin, kind) => {
    expect(checkPinValue(pin)).toEqual({ ok: true, kind });
  });

  it.each([
    ['--upload-pack=x', 'pin-unsafe', "starts with '-'"],
    ['-v', 'pin-unsafe', "starts with '-'"],
    ['$(id)', 'pin-unsafe', "'$', which a shell would interpret"],
    ['`x`', 'pin-unsafe', "'`', which a shell would interpret"],
    ['a;b', 'pin-unsafe', "';', which a shell would interpret"],
    ['a|b', 'pin-unsafe', "'|'"],
    ['a&b', 'pin-unsafe', "'&'"],
    ['a>b', 'pin-unsafe', "'>'"],
    ['a<b', 'pin-unsafe', "'<'"],
    ["a'b", 'pin-unsafe', "'''"],
    ['"x"', 'pin-unsafe', `'"'`],
    ['(x)', 'pin-unsafe', "'('"],
    ['a b', 'pin-unsafe', 'U+0020 (space)'],
    ['a\tb', 'pin-unsafe', 'U+0009 (tab)'],
    ['v1\n', 'pin-unsafe', 'U+000A (line feed)'],
    ['v1.2.3\r', 'pin-unsafe', 'carriage return: the file probably has Windows line endings'],
    ['{a,b}', 'pin-unsafe', "'{'"],
    ['#x', 'pin-unsafe', "'#'"],
    ['!x', 'pin-unsafe', "'!'"],
    ['a*', 'pin-unsafe', "'*'"],
    ['~x', 'pin-unsafe', "'~'"],
    ['..', 'pin-invalid-ref', "contains '..'"],
    ['a..b', 'pin-invalid-ref', "contains '..'"],
    ['a@{1}', 'pin-invalid-ref', "contains '@{'"],
    ['@', 'pin-invalid-ref', "'@' alone"],
    ['v1\u0000', 'pin-invalid-ref', 'U+0000 (NUL)'],
    ['v1\u001b[31m', 'pin-invalid-ref', 'control character'],
    ['v1\u202e3.2', 'pin-unsafe', 'U+202E (right-to-left override)'],
    ['v1\u200b', 'pin-unsafe', 'U+200B (zero-width space)'],
    ['v1\u0085', 'pin-unsafe', 'U+0085 (a control character)'],
    ['vé', 'pin-unsafe', "U+00E9 'é'"],
    ['v1.lock', 'pin-invalid-ref', "ending with '.lock'"],
    ['v1.', 'pin-invalid-ref', "ends with '.'"],
    ['/v1', 'pin-invalid-ref', "starts with '/'"],
    ['.v1', 'pin-invalid-ref', "starting with '.'"],
    ['a:b', 'pin-invalid-ref', "':'"],
    ['a^b', 'pin-invalid-ref', "'^'"],
    ['HEAD', 'pin-invalid-ref', 'names HEAD'],
    ['refs/tags/v1', 'pin-invalid-ref', 'full ref name'],
    ['', 'pin-invalid-ref', 'is empty'],
    ['v'.repeat(256), 'pin-invalid-ref', 'longer than 255'],
  ])('rejects %j (%s: %s)', (pin, code, reason) => {
    // Act
    const result = checkPinValue(pin);

    // Assess
    expect(result).toEqual({ ok: false, code, reason: expect.stringContaining(reason), hint: expect.any(String) });
  });

  it('never accepts a pin that a shell could read as more than one plain word, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: 'binary' }), (pin) => {
        // Act
        const result = checkPinValue(pin);

        // Assess
        if (result.ok) {
          expect(pin).toMatch(/^[A-Za-z0-9._/+@=,][A-Za-z0-9._/+@=,-]*$/);
          expect(checkRefName(pin, { allowOneLevel: true }).ok).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('Function: pinKind', () => {
  it('tells commits, version-like tags and other names apart', () => {
    expect([COMMIT, 'v10.2', '2024.01.31', 'main', 'v', 'v1x'].map(pinKind)).toEqual(['commit', 'tag', 'tag', 'ambiguous', 'ambiguous', 'ambiguous']);
  });
});

describe('Function: checkPin', () => {
  it('takes the pin from deployment.yaml spa_version, with its position', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'frozen: false\nspa_version: v1.2.3\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES });

    // Assess
    expect(result).toEqual({ diagnostics: [], pin: { value: 'v1.2.3', kind: 'tag', source: 'deployment.yaml', file: MANIFEST, line: 2, column: 14 } });
  });

  it('takes the pin from variables.sh CODE_GIT_BRANCH when deployment.yaml sets none', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'auto_deploy: false\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES, variables: variables('v1.0.0') });

    // Assess
    expect(result).toEqual({ diagnostics: [], pin: { value: 'v1.0.0', kind: 'tag', source: 'variables.sh', file: VARIABLES, line: 3, column: 24 } });
  });

  it('takes the pin from variables.sh when there is no deployment.yaml', () => {
    // Act
    const result = checkPin({ manifestFile: MANIFEST, variablesFile: VARIABLES, variables: variables(COMMIT) });

    // Assess
    expect(result.pin).toMatchObject({ value: COMMIT, kind: 'commit', source: 'variables.sh' });
  });

  it('accepts two pins that agree', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'spa_version: v1.2.3\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES, variables: variables('v1.2.3') });

    // Assess
    expect(result).toMatchObject({ diagnostics: [], pin: { value: 'v1.2.3', source: 'deployment.yaml' } });
  });

  it('rejects two pins that disagree, at both places', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'spa_version: v1.2.3\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES, variables: variables('v1.2.4', 5, 8) });

    // Assess
    expect(result.pin).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ file: MANIFEST, line: 1, column: 14, code: 'pin-conflict', severity: 'error', message: expect.stringContaining(`'v1.2.4' in ${VARIABLES} (line 5)`) }),
      expect.objectContaining({ file: VARIABLES, line: 5, column: 8, code: 'pin-conflict', severity: 'error', message: expect.stringContaining(`'v1.2.3' in ${MANIFEST} (line 1)`) }),
    ]);
  });

  it('also reports an unsafe value among two pins that disagree', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'spa_version: v1.2.3\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES, variables: variables('$(id)') });

    // Assess
    expect(result.diagnostics.map((d) => d.code)).toEqual(['pin-conflict', 'pin-conflict', 'pin-unsafe']);
  });

  it('rejects an environment without any pin, at deployment.yaml', () => {
    // Act
    const result = checkPin({ manifestFile: MANIFEST, variablesFile: VARIABLES });

    // Assess
    expect(result).toEqual({
      diagnostics: [expect.objectContaining({ file: MANIFEST, line: 1, column: 1, code: 'pin-missing', severity: 'error', hint: `add \`spa_version: <SPA tag or full commit id>\` to ${MANIFEST}` })],
    });
  });

  it('reports a missing pin at variables.sh when only variables.sh exists', () => {
    // Act
    const result = checkPin({ manifestFile: MANIFEST, variablesFile: VARIABLES, variables: { diagnostics: [] } });

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: VARIABLES, code: 'pin-missing' })]);
  });

  it('does not add a missing pin when spa_version is present but invalid', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'spa_version: 1.10\n');

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES });

    // Assess
    expect(result).toEqual({ diagnostics: [] });
  });

  it('does not add a missing pin when deployment.yaml or variables.sh could not be read', () => {
    // Prepare
    const manifest = checkManifest(MANIFEST, 'spa_version: [\n');
    const broken: VariablesPinResult = { diagnostics: [{ file: VARIABLES, line: 2, column: 1, severity: 'error', code: 'variables-syntax-error', message: 'x' }] };

    // Act
    const fromManifest = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES });
    const fromVariables = checkPin({ manifestFile: MANIFEST, variablesFile: VARIABLES, variables: broken });

    // Assess
    expect(fromManifest.diagnostics).toEqual([]);
    expect(fromVariables.diagnostics).toEqual([]);
  });

  it.each([
    ['--upload-pack=x', 'pin-unsafe'],
    ['a b', 'pin-unsafe'],
    ['a@{1}', 'pin-invalid-ref'],
  ])('rejects the hostile pin %j at its position, and gives no pin', (value, code) => {
    // Prepare
    const manifest = checkManifest(MANIFEST, `spa_version: '${value}'\n`);

    // Act
    const result = checkPin({ manifestFile: MANIFEST, manifest, variablesFile: VARIABLES });

    // Assess
    expect(result.pin).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: MANIFEST, line: 1, column: 14, code, message: expect.stringMatching(/^spa_version '/) })]);
  });

  it('rejects a CODE_GIT_BRANCH that ends with a carriage return, pointing at the line endings', () => {
    // Act
    const result = checkPin({ manifestFile: MANIFEST, variablesFile: VARIABLES, variables: variables('v1.2.3\r') });

    // Assess
    expect(result.diagnostics).toEqual([expect.objectContaining({ file: VARIABLES, code: 'pin-unsafe', hint: 'convert the file to Unix line endings (LF)' })]);
  });
});

describe('Function: checkResolvedPin', () => {
  const pin: VersionPin = { value: 'develop', kind: 'ambiguous', source: 'deployment.yaml', file: MANIFEST, line: 2, column: 14 };

  it.each([
    [{ kind: 'tag', name: 'develop', commit: COMMIT, annotated: true } as const],
    [{ kind: 'commit', commit: COMMIT, advertised: false } as const],
    [{ kind: 'unresolved', name: 'develop', reason: 'no answer within 5000 ms' } as const],
  ])('finds nothing wrong with %j', (resolved) => {
    expect(checkResolvedPin(pin, resolved, { allowFloatingVersion: false, codeGitUrl: URL })).toEqual([]);
  });

  it('rejects a branch when floating versions are not allowed', () => {
    // Act
    const diagnostics = checkResolvedPin(pin, { kind: 'branch', name: 'develop', commit: COMMIT }, { allowFloatingVersion: false, codeGitUrl: URL });

    // Assess
    expect(diagnostics).toEqual([
      expect.objectContaining({
        file: MANIFEST,
        line: 2,
        column: 14,
        severity: 'error',
        code: 'pin-floating-not-allowed',
        message: `spa_version 'develop' is a branch of ${URL}, not a tag: it moves, so every deploy could take different SPA code`,
        hint: expect.stringContaining('allow_floating_version: true'),
      }),
    ]);
  });

  it('warns about a branch on every review when floating versions are allowed', () => {
    // Act
    const diagnostics = checkResolvedPin(pin, { kind: 'branch', name: 'develop', commit: COMMIT }, { allowFloatingVersion: true, codeGitUrl: URL });

    // Assess
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'pin-floating', message: expect.stringMatching(/^floating version: every deploy may take different SPA code/) }),
    ]);
  });

  it('rejects a name the code repository does not have', () => {
    // Act
    const diagnostics = checkResolvedPin({ ...pin, value: 'v9.9.9' }, { kind: 'unknown', name: 'v9.9.9' }, { allowFloatingVersion: false, codeGitUrl: URL });

    // Assess
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'pin-unknown', message: `no tag or branch named 'v9.9.9' in ${URL}` })]);
  });

  it('explains that an abbreviated commit id cannot be checked', () => {
    // Act
    const diagnostics = checkResolvedPin({ ...pin, value: 'abc1234' }, { kind: 'unknown', name: 'abc1234' }, { allowFloatingVersion: false, codeGitUrl: URL });

    // Assess
    expect(diagnostics[0]?.hint).toContain('full 40-character commit id');
  });
});
