import fc from 'fast-check';
import { checkCodeGitUrl, checkManifest, DEFAULT_CODE_GIT_URL, didYouMean, MANIFEST_CODES } from '../../../shared/domain/settings/deployment-manifest';

const FILE = 'environments/prod/deployment.yaml';

function codes(text: string): string[] {
  return checkManifest(FILE, text).diagnostics.map((d) => d.code);
}

describe('Function: checkManifest', () => {
  describe('a valid manifest', () => {
    it('reads every field with the position of its value', () => {
      // Prepare
      const text = [
        '# how prod is deployed',
        'spa_version: v1.2.3',
        'code_git_url: https://github.com/example/spa-fork.git',
        'auto_deploy: false',
        'frozen: true',
        'allow_floating_version: true',
        '',
      ].join('\n');

      // Act
      const result = checkManifest(FILE, text);

      // Assess
      expect(result.diagnostics).toEqual([]);
      expect(result.manifest).toEqual({
        spa_version: 'v1.2.3',
        code_git_url: 'https://github.com/example/spa-fork.git',
        auto_deploy: false,
        frozen: true,
        allow_floating_version: true,
        positions: {
          spa_version: { line: 2, column: 14 },
          code_git_url: { line: 3, column: 15 },
          auto_deploy: { line: 4, column: 14 },
          frozen: { line: 5, column: 9 },
          allow_floating_version: { line: 6, column: 25 },
        },
        invalid: [],
      });
    });

    it('applies the defaults for absent keys', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1.2.3\n');

      // Assess
      expect(result.diagnostics).toEqual([]);
      expect(result.manifest).toMatchObject({ code_git_url: DEFAULT_CODE_GIT_URL, auto_deploy: true, frozen: false, allow_floating_version: false });
    });

    it('takes the configured default code repository when the manifest names none', () => {
      // Act
      const result = checkManifest(FILE, '{}', { defaultCodeGitUrl: 'https://git.example.com/spa.git' });

      // Assess
      expect(result.manifest?.code_git_url).toBe('https://git.example.com/spa.git');
    });

    it('accepts YAML 1.1 booleans such as yes and off', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\nfrozen: yes\nauto_deploy: off\n');

      // Assess
      expect(result.diagnostics).toEqual([]);
      expect(result.manifest).toMatchObject({ frozen: true, auto_deploy: false });
    });

    it('reads a quoted version that would otherwise be a number', () => {
      // Act
      const result = checkManifest(FILE, "spa_version: '1.10'\n");

      // Assess
      expect(result.manifest?.spa_version).toBe('1.10');
    });
  });

  describe('the shape of the file', () => {
    it.each([
      ['an empty file', ''],
      ['a file of comments', '# nothing yet\n'],
      ['an explicit null', '~\n'],
    ])('rejects %s as empty', (_, text) => {
      // Act
      const result = checkManifest(FILE, text);

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-empty', severity: 'error', line: 1, column: 1 })]);
      expect(result.manifest).toBeUndefined();
    });

    it.each([
      ['a list', '- spa_version: v1\n', 'a list'],
      ['a string', 'v1.2.3\n', 'a string'],
    ])('rejects a top level that is %s', (_, text, type) => {
      // Act
      const result = checkManifest(FILE, text);

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-not-a-mapping', message: expect.stringContaining(type) })]);
    });

    it('passes YAML syntax errors through with their position', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\nfrozen: [\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'yaml-syntax-error', severity: 'error' })]);
      expect(result.manifest).toBeUndefined();
    });
  });

  describe('keys', () => {
    it('rejects an unknown key with its line and a did-you-mean hint', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\nauto_deplyo: false\n');

      // Assess
      expect(result.diagnostics).toEqual([
        expect.objectContaining({ code: 'manifest-unknown-key', line: 2, column: 1, message: expect.stringContaining("'auto_deplyo'"), hint: 'did you mean `auto_deploy`?' }),
      ]);
    });

    it('gives no suggestion for a key that resembles nothing', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\ncolour: blue\n');

      // Assess
      expect(result.diagnostics[0]?.hint).toBe('remove the key, or fix its name');
    });

    it('rejects a key that YAML reads as a boolean, naming it as written', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\nyes: 1\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-unknown-key', message: expect.stringContaining("'yes' (a boolean)") })]);
    });

    it('rejects a repeated key as an error at the second one', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\nfrozen: false\nspa_version: v2\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-duplicate-key', severity: 'error', line: 3, message: expect.stringContaining('first at line 1') })]);
      expect(result.manifest?.invalid).toEqual(['spa_version']);
    });
  });

  describe('spa_version', () => {
    it.each([
      ['a float', 'spa_version: 1.10', "read by YAML as a float, not as the string '1.10'", "quote it: `spa_version: '1.10'`"],
      ['an integer', 'spa_version: 2', 'an integer', "quote it: `spa_version: '2'`"],
      ['a hexadecimal integer', 'spa_version: 0x1f', "as an integer, not as the string '0x1f'", "quote it: `spa_version: '0x1f'`"],
      ['a date', 'spa_version: 2024-01-31', 'a date', "quote it: `spa_version: '2024-01-31'`"],
      ['a boolean', 'spa_version: yes', 'a boolean', "quote it: `spa_version: 'yes'`"],
    ])('rejects %s with the hint to quote it', (_, text, message, hint) => {
      // Act
      const result = checkManifest(FILE, `${text}\n`);

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'pin-not-a-string', line: 1, column: 14, message: expect.stringContaining(message), hint })]);
      expect(result.manifest?.spa_version).toBeUndefined();
      expect(result.manifest?.invalid).toEqual(['spa_version']);
    });

    it('rejects an empty value', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version:\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'pin-not-a-string', message: expect.stringContaining('has no value') })]);
    });

    it('rejects a list', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: [v1, v2]\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'pin-not-a-string', message: expect.stringContaining('not a list') })]);
    });
  });

  describe('the booleans', () => {
    it('rejects a quoted boolean with the hint to remove the quotes', () => {
      // Act
      const result = checkManifest(FILE, 'auto_deploy: "true"\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-wrong-type', hint: 'write it without quotes: `auto_deploy: true`' })]);
    });

    it('rejects a number', () => {
      // Act
      const result = checkManifest(FILE, 'allow_floating_version: 1\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-wrong-type', message: expect.stringContaining('not an integer') })]);
    });

    it('falls back to the safe value of an invalid field: frozen, no auto deploy, no floating version', () => {
      // Act
      const result = checkManifest(FILE, 'frozen: maybe\nauto_deploy: sometimes\nallow_floating_version: ~\n');

      // Assess
      expect(result.diagnostics.map((d) => d.code)).toEqual(['manifest-wrong-type', 'manifest-wrong-type', 'manifest-wrong-type']);
      expect(result.manifest).toMatchObject({ frozen: true, auto_deploy: false, allow_floating_version: false, invalid: ['auto_deploy', 'frozen', 'allow_floating_version'] });
    });
  });

  describe('code_git_url', () => {
    it('rejects a value that is not a string', () => {
      // Act
      const result = checkManifest(FILE, 'code_git_url: 42\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-wrong-type' })]);
      expect(result.manifest?.code_git_url).toBe(DEFAULT_CODE_GIT_URL);
    });

    it('rejects an invalid URL at its value, keeping the default', () => {
      // Act
      const result = checkManifest(FILE, 'spa_version: v1\ncode_git_url: https://me:token@github.com/x/y.git\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'manifest-invalid-url', line: 2, column: 15, message: expect.stringContaining('credentials') })]);
      expect(result.manifest).toMatchObject({ code_git_url: DEFAULT_CODE_GIT_URL, invalid: ['code_git_url'] });
    });
  });

  it('emits only documented codes with their documented severity', () => {
    // Prepare
    const texts = ['', '- a', 'x: 1', 'spa_version: 1.1', 'frozen: 2', 'code_git_url: http://x', 'a: 1\na: 2', 'spa_version: v1\nspa_version: v2'];

    // Act
    const diagnostics = texts.flatMap((t) => checkManifest(FILE, t).diagnostics);

    // Assess
    for (const d of diagnostics) {
      const info = (MANIFEST_CODES as Record<string, { severity: string }>)[d.code];
      expect(info?.severity).toBe(d.severity);
    }
  });

  it('never throws and puts every diagnostic inside the file, whatever the text', () => {
    const keys = fc.constantFrom('spa_version', 'code_git_url', 'auto_deploy', 'frozen', 'allow_floating_version', 'other', 'yes', '1', '<<', '? a');
    const values = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('1.10', 'yes', '~', '[a, b]', '{a: 1}', '&x a', '*x', '!!binary aGk=', '"a\\u0000"', '2024-01-31', "'x"));
    const yamlish = fc.array(fc.tuple(keys, values, fc.constantFrom('', '  ', '- ')), { maxLength: 6 }).map((lines) => lines.map(([k, v, indent]) => `${indent}${k}: ${v}`).join('\n'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), yamlish), (text) => {
        // Act
        const result = checkManifest(FILE, text);

        // Assess
        const lines = text.split(/\r\n|\r|\n|\u0085|\u2028|\u2029/);
        for (const d of result.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length + 1);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.file).toBe(FILE);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('reports every problem of a file, not only the first', () => {
    expect(codes('spa_version: 1.1\nfrozen: 2\nx: 1\ncode_git_url: http://github.com/a/b\n')).toEqual([
      'pin-not-a-string',
      'manifest-wrong-type',
      'manifest-unknown-key',
      'manifest-invalid-url',
    ]);
  });
});

