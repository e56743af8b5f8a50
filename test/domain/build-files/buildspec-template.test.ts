import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { checkBuildspecTemplate } from '../../../shared/domain/build-files/buildspec-template';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/build-files');
const FILE = 'env/buildspec/preparation.yaml';

function where(text: string): string[] {
  return checkBuildspecTemplate(FILE, text).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);
}

describe('Function: checkBuildspecTemplate', () => {
  describe('valid templates', () => {
    it.each(['valid/buildspec/preparation.yaml', 'valid/buildspec/purge.yaml'])('accepts %s, in the shape of SPA’s own templates', (fixture) => {
      // Act
      const result = checkBuildspecTemplate(FILE, readFileSync(join(FIXTURES, fixture), 'utf8'));

      // Assess
      expect(result.diagnostics).toEqual([]);
      expect(result.commands.length).toBeGreaterThan(3);
    });

    it('accepts every section of the format: env, phases with finally and on-failure, reports, artifacts, cache, proxy, batch', () => {
      // Prepare
      const text = [
        'version: 0.2',
        'run-as: root',
        'env:',
        '  shell: bash',
        '  variables: {A: "1", B: 2, C: true}',
        '  parameter-store: {TOKEN: /spa/token}',
        '  secrets-manager: {KEY: "secret:json-key"}',
        '  exported-variables: [A]',
        '  git-credential-helper: yes',
        'proxy: {upload-artifacts: no, logs: yes}',
        'batch: {fast-fail: true}',
        'phases:',
        '  install:',
        '    runtime-versions: {python: 3.11}',
        '    on-failure: RETRY-3',
        '    commands: [echo install]',
        '  pre_build: {commands: [echo pre]}',
        '  build:',
        '    run-as: nobody',
        '    commands:',
        '      - echo build',
        '    finally:',
        '      - echo finally',
        '  post_build: {on-failure: CONTINUE, commands: [echo post]}',
        'reports:',
        '  tests: {files: ["**/*.xml"], base-directory: out, discard-paths: yes, file-format: JUNITXML}',
        'artifacts:',
        '  files: [out/**/*]',
        '  exclude-paths: "*.tmp"',
        '  secondary-artifacts:',
        '    logs: {files: [log.txt], name: logs}',
        'cache: {key: k, fallback-keys: [k1], action: restore, paths: [/root/.cache]}',
        '',
      ].join('\n');

      // Act
      const result = checkBuildspecTemplate(FILE, text);

      // Assess
      expect(result.diagnostics).toEqual([]);
      expect(result.declared.map((d) => `${d.section}:${d.name}`)).toEqual(['variables:A', 'variables:B', 'variables:C', 'parameter-store:TOKEN', 'secrets-manager:KEY']);
      expect(result.exported).toEqual(['A']);
      expect(result.commands.map((c) => `${c.phase}.${c.block}#${c.number}:${c.text}`)).toEqual([
        'install.commands#1:echo install',
        'pre_build.commands#1:echo pre',
        'build.commands#1:echo build',
        'build.finally#1:echo finally',
        'post_build.commands#1:echo post',
      ]);
    });
  });

  describe('the top level', () => {
    it.each([
      ['an empty file', '', ['buildspec-not-a-mapping@1:1']],
      ['a list', '- echo hi\n', ['buildspec-not-a-mapping@1:1']],
      ['no version', 'phases:\n  build:\n    commands: [echo]\n', ['buildspec-invalid-version@1:1']],
      ['version 2', 'version: 2\nphases: {build: {commands: [echo]}}\n', ['buildspec-invalid-version@1:10']],
      ['version 0.1', 'version: 0.1\nphases: {build: {commands: [echo]}}\n', ['buildspec-legacy-version@1:10']],
      ['a quoted version', 'version: "0.2"\nphases: {build: {commands: [echo]}}\n', []],
      ['an unknown key', 'version: 0.2\nphase:\n  build: {commands: [echo]}\n', ['buildspec-unknown-key@2:1', 'buildspec-no-commands@1:1']],
      ['no phases', 'version: 0.2\n', ['buildspec-no-commands@1:1']],
      ['a YAML syntax error', 'version: 0.2\nphases: [\n', ['yaml-syntax-error@3:1']],
    ])('reports %s', (_, text, expected) => {
      // Act
      const found = where(text);

      // Assess
      expect(found).toEqual(expected);
    });

    it('suggests the key that was probably meant', () => {
      // Act
      const result = checkBuildspecTemplate(FILE, 'version: 0.2\nartifact:\n  files: [a]\nphases: {build: {commands: [echo]}}\n');

      // Assess
      expect(result.diagnostics).toEqual([expect.objectContaining({ code: 'buildspec-unknown-key', line: 2, column: 1, hint: 'did you mean `artifacts`?' })]);
    });
  });

  describe('env', () => {
    it('rejects a list or mapping as a variable value, at the value', () => {
      // Act
      const found = where('version: 0.2\nenv:\n  variables:\n    OK: 1\n    TAGS: [a, b]\n    MAP:\n      k: v\nphases: {build: {commands: [echo]}}\n');

      // Assess
      expect(found).toEqual(['buildspec-wrong-type@5:11', 'buildspec-wrong-type@7:7']);
    });

    it('rejects a variable named with the CODEBUILD_ prefix', () => {
      // Act
      const found = where('version: 0.2\nenv:\n  parameter-store:\n    CODEBUILD_TOKEN: /x\nphases: {build: {commands: [echo]}}\n');

      // Assess
      expect(found).toEqual(['buildspec-reserved-variable@4:5']);
    });

    it('rejects an unknown shell and an unknown env key with a suggestion', () => {
      // Act
      const result = checkBuildspecTemplate(FILE, 'version: 0.2\nenv:\n  shell: zsh\n  variable:\n    A: 1\nphases: {build: {commands: [echo]}}\n');

      // Assess
      expect(result.diagnostics.map((d) => `${d.code}@${d.line}:${d.column} ${d.hint ?? ''}`)).toEqual([
        'buildspec-invalid-value@3:10 write bash or /bin/sh (Linux), powershell.exe or cmd.exe (Windows)',
        'buildspec-unknown-key@4:3 did you mean `variables`?',
      ]);
    });

    it('rejects env.variables written as a list', () => {
      // Act
      const found = where('version: 0.2\nenv:\n  variables:\n    - A=1\nphases: {build: {commands: [echo]}}\n');

      // Assess
      expect(found).toEqual(['buildspec-wrong-type@4:5']);
    });
  });

  describe('phases', () => {
    it.each([
      ['a phase without commands', 'version: 0.2\nphases:\n  build:\n    finally: [echo]\n', ['buildspec-phase-without-commands@3:3']],
      ['an empty phase', 'version: 0.2\nphases:\n  install:\n  build: {commands: [echo]}\n', ['buildspec-phase-without-commands@3:3']],
      ['an empty command list', 'version: 0.2\nphases:\n  build:\n    commands: []\n', ['buildspec-phase-without-commands@4:5']],
      ['a phase written as a list', 'version: 0.2\nphases:\n  build:\n    - echo hi\n', ['buildspec-wrong-type@4:5', 'buildspec-no-commands@1:1']],
      ['commands written as a string', 'version: 0.2\nphases:\n  build:\n    commands: echo hi\n', ['buildspec-wrong-type@4:15', 'buildspec-no-commands@1:1']],
      ['an unknown phase', 'version: 0.2\nphases:\n  pre-build: {commands: [echo]}\n  build: {commands: [echo]}\n', ['buildspec-unknown-key@3:3']],
      ['an unknown phase key', 'version: 0.2\nphases:\n  build:\n    command: [echo]\n    commands: [echo]\n', ['buildspec-unknown-key@4:5']],
      ['runtime-versions in build', 'version: 0.2\nphases:\n  build:\n    runtime-versions: {nodejs: 20}\n    commands: [echo]\n', ['buildspec-runtime-versions-outside-install@4:5']],
      ['an unknown on-failure', 'version: 0.2\nphases:\n  build:\n    on-failure: STOP\n    commands: [echo]\n', ['buildspec-invalid-value@4:17']],
      ['a command YAML reads as a mapping', 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo Budget: $B\n', ['buildspec-wrong-type@5:9', 'buildspec-no-commands@1:1']],
      ['an empty command item', 'version: 0.2\nphases:\n  build:\n    commands:\n      -\n      - echo\n', ['buildspec-wrong-type@5:8']],
    ])('reports %s at its line', (_, text, expected) => {
      // Act
      const found = where(text);

      // Assess
      expect(found).toEqual(expected);
    });

    it('suggests pre_build for pre-build', () => {
      // Act
      const result = checkBuildspecTemplate(FILE, 'version: 0.2\nphases:\n  pre-build: {commands: [echo]}\n');

      // Assess
      expect(result.diagnostics[0]?.hint).toBe('did you mean `pre_build`?');
    });

    it('reads a non-string command as written', () => {
      // Act
      const result = checkBuildspecTemplate(FILE, 'version: 0.2\nphases:\n  build:\n    commands:\n      - 0123\n');

      // Assess
      expect(result.commands.map((c) => c.text)).toEqual(['0123']);
    });
  });

  describe('positions inside commands', () => {
    it('places an index of a block command on its line inside the block', () => {
      // Prepare
      const text = 'version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        if true; then\n          echo "$X"\n        fi\n';
      const command = checkBuildspecTemplate(FILE, text).commands[0];

      // Act
      const at = command?.positionOf(command.text.indexOf('$X'));

      // Assess
      expect(at).toEqual({ line: 7, column: 17 });
    });

    it('places an index of a one-line command after its dash', () => {
      // Prepare
      const command = checkBuildspecTemplate(FILE, 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo $X\n').commands[0];

      // Act
      const at = command?.positionOf(5);

      // Assess
      expect(at).toEqual({ line: 5, column: 14 });
    });
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const result = checkBuildspecTemplate(FILE, text);
        return Array.isArray(result.diagnostics) && result.diagnostics.every((d) => d.line >= 1 && d.column >= 1);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on YAML-shaped templates with random keys and values', () => {
    const scalar = fc.oneof(fc.constant('echo hi'), fc.constant(''), fc.constant('null'), fc.constant('[a, b]'), fc.constant('{k: v}'), fc.string({ maxLength: 12 }).map((s) => JSON.stringify(s)));
    const key = fc.constantFrom('version', 'env', 'phases', 'build', 'install', 'commands', 'finally', 'variables', 'runtime-versions', 'on-failure', 'x');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), key, scalar), { maxLength: 12 }), (lines) => {
        const text = lines.map(([indent, k, v]) => `${'  '.repeat(indent)}${k}: ${v}`).join('\n');
        const result = checkBuildspecTemplate(FILE, text);
        return result.diagnostics.every((d) => d.line >= 1 && d.column >= 1 && d.file === FILE);
      }),
      { numRuns: 300 },
    );
  });
});
