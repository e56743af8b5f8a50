import { closeShellSyntaxWorkers } from '../../../shared/domain/build-files/shell-syntax';
import { validateEnvironment } from '../../../shared/use-cases/validate-settings';
import { MemorySource } from '../../support/memory-source';
import { fixtureFiles } from './fixtures';

afterAll(async () => {
  await closeShellSyntaxWorkers();
});

describe('Use case: validateEnvironment with build files', () => {
  it('puts the build-file findings among the environment’s diagnostics, so validate, plan, review and deploy show them', async () => {
    // Prepare
    const source = new MemorySource({ ...fixtureFiles('broken', 'environments/broken'), 'environments/broken/deployment.yaml': 'spa_version: v1.2.3\n' });

    // Act
    const validation = await validateEnvironment(source, 'broken');

    // Assess
    expect(validation.valid).toBe(false);
    expect(validation.diagnostics.filter((d) => d.code === 'shell-syntax-error').map((d) => `${d.file}:${d.line}:${d.column}`)).toEqual([
      'environments/broken/buildspec/preparation.yaml:21:16',
      'environments/broken/scripts/syntax-error.sh:4:12',
    ]);
    expect(validation.diagnostics.find((d) => d.code === 'buildspec-template-from-spa')?.message).toContain("SPA 'v1.2.3'");
  });

  it('keeps an environment with correct build files valid and silent', async () => {
    // Prepare
    const source = new MemorySource(fixtureFiles('valid', 'environments/valid'));

    // Act
    const validation = await validateEnvironment(source, 'valid');

    // Assess
    expect(validation.diagnostics).toEqual([]);
    expect(validation.valid).toBe(true);
  });

  it('skips the build files for the compared side of a plan (snapshotOnly)', async () => {
    // Prepare
    const source = new MemorySource({ ...fixtureFiles('broken', 'environments/broken'), 'environments/broken/deployment.yaml': 'spa_version: v1.2.3\n' });

    // Act
    const validation = await validateEnvironment(source, 'broken', { snapshotOnly: true });

    // Assess
    expect(validation.diagnostics.filter((d) => d.code.startsWith('buildspec-') || d.code.startsWith('shell-') || d.code.startsWith('variable'))).toEqual([]);
  });
});
