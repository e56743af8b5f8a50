/**
 * Nothing from the repository is ever executed: validation of a hostile environment (every file tries to create a
 * marker file when run) calls no child_process function, passes repository text to worker threads only as data,
 * and leaves the marker folder empty.
 */
import { jest } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const spawned: string[] = [];
const workerSources: string[] = [];

function trap(real: Record<string, unknown>): Record<string, unknown> {
  const mocked: Record<string, unknown> = { ...real };
  for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
    mocked[name] = jest.fn((...args: unknown[]) => {
      spawned.push(`${name} ${JSON.stringify(args[0])}`);
      throw new Error(`${name} must not be called while validating`);
    });
  }
  return mocked;
}

const realChildProcess = require('node:child_process') as Record<string, unknown>;
jest.unstable_mockModule('node:child_process', () => trap(realChildProcess));
jest.unstable_mockModule('child_process', () => trap(realChildProcess));
const realWorkers = require('node:worker_threads') as typeof import('node:worker_threads');
class RecordingWorker extends realWorkers.Worker {
  constructor(source: string | URL, options?: import('node:worker_threads').WorkerOptions) {
    workerSources.push(String(source));
    super(source, options);
  }
}
jest.unstable_mockModule('node:worker_threads', () => ({ ...realWorkers, default: { ...realWorkers, Worker: RecordingWorker }, Worker: RecordingWorker }));

const { validateEnvironment } = await import('../../../shared/use-cases/validate-settings');
const { FolderSettingsSource } = await import('../../../shared/adapters/folder-settings-source');
const { closeShellSyntaxWorkers } = await import('../../../shared/domain/build-files/shell-syntax');

describe('Use case: validateEnvironment on a hostile environment', () => {
  let root: string;
  let markers: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'spa-cd-hostile-'));
    markers = join(root, 'markers');
    mkdirSync(markers);
    const touch = (name: string): string => `touch ${join(markers, name)}`;
    const env = join(root, 'environments', 'evil');
    const files: Record<string, string> = {
      'settings.yaml': [
        'worker:',
        '  preparation_buildspec_template_file: buildspec/preparation.yaml',
        'defaults:',
        '  account_tags: {}',
        '  preparation:',
        '    variables:',
        `      PAYLOAD: "$(${touch('settings-value')})"`,
        'accounts:',
        "  - identifier: '123456789012'",
        '',
      ].join('\n'),
      'deployment.yaml': 'spa_version: v1.2.3\n',
      'variables.sh': `${touch('variables')}\nexport X=$(${touch('variables-substitution')})\nexport CODE_GIT_BRANCH=\`${touch('pin')}\`\n`,
      'buildspec/preparation.yaml': [
        'version: 0.2',
        'phases:',
        '  build:',
        '    commands:',
        `      - ${touch('command')}`,
        `      - echo "$(${touch('command-substitution')})" $PAYLOAD`,
        '      - ./scripts/evil.sh',
        `      - "${touch('unterminated')} \\"" `,
        '',
      ].join('\n'),
      'scripts/evil.sh': `#!/bin/bash\n${touch('script')}\n`,
      'scripts/broken.sh': `#!/bin/bash\n${touch('broken-script')}\nif true; then\n`,
      'run-me.sh': `${touch('run-me')}\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(env, path)), { recursive: true });
      writeFileSync(join(env, path), text);
    }
    for (const path of ['scripts/evil.sh', 'scripts/broken.sh', 'run-me.sh', 'variables.sh']) chmodSync(join(env, path), 0o755);
  });

  afterAll(async () => {
    await closeShellSyntaxWorkers();
    rmSync(root, { recursive: true, force: true });
  });

  it('analyses every file, spawns no process, hands file contents to no worker as code, and runs nothing', async () => {
    // Act
    const validation = await validateEnvironment(new FolderSettingsSource(root), 'evil');

    // Assess: the files were really analysed
    const codes = new Set(validation.diagnostics.map((d) => d.code));
    expect([...codes].filter((c) => ['variables-script-runs-code', 'shell-syntax-error', 'pin-not-literal'].includes(c)).sort()).toEqual([
      'pin-not-literal',
      'shell-syntax-error',
      'variables-script-runs-code',
    ]);
    // ... no process was started
    expect(spawned).toEqual([]);
    // ... workers were started from spa-cd's own source only, never from repository text
    expect(workerSources.length).toBeGreaterThan(0);
    expect(workerSources.filter((source) => source.includes(markers) || source.includes('touch '))).toEqual([]);
    // ... and nothing ran
    expect(readdirSync(markers)).toEqual([]);
  });
});
