import fc from 'fast-check';
import { checkBuildFiles, MAX_TEMPLATE_BYTES, type BuildFilesInput } from '../../../shared/domain/build-files';
import { closeShellSyntaxWorkers } from '../../../shared/domain/build-files/shell-syntax';
import type { Diagnostic } from '../../../shared/domain/settings/diagnostics';
import { checkSettings } from '../../../shared/domain/settings/settings-loader';
import type { SettingsSource } from '../../../shared/ports/settings-source';
import { MemorySource, type MemoryFiles } from '../../support/memory-source';
import { fixtureFiles } from './fixtures';

const ENV = 'environments/prod';

/** Settings check, then build-file check, as validateEnvironment chains them. */
async function check(files: MemoryFiles, options: Partial<BuildFilesInput> = {}): Promise<Diagnostic[]> {
  const source = new MemorySource(files);
  const settings = await checkSettings({ source, settingsFile: `${ENV}/settings.yaml`, environmentFolder: ENV });
  return checkBuildFiles({ source, environmentFolder: ENV, referencedFiles: settings.referencedFiles, effective: settings.effective, spaVersion: 'v1.2.3', ...options });
}

function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.file.replace(`${ENV}/`, '')}:${d.line}:${d.column} ${d.code}`);
}

const SETTINGS = `worker:\n  preparation_buildspec_template_file: buildspec/preparation.yaml\ndefaults:\n  account_tags: {}\n  preparation:\n    variables:\n      NAME: x\naccounts:\n  - identifier: '123456789012'\n`;
const TEMPLATE = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "$NAME"\n';

afterAll(async () => {
  await closeShellSyntaxWorkers();
});

describe('Function: checkBuildFiles', () => {
  it('finds nothing in an environment whose build files are right', async () => {
    // Act
    const found = await check(fixtureFiles('valid', ENV));

    // Assess
    expect(found).toEqual([]);
  });

  it('finds every mistake of the broken environment at its file, line and column', async () => {
    // Act
    const found = await check(fixtureFiles('broken', ENV));

    // Assess
    expect(where(found)).toEqual([
      'buildspec/preparation.yaml:6:11 buildspec-wrong-type',
      'buildspec/preparation.yaml:7:3 buildspec-unknown-key',
      'buildspec/preparation.yaml:11:3 buildspec-unknown-key',
      'buildspec/preparation.yaml:15:5 buildspec-runtime-versions-outside-install',
      'buildspec/preparation.yaml:18:46 variable-read-but-unset',
      'buildspec/preparation.yaml:21:16 shell-syntax-error',
      'buildspec/preparation.yaml:23:9 buildspec-wrong-type',
      'buildspec/preparation.yaml:24:9 script-not-executable',
      'buildspec/preparation.yaml:25:3 buildspec-phase-without-commands',
      'scripts/no-shebang.sh:1:1 script-missing-shebang',
      'scripts/syntax-error.sh:4:12 shell-syntax-error',
      'scripts/windows.sh:1:20 script-windows-line-endings',
      'settings.yaml:6:34 buildspec-template-from-spa',
      'settings.yaml:14:7 variable-set-but-unused',
      'variables.sh:3:1 variables-script-runs-code',
      'variables.sh:4:1 variables-script-runs-code',
      'variables.sh:5:1 variables-script-runs-code',
      'variables.sh:6:1 variables-script-runs-code',
    ]);
    expect(found.find((d) => d.code === 'buildspec-template-from-spa')).toEqual(
      expect.objectContaining({
        message: expect.stringContaining("the deployment of SPA 'v1.2.3' fails (FileNotFoundError)"),
        hint: 'did you mean fixtures/buildspec/purge_account_with_awsweeper_template.yaml?',
      }),
    );
  });

  it('places a syntax error of a block command on its line inside the block', async () => {
    // Prepare
    const template = 'version: 0.2\nphases:\n  build:\n    commands:\n      - |\n        echo start\n        if [ -n "$NAME" ]; then\n          echo ok\n        done\n';

    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: SETTINGS, [`${ENV}/buildspec/preparation.yaml`]: template });

    // Assess
    expect(found.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual(['9:9 shell-syntax-error command 1 of phases.build.commands is not valid bash: `done` can only be used to end a loop']);
  });

  it('names SPA’s own template and the pinned version when the settings use one', async () => {
    // Prepare
    const settings = 'worker:\n  purge_buildspec_template_file: fixtures/buildspec/purge_account_with_awsweeper_template.yaml\n';

    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: settings });

    // Assess
    expect(found.filter((d) => d.code === 'buildspec-template-from-spa')).toEqual([
      expect.objectContaining({
        file: `${ENV}/settings.yaml`,
        line: 2,
        column: 34,
        severity: 'warning',
        message:
          "worker.purge_buildspec_template_file names fixtures/buildspec/purge_account_with_awsweeper_template.yaml, which is not in the environment folder: the purge builds use SPA's own file from SPA 'v1.2.3'; spa-cd does not check it, nor the purge variables against it",
      }),
    ]);
  });

  it('checks templates under any buildspec folder and every script, even those no setting names', async () => {
    // Prepare
    const files = {
      [`${ENV}/settings.yaml`]: 'environment_identifier: x\n',
      [`${ENV}/extra/buildspec/other.yml`]: 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "$UNSET_BUT_NOT_CROSS_CHECKED\n',
      [`${ENV}/deep/tools/x.sh`]: '#!/bin/bash\nif true; then\n',
      [`${ENV}/not-buildspec/ignored.yaml`]: 'this: [is not checked\n',
    };

    // Act
    const found = await check(files);

    // Assess
    expect(where(found)).toEqual(['deep/tools/x.sh:2:10 shell-syntax-error', 'extra/buildspec/other.yml:5:14 shell-syntax-error']);
  });

  it('rejects a referenced template larger than the SSM parameter SPA stores it in', async () => {
    // Prepare
    const big = `${TEMPLATE}${'# padding of the licence header\n'.repeat(Math.ceil(MAX_TEMPLATE_BYTES / 32))}`;

    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: SETTINGS, [`${ENV}/buildspec/preparation.yaml`]: big });

    // Assess
    expect(where(found)).toEqual(['buildspec/preparation.yaml:1:1 buildspec-template-too-large']);
  });

  it('does not parse the commands of a template that runs another shell', async () => {
    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: SETTINGS, [`${ENV}/buildspec/preparation.yaml`]: 'version: 0.2\nenv:\n  shell: powershell.exe\nphases:\n  build:\n    commands:\n      - Write-Host "$NAME\n' });

    // Assess
    expect(found).toEqual([]);
  });

  it('counts what a sourced script sets as set', async () => {
    // Prepare
    const template = 'version: 0.2\nphases:\n  build:\n    commands:\n      - source ./scripts/env.sh\n      - echo "$NAME $FROM_SCRIPT"\n';

    // Act
    const found = await check({
      [`${ENV}/settings.yaml`]: SETTINGS,
      [`${ENV}/buildspec/preparation.yaml`]: template,
      [`${ENV}/scripts/env.sh`]: '#!/bin/bash\nexport FROM_SCRIPT=1\n',
    });

    // Assess
    expect(found).toEqual([]);
  });

  it('skips the variable checks when the settings have errors (no effective settings)', async () => {
    // Prepare
    const files = { [`${ENV}/settings.yaml`]: `${SETTINGS}  - identifier: 42\n`, [`${ENV}/buildspec/preparation.yaml`]: TEMPLATE.replace('$NAME', '$TYPO') };

    // Act
    const found = await check(files);

    // Assess
    expect(found).toEqual([]);
  });

  it('overlaps with the settings check: its inputs may be promises, and rejected ones are ignored', async () => {
    // Prepare
    const source = new MemorySource({ [`${ENV}/settings.yaml`]: SETTINGS, [`${ENV}/buildspec/preparation.yaml`]: TEMPLATE.replace('$NAME', '$TYPO'), [`${ENV}/a.sh`]: 'echo "x\n' });
    const settings = checkSettings({ source, settingsFile: `${ENV}/settings.yaml`, environmentFolder: ENV });

    // Act
    const [withPromises, withRejections] = await Promise.all([
      checkBuildFiles({ source, environmentFolder: ENV, referencedFiles: settings.then((s) => s.referencedFiles), effective: settings.then((s) => s.effective), spaVersion: Promise.resolve('v1') }),
      checkBuildFiles({ source, environmentFolder: ENV, referencedFiles: Promise.reject(new Error('x')), effective: Promise.reject(new Error('y')), spaVersion: Promise.reject(new Error('z')) }),
    ]);

    // Assess
    expect(where(withPromises)).toEqual(['a.sh:1:1 script-missing-shebang', 'a.sh:1:6 shell-syntax-error', 'buildspec/preparation.yaml:5:15 variable-read-but-unset', 'settings.yaml:7:7 variable-set-but-unused']);
    expect(where(withRejections)).toEqual(['a.sh:1:1 script-missing-shebang', 'a.sh:1:6 shell-syntax-error']);
  });

  it('reports a folder that cannot be listed as a warning, and a script that cannot be read as an error', async () => {
    // Prepare
    const broken: SettingsSource = { description: 'broken', list: () => Promise.reject(new Error('throttled')), read: () => Promise.reject(new Error('throttled')) };
    const source = new MemorySource({ [`${ENV}/settings.yaml`]: 'x: 1\n', [`${ENV}/a.sh`]: '#!/bin/bash\n' });
    source.failing.add(`${ENV}/a.sh`);

    // Act
    const unlisted = await checkBuildFiles({ source: broken, environmentFolder: ENV, referencedFiles: [], effective: undefined });
    const unread = await checkBuildFiles({ source, environmentFolder: ENV, referencedFiles: [], effective: undefined });

    // Assess
    expect(unlisted.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual(['warning build-files-check-failed environments/prod could not be listed: throttled']);
    expect(unread.map((d) => `${d.severity} ${d.code}`)).toEqual(['error file-unreadable']);
  });

  it('does not analyse a script that is not UTF-8, and rejects a template that is not', async () => {
    // Prepare
    const latin1 = new Uint8Array([0x23, 0x21, 0x2f, 0x62, 0x69, 0x6e, 0x2f, 0x73, 0x68, 0x0a, 0x23, 0xe9, 0x0a]);

    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: SETTINGS, [`${ENV}/buildspec/preparation.yaml`]: latin1, [`${ENV}/old.sh`]: latin1 });

    // Assess
    expect(where(found)).toEqual(['buildspec/preparation.yaml:2:2 invalid-utf8', 'old.sh:2:2 shell-not-analysed']);
  });

  it('only warns about a template no setting names when it cannot be read', async () => {
    // Act
    const found = await check({ [`${ENV}/settings.yaml`]: 'x: 1\n', [`${ENV}/buildspec/spare.yaml`]: new Uint8Array([0x76, 0xff]) });

    // Assess
    expect(found.map((d) => `${d.file.replace(`${ENV}/`, '')}:${d.line}:${d.column} ${d.severity} ${d.code}`)).toEqual(['buildspec/spare.yaml:1:2 warning shell-not-analysed']);
  });

  it('never throws, whatever the files of the environment', async () => {
    const content = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.constantFrom(TEMPLATE, 'version: 0.2\nphases: {build: {commands: ["echo \\"x"]}}', '#!/bin/bash\nfi\n', 'version: [', '- a\n- b'),
    );
    const name = fc.constantFrom('buildspec/a.yaml', 'buildspec/preparation.yaml', 'x.sh', 'scripts/y.sh', 'variables.sh', 'settings.yaml', 'c.csv');
    await fc.assert(
      fc.asyncProperty(fc.dictionary(name, content, { maxKeys: 6 }), async (entries) => {
        const files: MemoryFiles = {};
        for (const [path, text] of Object.entries(entries)) files[`${ENV}/${path}`] = text;
        const found = await check(files);
        return found.every((d) => d.line >= 1 && d.column >= 1 && typeof d.message === 'string');
      }),
      { numRuns: 40 },
    );
  });
});