describe('Function: checkCodeGitUrl', () => {
  it.each([
    DEFAULT_CODE_GIT_URL,
    'https://github.com/reply-fr/sustainable-personal-accounts',
    'https://gitlab.example.com:8443/group/sub-group/spa.git',
    'https://git.example.com/~team/spa.git',
  ])('accepts %s', (url) => {
    expect(checkCodeGitUrl(url).ok).toBe(true);
  });

  it.each([
    ['', 'is empty'],
    ['https://user:pass@github.com/x/y.git', 'contains credentials'],
    ['https://token@github.com/x/y.git', 'contains credentials'],
    ['https://@github.com/x/y.git', 'contains credentials'],
    ['http://github.com/x/y.git', 'plain http'],
    ['HTTPS://github.com/x/y.git', "the scheme 'HTTPS:'"],
    ['ext::sh -c touch% /tmp/pwned', 'contains U+0020 (space)'],
    ['ext::sh', "remote-helper syntax 'ext::'"],
    ['fd::17', "remote-helper syntax 'fd::'"],
    ['-uhttps://github.com/x/y.git', 'starts with "-"'],
    ['--upload-pack=touch', 'starts with "-"'],
    ['https://github.com/x/y.git\n', 'U+000A (line feed)'],
    ['https://github.com/x/y\u202e.git', 'U+202E'],
    ['https://github.com/x/y .git', 'U+0020 (space)'],
    ['git@github.com:x/y.git', 'SSH address'],
    ['ssh://git@github.com/x/y.git', "the scheme 'ssh:'"],
    ['git://github.com/x/y.git', "the scheme 'git:'"],
    ['file:///srv/spa.git', 'file:// URL'],
    ['/srv/spa.git', 'not an https:// URL'],
    ['https://github.com/x/y.git?ref=main', 'query or a fragment'],
    ['https://github.com/x/y.git#main', 'query or a fragment'],
    ['https://169.254.169.254/latest/meta-data', 'local or private address'],
    ['https://10.0.0.8/spa.git', 'local or private address'],
    ['https://localhost/spa.git', 'local or private address'],
    ['https://[::1]/spa.git', 'local or private address'],
    ['https://0x7f.1/spa.git', 'local or private address (127.0.0.1)'],
    ['https://github.com', 'names no repository'],
    ['https://github.com/', 'names no repository'],
    ['https://github.com/x/../y.git', "'.' or '..' path segments"],
    ['https://github.com/x/%2e%2e/y.git', "'%'"],
    ['https://github.com/x/$(id).git', "'$'"],
    ['https://github.com/x;id/y.git', "';'"],
    [`https://github.com/${'x'.repeat(2100)}`, 'longer than 2048'],
  ])('rejects %j: %s', (url, reason) => {
    // Act
    const result = checkCodeGitUrl(url);

    // Assess
    expect(result).toEqual({ ok: false, reason: expect.stringContaining(reason), hint: expect.any(String) });
  });

  it('accepts plain http and a local address only for the hosts the policy allows', () => {
    // Act
    const allowed = checkCodeGitUrl('http://127.0.0.1:8080/spa.git', { insecureHosts: ['127.0.0.1'] });
    const other = checkCodeGitUrl('http://127.0.0.2:8080/spa.git', { insecureHosts: ['127.0.0.1'] });

    // Assess
    expect(allowed.ok).toBe(true);
    expect(other.ok).toBe(false);
  });

  it('accepts file:///absolute/path only when the policy allows file URLs', () => {
    // Act
    const allowed = checkCodeGitUrl('file:///srv/spa.git', { allowFileUrls: true });
    const withHost = checkCodeGitUrl('file://server/srv/spa.git', { allowFileUrls: true });

    // Assess
    expect(allowed.ok).toBe(true);
    expect(withHost).toMatchObject({ ok: false, reason: expect.stringContaining('file:///absolute/path') });
  });
});

describe('Function: didYouMean', () => {
  it.each([
    ['spa_verison', 'spa_version'],
    ['spaVersion', 'spa_version'],
    ['spa-version', 'spa_version'],
    ['version', 'spa_version'],
    ['CODE_GIT_BRANCH', 'spa_version'],
    ['code_git_repo', 'code_git_url'],
    ['autoDeploy', 'auto_deploy'],
    ['autodeploy', 'auto_deploy'],
    ['frozn', 'frozen'],
    ['Frozen', 'frozen'],
    ['allow_floating_versions', 'allow_floating_version'],
  ])('suggests the known key for %s', (written, expected) => {
    expect(didYouMean(written)).toBe(expected);
  });

  it.each(['colour', 'x', 'description'])('suggests nothing for %s', (written) => {
    expect(didYouMean(written)).toBeUndefined();
  });
});
